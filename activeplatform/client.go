package activeplatform

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/caravanpay/caravan/internal/transport"
)

// Client calls one ActivePlatform installation's reseller API (v3). It is
// safe for concurrent use and immutable once built; the API token it holds
// never appears in its printed form.
type Client struct {
	t *transport.Client
}

// Option configures a Client; see the With… functions. An option given a
// value it cannot use makes [NewClient] fail with an
// [*InvalidRequestError] whose Field names the option ("WithRetry").
type Option struct{ set transport.Setting }

// WithBaseURL sets the installation's base URL, such as
// "https://test.activeplatform.com". It is required: each operator runs its
// own installation, so there is no default host, and a client never talks
// to a host its caller did not choose.
func WithBaseURL(u string) Option { return Option{transport.WithBaseURL(u)} }

// WithHTTPClient sends requests through h, for a proxy, custom TLS or a
// tracing RoundTripper. The client is copied, never modified, and
// [Client.Close] leaves it alone; its Transport carries the requests. nil means the SDK's own pooled client.
func WithHTTPClient(h *http.Client) Option { return Option{transport.WithHTTPClient(h)} }

// WithRetry sets how many times a failed call may be retried (0 disables
// retries) and the bounds of the wait between attempts, as given: zero
// waits mean no wait. Without it: 3 retries, 250 ms .. 5 s. A negative
// count or wait, or minWait above maxWait, is refused. Which failures are
// retried depends on each method's retry class.
func WithRetry(maxRetries int, minWait, maxWait time.Duration) Option {
	return Option{transport.WithRetry(maxRetries, minWait, maxWait)}
}

// WithLogger logs a record per HTTP attempt (method, path, status,
// attempt, duration) to l — and a second one, at warning level, for an
// attempt whose reply broke off while its body was read — never a header
// value or a body. nil turns logging off, the default.
func WithLogger(l *slog.Logger) Option { return Option{transport.WithLogger(l)} }

// WithUserAgent replaces the default "caravan-go/<version> (activeplatform)"
// User-Agent. An empty value or one with control characters is refused.
func WithUserAgent(ua string) Option { return Option{transport.WithUserAgent(ua)} }

// WithTimeout bounds a call (all its attempts) whose context has no
// deadline. The default is 30 s; it must be positive.
func WithTimeout(d time.Duration) Option { return Option{transport.WithTimeout(d)} }

// WithMaxBodyBytes caps the size of a response body; a bigger one fails
// with [ErrUnexpectedResponse]. The default is 10 MiB; it must be positive.
func WithMaxBodyBytes(n int64) Option { return Option{transport.WithMaxBodyBytes(n)} }

// WithHeader adds a header sent on every request, for example one a proxy
// in front of the installation needs. It is treated as a credential: it is
// never logged and is dropped on a redirect to another host. A name that is
// not an HTTP token, a header the client sets itself (Content-Type,
// X-Api-Token…) and a value with control characters are refused.
func WithHeader(name, value string) Option { return Option{transport.WithHeader(name, value)} }

// NewClient returns a client that authenticates with a manager's API
// token, sent as the X-Api-Token header, to the installation set with
// [WithBaseURL], which is required. An empty token or one that cannot
// travel in a header, a missing base URL or a refused option is an
// [*InvalidRequestError] naming the argument ("apiToken") or option.
func NewClient(apiToken string, opts ...Option) (*Client, error) {
	if err := transport.CheckCredential("apiToken", apiToken); err != nil {
		return nil, asInvalid(err)
	}
	cfg := transport.Config{
		Provider: "activeplatform",
		Auth:     transport.HeaderAuth("X-Api-Token", apiToken),
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

// BaseURL returns the installation's base URL the client calls.
func (c *Client) BaseURL() string { return c.t.BaseURL() }

// Close releases the idle connections of the connection pool the client
// opened. A client given its own *http.Client ([WithHTTPClient]) leaves it
// alone. Close always returns nil; a call after Close still works, opening
// new connections.
func (c *Client) Close() error { return c.t.Close() }

// String describes the client by its base URL; the token never appears.
func (c Client) String() string {
	if c.t == nil {
		return "activeplatform.Client{}"
	}
	return "activeplatform.Client{" + c.t.BaseURL() + "}"
}

// GoString is String: %#v never shows the token either.
func (c Client) GoString() string { return c.String() }

// Format prints String for every verb, so no fmt verb (not even a wrong
// one such as %d, which would otherwise print the fields) can reach the
// token inside the transport.
func (c Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }
