package uapay

import (
	"testing"
	"time"

	"github.com/caravanpay/caravan/internal/transport"
)

// FuzzDecodeInvoiceList feeds arbitrary bodies through the decoder of an
// invoices/show/list reply: it may fail, never panic, every failure is an
// *Error, and every invoice it returns has an id.
func FuzzDecodeInvoiceList(f *testing.F) {
	for _, s := range []string{
		`{"status":1,"data":{"invoices":[]}}`,
		`{"status":1,"data":{"invoices":[{"Id":"065f927e-f78f-4d9a-ad07-cef58c16ca96","externalId":"order-7","invoiceNumber":"12345678901234","clientId":6870,"systemType":"ECOM","amount":"10050","reusability":false,"description":"d","invoiceStatus":"ACTIVE"}]}}`,
		`{"status":1,"data":{"invoices":[{"externalId":"x"}]}}`,
		`{"status":1,"data":{"invoices":{"a":1}}}`,
		`{"status":1,"data":{"invoices":[null,1,"x"]}}`,
		`{"status":1,"data":{"invoices":[{"id":"a","amount":1.5e300}]}}`,
		`<html>`, ``, `{"status":1,"data":{"invoices":[`,
	} {
		f.Add(s)
	}
	c := &Client{keys: &signer{key: []byte("k")}, now: time.Now}
	f.Fuzz(func(t *testing.T, body string) {
		resp := &transport.Response{Status: 200, Body: []byte(body)}
		r, err := c.decodeReply(resp)
		if err == nil {
			var list []*Invoice
			list, err = decodeInvoiceList(r)
			for _, inv := range list {
				if inv.ID == "" {
					t.Fatal("an invoice without an id")
				}
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
