// Package transport is the one HTTP core every caravan provider package
// calls. It joins paths onto a base URL without losing the base's path,
// attaches credentials (and strips them from redirects that leave the
// configured host), encodes JSON, JSON:API, form and query values, retries
// through go-retryablehttp according to a call's retry [Class], caps
// response bodies, and classifies every failure as an [*Error] carrying one
// of the shared sentinels. It logs through an optional *slog.Logger one
// record per attempt: method, path, status, attempt and duration — never a
// header value or a body.
//
// It also decides every call's outcome (outcome.go): a call that changes
// state fails with ErrOutcomeUnknown (Error.Unknown) whenever any of its
// attempts may have been applied and no later reply settled it; any other
// error means not applied. Whether a request left is read from its error
// (a dial or DNS failure proves it did not), never from httptrace.
// Reconciled and Look calls give each attempt only two thirds of the time
// left, so that their provider package keeps time to look; any call may
// have a per-attempt timeout (Config.AttemptTimeout).
//
// Against hostile servers: every error's text fields are scrubbed of the
// client's credentials and of card-number shaped digit runs before a
// provider decodes them (see [Client.Redact] and Config.Secrets); URLs in
// errors lose their query and user information; a 1xx final reply is
// refused at once; path segments "." and ".." and empty ones are refused
// before sending ([SegmentProblem]); bodies are allocated as they arrive;
// a Retry-After is never cut short (the call ends at once when its
// deadline cannot wait that long); and each client's retries draw on a
// token bucket ([RetryBudgetCapacity]) so that an outage is not multiplied
// by the retry count.
package transport
