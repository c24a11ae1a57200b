package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newMocked builds a client over an httpmock transport with fast retries.
func newMocked(t *testing.T, base string, auth Auth, settings ...Setting) (*Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Fatal))
	cfg := Config{BaseURL: base, Provider: "test", Auth: auth, HTTPClient: &http.Client{Transport: mt},
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond}
	for _, s := range settings {
		s(&cfg)
	}
	c, err := New(cfg)
	require.NoError(t, err)
	return c, mt
}

// newLive builds a client for an httptest server with fast retries.
func newLive(t *testing.T, base string, auth Auth, settings ...Setting) *Client {
	t.Helper()
	cfg := Config{BaseURL: base, Provider: "test", Auth: auth,
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond}
	for _, s := range settings {
		s(&cfg)
	}
	c, err := New(cfg)
	require.NoError(t, err)
	return c
}

type seen struct {
	method, url, contentType, accept, ua, auth, apiToken, proxy string
	body                                                        []byte
}

func recordInto(dst *seen, status int, body string) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		dst.method, dst.url = r.Method, r.URL.String()
		dst.contentType, dst.accept = r.Header.Get("Content-Type"), r.Header.Get("Accept")
		dst.ua, dst.auth, dst.apiToken = r.Header.Get("User-Agent"), r.Header.Get("Authorization"), r.Header.Get("X-Api-Token")
		dst.proxy = r.Header.Get("X-Proxy-Key")
		if r.Body != nil {
			dst.body, _ = io.ReadAll(r.Body)
		}
		return httpmock.NewStringResponse(status, body), nil
	}
}

func TestBasePathIsKeptAndWireIsExact(t *testing.T) {
	c, mt := newMocked(t, "https://api-staging.inex.ge/api/v1/", Bearer("tok"))
	var got seen
	mt.RegisterResponder("POST", "https://api-staging.inex.ge/api/v1/integrators/payments/debts/pay",
		recordInto(&got, 200, `{"data":{"transactionId":1}}`))
	body, err := JSON(map[string]string{"paymentId": "IN<0001>"})
	require.NoError(t, err)
	resp, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/integrators/payments/debts/pay", Body: &body})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.Status)
	assert.Equal(t, 1, resp.Attempts)
	assert.Equal(t, `{"data":{"transactionId":1}}`, string(resp.Body))
	assert.Equal(t, "POST", got.method)
	assert.Equal(t, "Bearer tok", got.auth)
	assert.Equal(t, "application/json", got.contentType)
	assert.Equal(t, "application/json", got.accept)
	assert.Equal(t, "caravan-go/"+Version+" (test)", got.ua)
	assert.Equal(t, `{"paymentId":"IN<0001>"}`, string(got.body))
	assert.Equal(t, "https://api-staging.inex.ge/api/v1", c.BaseURL())
}

func TestPathParametersAreEscaped(t *testing.T) {
	assert.Equal(t, "/payments/a%2Fb%3Fc/collect", Path("/payments/%s/collect", "a/b?c"))
	c, mt := newMocked(t, "https://resid.ir/api/v1", RawAuthorization("code"))
	var got seen
	mt.RegisterResponder("GET", `=~^https://resid\.ir/api/v1/payments/`, recordInto(&got, 200, `{}`))
	_, err := c.Do(context.Background(), &Request{Method: "GET", Path: Path("/payments/%s", "a b/c")})
	require.NoError(t, err)
	assert.Equal(t, "https://resid.ir/api/v1/payments/a%20b%2Fc", got.url)
	assert.Equal(t, "code", got.auth)
}

