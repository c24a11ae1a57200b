package uapay

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/caravanpay/caravan/internal/tolerant"
	"github.com/caravanpay/caravan/internal/transport"
)

// SystemType is the kind of payment system an invoice belongs to.
type SystemType string

// The documented system types.
const (
	SystemECOM SystemType = "ECOM" // card payment for goods or services
	SystemP2P  SystemType = "P2P"  // card-to-card transfer
)

// InvoiceType says what paying the invoice does.
type InvoiceType string

// The documented invoice types.
const (
	TypePay       InvoiceType = "PAY"       // charge at once
	TypeHold      InvoiceType = "HOLD"      // block the amount, complete later
	TypeSubscribe InvoiceType = "SUBSCRIBE" // recurring payments
)

// InvoiceStatus is whether an invoice can still be paid. Unknown values
// are kept as UAPAY sent them.
type InvoiceStatus string

// The documented invoice statuses.
const (
	InvoiceActive   InvoiceStatus = "ACTIVE"
	InvoiceInactive InvoiceStatus = "INACTIVE"
)

// PaymentStatus is the state of a payment. Unknown values are kept as
// UAPAY sent them.
type PaymentStatus string

// The documented payment statuses.
const (
	PaymentOpen              PaymentStatus = "OPEN"
	PaymentPayed             PaymentStatus = "PAYED" // UAPAY's spelling of "paid"
	PaymentFinished          PaymentStatus = "FINISHED"
	PaymentReversed          PaymentStatus = "REVERSED"
	PaymentReturned          PaymentStatus = "RETURNED"
	PaymentClosed            PaymentStatus = "CLOSED"
	PaymentPending           PaymentStatus = "PENDING"
	PaymentRejected          PaymentStatus = "REJECTED"
	PaymentHolded            PaymentStatus = "HOLDED" // amount blocked by a HOLD invoice
	PaymentCanceled          PaymentStatus = "CANCELED"
	PaymentNeedsConfirmation PaymentStatus = "NEEDS_CONFIRMATION"
)

// CreateInvoiceRequest is a new invoice. Amount is in kopecks (1 UAH =
// 100): money never passes through float64.
//
// Two deadlines are easy to confuse: PayExpiresAt (payExpiresAt) is when
// the invoice itself stops accepting payment; ExpiresAt (expiresAt) is when
// a SUBSCRIBE invoice's recurring payments end.
type CreateInvoiceRequest struct {
	// SystemType is ECOM (card payment, the default when empty) or P2P
	// (systemType).
	SystemType SystemType
	// ExternalID is your order id (externalId); required.
	ExternalID string
	// Type is PAY (the default when empty), HOLD or SUBSCRIBE (type).
	Type InvoiceType
	// Amount is in kopecks (amount); it must be positive.
	Amount int64
	// Description is the purpose of the invoice, shown to the payer
	// (description); required by UAPAY's document.
	Description string
	// CardToID is the UUID of the card that receives the money (cardTo.id):
	// required for a P2P invoice, not sent otherwise.
	CardToID string
	// RecurringInterval is the interval of a SUBSCRIBE invoice's recurring
	// payments, in days, 1 to 366 (recurringInterval): required for
	// SUBSCRIBE, refused for any other type. A SUBSCRIBE invoice also needs
	// ExpiresAt, as the document's table says.
	RecurringInterval int
	// Email is the payer's email (email); optional.
	Email string
	// RedirectURL is where the payment page sends the payer back
	// (redirectUrl); an absolute http(s) URL, optional.
	RedirectURL string
	// CallbackURL is where UAPAY POSTs payment callbacks (callbackUrl); an
	// absolute http(s) URL, optional.
	CallbackURL string
	// ExtraInfo is a JSON object stored with the invoice (extraInfo), sent
	// as a string as UAPAY requires; optional.
	ExtraInfo json.RawMessage
	// PayExpiresAt is the invoice's own deadline (payExpiresAt): after it
	// the invoice can no longer be paid. Zero leaves UAPAY's default; sent
	// in Unix milliseconds; it must be in the future.
	PayExpiresAt time.Time
	// ExpiresAt is the end of a SUBSCRIBE invoice's recurring payments
	// (expiresAt), not the invoice's payment deadline (see PayExpiresAt).
	// Zero leaves UAPAY's default; sent in Unix milliseconds; it must be in
	// the future.
	ExpiresAt time.Time
}

