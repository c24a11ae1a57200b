package fakeserver

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type fixture struct {
	core    *Core
	srv     *httptest.Server
	handled *atomic.Int32
	client  *http.Client
}

func newServer(t *testing.T, body string) *fixture {
	t.Helper()
	core := &Core{}
	var handled atomic.Int32
	srv := httptest.NewServer(core.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handled.Add(1)
		_, _ = io.WriteString(w, body)
	})))
	client := &http.Client{Transport: &http.Transport{}}
	t.Cleanup(func() {
		client.CloseIdleConnections()
		core.Close()
		srv.Close()
	})
	return &fixture{core, srv, &handled, client}
}

func (f *fixture) do(t *testing.T, method, path string, hdr ...string) (*http.Response, []byte, error) {
	t.Helper()
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader(`{"a":1}`)
	}
	req, err := http.NewRequest(method, f.srv.URL+path, body)
	require.NoError(t, err)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

const okBody = `{"ok":true,"padding":"0123456789"}`

func TestRecordsRequests(t *testing.T) {
	f := newServer(t, okBody)
	_, body, err := f.do(t, "POST", "/p?q=1", "Content-Type", "application/json")
	require.NoError(t, err)
	assert.Equal(t, okBody, string(body))
	reqs := f.core.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "POST", reqs[0].Method)
	assert.Equal(t, "/p", reqs[0].Path)
	assert.Equal(t, "1", reqs[0].Query.Get("q"))
	assert.Equal(t, `{"a":1}`, string(reqs[0].Body))
	assert.Equal(t, "application/json", reqs[0].Header.Get("Content-Type"))
	assert.Equal(t, int32(1), f.handled.Load())
}

func TestFailNextAndCounts(t *testing.T) {
	f := newServer(t, okBody)
	any := Faults{Core: f.core}
	any.FailNextRetryAfter(2, 503, "<html>busy</html>", "1")
	assert.Equal(t, 2, any.Pending())
	for i := 0; i < 2; i++ {
		resp, body, err := f.do(t, "POST", "/p")
		require.NoError(t, err)
		assert.Equal(t, 503, resp.StatusCode)
		assert.Equal(t, "1", resp.Header.Get("Retry-After"))
		assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
		assert.Equal(t, "<html>busy</html>", string(body))
	}
	resp, _, err := f.do(t, "POST", "/p")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, int32(1), f.handled.Load())
	assert.Equal(t, 2, f.core.Applied(Fail))
	assert.Equal(t, 2, any.Applied())
	assert.Zero(t, any.Pending())

	any.FailNext(1, 0, `{"e":1}`)
	resp, _, err = f.do(t, "GET", "/p")
	require.NoError(t, err)
	assert.Equal(t, 503, resp.StatusCode, "status 0 means 503")
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
}

func TestFailAfter(t *testing.T) {
	f := newServer(t, okBody)
	Faults{Core: f.core}.FailAfterNext(1, 502, `{"proxy":"bad gateway"}`)
	f.core.Chaos(1, []Fault{{Kind: FailAfter}}, 1)
	resp, body, err := f.do(t, "POST", "/p")
	require.NoError(t, err)
	assert.Equal(t, 502, resp.StatusCode)
	assert.Equal(t, `{"proxy":"bad gateway"}`, string(body))
	assert.Equal(t, int32(1), f.handled.Load(), "processed, then failed")
	resp, _, err = f.do(t, "POST", "/p")
	require.NoError(t, err)
	assert.Equal(t, 503, resp.StatusCode, "chaos: status 0 means 503")
	assert.Equal(t, int32(2), f.handled.Load())
	assert.Equal(t, 2, f.core.Applied(FailAfter))
}

func TestNonPositiveCountsQueueNothing(t *testing.T) {
	f := newServer(t, okBody)
	any := Faults{Core: f.core}
	for _, n := range []int{0, -1} {
		any.FailNext(n, 500, "x")
		any.CutNext(n)
		any.CutAfterNext(n)
		any.TruncateNext(n)
		any.SlowNext(n, time.Hour)
	}
	assert.Zero(t, any.Pending())
	resp, _, err := f.do(t, "POST", "/p")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Zero(t, any.Applied())
}

