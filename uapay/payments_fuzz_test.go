package uapay

import (
	"testing"
	"time"

	"github.com/caravanpay/caravan/internal/transport"
)

// FuzzDecodePayment feeds arbitrary bodies through the decoder of a
// payments/show reply: it may fail, never panic, every failure is an
// *Error, and a payment it returns has an id.
func FuzzDecodePayment(f *testing.F) {
	for _, s := range []string{
		`{"status":1,"data":{"invoiceId":"48cae638-2f4b-434c-aafa-a4b9ced4b486","paymentId":"08eff720-9432-4951-a698-94e24db59e66","number":14,"receiptId":"Q1URF9TQMKDE","clientId":1,"systemType":"P2P","amount":100,"commission":0,"status":"FINISHED","paymentStatus":"FINISHED","chequeLink":"api.uapay.ua/api/receipts/08eff720","createdAt":"2018-09-11T08:21:39.000Z","paidAt":1536654099000,"reversedAt":null}}`,
		`{"status":1,"data":{"id":"p","paymentNumber":"UA1","amount":"5","createdAt":"1536654099"}}`,
		`{"status":1,"data":{"paymentId":{"a":1}}}`,
		`{"status":1,"data":{"paymentId":"p","amount":1e400,"paidAt":"yesterday"}}`,
		`{"status":0,"error":{"code":"PAYMENT_NOT_FOUND"}}`,
		`<html>`, ``, `{"status":1,"data":{"paymentId":"p"`,
	} {
		f.Add(s)
	}
	c := &Client{keys: &signer{key: []byte("k")}, now: time.Now}
	f.Fuzz(func(t *testing.T, body string) {
		resp := &transport.Response{Status: 200, Body: []byte(body)}
		r, err := c.decodeReply(resp)
		if err == nil {
			var p *Payment
			p, err = decodePayment(r)
			if err == nil && p.ID == "" {
				t.Fatal("a payment without an id")
			}
			if err == nil {
				_ = p.ChequeURL()
			}
		}
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error of type %T", err)
			}
			_ = err.Error()
		}
	})
}

// FuzzDecodeSubscriptionAndCommission feeds arbitrary bodies through the
// decoders of subscriptions/update and payments/showCommission replies:
// they may fail, never panic, and every failure is an *Error.
func FuzzDecodeSubscriptionAndCommission(f *testing.F) {
	for _, s := range []string{
		`{"status":1,"data":{"invoiceId":"a911eea9-f791-4e9a-bcaf-a422585ec098","amount":1000,"commission":500,"interval":1,"expiresAt":"2021-11-01T06:46:39.999Z","plannedPaidAt":"2018-09-07T12:41:05.000Z","status":"ACTIVE"}}`,
		`{"status":1,"data":{"invoiceid":"x","interval":"7","expiresAt":1635749199999}}`,
		`{"status":1,"data":{"commission":{"percents":2,"fixed":100},"commissionAmount":1100}}`,
		`{"status":1,"data":{"commission":{"percents":"1.5e2","fixed":"x"},"commissionAmount":"1e3"}}`,
		`{"status":1,"data":{"commission":[],"commissionAmount":null}}`,
		`<html>`, ``, `{"status":1,"data":{"interval":-1}}`,
	} {
		f.Add(s)
	}
	c := &Client{keys: &signer{key: []byte("k")}, now: time.Now}
	f.Fuzz(func(t *testing.T, body string) {
		check := func(err error) {
			if err != nil {
				if _, ok := err.(*Error); !ok {
					t.Fatalf("error of type %T", err)
				}
				_ = err.Error()
			}
		}
		resp := &transport.Response{Status: 200, Body: []byte(body)}
		r, err := c.decodeReply(resp)
		check(err)
		if err != nil {
			return
		}
		s, err := decodeSubscription(r)
		check(err)
		if err == nil && (s.InvoiceID == "" || s.Interval < 0) {
			t.Fatalf("subscription %+v", s)
		}
		_, err = decodeCommission(r)
		check(err)
	})
}
