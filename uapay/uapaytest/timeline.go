package uapaytest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// CallbackRetries is UAPAY's documented schedule of callback retries: a
// delivery that is not answered 200 is tried again 5 s after it, then 5
// min after that one, then 1 h, 2 h and 24 h after the previous attempt,
// and then no more.
var CallbackRetries = []time.Duration{5 * time.Second, 5 * time.Minute, time.Hour, 2 * time.Hour, 24 * time.Hour}

// Delivery is one attempt to deliver a callback.
type Delivery struct {
	InvoiceID string    // the invoice the callback is about
	PaymentID string    // the payment it reports
	URL       string    // the callbackUrl it was POSTed to
	Attempt   int       // 1 for the first, 2..6 for the retries
	At        time.Time // on the fake's clock
	Status    int       // the receiver's HTTP status; 0 when no reply came
	Err       string    // why no reply came, if none did
	Delivered bool      // the receiver answered 200
}

// pending is a callback waiting for its next attempt.
type pending struct {
	cb      Callback
	url     string
	attempt int // attempts made so far
	due     time.Time
}

// Now is the fake's clock: the real time unless [WithNow],
// [Server.SetClock], [Server.SetNow] or [Server.Advance] changed it.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now()
}

// SetNow stops the fake's clock at t and delivers the callbacks due by
// then, in order (see [Server.Advance]).
func (s *Server) SetNow(t time.Time) {
	s.mu.Lock()
	from := s.now()
	s.mu.Unlock()
	s.advanceTo(from, t)
}

// Advance moves the fake's clock forward by d (stopping it first if it was
// running). On the way it delivers, in the calling goroutine and in the
// order they fall due, the callback retries due by then, setting the clock
// to each one's time while it is sent: a test sees UAPAY's whole retry
// schedule without waiting.
func (s *Server) Advance(d time.Duration) {
	s.mu.Lock()
	from := s.now()
	s.mu.Unlock()
	s.advanceTo(from, from.Add(d))
}

func (s *Server) advanceTo(from, to time.Time) {
	for {
		s.mu.Lock()
		var next *pending
		idx := -1
		for i, p := range s.queue {
			if !p.due.After(to) && (next == nil || p.due.Before(next.due)) {
				next, idx = p, i
			}
		}
		if next == nil || s.closed {
			s.setNowLocked(to)
			s.mu.Unlock()
			return
		}
		s.queue = append(s.queue[:idx:idx], s.queue[idx+1:]...)
		if next.due.After(from) {
			s.setNowLocked(next.due)
		}
		s.mu.Unlock()
		s.attempt(next)
	}
}

func (s *Server) setNowLocked(t time.Time) { s.now = func() time.Time { return t } }

// PayInvoice makes a customer pay an invoice on the hosted payment page:
// the invoice gets a payment (status PAID; paymentStatus FINISHED, or
// HOLDED for a HOLD invoice) for its amount, dated now on the fake's
// clock. When the invoice has a callbackUrl, the fake then POSTs the
// signed callback, {"token":"<JWT HS256 signed with SignKey>"}, to it at
// once, in the calling goroutine; if the receiver does not answer 200,
// retries follow [CallbackRetries] as the clock moves ([Server.Advance]).
// [Server.Deliveries] lists every attempt.
//
// It fails for an unknown invoice, one that is not ACTIVE, one whose
// expiresAt has passed on the fake's clock, and one that already has a
// payment (except a SUBSCRIBE invoice).
func (s *Server) PayInvoice(invoiceID string) (Payment, error) {
	s.mu.Lock()
	inv, ok := s.invoices[invoiceID]
	if !ok {
		s.mu.Unlock()
		return Payment{}, fmt.Errorf("uapaytest: no invoice %q", invoiceID)
	}
	if inv.InvoiceStatus != "ACTIVE" {
		s.mu.Unlock()
		return Payment{}, fmt.Errorf("uapaytest: invoice %q is %s, not ACTIVE", invoiceID, inv.InvoiceStatus)
	}
	if !inv.ExpiresAt.IsZero() && !s.now().Before(inv.ExpiresAt) {
		s.mu.Unlock()
		return Payment{}, fmt.Errorf("uapaytest: invoice %q expired at %s", invoiceID, inv.ExpiresAt.Format(time.RFC3339))
	}
	if len(inv.Payments) > 0 && inv.Type != "SUBSCRIBE" {
		s.mu.Unlock()
		return Payment{}, fmt.Errorf("uapaytest: invoice %q is paid already", invoiceID)
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	p := Payment{PaymentID: newUUID(), InvoiceID: inv.ID, PaymentNumber: fmt.Sprintf("UA%08d", s.paid+1), Status: "PAID",
		PaymentStatus: "FINISHED", Amount: inv.Amount, CardFromMasked: "414962******6714", CreatedAt: now, PaidAt: now,
		ReceiptID: fmt.Sprintf("RC%010d", s.paid+1)}
	p.ChequeLink = "api.uapay.ua/api/receipts/" + p.PaymentID
	s.paid++
	if inv.Type == "HOLD" {
		p.PaymentStatus, p.PaidAt = "HOLDED", time.Time{} // the money is taken on complete
	}
	inv.Payments = append(inv.Payments, p)
	if inv.CallbackURL == "" || s.closed {
		s.mu.Unlock()
		return p, nil
	}
	cb := Callback{PaymentID: p.PaymentID, InvoiceID: inv.ID, ExternalID: inv.ExternalID,
		PaymentNumber: p.PaymentNumber, CardFromMasked: p.CardFromMasked, CardToMasked: inv.CardToMasked,
		Amount: p.Amount, Status: p.Status, Type: inv.Type, SystemType: inv.SystemType,
		PaymentStatus: p.PaymentStatus, ExtraInfo: append(json.RawMessage(nil), inv.ExtraInfo...),
		CreateDate: inv.CreatedAt.Format(time.RFC3339Nano), PayDate: now.Format(time.RFC3339Nano)}
	job := &pending{cb: cb, url: inv.CallbackURL, due: s.now()}
	s.mu.Unlock()
	s.attempt(job)
	return p, nil
}

// attempt sends one delivery and, unless it succeeded or was the last,
// queues the next.
func (s *Server) attempt(p *pending) {
	p.attempt++
	d := Delivery{InvoiceID: p.cb.InvoiceID, PaymentID: p.cb.PaymentID, URL: p.url, Attempt: p.attempt, At: s.Now()}
	claims, _ := json.Marshal(p.cb)
	body, _ := json.Marshal(map[string]string{"token": Sign(claims)})
	req, err := http.NewRequest(http.MethodPost, p.url, bytes.NewReader(body))
	if err == nil {
		req.Header.Set("Content-Type", "application/json")
		var resp *http.Response
		if resp, err = s.callbackClient.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
			resp.Body.Close()
			d.Status, d.Delivered = resp.StatusCode, resp.StatusCode == http.StatusOK
		}
	}
	if err != nil {
		d.Err = err.Error()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deliveries = append(s.deliveries, d)
	if !d.Delivered && p.attempt <= len(CallbackRetries) && !s.closed {
		p.due = d.At.Add(CallbackRetries[p.attempt-1])
		s.queue = append(s.queue, p)
	}
}

// Deliveries returns every callback delivery attempt so far, oldest first.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Delivery(nil), s.deliveries...)
}

// PendingCallbacks counts the callbacks still waiting for a retry.
func (s *Server) PendingCallbacks() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}