func TestHeadersPerAuthAndMedia(t *testing.T) {
	c, mt := newMocked(t, "https://ap.example", HeaderAuth("x-api-token", "secret-token"),
		WithUserAgent("mine/1"), WithHeader("X-Proxy-Key", "pk"))
	var got seen
	mt.RegisterResponder("PATCH", "https://ap.example/api/v3/resellers/1/payments/6475", recordInto(&got, 200, `{}`))
	body, err := JSONAPI(map[string]any{"data": map[string]any{"attributes": map[string]int{"payment_method_id": 2}}})
	require.NoError(t, err)
	q, err := Values(struct {
		Include string `url:"include,omitempty"`
	}{"orders"})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), &Request{Method: "PATCH", Path: "/api/v3/resellers/1/payments/6475",
		Body: &body, Accept: MediaJSONAPI, Query: q})
	require.NoError(t, err)
	assert.Equal(t, "secret-token", got.apiToken)
	assert.Empty(t, got.auth)
	assert.Equal(t, MediaJSONAPI, got.contentType)
	assert.Equal(t, MediaJSONAPI, got.accept)
	assert.Equal(t, "mine/1", got.ua)
	assert.Equal(t, "pk", got.proxy)
	assert.Equal(t, "https://ap.example/api/v3/resellers/1/payments/6475?include=orders", got.url)
	assert.Equal(t, `{"data":{"attributes":{"payment_method_id":2}}}`, string(got.body))
}

func TestNoAuthSendsNoCredential(t *testing.T) {
	c, mt := newMocked(t, "http://10.0.0.1:8090", NoAuth())
	var got seen
	mt.RegisterResponder("GET", "http://10.0.0.1:8090/x", recordInto(&got, 200, `{}`))
	_, err := c.Do(context.Background(), &Request{Method: "GET", Path: "x"})
	require.NoError(t, err)
	assert.Empty(t, got.auth)
	assert.Empty(t, got.contentType)
}

func TestBaseURLValidation(t *testing.T) {
	for _, base := range []string{"", "ftp://x", "https://", "https://user:pw@host", "://bad", "https://h/%zz"} {
		_, err := New(Config{BaseURL: base})
		assert.ErrorIs(t, err, ErrInvalidRequest, base)
		assert.NotContains(t, fmt.Sprint(err), "pw", base)
	}
}

func TestRetryCountsPerClass(t *testing.T) {
	cases := []struct {
		name     string
		class    Class
		status   int
		attempts int
		kind     error
		unknown  bool
	}{
		// A POST changes state: a 5xx other than 501/503 after the last
		// retry leaves the outcome unknown, whatever the class.
		{"idempotent 500 retried", Idempotent, 500, 4, ErrServer, true},
		{"idempotent 502 retried", Idempotent, 502, 4, ErrServer, true},
		{"idempotent 501 not retried", Idempotent, 501, 1, ErrServer, false},
		{"idempotent 503 retried", Idempotent, 503, 4, ErrServer, false},
		{"idempotent 408 retried", Idempotent, 408, 4, ErrUnexpectedResponse, false},
		{"idempotent 429 retried", Idempotent, 429, 4, ErrRateLimited, false},
		{"idempotent 404 not retried", Idempotent, 404, 1, ErrNotFound, false},
		{"idempotent 422 not retried", Idempotent, 422, 1, ErrValidation, false},
		{"idempotent 401 not retried", Idempotent, 401, 1, ErrUnauthorized, false},
		{"idempotent 409 not retried", Idempotent, 409, 1, ErrConflict, false},
		{"idempotent 302 not retried", Idempotent, 302, 1, ErrUnexpectedResponse, true},
		{"reconciled 500 not retried", Reconciled, 500, 1, ErrServer, true},
		{"reconciled 503 retried", Reconciled, 503, 4, ErrServer, false},
		{"unsafe 500 not retried", Unsafe, 500, 1, ErrServer, true},
		{"unsafe 502 not retried", Unsafe, 502, 1, ErrServer, true},
		{"unsafe 504 not retried", Unsafe, 504, 1, ErrServer, true},
		{"unsafe 408 not retried", Unsafe, 408, 1, ErrUnexpectedResponse, false},
		{"unsafe 503 retried", Unsafe, 503, 4, ErrServer, false},
		{"unsafe 429 retried", Unsafe, 429, 4, ErrRateLimited, false},
		{"unsafe 501 not retried", Unsafe, 501, 1, ErrServer, false},
		{"unsafe 304 not retried", Unsafe, 304, 1, ErrUnexpectedResponse, true},
		{"read 500 retried", Read, 500, 4, ErrServer, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newMocked(t, "https://p.example", NoAuth())
			mt.RegisterResponder("POST", "https://p.example/pay", httpmock.NewStringResponder(tc.status, `{"error":"x"}`))
			_, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/pay", Class: tc.class})
			var te *Error
			require.ErrorAs(t, err, &te)
			assert.Equal(t, tc.attempts, mt.GetTotalCallCount())
			assert.Equal(t, tc.attempts, te.Attempts)
			assert.Equal(t, tc.status, te.Status)
			assert.ErrorIs(t, err, tc.kind)
			assert.Equal(t, tc.unknown, errors.Is(err, ErrOutcomeUnknown))
			assert.Equal(t, `{"error":"x"}`, string(te.Body))
		})
	}
}