// CreatedInvoice is UAPAY's reply to CreateInvoice.
type CreatedInvoice struct {
	// ID is the invoice's UUID (id).
	ID string
	// PaymentPageURL is the hosted payment page to send the payer to
	// (paymentPageUrl).
	PaymentPageURL string
	// PaymentPageURLQR is a QR code of the payment page (paymentPageUrlQR).
	PaymentPageURLQR string
}

type createParams struct {
	SessionID  string     `json:"sessionId"`
	SystemType SystemType `json:"systemType"`
}

type createData struct {
	ExternalID  string      `json:"externalId"`
	Type        InvoiceType `json:"type"`
	Amount      int64       `json:"amount"`
	Description string      `json:"description"`
	CardTo      *cardToWire `json:"cardTo,omitempty"`
	Recurring   int         `json:"recurringInterval,omitempty"`
	Email       string      `json:"email,omitempty"`
	RedirectURL string      `json:"redirectUrl,omitempty"`
	CallbackURL string      `json:"callbackUrl,omitempty"`
	ExtraInfo   string      `json:"extraInfo,omitempty"`
	PayExpires  int64       `json:"payExpiresAt,omitempty"`
	ExpiresAt   int64       `json:"expiresAt,omitempty"`
}

// CreateInvoice issues an invoice that the payer settles on UAPAY's hosted
// page.
//
// POST api/invoicer/invoices/create, params {sessionId, systemType}.
//
// Retry class: reconciled by externalId. UAPAY does not deduplicate
// externalId, so the SDK does: before it sends, and after any send whose
// outcome is unknown (a cut or timed-out reply, a 5xx, an unreadable 2xx),
// it looks the invoice up by ExternalID ([Client.ShowInvoices]) inside
// ctx's deadline — a send may use only two thirds of the time left, so a
// held reply still leaves time to look:
//
//   - an invoice with this ExternalID and Amount exists: it is returned as
//     the result (PaymentPageURLQR empty), and nothing new is created;
//   - one exists with another amount: an [*ExternalIDTakenError] (matching
//     ErrConflict), nothing created;
//   - none exists, and no send can still be in flight: the create is sent
//     again (at most three sends), or the call fails as not applied.
//
// What to do with the outcome:
//   - nil: the invoice exists, exactly once for this ExternalID.
//   - errors.Is(err, ErrOutcomeUnknown): the look could not run or could
//     not conclude (a send was given up and may still land). An invoice
//     may exist. [SafeToRepeat] is true: call CreateInvoice again with the
//     same request — it looks first and returns the invoice if it exists.
//   - any other error: no invoice was created by this call.
func (c *Client) CreateInvoice(ctx context.Context, req *CreateInvoiceRequest) (*CreatedInvoice, error) {
	if req == nil {
		return nil, invalid("request", "is nil")
	}
	d := createData{ExternalID: req.ExternalID, Type: req.Type, Amount: req.Amount, Description: req.Description,
		Email: req.Email, RedirectURL: req.RedirectURL, CallbackURL: req.CallbackURL}
	sys := req.SystemType
	if sys == "" {
		sys = SystemECOM
	}
	if d.Type == "" {
		d.Type = TypePay
	}
	switch {
	case sys != SystemECOM && sys != SystemP2P:
		return nil, invalid("systemType", "must be ECOM or P2P, got %q", clip(string(sys), 20))
	case d.Type != TypePay && d.Type != TypeHold && d.Type != TypeSubscribe:
		return nil, invalid("type", "must be PAY, HOLD or SUBSCRIBE, got %q", clip(string(d.Type), 20))
	case strings.TrimSpace(d.ExternalID) == "":
		return nil, invalid("externalId", "is required")
	case d.Amount <= 0:
		return nil, invalid("amount", "must be a positive number of kopecks, got %d", d.Amount)
	case d.Email != "" && (!strings.Contains(d.Email, "@") || strings.ContainsAny(d.Email, " \t\r\n")):
		return nil, invalid("email", "is not an email address")
	case strings.TrimSpace(d.Description) == "":
		return nil, invalid("description", "is required")
	}
	switch {
	case sys == SystemP2P && req.CardToID == "":
		return nil, invalid("cardTo.id", "is required for a P2P invoice")
	case sys != SystemP2P && req.CardToID != "":
		return nil, invalid("cardTo.id", "is only for a P2P invoice")
	case d.Type == TypeSubscribe && req.RecurringInterval == 0:
		return nil, invalid("recurringInterval", "is required for a SUBSCRIBE invoice")
	case d.Type != TypeSubscribe && req.RecurringInterval != 0:
		return nil, invalid("recurringInterval", "is only for a SUBSCRIBE invoice")
	case req.RecurringInterval < 0 || req.RecurringInterval > 366:
		return nil, invalid("recurringInterval", "must be 1 to 366 days, got %d", req.RecurringInterval)
	case d.Type == TypeSubscribe && req.ExpiresAt.IsZero():
		return nil, invalid("expiresAt", "is required for a SUBSCRIBE invoice")
	}
	if req.CardToID != "" {
		if err := checkUUID("cardTo.id", req.CardToID); err != nil {
			return nil, err
		}
		d.CardTo = &cardToWire{ID: req.CardToID}
	}
	d.Recurring = req.RecurringInterval
	for _, f := range []struct{ name, v string }{{"externalId", d.ExternalID}, {"description", d.Description}} {
		if err := checkText(f.name, f.v, 0); err != nil {
			return nil, err
		}
	}
	if err := checkURL("redirectUrl", d.RedirectURL); err != nil {
		return nil, err
	}
	if err := checkURL("callbackUrl", d.CallbackURL); err != nil {
		return nil, err
	}
	var err error
	if d.ExtraInfo, err = extraInfoText("extraInfo", req.ExtraInfo); err != nil {
		return nil, err
	}
	if !req.PayExpiresAt.IsZero() {
		if !req.PayExpiresAt.After(c.now()) {
			return nil, invalid("payExpiresAt", "is in the past")
		}
		d.PayExpires = req.PayExpiresAt.UnixMilli()
	}
	if !req.ExpiresAt.IsZero() {
		if !req.ExpiresAt.After(c.now()) {
			return nil, invalid("expiresAt", "is in the past")
		}
		d.ExpiresAt = req.ExpiresAt.UnixMilli()
	}
	return c.createReconciled(ctx, sys, &d)
}

