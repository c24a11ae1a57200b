package resid_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/caravanpay/caravan/resid"
)

// fuzzClient answers every request with status and body.
func fuzzClient(t *testing.T, status int, body []byte) *resid.Client {
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
		return httpmock.NewBytesResponse(status, body), nil
	})
	c, err := resid.NewClient(mockCode, resid.WithBaseURL(mockBase), resid.WithHTTPClient(&http.Client{Transport: mt}),
		resid.WithRetry(0, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// checkErr holds every error to the package's contract: an *Error with the
// status, a short excerpt, a "resid: " message and a sentinel.
func checkErr(t *testing.T, err error, status int) {
	t.Helper()
	if err == nil {
		return
	}
	var re *resid.Error
	if !errors.As(err, &re) {
		t.Fatalf("not an *Error: %T %v", err, err)
	}
	if re.StatusCode != status || len(re.Body) > 512 || re.Error()[:7] != "resid: " {
		t.Fatalf("bad error %+v", re)
	}
	kinds := []error{resid.ErrUnauthorized, resid.ErrNotFound, resid.ErrValidation, resid.ErrConflict,
		resid.ErrRateLimited, resid.ErrServer, resid.ErrUnexpectedResponse}
	for _, k := range kinds {
		if errors.Is(err, k) {
			return
		}
	}
	t.Fatalf("no sentinel: %v", err)
}

// FuzzDecodeReplies feeds arbitrary bodies to every response decoder
// (envelope, payment, list, token) with the document's examples as seeds.
func FuzzDecodeReplies(f *testing.F) {
	for _, s := range []string{seedCreate, seedCollect, seedGet, seedList,
		`{"message":"Invalid input.","info":null,"errors":{"amount":["required"]}}`,
		`{"message":1,"info":[null],"errors":[{"a":1}]}`, `<html>x</html>`, `"text"`, ``, `{"message":"OK","info":{"paid":"2017-05-14T14:01:50+0430"}}`} {
		f.Add(200, []byte(s))
		f.Add(400, []byte(s))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 200 || status > 599 {
			status = 200 + (status%400+400)%400
		}
		c := fuzzClient(t, status, body)
		ctx := context.Background()
		p, err := c.GetPayment(ctx, "AsF42Sg53")
		checkErr(t, err, status)
		if err == nil {
			_ = p.CollectDeadline()
		}
		_, err = c.ListPayments(ctx, &resid.ListOptions{Size: 1})
		checkErr(t, err, status)
		tok, err := tokenOf(c.CreatePayment(ctx, &resid.CreatePaymentRequest{Amount: 1, Merchant: "m"}))
		checkErr(t, err, status)
		if err == nil && tok == "" {
			t.Fatal("empty token without an error")
		}
		checkErr(t, c.CollectPayment(ctx, "AsF42Sg53"), status)
	})
}

// FuzzPaymentJSON decodes arbitrary payment objects directly.
func FuzzPaymentJSON(f *testing.F) {
	f.Add([]byte(seedPayment))
	f.Add([]byte(`{"created":null,"paid":"","amount":"1e3","outcome":null,"merchant":null}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var p resid.Payment
		if p.UnmarshalJSON(b) == nil && p.Paid != nil && p.Paid.IsZero() {
			t.Fatal("a zero paid time must be nil")
		}
	})
}

// FuzzValidation checks that whatever the inputs, a request is either
// refused with ErrInvalidRequest before sending or sent to a path below
// /payments/ that keeps the token in one segment.
func FuzzValidation(f *testing.F) {
	f.Add("AsF42Sg53", int64(10000), "faSDF42w3Fs", 50, int64(0), int64(0))
	f.Add("../x", int64(-1), "", 201, int64(1), int64(2))
	f.Fuzz(func(t *testing.T, token string, amount int64, merchant string, size int, before, after int64) {
		mt := httpmock.NewMockTransport()
		var path string
		mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
			path = r.URL.EscapedPath()
			return httpmock.NewStringResponse(200, seedGet), nil
		})
		c, _ := resid.NewClient(mockCode, resid.WithBaseURL(mockBase), resid.WithHTTPClient(&http.Client{Transport: mt}),
			resid.WithRetry(0, 0, 0))
		ctx := context.Background()
		if _, err := c.GetPayment(ctx, token); err != nil {
			if !errors.Is(err, resid.ErrInvalidRequest) {
				t.Fatalf("token %q: %v", token, err)
			}
		} else if path != "/api/v1/payments/"+pathSegment(token) {
			t.Fatalf("token %q went to %q", token, path)
		}
		_, err := tokenOf(c.CreatePayment(ctx, &resid.CreatePaymentRequest{Amount: amount, Merchant: merchant}))
		if (amount <= 0 || len(merchant) == 0) && !errors.Is(err, resid.ErrInvalidRequest) {
			t.Fatalf("amount %d merchant %q: %v", amount, merchant, err)
		}
		o := &resid.ListOptions{Size: size}
		if before != 0 {
			o.Before = time.Unix(0, before)
		}
		if after != 0 {
			o.After = time.Unix(0, after)
		}
		_, err = c.ListPayments(ctx, o)
		bad := size < 0 || size > 200 || (before != 0 && after != 0)
		if bad != errors.Is(err, resid.ErrInvalidRequest) {
			t.Fatalf("list %+v: %v", o, err)
		}
	})
}

func pathSegment(s string) string { return url.PathEscape(s) }

// FuzzDecodeMerchant feeds arbitrary statuses and bodies to CreateMerchant's
// decoder, with the seeds under testdata/fuzz/FuzzDecodeMerchant: a merchant
// with its first_name, or an *Error keeping the status; an unreadable 2xx
// reply is ErrOutcomeUnknown (the merchant may exist).
func FuzzDecodeMerchant(f *testing.F) {
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 200 || status > 599 {
			status = 200 + (status%400+400)%400
		}
		c := fuzzClient(t, status, body)
		m, err := c.CreateMerchant(context.Background(), &resid.CreateMerchantRequest{FirstName: "A", LastName: "B",
			PhoneNumber: "09123456789", NationalNo: "1234567890", Sheba: "IR123456789012345678901234"})
		if err == nil {
			if status >= 300 || m == nil || m.Info == nil {
				t.Fatalf("status %d accepted as %+v", status, m)
			}
			if name, ok := m.Text("first_name"); !ok || name != m.FirstName {
				t.Fatalf("first_name %q, Info says %q", m.FirstName, name)
			}
			return
		}
		checkErr(t, err, status)
		var e *resid.Error
		if errors.As(err, &e) && status < 300 && errors.Is(err, resid.ErrUnexpectedResponse) && !errors.Is(err, resid.ErrOutcomeUnknown) {
			t.Fatalf("an unreadable 2xx reply must be ErrOutcomeUnknown: %v", err)
		}
	})
}
