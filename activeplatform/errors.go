package activeplatform

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/caravanpay/caravan/internal/tolerant"
	"github.com/caravanpay/caravan/internal/transport"
)

// The shared sentinels, the same values in every caravan provider package.
// Test for them with errors.Is.
var (
	// ErrInvalidRequest means the client refused to send a request that
	// breaks a documented rule (a non-positive id, a bad currency code…);
	// nothing went over the network. The error names the field.
	ErrInvalidRequest = transport.ErrInvalidRequest
	// ErrUnauthorized means the installation rejected the API token, or the
	// manager's role may not call the method (401/403).
	ErrUnauthorized = transport.ErrUnauthorized
	// ErrNotFound means the reseller, payment, invoice, account or
	// correction does not exist or is not visible to the token's reseller
	// (404).
	ErrNotFound = transport.ErrNotFound
	// ErrValidation means the installation rejected the request (400/422).
	// A payment that cannot be completed also matches [ErrNotCompletable].
	ErrValidation = transport.ErrValidation
	// ErrConflict means the request conflicts with the object's state (409).
	ErrConflict = transport.ErrConflict
	// ErrRateLimited means the installation asked the client to slow down (429).
	ErrRateLimited = transport.ErrRateLimited
	// ErrServer means the installation failed (5xx).
	ErrServer = transport.ErrServer
	// ErrUnexpectedResponse means the reply could not be understood: an HTML
	// page, an empty or truncated body, a body that is not a JSON:API
	// document, a body past the size cap.
	ErrUnexpectedResponse = transport.ErrUnexpectedResponse
	// ErrOutcomeUnknown means a call that changes state (CompletePayment,
	// CompletePaymentByDocument, CreatePayment, CancelPayment,
	// CreateCorrection, UpdateCorrectionStatus, the postpaid-invoice calls)
	// failed after its request may have been applied, and the client could
	// not find out: CompletePayment and CancelPayment return it only when
	// their own look at the payment could not run.
	// Reads never return it. [SafeToRepeat] says whether the same call may
	// be sent again.
	ErrOutcomeUnknown = transport.ErrOutcomeUnknown
	// ErrNetwork means no usable reply arrived: the connection failed or was cut.
	ErrNetwork = transport.ErrNetwork
)

// ErrNotCompletable means the installation refused to complete a payment
// because its status is neither waiting_for_payment nor expired (HTTP 422
// "Only payments with "waiting for payment/expired" status can be
// completed."). It also matches [ErrValidation].
var ErrNotCompletable = errors.New("activeplatform: payment is not in a completable status")

// ErrorObject is one JSON:API error object as the installation sent it.
type ErrorObject struct {
	Status  string // HTTP status as a string, "422"
	Code    string // application error code, if any
	Title   string // short summary
	Detail  string // explanation of this occurrence
	Pointer string // source.pointer: the offending member, "/data/attributes/amount"
}

// Message is the object's detail, else its title.
func (o ErrorObject) Message() string {
	if o.Detail != "" {
		return o.Detail
	}
	return o.Title
}

// Error is every failure of a call that was sent: a non-2xx reply, a 2xx
// reply that is not a usable document, a cut connection, a timeout. Test it
// with errors.Is against the sentinels above (and context.Canceled or
// context.DeadlineExceeded), or errors.As for the details.
type Error struct {
	Method     string        // HTTP method
	Path       string        // request path, without the base URL's path
	StatusCode int           // HTTP status, 0 when no reply arrived
	Errors     []ErrorObject // the installation's error objects, in order
	Message    string        // the first error object's detail or title, or a bare error string
	RequestID  string        // the reply's request id header, if any
	Attempts   int           // how many times the request was sent
	Body       string        // the start of the reply body (≤ 512 bytes), cleaned for display
	// RetryAfter is the wait the last reply's Retry-After header asked
	// for, 0 when it sent none.
	RetryAfter time.Duration

	err      error // the *transport.Error
	sentinel error // a provider sentinel such as ErrNotCompletable, or nil
	extra    error // a further condition, such as ErrOutcomeUnknown after a failed reconciliation
	note     string
}

// Error reads "activeplatform: METHOD /path: <kind> (HTTP n): "<the
// installation's messages>"", then the transport's detail, the attempt
// count when there was more than one and the request id; with no message,
// the start of the body, quoted. The installation's text is quoted, so the
// error is one line whatever it sent. It never contains a credential.
func (e *Error) Error() string {
	var te *transport.Error
	if !errors.As(e.err, &te) {
		te = &transport.Error{Method: e.Method, Path: e.Path, Status: e.StatusCode, Attempts: e.Attempts, Cause: e.err}
	}
	s := transport.ErrorText("activeplatform", te, "", e.messages())
	if e.note != "" {
		s += "; " + e.note // the SDK's own text, one line
	}
	return s
}

func (e *Error) messages() string {
	if len(e.Errors) == 0 {
		return e.Message
	}
	parts := make([]string, 0, len(e.Errors))
	for _, o := range e.Errors {
		m := o.Message()
		if o.Code != "" {
			m = "[" + o.Code + "] " + m
		}
		if o.Pointer != "" {
			m += " (" + o.Pointer + ")"
		}
		parts = append(parts, m)
	}
	return strings.Join(parts, "; ")
}

// Unwrap returns the transport error (which reaches the shared sentinel and
// any context error) and the provider sentinel, if any.
func (e *Error) Unwrap() []error {
	out := []error{e.err}
	if e.sentinel != nil {
		out = append(out, e.sentinel)
	}
	if e.extra != nil {
		out = append(out, e.extra)
	}
	return out
}

