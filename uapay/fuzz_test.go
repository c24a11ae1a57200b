package uapay

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/caravanpay/caravan/internal/transport"
)

var fuzzReplies = []string{
	`{"status": 1, "data": {"id": "edacfce8-eb97-4f4f-8fa2-0fb044932ac3"}}`,
	`{"status":"1","id":"00684a7f-3d5c-43f4-b4d1-ea994226be9c"}`,
	`{"status":1,"data":{"id":"00684a7f-3d5c-43f4-b4d1-ea994226be9c"}}`,
	`{"status":0,"error":{"code":"FORMAT_ERROR","message":"…","fields":{"params":{"clientId":"REQUIRED"},"data":{}}}}`,
	`{"error":{"code":"TIMELIMIT_ERROR"}}`,
	`{"status":1,"data":{"token":"eyJhbGciOiJIUzI1NiJ9.e30.x"}}`,
	`{"status":1,"data":{"id":"x","invoiceStatus":"ACTIVE","extraInfo":{"a":1},"createdAt":"2019-11-01T04:30:47+0300","payments":[{"paymentId":"p","amount":"5","payDate":1572571860000}]}}`,
	`<html></html>`, ``, `"s"`, `{"status":1,"data":`, `{"status":1,"data":null}`,
}

// FuzzDecodeReply feeds arbitrary bodies through the reply and error
// decoders: they may fail, never panic, and every failure is an *Error.
func FuzzDecodeReply(f *testing.F) {
	for _, s := range fuzzReplies {
		f.Add(s)
	}
	c := &Client{keys: &signer{key: []byte("k")}, now: time.Now}
	f.Fuzz(func(t *testing.T, body string) {
		resp := &transport.Response{Status: 200, Body: []byte(body)}
		r, err := c.decodeReply(resp)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error of type %T", err)
			}
			_ = err.Error()
			return
		}
		var inv wireInvoice
		if r.decode(&inv) == nil {
			_ = inv.invoice()
		}
		_ = newError(&transport.Error{Kind: ErrValidation, Status: 400, Body: []byte(body)}).Error()
	})
}

// FuzzVerify checks that no token verifies without the key's signature and
// that verification never panics.
func FuzzVerify(f *testing.F) {
	s := &signer{key: []byte("k")}
	f.Add(s.sign([]byte(`{"paymentId":"p"}`)))
	f.Add("eyJhbGciOiJub25lIn0.e30.")
	f.Add("a.b.c")
	f.Fuzz(func(t *testing.T, token string) {
		claims, err := s.verify(token, time.Now())
		if err == nil && len(claims) == 0 {
			t.Fatal("verified with no claims")
		}
		if err == nil {
			// whatever the header, it verified: the signature must be the key's
			parts := strings.Split(token, ".")
			sig, _ := decodeSegment(parts[2])
			if string(sig) != string(s.mac(parts[0]+"."+parts[1])) {
				t.Fatal("verified a token not signed with the key")
			}
		}
		if c, err := (&Client{keys: s, now: time.Now}).parseCallbackBody([]byte(`{"token":` + quote(token) + `}`)); err == nil && c == nil {
			t.Fatal("nil callback without error")
		}
	})
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

// FuzzPAN checks masking and validation of card numbers.
func FuzzPAN(f *testing.F) {
	for _, s := range []string{"4134170000010886", "4134170000010887", "1234", "", "41341700000108860000", "abcdefghijklmnop"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := PAN(s)
		m := p.Masked()
		if len(s) >= 13 && len(m) == len(s) && m == s && strings.Count(s, "*") != len(s) {
			t.Fatalf("not masked: %q", m)
		}
		if len(s) >= 13 && allDigits(s) && m[6:len(m)-4] != strings.Repeat("*", len(s)-10) {
			t.Fatalf("middle digits shown: %q", m)
		}
		if p.Validate() == nil && (len(s) < 13 || len(s) > 19 || !allDigits(s)) {
			t.Fatalf("accepted %q", s)
		}
	})
}

// FuzzValidators runs the request validators and the time decoder.
func FuzzValidators(f *testing.F) {
	for _, s := range []string{"00684a7f-3d5c-43f4-b4d1-ea994226be9c", "https://uapay.ua", `{"a":1}`, `"1572571860"`, `"2019-11-01T04:30:47.797+0300"`, "1572571860000", "null"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = checkUUID("id", s)
		_ = checkURL("url", s)
		_, _ = extraInfoText("extraInfo", json.RawMessage(s))
		_ = checkText("tag", s, 10)
		var ft flexTime
		_ = ft.UnmarshalJSON([]byte(s))
		_ = objectJSON(json.RawMessage(s))
		_ = flatten(json.RawMessage(s))
	})
}
