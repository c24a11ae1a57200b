package uapaytest

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/caravanpay/caravan/internal/transport"
)

// This file serves the payment lifecycle (LIFECYCLE §1.1–1.4):
// payments/show, payments/complete (capture a HOLD), payments/cancel (void
// a HOLD) and payments/reverse (refund, in full or in part).
//
// A payment's states on the fake: a PAY invoice's payment is PAID /
// FINISHED (status / paymentStatus); a HOLD invoice's is PAID / HOLDED.
// complete: HOLDED → FINISHED / FINISHED (params.amount, when sent, must
// be 1..held and becomes the amount); cancel: HOLDED → CANCELED /
// CANCELED; reverse: FINISHED (or partly REVERSED) → REVERSED / REVERSED,
// data.amount (1..what is left; absent: all that is left) added to
// Payment.Reversed, reversedAt set to now. Everything else is refused with
// PAYMENT_STATUS_ERROR, a refund above what is left with AMOUNT_ERROR.

// isoMillis is how the fake writes dates, as the documents' examples do.
const isoMillis = "2006-01-02T15:04:05.000Z07:00"

// wire is the payment as payments/show and invoices/show send it.
func (p *Payment) wire() map[string]any {
	out := map[string]any{"paymentId": p.PaymentID, "invoiceId": p.InvoiceID, "number": p.PaymentNumber,
		"receiptId": p.ReceiptID, "status": p.Status, "paymentStatus": p.PaymentStatus, "amount": p.Amount,
		"commission": p.Commission, "cardFromMasked": p.CardFromMasked, "chequeLink": p.ChequeLink,
		"createdAt": p.CreatedAt.UTC().Format(isoMillis), "updatedAt": p.updated().UTC().Format(isoMillis)}
	if !p.PaidAt.IsZero() {
		out["paidAt"] = p.PaidAt.UTC().Format(isoMillis)
	}
	if !p.ReversedAt.IsZero() {
		out["reversedAt"] = p.ReversedAt.UTC().Format(isoMillis)
	}
	return out
}

func (p *Payment) updated() time.Time {
	t := p.CreatedAt
	for _, u := range []time.Time{p.PaidAt, p.ReversedAt} {
		if u.After(t) {
			t = u
		}
	}
	return t
}

// Payment returns a copy of a payment the fake holds, with its ledger
// (Reversed, Completions, Cancellations, Reversals).
func (s *Server) Payment(paymentID string) (Payment, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, _ := s.findPaymentLocked(paymentID)
	if p == nil {
		return Payment{}, false
	}
	return *p, true
}

// findPaymentLocked finds a payment and its invoice; s.mu is held.
func (s *Server) findPaymentLocked(paymentID string) (*Payment, *Invoice) {
	for _, inv := range s.invoices {
		for i := range inv.Payments {
			if inv.Payments[i].PaymentID == paymentID {
				return &inv.Payments[i], inv
			}
		}
	}
	return nil, nil
}

// uuidParam reads a required UUID of params.
func uuidParam(env *envelope, key string) (string, *apiError) {
	v, ok, e := env.text("params", key)
	switch {
	case e != nil:
		return "", e
	case !ok || v == "":
		return "", formatErr("params", key, "REQUIRED")
	case !transport.IsUUID(v):
		return "", formatErr("params", key, "INVALID_FORMAT")
	}
	return v, nil
}

// paymentOp checks the session and params {paymentId, invoiceId} of a
// lifecycle call and runs apply on the payment under the lock; apply
// returns the error to answer, or nil for {"paymentId": …}.
func (s *Server) paymentOp(w http.ResponseWriter, env *envelope, allowed map[string]bool, apply func(p *Payment) *apiError) {
	if e := s.checkSession(env); e != nil {
		s.writeError(w, e)
		return
	}
	for k := range env.params {
		if !allowed[k] {
			s.writeError(w, formatErr("params", k, "UNKNOWN_FIELD"))
			return
		}
	}
	pid, e := uuidParam(env, "paymentId")
	var iid string
	if e == nil {
		iid, e = uuidParam(env, "invoiceId")
	}
	if e != nil {
		s.writeError(w, e)
		return
	}
	s.mu.Lock()
	p, inv := s.findPaymentLocked(pid)
	switch {
	case p == nil || inv.ID != iid:
		e = &apiError{code: "PAYMENT_NOT_FOUND", message: "payment not found for this invoice"}
	default:
		e = apply(p)
	}
	s.mu.Unlock()
	if e != nil {
		s.writeError(w, e)
		return
	}
	s.writeData(w, map[string]any{"paymentId": pid})
}

func statusErr(msg string) *apiError { return &apiError{code: "PAYMENT_STATUS_ERROR", message: msg} }

