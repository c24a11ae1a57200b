package payguest

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/caravanpay/caravan/internal/transport"
)

// Client calls one restaurant's Tillypad XL pay-guest API. It is safe for
// concurrent use and its configuration cannot change after [NewClient].
type Client struct {
	t *transport.Client
}

// Option configures a Client; see the With… functions.
type Option struct {
	set transport.Setting
	err error // a refused option, reported by NewClient
}

// NewClient returns a client for the Tillypad XL server at baseURL, the
// restaurant's own server such as "http://89.22.216.169:8090" (plain HTTP on
// a LAN is normal; a base path such as "http://host/api" is kept). The API
// has no authentication of its own; for a server behind an authenticating
// proxy add the proxy's header with [WithHeader].
//
// An empty or malformed base URL, or a refused option, is an error that
// satisfies errors.Is(err, ErrInvalidRequest).
func NewClient(baseURL string, opts ...Option) (*Client, error) {
	cfg := transport.Config{Provider: "payguest", BaseURL: strings.TrimSpace(baseURL), Auth: transport.NoAuth()}
	for _, o := range opts {
		if o.err != nil {
			return nil, o.err
		}
		if o.set != nil {
			o.set(&cfg)
		}
	}
	if cfg.BaseURL == "" {
		return nil, transport.Invalid("baseURL", "is empty: pass the address of the restaurant's Tillypad XL server")
	}
	t, err := transport.New(cfg)
	if err != nil {
		return nil, err
	}
	return &Client{t: t}, nil
}

// BaseURL returns the server address the client calls, without a trailing
// slash.
func (c *Client) BaseURL() string { return c.t.BaseURL() }

// WithBaseURL replaces the base URL given to NewClient.
func WithBaseURL(u string) Option { return Option{set: transport.WithBaseURL(u)} }

// WithHTTPClient sets the underlying *http.Client (for a proxy, custom TLS
// or a test transport). The client is never modified: caravan works on a
// copy.
func WithHTTPClient(h *http.Client) Option { return Option{set: transport.WithHTTPClient(h)} }

// WithRetry sets how often a call may be retried and the wait bounds
// between attempts. maxRetries 0 sends each request once. PayGuest is
// retried only when nothing can have been paid; see the package
// documentation.
func WithRetry(maxRetries int, minWait, maxWait time.Duration) Option {
	return Option{set: transport.WithRetry(maxRetries, minWait, maxWait)}
}

// WithLogger logs one record per HTTP attempt (method, path, status,
// attempt, duration; never a header value or a body). nil turns logging off.
func WithLogger(l *slog.Logger) Option { return Option{set: transport.WithLogger(l)} }

// WithUserAgent replaces the default User-Agent, caravan-go/<version> (payguest).
func WithUserAgent(ua string) Option { return Option{set: transport.WithUserAgent(ua)} }

// WithTimeout bounds a call, retries included, when its context has no
// deadline (default 30 s).
func WithTimeout(d time.Duration) Option { return Option{set: transport.WithTimeout(d)} }

// WithMaxBodyBytes caps the size of a reply body (default 10 MiB).
func WithMaxBodyBytes(n int64) Option { return Option{set: transport.WithMaxBodyBytes(n)} }

// WithHeader adds a header to every request, for a server behind an
// authenticating proxy (for example WithHeader("X-Proxy-Token", token)).
// The value is treated as a credential: it is sent only to the base URL's
// host and scheme, removed from redirects that leave them, and never
// printed in errors, logs or %v of the Client. Content-Type, Accept,
// User-Agent, Host and Content-Length are set by the client and refused
// here, as are empty names and values with line breaks.
func WithHeader(name, value string) Option {
	if !validHeaderName(name) {
		return Option{err: transport.Invalid("WithHeader", "header name %q is not a valid HTTP header name", clip(name))}
	}
	switch http.CanonicalHeaderKey(name) {
	case "Content-Type", "Accept", "User-Agent", "Host", "Content-Length", "Transfer-Encoding", "Connection":
		return Option{err: transport.Invalid("WithHeader", "header %s is set by the client", http.CanonicalHeaderKey(name))}
	}
	if !validHeaderValue(value) {
		// the value may be a secret: never quote it
		return Option{err: transport.Invalid("WithHeader", "value of header %s is empty or contains control characters", http.CanonicalHeaderKey(name))}
	}
	return Option{set: transport.WithHeader(name, value)}
}

// validHeaderName reports whether s is an RFC 9110 token.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// validHeaderValue refuses empty values and control characters (CR and LF
// would split the header).
func validHeaderValue(s string) bool {
	if strings.TrimSpace(s) == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}
