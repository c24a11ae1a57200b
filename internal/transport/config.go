package transport

import (
	"log/slog"
	"net/http"
	"strings"
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
	BaseURL  string // scheme, host and optional base path; required
	Provider string // short provider name, for the User-Agent
	Auth     Auth   // credentials, sent only to BaseURL's host

	HTTPClient *http.Client // nil: a pooled client of our own, released by Close

	// RetryMax is the number of retries after the first attempt; set
	// RetryDisabled to send each request once. Zero fields of a Config
	// literal take the defaults; waits set through WithRetry are kept as
	// given, zero included.
	RetryMax      int
	RetryDisabled bool
	RetryWaitMin  time.Duration
	RetryWaitMax  time.Duration

	Timeout time.Duration // applied when the caller's context has no deadline
	// AttemptTimeout limits each attempt, from sending the request to the
	// end of the reply's body; 0 for no limit but the call's.
	AttemptTimeout time.Duration
	MaxBodyBytes   int64        // response body cap
	UserAgent      string       // replaces the default caravan-go/<version> (<provider>)
	Logger         *slog.Logger // nil: no logging

	// Header holds extra headers sent on every request, such as an
	// authenticating proxy's key. They are treated like the credential:
	// never sent across a redirect to another host, never logged.
	Header http.Header

	// Secrets are further values (a signing key) that are masked, like the
	// credential and the Header values, in every error the client returns.
	Secrets []string

	waitsSet bool  // WithRetry set the waits: zero means zero
	invalid  error // the first option refused, reported by New
}

// Setting changes one field of a Config. Provider packages wrap settings in
// their own option type so no internal type appears in their API.
type Setting func(*Config)

// refuse records the first refused option; New reports it.
func (c *Config) refuse(option, format string, args ...any) {
	if c.invalid == nil {
		c.invalid = Invalid(option, format, args...)
	}
}

// WithBaseURL sets the base URL.
func WithBaseURL(u string) Setting {
	return func(c *Config) {
		c.BaseURL = strings.TrimSpace(u) // "" is reported by New as missing
	}
}

// WithHTTPClient sets the underlying HTTP client. It is never modified: the
// transport works on a copy, and Close leaves it alone. nil means the
// SDK's own pooled client, as if the option were not given.
func WithHTTPClient(h *http.Client) Setting {
	return func(c *Config) { c.HTTPClient = h }
}

// WithRetry sets the retry count and the wait bounds, as given: max 0
// disables retries, zero waits mean no wait. A negative count or wait, or
// minWait above maxWait, is refused.
func WithRetry(maxRetries int, minWait, maxWait time.Duration) Setting {
	return func(c *Config) {
		switch {
		case maxRetries < 0:
			c.refuse("WithRetry", "maxRetries is negative (%d); 0 disables retries", maxRetries)
			return
		case minWait < 0 || maxWait < 0:
			c.refuse("WithRetry", "a wait is negative (%v, %v)", minWait, maxWait)
			return
		case minWait > maxWait:
			c.refuse("WithRetry", "minWait %v is above maxWait %v", minWait, maxWait)
			return
		}
		c.RetryMax = maxRetries
		c.RetryDisabled = maxRetries == 0
		c.RetryWaitMin, c.RetryWaitMax, c.waitsSet = minWait, maxWait, true
	}
}

// WithLogger sets the logger; nil turns logging off.
func WithLogger(l *slog.Logger) Setting { return func(c *Config) { c.Logger = l } }

// WithUserAgent replaces the User-Agent header. An empty value or one with
// control characters (CR, LF, NUL…) is refused.
func WithUserAgent(ua string) Setting {
	return func(c *Config) {
		if !ValidHeaderValue(ua) {
			c.refuse("WithUserAgent", "is empty or contains control characters")
			return
		}
		c.UserAgent = ua
	}
}