func TestRouteTargeting(t *testing.T) {
	f := newServer(t, okBody)
	create := Faults{Core: f.core, Route: "invoices/create"}
	create.FailNext(1, 500, "boom")
	postOnly := Faults{Core: f.core, Route: "POST payments/{token}/collect"}
	postOnly.FailNext(1, 502, "bad gateway")

	for _, path := range []string{"/api/sessions/create", "/api/invoicer/invoices/show", "/create"} {
		resp, _, err := f.do(t, "POST", path)
		require.NoError(t, err)
		assert.Equal(t, 200, resp.StatusCode, path)
	}
	resp, _, err := f.do(t, "GET", "/api/v1/payments/AsF42Sg53/collect")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode, "the method does not match")
	resp, _, err = f.do(t, "POST", "/api/invoicer/invoices/create")
	require.NoError(t, err)
	assert.Equal(t, 500, resp.StatusCode)
	resp, _, err = f.do(t, "POST", "/api/v1/payments/AsF42Sg53/collect/")
	require.NoError(t, err)
	assert.Equal(t, 502, resp.StatusCode)
	assert.Equal(t, 1, create.Applied())
	assert.Equal(t, 1, postOnly.Applied())
	assert.Zero(t, Faults{Core: f.core}.Applied(), "no fault was queued for any route")

	for route, path := range map[string]string{"": "/x", "payments/{t}": "/payments/a", "GET payments": "/api/payments"} {
		r := httptest.NewRequest("GET", path, nil)
		assert.True(t, Match(route, r), route)
	}
	for route, path := range map[string]string{"payments/{t}": "/payments/", "a/b/c": "/b/c", "payments/{t}/collect": "/payments/a"} {
		r := httptest.NewRequest("GET", path, nil)
		assert.False(t, Match(route, r), route)
	}
}

func TestResetForgetsFaultsRequestsDelayAndCounts(t *testing.T) {
	f := newServer(t, okBody)
	any := Faults{Core: f.core}
	any.FailNext(1, 500, "x")
	_, _, _ = f.do(t, "POST", "/p")
	any.CutNext(3)
	Faults{Core: f.core, Route: "p"}.CutNext(1)
	f.core.SetDelay(time.Hour)
	assert.Equal(t, 4, f.core.Queued(), "every route's faults")
	f.core.Reset()
	assert.Zero(t, f.core.Queued())
	assert.Empty(t, f.core.Requests())
	assert.Zero(t, any.Pending())
	assert.Zero(t, any.Applied())
	assert.Zero(t, f.core.Applied(Fail))
	resp, _, err := f.do(t, "POST", "/p")
	require.NoError(t, err, "no fault and no delay left")
	assert.Equal(t, 200, resp.StatusCode)
}

// TestCutsAreAlwaysSeen checks that a cut is an error even on a reused
// keep-alive connection, for a GET and for a POST with an Idempotency-Key,
// which net/http would resend by itself after a close without a byte.
func TestCutsAreAlwaysSeen(t *testing.T) {
	for _, tc := range []struct {
		method string
		hdr    []string
	}{{"GET", nil}, {"POST", []string{"Idempotency-Key", "k1"}}, {"POST", nil}} {
		t.Run(tc.method+strings.Join(tc.hdr, ""), func(t *testing.T) {
			f := newServer(t, okBody)
			_, _, err := f.do(t, tc.method, "/p", tc.hdr...) // a keep-alive connection to reuse
			require.NoError(t, err)
			Faults{Core: f.core}.CutNext(1)
			_, _, err = f.do(t, tc.method, "/p", tc.hdr...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "malformed HTTP")
			assert.Len(t, f.core.Requests(), 2, "the client did not resend the cut request")
			assert.Equal(t, int32(1), f.handled.Load(), "cut before processing")

			Faults{Core: f.core}.CutAfterNext(1)
			_, _, err = f.do(t, tc.method, "/p", tc.hdr...)
			require.Error(t, err)
			assert.Len(t, f.core.Requests(), 3)
			assert.Equal(t, int32(2), f.handled.Load(), "processed, then cut")
			assert.Equal(t, 1, f.core.Applied(CutBefore))
			assert.Equal(t, 1, f.core.Applied(CutAfter))
		})
	}
}

func TestTruncate(t *testing.T) {
	f := newServer(t, okBody)
	Faults{Core: f.core}.TruncateNext(1)
	resp, body, err := f.do(t, "POST", "/p")
	require.NotNil(t, resp)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Equal(t, `{"ok":true,"paddi`, string(body), "half of the 34-byte body")
	assert.Equal(t, int32(1), f.handled.Load())

	empty := newServer(t, "")
	Faults{Core: empty.core}.TruncateNext(1)
	resp, body, err = empty.do(t, "GET", "/p")
	require.NotNil(t, resp)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF, "an empty reply is truncated visibly too")
	assert.Empty(t, body)
}