func TestRetryThenSuccess(t *testing.T) {
	c, mt := newMocked(t, "https://p.example", NoAuth())
	mt.RegisterResponder("POST", "https://p.example/pay", httpmock.ResponderFromMultipleResponses([]*http.Response{
		httpmock.NewStringResponse(503, "busy"), httpmock.NewStringResponse(200, `{"ok":true}`)}))
	resp, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/pay", Class: Unsafe})
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
	assert.Equal(t, `{"ok":true}`, string(resp.Body))
}

func TestRetryDisabled(t *testing.T) {
	c, mt := newMocked(t, "https://p.example", NoAuth(), WithRetry(0, 0, 0))
	mt.RegisterResponder("GET", "https://p.example/x", httpmock.NewStringResponder(503, "busy"))
	_, err := c.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	assert.ErrorIs(t, err, ErrServer)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestConnectionErrorBeforeSendingIsRetriedEvenWhenUnsafe(t *testing.T) {
	c, mt := newMocked(t, "https://p.example", NoAuth())
	// The error proves the connection never opened (a dial error): the
	// request never left, so even an unsafe call is sent again.
	mt.RegisterResponder("POST", "https://p.example/pay", httpmock.NewErrorResponder(
		&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}))
	_, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/pay", Class: Unsafe})
	var te *Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 4, mt.GetTotalCallCount())
	assert.ErrorIs(t, err, ErrNetwork)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, 0, te.Status)
	assert.Contains(t, err.Error(), "connection refused")
}

// hangUpAfterRead reads the request and closes the connection without a reply.
func hangUpAfterRead(calls *atomic.Int32) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		_, _ = io.ReadAll(r.Body)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}
}

func TestCutAfterSendingUnsafeIsOutcomeUnknown(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(hangUpAfterRead(&calls))
	defer srv.Close()
	c := newLive(t, srv.URL, Bearer("tok"))
	body, _ := JSON(map[string]int{"a": 1})
	_, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/pay", Class: Unsafe, Body: &body})
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, int32(1), calls.Load(), "an unsafe call must not be sent twice")
}

func TestCutAfterSendingIdempotentIsRetried(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(hangUpAfterRead(&calls))
	defer srv.Close()
	c := newLive(t, srv.URL, Bearer("tok"))
	_, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/pay", Class: Idempotent})
	assert.ErrorIs(t, err, ErrNetwork)
	// every attempt reached the server: a write's outcome is unknown, and
	// (idempotent) safe to repeat
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.True(t, SafeToRepeat(err))
	assert.Equal(t, int32(4), calls.Load())

	// the same cut to a read is a plain network failure
	calls.Store(0)
	_, err = c.Do(context.Background(), &Request{Method: "GET", Path: "/x", Class: Idempotent})
	assert.ErrorIs(t, err, ErrNetwork)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, int32(4), calls.Load())
}

