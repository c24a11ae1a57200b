package uapay

import (
	"bytes"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/caravanpay/caravan/internal/transport"
)

// The shared sentinels: the same values in every caravan provider package.
// Test for them with errors.Is.
var (
	// ErrInvalidRequest means the client refused to send a request that
	// breaks a documented rule (a malformed UUID, card number, URL or
	// extraInfo); nothing went over the network.
	ErrInvalidRequest = transport.ErrInvalidRequest
	// ErrUnauthorized means UAPAY refused the credentials: HTTP 401/403, a
	// signature error or a dead session that could not be renewed.
	ErrUnauthorized = transport.ErrUnauthorized
	// ErrNotFound means UAPAY does not know the invoice (HTTP 404 or an
	// error code containing NOT_FOUND).
	ErrNotFound = transport.ErrNotFound
	// ErrValidation means UAPAY rejected the request's fields (HTTP 400, or
	// an error object such as FORMAT_ERROR in an HTTP 200 reply).
	ErrValidation = transport.ErrValidation
	// ErrConflict means the request conflicts with the invoice's state (409).
	ErrConflict = transport.ErrConflict
	// ErrRateLimited means UAPAY asked the client to slow down (429).
	ErrRateLimited = transport.ErrRateLimited
	// ErrServer means UAPAY failed (5xx).
	ErrServer = transport.ErrServer
	// ErrUnexpectedResponse means the reply could not be understood: HTML,
	// an empty or truncated body, a missing field, a reply token that fails
	// verification.
	ErrUnexpectedResponse = transport.ErrUnexpectedResponse
	// ErrOutcomeUnknown means a call that changes state (CreateInvoice,
	// UpdateInvoice, UpdateSubscription, CreateSession, CompletePayment,
	// CancelPayment, ReversePayment) failed after its request may have been applied and
	// the client could not find out; the reconciled calls return it only
	// when their own look (by externalId, or reading the payment) could
	// not run or conclude. Reads never return it. [SafeToRepeat] says
	// whether the same call may be sent again: true for all but
	// ReversePayment.
	ErrOutcomeUnknown = transport.ErrOutcomeUnknown
	// ErrNetwork means no usable reply arrived.
	ErrNetwork = transport.ErrNetwork
)

// UAPAY's own conditions, reached with errors.Is through *Error (and, for
// ErrSignature, through the errors of ParseCallback).
var (
	// ErrTimeLimit is UAPAY's TIMELIMIT_ERROR: the request's signed "iat"
	// was more than 20 seconds away from UAPAY's clock. Check this
	// machine's clock (NTP); resending does not help while the skew lasts.
	ErrTimeLimit = errors.New("uapay: request time outside the server's 20 s window (clock skew)")
	// ErrFormat is UAPAY's FORMAT_ERROR: a field is missing or malformed;
	// Error.Fields names them. It also matches ErrValidation.
	ErrFormat = errors.New("uapay: request format rejected")
	// ErrSessionExpired means UAPAY no longer accepts the session id. The
	// client renews the session and repeats the call once by itself; a
	// caller sees this only when the repeat failed the same way.
	ErrSessionExpired = errors.New("uapay: session expired or unknown")
	// ErrSignature means a JWT failed verification: a reply's or a
	// callback's token is malformed, not HS256, expired, or not signed with
	// the merchant key — or UAPAY refused the request's signature.
	ErrSignature = errors.New("uapay: signature verification failed")
)

// FieldErrors are UAPAY's per-field complaints ("REQUIRED", "INVALID", …),
// keyed by field name; nested objects are flattened with dots
// ("cardTo.pan").
type FieldErrors struct {
	Params map[string]string // complaints about params fields ("sessionId": "REQUIRED")
	Data   map[string]string // complaints about data fields ("cardTo.pan": "INVALID")
}

