package inex

import (
	"context"
	"net/http"
	"strings"

	"github.com/caravanpay/caravan/internal/tolerant"
	"github.com/caravanpay/caravan/internal/transport"
)

// PayDebtRequest pays a customer's whole debt, or a parcel's. Set
// RoomNumber, WaybillNumber or both.
type PayDebtRequest struct {
	// RoomNumber is the customer's room number, e.g. "IG00001".
	RoomNumber string `json:"roomNumber,omitempty"`
	// WaybillNumber is a parcel's tracking number in Inex, e.g.
	// "TY7200934421231".
	WaybillNumber string `json:"waybillNumber,omitempty"`
	// PaymentID is your own number for this payment (required, at most
	// 255 characters). Inex deduplicates it: a repeated id pays nothing
	// and answers the first payment's transaction id again.
	PaymentID string `json:"paymentId"`
}

// PayDebtResult is a successful debt payment.
type PayDebtResult struct {
	// TransactionID identifies the payment in Inex. Inex documents it as
	// a string ("223IN1233") and sends a number in its example (123456);
	// both arrive here as text.
	TransactionID string
}

// transactionData is the "data" of a payment or top-up reply.
type transactionData struct {
	TransactionID tolerant.String `json:"transactionId"`
}

// transaction POSTs a payment body and returns the transaction id of the
// reply. Both payment calls are idempotent: Inex deduplicates paymentId.
func (c *Client) transaction(ctx context.Context, path string, body transport.Body) (string, error) {
	data, resp, err := do[transactionData](ctx, c, &transport.Request{
		Method: http.MethodPost, Path: path, Body: &body, Class: transport.Idempotent,
	})
	if err != nil {
		return "", err
	}
	if data.TransactionID == "" {
		return "", newError(resp.Fail(transport.ErrUnexpectedResponse, "reply has no transactionId", nil))
	}
	return string(data.TransactionID), nil
}

// PayDebt pays the full debt of a customer (by room number) or of a parcel
// (by waybill number), with POST /integrators/payments/debts/pay.
//
// Retry class: idempotent — the server deduplicates PaymentID, so retries
// are safe: a retry after a lost reply returns the first payment's
// transaction id and pays nothing more. Reuse the PaymentID when you retry
// yourself, too.
//
// What to do with the outcome:
//   - nil: the debt was paid, exactly once.
//   - errors.Is(err, ErrOutcomeUnknown): it may have been applied (a cut or
//     timed-out reply, a 5xx after the last retry, an unreadable reply).
//     [SafeToRepeat] is true: send the same request again, with the same
//     PaymentID, until you get an answer.
//   - any other error: not applied.
//
// The documentation's curl examples say "-X GET" and end their JSON body
// with a trailing comma; both are slips (the endpoint is POST and the body
// must be valid JSON), and PayDebt sends a POST with a valid JSON body.
// An unknown customer or parcel is [ErrNotFound].
func (c *Client) PayDebt(ctx context.Context, req *PayDebtRequest) (*PayDebtResult, error) {
	if req == nil {
		return nil, invalid("request", "is nil")
	}
	if err := checkRoomOrWaybill(req.RoomNumber, req.WaybillNumber); err != nil {
		return nil, err
	}
	if err := checkPaymentID(req.PaymentID); err != nil {
		return nil, err
	}
	body, err := transport.JSON(req)
	if err != nil {
		return nil, invalid("request", "%v", err)
	}
	id, err := c.transaction(ctx, "/integrators/payments/debts/pay", body)
	if err != nil {
		return nil, err
	}
	return &PayDebtResult{TransactionID: id}, nil
}

// DebtDetailRequest selects whose debt to read. Set RoomNumber,
// WaybillNumber or both.
type DebtDetailRequest struct {
	// RoomNumber is the customer's room number, e.g. "IG00001".
	RoomNumber string `url:"roomNumber,omitempty"`
	// WaybillNumber is a parcel's tracking number, e.g. "TY7200934421231".
	WaybillNumber string `url:"waybillNumber,omitempty"`
}

// Debt is what a customer or a parcel owes.
type Debt struct {
	// TotalDebt is the whole debt in minor units (tetri for GEL).
	TotalDebt int64
	// Currency is the ISO 4217 code of the amounts, e.g. "GEL".
	Currency string
	// Invoices are the unpaid invoices that make up the debt.
	Invoices []Invoice
}

