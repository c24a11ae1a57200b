package resid

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"

	"github.com/caravanpay/caravan/internal/transport"
)

// CreatePaymentRequest is a new payment request. Amount and Merchant are
// required; the rest may be left zero.
type CreatePaymentRequest struct {
	// Amount is the fare in rials; it must be positive.
	Amount int64 `url:"amount"`
	// Merchant is the payee's (driver's) merchant id, such as "faSDF42w3Fs".
	Merchant string `url:"merchant"`
	// Description is shown with the payment request.
	Description string `url:"description,omitempty"`
	// Payload is kept by Resid and returned unchanged in Payment.Payload,
	// e.g. your own ride id.
	Payload string `url:"payload,omitempty"`
	// AutoCollect makes Resid collect a successful payment by itself, so
	// no CollectPayment is needed. nil leaves Resid's default (false); it is
	// sent only when set. Use [Ptr] to set it: resid.Ptr(true).
	AutoCollect *bool `url:"auto_collect,omitempty"`
	// PreferredMethod names the bank gateway to prefer, such as "asanpardakht".
	PreferredMethod string `url:"preferred_method,omitempty"`
}

// Ptr returns a pointer to v, for optional fields such as
// CreatePaymentRequest.AutoCollect: resid.Ptr(true). Every caravan package
// that has optional fields names this helper the same.
func Ptr[T any](v T) *T { return &v }

// CreatedPayment is Resid's answer to [Client.CreatePayment]: the new
// payment request. It is a struct so that what Resid adds to its answer can
// be added here without breaking callers.
type CreatedPayment struct {
	// Token identifies the payment request (info.token, "AsF42Sg53"): show
	// it to the passenger's app, then read and collect the payment by it.
	Token string
}

func (r *CreatePaymentRequest) validate() error {
	if r == nil {
		return invalid("request", "is nil")
	}
	if r.Amount <= 0 {
		return invalid("amount", "must be a positive number of rials, got %d", r.Amount)
	}
	if strings.TrimSpace(r.Merchant) == "" {
		return invalid("merchant", "is empty")
	}
	return nil
}

// CreatePayment creates a payment request for the passenger to pay and
// returns it with its token. Show the passenger the payment (Resid's client
// takes it from there), then read it with GetPayment and collect it with
// CollectPayment within [CollectWindow].
//
// Endpoint: POST /payments (form-encoded).
//
// Retry class: unsafe — Resid has no idempotency key, so a duplicate would
// leave an orphan payment request; it is retried only when the request
// never left or on 429/503, and a cut connection or timeout after sending
// returns an error that is [ErrOutcomeUnknown].
//
// What to do with the outcome:
//   - nil: created, exactly once.
//   - errors.Is(err, ErrOutcomeUnknown): a payment request may have been
//     created. [SafeToRepeat] is false: look for it (ListPayments or All,
//     by your Payload) before creating another.
//   - any other error: nothing was created.
func (c *Client) CreatePayment(ctx context.Context, req *CreatePaymentRequest) (*CreatedPayment, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	body, err := transport.Form(req)
	if err != nil {
		return nil, invalid("request", "cannot be encoded: %v", err)
	}
	resp, err := c.t.Do(ctx, &transport.Request{Method: http.MethodPost, Path: "/payments", Body: &body,
		Class: transport.Unsafe})
	if err != nil {
		return nil, wrapError(err)
	}
	info, err := checkEnvelope(resp, true)
	if err != nil {
		return nil, err
	}
	var out struct {
		Token json.RawMessage `json:"token"`
	}
	if err := json.Unmarshal(info, &out); err != nil {
		return nil, wrapError(resp.Fail(ErrUnexpectedResponse, "info has no token", errors.Join(ErrOutcomeUnknown, err)))
	}
	var token string
	if json.Unmarshal(out.Token, &token) != nil || strings.TrimSpace(token) == "" {
		return nil, wrapError(resp.Fail(ErrUnexpectedResponse, "info has no token", ErrOutcomeUnknown))
	}
	return &CreatedPayment{Token: token}, nil
}

