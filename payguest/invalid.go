package payguest

import (
	"errors"

	"github.com/caravanpay/caravan/internal/transport"
)

// InvalidRequestError is a request the client refused to send, or a
// [NewClient] argument or option it refused: nothing went over the network.
// It matches [ErrInvalidRequest] with errors.Is; read it with errors.As:
//
//	var ie *payguest.InvalidRequestError
//	if errors.As(err, &ie) { fmt.Println(ie.Field) }
type InvalidRequestError struct {
	// Field names what breaks the rule: a request field as pay-guest's
	// document names it on the wire (such as "GEST_ID"), a NewClient argument
	// ("token"…) or an option ("WithRetry"…).
	Field string
	// Reason says which rule the value breaks. It never quotes a
	// credential.
	Reason string
}

// Error reads "payguest: invalid request: <field>: <reason>".
func (e *InvalidRequestError) Error() string {
	return "payguest: " + ErrInvalidRequest.Error() + ": " + e.Field + ": " + e.Reason
}

// Is makes errors.Is(err, ErrInvalidRequest) true.
func (e *InvalidRequestError) Is(target error) bool { return target == ErrInvalidRequest }

// invalid is a request refused before sending, naming the field as the
// document names it.
func invalid(field, format string, args ...any) error {
	return asInvalid(transport.Invalid(field, format, args...))
}

// asInvalid turns the transport's refusal into an *InvalidRequestError and
// returns any other error unchanged.
func asInvalid(err error) error {
	var ie *transport.InvalidError
	if errors.As(err, &ie) {
		return (*InvalidRequestError)(ie)
	}
	return err
}