// createOnce sends one create request (the transport resends it only when
// it surely never arrived).
func (c *Client) createOnce(ctx context.Context, sys SystemType, d *createData) (*CreatedInvoice, error) {
	var out *CreatedInvoice
	err := c.withSession(ctx, func(sid string) error {
		r, err := c.call(ctx, "/api/invoicer/invoices/create", transport.Reconciled, createParams{sid, sys}, d)
		if err != nil {
			return err
		}
		var w struct {
			ID               tolerant.String `json:"id"`
			PaymentPageURL   tolerant.String `json:"paymentPageUrl"`
			PaymentPageURLQR tolerant.String `json:"paymentPageUrlQR"`
		}
		if err := r.decode(&w); err != nil {
			return err
		}
		if w.ID == "" {
			return r.fail("reply has no invoice id", errMissing)
		}
		out = &CreatedInvoice{ID: string(w.ID), PaymentPageURL: string(w.PaymentPageURL),
			PaymentPageURLQR: string(w.PaymentPageURLQR)}
		return nil
	})
	return out, err
}

// Invoice is an invoice as ShowInvoice returns it. Amounts are kopecks.
type Invoice struct {
	ID             string        // id: the invoice UUID
	ExternalID     string        // externalId: your order id
	SystemType     SystemType    // systemType: ECOM or P2P
	Type           InvoiceType   // type: PAY, HOLD or SUBSCRIBE
	InvoiceStatus  InvoiceStatus // invoiceStatus: ACTIVE or INACTIVE
	Amount         int64         // amount in kopecks
	Description    string        // description shown to the payer
	Email          string        // the payer's email
	Tag            string        // tag: the grouping label
	RedirectURL    string        // redirectUrl
	CallbackURL    string        // callbackUrl
	PaymentPageURL string        // paymentPageUrl: the hosted payment page
	// ExtraInfo is the JSON object stored with the invoice (UAPAY returns
	// it as an object, though it is sent as a string); nil when absent.
	ExtraInfo json.RawMessage
	CreatedAt time.Time  // createdAt
	ExpiresAt *time.Time // expiresAt: end of recurring payments; nil if not set
	Payments  []Payment  // the invoice's payments, in the order sent
}

