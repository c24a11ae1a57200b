package uapay

import (
	"context"
	"time"

	"github.com/caravanpay/caravan/internal/tolerant"
	"github.com/caravanpay/caravan/internal/transport"
)

const pathUpdateSubscription = "/api/invoicer/subscriptions/update"

// SubscriptionUpdate holds what to change of a SUBSCRIBE invoice's
// recurring payments; at least one field must be set.
type SubscriptionUpdate struct {
	// Interval is the interval of the recurring payments in days, 1 to 366
	// (data.interval); 0 leaves it as it is.
	Interval int
	// ExpiresAt is when the recurring payments end (data.expiresAt, sent
	// in Unix milliseconds); it must be in the future. Zero leaves it as
	// it is.
	ExpiresAt time.Time
}

// Subscription is a SUBSCRIBE invoice's recurring payments, as UAPAY
// answers UpdateSubscription. Amounts are kopecks.
type Subscription struct {
	InvoiceID     string     // invoiceId
	Amount        int64      // amount of each recurring payment
	Commission    int64      // commission of each recurring payment
	Interval      int        // interval in days
	ExpiresAt     *time.Time // when the recurring payments end; nil if not sent
	PlannedPaidAt *time.Time // when the next payment is planned; nil if not sent
	Status        string     // status, e.g. "ACTIVE"; kept as sent
}

type subscriptionParams struct {
	SessionID string `json:"sessionId"`
	InvoiceID string `json:"invoiceId"`
}

type subscriptionData struct {
	Interval  int   `json:"interval,omitempty"`
	ExpiresAt int64 `json:"expiresAt,omitempty"`
}

// UpdateSubscription changes the interval or the end of a SUBSCRIBE
// invoice's recurring payments and returns the subscription as UAPAY
// answers it.
//
// Endpoint: POST api/invoicer/subscriptions/update, params {sessionId,
// invoiceId}; data {interval, expiresAt}.
//
// The invoice is named params.invoiceId. UAPAY's page contradicts itself:
// its field table says "id", its example "invoiceId". The example is taken
// because it is the page's own exchange — its ids reappear in its reply,
// which names the invoice invoiceId too — while the table's rows repeat,
// example values included, the table of invoices/update (the same
// sessionId and id), a copy; and the invoicer's other calls about an
// invoice's money (payments/complete, cancel, reverse, showCommission)
// name it invoiceId. uapaytest accepts both names.
//
// Retry class: idempotent — setting the same interval and end twice leaves
// the subscription as once.
//
// What to do with the outcome:
//   - nil: updated, exactly once.
//   - errors.Is(err, ErrOutcomeUnknown): it may have been applied.
//     [SafeToRepeat] is true: send the same update again.
//   - any other error: not applied.
func (c *Client) UpdateSubscription(ctx context.Context, invoiceID string, u *SubscriptionUpdate) (*Subscription, error) {
	if err := checkUUID("invoiceId", invoiceID); err != nil {
		return nil, err
	}
	if u == nil {
		return nil, invalid("update", "is nil")
	}
	var d subscriptionData
	switch {
	case u.Interval < 0 || u.Interval > 366:
		return nil, invalid("interval", "must be 1 to 366 days, got %d", u.Interval)
	case u.Interval == 0 && u.ExpiresAt.IsZero():
		return nil, invalid("update", "sets no field")
	case !u.ExpiresAt.IsZero() && !u.ExpiresAt.After(c.now()):
		return nil, invalid("expiresAt", "is in the past")
	}
	d.Interval = u.Interval
	if !u.ExpiresAt.IsZero() {
		d.ExpiresAt = u.ExpiresAt.UnixMilli()
	}
	var out *Subscription
	err := c.withSession(ctx, func(sid string) error {
		r, err := c.call(ctx, pathUpdateSubscription, transport.Idempotent, subscriptionParams{sid, invoiceID}, d)
		if err != nil {
			return err
		}
		out, err = decodeSubscription(r)
		return err
	})
	return out, err
}

// decodeSubscription reads the data of a subscriptions/update reply.
func decodeSubscription(r *reply) (*Subscription, error) {
	var w struct {
		InvoiceID     tolerant.String `json:"invoiceId"`
		LowerID       tolerant.String `json:"invoiceid"` // the table's spelling
		Amount        tolerant.Int64  `json:"amount"`
		Commission    tolerant.Int64  `json:"commission"`
		Interval      tolerant.Int64  `json:"interval"`
		ExpiresAt     flexTime        `json:"expiresAt"`
		PlannedPaidAt flexTime        `json:"plannedPaidAt"`
		Status        tolerant.String `json:"status"`
	}
	if err := r.decode(&w); err != nil {
		return nil, err
	}
	id := w.InvoiceID
	if id == "" {
		id = w.LowerID
	}
	if id == "" {
		return nil, r.fail("reply has no invoiceId", errMissing)
	}
	if w.Interval < 0 || w.Interval > 1<<20 {
		return nil, r.fail("reply has an impossible interval", nil)
	}
	return &Subscription{InvoiceID: string(id), Amount: int64(w.Amount), Commission: int64(w.Commission),
		Interval: int(w.Interval), ExpiresAt: w.ExpiresAt.ptr(), PlannedPaidAt: w.PlannedPaidAt.ptr(),
		Status: string(w.Status)}, nil
}
