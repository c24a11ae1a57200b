package inex_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/caravanpay/caravan/inex"
	"github.com/caravanpay/caravan/inex/inextest"
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
	srv := inextest.NewServer()
	t.Cleanup(srv.Close)
	srv.SeedExamples()
	rt := &countingTransport{next: http.DefaultTransport}
	client, err := inex.NewClient(inextest.Token, inex.WithBaseURL(srv.URL), inex.WithRetry(0, 0, 0),
		inex.WithHTTPClient(&http.Client{Transport: rt}))
	require.NoError(t, err)

	var info inex.CallInfo
	ctx := inex.WithCallInfo(context.Background(), &info)
	srv.FailNextRetryAfter(1, http.StatusTooManyRequests, "", "7")
	_, err = client.PayDebt(ctx, &inex.PayDebtRequest{RoomNumber: "IG00001", PaymentID: "INV0001"})
	require.Error(t, err)
	assert.ErrorIs(t, err, inex.ErrRateLimited)
	var e *inex.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 7*time.Second, e.RetryAfter)
	assert.NotEmpty(t, e.Method)
	assert.True(t, strings.HasPrefix(e.Path, "/"), e.Path)
	assert.True(t, strings.HasPrefix(err.Error(), "inex: "+e.Method+" "+e.Path+": "), err.Error())
	assert.NotContains(t, err.Error(), "\n")
	assert.Equal(t, http.StatusTooManyRequests, info.StatusCode, "CallInfo is filled on failure too")
	assert.Equal(t, 1, info.Attempts)

	require.NoError(t, client.Close())
	assert.Zero(t, rt.closed, "Close leaves a caller's *http.Client alone")

	var ie *inex.InvalidRequestError
	_, err = inex.NewClient(inextest.Token, inex.WithBaseURL(srv.URL), inex.WithUserAgent("shop\r\nX-Evil: 1"))
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "WithUserAgent", ie.Field)
	_, err = inex.NewClient(inextest.Token, inex.WithBaseURL(srv.URL), inex.WithTimeout(0))
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "WithTimeout", ie.Field)
	assert.True(t, errors.Is(err, inex.ErrInvalidRequest))
	_, err = inex.NewClient(inextest.Token, inex.WithBaseURL(srv.URL), inex.WithHeader("Bad Name", "v"))
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "WithHeader", ie.Field)
	_, err = inex.NewClient(inextest.Token, inex.WithBaseURL(srv.URL), inex.WithHeader("X-Proxy-Key", "k"))
	require.NoError(t, err)

	own, err := inex.NewClient(inextest.Token, inex.WithBaseURL(srv.URL))
	require.NoError(t, err)
	require.NoError(t, own.Close(), "Close of a client's own pool")
}