// Payment is a payment of an invoice, as ShowPayment, ShowInvoice (its
// payments) and the lifecycle calls' looks read it. Amounts are kopecks;
// a field UAPAY did not send is zero.
//
// UAPAY has two status fields, both kept open (an unknown value is kept
// as sent). In payments/show and invoices/show, Status is the invoice
// payment's status (NEW, PAID, FINISHED, REVERSED, CANCELED) and
// PaymentStatus the payment system's ([PaymentHolded], [PaymentFinished],
// …). UAPAY's payments/checkStatus, which this package does not call,
// swaps them: there "status" carries NEEDS_CONFIRMATION and
// "paymentStatus" NEW. Code that reads checkStatus replies itself must not
// mix the two.
type Payment struct {
	ID             string        // paymentId (or id)
	InvoiceID      string        // invoiceId: the invoice the payment belongs to
	Number         string        // number ("invoice number" in the document; paymentNumber in older replies)
	ReceiptID      string        // receiptId: the receipt number, e.g. "Q1URF9TQMKDE"
	ClientID       string        // clientId: the merchant, as UAPAY numbers it
	SystemType     SystemType    // systemType: ECOM or P2P
	Status         string        // status: the invoice payment's status (NEW, PAID, FINISHED, REVERSED, CANCELED), kept as sent
	PaymentStatus  PaymentStatus // paymentStatus: the payment system's status; unknown values are kept
	Amount         int64         // amount in kopecks
	Commission     int64         // commission in kopecks
	Email          string        // email the receipt goes to
	CardFromID     string        // cardFromId: UAPAY's id of the payer's card
	CardFromMasked string        // cardFromMasked: the payer's card, masked
	CardToID       string        // cardToId: UAPAY's id of the recipient card
	CardToMasked   string        // cardToMasked: the recipient card, masked
	// ChequeLink is the receipt's link as UAPAY sends it: the document's
	// example has no scheme ("api.uapay.ua/api/receipts/…"); see
	// [Payment.ChequeURL].
	ChequeLink string
	CreatedAt  time.Time  // createdAt (or createDate)
	UpdatedAt  *time.Time // updatedAt; nil if not sent
	PaidAt     *time.Time // paidAt: when the money was taken; nil if not yet
	ReversedAt *time.Time // reversedAt: when it was refunded; nil if never
	PayDate    *time.Time // payDate (older replies and callbacks): when it was paid, nil if not
}

// ChequeURL returns ChequeLink as an absolute URL: "https://" is put in
// front of a link without a scheme, as the document's example is; "" when
// there is no link.
func (p *Payment) ChequeURL() string {
	l := strings.TrimSpace(p.ChequeLink)
	if l == "" || strings.Contains(l, "://") {
		return l
	}
	return "https://" + strings.TrimLeft(l, "/")
}

type wirePayment struct {
	ID             tolerant.String `json:"paymentId"`
	AltID          tolerant.String `json:"id"`
	InvoiceID      tolerant.String `json:"invoiceId"`
	Number         tolerant.String `json:"number"`
	PaymentNumber  tolerant.String `json:"paymentNumber"`
	ReceiptID      tolerant.String `json:"receiptId"`
	ClientID       tolerant.String `json:"clientId"`
	SystemType     tolerant.String `json:"systemType"`
	Status         tolerant.String `json:"status"`
	PaymentStatus  tolerant.String `json:"paymentStatus"`
	Amount         tolerant.Int64  `json:"amount"`
	Commission     tolerant.Int64  `json:"commission"`
	Email          tolerant.String `json:"email"`
	CardFromID     tolerant.String `json:"cardFromId"`
	CardFromMasked tolerant.String `json:"cardFromMasked"`
	CardToID       tolerant.String `json:"cardToId"`
	CardToMasked   tolerant.String `json:"cardToMasked"`
	ChequeLink     tolerant.String `json:"chequeLink"`
	CreatedAt      flexTime        `json:"createdAt"`
	CreateDate     flexTime        `json:"createDate"`
	UpdatedAt      flexTime        `json:"updatedAt"`
	PaidAt         flexTime        `json:"paidAt"`
	ReversedAt     flexTime        `json:"reversedAt"`
	PayDate        flexTime        `json:"payDate"`
}

func (p *wirePayment) payment() Payment {
	id := p.ID
	if id == "" {
		id = p.AltID
	}
	created := p.CreatedAt
	if created.IsZero() {
		created = p.CreateDate
	}
	num := p.Number
	if num == "" {
		num = p.PaymentNumber
	}
	return Payment{ID: string(id), InvoiceID: string(p.InvoiceID), Number: string(num), ReceiptID: string(p.ReceiptID),
		ClientID: string(p.ClientID), SystemType: SystemType(p.SystemType), Status: string(p.Status),
		PaymentStatus: PaymentStatus(p.PaymentStatus), Amount: int64(p.Amount), Commission: int64(p.Commission),
		Email: string(p.Email), CardFromID: string(p.CardFromID), CardFromMasked: string(p.CardFromMasked),
		CardToID: string(p.CardToID), CardToMasked: string(p.CardToMasked), ChequeLink: string(p.ChequeLink),
		CreatedAt: created.Time, UpdatedAt: p.UpdatedAt.ptr(), PaidAt: p.PaidAt.ptr(), ReversedAt: p.ReversedAt.ptr(),
		PayDate: p.PayDate.ptr()}
}