// truncating answers with a Content-Length longer than the body it sends.
func truncating(calls *atomic.Int32) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if n > 1 && r.URL.Query().Get("heal") == "1" {
			_, _ = io.WriteString(w, `{"ok":true}`)
			return
		}
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"data\":{\"tr")
		_ = buf.Flush()
	}
}

func TestTruncatedReply(t *testing.T) {
	t.Run("unsafe: outcome unknown, sent once", func(t *testing.T) {
		var calls atomic.Int32
		srv := httptest.NewServer(truncating(&calls))
		defer srv.Close()
		_, err := newLive(t, srv.URL, NoAuth()).Do(context.Background(), &Request{Method: "POST", Path: "/pay", Class: Unsafe})
		var te *Error
		require.ErrorAs(t, err, &te)
		assert.ErrorIs(t, err, ErrOutcomeUnknown)
		assert.Equal(t, 200, te.Status)
		assert.Equal(t, `{"data":{"tr`, te.Excerpt)
		assert.Equal(t, int32(1), calls.Load())
	})
	t.Run("idempotent: retried until whole", func(t *testing.T) {
		var calls atomic.Int32
		srv := httptest.NewServer(truncating(&calls))
		defer srv.Close()
		resp, err := newLive(t, srv.URL, NoAuth()).Do(context.Background(),
			&Request{Method: "GET", Path: "/x", Query: map[string][]string{"heal": {"1"}}})
		require.NoError(t, err)
		assert.Equal(t, `{"ok":true}`, string(resp.Body))
		assert.Equal(t, 2, resp.Attempts)
	})
}

func TestBodyCap(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := bytes.Repeat([]byte("a"), 64<<10)
		for i := 0; i < 64; i++ { // 4 MiB
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	c := newLive(t, srv.URL, NoAuth(), WithMaxBodyBytes(1<<20))
	_, err := c.Do(context.Background(), &Request{Method: "GET", Path: "/big"})
	var te *Error
	require.ErrorAs(t, err, &te)
	assert.ErrorIs(t, err, ErrUnexpectedResponse)
	assert.Equal(t, 200, te.Status)
	assert.Contains(t, err.Error(), "exceeds the size limit of 1048576 bytes")
	assert.LessOrEqual(t, len(te.Body), ExcerptLimit)
}

func TestHTMLErrorPageKeepsStatusAndExcerpt(t *testing.T) {
	c, mt := newMocked(t, "https://p.example", NoAuth())
	page := "<html>\n  <body><h1>502 Bad Gateway</h1>\n</body></html>" + strings.Repeat(" pad", 300)
	mt.RegisterResponder("GET", "https://p.example/x", httpmock.NewStringResponder(404, page))
	_, err := c.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	var te *Error
	require.ErrorAs(t, err, &te)
	assert.ErrorIs(t, err, ErrNotFound)
	assert.Equal(t, 404, te.Status)
	assert.True(t, strings.HasPrefix(te.Excerpt, "<html> <body><h1>502 Bad Gateway</h1> </body></html> pad"))
	assert.LessOrEqual(t, len(te.Excerpt), ExcerptLimit)
	assert.Contains(t, err.Error(), "GET /x: not found (HTTP 404)")
}

func TestRequestIDIsKept(t *testing.T) {
	c, mt := newMocked(t, "https://p.example", NoAuth())
	mt.RegisterResponder("GET", "https://p.example/x", func(*http.Request) (*http.Response, error) {
		r := httpmock.NewStringResponse(409, "{}")
		r.Header.Set("X-Request-Id", "req-42")
		return r, nil
	})
	_, err := c.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	var te *Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "req-42", te.RequestID)
}

