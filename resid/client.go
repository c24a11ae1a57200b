package resid

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/caravanpay/caravan/internal/transport"
)

// BaseURL is Resid's production API root. Paths such as /payments are
// joined below it, keeping its /api/v1.
const BaseURL = "https://resid.ir/api/v1"

// Client calls the Resid payments API. It is safe for concurrent use and
// immutable after [NewClient]. It holds the authorization code only inside
// the transport, which never prints it.
type Client struct {
	t   *transport.Client
	now func() time.Time // the clock Collect checks the 20-minute window against
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

// Option configures a Client; see the With… functions.
type Option struct {
	set   transport.Setting
	clock func() time.Time
}

// WithBaseURL replaces [BaseURL], for a staging server or a fake such as
// residtest's. The URL may carry a path; it is kept.
func WithBaseURL(u string) Option { return Option{set: transport.WithBaseURL(u)} }

// WithHTTPClient sets the HTTP client requests go through. It is never
// modified: the client works on a copy.
func WithHTTPClient(h *http.Client) Option { return Option{set: transport.WithHTTPClient(h)} }

// WithRetry sets how many times a failed call may be retried (0 disables
// retries) and the bounds of the wait between attempts. A server's
// Retry-After is honoured in full when the call's deadline allows it (the
// call ends at once with ErrRateLimited otherwise). Defaults: 3 retries,
// 250ms..5s.
func WithRetry(maxRetries int, minWait, maxWait time.Duration) Option {
	return Option{set: transport.WithRetry(maxRetries, minWait, maxWait)}
}

// WithLogger logs one record per HTTP attempt (method, path, status,
// attempt, duration; never a header, a body or the authorization code).
// nil, the default, logs nothing.
func WithLogger(l *slog.Logger) Option { return Option{set: transport.WithLogger(l)} }

// WithUserAgent replaces the default User-Agent, caravan-go/<version> (resid).
func WithUserAgent(ua string) Option { return Option{set: transport.WithUserAgent(ua)} }

// WithTimeout bounds each call whose context has no deadline (default 30s).
func WithTimeout(d time.Duration) Option { return Option{set: transport.WithTimeout(d)} }

// WithMaxBodyBytes caps the size of a response body (default 10 MiB).
func WithMaxBodyBytes(n int64) Option { return Option{set: transport.WithMaxBodyBytes(n)} }

// WithClock sets the clock [Client.Collect] compares a payment's collect
// deadline with (default time.Now). Tests pass a fake clock; nil keeps the
// default.
func WithClock(now func() time.Time) Option { return Option{clock: now} }

// NewClient returns a client that authenticates with the authorization
// code Resid issued, sent as the raw Authorization header (no "Bearer").
// An empty code is refused with an error that is [ErrInvalidRequest].
func NewClient(authorizationCode string, opts ...Option) (*Client, error) {
	if strings.TrimSpace(authorizationCode) == "" {
		return nil, transport.Invalid("authorizationCode", "is empty")
	}
	if strings.ContainsAny(authorizationCode, "\r\n") {
		return nil, transport.Invalid("authorizationCode", "must not contain a line break")
	}
	cfg := transport.Config{
		Provider: "resid",
		BaseURL:  BaseURL,
		Auth:     transport.RawAuthorization(authorizationCode),
	}
	c := &Client{now: time.Now}
	for _, o := range opts {
		if o.set != nil {
			o.set(&cfg)
		}
		if o.clock != nil {
			c.now = o.clock
		}
	}
	t, err := transport.New(cfg)
	if err != nil {
		return nil, err
	}
	c.t = t
	return c, nil
}
