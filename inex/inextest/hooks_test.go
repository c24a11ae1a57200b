package inextest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

var fx = fixture{
	start: func(tb TB, opts ...Option) *Server {
		s := Start(tb, opts...)
		s.SeedExamples()
		return s
	},
	request: func(t *testing.T, s *Server, i int) *http.Request {
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/integrators/payments/balance/top-up",
			strings.NewReader(fmt.Sprintf(`{"roomNumber":"IG00001","amount":100,"paymentId":"P-%d"}`, i)))
		req.Header.Set("Authorization", "Bearer "+Token)
		req.Header.Set("Accept", "application/json")
		req.Header.Set("Content-Type", "application/json")
		return req
	},
	applied:        func(s *Server) int { return len(s.Transactions()) },
	route:          "balance/top-up",
	other:          "POST debts/pay",
	okStatus:       200,
	tooLargeStatus: 413,
	tooLargeBody:   `{"errors":{"general":["The request body is too large."]},"message":"error"}`,
}
