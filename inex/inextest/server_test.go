package inextest

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type reply struct {
	status int
	header http.Header
	body   string
}

func send(t *testing.T, srv *Server, method, path, contentType, body string, hdr ...string) reply {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+Token)
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return reply{resp.StatusCode, resp.Header, string(b)}
}

func TestDocumentedValidationBodies(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	srv.SeedExamples()
	const pay = "/integrators/payments/debts/pay"
	for _, tc := range []struct {
		name, path, body string
		want             string
	}{
		{"neither number", pay, `{"paymentId":"INV0001"}`,
			`{"message":"The room number field is required when waybill number is not present. (and 1 more error)","errors":{"roomNumber":["The room number field is required when waybill number is not present."],"waybillNumber":["The waybill number field is required when room number is not present."]}}`},
		{"docs' trailing comma reads as no fields", pay, "{\n\"roomNumber\": \"IG00001\",\n\"paymentId\": \"INV0001\",\n}",
			`{"message":"The room number field is required when waybill number is not present. (and 2 more errors)","errors":{"roomNumber":["The room number field is required when waybill number is not present."],"waybillNumber":["The waybill number field is required when room number is not present."],"paymentId":["The payment id field is required."]}}`},
		{"blank strings are missing", pay, `{"roomNumber":"  ","waybillNumber":"","paymentId":" "}`,
			`{"message":"The room number field is required when waybill number is not present. (and 2 more errors)","errors":{"roomNumber":["The room number field is required when waybill number is not present."],"waybillNumber":["The waybill number field is required when room number is not present."],"paymentId":["The payment id field is required."]}}`},
		{"types", pay, `{"roomNumber":1,"paymentId":2}`,
			`{"message":"The room number field must be a string. (and 1 more error)","errors":{"roomNumber":["The room number field must be a string."],"paymentId":["The payment id field must be a string."]}}`},
		{"long payment id", pay, `{"waybillNumber":"TY7200934421231","paymentId":"` + strings.Repeat("ა", 256) + `"}`,
			`{"message":"The payment id field must not be greater than 255 characters.","errors":{"paymentId":["The payment id field must not be greater than 255 characters."]}}`},
		{"documented amount error", "/integrators/payments/balance/top-up", `{"roomNumber":"IG00001","amount":0,"paymentId":"IN0001"}`,
			`{"message":"The amount field must be at least 1.","errors":{"amount":["The amount field must be at least 1."]}}`},
		{"amount too large", "/integrators/payments/balance/top-up", `{"roomNumber":"IG00001","amount":1000001,"paymentId":"IN0001"}`,
			`{"message":"The amount field must not be greater than 1000000.","errors":{"amount":["The amount field must not be greater than 1000000."]}}`},
		{"amount not integer, room missing", "/integrators/payments/balance/top-up", `{"amount":1.5,"paymentId":"IN0001"}`,
			`{"message":"The room number field is required. (and 1 more error)","errors":{"roomNumber":["The room number field is required."],"amount":["The amount field must be an integer."]}}`},
		{"top-up all missing", "/integrators/payments/balance/top-up", `{"roomNumber":[]}`,
			`{"message":"The room number field must be a string. (and 2 more errors)","errors":{"roomNumber":["The room number field must be a string."],"amount":["The amount field is required."],"paymentId":["The payment id field is required."]}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := send(t, srv, http.MethodPost, tc.path, "application/json", tc.body)
			assert.Equal(t, http.StatusUnprocessableEntity, r.status)
			assert.Equal(t, tc.want, r.body)
			assert.Equal(t, "application/json", r.header.Get("Content-Type"))
		})
	}
	assert.Empty(t, srv.Transactions())
}

func TestProtocolRules(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	srv.SeedExamples()

	r := send(t, srv, http.MethodGet, "/integrators/payments/debts/pay", "", "")
	assert.Equal(t, http.StatusMethodNotAllowed, r.status, "the docs' -X GET")
	assert.Equal(t, `{"message":"The GET method is not supported for route api/v1/integrators/payments/debts/pay. Supported methods: POST."}`, r.body)

	r = send(t, srv, http.MethodPost, "/integrators/nothing", "application/json", "{}")
	assert.Equal(t, http.StatusNotFound, r.status)
	assert.Contains(t, r.body, "could not be found")

	r = send(t, srv, http.MethodPost, "/integrators/payments/debts/pay", "application/x-www-form-urlencoded", "roomNumber=IG00001&paymentId=1")
	assert.Equal(t, http.StatusUnsupportedMediaType, r.status)

	for _, auth := range []string{"", "Bearer wrong", Token, "bearer " + Token} {
		r = send(t, srv, http.MethodGet, "/integrators/users/detail/IG00001", "", "", "Authorization", auth)
		assert.Equal(t, http.StatusForbidden, r.status, auth)
		assert.Equal(t, `{"errors":{"general":["You are not authorized to perform this action. Contact administrator."]},"message":"error"}`, r.body)
	}

	r = send(t, srv, http.MethodPost, "/integrators/payments/debts/pay", "application/json; charset=utf-8", `{"paymentId":"1"}`, "Accept", "")
	assert.Equal(t, http.StatusFound, r.status, "Laravel redirects a validation failure when JSON was not asked for")
	assert.Contains(t, r.body, "Redirecting")

	r = send(t, srv, http.MethodGet, "/integrators/users/detail/IG00001", "", "")
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, `{"data":{"balance":157,"bonus":0,"fullNameEn":"Name Lastname","fullNameKa":"სახელი გვარი","roomNumber":"IG00001"}}`, r.body)

	r = send(t, srv, http.MethodGet, "/integrators/payments/wallet/IG00001", "", "")
	assert.Equal(t, `{"data":[{"amount":"0","currency":"USD"},{"amount":"0","currency":"EUR"},{"amount":"0","currency":"GBP"}]}`, r.body)

	// The docs' curl: a JSON body on a GET, which Laravel reads.
	r = send(t, srv, http.MethodGet, "/integrators/payments/debts/detail", "application/json", `{"roomNumber":"IG00001"}`)
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, `{"data":{"currency":"GEL","invoices":[{"invoiceNumber":"INV-52446","amount":1000,"earnableBonus":79,"serviceType":"Transportation"},{"invoiceNumber":"INV-52447","amount":500,"earnableBonus":0,"serviceType":"homeDelivery"}],"totalDebt":1500}}`, r.body)

	r = send(t, srv, http.MethodGet, "/integrators/payments/debts/detail?waybillNumber=NOPE", "", "")
	assert.Equal(t, http.StatusNotFound, r.status)
	assert.Equal(t, `{"errors":{"general":["Requested customer not found"]},"message":"error"}`, r.body)

	r = send(t, srv, http.MethodPost, "/integrators/payments/debts/pay", "application/json", `{"roomNumber":"IG00001","paymentId":"INV0001"}`)
	assert.Equal(t, `{"data":{"transactionId":123456}}`, r.body)
	r = send(t, srv, http.MethodPost, "/integrators/payments/debts/pay", "application/json", `{"roomNumber":"IG00001","paymentId":"INV0002"}`)
	assert.Equal(t, `{"data":{"transactionId":123457}}`, r.body, "a new payment id pays again (nothing left) with a new id")
	r = send(t, srv, http.MethodPost, "/integrators/payments/balance/top-up", "application/json", `{"roomNumber":"IG00001","amount":"100","paymentId":"INV0001"}`)
	assert.Equal(t, `{"data":{"transactionId":123458}}`, r.body, "top-up ids are deduplicated apart from debt payments")
	assert.Equal(t, 2, srv.DebtPayments("IG00001"))
	assert.Equal(t, 1, srv.InvoicePaidCount("INV-52446"))

	_, ok := srv.Customer("nobody")
	assert.False(t, ok)
	reqs := srv.Requests()
	require.NotEmpty(t, reqs)
	assert.Equal(t, "/api/v1/integrators/payments/debts/pay", reqs[0].Path)
}
