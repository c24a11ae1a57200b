package uapay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/caravanpay/caravan/internal/transport"
)

// The documented hosts. Paths are joined below them ("api/sessions/create").
// There is no default: pass one with [WithBaseURL].
const (
	// DemoBaseURL is UAPAY's sandbox.
	DemoBaseURL = "https://api.demo.uapay.ua/"
	// ProductionBaseURL is UAPAY's live service.
	ProductionBaseURL = "https://api.uapay.ua/"
)

// Client calls UAPAY's invoicer API. It signs every request with the
// merchant key, creates and renews the session itself, and is safe for
// concurrent use. Its configuration is fixed by NewClient.
type Client struct {
	t        *transport.Client
	clientID string
	keys     *signer // behind a pointer: %+v of a Client never prints the key
	now      func() time.Time
	sess     *sessionCache
}

// Option configures a Client; see the With… functions. An option given a
// value it cannot use makes [NewClient] fail with an
// [*InvalidRequestError] whose Field names the option ("WithRetry").
type Option struct {
	set   transport.Setting
	local func(*settings)
}

type settings struct{ now func() time.Time }

// WithBaseURL sets the API's base URL: [DemoBaseURL], [ProductionBaseURL]
// or your own. A path in it is kept: "https://proxy.example/uapay/" sends
// to /uapay/api/…. It is required: a client never talks to a sandbox or to
// production that its caller did not choose.
func WithBaseURL(u string) Option { return Option{set: transport.WithBaseURL(u)} }

// WithHTTPClient sets the HTTP client the requests go through, for a proxy,
// custom TLS or a tracing RoundTripper. It is never modified, and
// [Client.Close] leaves it alone. nil means the SDK's own pooled client.
func WithHTTPClient(h *http.Client) Option { return Option{set: transport.WithHTTPClient(h)} }

// WithRetry sets how many times a failed call may be retried (0 disables
// retries) and the bounds of the wait between attempts, as given: zero
// waits mean no wait. Without it: 3 retries, 250 ms .. 5 s. A negative count
// or wait, or minWait above maxWait, is refused. Which failures are retried
// depends on each method's retry class.
func WithRetry(maxRetries int, minWait, maxWait time.Duration) Option {
	return Option{set: transport.WithRetry(maxRetries, minWait, maxWait)}
}

// WithLogger logs a record per HTTP attempt (method, path, status,
// latency — never a body, key or card number) to l, and a second one, at
// warning level, for an attempt whose reply broke off while its body was
// read. nil, the default, logs nothing.
func WithLogger(l *slog.Logger) Option { return Option{set: transport.WithLogger(l)} }

// WithUserAgent replaces the default User-Agent (caravan-go/<version>
// (uapay)). An empty value or one with control characters is refused.
func WithUserAgent(ua string) Option { return Option{set: transport.WithUserAgent(ua)} }

// WithTimeout bounds a call whose context has no deadline (default 30 s).
// It must be positive.
func WithTimeout(d time.Duration) Option { return Option{set: transport.WithTimeout(d)} }

// WithMaxBodyBytes caps the size of a reply body (default 10 MiB). It must
// be positive.
func WithMaxBodyBytes(n int64) Option { return Option{set: transport.WithMaxBodyBytes(n)} }

// WithClock sets the clock used for the signed "iat" field and for checking
// the expiry of tokens the client verifies. UAPAY rejects an iat more than
// 20 seconds away from its own clock (see ErrTimeLimit). For tests; nil
// keeps time.Now.
func WithClock(now func() time.Time) Option {
	return Option{local: func(s *settings) {
		if now != nil {
			s.now = now
		}
	}}
}

// WithHeader adds a header sent on every request, for example one a proxy
// in front of the API needs. It is treated as a credential: it is never
// logged and is dropped on a redirect to another host. A name that is not
// an HTTP token, a header the client sets itself (Content-Type, Accept,
// User-Agent, the credential's header…) and an empty value or one with
// control characters are refused.
func WithHeader(name, value string) Option { return Option{set: transport.WithHeader(name, value)} }

