package activeplatform

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/caravanpay/caravan/internal/tolerant"
	"github.com/caravanpay/caravan/internal/transport"
)

// PaymentStatus is a payment's status. Values the documents do not name
// are kept as received.
type PaymentStatus string

// The documented payment statuses. Only waiting_for_payment and expired
// payments can be completed; only waiting_for_payment ones cancelled.
const (
	PaymentWaitingForPayment PaymentStatus = "waiting_for_payment" // created, not yet paid
	PaymentExpired           PaymentStatus = "expired"             // its expiration date passed unpaid
	PaymentCompleted         PaymentStatus = "completed"           // paid; closed_at is set
	PaymentCancelled         PaymentStatus = "cancelled"           // cancelled unpaid ([Client.CancelPayment]); closed_at is set
)

// Completable reports whether a payment in this status may be completed.
func (s PaymentStatus) Completable() bool {
	return s == PaymentWaitingForPayment || s == PaymentExpired
}

// Payment is ActivePlatform's payment resource ("type": "payments").
// Timestamps keep the installation's offset; null ones are nil. Amounts are
// exact [Decimal] text; a null amount is "".
type Payment struct {
	ID     int64         // the payment id, 6475 (JSON:API sends it as the text "6475")
	Status PaymentStatus // waiting_for_payment, expired, completed, …

	CreatedAt      time.Time  // created_at, with the installation's offset
	UpdatedAt      time.Time  // updated_at
	ClosedAt       *time.Time // when it was completed; nil while open
	ExpirationDate *time.Time // expiration_date: when an unpaid payment expires; nil if none
	DueDate        *time.Time // due_date; nil if none

	AccountID         int64  // the paying account
	ManagerID         int64  // the manager who last changed it, 0 if none
	PaymentMethodID   int64  // the method it was (or is to be) paid with, 0 if none
	PaymentMethodName string // "Cash"

	Total                 Decimal // amount due, "99.0"
	InitialTotal          Decimal // amount when created, before corrections
	DiscountAmount        Decimal // "0.0"
	AmountPaidFromBalance Decimal // part paid from the account's balance
	CurrencyCode          string  // ISO 4217, "USD"
	ExternalTotal         Decimal // amount in the external currency, if any
	ExternalCurrency      string  // currency of ExternalTotal, ISO 4217

	Comment     string // free text set at creation
	Purpose     string // what the payment is for
	DocumentID  string // the payment's document number as sent: zero-padded ("002018") or not ("2005259")
	RequesterIP string // IP address the payment was requested from

	Relationships PaymentRelationships // ids of related resources

	// Included holds the related resources a [Client.GetPayment] call asked
	// for with includes, as the installation sent them.
	Included []Resource
}

// PaymentRelationships are the ids of a payment's related resources.
type PaymentRelationships struct {
	Orders      []string // ids of the related orders
	Invoices    []string // ids of the related invoices
	Corrections []string // ids of the related corrections
	Charges     []string // ids of the related charges; nil when the relationship is absent (the cancel reply omits it)

	ResellerID      string // the reseller's id, "" if not sent
	AccountID       string // the paying account's id, "" if not sent
	PaymentMethodID string // the payment method's id, "" if not sent
}

// Resource is a related resource from a document's "included" member,
// kept undecoded apart from its identity.
type Resource struct {
	Type          string          // the resource type, "invoices"
	ID            string          // its id, as sent
	Attributes    json.RawMessage // its attributes object, undecoded
	Relationships json.RawMessage // its relationships object, undecoded
}

// Include names a related resource [Client.GetPayment] can embed.
type Include string

// The includes the payment resource documents.
const (
	IncludeInvoices      Include = "invoices"
	IncludeOrders        Include = "orders"
	IncludeAccount       Include = "account"
	IncludePaymentMethod Include = "payment_method"
	IncludeReseller      Include = "reseller"
	IncludeCharges       Include = "charges"
	IncludeCorrections   Include = "corrections"
)

