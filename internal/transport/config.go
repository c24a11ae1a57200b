package transport

import (
	"log/slog"
	"net/http"
	"time"
)

// Defaults applied by New when a Config leaves a field zero.
const (
	DefaultRetryMax     = 3
	DefaultRetryWaitMin = 250 * time.Millisecond
	DefaultRetryWaitMax = 5 * time.Second
	DefaultTimeout      = 30 * time.Second
	DefaultMaxBodyBytes = 10 << 20

	// MaxResponseHeaderBytes caps a reply's header on the SDK's own pooled
	// transport (a client passed with WithHTTPClient keeps its own limit).
	MaxResponseHeaderBytes = 64 << 10
)

// Config is everything a provider client passes to New. Provider packages
// fill it from their options; it is copied, never kept by reference.
type Config struct {
	BaseURL  string // scheme, host and optional base path
	Provider string // short provider name, for the User-Agent
	Auth     Auth   // credentials, sent only to BaseURL's host

	HTTPClient *http.Client // nil: a pooled client of our own

	// RetryMax is the number of retries after the first attempt; set
	// RetryDisabled to send each request once.
	RetryMax      int
	RetryDisabled bool
	RetryWaitMin  time.Duration
	RetryWaitMax  time.Duration

	Timeout      time.Duration // applied when the caller's context has no deadline
	MaxBodyBytes int64         // response body cap
	UserAgent    string        // replaces the default caravan-go/<version> (<provider>)
	Logger       *slog.Logger  // nil: no logging

	// Header holds extra headers sent on every request, such as an
	// authenticating proxy's key. They are treated like the credential:
	// never sent across a redirect to another host, never logged.
	Header http.Header

	// Secrets are further values (a signing key) that are masked, like the
	// credential and the Header values, in every error the client returns.
	Secrets []string
}

// Setting changes one field of a Config. Provider packages wrap settings in
// their own option type so no internal type appears in their API.
type Setting func(*Config)

// WithBaseURL sets the base URL.
func WithBaseURL(u string) Setting { return func(c *Config) { c.BaseURL = u } }

// WithHTTPClient sets the underlying HTTP client. It is never modified: the
// transport works on a copy.
func WithHTTPClient(h *http.Client) Setting { return func(c *Config) { c.HTTPClient = h } }

// WithRetry sets the retry count and the wait bounds. max 0 disables
// retries; zero waits keep the defaults.
func WithRetry(maxRetries int, minWait, maxWait time.Duration) Setting {
	return func(c *Config) {
		c.RetryMax = maxRetries
		c.RetryDisabled = maxRetries <= 0
		if minWait > 0 {
			c.RetryWaitMin = minWait
		}
		if maxWait > 0 {
			c.RetryWaitMax = maxWait
		}
	}
}

// WithLogger sets the logger; nil turns logging off.
func WithLogger(l *slog.Logger) Setting { return func(c *Config) { c.Logger = l } }

// WithUserAgent replaces the User-Agent header.
func WithUserAgent(ua string) Setting { return func(c *Config) { c.UserAgent = ua } }

// WithTimeout sets the timeout applied when a call's context has no deadline.
func WithTimeout(d time.Duration) Setting { return func(c *Config) { c.Timeout = d } }

// WithMaxBodyBytes sets the response body cap.
func WithMaxBodyBytes(n int64) Setting { return func(c *Config) { c.MaxBodyBytes = n } }

// WithHeader adds a header sent on every request.
func WithHeader(name, value string) Setting {
	return func(c *Config) {
		if c.Header == nil {
			c.Header = make(http.Header)
		}
		c.Header.Set(name, value)
	}
}

func (c *Config) applyDefaults() {
	if c.RetryDisabled {
		c.RetryMax = 0
	} else if c.RetryMax <= 0 {
		c.RetryMax = DefaultRetryMax
	}
	if c.RetryWaitMin <= 0 {
		c.RetryWaitMin = DefaultRetryWaitMin
	}
	if c.RetryWaitMax <= 0 {
		c.RetryWaitMax = DefaultRetryWaitMax
	}
	if c.RetryWaitMax < c.RetryWaitMin {
		c.RetryWaitMax = c.RetryWaitMin
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.UserAgent == "" {
		c.UserAgent = "caravan-go/" + Version + " (" + c.Provider + ")"
	}
	c.Header = c.Header.Clone()
}
