package transport

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	testPAN    = "4134170000010886"
	testToken  = "tok-3f9a1c77e2"
	testProxy  = "proxy-key-5b7d"
	testSecret = "sign-key-90ab"
)

// switchingProtocols answers every request with 101 and then holds the
// connection open for hold.
func switchingProtocols(t *testing.T, hold time.Duration, calls *atomic.Int32) *httptest.Server {
	t.Helper()
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		_, _ = buf.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n")
		_ = buf.Flush()
		select {
		case <-time.After(hold):
		case <-done:
		}
	}))
	t.Cleanup(func() { close(done); srv.Close() })
	return srv
}

func TestSwitchingProtocolsIsRefusedAtOnce(t *testing.T) {
	for _, class := range []Class{Idempotent, Unsafe} {
		t.Run(class.String(), func(t *testing.T) {
			var calls atomic.Int32
			srv := switchingProtocols(t, 5*time.Second, &calls)
			c := newLive(t, srv.URL, NoAuth())
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			start := time.Now()
			_, err := c.Do(ctx, &Request{Method: "POST", Path: "/x", Body: &Body{Bytes: []byte("{}")}, Class: class})
			took := time.Since(start)
			require.Error(t, err)
			assert.Less(t, took, 1500*time.Millisecond, "the call must not wait for the server to close the switched connection")
			assert.ErrorIs(t, err, errUpgrade)
			assert.Contains(t, err.Error(), "HTTP 101")
			assert.Equal(t, int32(1), calls.Load(), "a protocol switch is not retried")
			if class == Unsafe {
				assert.ErrorIs(t, err, ErrOutcomeUnknown, "the request was sent")
			}
		})
	}
}

func TestRedirectLocationTokenStaysOutOfErrorsAndReferer(t *testing.T) {
	var referers []string
	var mu sync.Mutex
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		referers = append(referers, r.Header.Get("Referer"))
		mu.Unlock()
		hj, _ := w.(http.Hijacker)
		conn, _, _ := hj.Hijack()
		conn.Close() // no reply: the error names the URL
	}))
	defer other.Close()
	home := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/x" {
			http.Redirect(w, r, "/hop?session=loc-secret-1&x=1", http.StatusFound)
			return
		}
		http.Redirect(w, r, strings.Replace(other.URL, "http://", "http://user:loc-secret-2@", 1)+"/land?token=loc-secret-3", http.StatusFound)
	}))
	defer home.Close()
	c := newLive(t, home.URL, Bearer(testToken), WithRetry(1, time.Millisecond, time.Millisecond))
	_, err := c.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	require.Error(t, err)
	text := fmt.Sprintf("%v %+v", err, err)
	for _, s := range []string{"loc-secret-1", "loc-secret-2", "loc-secret-3", testToken} {
		assert.NotContains(t, text, s)
	}
	mu.Lock()
	defer mu.Unlock()
	require.NotEmpty(t, referers)
	for _, r := range referers {
		assert.Empty(t, r, "no Referer to another host")
	}
}

func TestUnparsableLocationIsNotRetriedNorQuoted(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header()["Location"] = []string{"http://[::1/%zz?token=loc-secret-4"}
		w.WriteHeader(http.StatusFound)
	}))
	defer srv.Close()
	c := newLive(t, srv.URL, NoAuth())
	_, err := c.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "loc-secret-4")
	assert.Equal(t, int32(1), calls.Load(), "an unparsable Location is not retried")
}

func TestTLSHandshakeFailureIsNotRetried(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	var conns atomic.Int32
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			// Answer the ClientHello with plain text: not a TLS record.
			_, _ = bufio.NewReader(conn).Peek(1)
			_, _ = io.WriteString(conn, "HTTP/1.1 400 Bad Request\r\n\r\n")
			conn.Close()
		}
	}()
	c := newLive(t, "https://"+ln.Addr().String(), NoAuth())
	_, err = c.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrNetwork)
	assert.Equal(t, int32(1), conns.Load(), "a TLS failure is not retried: %v", err)
}

