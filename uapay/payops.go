package uapay

import (
	"context"
)

// CompletePaymentRequest captures a held payment; see
// [Client.CompletePayment].
type CompletePaymentRequest struct {
	// PaymentID is the payment's UUID (paymentId); required.
	PaymentID string
	// InvoiceID is the UUID of the payment's invoice (invoiceId);
	// required.
	InvoiceID string
	// Amount is the amount to capture in kopecks (params.amount), only to
	// capture less than was held: 1 up to the held amount. 0 captures the
	// whole held amount and is not sent.
	Amount int64
}

type completeParams struct {
	SessionID string `json:"sessionId"`
	PaymentID string `json:"paymentId"`
	InvoiceID string `json:"invoiceId"`
	Amount    int64  `json:"amount,omitempty"`
}

// CompletePayment captures a payment of a HOLD invoice: the held amount,
// or less when Amount is set, is taken from the payer's card. The payment
// must be HOLDED; it becomes FINISHED.
//
// Endpoint: POST api/invoicer/payments/complete, params {sessionId,
// paymentId, invoiceId, amount}. The amount is in params here, as the
// document's table and example say (and UAPAY's own Magento module sends
// it), unlike ReversePayment's and ShowCommission's data.amount.
//
// Before it sends, the client reads the payment (payments/show): a payment
// that is not HOLDED is refused with a [*PaymentStateError] (matching
// ErrConflict; nothing sent), an Amount above the held amount with an
// [*InvalidRequestError], a payment of another invoice likewise.
//
// Retry class: reconciled by reading the payment. The request is resent by
// the transport only when it surely never arrived (a dial error, 429,
// 503). When an attempt may have been applied (a cut or timed-out reply, a
// 5xx, an unreadable 2xx), the client reads the payment inside ctx's
// deadline — a send may use only two thirds of the time left:
//
//   - FINISHED (or already REVERSED): captured; the result has Looked set
//     and the payment read, and the error is nil;
//   - still HOLDED, and no send can still be in flight: not captured; sent
//     again (at most three sends), or an error that does NOT match
//     ErrOutcomeUnknown;
//   - CANCELED or another state: not captured by this call; an error
//     matching ErrConflict, holding a [*PaymentStateError].
//
// A capture by someone else between a lost reply and the look cannot be
// told apart from this call's own.
//
// What to do with the outcome:
//   - nil: captured, exactly once.
//   - errors.Is(err, ErrOutcomeUnknown): the look could not run or
//     conclude (a send was given up and may still land). [SafeToRepeat]
//     is true: UAPAY refuses to capture a payment twice, and the client
//     reads it first — a repeat after a capture that did land fails with a
//     [*PaymentStateError] whose Payment reads FINISHED.
//   - any other error: not captured by this call.
func (c *Client) CompletePayment(ctx context.Context, req *CompletePaymentRequest) (*PaymentOperation, error) {
	if req == nil {
		return nil, invalid("request", "is nil")
	}
	if err := checkPaymentIDs(req.PaymentID, req.InvoiceID); err != nil {
		return nil, err
	}
	if req.Amount < 0 {
		return nil, invalid("amount", "must be a positive number of kopecks (or 0 for the whole held amount), got %d", req.Amount)
	}
	op := &paymentOp{
		path: pathCompletePayment, paymentID: req.PaymentID, invoiceID: req.InvoiceID, safe: true,
		params: func(sid string) any {
			return completeParams{SessionID: sid, PaymentID: req.PaymentID, InvoiceID: req.InvoiceID, Amount: req.Amount}
		},
		check: func(p *Payment) error {
			if p.state() != PaymentHolded {
				return &PaymentStateError{Operation: "payments/complete", Payment: p, Reason: "only a HOLDED payment can be completed"}
			}
			if p.Amount > 0 && req.Amount > p.Amount {
				return invalid("amount", "%d is above the held amount %d: it may only reduce it", req.Amount, p.Amount)
			}
			return nil
		},
		judge: func(_, now *Payment) verdict {
			switch now.state() {
			case PaymentFinished, PaymentReversed:
				return applied
			case PaymentHolded:
				return notYet
			}
			return otherwise
		},
		reason: func(now *Payment) string {
			return "the payment is " + string(now.state()) + ", not captured by this call"
		},
	}
	return c.run(ctx, op)
}

