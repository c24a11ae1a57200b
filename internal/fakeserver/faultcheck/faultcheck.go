// Package faultcheck is the one test of the fault API that every caravan
// fake (inextest, activeplatformtest, payguesttest, uapaytest, residtest)
// exposes: each fake's own test calls [Run] with a [Fixture] that says how
// to start it, how to make a request that changes state and how to count
// the changes, and the checks run with raw HTTP requests against it.
package faultcheck

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

// Injector is the fault methods a fake's Server and its Route(…) share.
type Injector interface {
	FailNext(n, status int, body string)
	FailNextRetryAfter(n, status int, body, retryAfter string)
	FailNextWithHeader(n, status int, body string, header http.Header)
	FailAfterNext(n, status int, body string)
	CutNext(n int)
	CutAfterNext(n int)
	TruncateNext(n int)
	SlowNext(n int, d time.Duration)
}

// Faults is a fake's per-route fault queue.
type Faults interface {
	Injector
	Applied() int
	Pending() int
}

// Server is what the checks use of a fake's Server; R is its Request type.
type Server[F Faults, R any] interface {
	Injector
	Route(route string) F
	Requests() []R
	Reset()
	Wait()
	SetDelay(d time.Duration)
	Close()
}

// TB is what a fake's Start needs of a test.
type TB interface {
	Helper()
	Cleanup(func())
}

// Fixture is what the checks need to know of one fake.
type Fixture[S Server[F, R], F Faults, R any] struct {
	Name           string                                       // the package's name, as Start's messages give it
	Start          func(tb TB, maxBody int64) S                 // a started, seeded fake; maxBody 0 for the default
	Request        func(t *testing.T, s S, i int) *http.Request // the i-th request that changes state
	Applied        func(s S) int                                // how many changes were applied
	Body           func(r R) []byte                             // a recorded request's body
	Route, Other   string                                       // the request's route and another one
	OKStatus       int                                          // the status of an applied request
	TooLargeStatus int                                          // the status of a body over the limit
	TooLargeBody   string                                       // its body, in the provider's shape
}

// Run runs every check of the fault API against the fake fx describes,
// each as a subtest.
func Run[S Server[F, R], F Faults, R any](t *testing.T, fx Fixture[S, F, R]) {
	t.Run("FaultsPerRouteAndCounts", func(t *testing.T) { testFaultsPerRouteAndCounts(t, fx) })
	t.Run("FailNextVariants", func(t *testing.T) { testFailNextVariants(t, fx) })
	t.Run("FailAfterNextAppliesThenFails", func(t *testing.T) { testFailAfterNextAppliesThenFails(t, fx) })
	t.Run("NonPositiveCountsAreNoOps", func(t *testing.T) { testNonPositiveCountsAreNoOps(t, fx) })
	t.Run("CutsAreSeenOnAReusedConnection", func(t *testing.T) { testCutsAreSeenOnAReusedConnection(t, fx) })
	t.Run("TruncatedReplyIsSeen", func(t *testing.T) { testTruncatedReplyIsSeen(t, fx) })
	t.Run("DelaysApplyWhenTheClientGivesUp", func(t *testing.T) { testDelaysApplyWhenTheClientGivesUp(t, fx) })
	t.Run("CloseDoesNotWaitOutDelays", func(t *testing.T) { testCloseDoesNotWaitOutDelays(t, fx) })
	t.Run("BodyOverTheLimitIsRefusedInTheProvidersShape", func(t *testing.T) { testBodyOverTheLimitIsRefusedInTheProvidersShape(t, fx) })
	t.Run("StartCleansUpAndLeavesNoGoroutine", func(t *testing.T) { testStartCleansUpAndLeavesNoGoroutine(t, fx) })
}

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

func testFaultsPerRouteAndCounts[S Server[F, R], F Faults, R any](t *testing.T, fx Fixture[S, F, R]) {
	srv := fx.Start(t, 0)
	c := newClient(t)
	srv.Route(fx.Other).FailNext(1, 500, `{"x":1}`)
	srv.Route(fx.Route).CutAfterNext(1)
	assert.Equal(t, 1, srv.Route(fx.Other).Pending())
	assert.Equal(t, 1, srv.Route(fx.Route).Pending())

	_, _, err := roundTrip(t, c, fx.Request(t, srv, 1))
	require.Error(t, err, "the route's fault met its request")
	assert.Equal(t, 1, fx.Applied(srv), "cut after processing: applied")
	resp, _, err := roundTrip(t, c, fx.Request(t, srv, 2))
	require.NoError(t, err)
	assert.Equal(t, fx.OKStatus, resp.StatusCode, "the other route's fault waits for its own route")
	assert.Equal(t, 2, fx.Applied(srv))
	assert.Equal(t, 1, srv.Route(fx.Route).Applied())
	assert.Equal(t, 0, srv.Route(fx.Other).Applied())
	assert.Equal(t, 1, srv.Route(fx.Other).Pending())

	srv.Reset()
	assert.Empty(t, srv.Requests())
	assert.Zero(t, srv.Route(fx.Other).Pending(), "Reset clears every route's queue")
	assert.Zero(t, srv.Route(fx.Route).Applied())
	resp, _, err = roundTrip(t, c, fx.Request(t, srv, 3))
	require.NoError(t, err)
	assert.Equal(t, fx.OKStatus, resp.StatusCode)
	assert.Equal(t, 3, fx.Applied(srv), "Reset keeps the data")
}

