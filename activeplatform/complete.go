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

// CompletePaymentRequest completes one payment; see [Client.CompletePayment].
type CompletePaymentRequest struct {
	// ResellerID is reseller_id: the reseller the payment belongs to (or
	// one of its upstream resellers). Required, positive.
	ResellerID int64
	// PaymentID is payment_id: the payment's id. Required, positive.
	PaymentID int64
	// PaymentMethodID is payment_method_id: the method the money arrived
	// by. Required, positive.
	PaymentMethodID int64
}

type completeAttrs struct {
	PaymentMethodID int64 `json:"payment_method_id"`
}

// maxCompleteSends is how many times CompletePayment sends its PATCH at
// most: the first, and a resend after each look that saw the payment
// still waiting.
const maxCompleteSends = 3

// CompletePayment marks a payment as paid with the given payment method,
// for example when the money arrived through an external system, and
// returns the completed payment. Only payments in status
// waiting_for_payment or expired can be completed; any other is refused
// with HTTP 422, returned as an *Error matching [ErrNotCompletable] and
// [ErrValidation].
//
// Endpoint: PATCH /api/v3/resellers/{reseller_id}/payments/{payment_id},
// body {"data":{"type":"payments","id":"6475","attributes":{"payment_method_id":2}}}
// (the document's example leaves type and id out, which JSON:API forbids
// in an update; the installation accepts both forms).
//
// Retry class: reconciled. The PATCH is resent by the transport only when
// the request surely never arrived (a dial error, 429, 503). When an
// attempt may have been applied (a cut or timed-out reply, a 5xx, an
// unreadable 2xx), CompletePayment looks before it gives up or sends
// again: it reads the payment ([Client.GetPayment]) inside ctx's deadline
// — an attempt may use only two thirds of the time left, so that a reply
// held too long still leaves time for the look:
//
//   - completed with PaymentMethodID: the completion happened; the payment
//     is returned with a nil error;
//   - still waiting_for_payment or expired: nothing happened; the PATCH is
//     sent again (at most three sends in all) while time remains, else an
//     error that does NOT match ErrOutcomeUnknown is returned;
//   - completed with another method, or cancelled: not completed by this
//     call; an error matching [ErrNotCompletable] is returned.
//
// A 422 "not completable" answering a resend is checked the same way.
//
// What to do with the outcome:
//   - nil: completed, exactly once.
//   - errors.Is(err, ErrOutcomeUnknown): the look could not run (the
//     deadline passed, the read failed). The completion may have happened.
//     [SafeToRepeat] is true: call CompletePayment again with the same
//     request — it completes at most once and looks again — or read the
//     payment with GetPayment later.
//   - any other error: not completed by this call. ErrNotCompletable: the
//     payment was already closed (completed, cancelled) before or by
//     someone else.
//
// Note that a completion by someone else, with the same method, between a
// lost attempt and the look cannot be told apart from this call's own.
func (c *Client) CompletePayment(ctx context.Context, req *CompletePaymentRequest) (*Payment, error) {
	if req == nil {
		return nil, invalid("request", "is nil")
	}
	if err := checkID("reseller_id", req.ResellerID); err != nil {
		return nil, err
	}
	if err := checkID("payment_id", req.PaymentID); err != nil {
		return nil, err
	}
	if err := checkID("payment_method_id", req.PaymentMethodID); err != nil {
		return nil, err
	}
	id := strconv.FormatInt(req.PaymentID, 10) // once, for the body and the path
	body, err := jsonAPIBody("payments", id, completeAttrs{PaymentMethodID: req.PaymentMethodID})
	if err != nil {
		return nil, err
	}
	path := paymentPath(req.ResellerID, id)
	inflight := false // an attempt was given up without a reply and may still land
	for sends := 1; ; sends++ {
		resp, err := c.send(ctx, &transport.Request{
			Method: http.MethodPatch, Path: path, Body: body, Class: transport.Reconciled,
		})
		if err == nil {
			p, derr := decodeReply(resp, DecodePayment)
			if derr == nil {
				return p, nil
			}
			err = derr // an unreadable 2xx: the outcome is unknown
		}
		// A failed resend is looked at whatever its error: an earlier send
		// may have landed since (a 422 "not completable", or a plain 503
		// to the resend while an earlier one was still in flight).
		resend := sends > 1
		if !errors.Is(err, ErrOutcomeUnknown) && !resend {
			return nil, err
		}
		inflight = inflight || transport.InFlight(err)
		lookStart := time.Now()
		p, again, lerr := c.lookCompleted(ctx, req, err)
		if lerr != nil || p != nil {
			return p, lerr
		}
		// Send again only when the deadline leaves time to look after it
		// (a send may use two thirds of what remains).
		look := time.Since(lookStart)
		dl, hasDeadline := ctx.Deadline()
		roomToLook := !hasDeadline || time.Until(dl) >= 3*look
		if !again || sends >= maxCompleteSends || ctx.Err() != nil || !roomToLook {
			if inflight || resend {
				// The payment reads waiting, but an attempt given up
				// without a reply may still be applied: not proof.
				var e *Error
				if errors.As(err, &e) {
					if !errors.Is(err, ErrOutcomeUnknown) {
						e.extra = ErrOutcomeUnknown
					}
					e.note = "the payment still reads waiting, but an attempt may still be in flight"
				}
				return nil, err
			}
			return nil, notApplied(err, "the payment is still waiting: not completed by this call")
		}
	}
}

// lookCompleted reads the payment after a completion whose outcome is
// unknown (err). It returns the payment when it is completed with the
// requested method, again when it is still completable (nothing was
// applied), or the error to return.
func (c *Client) lookCompleted(ctx context.Context, req *CompletePaymentRequest, err error) (p *Payment, again bool, _ error) {
	p, gerr := c.getPayment(ctx, transport.Look, req.ResellerID, req.PaymentID)
	if gerr != nil {
		var e *Error
		if errors.As(err, &e) {
			if !errors.Is(err, ErrOutcomeUnknown) {
				e.extra = errors.Join(ErrOutcomeUnknown, gerr)
			} else {
				e.extra = gerr
			}
			e.note = "the completion may have happened, and reading the payment to find out failed: " + gerr.Error()
			return nil, false, e
		}
		return nil, false, err
	}
	switch {
	case p.Status == PaymentCompleted && completedWith(p, req.PaymentMethodID):
		return p, false, nil
	case p.Status.Completable():
		return nil, true, nil
	}
	e := notApplied(err, fmt.Sprintf("the payment is %s with payment method %d, not completed by this call",
		p.Status, p.PaymentMethodID)).(*Error)
	e.sentinel = ErrNotCompletable
	return nil, false, e
}

// notApplied turns err, whose outcome was unknown, into the error of a
// call a look proved not applied.
func notApplied(err error, note string) error {
	var te *transport.Error
	if !errors.As(err, &te) {
		return err
	}
	e := wrapError(te.NotApplied(note)).(*Error)
	var orig *Error
	if errors.As(err, &orig) && orig.sentinel != nil {
		e.sentinel = orig.sentinel
	}
	return e
}

func completedWith(p *Payment, methodID int64) bool {
	if p.PaymentMethodID != 0 {
		return p.PaymentMethodID == methodID
	}
	return p.Relationships.PaymentMethodID == strconv.FormatInt(methodID, 10)
}
