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
