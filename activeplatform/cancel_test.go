package activeplatform

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

const cancelURL = "https://test.activeplatform.com/proxy/api/v3/resellers/1/payments/6476"

func TestCancelPaymentWire(t *testing.T) {
	c, mt := newMocked(t)
	var rec recorder
	mt.RegisterResponder("DELETE", cancelURL, rec.reply(reply{status: 200, body: fixture(t, "cancel_payment_response.json")}))
	p, err := c.CancelPayment(context.Background(), &CancelPaymentRequest{ResellerID: 1, PaymentID: 6476})
	require.NoError(t, err)
	assert.Equal(t, PaymentCancelled, p.Status)
	assert.Equal(t, "2005259", p.DocumentID)
	reqs := rec.all()
	require.Len(t, reqs, 1)
	assert.Equal(t, http.MethodDelete, reqs[0].Method)
	assert.Equal(t, cancelURL, reqs[0].URL)
	assertJSONAPIHeaders(t, reqs[0], false)
}

func TestCancelPaymentNotCancellable(t *testing.T) {
	c, mt := newMocked(t)
	var rec recorder
	mt.RegisterResponder("DELETE", cancelURL, rec.reply(reply{status: 422, body: fixture(t, "not_cancellable_422.json")}))
	_, err := c.CancelPayment(context.Background(), &CancelPaymentRequest{ResellerID: 1, PaymentID: 6476})
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrNotCancellable)
	assert.ErrorIs(t, err, ErrValidation)
	assert.NotErrorIs(t, err, ErrNotCompletable)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	assert.Contains(t, err.Error(), `status can be cancelled.`)
	assert.Len(t, rec.all(), 1, "a 422 to the first send is the answer: no look")
}

// A lost reply: the DELETE landed. The look reads the payment cancelled.
func TestCancelPaymentLostReplyLooks(t *testing.T) {
	c, mt := newMocked(t)
	var rec recorder
	mt.RegisterResponder("DELETE", cancelURL, rec.reply(reply{status: 502, body: "<html>bad gateway</html>"}))
	mt.RegisterResponder("GET", cancelURL, rec.reply(reply{status: 200, body: fixture(t, "cancel_payment_response.json")}))
	p, err := c.CancelPayment(context.Background(), &CancelPaymentRequest{ResellerID: 1, PaymentID: 6476})
	require.NoError(t, err)
	assert.Equal(t, PaymentCancelled, p.Status)
	reqs := rec.all()
	require.Len(t, reqs, 2)
	assert.Equal(t, http.MethodGet, reqs[1].Method, "the look")
}

// The look reads the payment still waiting: nothing happened, the DELETE
// is sent again; its 422 (an earlier send landed since) is looked at too.
func TestCancelPaymentResendAfterWaiting(t *testing.T) {
	c, mt := newMocked(t)
	var rec recorder
	waiting := `{"data":{"id":"6476","type":"payments","attributes":{"status":"waiting_for_payment"}}}`
	mt.RegisterResponder("DELETE", cancelURL, rec.reply(
		reply{status: 502, body: "bad gateway"},
		reply{status: 422, body: fixture(t, "not_cancellable_422.json")}))
	mt.RegisterResponder("GET", cancelURL, rec.reply(
		reply{status: 200, body: waiting},
		reply{status: 200, body: fixture(t, "cancel_payment_response.json")}))
	p, err := c.CancelPayment(context.Background(), &CancelPaymentRequest{ResellerID: 1, PaymentID: 6476})
	require.NoError(t, err)
	assert.Equal(t, PaymentCancelled, p.Status)
	var methods []string
	for _, r := range rec.all() {
		methods = append(methods, r.Method)
	}
	assert.Equal(t, []string{"DELETE", "GET", "DELETE", "GET"}, methods)
}

// A look that finds the payment completed: not cancelled by this call.
func TestCancelPaymentLookFindsCompleted(t *testing.T) {
	c, mt := newMocked(t, WithRetry(0, 0, 0))
	var rec recorder
	mt.RegisterResponder("DELETE", cancelURL, rec.reply(reply{status: 500, body: "boom"}))
	mt.RegisterResponder("GET", cancelURL, rec.reply(reply{status: 200,
		body: `{"data":{"id":"6476","type":"payments","attributes":{"status":"completed"}}}`}))
	_, err := c.CancelPayment(context.Background(), &CancelPaymentRequest{ResellerID: 1, PaymentID: 6476})
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrNotCancellable)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	assert.True(t, SafeToRepeat(err))
}

// The look cannot run: the outcome is unknown, and the call may be sent
// again (it looks before it sends).
func TestCancelPaymentLookFailsIsUnknown(t *testing.T) {
	c, mt := newMocked(t, WithRetry(0, 0, 0))
	mt.RegisterResponder("DELETE", cancelURL, httpmock.NewErrorResponder(errors.New("connection reset by peer")))
	mt.RegisterResponder("GET", cancelURL, httpmock.NewStringResponder(503, "down"))
	_, err := c.CancelPayment(context.Background(), &CancelPaymentRequest{ResellerID: 1, PaymentID: 6476})
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.True(t, SafeToRepeat(err), "reconciled: safe to repeat")
	assert.Contains(t, err.Error(), "reading the payment to find out failed")
}

// Still waiting after the last send, with no attempt in flight: not
// applied.
func TestCancelPaymentStillWaitingIsNotApplied(t *testing.T) {
	c, mt := newMocked(t, WithRetry(0, 0, 0))
	var rec recorder
	waiting := `{"data":{"id":"6476","type":"payments","attributes":{"status":"waiting_for_payment"}}}`
	mt.RegisterResponder("DELETE", cancelURL, rec.reply(reply{status: 500, body: "boom"}))
	mt.RegisterResponder("GET", cancelURL, rec.reply(reply{status: 200, body: waiting}))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := c.CancelPayment(ctx, &CancelPaymentRequest{ResellerID: 1, PaymentID: 6476})
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrServer)
	var sends int
	for _, r := range rec.all() {
		if r.Method == http.MethodDelete {
			sends++
		}
	}
	assert.Equal(t, maxReconciledSends, sends)
	// The later sends were resends: an earlier one may still land, so the
	// outcome stays unknown rather than "not applied".
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.True(t, SafeToRepeat(err))
}

func TestCancelPaymentValidation(t *testing.T) {
	c, _ := newMocked(t)
	for field, req := range map[string]*CancelPaymentRequest{
		"request":     nil,
		"reseller_id": {ResellerID: 0, PaymentID: 1},
		"payment_id":  {ResellerID: 1, PaymentID: -1},
	} {
		_, err := c.CancelPayment(context.Background(), req)
		var ie *InvalidRequestError
		require.ErrorAs(t, err, &ie, field)
		assert.Equal(t, field, ie.Field)
		assert.ErrorIs(t, err, ErrInvalidRequest)
	}
}
