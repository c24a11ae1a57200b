package activeplatform

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/caravanpay/caravan/internal/transport"
)

func paymentsPath(resellerID int64) string {
	return transport.Path("/api/v3/resellers/%s/payments", strconv.FormatInt(resellerID, 10))
}

func paymentPath(resellerID int64, id string) string {
	return transport.Path("/api/v3/resellers/%s/payments/%s", strconv.FormatInt(resellerID, 10), id)
}

func checkID(field string, id int64) error {
	if id <= 0 {
		return transport.Invalid(field, "must be positive, got %d", id)
	}
	return nil
}

// attributesDoc is a JSON:API request document with attributes only.
type attributesDoc[T any] struct {
	Data struct {
		Type       string `json:"type,omitempty"`
		Attributes T      `json:"attributes"`
	} `json:"data"`
}

func jsonAPIBody[T any](typ string, attrs T) (*transport.Body, error) {
	var doc attributesDoc[T]
	doc.Data.Type = typ
	doc.Data.Attributes = attrs
	b, err := transport.JSONAPI(doc)
	if err != nil {
		return nil, err
	}
	return &b, nil
}

// send performs a JSON:API call and wraps any failure in an *Error.
func (c *Client) send(ctx context.Context, r *transport.Request) (*transport.Response, error) {
	r.Accept = transport.MediaJSONAPI
	resp, err := c.t.Do(ctx, r)
	if err != nil {
		return nil, wrapError(err)
	}
	return resp, nil
}

// GetPayment reads a payment of the reseller (or of one of its downstream
// resellers). includes ask the installation to embed related resources,
// returned in [Payment.Included].
//
// Endpoint: GET /api/v3/resellers/{reseller_id}/payments/{payment_id}[?include=…].
// Retry class: idempotent — a read, retried on connection errors, 408, 429 and 5xx.
func (c *Client) GetPayment(ctx context.Context, resellerID, paymentID int64, includes ...Include) (*Payment, error) {
	if err := checkID("resellerID", resellerID); err != nil {
		return nil, err
	}
	if err := checkID("paymentID", paymentID); err != nil {
		return nil, err
	}
	var q url.Values
	if len(includes) > 0 {
		names := make([]string, len(includes))
		for i, inc := range includes {
			if !validInclude(string(inc)) {
				return nil, transport.Invalid("includes", "%q is not a relationship name", string(inc))
			}
			names[i] = string(inc)
		}
		q = url.Values{"include": {strings.Join(names, ",")}}
	}
	resp, err := c.send(ctx, &transport.Request{
		Method: http.MethodGet, Path: paymentPath(resellerID, strconv.FormatInt(paymentID, 10)),
		Query: q, Class: transport.Idempotent,
	})
	if err != nil {
		return nil, err
	}
	return decodeReply(resp, DecodePayment)
}

