package transport

import (
	"fmt"
	"net/url"
	"strings"
)

// parseBase checks a base URL and strips a trailing slash from its path so
// that joining never doubles it.
func parseBase(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, Invalid("WithBaseURL", "is empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, Invalid("WithBaseURL", "cannot be parsed")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, Invalid("WithBaseURL", "scheme must be http or https, got %q", u.Scheme)
	}
	if u.Host == "" {
		return nil, Invalid("WithBaseURL", "has no host")
	}
	if u.User != nil {
		return nil, Invalid("WithBaseURL", "must not carry user information; use the credential options")
	}
	u.RawQuery, u.Fragment = "", ""
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// join appends an escaped path to the base URL, keeping the base's own path:
// https://h/api/v1 + /integrators/x is https://h/api/v1/integrators/x.
// (url.ResolveReference would drop /api/v1.) base has no trailing slash.
func join(base, escapedPath string) string {
	if escapedPath == "" || escapedPath[0] != '/' {
		return base + "/" + escapedPath
	}
	return base + escapedPath
}

// Path builds an escaped request path: each %s in format is replaced by the
// matching parameter, escaped as one path segment ("a/b" becomes "a%2Fb").
// Only %s verbs are allowed in format.
func Path(format string, params ...string) string {
	args := make([]any, len(params))
	for i, p := range params {
		args[i] = url.PathEscape(p)
	}
	return fmt.Sprintf(format, args...)
}
