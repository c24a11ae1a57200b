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
	// sent only when set. Use [Bool] to set it.
	AutoCollect *bool `url:"auto_collect,omitempty"`
	// PreferredMethod names the bank gateway to prefer, such as "asanpardakht".
	PreferredMethod string `url:"preferred_method,omitempty"`
}

// Bool returns a pointer to v, for optional fields such as
// CreatePaymentRequest.AutoCollect.
func Bool(v bool) *bool { return &v }

func (r *CreatePaymentRequest) validate() error {
	if r == nil {
		return transport.Invalid("request", "is nil")
	}
	if r.Amount <= 0 {
		return transport.Invalid("amount", "must be a positive number of rials, got %d", r.Amount)
	}
	if strings.TrimSpace(r.Merchant) == "" {
		return transport.Invalid("merchant", "is empty")
	}
	return nil
}

// CreatePayment creates a payment request for the passenger to pay and
// returns its token. Show the passenger the payment (Resid's client takes
// it from there), then read it with GetPayment and collect it with Collect
// within [CollectWindow].
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
func (c *Client) CreatePayment(ctx context.Context, req *CreatePaymentRequest) (string, error) {
	if err := req.validate(); err != nil {
		return "", err
	}
	body, err := transport.Form(req)
	if err != nil {
		return "", transport.Invalid("request", "cannot be encoded: %v", err)
	}
	resp, err := c.t.Do(ctx, &transport.Request{Method: http.MethodPost, Path: "/payments", Body: &body,
		Class: transport.Unsafe})
	if err != nil {
		return "", wrapError(err)
	}
	info, err := checkEnvelope(resp, true)
	if err != nil {
		return "", err
	}
	var out struct {
		Token json.RawMessage `json:"token"`
	}
	if err := json.Unmarshal(info, &out); err != nil {
		return "", wrapError(resp.Fail(ErrUnexpectedResponse, "info has no token", errors.Join(ErrOutcomeUnknown, err)))
	}
	var token string
	if json.Unmarshal(out.Token, &token) != nil || strings.TrimSpace(token) == "" {
		return "", wrapError(resp.Fail(ErrUnexpectedResponse, "info has no token", ErrOutcomeUnknown))
	}
	return token, nil
}

// validToken checks a payment token before it goes into a path.
func validToken(token string) error {
	switch {
	case token == "":
		return transport.Invalid("token", "is empty")
	case len(token) > 256:
		return transport.Invalid("token", "is longer than 256 bytes")
	case strings.ContainsAny(token, "/?#\\%"):
		return transport.Invalid("token", "must not contain '/', '?', '#', '\\' or '%%'")
	case strings.Contains(token, ".."):
		return transport.Invalid("token", "must not contain \"..\"")
	case token == ".":
		return transport.Invalid("token", "must not be \".\"")
	}
	for _, r := range token {
		if unicode.IsControl(r) || unicode.IsSpace(r) || r == unicode.ReplacementChar {
			return transport.Invalid("token", "must not contain spaces, control characters or invalid UTF-8")
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
// [Payment] (from GetPayment or ListPayments), call [Client.Collect]
// instead: it refuses locally with [ErrCollectWindowClosed] once the
// deadline has certainly passed.
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

// ClockSkewAllowance is how far past a payment's collect deadline the
// client's clock must be before [Client.Collect] refuses without asking
// Resid. It absorbs a difference between the client's and Resid's clocks,
// so the refusal happens only when the window has certainly closed.
const ClockSkewAllowance = time.Minute

// Collect collects p, the way [Client.CollectPayment] does, after checking
// its 20-minute window: when the client's clock (see [WithClock]) is past
// p.CollectDeadline() by more than [ClockSkewAllowance], it returns an
// error that is [ErrCollectWindowClosed] without sending anything —
// Resid has refunded (or will refund) a successful payment by then, so the
// service must not be delivered. Within the window, or when p.Created is
// unknown, Resid decides.
//
// Endpoint: POST /payments/{token}/collect.
//
// Retry class: idempotent — collecting twice moves the money once; the
// outcomes are those of [Client.CollectPayment].
func (c *Client) Collect(ctx context.Context, p *Payment) error {
	if p == nil {
		return transport.Invalid("payment", "is nil")
	}
	if err := validToken(p.Token); err != nil {
		return err
	}
	if dl := p.CollectDeadline(); !dl.IsZero() {
		if now := c.now(); now.After(dl.Add(ClockSkewAllowance)) {
			return fmt.Errorf("%w: payment %s was created at %s; its window closed at %s, %s ago",
				ErrCollectWindowClosed, p.Token, p.Created.Format(time.RFC3339), dl.Format(time.RFC3339),
				now.Sub(dl).Round(time.Second))
		}
	}
	return c.CollectPayment(ctx, p.Token)
}
