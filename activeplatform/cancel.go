package activeplatform

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/caravanpay/caravan/internal/transport"
)

// ErrNotCancellable means the installation refused to cancel a payment
// (HTTP 422): only waiting_for_payment payments that are not linked to a
// postpaid invoice can be cancelled ("Only payments with "waiting for
// payment" status can be cancelled.", or the postpaid-invoice refusal). It
// also matches [ErrValidation].
var ErrNotCancellable = errors.New("activeplatform: payment cannot be cancelled")

// CancelPaymentRequest cancels one payment; see [Client.CancelPayment].
type CancelPaymentRequest struct {
	// ResellerID is reseller_id: the reseller the payment belongs to (or
	// one of its upstream resellers). Required, positive.
	ResellerID int64
	// PaymentID is payment_id: the payment's id. Required, positive.
	PaymentID int64
}

// CancelPayment cancels an unpaid payment and returns it, now cancelled.
// Only payments in status waiting_for_payment that are not linked to a
// postpaid invoice can be cancelled; any other is refused with HTTP 422,
// returned as an *Error matching [ErrNotCancellable] and [ErrValidation].
//
// Endpoint: DELETE /api/v3/resellers/{reseller_id}/payments/{payment_id},
// no body; the reply is the payment (as Get payment without includes).
//
// Retry class: reconciled, as [Client.CompletePayment]. The DELETE is
// resent by the transport only when the request surely never arrived (a
// dial error, 429, 503). When an attempt may have been applied (a cut or
// timed-out reply, a 5xx, an unreadable 2xx), CancelPayment reads the
// payment inside ctx's deadline before it gives up or sends again:
//
//   - cancelled: the cancellation happened; the payment is returned with a
//     nil error;
//   - still waiting_for_payment: nothing happened; the DELETE is sent again
//     (at most three sends in all) while time remains, else an error that
//     does NOT match ErrOutcomeUnknown is returned;
//   - completed, expired or any other status: not cancelled by this call;
//     an error matching [ErrNotCancellable] is returned.
//
// A 422 answering a resend — what a retry meets when the first DELETE
// landed and its reply was lost — is checked the same way.
//
// What to do with the outcome:
//   - nil: cancelled, exactly once.
//   - errors.Is(err, ErrOutcomeUnknown): the look could not run (the
//     deadline passed, the read failed). The cancellation may have
//     happened. [SafeToRepeat] is true: call CancelPayment again with the
//     same request — it looks again and cancels at most once — or read the
//     payment later.
//   - any other error: not cancelled by this call. ErrNotCancellable: the
//     payment was not waiting_for_payment (already cancelled, completed or
//     expired before this call, or by someone else) or is linked to a
//     postpaid invoice.
//
// A cancellation by someone else between a lost attempt and the look cannot
// be told apart from this call's own; both leave the payment cancelled.
func (c *Client) CancelPayment(ctx context.Context, req *CancelPaymentRequest) (*Payment, error) {
	if req == nil {
		return nil, invalid("request", "is nil")
	}
	if err := checkID("reseller_id", req.ResellerID); err != nil {
		return nil, err
	}
	if err := checkID("payment_id", req.PaymentID); err != nil {
		return nil, err
	}
	return c.reconcile(ctx, &paymentChange{
		what: "cancellation", done: "cancelled",
		req: transport.Request{
			Method: http.MethodDelete, Path: paymentPath(req.ResellerID, strconv.FormatInt(req.PaymentID, 10)),
			Class: transport.Reconciled,
		},
		resellerID: req.ResellerID, paymentID: req.PaymentID,
		mark: markNotCancellable,
		judge: func(p *Payment) (applied, open bool, note string) {
			return p.Status == PaymentCancelled, p.Status == PaymentWaitingForPayment,
				fmt.Sprintf("the payment is %s, not cancelled by this call", p.Status)
		},
		sentinel: ErrNotCancellable,
	})
}

// markNotCancellable gives a 422 to the DELETE its sentinel.
func markNotCancellable(err error) {
	var e *Error
	if errors.As(err, &e) && e.StatusCode == http.StatusUnprocessableEntity && e.sentinel == nil {
		e.sentinel = ErrNotCancellable
	}
}
