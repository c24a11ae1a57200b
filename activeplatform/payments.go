package activeplatform

import (
	"context"
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
		return invalid(field, "must be positive, got %d", id)
	}
	return nil
}

// send performs a JSON:API call and wraps any failure in an *Error.
func (c *Client) send(ctx context.Context, r *transport.Request) (*transport.Response, error) {
	r.Accept = transport.MediaJSONAPI
	if r.Body == nil && r.Header == nil {
		r.Header = jsonAPIContentType
	}
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
// Retry class: read — retried on connection errors, 408, 429 and 5xx;
// never ErrOutcomeUnknown.
func (c *Client) GetPayment(ctx context.Context, resellerID, paymentID int64, includes ...Include) (*Payment, error) {
	return c.getPayment(ctx, transport.Read, resellerID, paymentID, includes...)
}

// getPayment reads a payment as a plain read, or as a look (class
// transport.Look) that settles an unknown outcome.
func (c *Client) getPayment(ctx context.Context, class transport.Class, resellerID, paymentID int64, includes ...Include) (*Payment, error) {
	if err := checkID("reseller_id", resellerID); err != nil {
		return nil, err
	}
	if err := checkID("payment_id", paymentID); err != nil {
		return nil, err
	}
	var q url.Values
	if len(includes) > 0 {
		names := make([]string, len(includes))
		for i, inc := range includes {
			if !validInclude(string(inc)) {
				return nil, invalid("include", "%q is not a relationship name", string(inc))
			}
			names[i] = string(inc)
		}
		q = url.Values{"include": {strings.Join(names, ",")}}
	}
	resp, err := c.send(ctx, &transport.Request{
		Method: http.MethodGet, Path: paymentPath(resellerID, strconv.FormatInt(paymentID, 10)),
		Query: q, Class: class,
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

// CompleteByDocumentRequest completes a payment found by its document
// number; see [Client.CompletePaymentByDocument].
type CompleteByDocumentRequest struct {
	// DocumentID is the payment's document number, kept as text: it may be
	// zero-padded ("002018"). Required.
	DocumentID string
	// PaymentMethodID is the method the money arrived by. Required, positive.
	PaymentMethodID int64
	// Amount is the amount received, a positive decimal such as "99.0",
	// sent as a JSON number with this exact text. Optional (the tables of
	// the 7.8 and the latest guide mark it so): "" leaves it out and the
	// installation takes the payment's total. An amount below or above the
	// payment's total creates a correction.
	Amount Decimal
	// CurrencyCode is the amount's three-letter currency; it must equal the
	// payment's. Optional: "" leaves it out.
	CurrencyCode string
	// ExternalTransactionID is the transaction's id in the external system,
	// 2 to 255 characters. Optional: "" leaves it out.
	ExternalTransactionID string
}

type completeByDocumentAttrs struct {
	PaymentMethodID       int64  `json:"payment_method_id"`
	Amount                number `json:"amount,omitempty"`
	CurrencyCode          string `json:"currency_code,omitempty"`
	ExternalTransactionID string `json:"external_transaction_id,omitempty"`
}

func (r *CompleteByDocumentRequest) validate() error {
	if r == nil {
		return invalid("request", "is nil")
	}
	if strings.TrimSpace(r.DocumentID) == "" {
		return invalid("document_id", "is empty")
	}
	if why := transport.SegmentProblem(r.DocumentID); why != "" {
		return invalid("document_id", "%s", why)
	}
	if err := checkID("payment_method_id", r.PaymentMethodID); err != nil {
		return err
	}
	if r.Amount != "" && !r.Amount.positive() {
		return invalid("amount", "must be a positive decimal, got %q", string(r.Amount))
	}
	if err := checkCurrency("currency_code", r.CurrencyCode); r.CurrencyCode != "" && err != nil {
		return err
	}
	if n := utf8.RuneCountInString(r.ExternalTransactionID); n != 0 && (n < 2 || n > 255) {
		return invalid("external_transaction_id", "must be 2 to 255 characters, got %d", n)
	}
	return nil
}

func checkCurrency(field, code string) error {
	if len(code) != 3 {
		return invalid(field, "must be three letters, got %q", code)
	}
	for i := 0; i < 3; i++ {
		if ch := code[i]; !(ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z') {
			return invalid(field, "must be three letters, got %q", code)
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
// Endpoint: POST /api/v3/resellers/{reseller_id}/payments/{document_id},
// body {"data":{"type":"payments","attributes":{"payment_method_id":2,
// "amount":99.0,"currency_code":"USD","external_transaction_id":"tx-1"}}}
// — amount a JSON number with the exact decimal text, the optional members
// left out when empty. The document number goes into the path as given
// ("002018" and the unpadded "2005259" name different documents).
//
// Retry class: unsafe — retried only when the request never left, or on
// 429/503. It is not reconciled like CompletePayment: the API offers no
// read by document number, and a partial payment leaves a correction whose
// state a read cannot match to this call, so a retry could record the money
// twice. A failure after the request may have arrived matches
// [ErrOutcomeUnknown]: read the payment before sending it again.
//
// What to do with the outcome:
//   - nil: completed, exactly once.
//   - errors.Is(err, ErrOutcomeUnknown): it may have completed the payment
//     (a cut or timed-out reply, a 5xx, an unreadable reply). [SafeToRepeat]
//     is false: read the payment ([Client.GetPayment], or list by
//     document) and send again only if it is still waiting_for_payment.
//   - any other error: not applied; ErrNotCompletable: the payment was
//     already closed.
func (c *Client) CompletePaymentByDocument(ctx context.Context, resellerID int64, req *CompleteByDocumentRequest) (*Payment, error) {
	if err := checkID("reseller_id", resellerID); err != nil {
		return nil, err
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	body, err := jsonAPIBody("payments", "", completeByDocumentAttrs{
		PaymentMethodID: req.PaymentMethodID, Amount: number(req.Amount),
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
	AccountID int64 // the paying account; required, positive
	// Total is the amount due, a positive decimal such as "99.0"; required.
	// It is sent as a JSON number with this exact text, as the table types
	// it (never through float64).
	Total   Decimal
	Comment string // required by the table: a non-blank free text such as "top-up payment"
	Purpose string // optional
}

type createAttrs struct {
	AccountID int64  `json:"account_id"`
	Total     number `json:"total"`
	Comment   string `json:"comment"`
	Purpose   string `json:"purpose,omitempty"`
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
//
// What to do with the outcome:
//   - nil: created, exactly once.
//   - errors.Is(err, ErrOutcomeUnknown): a payment may have been created.
//     [SafeToRepeat] is false: list the account's payments
//     ([Client.ListPayments]) before creating again.
//   - any other error: nothing was created.
func (c *Client) CreatePayment(ctx context.Context, resellerID int64, req *CreatePaymentRequest) (*Payment, error) {
	if err := checkID("reseller_id", resellerID); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalid("request", "is nil")
	}
	if err := checkID("account_id", req.AccountID); err != nil {
		return nil, err
	}
	if !req.Total.positive() {
		return nil, invalid("total", "must be a positive decimal, got %q", string(req.Total))
	}
	if strings.TrimSpace(req.Comment) == "" {
		return nil, invalid("comment", "is required")
	}
	body, err := jsonAPIBody("payments", "", createAttrs{AccountID: req.AccountID, Total: number(req.Total),
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