// text is a string attribute decoded quickly; a number is kept as its
// literal text (document_id may arrive as one) and null is "".
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	if n := len(b); n >= 2 && b[0] == '"' && b[n-1] == '"' && bytes.IndexByte(b, '\\') < 0 {
		*t = text(b[1 : n-1])
		return nil
	}
	return (*tolerant.String)(t).UnmarshalJSON(b)
}

// stamp is a timestamp attribute; ActivePlatform writes offsets without a
// colon ("+0300"), which time.RFC3339 rejects.
type stamp struct{ time.Time }

const stampLayout = "2006-01-02T15:04:05Z0700"

func (s *stamp) UnmarshalJSON(b []byte) error {
	if n := len(b); n >= 2 && b[0] == '"' && b[n-1] == '"' && bytes.IndexByte(b, '\\') < 0 {
		if t, err := time.Parse(stampLayout, string(b[1:n-1])); err == nil {
			s.Time = t
			return nil
		}
	}
	var t tolerant.Time
	if err := t.UnmarshalJSON(b); err != nil {
		return err
	}
	s.Time = t.Time
	return nil
}

func (s stamp) ptr() *time.Time {
	if s.IsZero() {
		return nil
	}
	t := s.Time
	return &t
}

type wireIdent struct {
	Type string `json:"type"`
	ID   text   `json:"id"`
}

type toOne struct {
	Data *wireIdent `json:"data"`
}

func (r toOne) id() string {
	if r.Data == nil {
		return ""
	}
	return string(r.Data.ID)
}

type toMany struct {
	Data []wireIdent `json:"data"`
}

func (r toMany) ids() []string {
	if len(r.Data) == 0 {
		return nil
	}
	out := make([]string, len(r.Data))
	for i, d := range r.Data {
		out[i] = string(d.ID)
	}
	return out
}

type wirePayment struct {
	ID         text   `json:"id"`
	Type       string `json:"type"`
	Attributes struct {
		CreatedAt             stamp          `json:"created_at"`
		UpdatedAt             stamp          `json:"updated_at"`
		ClosedAt              stamp          `json:"closed_at"`
		ExpirationDate        stamp          `json:"expiration_date"`
		DueDate               stamp          `json:"due_date"`
		AccountID             tolerant.Int64 `json:"account_id"`
		ManagerID             tolerant.Int64 `json:"manager_id"`
		PaymentMethodID       tolerant.Int64 `json:"payment_method_id"`
		DiscountAmount        Decimal        `json:"discount_amount"`
		Total                 Decimal        `json:"total"`
		InitialTotal          Decimal        `json:"initial_total"`
		AmountPaidFromBalance Decimal        `json:"amount_paid_from_balance"`
		ExternalTotal         Decimal        `json:"external_total"`
		CurrencyCode          text           `json:"currency_code"`
		ExternalCurrency      text           `json:"external_currency"`
		Comment               text           `json:"comment"`
		Purpose               text           `json:"purpose"`
		Status                text           `json:"status"`
		DocumentID            text           `json:"document_id"`
		PaymentMethodName     text           `json:"payment_method_name"`
		RequesterIP           text           `json:"requester_ip"`
	} `json:"attributes"`
	Relationships struct {
		Orders        toMany `json:"orders"`
		Invoices      toMany `json:"invoices"`
		Corrections   toMany `json:"corrections"`
		Charges       toMany `json:"charges"`
		Reseller      toOne  `json:"reseller"`
		Account       toOne  `json:"account"`
		PaymentMethod toOne  `json:"payment_method"`
	} `json:"relationships"`
}

