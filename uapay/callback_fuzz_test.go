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

// FuzzCheckClaims compares checkClaims with a reference built on
// encoding/json's tokenizer: both accept the same documents, and exp and
// nbf are found by their exact names.
func FuzzCheckClaims(f *testing.F) {
	for _, s := range []string{`{"a":1,"b":{"a":2}}`, `{"a":1,"a":2}`, `{"a":{"b":1,"b":2}}`, `{"\u0061":1,"a":2}`,
		`{"exp":1,"EXP":"x"}`, `{"x":[[[[{"y":1}]]]]}`, `{"a":"\"}"}`, `{} `, `[]`, `{"a":1}{}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		got, err := checkClaims(doc)
		want := referenceCheck(doc)
		if (err == nil) != want {
			t.Fatalf("checkClaims(%q) = %v, reference accepts: %v", doc, err, want)
		}
		if err != nil {
			return
		}
		var top map[string]json.RawMessage
		if json.Unmarshal(doc, &top) != nil {
			t.Fatalf("accepted %q", doc)
		}
		if !bytes.Equal(bytes.TrimSpace(top["exp"]), got.exp) || !bytes.Equal(bytes.TrimSpace(top["nbf"]), got.nbf) {
			t.Fatalf("exp/nbf of %q: %q %q", doc, got.exp, got.nbf)
		}
	})
}

// referenceCheck is checkClaims written on json.Decoder.Token.
func referenceCheck(doc []byte) bool {
	doc = bytes.Trim(doc, " \t\r\n")
	if len(doc) == 0 || doc[0] != '{' || !json.Valid(doc) {
		return false
	}
	type frame struct {
		keys    map[string]bool
		wantKey bool
	}
	var stack []frame
	dec := json.NewDecoder(bytes.NewReader(doc))
	done := func() {
		if n := len(stack); n > 0 && stack[n-1].keys != nil {
			stack[n-1].wantKey = true
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return true // io.EOF: json.Valid vouched for the rest
		}
		if n := len(stack); n > 0 && stack[n-1].keys != nil && stack[n-1].wantKey {
			if tok == json.Delim('}') {
				stack = stack[:n-1]
				done()
				continue
			}
			k := tok.(string)
			if stack[n-1].keys[k] {
				return false
			}
			stack[n-1].keys[k] = true
			stack[n-1].wantKey = false
			continue
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			if len(stack) >= maxClaimDepth {
				return false
			}
			f := frame{}
			if tok == json.Delim('{') {
				f = frame{keys: map[string]bool{}, wantKey: true}
			}
			stack = append(stack, f)
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			done()
		default:
			done()
		}
	}
}
