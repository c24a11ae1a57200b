package uapaytest

// This file is the same in every caravan fake (only the package differs):
// it checks the shared fault API with raw HTTP requests. The package's
// hooks_test.go says how to make a request that changes state and how to
// count the changes.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// roundTrip sends a request with its own keep-alive client and reads the reply.
func roundTrip(t *testing.T, c *http.Client, req *http.Request) (*http.Response, string, error) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, string(b), err
}

func newClient(t *testing.T) *http.Client {
	c := &http.Client{Transport: &http.Transport{}}
	t.Cleanup(c.CloseIdleConnections)
	return c
}

func TestFaultsPerRouteAndCounts(t *testing.T) {
	srv := fx.start(t)
	c := newClient(t)
	srv.Route(fx.other).FailNext(1, 500, `{"x":1}`)
	srv.Route(fx.route).CutAfterNext(1)
	assert.Equal(t, 1, srv.Route(fx.other).Pending())
	assert.Equal(t, 1, srv.Route(fx.route).Pending())

	_, _, err := roundTrip(t, c, fx.request(t, srv, 1))
	require.Error(t, err, "the route's fault met its request")
	assert.Equal(t, 1, fx.applied(srv), "cut after processing: applied")
	resp, _, err := roundTrip(t, c, fx.request(t, srv, 2))
	require.NoError(t, err)
	assert.Equal(t, fx.okStatus, resp.StatusCode, "the other route's fault waits for its own route")
	assert.Equal(t, 2, fx.applied(srv))
	assert.Equal(t, 1, srv.Route(fx.route).Applied())
	assert.Equal(t, 0, srv.Route(fx.other).Applied())
	assert.Equal(t, 1, srv.Route(fx.other).Pending())

	srv.Reset()
	assert.Empty(t, srv.Requests())
	assert.Zero(t, srv.Route(fx.other).Pending(), "Reset clears every route's queue")
	assert.Zero(t, srv.Route(fx.route).Applied())
	resp, _, err = roundTrip(t, c, fx.request(t, srv, 3))
	require.NoError(t, err)
	assert.Equal(t, fx.okStatus, resp.StatusCode)
	assert.Equal(t, 3, fx.applied(srv), "Reset keeps the data")
}

func TestFailNextVariants(t *testing.T) {
	srv := fx.start(t)
	c := newClient(t)
	srv.FailNext(1, 502, "<html>bad gateway</html>")
	srv.FailNextRetryAfter(1, 429, `{"busy":true}`, "7")
	srv.FailNextWithHeader(1, 503, "", http.Header{"X-Fault": {"yes"}})
	srv.Route(fx.route).FailNextRetryAfter(1, 503, "", "1")
	srv.Route(fx.route).FailNextWithHeader(1, 500, "", nil)
	want := []struct {
		status int
		body   string
	}{{502, "<html>bad gateway</html>"}, {429, `{"busy":true}`}, {503, ""}, {503, ""}, {500, ""}}
	for i, w := range want {
		resp, body, err := roundTrip(t, c, fx.request(t, srv, i))
		require.NoError(t, err)
		assert.Equal(t, w.status, resp.StatusCode)
		assert.Equal(t, w.body, body)
		switch i {
		case 0:
			assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
		case 1:
			assert.Equal(t, "7", resp.Header.Get("Retry-After"))
			assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
		case 2:
			assert.Equal(t, "yes", resp.Header.Get("X-Fault"))
		}
	}
	assert.Zero(t, fx.applied(srv), "a failed request is not processed")
	assert.Len(t, srv.Requests(), len(want))
}

func TestFailAfterNextAppliesThenFails(t *testing.T) {
	srv := fx.start(t)
	c := newClient(t)
	srv.Route(fx.route).FailAfterNext(1, 504, "<html>gateway timeout</html>")
	srv.FailAfterNext(1, 0, "")
	resp, body, err := roundTrip(t, c, fx.request(t, srv, 1))
	require.NoError(t, err)
	assert.Equal(t, 504, resp.StatusCode)
	assert.Equal(t, "<html>gateway timeout</html>", body)
	assert.Equal(t, 1, fx.applied(srv), "processed before the failure")
	resp, _, err = roundTrip(t, c, fx.request(t, srv, 2))
	require.NoError(t, err)
	assert.Equal(t, 503, resp.StatusCode, "status 0 means 503")
	assert.Equal(t, 2, fx.applied(srv))
}

