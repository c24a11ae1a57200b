package uapay

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/caravanpay/caravan/internal/tolerant"
	"github.com/caravanpay/caravan/internal/transport"
)

// The paths of the payment calls.
const (
	pathShowPayment     = "/api/invoicer/payments/show"
	pathCompletePayment = "/api/invoicer/payments/complete"
	pathCancelPayment   = "/api/invoicer/payments/cancel"
	pathReversePayment  = "/api/invoicer/payments/reverse"
)

type paymentParams struct {
	SessionID string `json:"sessionId"`
	PaymentID string `json:"paymentId"`
}

// ShowPayment reads one payment of an invoice: its statuses, amount,
// commission, receipt (ReceiptID, ChequeLink) and dates. UAPAY's table
// types the dates as integers and its example sends ISO 8601 strings: both
// are read, and Unix seconds or milliseconds.
//
// Endpoint: POST api/invoicer/payments/show, params {sessionId,
// paymentId}.
//
// Retry class: read — retried like an idempotent call; it never fails with
// ErrOutcomeUnknown.
//
// What to do with the outcome:
//   - nil: the payment as UAPAY holds it now.
//   - any error: nothing was read; calling it again is safe. An unknown
//     payment is an *Error matching ErrNotFound or ErrValidation, as UAPAY
//     reports it.
func (c *Client) ShowPayment(ctx context.Context, paymentID string) (*Payment, error) {
	if err := checkUUID("paymentId", paymentID); err != nil {
		return nil, err
	}
	return c.showPayment(ctx, transport.Read, paymentID)
}

// showPayment is ShowPayment as a plain read, or as a look (class
// transport.Look) that settles an unknown outcome.
func (c *Client) showPayment(ctx context.Context, class transport.Class, paymentID string) (*Payment, error) {
	var out *Payment
	err := c.withSession(ctx, func(sid string) error {
		r, err := c.call(ctx, pathShowPayment, class, paymentParams{sid, paymentID}, nil)
		if err != nil {
			return err
		}
		out, err = decodePayment(r)
		return err
	})
	return out, err
}

// decodePayment reads the data of a payments/show reply.
func decodePayment(r *reply) (*Payment, error) {
	var w wirePayment
	if err := r.decode(&w); err != nil {
		return nil, err
	}
	p := w.payment()
	if p.ID == "" {
		return nil, r.fail("reply has no paymentId", errMissing)
	}
	return &p, nil
}

// PaymentOperation is UAPAY's answer to CompletePayment, CancelPayment or
// ReversePayment.
type PaymentOperation struct {
	// PaymentID is the payment id UAPAY answered with (data.paymentId), or
	// the id asked for when a look settled a lost reply.
	PaymentID string
	// Looked is true when the reply was lost and a read of the payment
	// (payments/show) proved the operation applied.
	Looked bool
	// Payment is the payment as that read showed it; nil when the reply
	// arrived.
	Payment *Payment
}

// PaymentStateError is the refusal of CompletePayment, CancelPayment or
// ReversePayment for a payment whose state does not allow the operation
// (capturing or voiding a payment that is not HOLDED, refunding a payment
// that is held, cancelled or rejected). The client read the payment before
// sending and sent nothing; or a read after a lost reply showed the
// payment changed by someone else: either way this call applied nothing.
// It matches [ErrConflict].
type PaymentStateError struct {
	// Operation is UAPAY's method: "payments/complete", "payments/cancel"
	// or "payments/reverse".
	Operation string
	// Payment is the payment as the client read it.
	Payment *Payment
	// Reason says what the state forbids.
	Reason string
}

// Error names the payment, its statuses and the rule.
func (e *PaymentStateError) Error() string {
	return fmt.Sprintf("uapay: %s: payment %s is %s (status %s): %s: not applied",
		e.Operation, e.Payment.ID, orDash(string(e.Payment.PaymentStatus)), orDash(e.Payment.Status), e.Reason)
}

// Is makes errors.Is(err, ErrConflict) true.
func (e *PaymentStateError) Is(target error) bool { return target == ErrConflict }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return clip(s, 40)
}

// verdict is what a look after an unknown outcome saw.
type verdict int

const (
	notYet      verdict = iota // nothing happened: not applied
	applied                    // the operation's effect is there
	otherwise                  // the payment moved another way: not applied by this call
	undecidable                // the look cannot tell
)

// paymentOp is one of the payment operations, reconciled by reading the
// payment.
type paymentOp struct {
	path      string                             // the method's path
	paymentID string                             // the payment
	invoiceID string                             // its invoice
	safe      bool                               // an unknown outcome is safe to repeat
	params    func(sid string) any               // the params, with the session id
	data      any                                // the data, or nil
	check     func(p *Payment) error             // refuses before sending, from the payment read first
	judge     func(before, now *Payment) verdict // reads a look
	reason    func(now *Payment) string          // why an "otherwise" look is not this call's effect
}

// maxPaymentSends is how many times a payment operation is sent at most:
// the first, and a resend after each look that proved the previous one not
// applied.
const maxPaymentSends = 3

