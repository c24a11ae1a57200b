package resid

import (
	"bytes"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/caravanpay/caravan/internal/tolerant"
	"github.com/caravanpay/caravan/internal/transport"
)

// The shared caravan sentinels, the same values in every provider package:
// test for them with errors.Is.
var (
	// ErrInvalidRequest: the client refused to send a request that breaks a
	// documented rule (the error names the field); nothing was sent.
	ErrInvalidRequest = transport.ErrInvalidRequest
	// ErrUnauthorized: Resid rejected the authorization code (401/403).
	ErrUnauthorized = transport.ErrUnauthorized
	// ErrNotFound: Resid does not know the payment token (404).
	ErrNotFound = transport.ErrNotFound
	// ErrValidation: Resid rejected the request (400/422), or answered a
	// 2xx whose envelope carries errors or a message other than "OK".
	ErrValidation = transport.ErrValidation
	// ErrConflict: the request conflicts with the payment's state (409).
	ErrConflict = transport.ErrConflict
	// ErrRateLimited: Resid asked the client to slow down (429) more often
	// than the retries allowed. The payments list is rate-limited.
	ErrRateLimited = transport.ErrRateLimited
	// ErrServer: Resid failed (5xx).
	ErrServer = transport.ErrServer
	// ErrUnexpectedResponse: the reply could not be understood (HTML,
	// empty, truncated or wrongly shaped JSON, a body past the size cap).
	ErrUnexpectedResponse = transport.ErrUnexpectedResponse
	// ErrOutcomeUnknown: a call that changes state failed after its request
	// may have been applied. For CollectPayment (idempotent) send it again
	// ([SafeToRepeat] is true). For CreatePayment (a cut connection, a
	// timeout, a gateway error, a 2xx without a token; SafeToRepeat false): A payment request may exist that you have no token
	// for; it is harmless until a passenger pays it, but do not assume
	// nothing was created. List recent payments to look for it.
	ErrOutcomeUnknown = transport.ErrOutcomeUnknown
	// ErrNetwork: no usable reply arrived (connection failed or was cut).
	ErrNetwork = transport.ErrNetwork
)

// Resid-specific conditions.
var (
	// ErrCollectWindowClosed is returned by [Payment.CheckCollectWindow],
	// which sends no request, when the payment's 20-minute collect window ([CollectWindow]
	// from its creation) has certainly passed by the client's clock. A
	// successful payment that was not collected in time is refunded to the
	// passenger by Resid: do not deliver the service.
	ErrCollectWindowClosed = errors.New("resid: collect window closed: a successful payment not collected within 20 minutes of its creation is refunded to the payer")
	// ErrTooManyTies is yielded by [Client.All] when a full page of the
	// largest size (200) holds payments that all share one created
	// timestamp: the API's strict before/after cannot page through more
	// than 200 payments created at the same microsecond without risk of
	// skipping some, so the iterator stops rather than lose payments.
	ErrTooManyTies = errors.New("resid: more payments share one created timestamp than a page can hold")
)

// Error is a failed call to Resid. Every error returned after a request
// was sent is an *Error; use errors.As to read it and errors.Is to test it
// against the sentinels above (and context.Canceled or
// context.DeadlineExceeded).
type Error struct {
	// StatusCode is the HTTP status, 0 when no reply arrived. A 2xx status
	// with an error envelope is kept as sent.
	StatusCode int
	// Message is the envelope's "message" ("OK" on success), if any.
	Message string
	// Errors are the envelope's "errors". Strings are kept as sent; any
	// other JSON value (an object, a number) is kept as its JSON text, and
	// an object of field errors becomes "field: message" entries.
	Errors []string
	// Method and Path are the request's, without the query.
	Method string
	Path   string // request path below the base URL, without the query
	// RequestID is the server's request id header, if any.
	RequestID string
	// Attempts is how many times the request was sent.
	Attempts int
	// Body is the first bytes of the reply's body (at most 512), cleaned
	// for display.
	Body string
	// RetryAfter is the wait the last reply's Retry-After header asked
	// for, 0 when it sent none.
	RetryAfter time.Duration

	err *transport.Error
}

// Error reads "resid: METHOD /path: <kind> (HTTP n): "<Resid's message:
// errors: …>"", then the transport's detail, the attempt count when there
// was more than one and the request id; with no message, the start of the
// body, quoted. Resid's text is quoted, so the error is one line whatever
// it sent. It never holds the authorization code.
func (e *Error) Error() string {
	te := e.err
	if te == nil {
		te = &transport.Error{Method: e.Method, Path: e.Path, Status: e.StatusCode, Attempts: e.Attempts}
	}
	text := e.Message
	if len(e.Errors) > 0 {
		if text != "" {
			text += ": "
		}
		text += "errors: " + strings.Join(e.Errors, "; ")
	}
	return transport.ErrorText("resid", te, "", text)
}

