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

// Option configures a Client; see the With… functions.
type Option struct{ set transport.Setting }

// WithBaseURL replaces the base URL given to [NewClient].
func WithBaseURL(u string) Option { return Option{transport.WithBaseURL(u)} }

// WithHTTPClient sends requests through h. The client is copied, never
// modified; its Transport carries the requests.
func WithHTTPClient(h *http.Client) Option { return Option{transport.WithHTTPClient(h)} }

// WithRetry sets how many times a failed call may be retried (0 disables
// retries) and the bounds of the wait between attempts. Zero waits keep the
// defaults (250 ms .. 5 s). Which failures are retried depends on each
// method's retry class.
func WithRetry(maxRetries int, minWait, maxWait time.Duration) Option {
	return Option{transport.WithRetry(maxRetries, minWait, maxWait)}
}

// WithLogger logs one record per HTTP attempt (method, path, status,
// attempt, duration) to l; never a header value or a body. nil turns
// logging off, the default.
func WithLogger(l *slog.Logger) Option { return Option{transport.WithLogger(l)} }

// WithUserAgent replaces the default "caravan-go/<version> (activeplatform)"
// User-Agent.
func WithUserAgent(ua string) Option { return Option{transport.WithUserAgent(ua)} }

// WithTimeout bounds a call (all its attempts) whose context has no
// deadline. The default is 30 s.
func WithTimeout(d time.Duration) Option { return Option{transport.WithTimeout(d)} }

// WithMaxBodyBytes caps the size of a response body; a bigger one fails
// with [ErrUnexpectedResponse]. The default is 10 MiB.
func WithMaxBodyBytes(n int64) Option { return Option{transport.WithMaxBodyBytes(n)} }

// WithHeader adds a header sent on every request, for example one a proxy
// in front of the installation needs. It is treated as a credential: it is
// never logged and is dropped on a redirect to another host.
func WithHeader(name, value string) Option { return Option{transport.WithHeader(name, value)} }

// NewClient returns a client for the installation at baseURL (such as
// "https://test.activeplatform.com"; each operator runs its own, so there is
// no default) that authenticates with a manager's API token, sent as the
// X-Api-Token header. An empty baseURL or apiToken is an error that
// matches [ErrInvalidRequest].
func NewClient(baseURL, apiToken string, opts ...Option) (*Client, error) {
	if apiToken == "" {
		return nil, transport.Invalid("apiToken", "is empty")
	}
	cfg := transport.Config{
		Provider: "activeplatform",
		BaseURL:  baseURL,
		Auth:     transport.HeaderAuth("X-Api-Token", apiToken),
	}
	for _, o := range opts {
		if o.set != nil {
			o.set(&cfg)
		}
	}
	if cfg.BaseURL == "" {
		return nil, transport.Invalid("baseURL", "is empty: pass the installation's URL")
	}
	t, err := transport.New(cfg)
	if err != nil {
		return nil, err
	}
	return &Client{t: t}, nil
}

// BaseURL returns the installation's base URL the client calls.
func (c *Client) BaseURL() string { return c.t.BaseURL() }

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
