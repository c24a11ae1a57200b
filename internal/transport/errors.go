package transport

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// The shared sentinel errors. Every provider package re-exports these same
// values, so errors.Is(err, inex.ErrNotFound) and errors.Is(err,
// resid.ErrNotFound) test the same thing.
var (
	// ErrInvalidRequest means the client refused to send a request that
	// breaks a documented rule; nothing went over the network.
	ErrInvalidRequest = errors.New("invalid request")
	// ErrUnauthorized means the provider rejected the credentials (401/403).
	ErrUnauthorized = errors.New("unauthorized")
	// ErrNotFound means the provider does not know the addressed object (404).
	ErrNotFound = errors.New("not found")
	// ErrValidation means the provider rejected the request's fields (400/422).
	ErrValidation = errors.New("rejected by provider validation")
	// ErrConflict means the request conflicts with the object's state (409).
	ErrConflict = errors.New("conflict")
	// ErrRateLimited means the provider asked the client to slow down (429).
	ErrRateLimited = errors.New("rate limited")
	// ErrServer means the provider failed (5xx).
	ErrServer = errors.New("provider server error")
	// ErrUnexpectedResponse means the reply could not be understood: an HTML
	// page, an empty or truncated body, a body past the size cap, a status
	// the provider does not document.
	ErrUnexpectedResponse = errors.New("unexpected response")
	// ErrOutcomeUnknown means a call that changes state failed after its
	// request may have been applied (a cut, timed-out or cancelled reply, a
	// 5xx other than 501/503, an odd status, an unreadable 2xx), whatever its
	// class. Reads never return it. Error.SafeToRepeat says whether the same
	// call may be sent again.
	ErrOutcomeUnknown = errors.New("outcome unknown: the request may have been applied")
	// ErrNetwork means no usable reply arrived: the connection failed or was cut.
	ErrNetwork = errors.New("network failure")
)

// ExcerptLimit is the most bytes of a response body an Error keeps for display.
const ExcerptLimit = 512

// Error is the transport's account of a failed call: what was sent, what
// came back and how often it was tried. Provider packages turn it into their
// own error types; it never holds a header value or a request body.
type Error struct {
	Kind      error         // one of the sentinels above
	Method    string        // HTTP method
	Path      string        // request path, without query
	Status    int           // HTTP status, 0 when no response arrived
	RequestID string        // the server's request id header, if any
	Attempts  int           // how many times the request was sent
	Elapsed   time.Duration // from the first attempt to the end
	Excerpt   string        // the first bytes of the body, cleaned for display
	Body      []byte        // the whole (capped) body, for provider decoding; not printed
	Header    http.Header   // the response headers, nil when no response
	Cause     error         // underlying error (network, context, decoding), may be nil
	Message   string        // extra detail from the transport, may be empty

	// RetryAfter is the last reply's Retry-After, 0 when it had none. A
	// rate-limited call whose Retry-After is longer than its deadline
	// allows ends at once with it set: wait that long before calling again.
	RetryAfter time.Duration
	// Class is the call's retry class.
	Class Class
	// Unknown is true when the call changes state and may have been
	// applied: the error then also matches ErrOutcomeUnknown.
	Unknown bool
	// InFlight is true when an attempt of a call that changes state was
	// given up before its reply, by this side (a timeout, a cancel) or by a
	// gateway (504): the server may still apply it after the call ended, so
	// a look that does not find its effect at once proves nothing yet.
	InFlight bool

	prior bool // an attempt before the last may have been applied
}

// Error describes the failure in one line without any credential.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(e.Path)
	b.WriteString(": ")
	b.WriteString(e.Kind.Error())
	if e.Status != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.Status)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Cause != nil {
		b.WriteString(": ")
		b.WriteString(e.Cause.Error())
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	if e.Excerpt != "" {
		fmt.Fprintf(&b, "; body: %q", e.Excerpt)
	}
	return b.String()
}

// Unwrap exposes the sentinel and the cause to errors.Is and errors.As.
func (e *Error) Unwrap() []error {
	out := make([]error, 1, 3)
	out[0] = e.Kind
	if e.Unknown && e.Kind != ErrOutcomeUnknown {
		out = append(out, ErrOutcomeUnknown)
	}
	if e.Cause != nil {
		out = append(out, e.Cause)
	}
	return out
}

// KindForStatus maps an HTTP status to a sentinel. 2xx and 3xx map to
// ErrUnexpectedResponse: a caller asks only when the reply was not usable.
func KindForStatus(status int) error {
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return ErrUnauthorized
	case status == http.StatusNotFound || status == http.StatusGone:
		return ErrNotFound
	case status == http.StatusBadRequest || status == http.StatusUnprocessableEntity:
		return ErrValidation
	case status == http.StatusConflict:
		return ErrConflict
	case status == http.StatusTooManyRequests:
		return ErrRateLimited
	case status >= 500:
		return ErrServer
	default:
		return ErrUnexpectedResponse
	}
}

// Excerpt returns at most ExcerptLimit bytes of body as valid, printable
// UTF-8 with runs of white space folded, for error messages.
func Excerpt(body []byte) string {
	if len(body) > ExcerptLimit {
		body = body[:ExcerptLimit]
	}
	var b strings.Builder
	space := false
	for len(body) > 0 {
		r, size := utf8.DecodeRune(body)
		body = body[size:]
		switch {
		case r == utf8.RuneError && size <= 1:
			r = '\uFFFD'
		case r == ' ' || r == '\n' || r == '\r' || r == '\t':
			space = true
			continue
		case r < 0x20 || r == 0x7f:
			r = '\uFFFD'
		}
		sep := space && b.Len() > 0
		if n := b.Len() + utf8.RuneLen(r); n > ExcerptLimit || (sep && n+1 > ExcerptLimit) {
			break
		}
		if sep {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// Invalid returns an error for a request the client refuses to send. It
// satisfies errors.Is(err, ErrInvalidRequest) and names the field.
func Invalid(field, format string, args ...any) error {
	return &InvalidError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// InvalidError is a request refused before sending: Field breaks Reason.
type InvalidError struct {
	Field  string
	Reason string
}

// Error reads "invalid request: field: reason".
func (e *InvalidError) Error() string {
	return ErrInvalidRequest.Error() + ": " + e.Field + ": " + e.Reason
}

// Is makes errors.Is(err, ErrInvalidRequest) true.
func (e *InvalidError) Is(target error) bool { return target == ErrInvalidRequest }
