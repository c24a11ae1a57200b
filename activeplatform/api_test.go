package activeplatform_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/caravanpay/caravan/activeplatform"
	"github.com/caravanpay/caravan/activeplatform/activeplatformtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingTransport is a caller's transport: Close must leave it alone.
type countingTransport struct {
	next   http.RoundTripper
	closed int
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return c.next.RoundTrip(r)
}
func (c *countingTransport) CloseIdleConnections() { c.closed++ }

// A rate-limited call: the error carries Method, Path and the reply's
// Retry-After, the CallInfo describes it, and Close leaves the caller's
// transport alone.
func TestAPIConventions(t *testing.T) {
	srv := activeplatformtest.NewServer()
	t.Cleanup(srv.Close)
	srv.SeedExample()
	rt := &countingTransport{next: http.DefaultTransport}
	client, err := activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL(srv.URL), activeplatform.WithRetry(0, 0, 0),
		activeplatform.WithHTTPClient(&http.Client{Transport: rt}))
	require.NoError(t, err)

	var info activeplatform.CallInfo
	ctx := activeplatform.WithCallInfo(context.Background(), &info)
	srv.FailNextRetryAfter(1, http.StatusTooManyRequests, "", "7")
	_, err = client.GetPayment(ctx, 1, 6475)
	require.Error(t, err)
	assert.ErrorIs(t, err, activeplatform.ErrRateLimited)
	var e *activeplatform.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 7*time.Second, e.RetryAfter)
	assert.NotEmpty(t, e.Method)
	assert.True(t, strings.HasPrefix(e.Path, "/"), e.Path)
	assert.True(t, strings.HasPrefix(err.Error(), "activeplatform: "+e.Method+" "+e.Path+": "), err.Error())
	assert.NotContains(t, err.Error(), "\n")
	assert.Equal(t, http.StatusTooManyRequests, info.StatusCode, "CallInfo is filled on failure too")
	assert.Equal(t, 1, info.Attempts)

	require.NoError(t, client.Close())
	assert.Zero(t, rt.closed, "Close leaves a caller's *http.Client alone")

	var ie *activeplatform.InvalidRequestError
	_, err = activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL(srv.URL), activeplatform.WithUserAgent("shop\r\nX-Evil: 1"))
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "WithUserAgent", ie.Field)
	_, err = activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL(srv.URL), activeplatform.WithTimeout(0))
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "WithTimeout", ie.Field)
	assert.True(t, errors.Is(err, activeplatform.ErrInvalidRequest))
	_, err = activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL(srv.URL), activeplatform.WithHeader("Bad Name", "v"))
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "WithHeader", ie.Field)
	_, err = activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL(srv.URL), activeplatform.WithHeader("X-Proxy-Key", "k"))
	require.NoError(t, err)

	own, err := activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL(srv.URL))
	require.NoError(t, err)
	require.NoError(t, own.Close(), "Close of a client's own pool")
}

// The exported decoders' errors match ErrUnexpectedResponse and keep
// their cause.
func TestDecodersMatchErrUnexpectedResponse(t *testing.T) {
	for name, decode := range map[string]func([]byte) error{
		"payment":  func(b []byte) error { _, err := activeplatform.DecodePayment(b); return err },
		"page":     func(b []byte) error { _, err := activeplatform.DecodePaymentPage(b); return err },
		"reseller": func(b []byte) error { _, err := activeplatform.DecodeReseller(b); return err },
	} {
		for _, body := range []string{`<html>`, `{"data":null}`, `{"errors":[{"title":"x"}]}`, `{"data":{"type":"payments","id":"abc"}}`} {
			err := decode([]byte(body))
			require.Error(t, err, name+" "+body)
			assert.ErrorIs(t, err, activeplatform.ErrUnexpectedResponse, name+" "+body)
			assert.True(t, strings.HasPrefix(err.Error(), "activeplatform: unexpected response: "), err.Error())
		}
	}
	_, err := activeplatform.DecodePayment([]byte(`{"data":`))
	var se *json.SyntaxError
	assert.ErrorAs(t, err, &se, "the cause is kept")
	p, err := activeplatform.DecodePayment([]byte(`{"data":{"type":"payments","id":"6475","attributes":{"total":"99.0"}}}`))
	require.NoError(t, err)
	assert.Equal(t, int64(6475), p.ID, "the id the methods take, without strconv")
}