type wireInvoice struct {
	ID             tolerant.String `json:"id"`
	ExternalID     tolerant.String `json:"externalId"`
	SystemType     tolerant.String `json:"systemType"`
	Type           tolerant.String `json:"type"`
	InvoiceStatus  tolerant.String `json:"invoiceStatus"`
	Amount         tolerant.Int64  `json:"amount"`
	Description    tolerant.String `json:"description"`
	Email          tolerant.String `json:"email"`
	Tag            tolerant.String `json:"tag"`
	RedirectURL    tolerant.String `json:"redirectUrl"`
	CallbackURL    tolerant.String `json:"callbackUrl"`
	PaymentPageURL tolerant.String `json:"paymentPageUrl"`
	ExtraInfo      json.RawMessage `json:"extraInfo"`
	CreatedAt      flexTime        `json:"createdAt"`
	ExpiresAt      flexTime        `json:"expiresAt"`
	Payments       []wirePayment   `json:"payments"`
}

func (w *wireInvoice) invoice() *Invoice {
	inv := &Invoice{ID: string(w.ID), ExternalID: string(w.ExternalID), SystemType: SystemType(w.SystemType),
		Type: InvoiceType(w.Type), InvoiceStatus: InvoiceStatus(w.InvoiceStatus), Amount: int64(w.Amount),
		Description: string(w.Description), Email: string(w.Email), Tag: string(w.Tag),
		RedirectURL: string(w.RedirectURL), CallbackURL: string(w.CallbackURL),
		PaymentPageURL: string(w.PaymentPageURL), ExtraInfo: objectJSON(w.ExtraInfo),
		CreatedAt: w.CreatedAt.Time, ExpiresAt: w.ExpiresAt.ptr()}
	for i := range w.Payments {
		p := w.Payments[i].payment()
		if p.InvoiceID == "" {
			p.InvoiceID = inv.ID
		}
		inv.Payments = append(inv.Payments, p)
	}
	return inv
}

type invoiceParams struct {
	SessionID string `json:"sessionId"`
	ID        string `json:"id"`
}

// ShowInvoice reads an invoice and its payments.
//
// POST api/invoicer/invoices/show, params {sessionId, id}.
//
// Retry class: read — retried like an idempotent call; it never fails with
// ErrOutcomeUnknown.
func (c *Client) ShowInvoice(ctx context.Context, invoiceID string) (*Invoice, error) {
	if err := checkUUID("id", invoiceID); err != nil {
		return nil, err
	}
	var out *Invoice
	err := c.withSession(ctx, func(sid string) error {
		r, err := c.call(ctx, "/api/invoicer/invoices/show", transport.Read, invoiceParams{sid, invoiceID}, nil)
		if err != nil {
			return err
		}
		var w wireInvoice
		if err := r.decode(&w); err != nil {
			return err
		}
		if w.ID == "" {
			return r.fail("reply has no invoice id", errMissing)
		}
		out = w.invoice()
		return nil
	})
	return out, err
}

// InvoiceUpdate holds the invoice fields to change; at least one must be
// set. A nil field is not sent and stays as it is; a pointer to "" is sent
// as "" and clears the field, as UAPAY's own example does with
// "redirectUrl": "". Build the pointers with [Ptr]:
//
//	&uapay.InvoiceUpdate{Tag: uapay.Ptr("Client 1"), RedirectURL: uapay.Ptr("")}
type InvoiceUpdate struct {
	// CardTo is the card that receives the money (cardTo, P2P); nil leaves
	// it as it is.
	CardTo *CardTo
	// Tag is a label for grouping invoices (tag).
	Tag *string
	// RedirectURL is where the payment page sends the payer back
	// (redirectUrl): an absolute http(s) URL, or "" to clear it.
	RedirectURL *string
	// CallbackURL is where UAPAY POSTs payment callbacks (callbackUrl): an
	// absolute http(s) URL, or "" to clear it.
	CallbackURL *string
	// ExtraInfo is a JSON object (extraInfo); it is sent as a string
	// holding the document, as UAPAY requires. Empty leaves it as it is:
	// UAPAY documents no way to clear it.
	ExtraInfo json.RawMessage
}