// validToken checks a payment token before it goes into a path.
func validToken(token string) error {
	switch {
	case token == "":
		return invalid("token", "is empty")
	case len(token) > 256:
		return invalid("token", "is longer than 256 bytes")
	case strings.ContainsAny(token, "/?#\\%"):
		return invalid("token", "must not contain '/', '?', '#', '\\' or '%%'")
	case strings.Contains(token, ".."):
		return invalid("token", "must not contain \"..\"")
	case token == ".":
		return invalid("token", "must not be \".\"")
	}
	for _, r := range token {
		if unicode.IsControl(r) || unicode.IsSpace(r) || r == unicode.ReplacementChar {
			return invalid("token", "must not contain spaces, control characters or invalid UTF-8")
		}
	}
	return nil
}

// GetPayment reads a payment request and its outcome by token.
//
// Endpoint: GET /payments/{token}.
//
// Retry class: idempotent — a read, retried on connection errors, 408, 429
// and 5xx.
func (c *Client) GetPayment(ctx context.Context, token string) (*Payment, error) {
	if err := validToken(token); err != nil {
		return nil, err
	}
	resp, err := c.t.Do(ctx, &transport.Request{Method: http.MethodGet, Path: transport.Path("/payments/%s", token),
		Class: transport.Idempotent})
	if err != nil {
		return nil, wrapError(err)
	}
	if strict, ok := decodeOK[*strictPayment](resp.Body); ok && strict != nil {
		p := Payment(*strict)
		return &p, nil
	}
	if wire, ok := decodeOK[*wirePayment](resp.Body); ok && wire != nil {
		p := wire.payment()
		return &p, nil
	}
	info, err := checkEnvelope(resp, false)
	if err != nil {
		return nil, err
	}
	if t := bytes.TrimSpace(info); len(t) == 0 || t[0] != '{' {
		return nil, unexpected(resp, "info is not a payment object", nil)
	}
	var p Payment
	if err := json.Unmarshal(info, &p); err != nil {
		return nil, unexpected(resp, "cannot decode the payment", err)
	}
	return &p, nil
}

// CollectPayment collects a payment by token: it tells Resid you will
// deliver the service, so the passenger's money goes to the merchant, and
// Resid answers with the result. Call it only when you will deliver.
//
// The 20-minute window: a successful payment that is not collected within
// [CollectWindow] of its creation is refunded to the passenger
// automatically, and collecting it later fails. When you hold the
// [Payment] (from GetPayment or ListPayments), [Payment.CheckCollectWindow]
// tells you before calling whether the deadline has certainly passed.
//
// Endpoint: POST /payments/{token}/collect.
//
// Retry class: idempotent — collecting twice moves the money once, so
// retries are safe.
//
// What to do with the outcome:
//   - nil: collected, exactly once.
//   - errors.Is(err, ErrOutcomeUnknown): it may have been applied (a cut or
//     timed-out reply, a 5xx after the last retry, an unreadable reply).
//     [SafeToRepeat] is true: send the same request again, with the same
//     token, until you get an answer.
//   - any other error: not applied.
func (c *Client) CollectPayment(ctx context.Context, token string) error {
	if err := validToken(token); err != nil {
		return err
	}
	resp, err := c.t.Do(ctx, &transport.Request{Method: http.MethodPost,
		Path: transport.Path("/payments/%s/collect", token), Class: transport.Idempotent})
	if err != nil {
		return wrapError(err)
	}
	_, err = checkEnvelope(resp, false)
	return err
}

// ClockSkewAllowance is how far past a payment's collect deadline a clock
// must be before [Payment.CheckCollectWindow] reports the window closed. It
// absorbs a difference between your clock and Resid's, so the refusal
// happens only when the window has certainly closed.
const ClockSkewAllowance = time.Minute

// CheckCollectWindow returns an error that is [ErrCollectWindowClosed] when
// now is past p.CollectDeadline() by more than [ClockSkewAllowance]: Resid
// has refunded (or will refund) a successful payment by then, so do not
// deliver the service nor collect it. It returns nil within the window and
// when p.Created is unknown (then Resid decides). It sends nothing.
//
//	if err := p.CheckCollectWindow(time.Now()); err != nil { return err }
//	err := client.CollectPayment(ctx, p.Token)
func (p *Payment) CheckCollectWindow(now time.Time) error {
	if p == nil {
		return invalid("payment", "is nil")
	}
	if dl := p.CollectDeadline(); !dl.IsZero() && now.After(dl.Add(ClockSkewAllowance)) {
		return fmt.Errorf("%w: payment %s was created at %s; its window closed at %s, %s ago",
			ErrCollectWindowClosed, p.Token, p.Created.Format(time.RFC3339), dl.Format(time.RFC3339),
			now.Sub(dl).Round(time.Second))
	}
	return nil
}