// Unwrap returns the transport's error, which reaches the shared sentinel
// and any cause such as a context error.
func (e *Error) Unwrap() []error {
	if e.err == nil {
		return nil
	}
	return []error{e.err}
}

// envelope is the shape of every Resid reply: {"message", "info", "errors"}.
type envelope struct {
	Message *tolerant.String `json:"message"`
	Info    json.RawMessage  `json:"info"`
	Errors  json.RawMessage  `json:"errors"`
}

// decodeEnvelope reads the envelope. ok is false when body is not a JSON
// object at all.
func decodeEnvelope(body []byte) (env envelope, ok bool) {
	if err := json.Unmarshal(body, &env); err != nil {
		// a wrongly typed message must not hide the errors: try them alone
		var loose struct {
			Errors json.RawMessage `json:"errors"`
		}
		if json.Unmarshal(body, &loose) != nil {
			return envelope{}, false
		}
		return envelope{Errors: loose.Errors}, true
	}
	return env, true
}

// messageOK reports whether the envelope's message says success.
func (env envelope) messageOK() bool {
	return env.Message != nil && strings.EqualFold(strings.TrimSpace(string(*env.Message)), "ok")
}

func (env envelope) message() string {
	if env.Message == nil {
		return ""
	}
	return string(*env.Message)
}

// errorList flattens the envelope's errors into strings.
func errorList(raw json.RawMessage) []string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		var out []string
		for _, item := range list {
			if s := errorText(item); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) == nil {
		keys := make([]string, 0, len(fields))
		for k := range fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var out []string
		for _, k := range keys {
			if msgs := errorList(fields[k]); len(msgs) > 0 {
				for _, m := range msgs {
					out = append(out, k+": "+m)
				}
			}
		}
		return out
	}
	if s := errorText(raw); s != "" {
		return []string{s}
	}
	return nil
}

// errorText is a JSON string's text, or any other value's compact JSON.
func errorText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var buf bytes.Buffer
	if json.Compact(&buf, raw) == nil {
		return buf.String()
	}
	return string(bytes.TrimSpace(raw))
}

// hasErrors reports whether the envelope's errors are present and
// non-empty ([], {}, null and "" count as none).
func hasErrors(raw json.RawMessage) bool {
	if t := bytes.TrimSpace(raw); len(t) == 0 || string(t) == "[]" || string(t) == "null" {
		return false // the usual case, without decoding
	}
	return len(errorList(raw)) > 0
}

// wrapError turns any error from the transport into an *Error, decoding
// Resid's envelope from the body when there is one. Errors raised before
// sending (validation) pass through unchanged.
func wrapError(err error) error {
	var te *transport.Error
	if !errors.As(err, &te) {
		return err
	}
	e := &Error{
		StatusCode: te.Status, Method: te.Method, Path: te.Path, RequestID: te.RequestID,
		Attempts: te.Attempts, Body: te.Excerpt, RetryAfter: te.RetryAfter, err: te,
	}
	if len(te.Body) > 0 {
		if env, ok := decodeEnvelope(te.Body); ok {
			e.Message = env.message()
			e.Errors = errorList(env.Errors)
		}
	}
	return e
}

// checkEnvelope decodes a 2xx reply's envelope and returns its info, or the
// error the envelope states: errors present or a message other than "OK".
// unsafe marks a call whose undecodable success may still have been applied.
func checkEnvelope(resp *transport.Response, unsafe bool) (json.RawMessage, error) {
	env, ok := decodeEnvelope(resp.Body)
	if !ok {
		var cause error
		if unsafe {
			cause = ErrOutcomeUnknown
		}
		return nil, wrapError(resp.Fail(ErrUnexpectedResponse, "reply is not a Resid JSON envelope", cause))
	}
	if hasErrors(env.Errors) || !env.messageOK() {
		msg := "the reply's envelope reports an error"
		if env.Message == nil && !hasErrors(env.Errors) {
			if unsafe {
				return nil, wrapError(resp.Fail(ErrUnexpectedResponse, "reply has no message", ErrOutcomeUnknown))
			}
			return nil, wrapError(resp.Fail(ErrUnexpectedResponse, "reply has no message", nil))
		}
		// wrapError decodes Message and Errors from the error's body, which
		// the transport has scrubbed of echoed credentials and card numbers.
		return nil, wrapError(resp.Fail(ErrValidation, msg, nil))
	}
	return env.Info, nil
}

// unexpected builds the error for a 2xx OK envelope whose info cannot be
// decoded.
func unexpected(resp *transport.Response, what string, cause error) error {
	return wrapError(resp.Fail(ErrUnexpectedResponse, what, cause))
}