func TestEchoedSecretsAndCardNumbersAreScrubbed(t *testing.T) {
	echo := fmt.Sprintf(`{"message":"bad token %s, key %s, proxy %s, session sess-77aa, card %s / 4134 1700 0001 0886 / 4134-1700-0001-0886"}`,
		testToken, testSecret, testProxy, testPAN)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "rid-"+testToken)
		w.Header().Set("X-Echo", testPAN)
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, echo)
	}))
	defer srv.Close()
	c := newLive(t, srv.URL, Bearer(testToken), WithHeader("X-Proxy-Key", testProxy),
		func(cfg *Config) { cfg.Secrets = []string{testSecret} })
	c.Redact("sess-77aa")
	_, err := c.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	var te *Error
	require.ErrorAs(t, err, &te)
	all := fmt.Sprintf("%v|%+v|%s|%s|%s|%s|%v", err, te, te.Body, te.Excerpt, te.Message, te.RequestID, te.Header)
	for _, s := range []string{testToken, testSecret, testProxy, "sess-77aa", testPAN, "4134 1700 0001 0886", "4134-1700-0001-0886"} {
		assert.NotContains(t, all, s)
	}
	assert.Contains(t, te.Excerpt, "************0886", "the last four digits stay")
	assert.Contains(t, te.Excerpt, Redacted)

	// A 2xx the provider fails through Response.Fail is scrubbed alike.
	r := &Response{Status: 200, Body: []byte(echo), scrub: c.scrub}
	fe := r.Fail(ErrUnexpectedResponse, "message "+testToken, errors.New("cause "+testPAN))
	all = fmt.Sprintf("%v|%s|%s", fe, fe.Body, fe.Message)
	for _, s := range []string{testToken, testSecret, testProxy, testPAN} {
		assert.NotContains(t, all, s)
	}
}

func TestScrubPANShapes(t *testing.T) {
	cases := map[string]string{
		"4134170000010886":            "************0886",
		"x 4134 1700 0001 0886 y":     "x **** **** **** 0886 y",
		`"pan":"4134-1700-0001-0886"`: `"pan":"****-****-****-0886"`,
		"TY7200934421231":             "TY7200934421231",      // a waybill: glued to letters, fails Luhn
		"card4134170000010886":        "card************0886", // glued, but a card number
		"123456789012":                "123456789012",         // 12 digits
		"12345678901234567890":        "12345678901234567890",
		"id 1234567890123":            "id *********0123",
	}
	for in, want := range cases {
		b := []byte(in)
		ScrubPANs(b)
		assert.Equal(t, want, string(b), in)
	}
}

func TestDotAndEmptySegmentsAreRefusedBeforeSending(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1) }))
	defer srv.Close()
	c := newLive(t, srv.URL, NoAuth())
	for _, p := range []string{".", "..", ""} {
		_, err := c.Do(context.Background(), &Request{Method: "POST", Path: Path("/payments/%s", p)})
		assert.ErrorIs(t, err, ErrInvalidRequest, "%q", p)
		_, err = c.Do(context.Background(), &Request{Method: "POST", Path: Path("/payments/%s/collect", p)})
		assert.ErrorIs(t, err, ErrInvalidRequest, "%q", p)
		assert.NotEmpty(t, SegmentProblem(p))
	}
	for _, p := range []string{"...", ".a", "a.", "%2e"} {
		assert.NoError(t, checkPath(Path("/payments/%s", p)), p)
		assert.Empty(t, SegmentProblem(p))
	}
	assert.Equal(t, int32(0), calls.Load())
}

// stallReader announces nothing and never delivers: the first Read fails.
type stallReader struct{}