// Invoice is one unpaid invoice.
type Invoice struct {
	// InvoiceNumber is the invoice's number in Inex, e.g. "INV-52446".
	InvoiceNumber string
	// Amount is the invoice's amount in minor units (1000 is 10 GEL).
	Amount int64
	// EarnableBonus is the bonus the customer earns by paying it, in
	// tetri (79 is 0.79 GEL).
	EarnableBonus int64
	// ServiceType says what the invoice is for.
	ServiceType ServiceType
}

// ServiceType is what an invoice charges for. Inex's example capitalises
// the value ("Transportation") where its table does not: decoding maps any
// capitalisation of a documented value to its constant, and keeps an
// undocumented value as sent. Compare with == against the constants, or
// with [ServiceType.Is].
type ServiceType string

// The documented service types.
const (
	ServiceTransportation     ServiceType = "transportation"     // transportation cost
	ServiceHomeDelivery       ServiceType = "homeDelivery"       // courier delivery cost
	ServiceCustomsDeclaration ServiceType = "customsDeclaration" // customs declaration cost
	ServiceInsurance          ServiceType = "insurance"          // parcel insurance cost
	ServiceOrderStatement     ServiceType = "orderStatement"     // order assistance cost
)

var serviceTypes = []ServiceType{
	ServiceTransportation, ServiceHomeDelivery, ServiceCustomsDeclaration, ServiceInsurance, ServiceOrderStatement,
}

// Is reports whether s and t name the same service type, ignoring case.
func (s ServiceType) Is(t ServiceType) bool { return strings.EqualFold(string(s), string(t)) }

// Known reports whether s is one of the documented service types.
func (s ServiceType) Known() bool {
	for _, t := range serviceTypes {
		if s.Is(t) {
			return true
		}
	}
	return false
}

func canonicalServiceType(s string) ServiceType {
	for _, t := range serviceTypes {
		if t.Is(ServiceType(s)) {
			return t
		}
	}
	return ServiceType(s)
}

type debtData struct {
	TotalDebt tolerant.Int64 `json:"totalDebt"`
	Currency  string         `json:"currency"`
	Invoices  []struct {
		InvoiceNumber tolerant.String `json:"invoiceNumber"`
		Amount        tolerant.Int64  `json:"amount"`
		EarnableBonus tolerant.Int64  `json:"earnableBonus"`
		ServiceType   string          `json:"serviceType"`
	} `json:"invoices"`
}

func (d *debtData) debt() *Debt {
	out := &Debt{TotalDebt: int64(d.TotalDebt), Currency: d.Currency, Invoices: make([]Invoice, 0, len(d.Invoices))}
	for _, inv := range d.Invoices {
		out.Invoices = append(out.Invoices, Invoice{
			InvoiceNumber: string(inv.InvoiceNumber), Amount: int64(inv.Amount),
			EarnableBonus: int64(inv.EarnableBonus), ServiceType: canonicalServiceType(inv.ServiceType),
		})
	}
	return out
}

// DebtDetail reads the debt of a customer (by room number) or of a parcel
// (by waybill number), with GET /integrators/payments/debts/detail.
//
// Retry class: idempotent — a read.
//
// The numbers travel as query parameters (?roomNumber=IG00001). Inex's
// curl example sends them as a JSON body on the GET, which proxies and
// HTTP libraries may drop; Laravel, which serves the API, reads query
// parameters and a JSON body alike.
func (c *Client) DebtDetail(ctx context.Context, req *DebtDetailRequest) (*Debt, error) {
	if req == nil {
		return nil, invalid("request", "is nil")
	}
	if err := checkRoomOrWaybill(req.RoomNumber, req.WaybillNumber); err != nil {
		return nil, err
	}
	q, err := transport.Values(req)
	if err != nil {
		return nil, invalid("request", "%v", err)
	}
	data, _, err := do[debtData](ctx, c, &transport.Request{
		Method: http.MethodGet, Path: "/integrators/payments/debts/detail", Query: q, Class: transport.Idempotent,
	})
	if err != nil {
		return nil, err
	}
	return data.debt(), nil
}
