package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
)

// Client sends requests for one provider. It is safe for concurrent use and
// immutable after New.
type Client struct {
	// cfg holds the credential. It is a pointer so that fmt, printing a
	// provider's Client by reflection with a verb it has no method for
	// (%s, %d…), shows an address instead of the token: fmt only follows
	// a pointer at the top level.
	cfg               *Config
	base              *url.URL
	baseString        string
	rc                *retryablehttp.Client
	credentialHeaders []string
	owned             *http.Transport // the pool New made, nil when the caller gave one

	// read-only header values shared by every request; behind a pointer
	// for the same reason as cfg
	hdr *sharedHeaders

	scrub  *scrubber    // masks credentials and card numbers in errors
	budget *retryBudget // the client's retry token bucket
}

type sharedHeaders struct {
	authName  string
	authValue []string
	userAgent []string
}

var (
	valueJSON    = []string{MediaJSON}
	valueJSONAPI = []string{MediaJSONAPI}
	valueForm    = []string{MediaForm}
)

// mediaValue returns a shared header value for a media type.
func mediaValue(media, def string) []string {
	if media == "" {
		media = def
	}
	switch media {
	case MediaJSON:
		return valueJSON
	case MediaJSONAPI:
		return valueJSONAPI
	case MediaForm:
		return valueForm
	}
	return []string{media}
}

// New checks cfg, fills its defaults and builds the client.
func New(cfg Config) (*Client, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	base, err := parseBase(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	c := &Client{cfg: &cfg, base: base, baseString: base.String()}
	if h := cfg.Auth.HeaderName(); h != "" {
		c.credentialHeaders = append(c.credentialHeaders, h)
	}
	c.hdr = &sharedHeaders{authName: cfg.Auth.header, authValue: []string{cfg.Auth.value}, userAgent: []string{cfg.UserAgent}}
	if len(cfg.Header) > 0 { // canonical keys, so that requests can copy the map as is
		h := make(http.Header, len(cfg.Header))
		for k, vs := range cfg.Header {
			h[http.CanonicalHeaderKey(k)] = vs
		}
		cfg.Header = h
	}
	for name := range cfg.Header {
		c.credentialHeaders = append(c.credentialHeaders, name) // a proxy's header may be a credential too
	}
	c.scrub, c.budget = newScrubber(&cfg), newRetryBudget()

	var hc http.Client
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient // a copy: the caller's client is never changed
	} else {
		c.owned = pooledTransport() // ours: Close releases its idle connections
		hc = http.Client{Transport: c.owned}
	}
	if hc.Transport == nil {
		hc.Transport = http.DefaultTransport
	}
	// The wrapper hides CloseIdleConnections, which retryablehttp calls after
	// every failed call: on a shared pool that would close every idle
	// connection of every other call.
	hc.Transport = keepIdle{hc.Transport}
	hc.CheckRedirect = c.redirectPolicy(hc.CheckRedirect)

	c.rc = &retryablehttp.Client{
		HTTPClient:     &hc,
		Logger:         nil, // retryablehttp's own logger prints to stderr; we log ourselves
		RetryWaitMin:   cfg.RetryWaitMin,
		RetryWaitMax:   cfg.RetryWaitMax,
		RetryMax:       cfg.RetryMax,
		RequestLogHook: requestHook,
		CheckRetry:     c.checkRetry,
		PrepareRetry:   prepareRetry,
		Backoff:        backoff,
		ErrorHandler:   keepLastResponse,
	}
	return c, nil
}

// pooledTransport is go-cleanhttp's pooled transport with an idle pool large
// enough for concurrent callers (its default keeps GOMAXPROCS+1 per host,
// which churns connections under load).
func pooledTransport() *http.Transport {
	t := cleanhttp.DefaultPooledTransport()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 128
	// A header that never ends would otherwise grow to net/http's 10 MiB
	// default per attempt.
	t.MaxResponseHeaderBytes = MaxResponseHeaderBytes
	return t
}

type keepIdle struct{ http.RoundTripper }

// Format prints the client without its configuration, so that no verb of
// fmt can reach the credential by reflection.
func (c *Client) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, "transport.Client{provider: %s, base: %s}", c.cfg.Provider, c.baseString)
}