// NewClient returns a client for the merchant clientID whose requests are
// signed with signKey, talking to the host set with [WithBaseURL]. All
// three are required. An empty clientID or signKey, a clientID with control
// characters, a missing base URL or a refused option is an
// [*InvalidRequestError] naming the argument or option.
func NewClient(clientID string, signKey Secret, opts ...Option) (*Client, error) {
	if err := transport.CheckCredential("clientID", clientID); err != nil {
		return nil, asInvalid(err)
	}
	if signKey == "" {
		return nil, invalid("signKey", "is empty")
	}
	cfg := transport.Config{Provider: "uapay", Auth: transport.NoAuth(),
		Secrets: []string{string(signKey)}} // masked in every error, whatever UAPAY echoes
	st := settings{now: time.Now}
	for _, o := range opts {
		if o.set != nil {
			o.set(&cfg)
		}
		if o.local != nil {
			o.local(&st)
		}
	}
	t, err := transport.New(cfg)
	if err != nil {
		return nil, asInvalid(err)
	}
	return &Client{
		t:        t,
		clientID: clientID,
		keys:     &signer{key: []byte(signKey)},
		now:      st.now,
		sess:     newSessionCache(),
	}, nil
}

// BaseURL returns the base URL the client sends requests to, without a
// trailing slash.
func (c *Client) BaseURL() string { return c.t.BaseURL() }

// Close releases the idle connections of the connection pool the client
// opened. A client given its own *http.Client ([WithHTTPClient]) leaves it
// alone. Close always returns nil; a call after Close still works, opening
// new connections.
func (c *Client) Close() error { return c.t.Close() }

// signedBody is the wire shape of every request.
// signedBody builds {"params":…,"data":…,"iat":…,"token":"<JWT>"}, the
// token signing {"params":…,"data":…,"iat":…} — written directly from the
// already compact params and data, so that neither is encoded twice.
func signedBody(params, data json.RawMessage, iat int64, keys *signer) transport.Body {
	claims := make([]byte, 0, len(params)+len(data)+48)
	claims = append(claims, `{"params":`...)
	if params == nil {
		params = json.RawMessage("null")
	}
	claims = append(claims, params...)
	if data != nil {
		claims = append(claims, `,"data":`...)
		claims = append(claims, data...)
	}
	claims = append(claims, `,"iat":`...)
	claims = strconv.AppendInt(claims, iat, 10)
	claims = append(claims, '}')
	token := keys.sign(claims)
	body := make([]byte, 0, len(claims)+len(token)+12)
	body = append(body, claims[:len(claims)-1]...)
	body = append(body, `,"token":"`...)
	body = append(body, token...)
	body = append(body, `"}`...)
	return transport.Body{ContentType: transport.MediaJSON, Bytes: body}
}

// marshal encodes v compactly without HTML escaping; nil stays nil.
func marshal(v any) (json.RawMessage, error) {
	if v == nil {
		return nil, nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// call signs params and data, sends them to path and returns the reply's
// data (read from the verified data.token when there is one) and the raw
// envelope. Every error after sending is an *Error.
func (c *Client) call(ctx context.Context, path string, class transport.Class, params, data any) (*reply, error) {
	p, err := marshal(params)
	if err != nil {
		return nil, invalid("params", "cannot be encoded: %v", err)
	}
	d, err := marshal(data)
	if err != nil {
		return nil, invalid("data", "cannot be encoded: %v", err)
	}
	// sign builds the body with the current iat; every retry signs afresh,
	// so a retry after a long wait still falls inside UAPAY's 20 s window.
	sign := func() (*transport.Body, error) {
		body := signedBody(p, d, c.now().Unix(), c.keys)
		return &body, nil
	}
	body, err := sign()
	if err != nil {
		return nil, err
	}
	resp, err := c.t.Do(ctx, &transport.Request{Method: http.MethodPost, Path: path, Body: body, Class: class, Rebuild: sign})
	if err != nil {
		var te *transport.Error
		if errors.As(err, &te) {
			return nil, newError(te)
		}
		return nil, err
	}
	return c.decodeReply(resp)
}
