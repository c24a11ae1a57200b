package resid

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/caravanpay/caravan/internal/tolerant"
)

// CollectWindow is how long after a payment request's creation Resid waits
// for [Client.CollectPayment]. A successful payment not collected within it
// is refunded to the passenger automatically.
const CollectWindow = 20 * time.Minute

// State is a payment's outcome state as Resid reports it. Resid documents
// only "pending"; any other value is kept as sent, so compare with the
// constants you know and treat the rest as unknown. Whether money arrived
// is better read from [Payment.Paid].
type State string

// StatePending: the passenger has not finished paying (documented).
const StatePending State = "pending"

// Merchant is how a payee (the driver) is shown to the passenger.
type Merchant struct {
	DisplayName    string `json:"display_name"`     // display_name: the driver's name as shown to the payer
	DisplayImage   string `json:"display_image"`    // display_image: URL of the merchant's picture
	DisplayBizName string `json:"display_biz_name"` // display_biz_name: the business name shown
}

// Outcome is the result of the passenger's attempt to pay.
type Outcome struct {
	// RRN is the bank's reference number for the transaction.
	RRN string `json:"rrn"`
	// TotalAmount is what the passenger paid, in rials (Amount plus Tip).
	TotalAmount int64 `json:"total_amount"`
	// Tip is the passenger's tip, in rials.
	Tip int64 `json:"tip"`
	// State is the payment's state; see [State].
	State State `json:"state"`
	// StateError explains a failed state; "" when Resid sends null.
	StateError string `json:"state_error"`
	// Method is the bank gateway used, such as "asanpardakht".
	Method string `json:"method"`
}

// Payment is a payment request and its outcome, as GetPayment and
// ListPayments return it. Amounts are whole rials.
type Payment struct {
	Merchant    Merchant `json:"merchant"`    // merchant: the payee as shown to the passenger
	Description string   `json:"description"` // description given at creation
	// Payer is the passenger's phone number, masked by Resid ("0938*****25").
	Payer string `json:"payer"`
	// Created is when the payment request was made, with Resid's offset
	// (+04:30 or +03:30, Tehran time). The collect window runs from it.
	Created time.Time `json:"created"`
	// Amount is the fare requested, in rials.
	Amount int64 `json:"amount"`
	// Paid is when the passenger paid, nil while unpaid.
	Paid    *time.Time `json:"paid"`
	Token   string     `json:"token"`   // token: the payment request's id
	Outcome Outcome    `json:"outcome"` // outcome: the result of the passenger's attempt
	// Payload is the text given at creation, returned unchanged.
	Payload string `json:"payload"`
}

// CollectDeadline is when the payment's collect window closes: Created
// plus [CollectWindow]. After it a successful payment that was not
// collected is refunded. It is the zero time when Created is unknown.
func (p *Payment) CollectDeadline() time.Time {
	if p.Created.IsZero() {
		return time.Time{}
	}
	return p.Created.Add(CollectWindow)
}

// wirePayment is the reply's shape, decoded tolerantly: numbers may arrive
// as strings, strings as numbers, anything as null.
type wirePayment struct {
	Merchant    wireMerchant    `json:"merchant"`
	Description tolerant.String `json:"description"`
	Payer       tolerant.String `json:"payer"`
	Created     tolerant.Time   `json:"created"`
	Amount      tolerant.Int64  `json:"amount"`
	Paid        tolerant.Time   `json:"paid"`
	Token       tolerant.String `json:"token"`
	Outcome     wireOutcome     `json:"outcome"`
	Payload     tolerant.String `json:"payload"`
}

type wireMerchant struct {
	DisplayName    tolerant.String `json:"display_name"`
	DisplayImage   tolerant.String `json:"display_image"`
	DisplayBizName tolerant.String `json:"display_biz_name"`
}

type wireOutcome struct {
	RRN         tolerant.String `json:"rrn"`
	TotalAmount tolerant.Int64  `json:"total_amount"`
	Tip         tolerant.Int64  `json:"tip"`
	State       tolerant.String `json:"state"`
	StateError  tolerant.String `json:"state_error"`
	Method      tolerant.String `json:"method"`
}

// UnmarshalJSON decodes a payment as Resid sends it: times with offsets
// such as +04:30, null for an unpaid "paid" and a missing state_error,
// amounts as numbers or numeric strings.
func (p *Payment) UnmarshalJSON(b []byte) error {
	var w wirePayment
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*p = w.payment()
	return nil
}

// payment converts the wire shape to the exported one.
func (w *wirePayment) payment() Payment {
	p := Payment{
		Description: string(w.Description),
		Payer:       string(w.Payer),
		Created:     w.Created.Time,
		Amount:      int64(w.Amount),
		Paid:        w.Paid.Ptr(),
		Token:       string(w.Token),
		Payload:     string(w.Payload),
	}
	m, o := &w.Merchant, &w.Outcome // a null or missing object decodes as zero
	p.Merchant = Merchant{DisplayName: string(m.DisplayName), DisplayImage: string(m.DisplayImage),
		DisplayBizName: string(m.DisplayBizName)}
	p.Outcome = Outcome{RRN: string(o.RRN), TotalAmount: int64(o.TotalAmount), Tip: int64(o.Tip),
		State: State(o.State), StateError: string(o.StateError), Method: string(o.Method)}
	return p
}

// strictPayment has Payment's fields with plain types and no UnmarshalJSON
// of its own: encoding/json decodes it in one pass at full speed. A reply
// with a quirk (a number as a string, an odd timestamp) fails it and takes
// the tolerant wirePayment path instead; where both succeed they agree.
type strictPayment struct {
	Merchant    Merchant   `json:"merchant"`
	Description string     `json:"description"`
	Payer       string     `json:"payer"`
	Created     time.Time  `json:"created"`
	Amount      int64      `json:"amount"`
	Paid        *time.Time `json:"paid"`
	Token       string     `json:"token"`
	Outcome     Outcome    `json:"outcome"`
	Payload     string     `json:"payload"`
}

// okEnvelope is a successful reply's envelope with info decoded as T in the
// same pass.
type okEnvelope[T any] struct {
	Message tolerant.String `json:"message"`
	Info    T               `json:"info"`
	Errors  json.RawMessage `json:"errors"`
}

// decodeOK decodes a reply that says OK and carries no errors in one pass
// over body. ok is false for anything else (an error envelope, another
// shape of info, bad JSON): the caller then takes the careful path, which
// explains what is wrong.
func decodeOK[T any](body []byte) (info T, ok bool) {
	var env okEnvelope[T]
	if json.Unmarshal(body, &env) != nil || !strings.EqualFold(strings.TrimSpace(string(env.Message)), "ok") || hasErrors(env.Errors) {
		return info, false
	}
	return env.Info, true
}