// BaseURL returns the configured base URL without a trailing slash.
func (c *Client) BaseURL() string { return c.baseString }

// Request is one call to a provider.
type Request struct {
	Method string
	Path   string     // escaped path below the base URL; build it with Path
	Query  url.Values // may be nil
	Body   *Body      // nil for no body
	Accept string     // default application/json
	Class  Class
	Header http.Header // extra headers for this call

	// Rebuild, if set, makes a fresh body before every retry, for bodies
	// that carry a timestamp or signature that must be current (UAPAY's
	// signed iat). The first attempt sends Body.
	Rebuild func() (*Body, error)
}

// Response is a reply with a 2xx status, its body read in full.
type Response struct {
	Status    int
	Header    http.Header
	Body      []byte
	Attempts  int
	Elapsed   time.Duration
	RequestID string
	method    string
	path      string
	writes    bool  // the call may change state
	prior     bool  // an earlier attempt may have been applied
	class     Class // the call's retry class
	scrub     *scrubber
}

// Fail builds the transport error for a 2xx reply that the provider's
// protocol says is a failure, or whose body cannot be decoded.
//
// For a call that changes state, a reply the SDK cannot understand
// (ErrUnexpectedResponse) leaves open whether it was applied, and so does
// any failure after an earlier attempt that may have been applied: the
// error then also matches ErrOutcomeUnknown.
func (r *Response) Fail(kind error, message string, cause error) *Error {
	e := r.scrub.finish(&Error{
		Kind: kind, Method: r.method, Path: r.path, Status: r.Status, RequestID: r.RequestID,
		Attempts: r.Attempts, Elapsed: r.Elapsed, Excerpt: Excerpt(r.Body), Body: r.Body,
		Header: r.Header, Cause: cause, Message: message, RetryAfter: lastRetryAfter(r.Header),
		Class: r.class, prior: r.writes && r.prior,
	})
	unreadable2xx := kind == ErrUnexpectedResponse && r.Status >= 200 && r.Status < 300
	if r.writes && (r.prior || unreadable2xx || errors.Is(cause, ErrOutcomeUnknown)) {
		e.markUnknown()
	}
	return e
}

// ChangesState reports whether the call may have changed state at the
// provider (any call but a read).
func (r *Response) ChangesState() bool { return r.writes }