func testFailNextVariants[S Server[F, R], F Faults, R any](t *testing.T, fx Fixture[S, F, R]) {
	srv := fx.Start(t, 0)
	c := newClient(t)
	srv.FailNext(1, 502, "<html>bad gateway</html>")
	srv.FailNextRetryAfter(1, 429, `{"busy":true}`, "7")
	srv.FailNextWithHeader(1, 503, "", http.Header{"X-Fault": {"yes"}})
	srv.Route(fx.Route).FailNextRetryAfter(1, 503, "", "1")
	srv.Route(fx.Route).FailNextWithHeader(1, 500, "", nil)
	want := []struct {
		status int
		body   string
	}{{502, "<html>bad gateway</html>"}, {429, `{"busy":true}`}, {503, ""}, {503, ""}, {500, ""}}
	for i, w := range want {
		resp, body, err := roundTrip(t, c, fx.Request(t, srv, i))
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
	assert.Zero(t, fx.Applied(srv), "a failed request is not processed")
	assert.Len(t, srv.Requests(), len(want))
}

func testFailAfterNextAppliesThenFails[S Server[F, R], F Faults, R any](t *testing.T, fx Fixture[S, F, R]) {
	srv := fx.Start(t, 0)
	c := newClient(t)
	srv.Route(fx.Route).FailAfterNext(1, 504, "<html>gateway timeout</html>")
	srv.FailAfterNext(1, 0, "")
	resp, body, err := roundTrip(t, c, fx.Request(t, srv, 1))
	require.NoError(t, err)
	assert.Equal(t, 504, resp.StatusCode)
	assert.Equal(t, "<html>gateway timeout</html>", body)
	assert.Equal(t, 1, fx.Applied(srv), "processed before the failure")
	resp, _, err = roundTrip(t, c, fx.Request(t, srv, 2))
	require.NoError(t, err)
	assert.Equal(t, 503, resp.StatusCode, "status 0 means 503")
	assert.Equal(t, 2, fx.Applied(srv))
}

func testNonPositiveCountsAreNoOps[S Server[F, R], F Faults, R any](t *testing.T, fx Fixture[S, F, R]) {
	srv := fx.Start(t, 0)
	c := newClient(t)
	for _, n := range []int{0, -3} {
		srv.FailNext(n, 500, "")
		srv.FailNextRetryAfter(n, 500, "", "1")
		srv.FailAfterNext(n, 500, "")
		srv.CutNext(n)
		srv.CutAfterNext(n)
		srv.TruncateNext(n)
		srv.SlowNext(n, time.Hour)
		srv.Route(fx.Route).CutNext(n)
	}
	assert.Zero(t, srv.Route("").Pending())
	assert.Zero(t, srv.Route(fx.Route).Pending())
	resp, _, err := roundTrip(t, c, fx.Request(t, srv, 1))
	require.NoError(t, err)
	assert.Equal(t, fx.OKStatus, resp.StatusCode)
	assert.Equal(t, 1, fx.Applied(srv))
}

// TestCutsAreSeenOnAReusedConnection: net/http silently resends a request
// with an Idempotency-Key (or a GET) when a reused keep-alive connection
// closes without a byte; the fake's cut sends a byte, so the client sees
// it and the request reaches the fake once.
func testCutsAreSeenOnAReusedConnection[S Server[F, R], F Faults, R any](t *testing.T, fx Fixture[S, F, R]) {
	srv := fx.Start(t, 0)
	c := newClient(t)
	_, _, err := roundTrip(t, c, fx.Request(t, srv, 1))
	require.NoError(t, err)
	srv.CutNext(1)
	req := fx.Request(t, srv, 2)
	req.Header.Set("Idempotency-Key", "k-2")
	_, _, err = roundTrip(t, c, req)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "malformed HTTP")
	assert.Len(t, srv.Requests(), 2, "not resent")
	assert.Equal(t, 1, fx.Applied(srv), "cut before processing: not applied")

	srv.CutAfterNext(1)
	req = fx.Request(t, srv, 3)
	req.Header.Set("Idempotency-Key", "k-3")
	_, _, err = roundTrip(t, c, req)
	require.Error(t, err)
	assert.Len(t, srv.Requests(), 3, "not resent")
	assert.Equal(t, 2, fx.Applied(srv), "cut after processing: applied")
	assert.Equal(t, 2, srv.Route("").Applied())
}

