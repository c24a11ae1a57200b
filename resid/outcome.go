package resid

import (
	"time"

	"github.com/caravanpay/caravan/internal/transport"
)

// SafeToRepeat reports whether sending the same call again (same request,
// same ids) cannot apply it twice. It is the second half of the outcome
// model (see the package documentation):
//
//   - nil error: the call was applied exactly once; SafeToRepeat(nil) is
//     false, since repeating a success is a new call.
//   - an error matching [ErrOutcomeUnknown]: the call may have been
//     applied. SafeToRepeat is true when the call is idempotent
//     (deduplicated by its key or by nature) or reconciled (the SDK looks
//     before it sends again), false when it is unsafe: then look at the
//     provider's state before sending it again.
//   - any other error: the call was not applied; SafeToRepeat is true
//     (whether repeating can succeed is another matter: a validation error
//     will fail again).
func SafeToRepeat(err error) bool { return transport.SafeToRepeat(err) }

// WithAttemptTimeout sets the per-attempt timeout: one attempt, from
// sending the request to the end of its reply's body, may take at most d,
// after which the attempt is given up like a cut connection (retried when
// the call's class allows it, else an unknown outcome for a call that
// changes state). The call's context, or [WithTimeout], still bounds the
// whole call. 0 (the default) sets no per-attempt limit. Reconciled calls
// always keep a third of the time left for their look, whatever d is.
func WithAttemptTimeout(d time.Duration) Option { return Option{set: transport.WithAttemptTimeout(d)} }
