package activeplatform

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/caravanpay/caravan/internal/transport"
)

func seedBodies(f *testing.F) {
	for _, name := range []string{"complete_payment_response.json", "not_completable_422.json",
		"cancel_payment_response.json", "not_cancellable_422.json"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{``, `null`, `"text"`, `<html>`, `{"errors":[{"status":422}]}`,
		`{"data":[{"id":"1","type":"payments","attributes":{"total":"1.0"}}],"links":{"next":"/x"}}`,
		`{"data":{"id":"1","type":"resellers","attributes":{"general":{"name":"x"}}}}`,
		`{"errors":{"total":["bad"]}}`, `{"data":{"id":1,"attributes":{"created_at":"2019-11-01T04:30:47+0300"}}}`} {
		f.Add([]byte(s))
	}
}

// FuzzDecodePayment checks that no body makes the decoders panic and that a
// decoded payment always has an id.
func FuzzDecodePayment(f *testing.F) {
	seedBodies(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		if p, err := DecodePayment(body); err == nil && p.ID <= 0 {
			t.Fatal("payment without id")
		}
		if page, err := DecodePaymentPage(body); err == nil {
			for _, p := range page.Payments {
				if p.ID <= 0 {
					t.Fatal("listed payment without id")
				}
			}
		}
		if r, err := DecodeReseller(body); err == nil && r.ID <= 0 {
			t.Fatal("reseller without id")
		}
	})
}

// FuzzDecodeErrors checks that any error body becomes an *Error that keeps
// its status's sentinel.
func FuzzDecodeErrors(f *testing.F) {
	seedBodies(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		te := &transport.Error{Kind: transport.KindForStatus(422), Method: "PATCH", Path: "/p", Status: 422,
			Body: body, Excerpt: transport.Excerpt(body), Attempts: 1}
		err := wrapError(te)
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, ErrValidation) {
			t.Fatalf("lost the error type or sentinel: %v", err)
		}
		_ = err.Error()
	})
}

// FuzzValidate checks the request validators never panic and accept only
// what they document.
func FuzzValidate(f *testing.F) {
	f.Add("002018", int64(2), "99.0", "USD", "tx-1")
	f.Add("", int64(0), "-1", "US", "x")
	f.Add("a/b", int64(-3), "1e3", "ДОЛ", "")
	f.Add("2005259", int64(2), "", "", "")
	f.Add("2005259", int64(2), "007.50", "", "t")
	f.Fuzz(func(t *testing.T, doc string, method int64, amount, currency, ext string) {
		r := &CompleteByDocumentRequest{DocumentID: doc, PaymentMethodID: method, Amount: Decimal(amount),
			CurrencyCode: currency, ExternalTransactionID: ext}
		err := r.validate()
		if err != nil && !errors.Is(err, ErrInvalidRequest) {
			t.Fatalf("validation error without ErrInvalidRequest: %v", err)
		}
		if err == nil {
			// amount, currency_code and external_transaction_id are
			// optional; when given they must be valid.
			if method <= 0 || currency != "" && len(currency) != 3 {
				t.Fatalf("accepted %+v", r)
			}
			if rat, ok := r.Amount.Rat(); amount != "" && (!ok || rat.Sign() <= 0) {
				t.Fatalf("accepted amount %q", amount)
			}
			if n := utf8.RuneCountInString(ext); n == 1 || n > 255 {
				t.Fatalf("accepted external_transaction_id of %d characters", n)
			}
			if _, err := number(r.Amount).MarshalJSON(); amount != "" && err != nil {
				t.Fatalf("accepted amount %q cannot be sent: %v", amount, err)
			}
		}
	})
}

// FuzzDecodeInvoice checks that no body makes the invoice decoders panic
// and that a decoded invoice always has an id (seeds in
// testdata/fuzz/FuzzDecodeInvoice: the documents' example and its odd forms).
func FuzzDecodeInvoice(f *testing.F) {
	seedBodies(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		if inv, err := DecodeInvoice(body); err == nil && inv.ID <= 0 {
			t.Fatal("invoice without id")
		} else if err != nil && !errors.Is(err, ErrUnexpectedResponse) {
			t.Fatalf("decoder error without ErrUnexpectedResponse: %v", err)
		}
		if page, err := DecodeInvoicePage(body); err == nil {
			for _, inv := range page.Invoices {
				if inv.ID <= 0 {
					t.Fatal("listed invoice without id")
				}
			}
		}
	})
}

// FuzzDecodeCorrection checks that no body makes the correction decoder
// panic, that a decoded correction always has an id and that its errors
// match ErrUnexpectedResponse (seeds in testdata/fuzz/FuzzDecodeCorrection:
// the documents' example and the Cyrillic "сomment" slip).
func FuzzDecodeCorrection(f *testing.F) {
	seedBodies(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := DecodeCorrection(body)
		if err == nil && c.ID <= 0 {
			t.Fatal("correction without id")
		}
		if err != nil && !errors.Is(err, ErrUnexpectedResponse) {
			t.Fatalf("decoder error without ErrUnexpectedResponse: %v", err)
		}
	})
}

// FuzzDecodeAccount checks that no body makes the account decoder panic,
// that a decoded account always has an id and that its errors match
// ErrUnexpectedResponse (seeds in testdata/fuzz/FuzzDecodeAccount).
func FuzzDecodeAccount(f *testing.F) {
	seedBodies(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		a, err := DecodeAccount(body)
		if err == nil && a.ID <= 0 {
			t.Fatal("account without id")
		}
		if err != nil && !errors.Is(err, ErrUnexpectedResponse) {
			t.Fatalf("decoder error without ErrUnexpectedResponse: %v", err)
		}
	})
}

// FuzzERPInvoice checks the postpaid-invoice body: an accepted ERPInvoice
// has a non-blank document_id of at most 255 bytes and a YYYY-MM-DD
// billing_date, and the body sent carries exactly those two values; a
// refusal is an InvalidRequestError naming one of them.
func FuzzERPInvoice(f *testing.F) {
	f.Add("NS2000015", "2020-04-01")
	f.Add(" ", "2020-04-01")
	f.Add("NS", "2020-04")
	f.Add("NS\"<&>", "2020-02-30")
	f.Add("документ", "2024-02-29")
	f.Fuzz(func(t *testing.T, doc, date string) {
		inv := ERPInvoice{DocumentID: doc, BillingDate: Date(date)}
		body, err := inv.body()
		if err != nil {
			var ie *InvalidRequestError
			if !errors.As(err, &ie) || ie.Field != "document_id" && ie.Field != "billing_date" {
				t.Fatalf("refusal is not an InvalidRequestError naming a body field: %v", err)
			}
			return
		}
		if strings.TrimSpace(doc) == "" || len(doc) > 255 || !utf8.ValidString(doc) {
			t.Fatalf("accepted document_id %q", doc)
		}
		if _, ok := Date(date).Time(); !ok {
			t.Fatalf("accepted billing_date %q", date)
		}
		var got map[string]string
		if err := json.Unmarshal(body.Bytes, &got); err != nil {
			t.Fatalf("body is not a JSON object of strings: %v", err)
		}
		if len(got) != 2 || got["document_id"] != doc || got["billing_date"] != date {
			t.Fatalf("body %s, want document_id %q, billing_date %q", body.Bytes, doc, date)
		}
	})
}
