package activeplatform

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

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
	return c.reconcile(ctx, &paymentChange{
		what: "completion", done: "completed",
		req: transport.Request{
			Method: http.MethodPatch, Path: paymentPath(req.ResellerID, id), Body: body, Class: transport.Reconciled,
		},
		resellerID: req.ResellerID, paymentID: req.PaymentID,
		judge: func(p *Payment) (applied, open bool, note string) {
			applied = p.Status == PaymentCompleted && completedWith(p, req.PaymentMethodID)
			return applied, p.Status.Completable(), fmt.Sprintf(
				"the payment is %s with payment method %d, not completed by this call", p.Status, p.PaymentMethodID)
		},
		sentinel: ErrNotCompletable,
	})
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
