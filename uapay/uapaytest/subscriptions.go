package uapaytest

import (
	"encoding/json"
	"net/http"
	"time"
)

// This file serves subscriptions/update (LIFECYCLE §1.10) and
// payments/showCommission (§1.9).

// CommissionPercents and CommissionFixed are the fake's commission: 2 %
// of the amount plus 100 kopecks, the values of UAPAY's example (2 % of
// 50000 + 100 = 1100). The percentage is rounded down to whole kopecks.
const (
	CommissionPercents = 2
	CommissionFixed    = 100
)

// updateSubscription serves subscriptions/update: params.invoiceId (the
// page's example) or params.id (its table) names a SUBSCRIBE invoice;
// data.interval (1..366) and data.expiresAt (Unix ms, in the future)
// change its recurring payments. The reply is the example's shape, dates
// as ISO strings.
func (s *Server) updateSubscription(w http.ResponseWriter, env *envelope) {
	if e := s.checkSession(env); e != nil {
		s.writeError(w, e)
		return
	}
	key := "invoiceId"
	if _, ok := env.params["invoiceId"]; !ok {
		key = "id" // the table's name
	}
	id, e := uuidParam(env, key)
	if e != nil {
		s.writeError(w, e)
		return
	}
	for k := range env.data {
		if k != "interval" && k != "expiresAt" {
			s.writeError(w, formatErr("data", k, "UNKNOWN_FIELD"))
			return
		}
	}
	var interval int
	if raw, ok := env.data["interval"]; ok && (json.Unmarshal(raw, &interval) != nil || interval < 1 || interval > 366) {
		s.writeError(w, formatErr("data", "interval", "INVALID_VALUE"))
		return
	}
	var ms int64
	if raw, ok := env.data["expiresAt"]; ok && (json.Unmarshal(raw, &ms) != nil || ms <= 0) {
		s.writeError(w, formatErr("data", "expiresAt", "INVALID_VALUE"))
		return
	}
	s.mu.Lock()
	inv, ok := s.invoices[id]
	switch {
	case !ok:
		s.mu.Unlock()
		s.writeError(w, &apiError{code: "INVOICE_NOT_FOUND", message: "invoice not found"})
		return
	case inv.Type != "SUBSCRIBE":
		s.mu.Unlock()
		s.writeError(w, &apiError{code: "INVOICE_TYPE_ERROR", message: "not a SUBSCRIBE invoice"})
		return
	case ms > 0 && !time.UnixMilli(ms).After(s.now()):
		s.mu.Unlock()
		s.writeError(w, formatErr("data", "expiresAt", "INVALID_VALUE"))
		return
	}
	if interval > 0 {
		inv.RecurringInterval = interval
	}
	if ms > 0 {
		inv.ExpiresAt = time.UnixMilli(ms).UTC()
	}
	s.updates[id]++
	out := map[string]any{"invoiceId": inv.ID, "amount": inv.Amount, "commission": commission(inv.Amount),
		"interval": inv.RecurringInterval, "status": inv.InvoiceStatus,
		"plannedPaidAt": s.now().UTC().AddDate(0, 0, inv.RecurringInterval).Format(isoMillis)}
	if !inv.ExpiresAt.IsZero() {
		out["expiresAt"] = inv.ExpiresAt.Format(isoMillis)
	}
	s.mu.Unlock()
	s.writeData(w, out)
}

func commission(amount int64) int64 { return amount*CommissionPercents/100 + CommissionFixed }

// showCommission serves payments/showCommission: params.invoiceId,
// data.amount (required, positive). The amount counts only for an invoice
// with an open amount (Amount 0 on the fake); otherwise the invoice's
// amount is used, as the document says.
func (s *Server) showCommission(w http.ResponseWriter, env *envelope) {
	if e := s.checkSession(env); e != nil {
		s.writeError(w, e)
		return
	}
	id, e := uuidParam(env, "invoiceId")
	if e != nil {
		s.writeError(w, e)
		return
	}
	var amount int64
	if raw, ok := env.data["amount"]; !ok {
		s.writeError(w, formatErr("data", "amount", "REQUIRED"))
		return
	} else if json.Unmarshal(raw, &amount) != nil || amount <= 0 {
		s.writeError(w, formatErr("data", "amount", "INVALID_VALUE"))
		return
	}
	s.mu.Lock()
	inv, ok := s.invoices[id]
	if ok && inv.Amount > 0 {
		amount = inv.Amount
	}
	s.mu.Unlock()
	if !ok {
		s.writeError(w, &apiError{code: "INVOICE_NOT_FOUND", message: "invoice not found"})
		return
	}
	s.writeData(w, map[string]any{"commission": map[string]any{"percents": CommissionPercents, "fixed": CommissionFixed},
		"commissionAmount": commission(amount)})
}
