package transport

import (
	"errors"
	"net/http"
	"strings"
)

const maxRedirects = 10

var errCrossHostBody = errors.New("refused a redirect that would resend the request body to another host")

// redirectPolicy strips every credential header from a redirect that leaves
// the configured host or scheme (Go itself strips only Authorization and
// cookies, and only when the host changes; X-Api-Token would travel on), and
// refuses one that would carry the request body there.
func (c *Client) redirectPolicy(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return errors.New("stopped after 10 redirects")
		}
		if !strings.EqualFold(req.URL.Host, c.base.Host) || req.URL.Scheme != c.base.Scheme {
			// A 307/308 would replay the body (a payment, a signed token, a
			// card number) to a host the caller never configured.
			// (Go before 1.24 does not copy GetBody to the redirect, so look
			// at the body itself.)
			if req.Body != nil && req.Body != http.NoBody {
				return errCrossHostBody
			}
			for _, h := range c.credentialHeaders {
				req.Header.Del(h)
			}
			// The previous URL (its query may hold a gateway's token) is
			// nobody else's business.
			req.Header.Del("Referer")
		}
		if next != nil {
			return next(req, via)
		}
		return nil
	}
}
