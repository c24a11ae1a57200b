package transport

import (
	"errors"
	"net/http"
	"strings"
)

const maxRedirects = 10

// redirectPolicy strips every credential header from a redirect that leaves
// the configured host or scheme. Go itself strips only Authorization and
// cookies, and only when the host changes; X-Api-Token would travel on.
func (c *Client) redirectPolicy(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return errors.New("stopped after 10 redirects")
		}
		if !strings.EqualFold(req.URL.Host, c.base.Host) || req.URL.Scheme != c.base.Scheme {
			for _, h := range c.credentialHeaders {
				req.Header.Del(h)
			}
		}
		if next != nil {
			return next(req, via)
		}
		return nil
	}
}
