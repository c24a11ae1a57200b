package payguest

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/caravanpay/caravan/internal/transport"
)

// The shared sentinels: the same values in every caravan provider package,
// tested with errors.Is.
var (
	// ErrInvalidRequest means the client refused to send a request that
	// breaks a documented rule (a GuestID that is not a GUID, a negative
	// sum, a Mode out of range); nothing went over the network.
	ErrInvalidRequest = transport.ErrInvalidRequest
	// ErrUnauthorized means a 401 or 403: usually a proxy in front of the
	// server that wants the header set with WithHeader.
	ErrUnauthorized = transport.ErrUnauthorized
	// ErrNotFound means a 404: the base URL does not point at the pay-guest API.
	ErrNotFound = transport.ErrNotFound
	// ErrValidation means the server rejected the request: a 400 or 422, or
	// an error text answered with a 2xx status (see [Error]).
	ErrValidation = transport.ErrValidation
	// ErrConflict means a 409.
	ErrConflict = transport.ErrConflict
	// ErrRateLimited means a 429 that outlasted the retries.
	ErrRateLimited = transport.ErrRateLimited
	// ErrServer means a 5xx.
	ErrServer = transport.ErrServer
	// ErrUnexpectedResponse means a reply the client cannot read: an HTML
	// page, an empty or truncated body, a body past the size cap.
	ErrUnexpectedResponse = transport.ErrUnexpectedResponse
	// ErrOutcomeUnknown means PayGuest or PostGuest (or another call that
	// changes state) failed after its request may have reached the server —
	// a connection cut before the reply, a timeout or cancel after sending, a
	// 500/502/504, an unreadable, oversized or odd-status reply — so the bill
	// may have been paid (PayGuest) or created (PostGuest). [SafeToRepeat] is
	// false for it. Do not simply send the payment again: look at the bill in
	// Tillypad first (or resend with a mode whose errors reveal a paid bill;
	// see the package documentation).
	ErrOutcomeUnknown = transport.ErrOutcomeUnknown
	// ErrNetwork means no usable reply arrived and nothing can have been
	// applied (the connection never carried the request).
	ErrNetwork = transport.ErrNetwork
)

// The pay-guest sentinels, one per error text the document names. The
// error also keeps the server's own text in [Error.Text].
var (
	// ErrAlreadySentForPayment is «Счет уже передан в оплату»: with
	// KeepPrechecks, every item of the bill is already in a precheck, so
	// nothing is left to discount or pay. Matched when the text contains
	// «передан в оплату».
	ErrAlreadySentForPayment = errors.New("bill already sent for payment")
	// ErrAlreadyPaid is the server's "bill already paid": with
	// DeleteAllPrechecks a precheck of the bill is paid (and with
	// DeleteUnpaidPrechecks nothing unpaid is left). The document does not
	// quote the text, so it is matched loosely: a text containing «оплачен»
	// (as in «Счет уже оплачен», «есть оплаченный пречек») but not negated
	// («неоплачен», «не оплачен»), or the English "already paid". Letter case and ё/е
	// are ignored.
	ErrAlreadyPaid = errors.New("bill already paid")
	// ErrAmountMismatch is «Сумма интернет-оплаты не может отличаться от
	// итоговой суммы счета»: PaySum is not the bill's total less the
	// points discount. Matched on «не может отличаться».
	ErrAmountMismatch = errors.New("pay sum differs from the bill total")
	// ErrNoPayType is «Для проведения оплаты должен присутствовать либо
	// payType_ID, либо gsdlv_pytp_ID_Prepaid»: the request has no PayTypeID
	// and the bill has no prepaid pay type. Matched when the text names both
	// payType_ID and gsdlv_pytp_ID_Prepaid.
	ErrNoPayType = errors.New("no pay type: set Payment.PayTypeID")
)

// Error is a failed call that went over the network. Every error PayGuest
// returns after sending is an *Error; use errors.Is with the sentinels
// above and errors.As to read the fields:
//
//	var pe *payguest.Error
//	if errors.As(err, &pe) { log.Print(pe.Text) }
//
// The server answers an error as a bare JSON string, "<текст ошибки>", with
// a status the document does not give; a string body is an error whatever
// the status, 200 included. Its Is-chain reaches the status's sentinel
// (ErrValidation for 400 and for a 2xx, ErrServer for 5xx, …) and, when the
// text is one the document names, ErrAlreadySentForPayment, ErrAlreadyPaid,
// ErrAmountMismatch or ErrNoPayType. A named text is the server's decision,
// so such an error never reports ErrOutcomeUnknown, even with a 5xx status.
type Error struct {
	// Method and Path are the request's HTTP method and path below the
	// base URL ("POST", "/pay-guest").
	Method string
	Path   string // request path below the base URL, without the query
	// StatusCode is the HTTP status, 0 when no reply arrived.
	StatusCode int
	// Text is the server's own error text (usually Russian), "" when the
	// reply carried none.
	Text string
	// RequestID is the reply's request id header, if any.
	RequestID string
	// Attempts is how many times the request was sent.
	Attempts int
	// RetryAfter is the wait the last reply's Retry-After header asked
	// for, 0 when it sent none.
	RetryAfter time.Duration
	// Body is the start of the reply body (at most 512 bytes), for display.
	Body string

	err      error // the *transport.Error: status sentinel, context error
	sentinel error // one of the pay-guest sentinels, or nil
}

