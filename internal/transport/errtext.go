package transport

import (
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// lastRetryAfter reads a reply's Retry-After as a duration, 0 when absent
// or unreadable.
func lastRetryAfter(h http.Header) time.Duration {
	d, _ := retryAfterHeader(h, time.Now())
	return d
}

// ErrorText writes the one error-text format every provider package uses:
//
//	<provider>: METHOD /path: <kind> (HTTP n): "<server text>": <detail>: <cause> after N attempts; body: "<excerpt>"
//
// The server's text and the excerpt are quoted with %q rules and every
// other part has its control characters escaped, so one error is one log
// line whatever the server sent. kind replaces e.Kind's text when not
// empty; serverText is the provider's decoded message, "" for none (the
// excerpt is then shown instead).
func ErrorText(provider string, e *Error, kind, serverText string) string {
	var b strings.Builder
	b.WriteString(provider)
	b.WriteString(": ")
	if e == nil {
		b.WriteString("failed")
		return b.String()
	}
	if e.Method != "" || e.Path != "" {
		b.WriteString(e.Method)
		b.WriteByte(' ')
		writeLine(&b, e.Path)
		b.WriteString(": ")
	}
	if kind == "" && e.Kind != nil {
		kind = e.Kind.Error()
	}
	if kind == "" {
		kind = "failed"
	}
	b.WriteString(kind)
	if e.Status != 0 {
		b.WriteString(" (HTTP ")
		b.WriteString(strconv.Itoa(e.Status))
		b.WriteByte(')')
	}
	if serverText != "" {
		b.WriteString(": ")
		b.WriteString(strconv.Quote(serverText))
	}
	if e.Message != "" {
		b.WriteString(": ")
		writeLine(&b, e.Message)
	}
	if e.Cause != nil {
		b.WriteString(": ")
		writeLine(&b, e.Cause.Error())
	}
	if e.Attempts > 1 {
		b.WriteString(" after ")
		b.WriteString(strconv.Itoa(e.Attempts))
		b.WriteString(" attempts")
	}
	if e.RequestID != "" {
		b.WriteString(" (request id ")
		writeLine(&b, e.RequestID)
		b.WriteByte(')')
	}
	if serverText == "" && e.Excerpt != "" {
		b.WriteString("; body: ")
		b.WriteString(strconv.Quote(e.Excerpt))
	}
	return b.String()
}

// writeLine writes s with its control characters escaped as in a Go string
// literal, so that it cannot start a new log line.
func writeLine(b *strings.Builder, s string) {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f {
			clean = false
			break
		}
	}
	if clean {
		b.WriteString(s)
		return
	}
	q := strconv.Quote(s)
	b.WriteString(q[1 : len(q)-1])
}

// As lets errors.As reach a provider package's InvalidRequestError, whose
// underlying type is InvalidError's, through an *InvalidError that a
// provider did not convert: a check added in one place is then still
// inspectable by the provider's exported type.
func (e *InvalidError) As(target any) bool {
	v := reflect.ValueOf(target)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return false
	}
	pt := v.Elem().Type() // *T
	if pt.Kind() != reflect.Pointer || pt.Elem() == invalidErrorType || !invalidErrorType.ConvertibleTo(pt.Elem()) {
		return false
	}
	if _, isErr := reflect.New(pt.Elem()).Interface().(error); !isErr {
		return false
	}
	v.Elem().Set(reflect.ValueOf(e).Convert(pt))
	return true
}

var invalidErrorType = reflect.TypeOf(InvalidError{})