func testTruncatedReplyIsSeen[S Server[F, R], F Faults, R any](t *testing.T, fx Fixture[S, F, R]) {
	srv := fx.Start(t, 0)
	c := newClient(t)
	srv.TruncateNext(1)
	resp, _, err := roundTrip(t, c, fx.Request(t, srv, 1))
	require.NotNil(t, resp)
	assert.Equal(t, fx.OKStatus, resp.StatusCode)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Equal(t, 1, fx.Applied(srv))
}

// giveUp sends a request and cancels it once the fake has recorded it.
func giveUp[R any](t *testing.T, srv interface{ Requests() []R }, c *http.Client, req *http.Request) error {
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

func testDelaysApplyWhenTheClientGivesUp[S Server[F, R], F Faults, R any](t *testing.T, fx Fixture[S, F, R]) {
	srv := fx.Start(t, 0)
	c := newClient(t)
	srv.SetDelay(time.Hour)
	err := giveUp[R](t, srv, c, fx.Request(t, srv, 1))
	assert.ErrorIs(t, err, context.Canceled)
	srv.Wait()
	assert.Equal(t, 1, fx.Applied(srv), "SetDelay: applied as a real server would")

	srv.SetDelay(0)
	srv.Route(fx.Route).SlowNext(1, time.Hour)
	err = giveUp[R](t, srv, c, fx.Request(t, srv, 2))
	assert.ErrorIs(t, err, context.Canceled)
	srv.Wait()
	assert.Equal(t, 2, fx.Applied(srv), "SlowNext: applied as a real server would")

	srv.SlowNext(1, time.Millisecond)
	resp, _, err := roundTrip(t, c, fx.Request(t, srv, 3))
	require.NoError(t, err)
	assert.Equal(t, fx.OKStatus, resp.StatusCode)
	assert.Equal(t, 3, fx.Applied(srv))
}

func testCloseDoesNotWaitOutDelays[S Server[F, R], F Faults, R any](t *testing.T, fx Fixture[S, F, R]) {
	srv := fx.Start(t, 0)
	c := newClient(t)
	srv.SlowNext(1, time.Hour)
	errc := make(chan error, 1)
	req := fx.Request(t, srv, 1)
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
	assert.Equal(t, 1, fx.Applied(srv), "the waiting request was processed")
	srv.Close() // again, as Start's cleanup will
}

func testBodyOverTheLimitIsRefusedInTheProvidersShape[S Server[F, R], F Faults, R any](t *testing.T, fx Fixture[S, F, R]) {
	srv := fx.Start(t, 256)
	c := newClient(t)
	req := fx.Request(t, srv, 1)
	body, _ := io.ReadAll(req.Body)
	body = append(body, bytes.Repeat([]byte(" "), 300)...)
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.ContentLength = int64(len(body))
	resp, got, err := roundTrip(t, c, req)
	require.NoError(t, err)
	assert.Equal(t, fx.TooLargeStatus, resp.StatusCode)
	assert.Equal(t, fx.TooLargeBody, strings.TrimSpace(got))
	assert.Zero(t, fx.Applied(srv), "refused, never cut and applied")
	require.Len(t, srv.Requests(), 1)
	assert.Len(t, fx.Body(srv.Requests()[0]), 256)
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
func testStartCleansUpAndLeavesNoGoroutine[S Server[F, R], F Faults, R any](t *testing.T, fx Fixture[S, F, R]) {
	before := runtime.NumGoroutine()
	tb := &fakeTB{}
	srv := fx.Start(tb, 0)
	require.Len(t, tb.cleanups, 1)
	c := &http.Client{Transport: &http.Transport{}}
	resp, _, err := roundTrip(t, c, fx.Request(t, srv, 1))
	require.NoError(t, err)
	assert.Equal(t, fx.OKStatus, resp.StatusCode)
	srv.SlowNext(1, time.Hour)
	srv.CutNext(1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _, _ = roundTrip(t, c, fx.Request(t, srv, 2))
	}()
	for len(srv.Requests()) < 2 {
		time.Sleep(time.Millisecond)
	}
	tb.cleanups[0]()
	assert.Equal(t, []string{fx.Name + ": 1 queued fault(s) never met a request"}, tb.errors,
		"the CutNext that no request met fails the test")
	<-done
	c.CloseIdleConnections()
	_, _, err = roundTrip(t, c, fx.Request(t, srv, 3))
	assert.Error(t, err, "closed")
	c.CloseIdleConnections()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before, "goroutines left behind")
}

// Main runs a fake package's tests and examples and fails them when, once
// every fake they started is closed, goroutines are left behind. Call it
// from TestMain: os.Exit(faultcheck.Main(m)).
func Main(m *testing.M) int {
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
	return code
}
