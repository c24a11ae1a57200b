package resid_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/caravanpay/caravan/resid"
	"github.com/caravanpay/caravan/resid/residtest"
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
	srv := residtest.NewServer()
	t.Cleanup(srv.Close)
	rt := &countingTransport{next: http.DefaultTransport}
	client, err := resid.NewClient(residtest.AuthorizationCode, resid.WithBaseURL(srv.URL), resid.WithRetry(0, 0, 0),
		resid.WithHTTPClient(&http.Client{Transport: rt}))
	require.NoError(t, err)

	var info resid.CallInfo
	ctx := resid.WithCallInfo(context.Background(), &info)
	srv.FailNextRetryAfter(1, http.StatusTooManyRequests, "", "7")
	_, err = client.CreatePayment(ctx, &resid.CreatePaymentRequest{Amount: 10000, Merchant: residtest.Merchant})
	require.Error(t, err)
	assert.ErrorIs(t, err, resid.ErrRateLimited)
	var e *resid.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 7*time.Second, e.RetryAfter)
	assert.NotEmpty(t, e.Method)
	assert.True(t, strings.HasPrefix(e.Path, "/"), e.Path)
	assert.True(t, strings.HasPrefix(err.Error(), "resid: "+e.Method+" "+e.Path+": "), err.Error())
	assert.NotContains(t, err.Error(), "\n")
	assert.Equal(t, http.StatusTooManyRequests, info.StatusCode, "CallInfo is filled on failure too")
	assert.Equal(t, 1, info.Attempts)

	require.NoError(t, client.Close())
	assert.Zero(t, rt.closed, "Close leaves a caller's *http.Client alone")

	var ie *resid.InvalidRequestError
	_, err = resid.NewClient(residtest.AuthorizationCode, resid.WithBaseURL(srv.URL), resid.WithUserAgent("shop\r\nX-Evil: 1"))
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "WithUserAgent", ie.Field)
	_, err = resid.NewClient(residtest.AuthorizationCode, resid.WithBaseURL(srv.URL), resid.WithTimeout(0))
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "WithTimeout", ie.Field)
	assert.True(t, errors.Is(err, resid.ErrInvalidRequest))
	_, err = resid.NewClient(residtest.AuthorizationCode, resid.WithBaseURL(srv.URL), resid.WithHeader("Bad Name", "v"))
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "WithHeader", ie.Field)
	_, err = resid.NewClient(residtest.AuthorizationCode, resid.WithBaseURL(srv.URL), resid.WithHeader("X-Proxy-Key", "k"))
	require.NoError(t, err)

	own, err := resid.NewClient(residtest.AuthorizationCode, resid.WithBaseURL(srv.URL))
	require.NoError(t, err)
	require.NoError(t, own.Close(), "Close of a client's own pool")
}
