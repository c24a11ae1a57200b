package transport

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Redacted replaces every credential value found in an error's text.
const Redacted = "[redacted]"

// minSecretLen is the shortest value scrubbed as a credential: shorter
// values ("1", "yes") would mask ordinary words of a reply and are not
// credentials anyone could use.
const minSecretLen = 4

// maxDynamicSecrets bounds the secrets added after New (UAPAY's sessions):
// the oldest are forgotten first.
const maxDynamicSecrets = 16

// scrubber removes the client's credential values and every card-number
// shaped digit run from the text of an error. A server may echo anything
// it was sent, so nothing it returns reaches an Error unscrubbed.
type scrubber struct {
	static [][]byte // fixed at New: the credential, WithHeader values, Config.Secrets

	mu      sync.RWMutex
	dynamic [][]byte // added by Redact
}

// newScrubber collects the values worth scrubbing: each value as sent,
// and a credential's token without its scheme ("Bearer x" → "x").
func newScrubber(cfg *Config) *scrubber {
	s := &scrubber{}
	add := func(v string) {
		v = strings.TrimSpace(v)
		if len(v) < minSecretLen {
			return
		}
		for _, have := range s.static {
			if string(have) == v {
				return
			}
		}
		s.static = append(s.static, []byte(v))
	}
	addCredential := func(v string) {
		add(v)
		if scheme, token, ok := strings.Cut(v, " "); ok && scheme != "" {
			add(token)
		}
	}
	addCredential(cfg.Auth.value)
	for _, vs := range cfg.Header {
		for _, v := range vs {
			addCredential(v)
		}
	}
	for _, v := range cfg.Secrets {
		addCredential(v)
	}
	return s
}

