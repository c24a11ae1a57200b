package transport

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"
)

// This file decides the outcome of a call: whether a failed call may have
// been applied (ErrOutcomeUnknown), whether sending it again can apply it
// twice, and how long one attempt may take.
//
// The rule: a call that changes state (any method but GET and HEAD, unless
// its class is Read) fails with ErrOutcomeUnknown when ANY of its attempts
// may have reached the server and been applied, and no later reply settled
// it with a success. An attempt may have been applied unless its reply says
// otherwise (a 4xx, 501, 503) or its error proves the request never left
// (a dial or DNS failure). That is decided from the error alone, never from
// an httptrace hook, which a wrapping or mocked RoundTripper may not fire.

// changesState reports whether a request of this method and class may
// change state at the provider.
func changesState(method string, cl Class) bool {
	if cl == Read || cl == Look {
		return false
	}
	return method != http.MethodGet && method != http.MethodHead && method != http.MethodOptions
}

// neverLeft reports whether err proves that the request was never written:
// the connection could not be made (dial, proxy connect, DNS). Anything
// else (a reset, a timeout, a cancel, an unknown error of a caller's
// RoundTripper) may have come after the server read the request.
func neverLeft(err error) bool {
	if err == nil {
		return false
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	var op *net.OpError
	if errors.As(err, &op) && (op.Op == "dial" || op.Op == "proxyconnect") {
		return true
	}
	// A refused connection is a dial failure even when a RoundTripper
	// reports it without the net.OpError around it.
	return errors.Is(err, syscall.ECONNREFUSED)
}

// mayHaveApplied reports whether one attempt, ended with resp (nil if none
// arrived) and err, may have been applied by the server.
func mayHaveApplied(resp *http.Response, err error) bool {
	if resp == nil {
		return !neverLeft(err)
	}
	return statusMayApply(resp.StatusCode)
}

// statusMayApply reports whether a reply with this status leaves open that
// the request was applied. A 2xx says it was; a 4xx, 501 and 503 say it was
// not; every other status (5xx, 1xx, 3xx, a status outside 100..599) says
// nothing definite.
func statusMayApply(status int) bool {
	switch {
	case status >= 400 && status < 500:
		return false
	case status == http.StatusServiceUnavailable || status == http.StatusNotImplemented:
		return false
	}
	return true
}

// gaveUp reports whether an attempt that got no reply ended because this
// side stopped waiting (a timeout, a cancel) rather than because the server
// or the network closed the connection: the request may then still be
// processed after the call ends.
func gaveUp(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// Unknown reports whether a failed call that changes state may have been
// applied, so its error must match ErrOutcomeUnknown.
func (st *call) unknown() bool {
	return st.writes && (st.prior || st.cur)
}

// settle marks e as an unknown outcome when the call may have been applied.
func (st *call) settle(e *Error) *Error {
	e.Class = st.class
	e.InFlight = st.writes && st.inflight
	e.prior = st.writes && st.prior
	if st.unknown() {
		e.markUnknown()
	}
	return e
}

const unknownNote = "outcome unknown: the request may have been applied"

// markUnknown makes e match ErrOutcomeUnknown and says so in its text.
func (e *Error) markUnknown() {
	if e.Unknown {
		return
	}
	e.Unknown = true
	if e.Message == "" {
		e.Message = unknownNote
	} else {
		e.Message = unknownNote + "; " + e.Message
	}
}

// Decided returns e for a reply whose body the provider package reads as
// the server's own definitive refusal (pay-guest's named error texts, even
// under a 5xx): a copy that no longer reports an unknown outcome, unless an
// earlier attempt of the call may have been applied.
func (e *Error) Decided() *Error {
	if !e.Unknown || e.prior {
		return e
	}
	cp := *e
	cp.Unknown = false
	cp.Message = strings.TrimPrefix(strings.TrimPrefix(cp.Message, unknownNote), "; ")
	return &cp
}

// NotApplied returns a copy of e for a call that a look at the provider's
// state proved not applied: it no longer reports an unknown outcome, and
// note (what the look saw) becomes its message.
func (e *Error) NotApplied(note string) *Error {
	cp := *e
	cp.Unknown = false
	cp.Message = note
	return &cp
}

// SafeToRepeat reports whether sending the same call again cannot apply it
// twice: true when the error says the call was not applied, or when its
// outcome is unknown but the call is idempotent (deduplicated by a key or
// by nature) or reconciled (the SDK looks before it sends again); false
// for an unknown outcome of an unsafe call.
func (e *Error) SafeToRepeat() bool {
	if e == nil {
		return false
	}
	if !e.Unknown {
		return true
	}
	return e.Class != Unsafe
}

// InFlight reports whether err is a transport error of a call an attempt
// of which was given up without a reply (see Error.InFlight).
func InFlight(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.InFlight
}

// SafeToRepeat is the per-package SafeToRepeat: false for nil (a
// successful call must not be repeated) and for an unknown outcome of an
// unsafe call; true for any other error. An error that does not come from
// the transport (a request refused before sending) was not applied.
func SafeToRepeat(err error) bool {
	if err == nil {
		return false
	}
	var e *Error
	if errors.As(err, &e) {
		return e.SafeToRepeat()
	}
	return !errors.Is(err, ErrOutcomeUnknown)
}

// DefaultAttemptShare is the share of the time left before the deadline
// that one attempt of a reconciled call may use, in thirds: an attempt
// whose reply is held past two thirds of what remains gives up, leaving a
// third for the SDK to look whether it was applied.
const attemptShareNum, attemptShareDen = 2, 3

// attemptLimit is how long the attempt that starts now may take, 0 for no
// limit of its own.
func (st *call) attemptLimit(ctx context.Context) time.Duration {
	d := st.attemptTimeout
	if st.share {
		if dl, ok := ctx.Deadline(); ok {
			if s := time.Until(dl) * attemptShareNum / attemptShareDen; d == 0 || s < d {
				d = s
			}
		}
	}
	return d
}

// RoundTrip sends one attempt (refusing a 1xx final reply, see send),
// under the attempt's own timeout when the call has one. The timeout covers reading the reply's body too: the
// attempt's context ends only after the body has been read (or when the
// next attempt starts, or the call ends).
func (k keepIdle) RoundTrip(req *http.Request) (*http.Response, error) {
	st := callFrom(req.Context())
	if st == nil || (st.attemptTimeout == 0 && !st.share) {
		return k.send(req)
	}
	d := st.attemptLimit(req.Context())
	if d <= 0 {
		return k.send(req)
	}
	st.endAttempt() // a redirect's earlier hop, whose body is closed
	ctx, cancel := context.WithTimeout(req.Context(), d)
	st.attemptCancel = cancel // ended when the body has been read (or the attempt failed)
	resp, err := k.send(req.WithContext(ctx))
	if err != nil {
		// Judged before endAttempt, which cancels ctx: only an attempt
		// whose own time ran out (the call's still running) timed out; a
		// reset or a cut reply a moment in is not a timeout.
		timedOut := errors.Is(ctx.Err(), context.DeadlineExceeded) && req.Context().Err() == nil
		st.endAttempt()
		if timedOut {
			err = &attemptTimeoutError{err}
		}
		return nil, err
	}
	return resp, nil
}

// attemptTimeoutError is an attempt that ran out of its own time while the
// call's context still had some.
type attemptTimeoutError struct{ err error }

func (e *attemptTimeoutError) Error() string { return "attempt timed out: " + e.err.Error() }
func (e *attemptTimeoutError) Unwrap() error { return e.err }
