package inex

import (
	"context"

	"github.com/caravanpay/caravan/internal/transport"
)

// TopUpRequest adds money to a customer's balance.
type TopUpRequest struct {
	// RoomNumber is the customer's room number, e.g. "IG00001" (required).
	RoomNumber string `json:"roomNumber"`
	// Amount is in tetri, from 1 to 1 000 000 (0.01 to 10 000 GEL).
	Amount int64 `json:"amount"`
	// PaymentID is your own number for this payment (required, at most
	// 255 characters). Inex deduplicates it: a repeated id tops up nothing
	// and answers the first top-up's transaction id again.
	PaymentID string `json:"paymentId"`
}

// TopUpResult is a successful balance top-up.
type TopUpResult struct {
	// TransactionID identifies the top-up in Inex, as text whether Inex
	// sends a string or a number.
	TransactionID string
}

// TopUpBalance adds Amount tetri to a customer's balance, with
// POST /integrators/payments/balance/top-up.
//
// Retry class: idempotent — the server deduplicates PaymentID, so retries
// are safe and a retried top-up is applied once.
//
// What to do with the outcome:
//   - nil: the balance was topped up, exactly once.
//   - errors.Is(err, ErrOutcomeUnknown): it may have been applied (a cut or
//     timed-out reply, a 5xx after the last retry, an unreadable reply).
//     [SafeToRepeat] is true: send the same request again, with the same
//     PaymentID, until you get an answer.
//   - any other error: not applied.
func (c *Client) TopUpBalance(ctx context.Context, req *TopUpRequest) (*TopUpResult, error) {
	if req == nil {
		return nil, invalid("request", "is nil")
	}
	if blank(req.RoomNumber) {
		return nil, invalid("roomNumber", "is required")
	}
	if err := checkText("roomNumber", req.RoomNumber); err != nil {
		return nil, err
	}
	if req.Amount < MinTopUpAmount || req.Amount > MaxTopUpAmount {
		return nil, invalid("amount", "%d tetri is out of range: must be %d..%d", req.Amount, MinTopUpAmount, MaxTopUpAmount)
	}
	if err := checkPaymentID(req.PaymentID); err != nil {
		return nil, err
	}
	body, err := transport.JSON(req)
	if err != nil {
		return nil, invalid("request", "%v", err)
	}
	id, err := c.transaction(ctx, "/integrators/payments/balance/top-up", body)
	if err != nil {
		return nil, err
	}
	return &TopUpResult{TransactionID: id}, nil
}
