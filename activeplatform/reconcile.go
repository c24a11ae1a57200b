package activeplatform

import (
	"context"
	"errors"
	"time"

	"github.com/caravanpay/caravan/internal/transport"
)

// maxReconciledSends is how many times a reconciled call (CompletePayment,
// CancelPayment) sends its request at most: the first, and a resend after
// each look that saw the payment still open.
const maxReconciledSends = 3

// paymentChange is one change of a payment's state that the client
// reconciles by reading the payment: a completion or a cancellation.
type paymentChange struct {
	// what names the change in messages ("completion"), done its result
	// ("completed").
	what, done string
	// req is the request that makes the change; it is sent as is, again
	// after each look that saw the payment still open.
	req                   transport.Request
	resellerID, paymentID int64
	// mark gives a refusal of the request its sentinel; may be nil.
	mark func(error)
	// judge tells how a payment read after an unknown outcome stands:
	// applied (the change is there), open (nothing was applied, the
	// request may be sent again), or neither: closed otherwise, described
	// by note for the error that wraps sentinel.
	judge    func(p *Payment) (applied, open bool, note string)
	sentinel error
}

// reconcile sends ch.req and, whenever its outcome is unknown or a resend
// fails, reads the payment before it gives up or sends again, inside ctx's
// deadline: a send may use two thirds of the time left (the transport's
// Reconciled class), and a resend is made only when the deadline leaves
// time to look after it.
func (c *Client) reconcile(ctx context.Context, ch *paymentChange) (*Payment, error) {
	inflight := false // an attempt was given up without a reply and may still land
	for sends := 1; ; sends++ {
		req := ch.req
		resp, err := c.send(ctx, &req)
		if err == nil {
			p, derr := decodeReply(resp, DecodePayment)
			if derr == nil {
				return p, nil
			}
			err = derr // an unreadable 2xx (a 204 included): the outcome is unknown
		}
		if ch.mark != nil {
			ch.mark(err)
		}
		// A failed resend is looked at whatever its error: an earlier send
		// may have landed since (a 422 refusal, or a plain 503 to the
		// resend while an earlier one was still in flight).
		resend := sends > 1
		if !errors.Is(err, ErrOutcomeUnknown) && !resend {
			return nil, err
		}
		inflight = inflight || transport.InFlight(err)
		lookStart := time.Now()
		p, again, lerr := c.lookAt(ctx, ch, err)
		if lerr != nil || p != nil {
			return p, lerr
		}
		look := time.Since(lookStart)
		dl, hasDeadline := ctx.Deadline()
		roomToLook := !hasDeadline || time.Until(dl) >= 3*look
		if !again || sends >= maxReconciledSends || ctx.Err() != nil || !roomToLook {
			if inflight || resend {
				// The payment reads open, but an attempt given up without
				// a reply may still be applied: not proof.
				var e *Error
				if errors.As(err, &e) {
					if !errors.Is(err, ErrOutcomeUnknown) {
						e.extra = ErrOutcomeUnknown
					}
					e.note = "the payment still reads waiting, but an attempt may still be in flight"
				}
				return nil, err
			}
			return nil, notApplied(err, "the payment is still waiting: not "+ch.done+" by this call")
		}
	}
}

// lookAt reads the payment after a change whose outcome is unknown (err).
// It returns the payment when the change is there, again when the payment
// is still open (nothing was applied), or the error to return.
func (c *Client) lookAt(ctx context.Context, ch *paymentChange, err error) (p *Payment, again bool, _ error) {
	p, gerr := c.getPayment(ctx, transport.Look, ch.resellerID, ch.paymentID)
	if gerr != nil {
		var e *Error
		if errors.As(err, &e) {
			if !errors.Is(err, ErrOutcomeUnknown) {
				e.extra = errors.Join(ErrOutcomeUnknown, gerr)
			} else {
				e.extra = gerr
			}
			e.note = "the " + ch.what + " may have happened, and reading the payment to find out failed: " + gerr.Error()
			return nil, false, e
		}
		return nil, false, err
	}
	applied, open, note := ch.judge(p)
	switch {
	case applied:
		return p, false, nil
	case open:
		return nil, true, nil
	}
	out := notApplied(err, note)
	var e *Error
	if errors.As(out, &e) {
		e.sentinel = ch.sentinel
	}
	return nil, false, out
}