// Error is a failed call: UAPAY's error object, or the HTTP failure when
// there was none. Its Is-chain reaches the shared sentinel, the context's
// error when the call was cancelled, and the UAPAY sentinel for a known
// code (ErrTimeLimit, ErrFormat, ErrSessionExpired, ErrSignature).
type Error struct {
	// Method and Path are the request's HTTP method and path below the
	// base URL ("POST", "/api/invoicer/invoices/update").
	Method string
	Path   string // request path below the base URL
	// StatusCode is the HTTP status, 0 when no reply arrived.
	StatusCode int
	// Code is UAPAY's error code, e.g. "FORMAT_ERROR".
	Code string
	// Message is UAPAY's message.
	Message string
	// Fields holds the per-field errors, if UAPAY gave them.
	Fields FieldErrors
	// RequestID is the reply's request id header, if any.
	RequestID string
	// Attempts is how many times the request was sent.
	Attempts int
	// RetryAfter is the wait the last reply's Retry-After header asked
	// for, 0 when it sent none.
	RetryAfter time.Duration
	// Body is the first bytes of the reply (at most 512), for display.
	Body string

	err   *transport.Error
	extra []error
}

// Error reads "uapay: METHOD /path: <kind> (HTTP n): "<code>: <message>;
// fields: …"", then the transport's detail, the attempt count when there
// was more than one and the request id; with no error object, the start of
// the body, quoted. An unknown outcome that CreateInvoice's look could not
// settle ends with why ("; the look for the invoice failed: …"). UAPAY's
// text is quoted, so the error is one line whatever it sent. It never
// holds a key or a full card number.
func (e *Error) Error() string {
	te := e.err
	if te == nil {
		te = &transport.Error{Method: e.Method, Path: e.Path, Status: e.StatusCode, Attempts: e.Attempts}
	}
	var parts []string
	if e.Code != "" {
		parts = append(parts, e.Code)
	}
	if e.Message != "" {
		parts = append(parts, e.Message)
	}
	text := strings.Join(parts, ": ")
	if f := e.Fields.describe(); f != "" {
		text += "; fields: " + f
	}
	s := transport.ErrorText("uapay", te, "", text)
	for _, x := range e.extra { // why CreateInvoice's look could not settle the outcome
		switch x.(type) {
		case lookError, lookNote:
			s += "; " + x.Error()
		}
	}
	if errors.Is(e, ErrTimeLimit) {
		s += " (the signed iat differs from UAPAY's clock by more than 20 s: check this machine's clock)"
	}
	return s
}

// Unwrap returns the transport error (which reaches the shared sentinel and
// any cause) and the UAPAY sentinels for the error's code.
func (e *Error) Unwrap() []error {
	return append([]error{e.err}, e.extra...)
}

func (f FieldErrors) describe() string {
	var parts []string
	for _, g := range []struct {
		prefix string
		m      map[string]string
	}{{"params.", f.Params}, {"data.", f.Data}} {
		keys := make([]string, 0, len(g.m))
		for k := range g.m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			parts = append(parts, g.prefix+k+"="+g.m[k])
		}
	}
	return strings.Join(parts, ", ")
}

// wireError is UAPAY's error object.
type wireError struct {
	Code    string
	Message string
	Fields  FieldErrors
}

// parseWireError reads {"status":0,"error":{code,message,fields}} tolerantly:
// any part may be missing or of the wrong type; "error" may be a bare
// string. It returns nil when body holds no error object.
func parseWireError(body []byte) *wireError {
	var env struct {
		Error   json.RawMessage `json:"error"`
		Message json.RawMessage `json:"message"`
	}
	if json.Unmarshal(body, &env) != nil {
		return nil
	}
	raw := bytes.TrimSpace(env.Error)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		if m := jsonText(env.Message); m != "" {
			return &wireError{Message: m}
		}
		return nil
	}
	if raw[0] != '{' {
		return &wireError{Code: jsonText(raw), Message: jsonText(env.Message)}
	}
	var obj struct {
		Code    json.RawMessage `json:"code"`
		Message json.RawMessage `json:"message"`
		Fields  struct {
			Params json.RawMessage `json:"params"`
			Data   json.RawMessage `json:"data"`
		} `json:"fields"`
	}
	if json.Unmarshal(raw, &obj) != nil {
		// fields of an unexpected shape: keep what can be read
		var loose struct {
			Code    json.RawMessage `json:"code"`
			Message json.RawMessage `json:"message"`
		}
		_ = json.Unmarshal(raw, &loose)
		return &wireError{Code: jsonText(loose.Code), Message: jsonText(loose.Message)}
	}
	w := &wireError{Code: jsonText(obj.Code), Message: jsonText(obj.Message)}
	w.Fields.Params = flatten(obj.Fields.Params)
	w.Fields.Data = flatten(obj.Fields.Data)
	return w
}

