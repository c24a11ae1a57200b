package transport

import (
	"context"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Class says which failures of a call may be retried.
type Class int

const (
	// Idempotent calls (reads, and writes the server deduplicates) retry on
	// connection errors, 408, 429 and 5xx except 501.
	Idempotent Class = iota
	// Reconciled calls retry like Idempotent; the provider package checks a
	// conflicting reply to a retry against the object's state.
	Reconciled
	// Unsafe calls move money without an idempotency key. They retry only
	// when the connection never carried the request, and on 429 and 503,
	// which say nothing was done.
	Unsafe
	// Read calls change nothing; they retry like Idempotent and never fail
	// with ErrOutcomeUnknown. GET and HEAD requests are reads whatever
	// their class; Read marks a read sent with another method (UAPAY's
	// POST reads).
	Read
	// Look is a read made to settle an unknown outcome (a reconciliation
	// read): a read whose attempts, like a reconciled call's, may each use
	// only a share of the time left, so that a held reply leaves time to
	// try again.
	Look
)

// String names the class for logs.
func (c Class) String() string {
	switch c {
	case Idempotent:
		return "idempotent"
	case Reconciled:
		return "reconciled"
	case Unsafe:
		return "unsafe"
	case Read:
		return "read"
	case Look:
		return "look"
	}
	return "class(" + strconv.Itoa(int(c)) + ")"
}

// call is the per-call state CheckRetry, the hooks and Do share through the
// request's context (retryablehttp's CheckRetry sees only the context).
//
// The call is itself the context of its request: it wraps the caller's
// context and answers Value(callKey{}) with itself, which saves the
// allocation of a context.WithValue.
type call struct {
	context.Context // the caller's
	class           Class
	method          string
	path            string
	start           time.Time
	attempt         atomic.Int32 // attempts started
	writes          bool         // the call may change state
	share           bool         // an attempt may use only a share of the time left
	prior           bool         // an attempt before the current one may have been applied
	cur             bool         // the current attempt may have been applied
	inflight        bool         // an attempt was given up without a reply: it may still be processed
	status          atomic.Int32 // last status seen, 0 if none
	attStart        atomic.Int64 // unix nanos when the current attempt began
	maxWait         time.Duration
	minWait         time.Duration

	// set by the response handler, which runs on the caller's goroutine
	body     []byte
	bodyRead bool
	tooLarge error
	logged   bool
	resp     Response
	reqBody  []byte
	rebuild  func() (*Body, error)
	maxBody  int64

	attemptTimeout time.Duration      // per-attempt timeout, 0 for none
	attemptCancel  context.CancelFunc // ends the current attempt's own context
	budgetSpent    int64              // retry tokens this call took
	budgetDone     bool               // the budget was refilled for this call
}

// Value answers callKey{} with the call, anything else from the caller's
// context.
func (st *call) Value(key any) any {
	if key == (callKey{}) {
		return st
	}
	return st.Context.Value(key)
}

// endAttempt releases the current attempt's own context, if it has one.
func (st *call) endAttempt() {
	if st.attemptCancel != nil {
		st.attemptCancel()
		st.attemptCancel = nil
	}
}

type callKey struct{}

func callFrom(ctx context.Context) *call {
	if c, ok := ctx.(*call); ok {
		return c
	}
	c, _ := ctx.Value(callKey{}).(*call)
	return c
}

// retryable reports whether a call of class cl may be sent again after
// status (0 when err is set). An unsafe or reconciled call is resent after
// an error only when the error proves the request never left (a reconciled
// call's provider package looks before it sends again itself).
func retryable(cl Class, status int, err error) bool {
	if err != nil {
		if !transientNetErr(err) {
			return false
		}
		return (cl != Unsafe && cl != Reconciled) || neverLeft(err)
	}
	switch {
	case status == http.StatusTooManyRequests, status == http.StatusServiceUnavailable:
		return true
	case cl == Unsafe || cl == Reconciled:
		return false
	case status == http.StatusRequestTimeout:
		return true
	case status >= 500 && status != http.StatusNotImplemented:
		return true
	}
	return false
}

// transientNetErr is false for failures a retry cannot mend: bad
// certificates, unsupported schemes, redirect loops.
func transientNetErr(err error) bool {
	if permanentNetErr(err) {
		return false
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		msg := ue.Err.Error()
		if strings.Contains(msg, "stopped after") || strings.Contains(msg, "unsupported protocol scheme") ||
			strings.Contains(msg, "invalid header") || errors.Is(ue.Err, errCrossHostBody) {
			return false
		}
	}
	var unknownAuth x509.UnknownAuthorityError
	var certInvalid x509.CertificateInvalidError
	var hostErr x509.HostnameError
	if errors.As(err, &unknownAuth) || errors.As(err, &certInvalid) || errors.As(err, &hostErr) {
		return false
	}
	return true
}

// retryAfter reads a reply's Retry-After header as seconds or an HTTP date.
func retryAfter(resp *http.Response, now time.Time) (time.Duration, bool) {
	if resp == nil {
		return 0, false
	}
	return retryAfterHeader(resp.Header, now)
}

// retryAfterHeader reads a Retry-After header as seconds or an HTTP date,
// at most an hour.
func retryAfterHeader(h http.Header, now time.Time) (time.Duration, bool) {
	vs := h["Retry-After"]
	if len(vs) == 0 {
		return 0, false
	}
	v := strings.TrimSpace(vs[0])
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(time.Hour/time.Second) {
			secs = int64(time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return min(d, time.Hour), true
	}
	return 0, false
}

// backoff is the wait before retry number attempt (0-based): the server's
// Retry-After (at least min, and never cut short: checkRetry gives up at
// once when the caller's deadline does not leave that long), else
// exponential from min with full jitter in its upper half, capped at max.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if d, ok := retryAfter(resp, time.Now()); ok {
		return max(d, minWait)
	}
	d := expWait(minWait, maxWait, attempt)
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + rand.N(half+1)
}

// expWait is min·2^attempt capped at max.
func expWait(minWait, maxWait time.Duration, attempt int) time.Duration {
	d := minWait
	for i := 0; i < attempt && d < maxWait; i++ {
		d *= 2
	}
	return min(d, maxWait)
}

// leastWait is the shortest wait backoff can choose, used to give up at once
// rather than sleep into a deadline that will certainly pass first.
func leastWait(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if d, ok := retryAfter(resp, time.Now()); ok {
		return max(d, minWait)
	}
	return expWait(minWait, maxWait, attempt) / 2
}