// do sends the request with retries and returns the 2xx reply. Any other
// outcome is an *Error: for a non-2xx reply it carries the status and body
// so the provider can decode its own error shape.
func (c *Client) do(ctx context.Context, r *Request) (*Response, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := checkPath(r.Path); err != nil {
		return nil, err
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.cfg.Timeout)
		defer cancel()
	}
	st := &call{class: r.Class, method: r.Method, path: r.Path, start: time.Now(),
		minWait: c.cfg.RetryWaitMin, maxWait: c.cfg.RetryWaitMax,
		writes: changesState(r.Method, r.Class), share: r.Class == Reconciled || r.Class == Look,
		attemptTimeout: c.cfg.AttemptTimeout}
	if err := ctx.Err(); err != nil {
		// Nothing is sent on a context that is already done.
		return nil, &Error{Kind: ErrNetwork, Method: r.Method, Path: r.Path, Cause: err, Class: r.Class,
			Message: "not sent: the context was done before the call"}
	}
	st.Context = ctx
	ctx = st
	defer st.endAttempt()

	u := join(c.baseString, r.Path)
	if len(r.Query) > 0 {
		u += "?" + r.Query.Encode()
	}
	var body any
	if r.Body != nil {
		body = r.Body.Bytes
		if r.Rebuild != nil {
			st.reqBody = r.Body.Bytes
			st.rebuild = r.Rebuild
			body = retryablehttp.ReaderFunc(func() (io.Reader, error) { return bytes.NewReader(st.reqBody), nil })
		}
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, r.Method, u, body)
	if err != nil {
		return nil, &Error{Kind: ErrInvalidRequest, Method: r.Method, Path: r.Path, Cause: err, Class: r.Class}
	}
	// Header values are shared, read-only slices built once: a request
	// costs no allocation per header.
	h := req.Header
	for k, vs := range c.cfg.Header {
		h[k] = vs
	}
	for k, vs := range r.Header {
		h[k] = vs
	}
	if c.hdr.authName != "" {
		h[c.hdr.authName] = c.hdr.authValue
	}
	h["Accept"] = mediaValue(r.Accept, MediaJSON)
	h["User-Agent"] = c.hdr.userAgent
	if r.Body != nil {
		h["Content-Type"] = mediaValue(r.Body.ContentType, MediaJSON)
	}

	// The body is read inside the retry loop, so that a reply cut short can
	// be retried like any other network failure when the class allows it.
	st.maxBody = c.cfg.MaxBodyBytes
	req.SetResponseHandler(st.readResponse)

	resp, err := c.rc.Do(req)
	attempts := int(st.attempt.Load())
	elapsed := time.Since(st.start)
	if err != nil {
		return nil, c.networkError(ctx, st, err, attempts, elapsed)
	}
	data := st.body
	if !st.bodyRead { // retries ran out on a retryable status: the body is still open
		data, err = readCapped(resp.Body, c.cfg.MaxBodyBytes, resp.ContentLength)
		resp.Body.Close()
		if errors.Is(err, errBodyTooLarge) {
			st.tooLarge = err
		} else if err != nil {
			return nil, c.networkError(ctx, st, &cutError{err}, attempts, elapsed)
		}
	}
	out := &st.resp // allocated with the call state
	*out = Response{
		Status: resp.StatusCode, Header: resp.Header, Body: data, Attempts: attempts, Elapsed: elapsed,
		RequestID: requestID(resp.Header), method: r.Method, path: r.Path, scrub: c.scrub,
		writes: st.writes, prior: st.prior, class: st.class,
	}
	if st.tooLarge != nil {
		e := out.Fail(ErrUnexpectedResponse, "", st.tooLarge)
		return nil, st.settle(e)
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return out, nil
	}
	e := out.Fail(KindForStatus(resp.StatusCode), "", nil)
	return nil, st.settle(e)
}

// readResponse reads a final reply's body into the call's state.
func (st *call) readResponse(resp *http.Response) error {
	defer st.endAttempt() // after the body is closed
	defer resp.Body.Close()
	data, err := readCapped(resp.Body, st.maxBody, resp.ContentLength)
	st.body, st.bodyRead = data, true
	switch {
	case errors.Is(err, errBodyTooLarge):
		st.tooLarge = err
	case err != nil:
		return &cutError{err}
	}
	return nil
}

// cutError is a reply whose body broke off before its end.
type cutError struct{ err error }

func (e *cutError) Error() string { return "reply cut short: " + e.err.Error() }
func (e *cutError) Unwrap() error { return e.err }

// networkError classifies a call that ended with no usable response.
func (c *Client) networkError(ctx context.Context, st *call, err error, attempts int, elapsed time.Duration) *Error {
	e := &Error{Kind: ErrNetwork, Method: st.method, Path: st.path, Attempts: attempts, Elapsed: elapsed,
		Status: int(st.status.Load()), Cause: err}
	var cut *cutError
	switch {
	case errors.As(err, &cut):
		e.Excerpt = Excerpt(st.body)
		e.Body = st.body
	case e.Status != 0:
		e.Kind = KindForStatus(e.Status)
		if ctx.Err() != nil { // the wait after a retryable reply was cut short
			e.Message = "last reply before giving up"
		}
	}
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		e.Cause = fmt.Errorf("%w: %w", ctxErr, err)
	}
	return c.scrub.finish(st.settle(e))
}

// requestHook runs before every attempt: it counts it and clears the
// attempt's "sent" mark.
func requestHook(_ retryablehttp.Logger, req *http.Request, _ int) {
	if st := callFrom(req.Context()); st != nil {
		st.attempt.Add(1)
		st.endAttempt()
		st.body, st.bodyRead, st.logged = nil, false, false
		st.prior = st.prior || st.cur
		st.cur = false
		st.status.Store(0)
		st.attStart.Store(time.Now().UnixNano())
	}
}