// jsonText is a JSON value as display text: a string's content, otherwise
// the compact literal; "" for null or nothing.
func jsonText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var buf bytes.Buffer
	if json.Compact(&buf, raw) == nil {
		return clip(buf.String(), 200)
	}
	return clip(string(raw), 200)
}

// flatten turns {"cardTo":{"pan":"INVALID"},"id":"REQUIRED"} into
// {"cardTo.pan":"INVALID","id":"REQUIRED"}; nil when raw is not an object.
func flatten(raw json.RawMessage) map[string]string {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil || len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	var walk func(prefix string, m map[string]json.RawMessage, depth int)
	walk = func(prefix string, m map[string]json.RawMessage, depth int) {
		for k, v := range m {
			var inner map[string]json.RawMessage
			if depth < 4 && json.Unmarshal(v, &inner) == nil && len(inner) > 0 {
				walk(prefix+k+".", inner, depth+1)
				continue
			}
			out[prefix+k] = jsonText(v)
		}
	}
	walk("", m, 0)
	return out
}

// codeKinds returns the UAPAY sentinel and the shared sentinel for an error
// object. Session errors are recognised by a code mentioning SESSION
// (SESSION_EXPIRED, SESSION_NOT_FOUND, INVALID_SESSION…), a message saying
// the session expired, is unknown or invalid, or a field error on
// params.sessionId other than REQUIRED.
func codeKinds(w *wireError) (provider, shared error) {
	code := strings.ToUpper(w.Code)
	msg := strings.ToLower(w.Message)
	sessionField := w.Fields.Params["sessionId"]
	switch {
	case code == "TIMELIMIT_ERROR":
		return ErrTimeLimit, ErrValidation
	case strings.Contains(code, "SESSION"),
		strings.Contains(msg, "session") && (strings.Contains(msg, "expir") || strings.Contains(msg, "not found") ||
			strings.Contains(msg, "invalid") || strings.Contains(msg, "unknown")),
		sessionField != "" && !strings.EqualFold(sessionField, "REQUIRED"):
		return ErrSessionExpired, ErrUnauthorized
	case code == "FORMAT_ERROR":
		return ErrFormat, ErrValidation
	case strings.Contains(code, "SIGN") || strings.Contains(code, "TOKEN"):
		return ErrSignature, ErrUnauthorized
	case strings.Contains(code, "AUTH") || strings.Contains(code, "ACCESS") || strings.Contains(code, "FORBIDDEN"):
		return nil, ErrUnauthorized
	case strings.Contains(code, "NOT_FOUND"):
		return nil, ErrNotFound
	}
	return nil, ErrValidation
}

// newError turns a transport error into an *Error, decoding UAPAY's error
// object from its body when there is one.
func newError(te *transport.Error) *Error {
	e := &Error{Method: te.Method, Path: te.Path, StatusCode: te.Status, RequestID: te.RequestID,
		Attempts: te.Attempts, RetryAfter: te.RetryAfter, Body: te.Excerpt, err: te}
	if w := parseWireError(te.Body); w != nil {
		e.Code, e.Message, e.Fields = w.Code, w.Message, w.Fields
		provider, shared := codeKinds(w)
		if provider != nil {
			e.extra = append(e.extra, provider)
		}
		if shared != te.Kind && (te.Status < 300 || te.Status == 400) {
			e.extra = append(e.extra, shared)
		}
	}
	return e
}
