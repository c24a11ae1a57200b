// Package transport is the one HTTP core every caravan provider package
// calls. It joins paths onto a base URL without losing the base's path,
// attaches credentials (and strips them from redirects that leave the
// configured host), encodes JSON, JSON:API, form and query values, retries
// through go-retryablehttp according to a call's retry [Class], caps
// response bodies, and classifies every failure as an [*Error] carrying one
// of the shared sentinels. It logs through an optional *slog.Logger one
// record per attempt: method, path, status, attempt and duration — never a
// header value or a body.
package transport
