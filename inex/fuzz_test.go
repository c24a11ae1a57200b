package inex

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jarcoal/httpmock"
)

// FuzzDecodeReplies feeds arbitrary bodies and statuses to every response
// decoder: the client must answer a typed result or an *Error, never panic,
// and keep the status on the error.
func FuzzDecodeReplies(f *testing.F) {
	for _, b := range []string{
		seedPayReply, `{"data":{"transactionId":"223IN1233"}}`, docDebtReply, doc403, doc404, doc422, doc422Amount,
		`{"data":{"roomNumber":"IG00001","balance":157,"bonus":0,"fullNameKa":"სახელი გვარი","fullNameEn":"Name Lastname"}}`,
		`{"data":[{"amount":0,"currency":"USD"},{"amount":"150","currency":"EUR"}]}`,
		"<html>", "", `"x"`, `{"data":null}`, `{"errors":{"general":"x"}}`, `{"data":{"totalDebt":1e3}}`,
	} {
		f.Add(200, b)
		f.Add(422, b)
	}
	f.Fuzz(func(t *testing.T, status int, body string) {
		if status < 200 || status > 599 {
			status = 200 + (status%400+400)%400
		}
		mt := httpmock.NewMockTransport()
		mt.RegisterNoResponder(httpmock.NewStringResponder(status, body))
		c, err := NewClient("tok", WithBaseURL(testBase), WithHTTPClient(&http.Client{Transport: mt}), WithRetry(0, time.Millisecond, time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		check := func(err error) {
			if err == nil {
				if status >= 300 {
					t.Fatalf("status %d accepted", status)
				}
				return
			}
			e, ok := err.(*Error)
			if !ok {
				t.Fatalf("not an *Error: %T %v", err, err)
			}
			if e.StatusCode != status {
				t.Fatalf("status %d, want %d", e.StatusCode, status)
			}
			if len(e.Body) > 3*512 || !utf8.ValidString(e.Error()) {
				t.Fatalf("bad excerpt or message")
			}
		}
		_, err = c.PayDebt(ctx, &PayDebtRequest{RoomNumber: "IG00001", PaymentID: "1"})
		check(err)
		_, err = c.TopUpBalance(ctx, &TopUpRequest{RoomNumber: "IG00001", Amount: 1, PaymentID: "1"})
		check(err)
		_, err = c.DebtDetail(ctx, &DebtDetailRequest{RoomNumber: "IG00001"})
		check(err)
		_, err = c.Customer(ctx, "IG00001")
		check(err)
		_, err = c.Wallet(ctx, "IG00001")
		check(err)
	})
}

// FuzzDecodeErrorBody checks the error-body decoder alone: no panic, and
// the documented shapes read back what they hold.
func FuzzDecodeErrorBody(f *testing.F) {
	for _, b := range []string{doc403, doc404, doc422, doc422Amount, `"bare"`, `{"errors":["a",1]}`, `{`, ""} {
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		msg, general, fields := decodeErrorBody(body)
		for _, g := range general {
			if g == "" {
				t.Fatal("empty general message")
			}
		}
		for k, v := range fields {
			if k == "general" || len(v) == 0 {
				t.Fatalf("field %q: %v", k, v)
			}
		}
		var probe struct {
			Message string `json:"message"`
		}
		if json.Unmarshal(body, &probe) == nil && probe.Message != msg {
			t.Fatalf("message %q, want %q", msg, probe.Message)
		}
	})
}

// FuzzValidate checks that the validators never panic and that whatever
// they accept fits the documented limits.
func FuzzValidate(f *testing.F) {
	f.Add("IG00001", "", "INV0001", int64(100))
	f.Add("", "TY7200934421231", strings.Repeat("ჯ", 255), int64(1_000_000))
	f.Add("..", "", "", int64(0))
	f.Fuzz(func(t *testing.T, room, waybill, pid string, amount int64) {
		if checkRoomOrWaybill(room, waybill) == nil && blank(room) && blank(waybill) {
			t.Fatal("accepted neither number")
		}
		if checkPaymentID(pid) == nil && (blank(pid) || utf8.RuneCountInString(pid) > 255 || !utf8.ValidString(pid)) {
			t.Fatalf("accepted payment id %q", pid)
		}
		if checkRoomPath(room) == nil && (room == ".." || room == "." || strings.ContainsAny(room, "/?#")) {
			t.Fatalf("accepted room %q in a path", room)
		}
		mt := httpmock.NewMockTransport()
		mt.RegisterNoResponder(httpmock.ConnectionFailure)
		c, _ := NewClient("tok", WithBaseURL(testBase), WithHTTPClient(&http.Client{Transport: mt}), WithRetry(0, 0, 0))
		_, err := c.TopUpBalance(context.Background(), &TopUpRequest{RoomNumber: room, Amount: amount, PaymentID: pid})
		if (amount < 1 || amount > 1_000_000) && err != nil {
			if _, sent := err.(*Error); sent {
				t.Fatalf("sent amount %d", amount)
			}
		}
	})
}

// FuzzDecodeParcels feeds arbitrary bodies and statuses to the decoders of
// the parcel and location calls, with the seeds under
// testdata/fuzz/FuzzDecodeParcels: a typed result or an *Error keeping the
// status, never a panic.
func FuzzDecodeParcels(f *testing.F) {
	f.Fuzz(func(t *testing.T, status int, body string) {
		if status < 200 || status > 599 {
			status = 200 + (status%400+400)%400
		}
		mt := httpmock.NewMockTransport()
		mt.RegisterNoResponder(httpmock.NewStringResponder(status, body))
		c, err := NewClient("tok", WithBaseURL(testBase), WithHTTPClient(&http.Client{Transport: mt}), WithRetry(0, time.Millisecond, time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		check := func(err error) {
			if err == nil {
				if status >= 300 {
					t.Fatalf("status %d accepted", status)
				}
				return
			}
			e, ok := err.(*Error)
			if !ok {
				t.Fatalf("not an *Error: %T %v", err, err)
			}
			if e.StatusCode != status {
				t.Fatalf("status %d, want %d", e.StatusCode, status)
			}
			if !utf8.ValidString(e.Error()) {
				t.Fatalf("bad message")
			}
		}
		p, err := c.ParcelDetail(ctx, "W1")
		check(err)
		if err == nil && p == nil {
			t.Fatal("nil parcel without an error")
		}
		h, err := c.LogisticHistory(ctx, &LogisticHistoryRequest{WaybillNumber: "W1", AcceptLanguage: English})
		check(err)
		if err == nil && h == nil {
			t.Fatal("nil history without an error")
		}
		created, err := c.CreateParcel(ctx, &CreateParcelRequest{WaybillNumbers: []string{"W1"}, Status: ParcelCreated,
			ShipmentType: ByAir, DeliveryType: PickupInStore, PickupLocationID: "1",
			Receiver:    Receiver{PersonalID: "1", Firstname: "A", Lastname: "B", PhoneNumber: "5"},
			Declaration: Declaration{SourceURL: "https://x.example"}})
		check(err)
		if err == nil && (created.Parcel == nil || created.StatusCode != status) {
			t.Fatal("created parcel without its parcel or status")
		}
		page, err := c.PickupLocations(ctx, nil)
		check(err)
		if err == nil {
			for _, l := range page.Locations {
				if l == nil {
					t.Fatal("nil location")
				}
			}
		}
	})
}
