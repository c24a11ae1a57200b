package transport

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newMocked builds a client over an httpmock transport with fast retries.
func newMocked(t *testing.T, base string, auth Auth, settings ...Setting) (*Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Fatal))
	cfg := Config{BaseURL: base, Provider: "test", Auth: auth, HTTPClient: &http.Client{Transport: mt},
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond}
	for _, s := range settings {
		s(&cfg)
	}
	c, err := New(cfg)
	require.NoError(t, err)
	return c, mt
}

func TestBasePathIsKept(t *testing.T) {
	c, mt := newMocked(t, "https://api-staging.inex.ge/api/v1/", Bearer("tok"))
	mt.RegisterResponder("POST", "https://api-staging.inex.ge/api/v1/integrators/payments/debts/pay",
		httpmock.NewStringResponder(200, `{"data":{"transactionId":1}}`))
	body, err := JSON(map[string]string{"paymentId": "IN0001"})
	require.NoError(t, err)
	resp, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/integrators/payments/debts/pay", Body: &body})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.Status)
	assert.Equal(t, 1, resp.Attempts)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestServerErrorIsTyped(t *testing.T) {
	c, mt := newMocked(t, "https://example.test", NoAuth())
	mt.RegisterResponder("GET", "https://example.test/x", httpmock.NewStringResponder(500, "<html>oops</html>"))
	_, err := c.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	var te *Error
	require.ErrorAs(t, err, &te)
	assert.True(t, errors.Is(err, ErrServer))
	assert.Equal(t, 500, te.Status)
	assert.Equal(t, 4, te.Attempts)
	assert.Equal(t, "<html>oops</html>", te.Excerpt)
}
