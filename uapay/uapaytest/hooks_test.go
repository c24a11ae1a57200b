package uapaytest

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"
)

const hookSession = "6e391161-94ff-41a3-bd22-c6d77509bff6"

// signed builds a signed request body the way UAPAY's clients do.
func signed(params, data string, iat int64) []byte {
	claims := `{"params":` + params
	if data != "" {
		claims += `,"data":` + data
	}
	claims += `,"iat":` + strconv.FormatInt(iat, 10) + `}`
	return []byte(claims[:len(claims)-1] + `,"token":"` + Sign([]byte(claims)) + `"}`)
}

var fx = fixture{
	start: func(tb TB, opts ...Option) *Server {
		s := Start(tb, opts...)
		s.mu.Lock()
		s.sessions[hookSession] = time.Now().Add(24 * time.Hour)
		s.mu.Unlock()
		return s
	},
	request: func(t *testing.T, s *Server, i int) *http.Request {
		body := signed(`{"sessionId":"`+hookSession+`","systemType":"ECOM"}`,
			fmt.Sprintf(`{"externalId":"order-%d","type":"PAY","amount":100,"description":"d"}`, i), s.Now().Unix())
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/api/invoicer/invoices/create", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		return req
	},
	applied:        func(s *Server) int { return s.InvoiceCount() },
	route:          "invoices/create",
	other:          "invoices/show",
	okStatus:       200,
	tooLargeStatus: 413,
	tooLargeBody:   `{"error":{"code":"FORMAT_ERROR","message":"request body too large"},"status":0}`,
}
