package transport

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOptionsRefused(t *testing.T) {
	for _, tc := range []struct {
		option string
		set    Setting
	}{
		{"WithRetry", WithRetry(-1, 0, 0)},
		{"WithRetry", WithRetry(1, -time.Second, time.Second)},
		{"WithRetry", WithRetry(1, 2*time.Second, time.Second)},
		{"WithUserAgent", WithUserAgent("agent\r\nX-Evil: 1")},
		{"WithUserAgent", WithUserAgent("nul\x00")},
		{"WithUserAgent", WithUserAgent("")},
		{"WithHeader", WithHeader("X-Key", "v\n")},
		{"WithHeader", WithHeader("Bad Name", "v")},
		{"WithHeader", WithHeader("Content-Type", "text/plain")},
		{"WithHeader", WithHeader("Authorization", "x")},
		{"WithTimeout", WithTimeout(0)},
		{"WithMaxBodyBytes", WithMaxBodyBytes(-1)},
		{"WithBaseURL", WithBaseURL(" ")},
		{"WithBaseURL", WithBaseURL("ftp://x")},
	} {
		cfg := Config{BaseURL: "https://x.example", Auth: Bearer("t")}
		tc.set(&cfg)
		_, err := New(cfg)
		var ie *InvalidError
		require.ErrorAs(t, err, &ie, tc.option)
		assert.Equal(t, tc.option, ie.Field)
		assert.ErrorIs(t, err, ErrInvalidRequest)
		assert.NotContains(t, err.Error(), "\n")
	}
	_, err := New(Config{Provider: "p"})
	var ie *InvalidError
	require.ErrorAs(t, err, &ie, "no base URL")
	assert.Equal(t, "WithBaseURL", ie.Field)
}

func TestCheckCredential(t *testing.T) {
	for _, v := range []string{"", " ", "s3cr3t\n", "s3\x00cr3t", " s3cr3t"} {
		err := CheckCredential("token", v)
		assert.ErrorIs(t, err, ErrInvalidRequest, "%q", v)
		if v != "" && strings.TrimSpace(v) != "" {
			assert.NotContains(t, err.Error(), "cr3t", "the value is never quoted")
		}
	}
	assert.NoError(t, CheckCredential("token", "Bearer-ish tok"))
}

func TestZeroWaitMeansZero(t *testing.T) {
	cfg := Config{BaseURL: "https://x.example"}
	WithRetry(2, 0, 0)(&cfg)
	c, err := New(cfg)
	require.NoError(t, err)
	assert.Equal(t, time.Duration(0), c.cfg.RetryWaitMin)
	assert.Equal(t, time.Duration(0), c.cfg.RetryWaitMax)
	assert.Equal(t, 2, c.cfg.RetryMax)

	c, err = New(Config{BaseURL: "https://x.example"})
	require.NoError(t, err)
	assert.Equal(t, DefaultRetryWaitMin, c.cfg.RetryWaitMin, "no WithRetry: the defaults")
	assert.Equal(t, DefaultRetryMax, c.cfg.RetryMax)

	cfg = Config{BaseURL: "https://x.example"}
	WithRetry(0, 0, 0)(&cfg)
	c, err = New(cfg)
	require.NoError(t, err)
	assert.Equal(t, 0, c.cfg.RetryMax)
}

func TestCallInfo(t *testing.T) {
	c, mt := newMocked(t, "https://x.example", NoAuth())
	n := 0
	mt.RegisterResponder(http.MethodGet, "https://x.example/ok", func(*http.Request) (*http.Response, error) {
		n++
		if n == 1 {
			return httpmock.NewStringResponse(503, "busy"), nil
		}
		r := httpmock.NewStringResponse(200, "{}")
		r.Header.Set("X-Request-Id", "req-1")
		return r, nil
	})
	mt.RegisterResponder(http.MethodGet, "https://x.example/gone", func(*http.Request) (*http.Response, error) {
		r := httpmock.NewStringResponse(429, "slow down")
		r.Header.Set("X-Request-Id", "req-2")
		r.Header.Set("Retry-After", "120")
		return r, nil
	})

	var info CallInfo
	ctx := WithCallInfo(context.Background(), &info)
	_, err := c.Do(ctx, &Request{Method: http.MethodGet, Path: "/ok"})
	require.NoError(t, err)
	assert.Equal(t, "req-1", info.RequestID)
	assert.Equal(t, 2, info.Attempts)
	assert.Equal(t, 200, info.StatusCode)
	assert.Positive(t, info.Elapsed)

	_, err = c.Do(ctx, &Request{Method: http.MethodGet, Path: "/gone"})
	require.Error(t, err)
	assert.Equal(t, "req-2", info.RequestID)
	assert.Equal(t, 429, info.StatusCode)
	var te *Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 120*time.Second, te.RetryAfter)

	assert.Equal(t, context.Background(), WithCallInfo(context.Background(), nil))
}

