package transport

import (
	"context"
	"errors"
	"io"
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

// blind wraps another RoundTripper the way otelhttp does: it passes the
// request on and never fires httptrace hooks of its own.
type blind struct {
	next  http.RoundTripper
	calls atomic.Int32
}

func (b *blind) RoundTrip(r *http.Request) (*http.Response, error) {
	b.calls.Add(1)
	return b.next.RoundTrip(r)
}

// lost is a RoundTripper that "sends" the request and loses the reply,
// with an error that does not say whether the request left.
type lost struct{ calls atomic.Int32 }

func (l *lost) RoundTrip(r *http.Request) (*http.Response, error) {
	l.calls.Add(1)
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
	}
	return nil, errors.New("connection reset by peer")
}

func TestTraceBlindTransportNeverResendsAnUnsafeCallWhoseReplyWasLost(t *testing.T) {
	rt := &lost{}
	c := newLive(t, "https://p.example", NoAuth(), WithHTTPClient(&http.Client{Transport: &blind{next: rt}}))
	body, _ := JSON(map[string]int{"a": 1})
	_, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/pay", Class: Unsafe, Body: &body})
	require.Error(t, err)
	assert.Equal(t, int32(1), rt.calls.Load(), "an unsafe call whose reply was lost must be sent once")
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.False(t, SafeToRepeat(err))

	// a reconciled call is not resent by the transport either: its
	// provider package looks first
	rt.calls.Store(0)
	_, err = c.Do(context.Background(), &Request{Method: "PATCH", Path: "/pay", Class: Reconciled, Body: &body})
	assert.Equal(t, int32(1), rt.calls.Load())
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.True(t, SafeToRepeat(err))
}

func TestTraceBlindTransportResendsOnlyWhenTheErrorProvesTheRequestNeverLeft(t *testing.T) {
	for name, cause := range map[string]error{
		"dial":    &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED},
		"dns":     &net.DNSError{Err: "no such host", Name: "p.example", IsNotFound: true},
		"refused": syscall.ECONNREFUSED,
	} {
		t.Run(name, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			n := 0
			mt.RegisterResponder("POST", "https://p.example/pay", func(*http.Request) (*http.Response, error) {
				n++
				if n < 3 {
					return nil, cause
				}
				return httpmock.NewStringResponse(200, `{"ok":true}`), nil
			})
			c := newLive(t, "https://p.example", NoAuth(), WithHTTPClient(&http.Client{Transport: &blind{next: mt}}))
			resp, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/pay", Class: Unsafe})
			require.NoError(t, err)
			assert.Equal(t, 3, resp.Attempts)
		})
	}
}

func TestCancelWhileReadingA200IsOutcomeUnknown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(200)
		_, _ = io.WriteString(w, `{"transactionId":`)
		w.(http.Flusher).Flush()
		cancel() // the caller gives up while the body is on its way
		<-r.Context().Done()
	}))
	defer srv.Close()
	c := newLive(t, srv.URL, NoAuth())
	for _, cl := range []Class{Unsafe, Idempotent, Reconciled} {
		_, err := c.Do(ctx, &Request{Method: "POST", Path: "/pay", Class: cl})
		if calls.Load() == 0 {
			continue // the context was done before this call: nothing was sent
		}
		require.Error(t, err)
		assert.ErrorIs(t, err, ErrOutcomeUnknown, "class %v", cl)
		assert.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, int32(1), calls.Load())
		calls.Store(0)
		ctx, cancel = context.WithCancel(context.Background())
	}
	// and for a read it is a plain failure
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	_, err := c.Do(ctx, &Request{Method: "GET", Path: "/x"})
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestContextDoneBeforeTheCallSendsNothing(t *testing.T) {
	c, mt := newMocked(t, "https://p.example", NoAuth())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Do(ctx, &Request{Method: "POST", Path: "/pay", Class: Unsafe})
	assert.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	assert.True(t, SafeToRepeat(err))
	assert.Equal(t, 0, mt.GetTotalCallCount())
}

func TestLastRetrys503DoesNotHideAnEarlierAttemptThatMayHaveApplied(t *testing.T) {
	c, mt := newMocked(t, "https://p.example", NoAuth())
	mt.RegisterResponder("POST", "https://p.example/pay", httpmock.ResponderFromMultipleResponses([]*http.Response{
		httpmock.NewStringResponse(502, "<html>bad gateway</html>"),
		httpmock.NewStringResponse(503, "busy"), httpmock.NewStringResponse(503, "busy"),
		httpmock.NewStringResponse(503, "busy")}))
	_, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/pay", Class: Idempotent})
	var te *Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 503, te.Status)
	assert.Equal(t, 4, te.Attempts)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.True(t, SafeToRepeat(err), "idempotent: safe to repeat")
	assert.Contains(t, err.Error(), "outcome unknown")
}

