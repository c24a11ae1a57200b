package activeplatform

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

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

// maxCancelSends is how many times CancelPayment sends its DELETE at most.
const maxCancelSends = 3

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
	path := paymentPath(req.ResellerID, strconv.FormatInt(req.PaymentID, 10))
	inflight := false
	for sends := 1; ; sends++ {
		resp, err := c.send(ctx, &transport.Request{
			Method: http.MethodDelete, Path: path, Class: transport.Reconciled,
		})
		if err == nil {
			p, derr := decodeReply(resp, DecodePayment)
			if derr == nil {
				return p, nil
			}
			err = derr // an unreadable 2xx (a 204 included): the outcome is unknown
		}
		markNotCancellable(err)
		resend := sends > 1
		if !errors.Is(err, ErrOutcomeUnknown) && !resend {
			return nil, err
		}
		inflight = inflight || transport.InFlight(err)
		lookStart := time.Now()
		p, again, lerr := c.lookCancelled(ctx, req, err)
		if lerr != nil || p != nil {
			return p, lerr
		}
		look := time.Since(lookStart)
		dl, hasDeadline := ctx.Deadline()
		roomToLook := !hasDeadline || time.Until(dl) >= 3*look
		if !again || sends >= maxCancelSends || ctx.Err() != nil || !roomToLook {
			if inflight || resend {
				var e *Error
				if errors.As(err, &e) {
					if !errors.Is(err, ErrOutcomeUnknown) {
						e.extra = ErrOutcomeUnknown
					}
					e.note = "the payment still reads waiting, but an attempt may still be in flight"
				}
				return nil, err
			}
			return nil, notApplied(err, "the payment is still waiting: not cancelled by this call")
		}
	}
}

// markNotCancellable gives a 422 to the DELETE its sentinel.
func markNotCancellable(err error) {
	var e *Error
	if errors.As(err, &e) && e.StatusCode == http.StatusUnprocessableEntity && e.sentinel == nil {
		e.sentinel = ErrNotCancellable
	}
}

// lookCancelled reads the payment after a cancellation whose outcome is
// unknown (err): the payment when it is cancelled, again when it is still
// waiting (nothing was applied), or the error to return.
func (c *Client) lookCancelled(ctx context.Context, req *CancelPaymentRequest, err error) (p *Payment, again bool, _ error) {
	p, gerr := c.getPayment(ctx, transport.Look, req.ResellerID, req.PaymentID)
	if gerr != nil {
		var e *Error
		if errors.As(err, &e) {
			if !errors.Is(err, ErrOutcomeUnknown) {
				e.extra = errors.Join(ErrOutcomeUnknown, gerr)
			} else {
				e.extra = gerr
			}
			e.note = "the cancellation may have happened, and reading the payment to find out failed: " + gerr.Error()
			return nil, false, e
		}
		return nil, false, err
	}
	switch p.Status {
	case PaymentCancelled:
		return p, false, nil
	case PaymentWaitingForPayment:
		return nil, true, nil
	}
	out := notApplied(err, fmt.Sprintf("the payment is %s, not cancelled by this call", p.Status))
	var e *Error
	if errors.As(out, &e) {
		e.sentinel = ErrNotCancellable
	}
	return nil, false, out
}