func (stallReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func TestAnnouncedSizeIsNotPreallocated(t *testing.T) {
	const limit = 10 << 20
	b, err := readCapped(stallReader{}, limit, limit-100)
	require.Error(t, err)
	assert.LessOrEqual(t, cap(b), maxPrealloc, "a Content-Length near the cap must not allocate the cap up front")
	b, err = readCapped(strings.NewReader(strings.Repeat("x", 200_000)), limit, 200_000)
	require.NoError(t, err)
	assert.Len(t, b, 200_000, "a larger body still reads in full as it arrives")
	assert.Equal(t, MaxResponseHeaderBytes, int(pooledTransport().MaxResponseHeaderBytes))
}

func TestLongRetryAfterEndsTheCallAtOnce(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", "60")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	c := newLive(t, srv.URL, NoAuth(), WithRetry(3, time.Millisecond, 5*time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	start := time.Now()
	_, err := c.Do(ctx, &Request{Method: "GET", Path: "/x"})
	assert.Less(t, time.Since(start), 2*time.Second, "ends at once, never an early retry")
	assert.ErrorIs(t, err, ErrRateLimited)
	var te *Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 60*time.Second, te.RetryAfter)
	assert.Equal(t, 1, te.Attempts)
	assert.Equal(t, int32(1), calls.Load())
}

func TestRetryAfterLongerThanMaxWaitIsHonouredWhenTheDeadlineAllows(t *testing.T) {
	var calls atomic.Int32
	var first, second atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			first.Store(time.Now().UnixNano())
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		second.Store(time.Now().UnixNano())
		_, _ = io.WriteString(w, "{}")
	}))
	defer srv.Close()
	c := newLive(t, srv.URL, NoAuth(), WithRetry(3, time.Millisecond, 5*time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := c.Do(ctx, &Request{Method: "GET", Path: "/x"})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Duration(second.Load()-first.Load()), 900*time.Millisecond,
		"Retry-After: 1 is waited out although the longest wait is 5 ms")
}

func TestRetryBudgetBoundsAnOutage(t *testing.T) {
	var sent atomic.Int64
	var healthy atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent.Add(1)
		if healthy.Load() {
			_, _ = io.WriteString(w, "{}")
			return
		}
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	c := newLive(t, srv.URL, NoAuth(), WithRetry(3, time.Microsecond, time.Microsecond))
	const calls = 2000
	var wg sync.WaitGroup
	var next atomic.Int64
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= calls {
				_, _ = c.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
			}
		}()
	}
	wg.Wait()
	ratio := float64(sent.Load()) / calls
	t.Logf("outage: %d requests for %d calls (%.3f per call)", sent.Load(), calls, ratio)
	assert.LessOrEqual(t, ratio, 1.1)
	assert.LessOrEqual(t, c.budget.tokens.Load(), int64(RetryCost), "the bucket is spent")

	// Successes refill the bucket.
	healthy.Store(true)
	for i := 0; i < 2*RetryBudgetCapacity; i++ {
		_, err := c.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
		require.NoError(t, err)
	}
	assert.Equal(t, int64(RetryBudgetCapacity), c.budget.tokens.Load())
	healthy.Store(false)
	before := sent.Load()
	_, err := c.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	require.Error(t, err)
	assert.Equal(t, int64(4), sent.Load()-before, "with a full bucket a failed call is retried again")
}

func TestLogLinesCarryNoLocationToken(t *testing.T) {
	var logs strings.Builder
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/x" {
			w.Header()["Location"] = []string{"http://[::1/%zz?token=log-secret-1"}
			w.WriteHeader(http.StatusFound)
			return
		}
	}))
	defer srv.Close()
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hj, _ := w.(http.Hijacker)
		conn, _, _ := hj.Hijack()
		conn.Close()
	}))
	defer other.Close()
	c := newLive(t, srv.URL, Bearer(testToken), WithLogger(slog.New(slog.NewTextHandler(lockedWriter{&mu, &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	_, err := c.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	require.Error(t, err)
	c2 := newLive(t, other.URL, Bearer(testToken), WithLogger(slog.New(slog.NewTextHandler(lockedWriter{&mu, &logs}, nil))))
	_, err = c2.Do(context.Background(), &Request{Method: "GET", Path: "/y", Query: url.Values{"token": {"log-secret-2"}}})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "log-secret-2", "the query stays out of the error")
	mu.Lock()
	defer mu.Unlock()
	require.NotEmpty(t, logs.String())
	for _, s := range []string{"log-secret-1", "log-secret-2", testToken} {
		assert.NotContains(t, logs.String(), s)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *strings.Builder
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}