// prepareRetry gives a request with a Rebuild function its fresh body
// before each retry.
func prepareRetry(req *http.Request) error {
	st := callFrom(req.Context())
	if st == nil || st.rebuild == nil {
		return nil
	}
	b, err := st.rebuild()
	if err != nil {
		return fmt.Errorf("rebuild request body: %w", err)
	}
	st.reqBody = b.Bytes
	req.ContentLength = int64(len(b.Bytes))
	return nil
}

// keepLastResponse hands the last response back to Do instead of
// retryablehttp's "giving up after N attempts" error, so its status and
// body become a typed error.
func keepLastResponse(resp *http.Response, err error, _ int) (*http.Response, error) {
	if resp != nil && err == nil {
		return resp, nil
	}
	if resp != nil {
		resp.Body.Close()
	}
	return nil, err
}

// checkRetry decides, after every attempt, whether to send again, and logs
// the attempt.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	st := callFrom(ctx)
	if st == nil {
		return false, err
	}
	cleanNetErr(err) // before it is logged: no URL query, no quoted Location
	status := 0
	if resp != nil {
		status = resp.StatusCode
		st.status.Store(int32(status))
	}
	// Whether this attempt may have been applied is decided before
	// anything else, so that no later verdict (a cancel, a deadline) hides it.
	st.cur = mayHaveApplied(resp, err)
	if st.cur && (resp == nil && gaveUp(err) || status == http.StatusGatewayTimeout) {
		// This side gave up, or a gateway did (504): the server may still
		// be processing the request after the call ends.
		st.inflight = true
	}
	attempt := int(st.attempt.Load())
	// retryablehttp asks again after the response handler has read the
	// body; log that second verdict only when reading failed.
	if !st.logged || err != nil {
		st.logged = true
		c.logAttempt(ctx, st, attempt, status, err)
	}
	if ctx.Err() != nil {
		if err != nil {
			return false, err // networkError adds the context's error and keeps this cause
		}
		if resp != nil {
			// A reply is in hand: stop, but let it be read and judged
			// (a 2xx read in full is a success even if the caller
			// gives up a moment later; a cut one is an unknown outcome).
			return false, nil
		}
		return false, ctx.Err()
	}
	if !retryable(st.class, status, err) {
		if err == nil {
			c.budget.answered(st, status)
		}
		return false, nil
	}
	if attempt > c.cfg.RetryMax {
		return false, nil
	}
	// Give up now rather than sleep into a deadline that will pass first:
	// a Retry-After longer than the time left ends the call at once.
	if dl, ok := ctx.Deadline(); ok {
		if time.Until(dl) < leastWait(st.minWait, st.maxWait, attempt-1, resp) {
			return false, nil
		}
	}
	if !c.budget.spendRetry(st, err) {
		return false, nil
	}
	return true, nil
}

func (c *Client) logAttempt(ctx context.Context, st *call, attempt, status int, err error) {
	l := c.cfg.Logger
	if l == nil {
		return
	}
	level := slog.LevelDebug
	if err != nil || status >= 500 || status == http.StatusTooManyRequests {
		level = slog.LevelWarn
	}
	if !l.Enabled(ctx, level) {
		return
	}
	attrs := []slog.Attr{
		slog.String("provider", c.cfg.Provider),
		slog.String("method", st.method),
		slog.String("path", st.path),
		slog.Int("attempt", attempt),
		slog.Duration("duration", time.Since(time.Unix(0, st.attStart.Load()))),
	}
	if status != 0 {
		attrs = append(attrs, slog.Int("status", status))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", errorClass(err)))
	}
	l.LogAttrs(ctx, level, "caravan http attempt", attrs...)
}

// errorClass describes a network error without its URL.
func errorClass(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// requestIDHeaders are the request id headers providers and their proxies
// send, in canonical form so that lookups need no canonicalisation.
var requestIDHeaders = []string{"X-Request-Id", "X-Correlation-Id", "Request-Id", "X-Amzn-Requestid"}

func requestID(h http.Header) string {
	for _, k := range requestIDHeaders {
		if vs := h[k]; len(vs) > 0 && vs[0] != "" {
			v := vs[0]
			if len(v) > 128 {
				v = v[:128]
			}
			return v
		}
	}
	return ""
}
