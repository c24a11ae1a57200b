package activeplatform_test

import (
	"context"
	"testing"
	"time"

	"github.com/caravanpay/caravan/activeplatform"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCompletePaymentReplyHeldPastTheDeadlineIsSettledByALook(t *testing.T) {
	srv, c := newFake(t)
	srv.SlowNext(1, time.Hour) // the completion is held; it is applied when the client gives up
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	p, err := c.CompletePayment(ctx, &activeplatform.CompletePaymentRequest{ResellerID: 1, PaymentID: 6475, PaymentMethodID: 2})
	require.NoError(t, err, "the SDK kept time to look and found the payment completed")
	assert.Equal(t, activeplatform.PaymentCompleted, p.Status)
	assert.Equal(t, 1, srv.Completions(6475))
	assert.NoError(t, ctx.Err(), "settled inside the caller's deadline")
}

func TestCompletePaymentEveryReplyCutIsSettledByALook(t *testing.T) {
	srv, c := newFake(t)
	srv.CutAfterNext(1)
	_, err := c.CompletePayment(context.Background(), &activeplatform.CompletePaymentRequest{ResellerID: 1, PaymentID: 6475, PaymentMethodID: 2})
	require.NoError(t, err)
	assert.Equal(t, 1, srv.Completions(6475))
}

func TestCompletePaymentLostReplyNotAppliedIsSentAgain(t *testing.T) {
	srv, c := newFake(t)
	srv.CutNext(1) // the connection is cut before the installation processes the PATCH
	_, err := c.CompletePayment(context.Background(), &activeplatform.CompletePaymentRequest{ResellerID: 1, PaymentID: 6475, PaymentMethodID: 2})
	require.NoError(t, err)
	var methods []string
	for _, r := range srv.Requests() {
		methods = append(methods, r.Method)
	}
	assert.Equal(t, []string{"PATCH", "GET", "PATCH"}, methods, "looked, found it waiting, sent again")
	assert.Equal(t, 1, srv.Completions(6475))
}

func TestCreatePaymentGatewayErrorIsOutcomeUnknown(t *testing.T) {
	srv, c := newFake(t)
	srv.FailNext(1, 502, "<html>Bad Gateway</html>")
	_, err := c.CreatePayment(context.Background(), 1, &activeplatform.CreatePaymentRequest{AccountID: 505, Total: "10.0", Comment: "top-up payment"})
	require.Error(t, err)
	assert.ErrorIs(t, err, activeplatform.ErrOutcomeUnknown)
	assert.False(t, activeplatform.SafeToRepeat(err))
}