func TestRetryAfterIsHonoured(t *testing.T) {
	var calls atomic.Int32
	var gap atomic.Int64
	var last atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := time.Now().UnixNano()
		if prev := last.Swap(now); prev != 0 {
			gap.Store(now - prev)
		}
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(429)
			return
		}
		_, _ = io.WriteString(w, "{}")
	}))
	defer srv.Close()
	c := newLive(t, srv.URL, NoAuth(), WithRetry(3, time.Millisecond, 2*time.Second))
	resp, err := c.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
	assert.GreaterOrEqual(t, time.Duration(gap.Load()), 900*time.Millisecond)
}

func TestBackoffPolicy(t *testing.T) {
	withHeader := func(v string) *http.Response {
		return &http.Response{StatusCode: 503, Header: http.Header{"Retry-After": {v}}}
	}
	assert.Equal(t, 2*time.Second, backoff(time.Millisecond, 5*time.Second, 0, withHeader("2")))
	assert.Equal(t, 120*time.Second, backoff(time.Millisecond, 5*time.Second, 0, withHeader("120")),
		"never cut short: checkRetry gives up instead when the deadline does not allow it")
	date := time.Now().Add(3 * time.Second).UTC().Format(http.TimeFormat)
	d := backoff(time.Millisecond, 5*time.Second, 0, withHeader(date))
	assert.InDelta(t, float64(3*time.Second), float64(d), float64(1100*time.Millisecond))
	past := time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)
	assert.Equal(t, 250*time.Millisecond, backoff(250*time.Millisecond, 5*time.Second, 0, withHeader(past)))
	for _, bad := range []string{"soon", "-3", ""} {
		_, ok := retryAfter(withHeader(bad), time.Now())
		assert.False(t, ok, bad)
	}
	for attempt := 0; attempt < 10; attempt++ {
		w := backoff(250*time.Millisecond, 5*time.Second, attempt, nil)
		ceiling := expWait(250*time.Millisecond, 5*time.Second, attempt)
		assert.LessOrEqual(t, w, ceiling)
		assert.GreaterOrEqual(t, w, ceiling/2)
	}
	assert.Equal(t, 5*time.Second, expWait(250*time.Millisecond, 5*time.Second, 30))
}

func TestCancelDuringBackoff(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "5")
		w.WriteHeader(503)
	}))
	defer srv.Close()
	c := newLive(t, srv.URL, NoAuth(), WithRetry(3, time.Millisecond, 5*time.Second))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.Do(ctx, &Request{Method: "GET", Path: "/x"})
	assert.Less(t, time.Since(start), 2*time.Second)
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, ErrServer, "the last reply's status is kept")
	var te *Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 503, te.Status)
}

func TestDeadlineShorterThanWaitGivesUpAtOnce(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "5")
		w.WriteHeader(503)
	}))
	defer srv.Close()
	c := newLive(t, srv.URL, NoAuth(), WithRetry(3, time.Millisecond, 5*time.Second))
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	start := time.Now()
	_, err := c.Do(ctx, &Request{Method: "GET", Path: "/x"})
	assert.Less(t, time.Since(start), 500*time.Millisecond)
	var te *Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 503, te.Status)
	assert.Equal(t, 1, te.Attempts)
}

func TestDefaultTimeoutApplies(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c := newLive(t, srv.URL, NoAuth(), WithTimeout(100*time.Millisecond))
	start := time.Now()
	_, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/slow", Class: Unsafe})
	assert.Less(t, time.Since(start), time.Second)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
}

