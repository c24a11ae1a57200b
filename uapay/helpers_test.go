package uapay_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/caravanpay/caravan/uapay"
	"github.com/caravanpay/caravan/uapay/uapaytest"
)

const (
	mockBase  = "https://api.example.test/uapay/"
	sessionID = "00684a7f-3d5c-43f4-b4d1-ea994226be9c"
	invoiceID = "065f927e-f78f-4d9a-ad07-cef58c16ca96"
	cardID    = "b8220f46-8c28-4068-9488-2e1b37359b06"
	seedPAN   = "4134170000010886"
)

var fixedNow = time.Unix(1700000000, 0)

func fixedClock() time.Time { return fixedNow }

// recorded is one request a mock responder saw.
type recorded struct {
	Method string
	URL    string
	Header http.Header
	Body   []byte
}

// mock is an httpmock transport that records requests.
type mock struct {
	*httpmock.MockTransport
	mu   sync.Mutex
	reqs []recorded
}

func newMock(t *testing.T) *mock {
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Fatal))
	return &mock{MockTransport: mt}
}

// on answers POST path (below mockBase) with the given replies in turn;
// the last one repeats.
func (m *mock) on(path string, replies ...reply) {
	n := 0
	m.RegisterResponder(http.MethodPost, mockBase+path, func(r *http.Request) (*http.Response, error) {
		body, _ := io.ReadAll(r.Body)
		m.mu.Lock()
		m.reqs = append(m.reqs, recorded{r.Method, r.URL.String(), r.Header.Clone(), body})
		rep := replies[min(n, len(replies)-1)]
		n++
		m.mu.Unlock()
		resp := httpmock.NewStringResponse(rep.status, rep.body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	})
}

func (m *mock) requests() []recorded {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]recorded(nil), m.reqs...)
}

type reply struct {
	status int
	body   string
}

func ok(body string) reply { return reply{200, body} }

const sessionReply = `{"status":"1","id":"` + sessionID + `"}`

func mockClient(t *testing.T, m *mock, opts ...uapay.Option) *uapay.Client {
	t.Helper()
	base := []uapay.Option{
		uapay.WithBaseURL(mockBase),
		uapay.WithHTTPClient(&http.Client{Transport: m}),
		uapay.WithRetry(3, time.Millisecond, 5*time.Millisecond),
		uapay.WithClock(fixedClock),
	}
	c, err := uapay.NewClient(uapaytest.ClientID, uapaytest.SignKey, append(base, opts...)...)
	require.NoError(t, err)
	return c
}

func fakeClient(t *testing.T, srv *uapaytest.Server, opts ...uapay.Option) *uapay.Client {
	t.Helper()
	base := []uapay.Option{uapay.WithBaseURL(srv.URL), uapay.WithRetry(3, time.Millisecond, 5*time.Millisecond)}
	c, err := uapay.NewClient(uapaytest.ClientID, uapaytest.SignKey, append(base, opts...)...)
	require.NoError(t, err)
	return c
}

// splitBody returns a signed request body's token and the body with the
// token's value replaced by "T".
func splitBody(t *testing.T, body []byte) (token, rest string) {
	t.Helper()
	var v struct {
		Token string `json:"token"`
	}
	require.NoError(t, json.Unmarshal(body, &v))
	require.NotEmpty(t, v.Token)
	return v.Token, strings.Replace(string(body), v.Token, "T", 1)
}

// openJWT checks an HS256 token against the fake's key and returns its
// header and claims.
func openJWT(t *testing.T, token string) (header, claims string) {
	t.Helper()
	parts := strings.Split(token, ".")
	require.Len(t, parts, 3)
	h, err := base64.RawURLEncoding.DecodeString(parts[0])
	require.NoError(t, err)
	c, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	require.NoError(t, err)
	m := hmac.New(sha256.New, []byte(uapaytest.SignKey))
	m.Write([]byte(parts[0] + "." + parts[1]))
	require.True(t, hmac.Equal(sig, m.Sum(nil)), "signature does not verify")
	return string(h), string(c)
}

// token builds a JWT with any header and key, for forged tokens.
func token(header, claims, key string) string {
	enc := base64.RawURLEncoding.EncodeToString
	unsigned := enc([]byte(header)) + "." + enc([]byte(claims))
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(unsigned))
	return unsigned + "." + enc(m.Sum(nil))
}