// run reads the payment, checks that the operation is allowed, sends it,
// and settles an unknown outcome by reading the payment again.
func (c *Client) run(ctx context.Context, op *paymentOp) (*PaymentOperation, error) {
	start := time.Now()
	before, err := c.showPayment(ctx, transport.Look, op.paymentID)
	if err != nil {
		return nil, err
	}
	if before.InvoiceID != "" && !strings.EqualFold(before.InvoiceID, op.invoiceID) {
		return nil, invalid("invoiceId", "payment %s belongs to invoice %s, not %s", op.paymentID, before.InvoiceID, op.invoiceID)
	}
	if err := op.check(before); err != nil {
		return nil, err
	}
	look := time.Since(start) // what a look costs now
	inflight := false
	for sends := 1; ; sends++ {
		if !timeToLook(ctx, look) {
			return nil, notSentTo(ctx, op.path, "too little time left before the deadline to send and look at the payment after")
		}
		out, err := c.sendPaymentOp(ctx, op)
		if err == nil {
			return out, nil
		}
		// A failed resend is looked at whatever its error: an earlier send
		// may have landed since (the resend is then refused).
		resend := sends > 1
		if !errors.Is(err, ErrOutcomeUnknown) && !resend {
			return nil, err
		}
		inflight = inflight || transport.InFlight(err) // a timeout, a cancel or a gateway's 504
		now, v, lerr := c.lookAt(ctx, op, before, inflight)
		switch {
		case lerr != nil:
			return nil, op.unknown(withLookError(err, lerr), "reading the payment to find out failed: "+lerr.Error())
		case v == applied:
			return &PaymentOperation{PaymentID: op.paymentID, Looked: true, Payment: now}, nil
		case v == otherwise:
			return nil, notAppliedBy(err, op.path, now, op.reason(now))
		case v == undecidable:
			return nil, op.unknown(err, "the payment was read but shows no change this call could be told apart by")
		case !errors.Is(err, ErrOutcomeUnknown):
			// a resend refused outright, and the earlier send did not land
			return nil, err
		case inflight:
			// Not there yet, but a send given up without a reply may still
			// land: not proof. (An earlier send was proven not applied by
			// the look that led to this one.)
			return nil, op.unknown(err, "the payment shows no change yet, but a request may still be in flight")
		case sends >= maxPaymentSends || ctx.Err() != nil:
			return nil, notAppliedBy(err, op.path, nil, "the payment shows no change: not applied")
		}
		// not applied, nothing in flight: send again
	}
}

// lookAt reads the payment after an unknown outcome; while a send may
// still be in flight and the payment shows nothing yet, it reads again
// after short pauses, while time remains.
func (c *Client) lookAt(ctx context.Context, op *paymentOp, before *Payment, inflight bool) (*Payment, verdict, error) {
	now, err := c.showPayment(ctx, transport.Look, op.paymentID)
	if err != nil {
		return nil, 0, err
	}
	v := op.judge(before, now)
	for again := 0; v == notYet && inflight && again < 4; again++ {
		pause := lookPause(ctx)
		if pause <= 0 {
			break
		}
		t := time.NewTimer(pause)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return now, v, nil
		}
		p, err := c.showPayment(ctx, transport.Look, op.paymentID)
		if err != nil {
			return now, v, nil
		}
		now, v = p, op.judge(before, p)
	}
	return now, v, nil
}

// sendPaymentOp sends the operation once (the transport resends it only
// when it surely never arrived) and reads data.paymentId.
func (c *Client) sendPaymentOp(ctx context.Context, op *paymentOp) (*PaymentOperation, error) {
	var out *PaymentOperation
	err := c.withSession(ctx, func(sid string) error {
		r, err := c.call(ctx, op.path, transport.Reconciled, op.params(sid), op.data)
		if err != nil {
			return err
		}
		var w struct {
			PaymentID tolerant.String `json:"paymentId"`
		}
		if err := r.decode(&w); err != nil {
			return err
		}
		if w.PaymentID == "" {
			return r.fail("reply has no paymentId", errMissing)
		}
		out = &PaymentOperation{PaymentID: string(w.PaymentID)}
		return nil
	})
	return out, err
}

// unknown returns err as an unknown outcome (it may have been applied),
// with note, and with SafeToRepeat as the operation allows: the transport
// error is copied with the class that says so (Reconciled: safe, Unsafe:
// not).
func (op *paymentOp) unknown(err error, note string) error {
	var e *Error
	if !errors.As(err, &e) || e.err == nil {
		return err
	}
	cp := *e.err
	if !cp.Unknown {
		cp.Unknown = true
		cp.Message = joinNote("outcome unknown: the request may have been applied", cp.Message)
	}
	cp.Class = transport.Reconciled
	if !op.safe {
		cp.Class = transport.Unsafe
	}
	if note != "" {
		cp.Message = joinNote(cp.Message, note)
	}
	ne := newError(&cp)
	for _, x := range e.extra {
		if _, ok := x.(lookError); ok {
			ne.extra = append(ne.extra, x)
		}
	}
	return ne
}

func joinNote(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}

// notAppliedBy is the error of an operation a look proved not applied by
// this call; now, when set, is the payment as the look saw it, moved
// another way (the error then matches ErrConflict).
func notAppliedBy(err error, path string, now *Payment, note string) error {
	var e *Error
	if !errors.As(err, &e) || e.err == nil {
		return err
	}
	ne := newError(e.err.NotApplied(note))
	if now != nil {
		ne.extra = append(ne.extra, &PaymentStateError{Operation: opName(path), Payment: now, Reason: note})
	}
	return ne
}

func opName(path string) string { return path[len("/api/invoicer/"):] }

// notSentTo is the error of an operation the client chose not to send.
func notSentTo(ctx context.Context, path, why string) error {
	cause := ctx.Err()
	if cause == nil {
		cause = context.DeadlineExceeded
	}
	return newError(&transport.Error{Kind: transport.ErrNetwork, Method: http.MethodPost,
		Path: path, Cause: cause, Message: "not sent: " + why})
}

// status reads a payment's state: paymentStatus, or status when UAPAY
// sent no paymentStatus.
func (p *Payment) state() PaymentStatus {
	if p.PaymentStatus != "" {
		return p.PaymentStatus
	}
	return PaymentStatus(p.Status)
}