// wrapError turns the transport's error into an *Error, decoding the
// installation's error document from the body.
func wrapError(err error) error {
	var te *transport.Error
	if !errors.As(err, &te) {
		return err // validation errors and the like, never sent
	}
	e := &Error{
		Method: te.Method, Path: te.Path, StatusCode: te.Status, RequestID: te.RequestID,
		Attempts: te.Attempts, Body: te.Excerpt, RetryAfter: te.RetryAfter, err: te,
	}
	if te.Status != 0 && len(te.Body) > 0 {
		e.Errors, e.Message = decodeErrors(te.Body)
	}
	if e.StatusCode == 422 && isNotCompletable(e) {
		e.sentinel = ErrNotCompletable
	}
	return e
}

// notCompletableText is the distinctive part of the 422 the installation
// sends for a payment that is not waiting_for_payment or expired.
const notCompletableText = "can be completed"

func isNotCompletable(e *Error) bool {
	if strings.Contains(strings.ToLower(e.Message), notCompletableText) {
		return true
	}
	for _, o := range e.Errors {
		if strings.Contains(strings.ToLower(o.Title), notCompletableText) ||
			strings.Contains(strings.ToLower(o.Detail), notCompletableText) {
			return true
		}
	}
	return false
}

// wireError is a JSON:API error object; status and code may be numbers.
type wireError struct {
	Status tolerant.String `json:"status"`
	Code   tolerant.String `json:"code"`
	Title  tolerant.String `json:"title"`
	Detail tolerant.String `json:"detail"`
	Source struct {
		Pointer   string `json:"pointer"`
		Parameter string `json:"parameter"`
	} `json:"source"`
}

func (w *wireError) object() ErrorObject {
	o := ErrorObject{Status: string(w.Status), Code: string(w.Code), Title: string(w.Title),
		Detail: string(w.Detail), Pointer: w.Source.Pointer}
	if o.Pointer == "" {
		o.Pointer = w.Source.Parameter
	}
	return o
}

// decodeErrors reads an error body tolerantly: {"errors":{…}} (the seed),
// {"errors":[{…},…]} (JSON:API), {"errors":"text"}, {"error":"text"},
// {"errors":{"field":["message"]}}, a bare JSON string, or anything else
// (nothing decoded). It never panics.
func decodeErrors(body []byte) ([]ErrorObject, string) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil, ""
	}
	if body[0] == '"' {
		var s string
		if json.Unmarshal(body, &s) == nil {
			return nil, strings.TrimSpace(s)
		}
		return nil, ""
	}
	var doc struct {
		Errors  json.RawMessage `json:"errors"`
		Error   json.RawMessage `json:"error"`
		Message json.RawMessage `json:"message"`
	}
	if body[0] != '{' || json.Unmarshal(body, &doc) != nil {
		return nil, ""
	}
	objs := decodeErrorList(doc.Errors)
	if len(objs) == 0 {
		objs = decodeErrorList(doc.Error)
	}
	msg := ""
	for _, o := range objs {
		if msg = o.Message(); msg != "" {
			break
		}
	}
	if msg == "" {
		msg = textOf(doc.Errors)
	}
	if msg == "" {
		msg = textOf(doc.Error)
	}
	if msg == "" {
		msg = textOf(doc.Message)
	}
	return objs, msg
}

func decodeErrorList(raw json.RawMessage) []ErrorObject {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil
	}
	switch raw[0] {
	case '[':
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return nil
		}
		var out []ErrorObject
		for _, it := range items {
			out = append(out, decodeErrorList(it)...)
		}
		return out
	case '{':
		var w wireError
		if json.Unmarshal(raw, &w) == nil && (w.Title != "" || w.Detail != "" || w.Status != "" || w.Code != "") {
			return []ErrorObject{w.object()}
		}
		// {"field":["message",…]}: a Rails-style validation map.
		var fields map[string]json.RawMessage
		if json.Unmarshal(raw, &fields) != nil {
			return nil
		}
		var out []ErrorObject
		for k, v := range fields {
			if m := textOf(v); m != "" {
				out = append(out, ErrorObject{Detail: m, Pointer: "/data/attributes/" + k})
			}
		}
		slices.SortFunc(out, func(a, b ErrorObject) int { return strings.Compare(a.Pointer, b.Pointer) })
		return out
	case '"':
		if m := textOf(raw); m != "" {
			return []ErrorObject{{Title: m}}
		}
	}
	return nil
}

// textOf returns a JSON string's text, a number's literal, or the strings of
// an array joined with "; "; "" for anything else.
func textOf(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return strings.TrimSpace(s)
		}
	case '[':
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) == nil {
			var parts []string
			for _, it := range items {
				if s := textOf(it); s != "" {
					parts = append(parts, s)
				}
			}
			return strings.Join(parts, "; ")
		}
	case '{', 'n', 't', 'f':
	default:
		if _, err := strconv.ParseFloat(string(raw), 64); err == nil {
			return string(raw)
		}
	}
	return ""
}

// documentError builds the *Error for a 2xx reply whose body is an error
// document (JSON:API forbids data and errors together) or cannot be used.
func documentError(resp *transport.Response, cause error) error {
	objs, msg := decodeErrors(resp.Body)
	kind := transport.ErrUnexpectedResponse
	if len(objs) > 0 || msg != "" {
		// The error objects' own status says what went wrong.
		for _, o := range objs {
			if n, err := strconv.Atoi(o.Status); err == nil && n >= 400 {
				kind = transport.KindForStatus(n)
				break
			}
		}
		if cause == nil {
			cause = errors.New("error document in a successful reply")
		}
	}
	return wrapError(resp.Fail(kind, "", cause))
}