func TestOddAndUnreadableRepliesToWritesAreOutcomeUnknown(t *testing.T) {
	for _, status := range []int{99, 101, 300, 304, 500, 504, 599} {
		c, mt := newMocked(t, "https://p.example", NoAuth())
		mt.RegisterResponder("POST", "https://p.example/pay", httpmock.NewStringResponder(status, ""))
		_, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/pay", Class: Unsafe})
		assert.ErrorIs(t, err, ErrOutcomeUnknown, "HTTP %d", status)
		assert.False(t, SafeToRepeat(err))
	}

	// a 2xx past the body cap
	c, mt := newMocked(t, "https://p.example", NoAuth(), WithMaxBodyBytes(16))
	mt.RegisterResponder("POST", "https://p.example/pay", httpmock.NewStringResponder(200, strings.Repeat("x", 64)))
	_, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/pay", Class: Unsafe})
	assert.ErrorIs(t, err, ErrUnexpectedResponse)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	mt.RegisterResponder("GET", "https://p.example/x", httpmock.NewStringResponder(200, strings.Repeat("x", 64)))
	_, err = c.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a read never is")

	// a 2xx the provider cannot decode (HTML, empty, half a document)
	mt.RegisterResponder("POST", "https://p.example/ok", httpmock.NewStringResponder(200, "<html>"))
	resp, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/ok", Class: Idempotent})
	require.NoError(t, err)
	assert.ErrorIs(t, resp.Fail(ErrUnexpectedResponse, "undecodable", nil), ErrOutcomeUnknown)
	// the provider's own definitive refusal in a 2xx is not
	assert.NotErrorIs(t, resp.Fail(ErrValidation, "refused", nil), ErrOutcomeUnknown)
}

func TestAttemptTimeoutCoversTheBodyAndRetriesAnIdempotentCall(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Content-Length", "100")
			w.WriteHeader(200)
			w.(http.Flusher).Flush()
			<-r.Context().Done() // the body never comes
			return
		}
		_, _ = io.WriteString(w, `{"ok":true}`)
	}))
	defer srv.Close()
	c := newLive(t, srv.URL, NoAuth(), WithAttemptTimeout(50*time.Millisecond))
	resp, err := c.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
	assert.Equal(t, `{"ok":true}`, string(resp.Body))
}

func TestReconciledAttemptLeavesTimeToLook(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // the reply is held past the caller's deadline
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c := newLive(t, srv.URL, NoAuth())
	ctx, cancel := context.WithTimeout(context.Background(), 600*time.Millisecond)
	defer cancel()
	_, err := c.Do(ctx, &Request{Method: "PATCH", Path: "/pay", Class: Reconciled})
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.NoError(t, ctx.Err(), "the attempt must give up while the caller's context still has time to look")
}

func TestOddStatusLinesFromARealServerAreOutcomeUnknownForWrites(t *testing.T) {
	for _, line := range []string{"HTTP/1.1 000 Nothing", "HTTP/1.1 099 Odd", "HTTP/1.1 101 Switching Protocols", "HTTP/1.1 300 Multiple Choices", "HTTP/1.1 304 Not Modified"} {
		t.Run(line, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				_, _ = io.Copy(io.Discard, r.Body)
				conn, buf, err := w.(http.Hijacker).Hijack()
				if err != nil {
					return
				}
				defer conn.Close()
				_, _ = buf.WriteString(line + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
				_ = buf.Flush()
			}))
			defer srv.Close()
			c := newLive(t, srv.URL, NoAuth())
			_, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/pay", Class: Unsafe})
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrOutcomeUnknown)
			assert.Equal(t, int32(1), calls.Load(), "never resent")
			_, err = c.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
			assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a read never is")
		})
	}
}

func TestOnlyAnAttemptWhoseOwnTimeRanOutIsReportedAsTimedOut(t *testing.T) {
	// A reconciled call's attempt runs under its own share of the
	// deadline; a reply lost at once must not read "attempt timed out".
	c := newLive(t, "https://p.example", NoAuth(), WithHTTPClient(&http.Client{Transport: &lost{}}))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := c.Do(ctx, &Request{Method: "PATCH", Path: "/pay", Class: Reconciled})
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.NotContains(t, err.Error(), "attempt timed out")
	assert.Contains(t, err.Error(), "connection reset by peer")
	assert.False(t, InFlight(err), "a reset reply is not an attempt given up")

	// a reply held past the attempt's share is
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c = newLive(t, srv.URL, NoAuth(), WithAttemptTimeout(50*time.Millisecond))
	ctx, cancel = context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err = c.Do(ctx, &Request{Method: "PATCH", Path: "/pay", Class: Reconciled})
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Contains(t, err.Error(), "attempt timed out")
	assert.True(t, InFlight(err))
}

// A gateway's 504 means it stopped waiting, not that the server did: the
// request may still be applied after the call ends, so the error says it
// is in flight (a look that does not see it yet proves nothing). A 502 or
// 500 was answered for the server, which is done with it.
func TestGatewayTimeoutLeavesTheRequestInFlight(t *testing.T) {
	for _, tc := range []struct {
		status   int
		inFlight bool
	}{{http.StatusGatewayTimeout, true}, {http.StatusBadGateway, false}, {http.StatusInternalServerError, false}} {
		c, mt := newMocked(t, "https://p.example", NoAuth(), WithRetry(0, 0, 0))
		mt.RegisterResponder("POST", "https://p.example/pay", httpmock.NewStringResponder(tc.status, "<html>gateway</html>"))
		_, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/pay", Class: Reconciled})
		require.ErrorIs(t, err, ErrOutcomeUnknown, "HTTP %d", tc.status)
		assert.Equal(t, tc.inFlight, InFlight(err), "HTTP %d", tc.status)

		// a read is never in flight: it changes nothing
		mt.RegisterResponder("GET", "https://p.example/x", httpmock.NewStringResponder(tc.status, "x"))
		_, err = c.Do(context.Background(), &Request{Method: "GET", Path: "/x", Class: Read})
		assert.False(t, InFlight(err), "GET answered %d", tc.status)
	}
}