func (w *wirePayment) payment() (*Payment, error) {
	if w.Type != "" && w.Type != "payments" {
		return nil, fmt.Errorf("want a payments resource, got type %q", w.Type)
	}
	id, err := parseID("payment", w.ID)
	if err != nil {
		return nil, err
	}
	a := &w.Attributes
	r := &w.Relationships
	return &Payment{
		ID:                    id,
		Status:                PaymentStatus(a.Status),
		CreatedAt:             a.CreatedAt.Time,
		UpdatedAt:             a.UpdatedAt.Time,
		ClosedAt:              a.ClosedAt.ptr(),
		ExpirationDate:        a.ExpirationDate.ptr(),
		DueDate:               a.DueDate.ptr(),
		AccountID:             int64(a.AccountID),
		ManagerID:             int64(a.ManagerID),
		PaymentMethodID:       int64(a.PaymentMethodID),
		PaymentMethodName:     string(a.PaymentMethodName),
		Total:                 a.Total,
		InitialTotal:          a.InitialTotal,
		DiscountAmount:        a.DiscountAmount,
		AmountPaidFromBalance: a.AmountPaidFromBalance,
		CurrencyCode:          string(a.CurrencyCode),
		ExternalTotal:         a.ExternalTotal,
		ExternalCurrency:      string(a.ExternalCurrency),
		Comment:               string(a.Comment),
		Purpose:               string(a.Purpose),
		DocumentID:            string(a.DocumentID),
		RequesterIP:           string(a.RequesterIP),
		Relationships: PaymentRelationships{
			Orders:          r.Orders.ids(),
			Invoices:        r.Invoices.ids(),
			Corrections:     r.Corrections.ids(),
			Charges:         r.Charges.ids(),
			ResellerID:      r.Reseller.id(),
			AccountID:       r.Account.id(),
			PaymentMethodID: r.PaymentMethod.id(),
		},
	}, nil
}

type wireResource struct {
	Type          string          `json:"type"`
	ID            text            `json:"id"`
	Attributes    json.RawMessage `json:"attributes"`
	Relationships json.RawMessage `json:"relationships"`
}

func resources(in []wireResource) []Resource {
	if len(in) == 0 {
		return nil
	}
	out := make([]Resource, len(in))
	for i, w := range in {
		out[i] = Resource{Type: w.Type, ID: string(w.ID), Attributes: w.Attributes, Relationships: w.Relationships}
	}
	return out
}

// paymentDoc is a JSON:API document whose primary data is one payment.
type paymentDoc struct {
	Data     *wirePayment    `json:"data"`
	Included []wireResource  `json:"included"`
	Errors   json.RawMessage `json:"errors"`
}

// decodePayment decodes a JSON:API document whose primary data is one
// payment.
func decodePayment(body []byte) (*Payment, error) {
	var doc paymentDoc
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("decode payment document: %w", err)
	}
	if hasErrors(doc.Errors) {
		return nil, errors.New("the document holds errors, not a payment")
	}
	if doc.Data == nil {
		return nil, errors.New("the document has no payment data")
	}
	p, err := doc.Data.payment()
	if err != nil {
		return nil, err
	}
	p.Included = resources(doc.Included)
	return p, nil
}

// decodeOne decodes a JSON:API document whose primary data is one resource
// of wire type W — a noun for messages, with its article in a — refusing
// an error document and one without data.
func decodeOne[W any](body []byte, noun, a string) (*W, error) {
	var doc struct {
		Data   *W              `json:"data"`
		Errors json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("decode %s document: %w", noun, err)
	}
	if hasErrors(doc.Errors) {
		return nil, fmt.Errorf("the document holds errors, not %s", a)
	}
	if doc.Data == nil {
		return nil, fmt.Errorf("the document has no %s data", noun)
	}
	return doc.Data, nil
}

func hasErrors(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && !bytes.Equal(raw, []byte("null")) && !bytes.Equal(raw, []byte("[]"))
}

// decodeReply decodes a 2xx reply with dec, turning an error document or an
// undecodable body into an *Error.
func decodeReply[T any](resp *transport.Response, dec func([]byte) (T, error)) (T, error) {
	v, err := dec(resp.Body)
	if err != nil {
		var de *decodeError
		if errors.As(err, &de) {
			err = de.err // the *Error says what kind of failure it is
		}
		var zero T
		return zero, documentError(resp, err)
	}
	return v, nil
}