// Error reads "payguest: METHOD /path: <kind> (HTTP n): "<server text>"",
// then the transport's detail and the attempt count when there was more
// than one; kind is the pay-guest sentinel's text when the server's text
// is one the document names. The server's text is quoted, so the error is
// one line whatever the server sent.
func (e *Error) Error() string {
	var te *transport.Error
	if !errors.As(e.err, &te) {
		te = &transport.Error{Method: e.Method, Path: e.Path, Status: e.StatusCode, Attempts: e.Attempts, Cause: e.err}
	}
	kind := ""
	if e.sentinel != nil {
		kind = e.sentinel.Error()
	}
	return transport.ErrorText("payguest", te, kind, e.Text)
}

// Unwrap returns the transport error (which reaches the shared sentinel and
// any context error) and the pay-guest sentinel, if any.
func (e *Error) Unwrap() []error {
	out := make([]error, 0, 2)
	if e.err != nil {
		out = append(out, e.err)
	}
	if e.sentinel != nil {
		out = append(out, e.sentinel)
	}
	return out
}

// newError turns a transport error into an *Error, reading the server's
// error text from the body.
func newError(err error) *Error {
	var te *transport.Error
	if !errors.As(err, &te) {
		return &Error{err: err}
	}
	e := &Error{
		StatusCode: te.Status, RequestID: te.RequestID, Attempts: te.Attempts, Body: te.Excerpt,
		Method: te.Method, Path: te.Path, RetryAfter: te.RetryAfter, err: te,
	}
	if te.Status == 0 || len(te.Body) == 0 {
		return e
	}
	if text, ok := errorText(te.Body); ok {
		e.Text = text
		e.sentinel = sentinelFor(text)
		if e.sentinel != nil {
			// The server named its reason: it decided, nothing was paid.
			e.err = te.Decided()
		}
	}
	return e
}

// trimBody drops white space and a UTF-8 byte order mark (which .NET
// servers like to send).
func trimBody(b []byte) []byte {
	b = bytes.TrimSpace(b)
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	return bytes.TrimSpace(b)
}

// errorText reads the server's error text: a bare JSON string (the
// documented shape) or, tolerantly, an object with a message field (what
// an ASP.NET host answers for an unhandled exception). ok is false when the
// body holds no text.
func errorText(body []byte) (string, bool) {
	body = trimBody(body)
	if len(body) == 0 {
		return "", false
	}
	switch body[0] {
	case '"':
		var s string
		if json.Unmarshal(body, &s) != nil {
			return "", false
		}
		s = strings.TrimSpace(s)
		return s, true
	case '{':
		var m map[string]json.RawMessage
		if json.Unmarshal(body, &m) != nil {
			return "", false
		}
		for _, k := range []string{"Message", "message", "ExceptionMessage", "error", "Error", "errorMessage"} {
			var s string
			if raw, ok := m[k]; ok && json.Unmarshal(raw, &s) == nil && strings.TrimSpace(s) != "" {
				return strings.TrimSpace(s), true
			}
		}
	}
	return "", false
}

// sentinelFor maps a documented error text to its sentinel, or nil.
func sentinelFor(text string) error {
	t := strings.ReplaceAll(strings.ToLower(text), "ё", "е")
	switch {
	case strings.Contains(t, "передан в оплату"):
		return ErrAlreadySentForPayment
	case strings.Contains(t, "не может отличаться"):
		return ErrAmountMismatch
	case strings.Contains(t, "paytype_id") && strings.Contains(t, "gsdlv_pytp_id_prepaid"):
		return ErrNoPayType
	case saysPaid(t) || strings.Contains(t, "already paid"):
		return ErrAlreadyPaid
	}
	return nil
}

// saysPaid reports whether a lower-cased text contains «оплачен» other than
// as «неоплачен» or «не оплачен» ("unpaid").
func saysPaid(t string) bool {
	const stem = "оплачен"
	for i := 0; ; {
		j := strings.Index(t[i:], stem)
		if j < 0 {
			return false
		}
		at := i + j
		before := t[:at]
		word := strings.TrimRight(before, " ")
		negated := strings.HasSuffix(before, "не") || // «неоплачен»
			word != before && (word == "не" || strings.HasSuffix(word, " не")) // «не оплачен»
		if !negated {
			return true
		}
		i = at + len(stem)
	}
}
