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

func newServer(t *testing.T) (*Core, *httptest.Server, *atomic.Int32) {
	t.Helper()
	var core Core
	var handled atomic.Int32
	srv := httptest.NewServer(core.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handled.Add(1)
		_, _ = io.WriteString(w, `{"ok":true,"padding":"0123456789"}`)
	})))
	t.Cleanup(srv.Close)
	return &core, srv, &handled
}

func post(t *testing.T, url string) (*http.Response, []byte, error) {
	t.Helper()
	resp, err := http.Post(url+"/p?q=1", "application/json", strings.NewReader(`{"a":1}`))
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func TestRecordsRequests(t *testing.T) {
	core, srv, handled := newServer(t)
	_, body, err := post(t, srv.URL)
	require.NoError(t, err)
	assert.Equal(t, `{"ok":true,"padding":"0123456789"}`, string(body))
	reqs := core.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "POST", reqs[0].Method)
	assert.Equal(t, "/p", reqs[0].Path)
	assert.Equal(t, "1", reqs[0].Query.Get("q"))
	assert.Equal(t, `{"a":1}`, string(reqs[0].Body))
	assert.Equal(t, "application/json", reqs[0].Header.Get("Content-Type"))
	assert.Equal(t, int32(1), handled.Load())
	core.Reset()
	assert.Empty(t, core.Requests())
}

func TestFailNext(t *testing.T) {
	core, srv, handled := newServer(t)
	core.Inject(Fault{Kind: Fail, Count: 2, Header: http.Header{"Retry-After": {"1"}}, Body: "<html>busy</html>"})
	for i := 0; i < 2; i++ {
		resp, body, err := post(t, srv.URL)
		require.NoError(t, err)
		assert.Equal(t, 503, resp.StatusCode)
		assert.Equal(t, "1", resp.Header.Get("Retry-After"))
		assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
		assert.Equal(t, "<html>busy</html>", string(body))
	}
	resp, _, err := post(t, srv.URL)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, int32(1), handled.Load())
	assert.Equal(t, 2, core.Applied(Fail))
}

func TestCuts(t *testing.T) {
	core, srv, handled := newServer(t)
	core.Inject(Fault{Kind: CutBefore})
	_, _, err := post(t, srv.URL)
	assert.Error(t, err)
	assert.Equal(t, int32(0), handled.Load())

	core.Inject(Fault{Kind: CutAfter})
	_, _, err = post(t, srv.URL)
	assert.Error(t, err)
	assert.Equal(t, int32(1), handled.Load(), "processed, then cut")

	core.Inject(Fault{Kind: Truncate})
	resp, body, err := post(t, srv.URL)
	require.NotNil(t, resp)
	assert.Error(t, err)
	assert.Equal(t, `{"ok":true,"paddi`, string(body), "half of the 34-byte body")
	assert.Equal(t, int32(2), handled.Load())
}

func TestSlowAndDelay(t *testing.T) {
	core, srv, handled := newServer(t)
	core.Inject(Fault{Kind: Slow, Delay: time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL+"/p", strings.NewReader("{}"))
	_, err := http.DefaultClient.Do(req)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Eventually(t, func() bool { return handled.Load() == 1 }, time.Second, 5*time.Millisecond,
		"a slow request is still processed after the client gave up")

	core.SetDelay(20 * time.Millisecond)
	start := time.Now()
	resp, _, err := post(t, srv.URL)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.GreaterOrEqual(t, time.Since(start), 20*time.Millisecond)
}

func TestChaos(t *testing.T) {
	core, srv, handled := newServer(t)
	core.Chaos(0.5, []Fault{{Kind: Fail, Body: "busy"}}, 7)
	failed := 0
	for i := 0; i < 200; i++ {
		resp, _, err := post(t, srv.URL)
		require.NoError(t, err)
		if resp.StatusCode == 503 {
			failed++
		}
	}
	assert.InDelta(t, 100, failed, 30)
	assert.Equal(t, failed, core.Applied(Fail))
	assert.Equal(t, int32(200-failed), handled.Load())
	core.Chaos(0, nil, 0)
	resp, _, err := post(t, srv.URL)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
}