func TestRedirectsNeverCarryCredentialsToAnotherHost(t *testing.T) {
	for _, status := range []int{301, 302, 303, 307, 308} {
		for _, auth := range []Auth{Bearer("tok-secret"), HeaderAuth("X-Api-Token", "tok-secret"), RawAuthorization("tok-secret")} {
			t.Run(fmt.Sprintf("%d %s", status, auth.HeaderName()), func(t *testing.T) {
				var leaked atomic.Value
				var reached atomic.Int32
				leaked.Store("")
				other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					reached.Add(1)
					b, _ := io.ReadAll(r.Body)
					leaked.Store(r.Header.Get("Authorization") + r.Header.Get("X-Api-Token") + r.Header.Get("X-Proxy-Key") + string(b))
					_, _ = io.WriteString(w, "{}")
				}))
				defer other.Close()
				home := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, other.URL+"/elsewhere", status)
				}))
				defer home.Close()
				c := newLive(t, home.URL, auth, WithHeader("X-Proxy-Key", "proxy-secret"))
				body, _ := JSON(map[string]string{"pan": "4134170000010886"})
				resp, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/pay", Body: &body})
				assert.Empty(t, leaked.Load())
				if status == 307 || status == 308 {
					// the body would be replayed to the other host: refused
					var te *Error
					require.ErrorAs(t, err, &te)
					assert.Equal(t, status, te.Status)
					assert.Equal(t, 1, te.Attempts, "not retried")
					assert.Contains(t, err.Error(), "refused a redirect that would resend the request body to another host")
					assert.Equal(t, int32(0), reached.Load())
					return
				}
				require.NoError(t, err)
				assert.Equal(t, 200, resp.Status)
				assert.Equal(t, int32(1), reached.Load())
			})
		}
	}
}

func TestSameHostRedirectKeepsCredentialsAndBody(t *testing.T) {
	var got atomic.Value
	got.Store("")
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			http.Redirect(w, r, srv.URL+"/new", http.StatusTemporaryRedirect)
			return
		}
		b, _ := io.ReadAll(r.Body)
		got.Store(r.Method + " " + r.Header.Get("X-Api-Token") + " " + string(b))
		_, _ = io.WriteString(w, "{}")
	}))
	defer srv.Close()
	c := newLive(t, srv.URL, HeaderAuth("X-Api-Token", "tok"))
	body, _ := JSON(map[string]int{"a": 1})
	_, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/old", Body: &body})
	require.NoError(t, err)
	assert.Equal(t, `POST tok {"a":1}`, got.Load())
}

func TestRedirectLoopFailsClearly(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, srv.URL+"/loop", http.StatusFound)
	}))
	defer srv.Close()
	_, err := newLive(t, srv.URL, NoAuth()).Do(context.Background(), &Request{Method: "GET", Path: "/loop"})
	assert.ErrorIs(t, err, ErrUnexpectedResponse)
	assert.Contains(t, err.Error(), "(HTTP 302): Get")
	assert.Contains(t, err.Error(), "stopped after 10 redirects")
}

func TestCallersClientIsNotModified(t *testing.T) {
	mt := httpmock.NewMockTransport()
	hc := &http.Client{Transport: mt}
	_, err := New(Config{BaseURL: "https://x.example", HTTPClient: hc})
	require.NoError(t, err)
	assert.Nil(t, hc.CheckRedirect)
	assert.Same(t, mt, hc.Transport)
	assert.Nil(t, http.DefaultClient.CheckRedirect)
}

func TestLoggerRecordsAttemptsAndNoSecrets(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, mt := newMocked(t, "https://p.example", Bearer("tok-very-secret"), WithLogger(logger))
	mt.RegisterResponder("POST", "https://p.example/pay", httpmock.ResponderFromMultipleResponses([]*http.Response{
		httpmock.NewStringResponse(503, "busy"), httpmock.NewStringResponse(200, `{"card":"4134170000010886"}`)}))
	body, _ := JSON(map[string]string{"pan": "4134170000010886"})
	_, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/pay", Body: &body})
	require.NoError(t, err)
	out := buf.String()
	assert.Equal(t, 2, strings.Count(out, `"msg":"caravan http attempt"`))
	assert.Contains(t, out, `"method":"POST"`)
	assert.Contains(t, out, `"path":"/pay"`)
	assert.Contains(t, out, `"status":503`)
	assert.Contains(t, out, `"status":200`)
	assert.Contains(t, out, `"attempt":2`)
	assert.NotContains(t, out, "tok-very-secret")
	assert.NotContains(t, out, "4134170000010886")
}

