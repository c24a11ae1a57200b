package payguesttest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

var fx = fixture{
	start: func(tb TB, opts ...Option) *Server { return Start(tb, opts...) },
	request: func(t *testing.T, s *Server, i int) *http.Request {
		id := fmt.Sprintf("3F2504E0-4F89-11D3-9A0C-%012d", i)
		s.AddBill(Bill{ID: id, Open: "100"})
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/pay-guest", strings.NewReader(
			`{"Payment":{"gest_ID":"`+id+`","paySum":100,"payType_ID":"`+ExamplePayTypeID+`"}}`))
		req.Header.Set("Content-Type", "application/json")
		return req
	},
	applied:        func(s *Server) int { return len(s.Payments()) },
	route:          "pay-guest",
	other:          "get-divisions",
	okStatus:       200,
	tooLargeStatus: 413,
	tooLargeBody:   `"Размер запроса превышает допустимый"`,
}
