package resid

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/caravanpay/caravan/internal/transport"
)

// ProductionBaseURL is Resid's API root, the only host its document
// names. Paths such as /payments are joined below it, keeping its /api/v1.
// There is no default: pass it (or a staging server, or a fake such as
// residtest's) with [WithBaseURL].
const ProductionBaseURL = "https://resid.ir/api/v1"

// Client calls the Resid payments API. It is safe for concurrent use and
// immutable after [NewClient]. It holds the authorization code only inside
// the transport, which never prints it.
type Client struct {
	t *transport.Client
}

// Format prints the client without its credential, for every fmt verb
// (%v, %+v, %#v, %s, …): "resid.Client{baseURL: …}". The transport's own
// redaction cannot act through unexported fields, so the client does it.
func (c Client) Format(f fmt.State, _ rune) {
	base := ""
	if c.t != nil {
		base = c.t.BaseURL()
	}
	fmt.Fprintf(f, "resid.Client{baseURL: %q}", base)
}

// LogValue describes the client to slog without its credential.
func (c Client) LogValue() slog.Value {
	base := ""
	if c.t != nil {
		base = c.t.BaseURL()
	}
	return slog.GroupValue(slog.String("baseURL", base))
}

// Option configures a Client; see the With… functions. An option given a
// value it cannot use makes [NewClient] fail with an
// [*InvalidRequestError] whose Field names the option ("WithRetry").
type Option struct {
	set transport.Setting
}

// WithBaseURL sets the API's base URL: [ProductionBaseURL], a staging
// server or a fake such as residtest's. The URL may carry a path; it is
// kept. It is required: a client never talks to a host its caller did not
// choose.
func WithBaseURL(u string) Option { return Option{set: transport.WithBaseURL(u)} }

// WithHTTPClient sets the HTTP client requests go through, for a proxy,
// custom TLS or a tracing RoundTripper. It is never modified (the client
// works on a copy) and [Client.Close] leaves it alone. nil means the SDK's own pooled client.
func WithHTTPClient(h *http.Client) Option { return Option{set: transport.WithHTTPClient(h)} }

// WithRetry sets how many times a failed call may be retried (0 disables
// retries) and the bounds of the wait between attempts, as given: zero
// waits mean no wait. Without it: 3 retries, 250ms..5s. A negative count or
// wait, or minWait above maxWait, is refused. A server's Retry-After is
// honoured in full when the call's deadline allows it (the call ends at
// once with ErrRateLimited otherwise).
func WithRetry(maxRetries int, minWait, maxWait time.Duration) Option {
	return Option{set: transport.WithRetry(maxRetries, minWait, maxWait)}
}

// WithLogger logs a record per HTTP attempt (method, path, status,
// attempt, duration; never a header, a body or the authorization code) —
// and a second one, at warning level, for an attempt whose reply broke off
// while its body was read. nil, the default, logs nothing.
func WithLogger(l *slog.Logger) Option { return Option{set: transport.WithLogger(l)} }

// WithUserAgent replaces the default User-Agent, caravan-go/<version>
// (resid). An empty value or one with control characters is refused.
func WithUserAgent(ua string) Option { return Option{set: transport.WithUserAgent(ua)} }

// WithTimeout bounds each call whose context has no deadline (default
// 30s). It must be positive.
func WithTimeout(d time.Duration) Option { return Option{set: transport.WithTimeout(d)} }

// WithMaxBodyBytes caps the size of a response body (default 10 MiB). It
// must be positive.
func WithMaxBodyBytes(n int64) Option { return Option{set: transport.WithMaxBodyBytes(n)} }

// WithHeader adds a header sent on every request, for example one a proxy
// in front of the API needs. It is treated as a credential: it is never
// logged and is dropped on a redirect to another host. A name that is not
// an HTTP token, a header the client sets itself (Content-Type, Accept,
// User-Agent, the credential's header…) and an empty value or one with
// control characters are refused.
func WithHeader(name, value string) Option { return Option{set: transport.WithHeader(name, value)} }

// NewClient returns a client that authenticates with the authorization
// code Resid issued, sent as the raw Authorization header (no "Bearer"), to
// the host set with [WithBaseURL], which is required. An empty code or one
// that cannot travel in a header (a trailing newline), a missing base URL
// or a refused option is an [*InvalidRequestError] naming the argument
// ("authorizationCode") or option.
func NewClient(authorizationCode string, opts ...Option) (*Client, error) {
	if err := transport.CheckCredential("authorizationCode", authorizationCode); err != nil {
		return nil, asInvalid(err)
	}
	cfg := transport.Config{
		Provider: "resid",
		Auth:     transport.RawAuthorization(authorizationCode),
	}
	for _, o := range opts {
		if o.set != nil {
			o.set(&cfg)
		}
	}
	t, err := transport.New(cfg)
	if err != nil {
		return nil, asInvalid(err)
	}
	return &Client{t: t}, nil
}

// BaseURL returns the base URL the client sends requests to, without a
// trailing slash.
func (c *Client) BaseURL() string { return c.t.BaseURL() }

// Close releases the idle connections of the connection pool the client
// opened. A client given its own *http.Client ([WithHTTPClient]) leaves it
// alone. Close always returns nil; a call after Close still works, opening
// new connections.
func (c *Client) Close() error { return c.t.Close() }
