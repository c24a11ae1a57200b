package activeplatformtest

import (
	"net/http"
	"strings"
	"testing"
)

var fx = fixture{
	start: func(tb TB, opts ...Option) *Server {
		s := Start(tb, opts...)
		s.SeedExample()
		return s
	},
	request: func(t *testing.T, s *Server, i int) *http.Request {
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/api/v3/resellers/1/payments",
			strings.NewReader(`{"data":{"attributes":{"account_id":505,"total":"10.0"}}}`))
		req.Header.Set("X-Api-Token", Token)
		req.Header.Set("Accept", mediaJSONAPI)
		req.Header.Set("Content-Type", mediaJSONAPI)
		return req
	},
	applied: func(s *Server) int {
		s.mu.Lock()
		defer s.mu.Unlock()
		return len(s.payments) - 1 // the seeded example
	},
	route:          "POST resellers/{reseller_id}/payments",
	other:          "PATCH payments/{payment_id}",
	okStatus:       201,
	tooLargeStatus: 413,
	tooLargeBody:   `{"errors":[{"status":"413","title":"Payload Too Large","detail":"The request body is larger than the server accepts."}]}`,
}