func TestDelaysApplyWhenTheClientGivesUp(t *testing.T) {
	for name, inject := range map[string]func(c *Core){
		"SlowNext": func(c *Core) { Faults{Core: c}.SlowNext(1, time.Hour) },
		"SetDelay": func(c *Core) { c.SetDelay(time.Hour) },
	} {
		t.Run(name, func(t *testing.T) {
			f := newServer(t, okBody)
			inject(f.core)
			ctx, cancel := context.WithCancel(context.Background())
			go func() {
				for len(f.core.Requests()) == 0 {
					time.Sleep(time.Millisecond)
				}
				cancel()
			}()
			req, _ := http.NewRequestWithContext(ctx, "POST", f.srv.URL+"/p", strings.NewReader("{}"))
			_, err := f.client.Do(req)
			assert.ErrorIs(t, err, context.Canceled)
			f.core.Wait()
			assert.Equal(t, int32(1), f.handled.Load(), "the request was processed as a real server would")
		})
	}
}

func TestDelayedFailIsNotProcessed(t *testing.T) {
	f := newServer(t, okBody)
	f.core.SetDelay(time.Hour)
	Faults{Core: f.core}.FailNext(1, 500, "x")
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for len(f.core.Requests()) == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	req, _ := http.NewRequestWithContext(ctx, "POST", f.srv.URL+"/p", strings.NewReader("{}"))
	_, err := f.client.Do(req)
	assert.Error(t, err)
	f.core.Wait()
	assert.Zero(t, f.handled.Load())
}

func TestDelayAnswersAfterItsTime(t *testing.T) {
	f := newServer(t, okBody)
	f.core.SetDelay(time.Millisecond)
	resp, body, err := f.do(t, "POST", "/p")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, okBody, string(body))
}

func TestCloseDoesNotWaitOutDelays(t *testing.T) {
	core := &Core{}
	var handled atomic.Int32
	srv := httptest.NewServer(core.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handled.Add(1)
	})))
	Faults{Core: core}.SlowNext(1, time.Hour)
	errc := make(chan error, 1)
	go func() {
		resp, err := http.Post(srv.URL+"/p", "application/json", strings.NewReader("{}"))
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	for len(core.Requests()) == 0 {
		time.Sleep(time.Millisecond)
	}
	core.Close()
	srv.Close() // would block for an hour if the delay held the handler
	<-errc
	assert.Equal(t, int32(1), handled.Load(), "the delayed request was processed")
	core.Close() // twice is fine
}

func TestBodyOverTheLimitIsRefusedNotCut(t *testing.T) {
	f := newServer(t, okBody)
	f.core.MaxBody = 8
	resp, err := f.client.Post(f.srv.URL+"/p", "text/plain", strings.NewReader(strings.Repeat("x", 1000)))
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	assert.Contains(t, string(b), "too large")
	assert.Zero(t, f.handled.Load())
	require.Len(t, f.core.Requests(), 1)
	assert.Len(t, f.core.Requests()[0].Body, 8)

	f.core.TooLarge = func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnprocessableEntity)
		_, _ = io.WriteString(w, `{"error":"too big"}`)
	}
	resp, err = f.client.Post(f.srv.URL+"/p", "text/plain", strings.NewReader(strings.Repeat("x", 9)))
	require.NoError(t, err)
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode)
	assert.Equal(t, `{"error":"too big"}`, string(b))
	resp, _, err = f.do(t, "POST", "/p") // 7 bytes: within the limit
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
}

func TestArrivedAtIsBeforeTheDelay(t *testing.T) {
	core := &Core{Now: func() time.Time { return time.Unix(1000, 0) }}
	var got time.Time
	h := core.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = ArrivedAt(r) }))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil))
	assert.Equal(t, time.Unix(1000, 0), got)
	assert.True(t, ArrivedAt(httptest.NewRequest("GET", "/x", nil)).IsZero())
}

func TestChaos(t *testing.T) {
	f := newServer(t, okBody)
	f.core.Chaos(0.5, []Fault{{Kind: Fail, Body: "busy"}}, 7)
	failed := 0
	for i := 0; i < 200; i++ {
		resp, _, err := f.do(t, "POST", "/p")
		require.NoError(t, err)
		if resp.StatusCode == 503 {
			failed++
		}
	}
	assert.InDelta(t, 100, failed, 30)
	assert.Equal(t, failed, f.core.Applied(Fail))
	assert.Equal(t, int32(200-failed), f.handled.Load())
	f.core.Chaos(0, nil, 0)
	resp, _, err := f.do(t, "POST", "/p")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
}