// CancelPaymentRequest voids a held payment; see [Client.CancelPayment].
type CancelPaymentRequest struct {
	// PaymentID is the payment's UUID (paymentId); required.
	PaymentID string
	// InvoiceID is the UUID of the payment's invoice (invoiceId);
	// required.
	InvoiceID string
}

type cancelParams struct {
	SessionID string `json:"sessionId"`
	PaymentID string `json:"paymentId"`
	InvoiceID string `json:"invoiceId"`
}

// CancelPayment voids a payment of a HOLD invoice: the held amount is
// released to the payer. The payment must be HOLDED; it becomes CANCELED.
//
// Endpoint: POST api/invoicer/payments/cancel, params {sessionId,
// paymentId, invoiceId}; no data.
//
// Before it sends, the client reads the payment: one that is not HOLDED is
// refused with a [*PaymentStateError] (matching ErrConflict; nothing
// sent).
//
// Retry class: reconciled by reading the payment, as [Client.CompletePayment]:
// after an unknown outcome, CANCELED means voided (nil error, Looked set),
// still HOLDED means not voided (sent again, or a not-applied error), and
// FINISHED or another state means not voided by this call (ErrConflict).
//
// What to do with the outcome:
//   - nil: voided, exactly once.
//   - errors.Is(err, ErrOutcomeUnknown): the look could not run or
//     conclude. [SafeToRepeat] is true: a repeat reads the payment first,
//     and a payment already voided fails with a [*PaymentStateError] whose
//     Payment reads CANCELED.
//   - any other error: not voided by this call.
func (c *Client) CancelPayment(ctx context.Context, req *CancelPaymentRequest) (*PaymentOperation, error) {
	if req == nil {
		return nil, invalid("request", "is nil")
	}
	if err := checkPaymentIDs(req.PaymentID, req.InvoiceID); err != nil {
		return nil, err
	}
	op := &paymentOp{
		path: pathCancelPayment, paymentID: req.PaymentID, invoiceID: req.InvoiceID, safe: true,
		params: func(sid string) any {
			return cancelParams{SessionID: sid, PaymentID: req.PaymentID, InvoiceID: req.InvoiceID}
		},
		check: func(p *Payment) error {
			if p.state() != PaymentHolded {
				return &PaymentStateError{Operation: "payments/cancel", Payment: p, Reason: "only a HOLDED payment can be cancelled"}
			}
			return nil
		},
		judge: func(_, now *Payment) verdict {
			switch {
			case now.state() == PaymentCanceled || now.Status == string(PaymentCanceled):
				return applied
			case now.state() == PaymentHolded:
				return notYet
			}
			return otherwise
		},
		reason: func(now *Payment) string {
			return "the payment is " + string(now.state()) + ", not cancelled by this call"
		},
	}
	return c.run(ctx, op)
}

// ReversePaymentRequest refunds a payment; see [Client.ReversePayment].
type ReversePaymentRequest struct {
	// PaymentID is the payment's UUID (paymentId); required.
	PaymentID string
	// InvoiceID is the UUID of the payment's invoice (invoiceId);
	// required.
	InvoiceID string
	// Amount is the amount to refund in kopecks (data.amount), for a
	// partial refund: 1 up to the payment's amount. 0 refunds the whole
	// payment and sends no data, as UAPAY's Magento module does.
	Amount int64
}

type reverseData struct {
	Amount int64 `json:"amount"`
}

