package residtest

import (
	"net/http"
	"strings"
	"testing"
)

var fx = fixture{
	start: func(tb TB, opts ...Option) *Server { return Start(tb, opts...) },
	request: func(t *testing.T, s *Server, i int) *http.Request {
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/payments", strings.NewReader("amount=10000&merchant="+Merchant))
		req.Header.Set("Authorization", AuthorizationCode)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return req
	},
	applied:        func(s *Server) int { return s.Count() },
	route:          "POST payments",
	other:          "payments/{token}/collect",
	okStatus:       200,
	tooLargeStatus: 413,
	tooLargeBody:   `{"message":"Request body too large.","info":null,"errors":["body: larger than the server accepts"]}`,
}