func (s *Server) showPayment(w http.ResponseWriter, env *envelope) {
	if e := s.checkSession(env); e != nil {
		s.writeError(w, e)
		return
	}
	pid, e := uuidParam(env, "paymentId")
	if e != nil {
		s.writeError(w, e)
		return
	}
	s.mu.Lock()
	p, _ := s.findPaymentLocked(pid)
	var out map[string]any
	if p != nil {
		out = p.wire()
	}
	s.mu.Unlock()
	if out == nil {
		s.writeError(w, &apiError{code: "PAYMENT_NOT_FOUND", message: "payment not found"})
		return
	}
	s.writeData(w, out)
}

var completeParams = map[string]bool{"sessionId": true, "paymentId": true, "invoiceId": true, "amount": true}

func (s *Server) completePayment(w http.ResponseWriter, env *envelope) {
	if len(env.data) > 0 {
		// the amount goes in params here; data.amount is refused
		for k := range env.data {
			s.writeError(w, formatErr("data", k, "UNKNOWN_FIELD"))
			return
		}
	}
	var amount int64
	if raw, ok := env.params["amount"]; ok && (json.Unmarshal(raw, &amount) != nil || amount <= 0) {
		s.writeError(w, formatErr("params", "amount", "INVALID_VALUE"))
		return
	}
	s.paymentOp(w, env, completeParams, func(p *Payment) *apiError {
		if p.PaymentStatus != "HOLDED" {
			return statusErr("only a HOLDED payment can be completed")
		}
		if amount > p.Amount {
			return &apiError{code: "AMOUNT_ERROR", message: "the amount may only reduce the held amount",
				params: map[string]string{"amount": "TOO_LARGE"}}
		}
		if amount > 0 {
			p.Amount = amount
		}
		now := s.now().UTC().Truncate(time.Millisecond)
		p.Status, p.PaymentStatus, p.PaidAt = "FINISHED", "FINISHED", now
		p.Completions++
		return nil
	})
}

var cancelParams = map[string]bool{"sessionId": true, "paymentId": true, "invoiceId": true}

func (s *Server) cancelPayment(w http.ResponseWriter, env *envelope) {
	for k := range env.data {
		s.writeError(w, formatErr("data", k, "UNKNOWN_FIELD"))
		return
	}
	s.paymentOp(w, env, cancelParams, func(p *Payment) *apiError {
		if p.PaymentStatus != "HOLDED" {
			return statusErr("only a HOLDED payment can be cancelled")
		}
		p.Status, p.PaymentStatus = "CANCELED", "CANCELED"
		p.Cancellations++
		return nil
	})
}

func (s *Server) reversePayment(w http.ResponseWriter, env *envelope) {
	var amount int64
	for k, raw := range env.data {
		if k != "amount" {
			s.writeError(w, formatErr("data", k, "UNKNOWN_FIELD"))
			return
		}
		if json.Unmarshal(raw, &amount) != nil || amount <= 0 {
			s.writeError(w, formatErr("data", "amount", "INVALID_VALUE"))
			return
		}
	}
	s.paymentOp(w, env, cancelParams, func(p *Payment) *apiError {
		if p.PaymentStatus != "FINISHED" && p.PaymentStatus != "REVERSED" {
			return statusErr("only a FINISHED payment can be reversed")
		}
		left := p.Amount - p.Reversed
		if left <= 0 {
			return statusErr("the payment is reversed in full")
		}
		if amount == 0 {
			amount = left
		}
		if amount > left {
			return &apiError{code: "AMOUNT_ERROR", message: "the refund is above the amount left to refund",
				data: map[string]string{"amount": "TOO_LARGE"}}
		}
		now := s.now().UTC().Truncate(time.Millisecond)
		p.Reversed += amount
		p.Status, p.PaymentStatus, p.ReversedAt = "REVERSED", "REVERSED", now
		p.Reversals++
		return nil
	})
}

// createRules checks the rules of invoices/create that depend on the
// system and invoice type: a P2P invoice needs data.cardTo.id (a UUID), a
// SUBSCRIBE invoice data.recurringInterval (1..366 days) and
// data.expiresAt.
func createRules(env *envelope, inv *Invoice) *apiError {
	if raw, ok := env.data["cardTo"]; ok {
		var card struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(raw, &card) != nil || !transport.IsUUID(card.ID) {
			return &apiError{code: "FORMAT_ERROR", message: "invalid request format", data: map[string]string{"cardTo.id": "INVALID_FORMAT"}}
		}
		inv.CardToID = card.ID
	} else if inv.SystemType == "P2P" {
		return &apiError{code: "FORMAT_ERROR", message: "invalid request format", data: map[string]string{"cardTo.id": "REQUIRED"}}
	}
	raw, ok := env.data["recurringInterval"]
	var days int
	switch {
	case ok && (json.Unmarshal(raw, &days) != nil || days < 1 || days > 366):
		return formatErr("data", "recurringInterval", "INVALID_VALUE")
	case !ok && inv.Type == "SUBSCRIBE":
		return formatErr("data", "recurringInterval", "REQUIRED")
	}
	inv.RecurringInterval = days
	if _, ok := env.data["expiresAt"]; !ok && inv.Type == "SUBSCRIBE" {
		return formatErr("data", "expiresAt", "REQUIRED")
	}
	return nil
}
