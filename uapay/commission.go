package uapay

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/caravanpay/caravan/internal/tolerant"
	"github.com/caravanpay/caravan/internal/transport"
)

const pathShowCommission = "/api/invoicer/payments/showCommission"

// Commission is what UAPAY would charge for paying an invoice.
type Commission struct {
	// Percents is the percentage rate as UAPAY wrote it ("2", "1.5"):
	// text, so that a fractional rate never passes through float64.
	Percents string
	// Fixed is the fixed part in kopecks.
	Fixed int64
	// Amount is the whole commission in kopecks (commissionAmount).
	Amount int64
}

type commissionParams struct {
	SessionID string `json:"sessionId"`
	InvoiceID string `json:"invoiceId"`
}

type commissionData struct {
	Amount int64 `json:"amount"`
}

// ShowCommission asks UAPAY what commission paying the invoice would
// cost. amount (kopecks, data.amount) is required and must be positive;
// UAPAY uses it only for an invoice with an open amount, and the
// invoice's own amount otherwise.
//
// Endpoint: POST api/invoicer/payments/showCommission, params {sessionId,
// invoiceId}; data {amount}. (The document's example request is not valid
// JSON — a doubled quote — and its table's example commissionAmount, 102,
// disagrees with the JSON example, 1100 = 2 % of 50000 + 100; the JSON
// example is the one this package is tested against.)
//
// Retry class: read — it changes nothing, is retried like an idempotent
// call and never fails with ErrOutcomeUnknown.
//
// What to do with the outcome:
//   - nil: the commission UAPAY quotes now.
//   - any error: nothing was read; calling it again is safe.
func (c *Client) ShowCommission(ctx context.Context, invoiceID string, amount int64) (*Commission, error) {
	if err := checkUUID("invoiceId", invoiceID); err != nil {
		return nil, err
	}
	if amount <= 0 {
		return nil, invalid("amount", "is required: a positive number of kopecks, got %d", amount)
	}
	var out *Commission
	err := c.withSession(ctx, func(sid string) error {
		r, err := c.call(ctx, pathShowCommission, transport.Read, commissionParams{sid, invoiceID}, commissionData{amount})
		if err != nil {
			return err
		}
		out, err = decodeCommission(r)
		return err
	})
	return out, err
}

// decodeCommission reads the data of a payments/showCommission reply.
func decodeCommission(r *reply) (*Commission, error) {
	var w struct {
		Commission struct {
			Percents tolerant.Decimal `json:"percents"`
			Fixed    tolerant.Int64   `json:"fixed"`
		} `json:"commission"`
		Amount json.RawMessage `json:"commissionAmount"`
	}
	if err := r.decode(&w); err != nil {
		return nil, err
	}
	raw := bytes.TrimSpace(w.Amount)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, r.fail("reply has no commissionAmount", errMissing)
	}
	var amount tolerant.Int64
	if err := amount.UnmarshalJSON(raw); err != nil {
		return nil, r.fail("reply's commissionAmount is not a whole number of kopecks", err)
	}
	return &Commission{Percents: string(w.Commission.Percents), Fixed: int64(w.Commission.Fixed), Amount: int64(amount)}, nil
}