func TestNonPositiveCountsAreNoOps(t *testing.T) {
	srv := fx.start(t)
	c := newClient(t)
	for _, n := range []int{0, -3} {
		srv.FailNext(n, 500, "")
		srv.FailNextRetryAfter(n, 500, "", "1")
		srv.FailAfterNext(n, 500, "")
		srv.CutNext(n)
		srv.CutAfterNext(n)
		srv.TruncateNext(n)
		srv.SlowNext(n, time.Hour)
		srv.Route(fx.route).CutNext(n)
	}
	assert.Zero(t, srv.Route("").Pending())
	assert.Zero(t, srv.Route(fx.route).Pending())
	resp, _, err := roundTrip(t, c, fx.request(t, srv, 1))
	require.NoError(t, err)
	assert.Equal(t, fx.okStatus, resp.StatusCode)
	assert.Equal(t, 1, fx.applied(srv))
}

// TestCutsAreSeenOnAReusedConnection: net/http silently resends a request
// with an Idempotency-Key (or a GET) when a reused keep-alive connection
// closes without a byte; the fake's cut sends a byte, so the client sees
// it and the request reaches the fake once.
func TestCutsAreSeenOnAReusedConnection(t *testing.T) {
	srv := fx.start(t)
	c := newClient(t)
	_, _, err := roundTrip(t, c, fx.request(t, srv, 1))
	require.NoError(t, err)
	srv.CutNext(1)
	req := fx.request(t, srv, 2)
	req.Header.Set("Idempotency-Key", "k-2")
	_, _, err = roundTrip(t, c, req)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "malformed HTTP")
	assert.Len(t, srv.Requests(), 2, "not resent")
	assert.Equal(t, 1, fx.applied(srv), "cut before processing: not applied")

	srv.CutAfterNext(1)
	req = fx.request(t, srv, 3)
	req.Header.Set("Idempotency-Key", "k-3")
	_, _, err = roundTrip(t, c, req)
	require.Error(t, err)
	assert.Len(t, srv.Requests(), 3, "not resent")
	assert.Equal(t, 2, fx.applied(srv), "cut after processing: applied")
	assert.Equal(t, 2, srv.Route("").Applied())
}

func TestTruncatedReplyIsSeen(t *testing.T) {
	srv := fx.start(t)
	c := newClient(t)
	srv.TruncateNext(1)
	resp, _, err := roundTrip(t, c, fx.request(t, srv, 1))
	require.NotNil(t, resp)
	assert.Equal(t, fx.okStatus, resp.StatusCode)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Equal(t, 1, fx.applied(srv))
}

