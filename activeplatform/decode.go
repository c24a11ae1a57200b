package activeplatform

import (
	"fmt"
	"strconv"
	"strings"
)

// DecodePayment decodes a JSON:API document whose primary data is one
// payment, such as the reply to a completion or a read. It is the decoder
// the client uses; it is exported for webhooks, stored replies and tests.
// Its errors match [ErrUnexpectedResponse].
func DecodePayment(body []byte) (*Payment, error) {
	p, err := decodePayment(body)
	if err != nil {
		return nil, &decodeError{what: "payment document", err: err}
	}
	return p, nil
}

// DecodePaymentPage decodes a JSON:API document whose primary data is a
// list of payments, with its links and meta. Its errors match
// [ErrUnexpectedResponse].
func DecodePaymentPage(body []byte) (*PaymentPage, error) {
	p, err := decodePaymentPage(body)
	if err != nil {
		return nil, &decodeError{what: "payment list", err: err}
	}
	return p, nil
}

// DecodeReseller decodes a JSON:API document whose primary data is one
// reseller. Its errors match [ErrUnexpectedResponse].
func DecodeReseller(body []byte) (*Reseller, error) {
	r, err := decodeReseller(body)
	if err != nil {
		return nil, &decodeError{what: "reseller document", err: err}
	}
	return r, nil
}

// decodeError is an exported decoder's failure: it matches
// ErrUnexpectedResponse and keeps its cause (a *json.SyntaxError…).
type decodeError struct {
	what string
	err  error
}

func (e *decodeError) Error() string {
	return "activeplatform: " + ErrUnexpectedResponse.Error() + ": " + e.what + ": " + e.err.Error()
}

func (e *decodeError) Is(target error) bool { return target == ErrUnexpectedResponse }

func (e *decodeError) Unwrap() error { return e.err }

// parseID reads a JSON:API id ("6475", sent as text) as the positive
// integer the API's paths take.
func parseID(what string, t text) (int64, error) {
	s := strings.TrimSpace(string(t))
	if s == "" {
		return 0, fmt.Errorf("%s resource has no id", what)
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%s id %q is not a positive integer", what, clipID(s))
	}
	return id, nil
}

func clipID(s string) string {
	if len(s) > 32 {
		return s[:32] + "…"
	}
	return s
}