// Ptr returns a pointer to v, for optional fields such as
// InvoiceUpdate.Tag: uapay.Ptr("Client 1"). Every caravan package that has
// optional fields names this helper the same.
func Ptr[T any](v T) *T { return &v }

// CardTo names the recipient card by number, by UAPAY's card id, or both.
//
// It is sent as the object "cardTo": {"pan", "id"}, as the field table of
// UAPAY's update method says; the method's example request shows a flat
// "cardToId", which is a slip in UAPAY's documentation.
type CardTo struct {
	// PAN is the full card number (cardTo.pan); validated (13–19 digits,
	// Luhn) and never logged.
	PAN PAN
	// ID is the UUID of a card UAPAY already knows (cardTo.id).
	ID string
}

type cardToWire struct {
	PAN string `json:"pan,omitempty"` // the full number, only here
	ID  string `json:"id,omitempty"`
}

// updateData is the wire form: a nil pointer is not sent, a pointer to ""
// is sent as "".
type updateData struct {
	CardTo      *cardToWire `json:"cardTo,omitempty"`
	Tag         *string     `json:"tag,omitempty"`
	RedirectURL *string     `json:"redirectUrl,omitempty"`
	CallbackURL *string     `json:"callbackUrl,omitempty"`
	ExtraInfo   string      `json:"extraInfo,omitempty"`
}

// UpdateInvoice changes an invoice's recipient card, tag, redirect and
// callback URLs or extra information, and returns the invoice id UAPAY
// answers with.
//
// POST api/invoicer/invoices/update, params {sessionId, id}; data {cardTo
// {pan, id}, tag, redirectUrl, callbackUrl, extraInfo}.
//
// Retry class: idempotent — setting the same values twice leaves the
// invoice as once, so retries are safe.
//
// What to do with the outcome:
//   - nil: the invoice was updated, exactly once.
//   - errors.Is(err, ErrOutcomeUnknown): it may have been applied (a cut or
//     timed-out reply, a 5xx after the last retry, an unreadable reply).
//     [SafeToRepeat] is true: send the same request again, with the same
//     values, until you get an answer.
//   - any other error: not applied.
func (c *Client) UpdateInvoice(ctx context.Context, invoiceID string, u *InvoiceUpdate) (string, error) {
	if err := checkUUID("id", invoiceID); err != nil {
		return "", err
	}
	if u == nil {
		return "", invalid("update", "is nil")
	}
	var d updateData
	if u.CardTo != nil {
		if u.CardTo.PAN == "" && u.CardTo.ID == "" {
			return "", invalid("cardTo", "needs a pan or an id")
		}
		if u.CardTo.PAN != "" {
			if err := u.CardTo.PAN.Validate(); err != nil {
				return "", invalid("cardTo.pan", "%v", err)
			}
		}
		if u.CardTo.ID != "" {
			if err := checkUUID("cardTo.id", u.CardTo.ID); err != nil {
				return "", err
			}
		}
		d.CardTo = &cardToWire{PAN: string(u.CardTo.PAN), ID: u.CardTo.ID}
	}
	if u.Tag != nil {
		if err := checkText("tag", *u.Tag, 0); err != nil {
			return "", err
		}
	}
	if u.RedirectURL != nil {
		if err := checkURL("redirectUrl", *u.RedirectURL); err != nil {
			return "", err
		}
	}
	if u.CallbackURL != nil {
		if err := checkURL("callbackUrl", *u.CallbackURL); err != nil {
			return "", err
		}
	}
	var err error
	if d.ExtraInfo, err = extraInfoText("extraInfo", u.ExtraInfo); err != nil {
		return "", err
	}
	d.Tag, d.RedirectURL, d.CallbackURL = u.Tag, u.RedirectURL, u.CallbackURL
	if d == (updateData{}) {
		return "", invalid("update", "sets no field")
	}
	var out string
	err = c.withSession(ctx, func(sid string) error {
		r, err := c.call(ctx, "/api/invoicer/invoices/update", transport.Idempotent, invoiceParams{sid, invoiceID}, d)
		if err != nil {
			return err
		}
		var w struct {
			ID tolerant.String `json:"id"`
		}
		if err := r.decode(&w); err != nil {
			return err
		}
		if w.ID == "" {
			return r.fail("reply has no invoice id", errMissing)
		}
		out = string(w.ID)
		return nil
	})
	return out, err
}
