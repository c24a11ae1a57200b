package inex

import (
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/caravanpay/caravan/internal/transport"
)

// The sentinel errors. They are the same values in every caravan provider
// package, so errors.Is(err, inex.ErrNotFound) reads naturally and works
// whichever package's name is used.
var (
	// ErrInvalidRequest means the client refused to send a request that
	// breaks a documented rule (no room or waybill number, a payment id
	// over 255 characters, an amount out of range…). Nothing was sent.
	ErrInvalidRequest = transport.ErrInvalidRequest
	// ErrUnauthorized means Inex rejected the token (HTTP 401 or 403,
	// "You are not authorized to perform this action.").
	ErrUnauthorized = transport.ErrUnauthorized
	// ErrNotFound means Inex knows no such customer or parcel (HTTP 404,
	// "Requested customer not found").
	ErrNotFound = transport.ErrNotFound
	// ErrValidation means Inex rejected the request's fields (HTTP 422);
	// [Error.Fields] holds its messages per field.
	ErrValidation = transport.ErrValidation
	// ErrConflict means the request conflicts with the object's state (HTTP 409).
	ErrConflict = transport.ErrConflict
	// ErrRateLimited means Inex asked the client to slow down (HTTP 429).
	ErrRateLimited = transport.ErrRateLimited
	// ErrServer means Inex failed (HTTP 5xx).
	ErrServer = transport.ErrServer
	// ErrUnexpectedResponse means the reply could not be understood: an
	// HTML page, an empty or truncated body, a body past the size cap, a
	// status Inex does not document.
	ErrUnexpectedResponse = transport.ErrUnexpectedResponse
	// ErrOutcomeUnknown means PayDebt or TopUpBalance failed after its
	// request may have been applied (a cut or timed-out reply, a 5xx after
	// the last retry, an unreadable reply): the money may have moved. Both
	// are deduplicated by PaymentID, so [SafeToRepeat] is true: send the
	// same request, same PaymentID, again. Reads never return it.
	ErrOutcomeUnknown = transport.ErrOutcomeUnknown
	// ErrNetwork means no usable reply arrived: the connection failed or
	// was cut, even after retries.
	ErrNetwork = transport.ErrNetwork
)

// Error is a failed call: Inex's answer, or the reason no usable answer
// arrived. Every error a Client method returns after sending a request is
// an *Error; use errors.As to read it and errors.Is with the sentinels
// (and context.Canceled or context.DeadlineExceeded) to classify it.
type Error struct {
	// Method and Path are the request's HTTP method and path below the
	// base URL.
	Method string
	Path   string // request path below the base URL, without the query
	// StatusCode is the HTTP status, 0 when no reply arrived.
	StatusCode int
	// Message is the reply's top-level "message": Laravel's summary of a
	// validation failure ("The amount field must be at least 1."), or
	// "error" for Inex's own errors.
	Message string
	// General holds the messages of errors.general, such as
	// "Requested customer not found".
	General []string
	// Fields holds the validation messages per request field
	// ("roomNumber", "paymentId", "amount", …).
	Fields map[string][]string
	// RequestID is the reply's request id header, if any.
	RequestID string
	// Attempts is how many times the request was sent.
	Attempts int
	// Body is the start of the reply's body (at most 512 bytes), cleaned
	// for display.
	Body string
	// RetryAfter is the wait the last reply's Retry-After header asked
	// for, 0 when it sent none.
	RetryAfter time.Duration

	err error // the *transport.Error
}

// newError turns a transport failure into an *Error, decoding Inex's error
// body when there is one.
func newError(err error) error {
	var te *transport.Error
	if !errors.As(err, &te) {
		return err // not from the transport: cannot happen, but never lose it
	}
	e := &Error{
		Method: te.Method, Path: te.Path, StatusCode: te.Status, RequestID: te.RequestID,
		Attempts: te.Attempts, Body: te.Excerpt, RetryAfter: te.RetryAfter, err: te,
	}
	e.Message, e.General, e.Fields = decodeErrorBody(te.Body)
	return e
}

// decodeErrorBody reads both documented shapes,
// {"errors":{"general":[…]},"message":"error"} and Laravel's
// {"message":"…","errors":{"field":[…]}}. A body of any other shape
// yields what it can, never an error.
func decodeErrorBody(body []byte) (message string, general []string, fields map[string][]string) {
	var raw struct {
		Message json.RawMessage `json:"message"`
		Errors  json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(body, &raw) != nil {
		// A bare JSON string is a message too.
		var s string
		if json.Unmarshal(body, &s) == nil {
			return s, nil, nil
		}
		return "", nil, nil
	}
	_ = json.Unmarshal(raw.Message, &message)
	var errs map[string]json.RawMessage
	if json.Unmarshal(raw.Errors, &errs) != nil {
		// errors as a list of messages
		return message, messages(raw.Errors), nil
	}
	for k, v := range errs {
		msgs := messages(v)
		if len(msgs) == 0 {
			continue
		}
		if k == "general" {
			general = msgs
			continue
		}
		if fields == nil {
			fields = map[string][]string{}
		}
		fields[k] = msgs
	}
	return message, general, fields
}

// messages reads a string or a list of strings, skipping anything else.
func messages(v json.RawMessage) []string {
	var one string
	if json.Unmarshal(v, &one) == nil {
		if one == "" {
			return nil
		}
		return []string{one}
	}
	var list []json.RawMessage
	if json.Unmarshal(v, &list) != nil {
		return nil
	}
	var out []string
	for _, item := range list {
		if json.Unmarshal(item, &one) == nil && one != "" {
			out = append(out, one)
		}
	}
	return out
}

// Error reads "inex: METHOD /path: <kind> (HTTP n): "<Inex's message>"",
// then the transport's detail, the attempt count when there was more than
// one and the request id; with no message from Inex, the start of the body,
// quoted. Inex's text is quoted, so the error is one line whatever Inex
// sent. It never holds the token.
func (e *Error) Error() string {
	var te *transport.Error
	if !errors.As(e.err, &te) {
		te = &transport.Error{Method: e.Method, Path: e.Path, Status: e.StatusCode, Attempts: e.Attempts}
	}
	return transport.ErrorText("inex", te, "", e.detail())
}

// detail is Inex's own account of the failure: the field errors, else the
// general messages, else a message other than the placeholder "error".
func (e *Error) detail() string {
	if len(e.Fields) > 0 {
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			parts = append(parts, k+": "+strings.Join(e.Fields[k], " "))
		}
		return strings.Join(parts, "; ")
	}
	if len(e.General) > 0 {
		return strings.Join(e.General, "; ")
	}
	if e.Message != "error" {
		return e.Message
	}
	return ""
}

// Unwrap returns the underlying transport error, through which errors.Is
// reaches the sentinel (ErrNotFound, ErrValidation, …) and any cause such
// as context.DeadlineExceeded.
func (e *Error) Unwrap() []error {
	if e.err == nil {
		return nil
	}
	return []error{e.err}
}