func TestAuthRedactsItself(t *testing.T) {
	a := Bearer("tok-very-secret")
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "auth", a)
	c, err := New(Config{BaseURL: "https://x.example", Auth: a})
	require.NoError(t, err)
	for _, s := range []string{fmt.Sprint(a), fmt.Sprintf("%+v", a), fmt.Sprintf("%#v", a), buf.String(),
		fmt.Sprintf("%v", Config{Auth: a}), fmt.Sprintf("%d %s %x %q", a, a, a, a),
		fmt.Sprintf("%v %+v %#v %d %s %x %q", c, c, c, c, c, c, c),
		// a provider's Client holds *Client in an unexported field, which fmt
		// prints by reflection for verbs it has no method for
		fmt.Sprintf("%v %+v %#v %s %x %q", wrapper{c}, wrapper{c}, wrapper{c}, wrapper{c}, wrapper{c}, wrapper{c})} {
		assert.NotContains(t, s, "tok-very-secret")
	}
	assert.Equal(t, "none", NoAuth().String())
}

type wrapper struct{ t *Client }

func TestEncoders(t *testing.T) {
	type form struct {
		Amount      int64  `url:"amount"`
		Merchant    string `url:"merchant"`
		AutoCollect *bool  `url:"auto_collect,omitempty"`
	}
	b, err := Form(form{Amount: 10000, Merchant: "faSDF42w3Fs"})
	require.NoError(t, err)
	assert.Equal(t, MediaForm, b.ContentType)
	assert.Equal(t, "amount=10000&merchant=faSDF42w3Fs", string(b.Bytes))
	v, err := Values(nil)
	require.NoError(t, err)
	assert.Nil(t, v)
	_, err = Values(42)
	assert.Error(t, err)
	_, err = Form(42)
	assert.Error(t, err)
	_, err = JSON(make(chan int))
	assert.Error(t, err)
}

func TestKindForStatus(t *testing.T) {
	for status, kind := range map[int]error{401: ErrUnauthorized, 403: ErrUnauthorized, 404: ErrNotFound, 410: ErrNotFound,
		400: ErrValidation, 422: ErrValidation, 409: ErrConflict, 429: ErrRateLimited, 500: ErrServer, 599: ErrServer,
		302: ErrUnexpectedResponse, 418: ErrUnexpectedResponse} {
		assert.Equal(t, kind, KindForStatus(status), status)
	}
}

func TestExcerpt(t *testing.T) {
	assert.Equal(t, "a b", Excerpt([]byte(" a \n\t b ")))
	assert.Equal(t, "a\uFFFDb\uFFFD", Excerpt([]byte("a\xffb\x01")))
	assert.Len(t, Excerpt(bytes.Repeat([]byte("x"), 2000)), ExcerptLimit)
	assert.Equal(t, "", Excerpt(nil))
	assert.LessOrEqual(t, len(Excerpt(bytes.Repeat([]byte{0xff}, 2000))), ExcerptLimit, "replacement runes are 3 bytes each")
}

func TestInvalid(t *testing.T) {
	err := Invalid("paymentId", "must be at most %d characters", 255)
	assert.ErrorIs(t, err, ErrInvalidRequest)
	assert.Equal(t, "invalid request: paymentId: must be at most 255 characters", err.Error())
}

func TestClassString(t *testing.T) {
	assert.Equal(t, "idempotent", Idempotent.String())
	assert.Equal(t, "reconciled", Reconciled.String())
	assert.Equal(t, "unsafe", Unsafe.String())
	assert.Equal(t, "class(9)", Class(9).String())
}