func validInclude(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

type completeAttrs struct {
	PaymentMethodID int64 `json:"payment_method_id"`
}

// CompletePayment marks a payment of the reseller (or of one of its
// downstream resellers) as paid with the given payment method, for example
// when the money arrived through an external system, and returns the
// completed payment. Only payments in status waiting_for_payment or expired
// can be completed; any other is refused with HTTP 422, returned as an
// *Error matching [ErrNotCompletable] and [ErrValidation].
//
// Endpoint: PATCH /api/v3/resellers/{reseller_id}/payments/{payment_id},
// body {"data":{"attributes":{"payment_method_id":2}}}.
//
// Retry class: reconciled — retried like a read (connection errors, 408,
// 429, 5xx), because completing is a state change the installation applies
// at most once: a repeat can only be refused with the 422. When that 422
// answers a retry (the call took more than one attempt, so an earlier
// attempt may have been applied and its reply lost), CompletePayment reads
// the payment with [Client.GetPayment]: if it is completed with
// paymentMethodID, the earlier attempt succeeded and the payment is returned
// with a nil error. Otherwise the 422 is returned (matching
// [ErrNotCompletable]); if that read itself fails, the error also matches
// [ErrOutcomeUnknown], since whether this call completed the payment is
// then not known. A 422 to the first attempt is never reconciled away: the
// payment was already closed before this call. Note that a completion by
// someone else, with the same method, between the lost attempt and the
// retry cannot be told apart from this call's own.
func (c *Client) CompletePayment(ctx context.Context, resellerID, paymentID, paymentMethodID int64) (*Payment, error) {
	if err := checkID("resellerID", resellerID); err != nil {
		return nil, err
	}
	if err := checkID("paymentID", paymentID); err != nil {
		return nil, err
	}
	if err := checkID("paymentMethodID", paymentMethodID); err != nil {
		return nil, err
	}
	body, err := jsonAPIBody("", completeAttrs{PaymentMethodID: paymentMethodID})
	if err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, &transport.Request{
		Method: http.MethodPatch, Path: paymentPath(resellerID, strconv.FormatInt(paymentID, 10)),
		Body: body, Class: transport.Reconciled,
	})
	if err != nil {
		return c.reconcile(ctx, err, resellerID, paymentID, paymentMethodID)
	}
	return decodeReply(resp, DecodePayment)
}

// reconcile decides whether a refused completion retry means an earlier
// attempt succeeded; see CompletePayment.
func (c *Client) reconcile(ctx context.Context, err error, resellerID, paymentID, methodID int64) (*Payment, error) {
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrNotCompletable) || e.Attempts <= 1 {
		return nil, err
	}
	p, gerr := c.GetPayment(ctx, resellerID, paymentID)
	if gerr != nil {
		e.extra = ErrOutcomeUnknown
		e.note = "an earlier attempt may have completed the payment, but reading it failed: " + gerr.Error()
		return nil, e
	}
	if p.Status == PaymentCompleted && completedWith(p, methodID) {
		return p, nil
	}
	e.note = fmt.Sprintf("the payment is %s with payment method %d, not completed by this call",
		p.Status, p.PaymentMethodID)
	return nil, e
}

func completedWith(p *Payment, methodID int64) bool {
	if p.PaymentMethodID != 0 {
		return p.PaymentMethodID == methodID
	}
	return p.Relationships.PaymentMethodID == strconv.FormatInt(methodID, 10)
}

// CompleteByDocumentRequest completes a payment found by its document
// number; see [Client.CompletePaymentByDocument].
type CompleteByDocumentRequest struct {
	// DocumentID is the payment's document number, kept as text: it may be
	// zero-padded ("002018"). Required.
	DocumentID string
	// PaymentMethodID is the method the money arrived by. Required, positive.
	PaymentMethodID int64
	// Amount is the amount received, a positive decimal such as "99.0". An
	// amount below or above the payment's total creates a correction.
	Amount Decimal
	// CurrencyCode is the amount's three-letter currency; it must equal the
	// payment's.
	CurrencyCode string
	// ExternalTransactionID is the transaction's id in the external system,
	// 2 to 255 characters.
	ExternalTransactionID string
}

type completeByDocumentAttrs struct {
	PaymentMethodID       int64   `json:"payment_method_id"`
	Amount                Decimal `json:"amount"`
	CurrencyCode          string  `json:"currency_code"`
	ExternalTransactionID string  `json:"external_transaction_id"`
}

func (r *CompleteByDocumentRequest) validate() error {
	if r == nil {
		return transport.Invalid("request", "is nil")
	}
	if strings.TrimSpace(r.DocumentID) == "" {
		return transport.Invalid("DocumentID", "is empty")
	}
	if why := transport.SegmentProblem(r.DocumentID); why != "" {
		return transport.Invalid("DocumentID", "%s", why)
	}
	if err := checkID("PaymentMethodID", r.PaymentMethodID); err != nil {
		return err
	}
	if !r.Amount.positive() {
		return transport.Invalid("Amount", "must be a positive decimal, got %q", string(r.Amount))
	}
	if err := checkCurrency("CurrencyCode", r.CurrencyCode); err != nil {
		return err
	}
	if n := utf8.RuneCountInString(r.ExternalTransactionID); n < 2 || n > 255 {
		return transport.Invalid("ExternalTransactionID", "must be 2 to 255 characters, got %d", n)
	}
	return nil
}

