package inex

import (
	"context"
	"net/http"

	"github.com/caravanpay/caravan/internal/tolerant"
	"github.com/caravanpay/caravan/internal/transport"
)

// Customer is an Inex customer.
type Customer struct {
	// RoomNumber is the customer's room number, e.g. "IG00001".
	RoomNumber string
	// Balance is the customer's balance in tetri (157 is 1.57 GEL).
	Balance int64
	// Bonus is the customer's bonus in tetri.
	Bonus int64
	// FullNameKa is the customer's first and last name in Georgian.
	FullNameKa string
	// FullNameEn is the customer's first and last name in English.
	FullNameEn string
}

type customerData struct {
	RoomNumber tolerant.String `json:"roomNumber"`
	Balance    tolerant.Int64  `json:"balance"`
	Bonus      tolerant.Int64  `json:"bonus"`
	FullNameKa tolerant.String `json:"fullNameKa"`
	FullNameEn tolerant.String `json:"fullNameEn"`
}

// Customer reads a customer by room number, with
// GET /integrators/users/detail/{roomNumber}.
//
// Retry class: idempotent — a read.
func (c *Client) Customer(ctx context.Context, roomNumber string) (*Customer, error) {
	if err := checkRoomPath(roomNumber); err != nil {
		return nil, err
	}
	d, _, err := do[customerData](ctx, c, &transport.Request{
		Method: http.MethodGet, Path: transport.Path("/integrators/users/detail/%s", roomNumber), Class: transport.Idempotent,
	})
	if err != nil {
		return nil, err
	}
	return &Customer{
		RoomNumber: string(d.RoomNumber), Balance: int64(d.Balance), Bonus: int64(d.Bonus),
		FullNameKa: string(d.FullNameKa), FullNameEn: string(d.FullNameEn),
	}, nil
}

// WalletBalance is the money a customer holds in one foreign currency.
type WalletBalance struct {
	// Amount is in cents of Currency (150 is 1.50 USD). Inex documents it
	// as a string and sends a number in its example; both decode.
	Amount int64
	// Currency is the ISO 4217 code: "USD", "EUR" or "GBP".
	Currency string
}

// Wallet reads a customer's foreign-currency wallet (USD, EUR and GBP),
// with GET /integrators/payments/wallet/{roomNumber}.
//
// Retry class: idempotent — a read.
func (c *Client) Wallet(ctx context.Context, roomNumber string) ([]WalletBalance, error) {
	if err := checkRoomPath(roomNumber); err != nil {
		return nil, err
	}
	type entry struct {
		Amount   tolerant.Int64 `json:"amount"`
		Currency string         `json:"currency"`
	}
	d, _, err := do[[]entry](ctx, c, &transport.Request{
		Method: http.MethodGet, Path: transport.Path("/integrators/payments/wallet/%s", roomNumber), Class: transport.Idempotent,
	})
	if err != nil {
		return nil, err
	}
	out := make([]WalletBalance, 0, len(*d))
	for _, w := range *d {
		out = append(out, WalletBalance{Amount: int64(w.Amount), Currency: w.Currency})
	}
	return out, nil
}
