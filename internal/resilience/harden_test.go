package resilience

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/caravanpay/caravan/internal/transport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The card number the hostile servers echo, in the shapes a reply may use.
var echoedPANs = []string{"4134170000010886", "4134 1700 0001 0886", "4134-1700-0001-0886"}

// everyField renders an error through fmt and slog and adds the transport
// error's raw fields, which %#v shows only as an address.
func everyField(err error) string {
	out := formatted(err)
	var te *transport.Error
	if errors.As(err, &te) {
		out += fmt.Sprintf("\n%s\n%s\n%s\n%s\n%v", te.Body, te.Excerpt, te.Message, te.RequestID, te.Header)
		if te.Cause != nil {
			out += "\n" + te.Cause.Error()
		}
	}
	return out
}

// echoReplies are error replies in each provider's shapes whose every text
// repeats what the client sent: its header values, its body and card
// numbers.
func echoReplies(echo string) map[string]string {
	e, _ := json.Marshal(echo)
	q := string(e)
	return map[string]string{
		"inex/resid shape": `{"message":` + q + `,"errors":{"general":[` + q + `],"roomNumber":[` + q + `]}}`,
		"json:api shape":   `{"errors":[{"status":"422","title":` + q + `,"detail":` + q + `,"source":{"pointer":"/data/attributes/x"}}]}`,
		"uapay shape":      `{"status":0,"error":{"code":"ECHO","message":` + q + `,"fields":{"pan":` + q + `}}}`,
		"resid list shape": `{"message":` + q + `,"info":null,"errors":[` + q + `]}`,
		"plain text":       echo,
	}
}

// echoRequest collects every header value and the body of r.
func echoRequest(r *http.Request) string {
	var parts []string
	for k, vs := range r.Header {
		parts = append(parts, k+": "+strings.Join(vs, ","))
	}
	sort.Strings(parts)
	body, _ := io.ReadAll(r.Body)
	parts = append(parts, string(body), r.URL.String())
	parts = append(parts, echoedPANs...)
	return strings.Join(parts, " | ")
}

// TestEchoedSecretsNeverReachErrors answers every provider's call with
// error replies that repeat the request's credentials and card numbers, in
// every provider's error shape and with several statuses, and looks for
// them in every field of the error.
func TestEchoedSecretsNeverReachErrors(t *testing.T) {
	leaks, checked := 0, 0
	for _, s := range subjects(t) {
		for _, status := range []int{200, 400, 401, 422, 500} {
			for shape := range echoReplies("") {
				t.Run(fmt.Sprintf("%s/%d/%s", s.name, status, shape), func(t *testing.T) {
					srv := serve(s, func(w http.ResponseWriter, r *http.Request) {
						echo := echoRequest(r)
						w.Header().Set("X-Request-Id", echo[:min(len(echo), 100)])
						w.Header().Set("X-Echo", echo)
						w.WriteHeader(status)
						_, _ = io.WriteString(w, echoReplies(echo)[shape])
					})
					defer srv.Close()
					err := callSubject(t, s, srv.URL, 5*time.Second)
					if err == nil {
						return // a 200 the call could read as success carries no error to leak into
					}
					all := everyField(err)
					checked++
					for _, secret := range append(append([]string{uapaySessionID}, s.secrets...), echoedPANs...) {
						if strings.Contains(all, secret) {
							leaks++
							t.Errorf("the error shows %q: %.300s", secret, err)
						}
					}
				})
			}
		}
	}
	t.Logf("echoed secrets: %d errors checked, %d credentials or full card numbers found", checked, leaks)
}

// TestRedirectLocationTokenReachesNoErrorAndNoOtherHost redirects every
// call through a same-host hop whose Location carries a token, then to a
// second host whose URL carries user information and a token. The error
// must show neither, and the second host must get no Referer.
func TestRedirectLocationTokenReachesNoErrorAndNoOtherHost(t *testing.T) {
	const locToken = "gateway-token-7f3e9"
	for _, s := range subjects(t) {
		t.Run(s.name, func(t *testing.T) {
			var mu sync.Mutex
			var seen []string
			other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				seen = append(seen, fmt.Sprintf("%s %v", r.URL, r.Header))
				mu.Unlock()
				w.WriteHeader(http.StatusNotFound)
			}))
			defer other.Close()
			home := serve(s, func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				if r.URL.Query().Get("session") == "" {
					http.Redirect(w, r, r.URL.Path+"?session="+locToken, http.StatusFound)
					return
				}
				far := strings.Replace(other.URL, "http://", "http://admin:"+locToken+"@", 1)
				http.Redirect(w, r, far+"/land?token="+locToken, http.StatusFound)
			})
			defer home.Close()
			err := callSubject(t, s, home.URL, 5*time.Second)
			require.Error(t, err)
			assert.True(t, s.typed(err), "untyped error %T: %v", err, err)
			assert.NotContains(t, everyField(err), locToken)
			mu.Lock()
			defer mu.Unlock()
			require.NotEmpty(t, seen, "the second host was reached")
			for _, req := range seen {
				assert.NotContains(t, req, "Referer", "no Referer to another host")
				for _, secret := range s.secrets {
					assert.NotContains(t, req, secret)
				}
			}
		})
	}
}