func checkCurrency(field, code string) error {
	if len(code) != 3 {
		return transport.Invalid(field, "must be three letters, got %q", code)
	}
	for i := 0; i < 3; i++ {
		if ch := code[i]; !(ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z') {
			return transport.Invalid(field, "must be three letters, got %q", code)
		}
	}
	return nil
}

// CompletePaymentByDocument completes the payment with the given document
// number, recording the amount received and the external transaction id.
// An amount that differs from the payment's total creates a correction for
// the difference. Like [Client.CompletePayment] it is refused with a 422
// (matching [ErrNotCompletable]) unless the payment is waiting_for_payment
// or expired.
//
// Endpoint: POST /api/v3/resellers/{reseller_id}/payments/{document_id}.
//
// Retry class: unsafe — retried only when the request never left, or on
// 429/503. It is not reconciled like CompletePayment: the API offers no
// read by document number, and a partial payment leaves a correction whose
// state a read cannot match to this call, so a retry could record the money
// twice. A failure after the request may have arrived matches
// [ErrOutcomeUnknown]: read the payment before sending it again.
func (c *Client) CompletePaymentByDocument(ctx context.Context, resellerID int64, req *CompleteByDocumentRequest) (*Payment, error) {
	if err := checkID("resellerID", resellerID); err != nil {
		return nil, err
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	body, err := jsonAPIBody("", completeByDocumentAttrs{
		PaymentMethodID: req.PaymentMethodID, Amount: req.Amount,
		CurrencyCode: strings.ToUpper(req.CurrencyCode), ExternalTransactionID: req.ExternalTransactionID,
	})
	if err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, &transport.Request{
		Method: http.MethodPost, Path: paymentPath(resellerID, req.DocumentID),
		Body: body, Class: transport.Unsafe,
	})
	if err != nil {
		return nil, err
	}
	return decodeReply(resp, DecodePayment)
}

// CreatePaymentRequest describes a new payment; see [Client.CreatePayment].
type CreatePaymentRequest struct {
	AccountID int64   // the paying account; required, positive
	Total     Decimal // the amount due, a positive decimal such as "99.0"; required
	Comment   string  // optional
	Purpose   string  // optional
}

type createAttrs struct {
	AccountID int64   `json:"account_id"`
	Total     Decimal `json:"total"`
	Comment   string  `json:"comment,omitempty"`
	Purpose   string  `json:"purpose,omitempty"`
}

// CreatePayment creates a payment of an account of the reseller; the new
// payment is waiting_for_payment.
//
// Endpoint: POST /api/v3/resellers/{reseller_id}/payments (201 Created).
//
// Retry class: unsafe — no idempotency key exists, so a retry could create
// a second payment: retried only when the request never left, or on
// 429/503. A failure after the request may have arrived matches
// [ErrOutcomeUnknown]: list the account's payments before creating again.
func (c *Client) CreatePayment(ctx context.Context, resellerID int64, req *CreatePaymentRequest) (*Payment, error) {
	if err := checkID("resellerID", resellerID); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, transport.Invalid("request", "is nil")
	}
	if err := checkID("AccountID", req.AccountID); err != nil {
		return nil, err
	}
	if !req.Total.positive() {
		return nil, transport.Invalid("Total", "must be a positive decimal, got %q", string(req.Total))
	}
	body, err := jsonAPIBody("payments", createAttrs{AccountID: req.AccountID, Total: req.Total,
		Comment: req.Comment, Purpose: req.Purpose})
	if err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, &transport.Request{
		Method: http.MethodPost, Path: paymentsPath(resellerID), Body: body, Class: transport.Unsafe,
	})
	if err != nil {
		return nil, err
	}
	return decodeReply(resp, DecodePayment)
}
