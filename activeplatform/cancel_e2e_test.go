package activeplatform_test

import (
	"context"
	"testing"

	"github.com/caravanpay/caravan/activeplatform"
	"github.com/caravanpay/caravan/activeplatform/activeplatformtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFakeCancelPayment(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	p, err := c.CancelPayment(ctx, &activeplatform.CancelPaymentRequest{ResellerID: 1, PaymentID: 6475})
	require.NoError(t, err)
	assert.Equal(t, activeplatform.PaymentCancelled, p.Status)
	require.NotNil(t, p.ClosedAt)
	assert.Equal(t, 1, srv.Cancellations(6475))

	// Cancelled is final: a second cancel and a completion are refused.
	_, err = c.CancelPayment(ctx, &activeplatform.CancelPaymentRequest{ResellerID: 1, PaymentID: 6475})
	assert.ErrorIs(t, err, activeplatform.ErrNotCancellable)
	assert.NotErrorIs(t, err, activeplatform.ErrOutcomeUnknown)
	_, err = c.CompletePayment(ctx, &activeplatform.CompletePaymentRequest{ResellerID: 1, PaymentID: 6475, PaymentMethodID: 2})
	assert.ErrorIs(t, err, activeplatform.ErrNotCompletable)
	assert.Equal(t, 1, srv.Cancellations(6475))
	assert.Zero(t, srv.Completions(6475))

	// Expired, completed and postpaid-linked payments cannot be cancelled.
	srv.AddPayment(activeplatformtest.Payment{ID: 7001, ResellerID: 1, AccountID: 505, Total: "1", Status: activeplatformtest.StatusExpired})
	srv.AddPayment(activeplatformtest.Payment{ID: 7002, ResellerID: 1, AccountID: 505, Total: "1", Status: activeplatformtest.StatusCompleted})
	srv.AddPayment(activeplatformtest.Payment{ID: 7003, ResellerID: 1, AccountID: 505, Total: "1", PostpaidInvoiceID: 2046})
	for _, id := range []int64{7001, 7002, 7003} {
		_, err := c.CancelPayment(ctx, &activeplatform.CancelPaymentRequest{ResellerID: 1, PaymentID: id})
		assert.ErrorIs(t, err, activeplatform.ErrNotCancellable, id)
		assert.ErrorIs(t, err, activeplatform.ErrValidation, id)
		assert.Zero(t, srv.Cancellations(id))
	}
	_, err = c.CancelPayment(ctx, &activeplatform.CancelPaymentRequest{ResellerID: 2, PaymentID: 7001})
	assert.ErrorIs(t, err, activeplatform.ErrNotFound, "another reseller's payment")
}

// The DELETE lands and its reply is lost: the client looks, finds the
// payment cancelled and succeeds, without a second DELETE.
func TestFakeCancelLostReplyReconciles(t *testing.T) {
	srv, c := newFake(t)
	srv.Route("DELETE payments/{payment_id}").CutAfterNext(1)
	p, err := c.CancelPayment(context.Background(), &activeplatform.CancelPaymentRequest{ResellerID: 1, PaymentID: 6475})
	require.NoError(t, err)
	assert.Equal(t, activeplatform.PaymentCancelled, p.Status)
	assert.Equal(t, 1, srv.Cancellations(6475))
	var methods []string
	for _, r := range srv.Requests() {
		methods = append(methods, r.Method)
	}
	assert.Equal(t, []string{"DELETE", "GET"}, methods)
}

// The DELETE is cut before it is processed: the look reads it waiting and
// the client sends it again, once.
func TestFakeCancelCutBeforeResends(t *testing.T) {
	srv, c := newFake(t)
	srv.Route("DELETE payments/{payment_id}").CutNext(1)
	_, err := c.CancelPayment(context.Background(), &activeplatform.CancelPaymentRequest{ResellerID: 1, PaymentID: 6475})
	require.NoError(t, err)
	assert.Equal(t, 1, srv.Cancellations(6475))
}
