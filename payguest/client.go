package payguest

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/caravanpay/caravan/internal/transport"
)

// Client calls one restaurant's Tillypad XL pay-guest API. It is safe for
// concurrent use and its configuration cannot change after [NewClient].
type Client struct {
	t *transport.Client
}

// Option configures a Client; see the With… functions. An option given a
// value it cannot use makes [NewClient] fail with an
// [*InvalidRequestError] whose Field names the option ("WithRetry").
type Option struct {
	set transport.Setting
}

// NewClient returns a client for the restaurant's Tillypad XL server set
// with [WithBaseURL], which is required: there is no default host. The API
// has no authentication of its own; for a server behind an authenticating
// proxy add the proxy's header with [WithHeader].
//
// A missing or malformed base URL, or a refused option, is an
// [*InvalidRequestError] naming the option.
func NewClient(opts ...Option) (*Client, error) {
	cfg := transport.Config{Provider: "payguest", Auth: transport.NoAuth()}
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

// BaseURL returns the server address the client calls, without a trailing
// slash.
func (c *Client) BaseURL() string { return c.t.BaseURL() }

// Close releases the idle connections of the connection pool the client
// opened. A client given its own *http.Client ([WithHTTPClient]) leaves it
// alone. Close always returns nil; a call after Close still works, opening
// new connections.
func (c *Client) Close() error { return c.t.Close() }

// WithBaseURL sets the address of the restaurant's own Tillypad XL server,
// such as "http://89.22.216.169:8090" (plain HTTP on a LAN is normal; a base
// path such as "http://host/api" is kept). It is required.
func WithBaseURL(u string) Option { return Option{set: transport.WithBaseURL(u)} }

// WithHTTPClient sets the underlying *http.Client (for a proxy, custom TLS,
// a tracing RoundTripper or a test transport). The client is never
// modified: caravan works on a copy, and [Client.Close] leaves it alone. nil means the SDK's own pooled client.
func WithHTTPClient(h *http.Client) Option { return Option{set: transport.WithHTTPClient(h)} }

// WithRetry sets how often a call may be retried and the wait bounds
// between attempts, as given: maxRetries 0 sends each request once and zero
// waits mean no wait. Without it: 3 retries, 250 ms .. 5 s. A negative count
// or wait, or minWait above maxWait, is refused. PayGuest is retried only
// when nothing can have been paid; see the package documentation.
func WithRetry(maxRetries int, minWait, maxWait time.Duration) Option {
	return Option{set: transport.WithRetry(maxRetries, minWait, maxWait)}
}

// WithLogger logs a record per HTTP attempt (method, path, status,
// attempt, duration; never a header value or a body) — and a second one, at
// warning level, for an attempt whose reply broke off while its body was
// read. nil turns logging off.
func WithLogger(l *slog.Logger) Option { return Option{set: transport.WithLogger(l)} }

// WithUserAgent replaces the default User-Agent, caravan-go/<version>
// (payguest). An empty value or one with control characters is refused.
func WithUserAgent(ua string) Option { return Option{set: transport.WithUserAgent(ua)} }

// WithTimeout bounds a call, retries included, when its context has no
// deadline (default 30 s). It must be positive.
func WithTimeout(d time.Duration) Option { return Option{set: transport.WithTimeout(d)} }

// WithMaxBodyBytes caps the size of a reply body (default 10 MiB). It must
// be positive.
func WithMaxBodyBytes(n int64) Option { return Option{set: transport.WithMaxBodyBytes(n)} }

// WithHeader adds a header to every request, for a server behind an
// authenticating proxy (for example WithHeader("X-Proxy-Token", token)).
// The value is treated as a credential: it is sent only to the base URL's
// host and scheme, removed from redirects that leave them, and never
// printed in errors, logs or %v of the Client. Content-Type, Accept,
// User-Agent, Host and Content-Length are set by the client and refused
// here, as are names that are not HTTP tokens and empty values or values
// with control characters.
func WithHeader(name, value string) Option { return Option{set: transport.WithHeader(name, value)} }
