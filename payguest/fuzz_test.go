package payguest

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"unicode/utf8"

	"github.com/jarcoal/httpmock"

	"github.com/caravanpay/caravan/internal/transport"
)

// FuzzDecodePayGuest feeds arbitrary bodies and statuses to the reply and
// error decoders: they must never panic, and every failure must be an
// *Error that keeps the status.
func FuzzDecodePayGuest(f *testing.F) {
	for _, s := range []string{
		seedReply, `{"DiscountSums":[]}`, `"Счет уже передан в оплату"`,
		`"Сумма интернет-оплаты не может отличаться от итоговой суммы счета"`,
		`"Для проведения оплаты должен присутствовать либо payType_ID, либо gsdlv_pytp_ID_Prepaid"`,
		`"Счет уже оплачен"`, `<html></html>`, ``, `{"DiscountSums":[{"type_ID":1`, `null`, `{"Message":"x"}`,
	} {
		f.Add(200, []byte(s))
		f.Add(400, []byte(s))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 200 || status > 599 {
			status = 200
		}
		if status < 300 {
			res, err := decodePayGuest(&transport.Response{Status: status, Body: body})
			if err == nil {
				if res == nil {
					t.Fatal("nil result without error")
				}
				return
			}
			var pe *Error
			if !errors.As(err, &pe) || pe.StatusCode != status {
				t.Fatalf("want *Error with status %d, got %v", status, err)
			}
			return
		}
		e := newError(&transport.Error{Kind: transport.KindForStatus(status), Status: status, Body: body,
			Excerpt: transport.Excerpt(body), Method: "POST", Path: "/pay-guest"})
		if e.StatusCode != status || e.Error() == "" {
			t.Fatalf("bad error %v", e)
		}
	})
}

// FuzzValidate checks that the validator and the encoder agree: an
// accepted request always encodes.
func FuzzValidate(f *testing.F) {
	f.Add(billID, "120.50", payType, declType, "20", 1)
	f.Add("x", "-1", "", "", "", 7)
	f.Fuzz(func(t *testing.T, guest, sum, pt, dt, points string, mode int) {
		req := &PayGuestRequest{Payment: Payment{GuestID: guest, PaySum: Decimal(sum), PayTypeID: pt},
			DeletePrechecks: Ptr(Mode(mode))}
		if dt != "" || points != "" {
			req.DiscountSum = &DiscountSum{TypeID: dt, Sum: Decimal(points)}
		}
		if _, _, err := encodePayGuest(req); err != nil && !errors.Is(err, ErrInvalidRequest) {
			t.Fatalf("encode failed without ErrInvalidRequest: %v", err)
		}
	})
}

// FuzzDecodeReferenceLists feeds arbitrary bodies and statuses to the
// decoders of the reference lists and of PostGuest, with the seeds under
// testdata/fuzz/FuzzDecodeReferenceLists: a typed result or an *Error that
// keeps the status, never a panic.
func FuzzDecodeReferenceLists(f *testing.F) {
	f.Fuzz(func(t *testing.T, status int, body string) {
		if status < 200 || status > 599 {
			status = 200 + (status%400+400)%400
		}
		mt := httpmock.NewMockTransport()
		mt.RegisterNoResponder(httpmock.NewStringResponder(status, body))
		c, err := NewClient(WithBaseURL("http://pos.example"), WithHTTPClient(&http.Client{Transport: mt}), WithRetry(0, 0, 0))
		if err != nil {
			t.Fatal(err)
		}
		check := func(err error) {
			if err == nil {
				if status >= 300 {
					t.Fatalf("status %d accepted", status)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.StatusCode != status {
				t.Fatalf("%T %v", err, err)
			}
			if !utf8.ValidString(e.Error()) {
				t.Fatal("bad message")
			}
		}
		ctx := context.Background()
		pt, err := c.DiscountPointTypes(ctx)
		check(err)
		if err == nil && pt == nil {
			t.Fatal("nil list without an error")
		}
		dv, err := c.Divisions(ctx)
		check(err)
		if err == nil && dv == nil {
			t.Fatal("nil list without an error")
		}
		pu, err := c.PurseTypes(ctx)
		check(err)
		if err == nil && pu == nil {
			t.Fatal("nil list without an error")
		}
		bill, err := c.PostGuest(ctx, &PostGuestRequest{Orders: []GuestOrder{{Items: []GuestOrderItem{
			{MenuItemID: "9C3D6192-9FFA-A848-8C6E-D5629F9128AD", Count: "1", Price: "1"}}}}})
		check(err)
		if err == nil && !transport.IsUUID(bill.GuestID) {
			t.Fatalf("accepted gest_ID %q", bill.GuestID)
		}
		if err != nil && status >= 200 && status < 300 {
			var e *Error
			_ = errors.As(err, &e)
			if e.Text == "" && !errors.Is(err, ErrOutcomeUnknown) {
				t.Fatalf("an unreadable 2xx reply to PostGuest must be ErrOutcomeUnknown: %v", err)
			}
		}
	})
}