func TestResponseFail(t *testing.T) {
	c, mt := newMocked(t, "https://p.example", NoAuth())
	mt.RegisterResponder("GET", "https://p.example/x", httpmock.NewStringResponder(200, `"Счет уже передан в оплату"`))
	resp, err := c.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	require.NoError(t, err)
	e := resp.Fail(ErrValidation, "provider said no", errors.New("cause"))
	assert.ErrorIs(t, e, ErrValidation)
	assert.Equal(t, 200, e.Status)
	assert.Equal(t, `"Счет уже передан в оплату"`, e.Excerpt)
	assert.Equal(t, `GET /x: rejected by provider validation (HTTP 200): provider said no: cause; body: "\"Счет уже передан в оплату\""`, e.Error())
}

func TestReadCapped(t *testing.T) {
	b, err := readCapped(strings.NewReader(strings.Repeat("x", 5000)), 5000, -1)
	require.NoError(t, err)
	assert.Len(t, b, 5000)
	b, err = readCapped(strings.NewReader(strings.Repeat("x", 5000)), 6000, 5000)
	require.NoError(t, err)
	assert.Len(t, b, 5000)
	assert.Equal(t, 5001, cap(b), "a known length is read in one allocation")
	b, err = readCapped(strings.NewReader(strings.Repeat("x", 5000)), 6000, 10)
	require.NoError(t, err)
	assert.Len(t, b, 5000, "a wrong hint only costs growth")
	b, err = readCapped(strings.NewReader(strings.Repeat("x", 5001)), 5000, 5001)
	assert.ErrorIs(t, err, errBodyTooLarge)
	assert.Len(t, b, ExcerptLimit)
	b, err = readCapped(strings.NewReader("abc"), 2, -1)
	assert.ErrorIs(t, err, errBodyTooLarge)
	assert.Equal(t, "abc", string(b))
	_, err = readCapped(iotestErr{}, 10, -1)
	assert.ErrorContains(t, err, "read response body: boom")
}

type iotestErr struct{}

func (iotestErr) Read([]byte) (int, error) { return 0, errors.New("boom") }

func TestRebuildMakesAFreshBodyForEachRetry(t *testing.T) {
	var bodies []string
	c, mt := newMocked(t, "https://p.example", NoAuth())
	mt.RegisterResponder("POST", "https://p.example/sign", func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, fmt.Sprintf("%s/%d", b, r.ContentLength))
		if len(bodies) < 3 {
			return httpmock.NewStringResponse(503, ""), nil
		}
		return httpmock.NewStringResponse(200, "{}"), nil
	})
	n := 0
	first := &Body{ContentType: MediaJSON, Bytes: []byte(`{"iat":0}`)}
	_, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/sign", Body: first, Rebuild: func() (*Body, error) {
		n++
		return &Body{ContentType: MediaJSON, Bytes: []byte(fmt.Sprintf(`{"iat":%d0}`, n))}, nil
	}})
	require.NoError(t, err)
	assert.Equal(t, []string{`{"iat":0}/9`, `{"iat":10}/10`, `{"iat":20}/10`}, bodies)

	bodies = nil

	_, err = c.Do(context.Background(), &Request{Method: "POST", Path: "/sign", Body: first, Rebuild: func() (*Body, error) {
		return nil, errors.New("no key")
	}})
	assert.ErrorContains(t, err, "rebuild request body: no key")
}

func TestIsUUID(t *testing.T) {
	for _, ok := range []string{"00684a7f-3d5c-43f4-b4d1-ea994226be9c", "60D367B5-15D2-D24D-8A74-A28F40C8CB9D"} {
		assert.True(t, IsUUID(ok), ok)
	}
	for _, bad := range []string{"", "{60D367B5-15D2-D24D-8A74-A28F40C8CB9D}", "60D367B5-15D2-D24D-8A74-A28F40C8CB9", "60D367B5x15D2-D24D-8A74-A28F40C8CB9D",
		"60D367B5-15D2-D24D-8A74-A28F40C8CB9G", "60D367B515D2-D24D-8A74-A28F40C8CB9D0"} {
		assert.False(t, IsUUID(bad), bad)
	}
}
