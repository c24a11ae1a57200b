package uapay

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// FuzzCallbackClaims signs arbitrary claims with the key and parses them as
// a callback: it never panics, a callback is returned only for one JSON
// object without repeated keys, every field read comes from its exact
// claim name, and the delivery key does not depend on the token's text.
func FuzzCallbackClaims(f *testing.F) {
	for _, s := range []string{
		`{"paymentId":"p","invoiceId":"i","amount":100}`,
		`{"paymentId":"p","amount":100,"Amount":999999}`,
		`{"paymentId":"p","amount":100,"amount":999999}`,
		`{"id":"p","orderId":"o","number":"n","cardPanMasked":"413417******0886","createDate":"1572571847797"}`,
		`{"paymentId":"p","extraInfo":{"a":{"b":[1,2,{"c":null}]}}}`,
		`{"paymentId":"p","exp":"soon"}`,
		`[[[[[[[[]]]]]]]]`,
		`{"paymentId":"p"} {"paymentId":"q"}`,
	} {
		f.Add([]byte(s), int64(1))
	}
	key := &signer{key: []byte("fuzz-key")}
	c := &Client{keys: key, now: func() time.Time { return time.Unix(1700000000, 0) }}
	f.Fuzz(func(t *testing.T, claims []byte, iat int64) {
		cb, err := c.parseCallbackBody([]byte(`{"token":` + quote(key.sign(claims)) + `}`))
		if err != nil {
			if cb != nil {
				t.Fatal("a callback with an error")
			}
			return
		}
		if cb == nil {
			t.Fatal("nil callback without error")
		}
		if !json.Valid(claims) || bytes.TrimSpace(claims)[0] != '{' {
			t.Fatalf("accepted claims that are not one JSON object: %q", claims)
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(claims, &fields); err != nil {
			t.Fatal(err)
		}
		if cb.PaymentID != "" && fields["paymentId"] == nil && fields["id"] == nil {
			t.Fatalf("PaymentID %q read from a claim of another name: %q", cb.PaymentID, claims)
		}
		if cb.Amount != 0 && fields["amount"] == nil {
			t.Fatalf("Amount %d read from a claim of another name: %q", cb.Amount, claims)
		}
		if countKey(claims, `"amount"`) > 1 || countKey(claims, `"paymentId"`) > 1 {
			t.Fatalf("accepted a repeated key: %q", claims)
		}
		// the same claims with another iat: the same key
		withIat := append(bytes.TrimRight(bytes.TrimSpace(claims), "}"), []byte(`,"iat_fuzz":`+strings.TrimSpace(string(mustJSON(iat)))+`}`)...)
		if bytes.Equal(bytes.TrimSpace(claims), []byte("{}")) {
			return
		}
		again, err := c.parseCallbackBody([]byte(`{"token":` + quote(key.sign(withIat)) + `}`))
		if err == nil && again.DeliveryKey() != cb.DeliveryKey() {
			t.Fatalf("the delivery key changed with an unrelated claim: %q", claims)
		}
	})
}

// countKey counts the occurrences of key followed by a colon, a rough
// check (a value may spell the key too, which only makes it stricter).
func countKey(doc []byte, key string) int {
	n := 0
	for i := 0; ; {
		j := bytes.Index(doc[i:], []byte(key))
		if j < 0 {
			return n
		}
		rest := bytes.TrimLeft(doc[i+j+len(key):], " \t\r\n")
		if len(rest) > 0 && rest[0] == ':' {
			n++
		}
		i += j + len(key)
	}
}

func mustJSON(v any) []byte { b, _ := json.Marshal(v); return b }
