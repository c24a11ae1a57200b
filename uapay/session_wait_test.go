package uapay

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

// A call whose context ends while another call creates the session sends
// nothing and fails with a typed error that reaches the context's.
func TestSessionWaitEndedByContext(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Fatal))
	c, err := NewClient("client", "key", WithBaseURL("https://uapay.example/"), WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, err)
	c.sess.lock <- struct{}{} // another call is creating the session
	defer func() { <-c.sess.lock }()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err = c.ShowInvoice(ctx, "065f927e-f78f-4d9a-ad07-cef58c16ca96")
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorIs(t, err, ErrNetwork)
	assert.False(t, errors.Is(err, ErrOutcomeUnknown), "nothing was sent")
	assert.Equal(t, "/api/sessions/create", e.Path)
	assert.Zero(t, mt.GetTotalCallCount())
}