// ReversePayment refunds a paid payment, in full or in part (Amount). The
// payment becomes REVERSED and its reversedAt is set.
//
// Endpoint: POST api/invoicer/payments/reverse, params {sessionId,
// paymentId, invoiceId}; data {amount} for a partial refund.
//
// Before it sends, the client reads the payment: a payment that is HOLDED
// (capture or void it instead), CANCELED or REJECTED is refused with a
// [*PaymentStateError] (ErrConflict; nothing sent), an Amount above the
// payment's amount with an [*InvalidRequestError], a payment of another
// invoice likewise. UAPAY refuses a refund above what is left to refund.
//
// Retry class: reconciled by reading the payment — and never resent
// blindly: UAPAY names no idempotency key, so a resend after a lost reply
// could refund twice. The transport resends only when the request surely
// never arrived (a dial error, 429, 503). After an attempt that may have
// been applied, the client reads the payment inside ctx's deadline and
// compares it with what it read before sending:
//
//   - a refund the first read did not show (the status turned REVERSED,
//     or reversedAt is set or moved): refunded; the result has Looked set
//     and the error is nil;
//   - no refund at all, and no send can still be in flight: not refunded;
//     sent again (at most three sends), or an error that does NOT match
//     ErrOutcomeUnknown. A send this side gave up on (a timeout, a cancel)
//     and one a gateway answered 504 count as still in flight: UAPAY may
//     be processing it, so a read that shows nothing yet proves nothing;
//   - otherwise — the payment was already partly refunded before and shows
//     no change UAPAY's fields let the client see, or a send may still be
//     in flight: ErrOutcomeUnknown.
//
// A refund by someone else of the same payment between the first read and
// the look cannot be told apart from this call's own.
//
// What to do with the outcome:
//   - nil: refunded, exactly once.
//   - errors.Is(err, ErrOutcomeUnknown): the refund may have happened.
//     [SafeToRepeat] is false: do NOT send it again. Read the payment with
//     [Client.ShowPayment] (status REVERSED, reversedAt) and your own
//     records, or ask UAPAY, before deciding on another refund.
//   - any other error: not refunded by this call.
func (c *Client) ReversePayment(ctx context.Context, req *ReversePaymentRequest) (*PaymentOperation, error) {
	if req == nil {
		return nil, invalid("request", "is nil")
	}
	if err := checkPaymentIDs(req.PaymentID, req.InvoiceID); err != nil {
		return nil, err
	}
	if req.Amount < 0 {
		return nil, invalid("amount", "must be a positive number of kopecks (or 0 for a full refund), got %d", req.Amount)
	}
	var data any
	if req.Amount > 0 {
		data = reverseData{req.Amount}
	}
	op := &paymentOp{
		path: pathReversePayment, paymentID: req.PaymentID, invoiceID: req.InvoiceID, safe: false,
		params: func(sid string) any {
			return cancelParams{SessionID: sid, PaymentID: req.PaymentID, InvoiceID: req.InvoiceID}
		},
		data: data,
		check: func(p *Payment) error {
			switch p.state() {
			case PaymentHolded:
				return &PaymentStateError{Operation: "payments/reverse", Payment: p,
					Reason: "a HOLDED payment is completed or cancelled, not reversed"}
			case PaymentCanceled, PaymentRejected:
				return &PaymentStateError{Operation: "payments/reverse", Payment: p, Reason: "the payment took no money"}
			}
			if p.Amount > 0 && req.Amount > p.Amount {
				return invalid("amount", "%d is above the payment's amount %d", req.Amount, p.Amount)
			}
			return nil
		},
		judge: func(before, now *Payment) verdict {
			switch {
			case now.ReversedAt != nil && (before.ReversedAt == nil || !now.ReversedAt.Equal(*before.ReversedAt)):
				return applied
			case !reversed(before) && reversed(now):
				return applied
			case !reversed(before) && !reversed(now):
				return notYet
			}
			return undecidable
		},
		reason: func(now *Payment) string { return "the payment is " + string(now.state()) },
	}
	return c.run(ctx, op)
}

// reversed reports whether a payment shows any refund.
func reversed(p *Payment) bool {
	return p.ReversedAt != nil || p.PaymentStatus == PaymentReversed || p.Status == string(PaymentReversed)
}

func checkPaymentIDs(paymentID, invoiceID string) error {
	if err := checkUUID("paymentId", paymentID); err != nil {
		return err
	}
	return checkUUID("invoiceId", invoiceID)
}
