package transport

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// FuzzScrub checks that no credential and no card-number shaped run
// survives the scrubber, whatever surrounds it.
func FuzzScrub(f *testing.F) {
	f.Add([]byte(`{"message":"token tok-3f9a1c77e2 card 4134170000010886"}`), "tok-3f9a1c77e2")
	f.Add([]byte("4134 1700 0001 0886"), "Bearer x-y-z-w")
	f.Add([]byte("card4134170000010886 TY7200934421231"), "sess")
	f.Add([]byte("12345678901234567890 1234-5678-9012-3"), "abcd")
	f.Fuzz(func(t *testing.T, body []byte, secret string) {
		s := newScrubber(&Config{Auth: RawAuthorization(secret)})
		out := s.bytes(body)
		secret = strings.TrimSpace(secret)
		if len(secret) >= minSecretLen && !strings.ContainsAny(secret, "[]*") &&
			!strings.Contains(Redacted, secret) && bytes.Contains(out, []byte(secret)) {
			// A secret may only survive where masking itself spelled it.
			if !bytes.Contains(bytes.ReplaceAll(body, []byte(secret), nil), []byte(secret)) {
				t.Fatalf("secret %q survives in %q", secret, out)
			}
		}
		if hasPANRun(out) {
			t.Fatalf("a card-number run survives in %q", out)
		}
		if len(s.static) == 0 && len(out) != len(body) {
			t.Fatalf("masking card numbers changed the length: %q → %q", body, out)
		}
	})
}

// FuzzStripURL checks that a URL shown in an error never carries user
// information, a query or a fragment, and that an unparsable Location is
// never quoted.
func FuzzStripURL(f *testing.F) {
	f.Add("https://user:pw@gw.example/cb?token=secret#frag")
	f.Add("http://[::1/%zz?token=loc-secret")
	f.Add("/relative?x=1")
	f.Add("mailto:a@b")
	f.Fuzz(func(t *testing.T, raw string) {
		out := StripURL(raw)
		if u, err := url.Parse(out); err == nil && out != raw {
			if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
				t.Fatalf("%q kept user, query or fragment: %q", raw, out)
			}
		}
		if strings.ContainsAny(raw, "?#@") && strings.Contains(out, "?") {
			t.Fatalf("%q kept a query: %q", raw, out)
		}
		ue := &url.Error{Op: "Get", URL: raw, Err: fmt.Errorf("failed to parse Location header %q: bad", raw)}
		err := cleanNetErr(ue)
		if len(raw) >= 8 && strings.Contains(err.Error(), raw) && !strings.Contains(out, raw) {
			t.Fatalf("the Location is quoted: %v", err)
		}
		if !errors.Is(err, errBadLocation) {
			t.Fatalf("an unparsable Location is not marked: %v", err)
		}
	})
}