// WithTimeout sets the timeout applied when a call's context has no
// deadline. It must be positive.
func WithTimeout(d time.Duration) Setting {
	return func(c *Config) {
		if d <= 0 {
			c.refuse("WithTimeout", "must be positive, got %v", d)
			return
		}
		c.Timeout = d
	}
}

// WithMaxBodyBytes sets the response body cap. It must be positive.
func WithMaxBodyBytes(n int64) Setting {
	return func(c *Config) {
		if n <= 0 {
			c.refuse("WithMaxBodyBytes", "must be positive, got %d", n)
			return
		}
		c.MaxBodyBytes = n
	}
}

// WithAttemptTimeout sets the per-attempt timeout: one attempt, from
// sending the request to the end of its reply's body, may take at most d;
// the call's context (or Timeout) still bounds the whole call, retries and
// waits included. 0 means no per-attempt limit; a negative d is refused.
func WithAttemptTimeout(d time.Duration) Setting {
	return func(c *Config) {
		if d < 0 {
			c.refuse("WithAttemptTimeout", "must not be negative, got %v", d)
			return
		}
		c.AttemptTimeout = d
	}
}

// WithHeader adds a header sent on every request. A name that is not an
// HTTP token, a header the client sets itself, and an empty value or one
// with control characters are refused; the value is never quoted in the
// error, as it may be a secret.
func WithHeader(name, value string) Setting {
	return func(c *Config) {
		if !ValidHeaderName(name) {
			c.refuse("WithHeader", "header name %q is not a valid HTTP header name", clipText(name))
			return
		}
		key := http.CanonicalHeaderKey(name)
		switch key {
		case "Content-Type", "Accept", "User-Agent", "Host", "Content-Length", "Transfer-Encoding", "Connection":
			c.refuse("WithHeader", "header %s is set by the client", key)
			return
		}
		if c.Auth.header != "" && key == c.Auth.header {
			c.refuse("WithHeader", "header %s carries the credential", key)
			return
		}
		if !ValidHeaderValue(value) {
			c.refuse("WithHeader", "value of header %s is empty or contains control characters", key)
			return
		}
		if c.Header == nil {
			c.Header = make(http.Header)
		}
		c.Header.Set(name, value)
	}
}

// check reports the first refused option or a credential that cannot
// travel in a header, then fills the defaults.
func (c *Config) check() error {
	if c.invalid != nil {
		return c.invalid
	}
	if c.BaseURL == "" {
		return Invalid("WithBaseURL", "is required: pass the provider's host (see its BaseURL constants) or your own")
	}
	c.applyDefaults()
	return nil
}

func (c *Config) applyDefaults() {
	if c.RetryDisabled {
		c.RetryMax = 0
	} else if c.RetryMax <= 0 {
		c.RetryMax = DefaultRetryMax
	}
	if !c.waitsSet {
		if c.RetryWaitMin <= 0 {
			c.RetryWaitMin = DefaultRetryWaitMin
		}
		if c.RetryWaitMax <= 0 {
			c.RetryWaitMax = DefaultRetryWaitMax
		}
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

// ValidHeaderName reports whether s is an RFC 9110 token, usable as a
// header name.
func ValidHeaderName(s string) bool {
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

// ValidHeaderValue reports whether s can be sent as a header value: not
// blank, no control characters (CR and LF would split the header, NUL is
// refused by net/http) other than tab, and no leading or trailing white
// space (which net/http would silently strip).
func ValidHeaderValue(s string) bool {
	if strings.TrimSpace(s) != s || s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// CheckCredential refuses a credential that is empty or cannot travel in a
// header unchanged (a token read from a file with its newline), naming the
// NewClient argument. The value is never quoted.
func CheckCredential(field, value string) error {
	if strings.TrimSpace(value) == "" {
		return Invalid(field, "is empty")
	}
	if !ValidHeaderValue(value) {
		return Invalid(field, "contains control characters or surrounding white space (a trailing newline?)")
	}
	return nil
}

func clipText(s string) string {
	if len(s) > 48 {
		return s[:48] + "…"
	}
	return s
}
