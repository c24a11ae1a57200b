package inex

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/caravanpay/caravan/internal/transport"
)

// StagingBaseURL is the base URL of Inex's staging API, the only host Inex
// publishes. Production's host comes with the integrator agreement. There is
// no default: pass one of them with [WithBaseURL].
const StagingBaseURL = "https://api-staging.inex.ge/api/v1"

// Client calls the Inex integrator API. It is safe for concurrent use and
// immutable after [NewClient]. Its token never appears in fmt or slog
// output.
type Client struct {
	t *transport.Client
}

// Option configures a Client; see the With… functions. An option given a
// value it cannot use makes [NewClient] fail with an
// [*InvalidRequestError] whose Field names the option ("WithRetry").
type Option struct{ set transport.Setting }

// WithBaseURL sets the API's base URL, including its path: [StagingBaseURL]
// or the production URL Inex gave you, such as
// "https://api.example.ge/api/v1". It is required: a client never talks to
// a host its caller did not choose.
func WithBaseURL(u string) Option { return Option{transport.WithBaseURL(u)} }

// WithHTTPClient sets the HTTP client requests go through, for a proxy,
// custom TLS or a tracing RoundTripper. The client is never modified (Inex
// works on a copy) and [Client.Close] leaves it alone. nil means the SDK's own pooled client.
func WithHTTPClient(h *http.Client) Option { return Option{transport.WithHTTPClient(h)} }

// WithRetry sets how many times a failed call is retried (0 disables
// retries) and the bounds of the wait between attempts, as given: zero
// waits mean no wait. Without it: 3 retries, 250 ms .. 5 s. A negative
// count or wait, or minWait above maxWait, is refused.
func WithRetry(maxRetries int, minWait, maxWait time.Duration) Option {
	return Option{transport.WithRetry(maxRetries, minWait, maxWait)}
}

// WithLogger logs a record per HTTP attempt (method, path, status,
// attempt, duration; never a header or a body) — and a second one, at
// warning level, for an attempt whose reply broke off while its body was
// read. nil turns logging off, which is the default.
func WithLogger(l *slog.Logger) Option { return Option{transport.WithLogger(l)} }

// WithUserAgent replaces the default "caravan-go/<version> (inex)"
// User-Agent header. An empty value or one with control characters is
// refused.
func WithUserAgent(ua string) Option { return Option{transport.WithUserAgent(ua)} }

// WithTimeout bounds a call, retries included, when its context has no
// deadline (default 30 s). It must be positive.
func WithTimeout(d time.Duration) Option { return Option{transport.WithTimeout(d)} }

// WithMaxBodyBytes caps the size of a response body (default 10 MiB); a
// larger reply fails with [ErrUnexpectedResponse]. It must be positive.
func WithMaxBodyBytes(n int64) Option { return Option{transport.WithMaxBodyBytes(n)} }

// WithHeader adds a header sent on every request, for example one a proxy
// in front of the API needs. It is treated as a credential: it is never
// logged and is dropped on a redirect to another host. A name that is not
// an HTTP token, a header the client sets itself (Content-Type, Accept,
// User-Agent, the credential's header…) and an empty value or one with
// control characters are refused.
func WithHeader(name, value string) Option { return Option{transport.WithHeader(name, value)} }

// NewClient returns a client that authenticates with the integrator token
// Inex issued ("Authorization: Bearer <token>") and talks to the host set
// with [WithBaseURL], which is required. An empty token, one that cannot
// travel in a header (white space, a trailing newline), a missing base URL
// or a refused option is an [*InvalidRequestError] naming the argument or
// option.
func NewClient(token string, opts ...Option) (*Client, error) {
	if err := transport.CheckCredential("token", token); err != nil {
		return nil, asInvalid(err)
	}
	for _, r := range token {
		if r < 0x21 || r == 0x7f {
			return nil, invalid("token", "contains white space or control characters")
		}
	}
	cfg := transport.Config{
		Provider: "inex",
		Auth:     transport.Bearer(token),
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

// BaseURL returns the base URL the client sends requests to.
func (c *Client) BaseURL() string { return c.t.BaseURL() }

// Close releases the idle connections of the connection pool the client
// opened. A client given its own *http.Client ([WithHTTPClient]) leaves it
// alone. Close always returns nil; a call after Close still works, opening
// new connections.
func (c *Client) Close() error { return c.t.Close() }

// do sends req and decodes the "data" member of a 2xx reply as a T. Every
// failure after sending is an *Error.
func do[T any](ctx context.Context, c *Client, req *transport.Request) (*T, *transport.Response, error) {
	resp, err := c.t.Do(ctx, req)
	if err != nil {
		return nil, nil, newError(err)
	}
	// one pass over the body: the envelope and its data together
	var env struct {
		Data   *T              `json:"data"`
		Errors json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(resp.Body, &env); err != nil {
		return nil, nil, newError(resp.Fail(transport.ErrUnexpectedResponse, "undecodable reply", err))
	}
	if env.Data == nil {
		msg := "reply has no data"
		if len(env.Errors) > 0 && string(env.Errors) != "null" {
			msg = "reply carries errors instead of data"
		}
		return nil, nil, newError(resp.Fail(transport.ErrUnexpectedResponse, msg, nil))
	}
	return env.Data, resp, nil
}