// idleCounter is a caller's transport that counts CloseIdleConnections.
type idleCounter struct {
	http.RoundTripper
	closed int
}

func (i *idleCounter) CloseIdleConnections() { i.closed++ }

func TestCloseLeavesCallersClient(t *testing.T) {
	rt := &idleCounter{RoundTripper: httpmock.NewMockTransport()}
	cfg := Config{BaseURL: "https://x.example"}
	WithHTTPClient(&http.Client{Transport: rt})(&cfg)
	c, err := New(cfg)
	require.NoError(t, err)
	require.NoError(t, c.Close())
	assert.Equal(t, 0, rt.closed, "a caller's transport is not ours to close")

	own, err := New(Config{BaseURL: "https://x.example"})
	require.NoError(t, err)
	require.NotNil(t, own.owned, "New built its own pool")
	require.NoError(t, own.Close())
}

func TestErrorTextOneLine(t *testing.T) {
	e := &Error{Kind: ErrValidation, Method: "POST", Path: "/p\nq", Status: 422, Attempts: 2,
		Message: "a\r\nb", Cause: errors.New("c\nd"), Excerpt: "x\ny", RequestID: "r\n1"}
	got := ErrorText("prov", e, "", "server\nsays \"no\"")
	assert.NotContains(t, got, "\n")
	assert.NotContains(t, got, "\r")
	assert.Equal(t, `prov: POST /p\nq: rejected by provider validation (HTTP 422): "server\nsays \"no\"": a\r\nb: c\nd after 2 attempts (request id r\n1)`, got)
	e.Status, e.Message, e.Cause, e.Attempts, e.RequestID = 0, "", nil, 1, ""
	assert.Equal(t, `prov: POST /p\nq: rejected by provider validation: body: "x\ny"`, strings.Replace(ErrorText("prov", e, "", ""), ";", ":", 1))
}

type providerInvalid struct{ Field, Reason string }

func (p *providerInvalid) Error() string { return p.Field }

func TestInvalidErrorAsProviderType(t *testing.T) {
	err := error(Invalid("amount", "is negative"))
	var p *providerInvalid
	require.ErrorAs(t, err, &p)
	assert.Equal(t, "amount", p.Field)
	var te *Error
	assert.False(t, errors.As(err, &te))
}

// A call that ends by its context keeps the network error under the
// context's: both errors.Is(Canceled) and errors.As(*net.OpError).
func TestContextEndKeepsTheCause(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		cancel() // the caller gives up as the connection fails
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
	})
	cfg := Config{BaseURL: "https://x.example"}
	WithHTTPClient(&http.Client{Transport: rt})(&cfg)
	c, err := New(cfg)
	require.NoError(t, err)
	_, err = c.Do(ctx, &Request{Method: http.MethodGet, Path: "/slow"})
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	var op *net.OpError
	assert.ErrorAs(t, err, &op, "the cause survives the context error: %v", err)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// blockingEOF gives the whole body, then holds its end until the context
// is done: the reply is complete when the deadline is noticed.
type blockingEOF struct {
	ctx  context.Context
	body []byte
}

func (b *blockingEOF) Read(p []byte) (int, error) {
	if len(b.body) > 0 {
		n := copy(p, b.body)
		b.body = b.body[n:]
		return n, nil
	}
	<-b.ctx.Done()
	return 0, io.EOF
}

func (b *blockingEOF) Close() error { return nil }

// A complete 2xx reply is the answer even when the deadline passes as it
// ends: an unsafe call that was applied must not report "not applied".
func TestCompleteReplyAtTheDeadlineIsTheAnswer(t *testing.T) {
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{}, ContentLength: -1,
			Body: &blockingEOF{ctx: r.Context(), body: []byte(`{"ok":true}`)}, Request: r}, nil
	})
	cfg := Config{BaseURL: "https://x.example"}
	WithHTTPClient(&http.Client{Transport: rt})(&cfg)
	c, err := New(cfg)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	resp, err := c.Do(ctx, &Request{Method: http.MethodPost, Path: "/pay", Class: Unsafe,
		Body: &Body{ContentType: MediaJSON, Bytes: []byte(`{}`)}})
	require.NoError(t, err)
	assert.Equal(t, `{"ok":true}`, string(resp.Body))
}