// Redact adds values (a session id, a key the provider package derives)
// that must never appear in an error of this client. It is safe for
// concurrent use; only the last few dynamic values are kept.
func (c *Client) Redact(values ...string) {
	s := c.scrub
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		if len(v) < minSecretLen {
			continue
		}
		dup := false
		for _, have := range s.dynamic {
			if string(have) == v {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		if len(s.dynamic) >= maxDynamicSecrets {
			s.dynamic = append(s.dynamic[:0:0], s.dynamic[1:]...)
		}
		s.dynamic = append(s.dynamic, []byte(v))
	}
}

// bytes returns b with every secret and every PAN-shaped run masked. It
// returns b itself (no copy) when there is nothing to mask.
func (s *scrubber) bytes(b []byte) []byte {
	if len(b) == 0 {
		return b
	}
	out := b
	copied := false
	replace := func(secret []byte) {
		if len(secret) == 0 || !bytes.Contains(out, secret) {
			return
		}
		out = bytes.ReplaceAll(out, secret, []byte(Redacted)) // a new slice
		copied = true
	}
	for _, v := range s.static {
		replace(v)
	}
	s.mu.RLock()
	for _, v := range s.dynamic {
		replace(v)
	}
	s.mu.RUnlock()
	if hasPANRun(out) {
		if !copied {
			out = bytes.Clone(out)
		}
		maskPANs(out)
	}
	return out
}

// string is bytes for a string.
func (s *scrubber) string(v string) string {
	if v == "" {
		return v
	}
	out := s.bytes([]byte(v))
	return string(out)
}

// ScrubPANs masks, in place, every run of 13 to 19 digits (single spaces or
// dashes allowed between them) not glued to another digit, keeping its
// last four digits: "4134 1700 0001 0886" becomes "**** **** **** 0886".
// Every card number has that shape. A run glued to a letter ("card4134…",
// but also a waybill such as "TY7200934421231") is masked when it passes
// the Luhn check, as every card number does.
func ScrubPANs(b []byte) { maskPANs(b) }

func hasPANRun(b []byte) bool {
	found := false
	scanPANs(b, func(int, int) { found = true })
	return found
}

func maskPANs(b []byte) {
	scanPANs(b, func(start, end int) {
		keep := 4
		for i := end - 1; i >= start; i-- {
			if b[i] < '0' || b[i] > '9' {
				continue
			}
			if keep > 0 {
				keep--
				continue
			}
			b[i] = '*'
		}
	})
}

// scanPANs calls found(start, end) for every PAN-shaped run of b.
func scanPANs(b []byte, found func(start, end int)) {
	for i := 0; i < len(b); {
		if !isDigit(b[i]) || (i > 0 && isDigit(b[i-1])) {
			i++
			continue
		}
		glued := i > 0 && isAlnum(b[i-1])
		start, digits, end := i, 0, i
		j := i
		for j < len(b) {
			if isDigit(b[j]) {
				digits++
				j++
				end = j
				continue
			}
			if (b[j] == ' ' || b[j] == '-') && j+1 < len(b) && isDigit(b[j+1]) && isDigit(b[j-1]) {
				j++
				continue
			}
			break
		}
		if digits >= 13 && digits <= 19 && (end == len(b) || !isDigit(b[end])) {
			glued = glued || end < len(b) && isAlnum(b[end])
			if !glued || luhnRun(b[start:end]) {
				found(start, end)
			}
		}
		i = max(end, i+1)
	}
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// luhnRun applies the Luhn check to the digits of run.
func luhnRun(run []byte) bool {
	sum, double := 0, false
	for i := len(run) - 1; i >= 0; i-- {
		if !isDigit(run[i]) {
			continue
		}
		d := int(run[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

func isAlnum(c byte) bool {
	return isDigit(c) || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
}

// scrubbedError is an error whose text had a credential, a card number or
// a URL's query removed. Unwrap keeps errors.Is and errors.As working.
type scrubbedError struct {
	text string
	err  error
}

func (e *scrubbedError) Error() string { return e.text }
func (e *scrubbedError) Unwrap() error { return e.err }

// errBadLocation replaces net/http's "failed to parse Location header
// %q", which quotes the whole Location — a token in it included.
var errBadLocation = errors.New("redirect Location header cannot be parsed")

// cleanNetErr strips the query, fragment and user information from the URL
// of err's *url.Error (changed in place: the error is this call's own) and
// replaces an unparsable Location's text. It returns err.
func cleanNetErr(err error) error {
	if err == nil { // the success path: errors.As would allocate its target
		return nil
	}
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	ue.URL = StripURL(ue.URL)
	if ue.Err != nil && strings.Contains(ue.Err.Error(), "failed to parse Location header") {
		ue.Err = errBadLocation
	}
	return err
}

// StripURL returns raw without user information, query and fragment, for
// display: a gateway may put a token in any of them. A value that does not
// parse is replaced whole.
func StripURL(raw string) string {
	if raw == "" {
		return raw
	}
	if !strings.ContainsAny(raw, "?#@") {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "[unparsable URL]"
	}
	u.User, u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = nil, "", false, "", ""
	return u.String()
}

// finish scrubs every text field of e (whatever the server echoed) and
// fills RetryAfter from the reply's header. It returns e.
func (s *scrubber) finish(e *Error) *Error {
	if e == nil {
		return e
	}
	if e.RetryAfter == 0 && e.Header != nil {
		if d, ok := retryAfterHeader(e.Header, time.Now()); ok {
			e.RetryAfter = d
		}
	}
	if s == nil {
		return e
	}
	if len(e.Body) > 0 {
		if b := s.bytes(e.Body); &b[0] != &e.Body[0] {
			e.Body = b
			e.Excerpt = Excerpt(b)
		}
	}
	e.Excerpt = s.string(e.Excerpt)
	e.Message = s.string(e.Message)
	e.RequestID = s.string(e.RequestID)
	if e.Cause != nil {
		cleanNetErr(e.Cause)
		if text := e.Cause.Error(); text != "" {
			if clean := s.string(text); clean != text {
				e.Cause = &scrubbedError{text: clean, err: e.Cause}
			}
		}
	}
	e.Header = s.header(e.Header)
	return e
}

// header returns h, or a copy of it with echoed secrets masked.
func (s *scrubber) header(h http.Header) http.Header {
	dirty := false
	for _, vs := range h {
		for _, v := range vs {
			if s.string(v) != v {
				dirty = true
			}
		}
	}
	if !dirty {
		return h
	}
	out := make(http.Header, len(h))
	for k, vs := range h {
		clean := make([]string, len(vs))
		for i, v := range vs {
			clean[i] = s.string(v)
		}
		out[k] = clean
	}
	return out
}