// giveUp sends a request and cancels it once the fake has recorded it.
func giveUp(t *testing.T, srv *Server, c *http.Client, req *http.Request) error {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := len(srv.Requests())
	go func() {
		for len(srv.Requests()) == n {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	_, _, err := roundTrip(t, c, req.WithContext(ctx))
	return err
}

func TestDelaysApplyWhenTheClientGivesUp(t *testing.T) {
	srv := fx.start(t)
	c := newClient(t)
	srv.SetDelay(time.Hour)
	err := giveUp(t, srv, c, fx.request(t, srv, 1))
	assert.ErrorIs(t, err, context.Canceled)
	srv.Wait()
	assert.Equal(t, 1, fx.applied(srv), "SetDelay: applied as a real server would")

	srv.SetDelay(0)
	srv.Route(fx.route).SlowNext(1, time.Hour)
	err = giveUp(t, srv, c, fx.request(t, srv, 2))
	assert.ErrorIs(t, err, context.Canceled)
	srv.Wait()
	assert.Equal(t, 2, fx.applied(srv), "SlowNext: applied as a real server would")

	srv.SlowNext(1, time.Millisecond)
	resp, _, err := roundTrip(t, c, fx.request(t, srv, 3))
	require.NoError(t, err)
	assert.Equal(t, fx.okStatus, resp.StatusCode)
	assert.Equal(t, 3, fx.applied(srv))
}

func TestCloseDoesNotWaitOutDelays(t *testing.T) {
	srv := fx.start(t)
	c := newClient(t)
	srv.SlowNext(1, time.Hour)
	errc := make(chan error, 1)
	req := fx.request(t, srv, 1)
	go func() {
		resp, err := c.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	for len(srv.Requests()) == 0 {
		time.Sleep(time.Millisecond)
	}
	srv.Close() // an hour if it waited
	<-errc
	assert.Equal(t, 1, fx.applied(srv), "the waiting request was processed")
	srv.Close() // again, as Start's cleanup will
}

func TestBodyOverTheLimitIsRefusedInTheProvidersShape(t *testing.T) {
	srv := fx.start(t, WithMaxBody(256))
	c := newClient(t)
	req := fx.request(t, srv, 1)
	body, _ := io.ReadAll(req.Body)
	body = append(body, bytes.Repeat([]byte(" "), 300)...)
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.ContentLength = int64(len(body))
	resp, got, err := roundTrip(t, c, req)
	require.NoError(t, err)
	assert.Equal(t, fx.tooLargeStatus, resp.StatusCode)
	assert.Equal(t, fx.tooLargeBody, strings.TrimSpace(got))
	assert.Zero(t, fx.applied(srv), "refused, never cut and applied")
	require.Len(t, srv.Requests(), 1)
	assert.Len(t, srv.Requests()[0].Body, 256)
}

type fakeTB struct {
	cleanups []func()
	errors   []string
}

func (*fakeTB) Helper()             {}
func (f *fakeTB) Cleanup(fn func()) { f.cleanups = append(f.cleanups, fn) }
func (f *fakeTB) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

// TestStartCleansUpAndLeavesNoGoroutine runs a fake through Start, with
// faults and a delayed request in flight, and checks that its cleanup
// closes it and leaves no goroutine behind.
func TestStartCleansUpAndLeavesNoGoroutine(t *testing.T) {
	before := runtime.NumGoroutine()
	tb := &fakeTB{}
	srv := fx.start(tb)
	require.Len(t, tb.cleanups, 1)
	c := &http.Client{Transport: &http.Transport{}}
	resp, _, err := roundTrip(t, c, fx.request(t, srv, 1))
	require.NoError(t, err)
	assert.Equal(t, fx.okStatus, resp.StatusCode)
	srv.SlowNext(1, time.Hour)
	srv.CutNext(1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _, _ = roundTrip(t, c, fx.request(t, srv, 2))
	}()
	for len(srv.Requests()) < 2 {
		time.Sleep(time.Millisecond)
	}
	tb.cleanups[0]()
	assert.Equal(t, []string{"uapaytest: 1 queued fault(s) never met a request"}, tb.errors,
		"the CutNext that no request met fails the test")
	<-done
	c.CloseIdleConnections()
	_, _, err = roundTrip(t, c, fx.request(t, srv, 3))
	assert.Error(t, err, "closed")
	c.CloseIdleConnections()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before, "goroutines left behind")
}

// fixture is what the shared fault tests need to know of a fake.
type fixture struct {
	start          func(tb TB, opts ...Option) *Server                // a started, seeded fake
	request        func(t *testing.T, s *Server, i int) *http.Request // the i-th request that changes state
	applied        func(s *Server) int                                // how many changes were applied
	route, other   string                                             // the request's route and another one
	okStatus       int
	tooLargeStatus int
	tooLargeBody   string
}

// TestMain checks that the package's tests and examples, once every fake
// they started is closed, leave no goroutine behind.
func TestMain(m *testing.M) {
	before := runtime.NumGoroutine()
	code := m.Run()
	http.DefaultClient.CloseIdleConnections()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before && code == 0 {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		fmt.Fprintf(os.Stderr, "%d goroutines left behind (%d at the start):\n%s\n", n, before, buf)
		code = 1
	}
	os.Exit(code)
}
