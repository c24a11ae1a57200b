package inex

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testBase = "https://api.example.ge/api/v1"

// captured is what a responder saw; tests assert on it after the call.
type captured struct {
	n      int
	method string
	url    string
	header http.Header
	body   string
}

func record(c *captured, status int, body string) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		c.n++
		c.method, c.url, c.header = req.Method, req.URL.String(), req.Header.Clone()
		if req.Body != nil {
			b, _ := io.ReadAll(req.Body)
			c.body = string(b)
		}
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	}
}

func mockClient(t *testing.T, opts ...Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Fatal))
	opts = append([]Option{
		WithBaseURL(testBase),
		WithHTTPClient(&http.Client{Transport: mt}),
		WithRetry(3, time.Millisecond, 5*time.Millisecond),
	}, opts...)
	c, err := NewClient("secret-token", opts...)
	require.NoError(t, err)
	return c, mt
}

func assertHeaders(t *testing.T, c *captured, withBody bool) {
	t.Helper()
	assert.Equal(t, "Bearer secret-token", c.header.Get("Authorization"))
	assert.Equal(t, "application/json", c.header.Get("Accept"))
	assert.True(t, strings.HasPrefix(c.header.Get("User-Agent"), "caravan-go/"), c.header.Get("User-Agent"))
	assert.Contains(t, c.header.Get("User-Agent"), "(inex)")
	if withBody {
		assert.Equal(t, "application/json", c.header.Get("Content-Type"))
	} else {
		assert.Empty(t, c.header.Get("Content-Type"))
	}
}

// The seed's own 200 body: transactionId is a number.
const seedPayReply = `{
"data": {
"transactionId": 123456
}
}`

func TestPayDebtWire(t *testing.T) {
	for _, tc := range []struct {
		name string
		req  PayDebtRequest
		body string
	}{
		{"room", PayDebtRequest{RoomNumber: "IG00001", PaymentID: "INV0001"}, `{"roomNumber":"IG00001","paymentId":"INV0001"}`},
		{"waybill", PayDebtRequest{WaybillNumber: "TY7200934421231", PaymentID: "INV0001"}, `{"waybillNumber":"TY7200934421231","paymentId":"INV0001"}`},
		{"both", PayDebtRequest{RoomNumber: "IG00001", WaybillNumber: "TY7200934421231", PaymentID: "ჯ<&>"},
			`{"roomNumber":"IG00001","waybillNumber":"TY7200934421231","paymentId":"ჯ<&>"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := mockClient(t)
			var got captured
			mt.RegisterResponder(http.MethodPost, testBase+"/integrators/payments/debts/pay", record(&got, 200, seedPayReply))
			res, err := c.PayDebt(context.Background(), &tc.req)
			require.NoError(t, err)
			assert.Equal(t, "123456", res.TransactionID)
			assert.Equal(t, 1, got.n)
			assert.Equal(t, http.MethodPost, got.method)
			assert.Equal(t, testBase+"/integrators/payments/debts/pay", got.url)
			assert.Equal(t, tc.body, got.body)
			assertHeaders(t, &got, true)
		})
	}
}

func TestPayDebtStringTransactionID(t *testing.T) {
	c, mt := mockClient(t)
	var got captured
	mt.RegisterResponder(http.MethodPost, testBase+"/integrators/payments/debts/pay",
		record(&got, 200, `{"data":{"transactionId":"223IN1233"}}`))
	res, err := c.PayDebt(context.Background(), &PayDebtRequest{RoomNumber: "IG00001", PaymentID: "IN0001"})
	require.NoError(t, err)
	assert.Equal(t, "223IN1233", res.TransactionID)
}

func TestTopUpWire(t *testing.T) {
	c, mt := mockClient(t)
	var got captured
	mt.RegisterResponder(http.MethodPost, testBase+"/integrators/payments/balance/top-up", record(&got, 200, seedPayReply))
	res, err := c.TopUpBalance(context.Background(), &TopUpRequest{RoomNumber: "IG00001", Amount: 100, PaymentID: "IN0001"})
	require.NoError(t, err)
	assert.Equal(t, "123456", res.TransactionID)
	assert.Equal(t, http.MethodPost, got.method)
	assert.Equal(t, testBase+"/integrators/payments/balance/top-up", got.url)
	assert.Equal(t, `{"roomNumber":"IG00001","amount":100,"paymentId":"IN0001"}`, got.body)
	assertHeaders(t, &got, true)
}

// The documented debt-detail reply, with the capitalised service type of
// Inex's example.
const docDebtReply = `{"data":{"totalDebt":1500,"currency":"GEL","invoices":[
{"invoiceNumber":"INV-52446","amount":1000,"earnableBonus":79,"serviceType":"Transportation"},
{"invoiceNumber":"INV-52447","amount":"500","earnableBonus":null,"serviceType":"HOMEDELIVERY"},
{"invoiceNumber":52448,"amount":0,"earnableBonus":0,"serviceType":"storage"}]}}`

func TestDebtDetailWire(t *testing.T) {
	c, mt := mockClient(t)
	var got captured
	mt.RegisterResponder(http.MethodGet, testBase+"/integrators/payments/debts/detail", record(&got, 200, docDebtReply))
	d, err := c.DebtDetail(context.Background(), &DebtDetailRequest{RoomNumber: "IG 1/2", WaybillNumber: "TY7200934421231"})
	require.NoError(t, err)
	assert.Equal(t, http.MethodGet, got.method)
	assert.Equal(t, testBase+"/integrators/payments/debts/detail?roomNumber=IG+1%2F2&waybillNumber=TY7200934421231", got.url)
	assert.Empty(t, got.body)
	assertHeaders(t, &got, false)

	assert.Equal(t, int64(1500), d.TotalDebt)
	assert.Equal(t, "GEL", d.Currency)
	require.Len(t, d.Invoices, 3)
	assert.Equal(t, Invoice{InvoiceNumber: "INV-52446", Amount: 1000, EarnableBonus: 79, ServiceType: ServiceTransportation}, d.Invoices[0])
	assert.Equal(t, Invoice{InvoiceNumber: "INV-52447", Amount: 500, ServiceType: ServiceHomeDelivery}, d.Invoices[1])
	assert.Equal(t, ServiceType("storage"), d.Invoices[2].ServiceType)
	assert.Equal(t, "52448", d.Invoices[2].InvoiceNumber)
	assert.False(t, d.Invoices[2].ServiceType.Known())
	assert.True(t, d.Invoices[0].ServiceType.Known())
	assert.True(t, ServiceType("INSURANCE").Is(ServiceInsurance))
	assert.False(t, ServiceInsurance.Is(ServiceOrderStatement))
}

func TestCustomerWire(t *testing.T) {
	c, mt := mockClient(t)
	var got captured
	mt.RegisterResponder(http.MethodGet, testBase+"/integrators/users/detail/IG00001", record(&got, 200, `{
"data": {
"roomNumber": "IG00001",
"balance": 157,
"bonus": 0,
"fullNameKa": "სახელი გვარი",
"fullNameEn": "Name Lastname"
}
}`))
	cu, err := c.Customer(context.Background(), "IG00001")
	require.NoError(t, err)
	assert.Equal(t, &Customer{RoomNumber: "IG00001", Balance: 157, Bonus: 0, FullNameKa: "სახელი გვარი", FullNameEn: "Name Lastname"}, cu)
	assert.Equal(t, http.MethodGet, got.method)
	assert.Equal(t, testBase+"/integrators/users/detail/IG00001", got.url)
	assertHeaders(t, &got, false)
}

func TestCustomerPathEscaped(t *testing.T) {
	c, mt := mockClient(t)
	var got captured
	mt.RegisterResponder(http.MethodGet, `=~^https://api\.example\.ge/api/v1/integrators/users/detail/`, record(&got, 200, `{"data":{"roomNumber":"IG 01"}}`))
	_, err := c.Customer(context.Background(), "IG 01")
	require.NoError(t, err)
	assert.Equal(t, testBase+"/integrators/users/detail/IG%2001", got.url)
}

func TestWalletWire(t *testing.T) {
	c, mt := mockClient(t)
	var got captured
	// The documented example sends numbers; the table says strings of cents.
	mt.RegisterResponder(http.MethodGet, testBase+"/integrators/payments/wallet/IG00001", record(&got, 200,
		`{"data":[{"amount":0,"currency":"USD"},{"amount":"150","currency":"EUR"},{"amount":0,"currency":"GBP"}]}`))
	w, err := c.Wallet(context.Background(), "IG00001")
	require.NoError(t, err)
	assert.Equal(t, []WalletBalance{{0, "USD"}, {150, "EUR"}, {0, "GBP"}}, w)
	assert.Equal(t, http.MethodGet, got.method)
	assert.Equal(t, testBase+"/integrators/payments/wallet/IG00001", got.url)
	assertHeaders(t, &got, false)
}

// The documented error bodies.
const (
	doc403 = `{
"errors": {
"general": [
"You are not authorized to perform this action. Contact administrator."
]
},
"message": "error"
}`
	doc404 = `{"errors":{"general":["Requested customer not found"]},"message":"error"}`
	doc422 = `{
"message": "The room number field is required when waybill number is not present. (and 1 more error)",
"errors": {
"roomNumber": [
"The room number field is required when waybill number is not present."
],
"waybillNumber": [
"The waybill number field is required when room number is not present."
]
}
}`
	doc422Amount = `{"message":"The amount field must be at least 1.","errors":{"amount":["The amount field must be at least 1."]}}`
)

func TestDocumentedErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		status  int
		body    string
		kind    error
		message string
		general []string
		fields  map[string][]string
		text    string
	}{
		{"403", 403, doc403, ErrUnauthorized, "error",
			[]string{"You are not authorized to perform this action. Contact administrator."}, nil,
			"inex: POST /integrators/payments/debts/pay: unauthorized (HTTP 403): \"You are not authorized to perform this action. Contact administrator.\""},
		{"404", 404, doc404, ErrNotFound, "error", []string{"Requested customer not found"}, nil,
			"inex: POST /integrators/payments/debts/pay: not found (HTTP 404): \"Requested customer not found\""},
		{"422", 422, doc422, ErrValidation,
			"The room number field is required when waybill number is not present. (and 1 more error)", nil,
			map[string][]string{
				"roomNumber":    {"The room number field is required when waybill number is not present."},
				"waybillNumber": {"The waybill number field is required when room number is not present."},
			},
			"inex: POST /integrators/payments/debts/pay: rejected by provider validation (HTTP 422): \"" +
				"roomNumber: The room number field is required when waybill number is not present.; " +
				"waybillNumber: The waybill number field is required when room number is not present.\""},
		{"422 amount", 422, doc422Amount, ErrValidation, "The amount field must be at least 1.", nil,
			map[string][]string{"amount": {"The amount field must be at least 1."}},
			"inex: POST /integrators/payments/debts/pay: rejected by provider validation (HTTP 422): \"amount: The amount field must be at least 1.\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := mockClient(t)
			var got captured
			mt.RegisterResponder(http.MethodPost, testBase+"/integrators/payments/debts/pay", record(&got, tc.status, tc.body))
			_, err := c.PayDebt(context.Background(), &PayDebtRequest{RoomNumber: "IG00001", PaymentID: "INV0001"})
			require.Error(t, err)
			assert.Equal(t, 1, got.n, "4xx is not retried")
			assert.ErrorIs(t, err, tc.kind)
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.status, e.StatusCode)
			assert.Equal(t, tc.message, e.Message)
			assert.Equal(t, tc.general, e.General)
			assert.Equal(t, tc.fields, e.Fields)
			assert.Equal(t, 1, e.Attempts)
			assert.Equal(t, http.MethodPost, e.Method)
			assert.Equal(t, "/integrators/payments/debts/pay", e.Path)
			assert.NotEmpty(t, e.Body)
			assert.Equal(t, tc.text, err.Error())
			assert.NotContains(t, err.Error(), "secret-token")
		})
	}
}

func TestBadServerReplies(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		kind   error
		text   string // part of the message
	}{
		{"html error page", 502, "<html><body><h1>502 Bad Gateway</h1></body></html>", ErrServer, `body: "<html>`},
		{"html 200", 200, "<!DOCTYPE html><html>login</html>", ErrUnexpectedResponse, "undecodable reply"},
		{"empty 200", 200, "", ErrUnexpectedResponse, "undecodable reply"},
		{"empty 404", 404, "", ErrNotFound, "not found (HTTP 404)"},
		{"truncated", 200, `{"data":{"transactionId":12`, ErrUnexpectedResponse, "undecodable reply"},
		{"bare string 200", 200, `"ok"`, ErrUnexpectedResponse, "undecodable reply"},
		{"bare string 400", 400, `"bad things"`, ErrValidation, "bad things"},
		{"null data", 200, `{"data":null}`, ErrUnexpectedResponse, "reply has no data"},
		{"errors on 200", 200, doc404, ErrUnexpectedResponse, "errors instead of data"},
		{"no transaction id", 200, `{"data":{}}`, ErrUnexpectedResponse, "no transactionId"},
		{"null transaction id", 200, `{"data":{"transactionId":null}}`, ErrUnexpectedResponse, "no transactionId"},
		{"object transaction id", 200, `{"data":{"transactionId":{"a":1}}}`, ErrUnexpectedResponse, "undecodable reply"},
		{"data array", 200, `{"data":[1]}`, ErrUnexpectedResponse, "undecodable reply"},
		{"wrong shape 422", 422, `{"errors":[1,"x"],"message":7}`, ErrValidation, "HTTP 422"},
		{"odd 3xx", 302, `<a href="/login">`, ErrUnexpectedResponse, "HTTP 302"},
		{"rate limited", 429, `{"message":"Too Many Attempts."}`, ErrRateLimited, "Too Many Attempts."},
		{"conflict", 409, `{"message":"error","errors":{"general":"locked"}}`, ErrConflict, "locked"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := mockClient(t, WithRetry(1, time.Millisecond, time.Millisecond))
			var got captured
			mt.RegisterResponder(http.MethodPost, testBase+"/integrators/payments/debts/pay", record(&got, tc.status, tc.body))
			res, err := c.PayDebt(context.Background(), &PayDebtRequest{RoomNumber: "IG00001", PaymentID: "INV0001"})
			assert.Nil(t, res)
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.kind)
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.status, e.StatusCode)
			assert.Contains(t, err.Error(), tc.text)
			assert.LessOrEqual(t, len(e.Body), 512)
		})
	}
}

func TestReadsRejectBadReplies(t *testing.T) {
	c, mt := mockClient(t)
	mt.RegisterResponder(http.MethodGet, testBase+"/integrators/payments/wallet/IG00001",
		httpmock.NewStringResponder(200, `{"data":{"amount":"1.5","currency":"USD"}}`))
	mt.RegisterResponder(http.MethodGet, testBase+"/integrators/users/detail/IG00001",
		httpmock.NewStringResponder(200, `{"data":{"balance":1.57}}`))
	mt.RegisterResponder(http.MethodGet, testBase+"/integrators/payments/debts/detail",
		httpmock.NewStringResponder(200, `{"data":{"totalDebt":"lots"}}`))
	_, err := c.Wallet(context.Background(), "IG00001")
	assert.ErrorIs(t, err, ErrUnexpectedResponse)
	_, err = c.Customer(context.Background(), "IG00001")
	assert.ErrorIs(t, err, ErrUnexpectedResponse, "a fractional tetri amount is refused, never truncated")
	_, err = c.DebtDetail(context.Background(), &DebtDetailRequest{RoomNumber: "IG00001"})
	assert.ErrorIs(t, err, ErrUnexpectedResponse)
}

func TestRetriesServerErrors(t *testing.T) {
	c, mt := mockClient(t)
	calls := 0
	var bodies []string
	mt.RegisterResponder(http.MethodPost, testBase+"/integrators/payments/debts/pay", func(req *http.Request) (*http.Response, error) {
		calls++
		b, _ := io.ReadAll(req.Body)
		bodies = append(bodies, string(b))
		if calls < 3 {
			return httpmock.NewStringResponse(503, "<html>maintenance</html>"), nil
		}
		return httpmock.NewStringResponse(200, seedPayReply), nil
	})
	res, err := c.PayDebt(context.Background(), &PayDebtRequest{RoomNumber: "IG00001", PaymentID: "INV0001"})
	require.NoError(t, err)
	assert.Equal(t, "123456", res.TransactionID)
	assert.Equal(t, 3, calls)
	for _, b := range bodies {
		assert.Equal(t, `{"roomNumber":"IG00001","paymentId":"INV0001"}`, b, "every retry sends the same payment id")
	}
}

func TestRetriesNetworkErrorsThenGivesUp(t *testing.T) {
	c, mt := mockClient(t)
	calls := 0
	mt.RegisterResponder(http.MethodPost, testBase+"/integrators/payments/debts/pay", func(*http.Request) (*http.Response, error) {
		calls++
		return nil, errors.New("connection reset by peer")
	})
	_, err := c.PayDebt(context.Background(), &PayDebtRequest{RoomNumber: "IG00001", PaymentID: "INV0001"})
	require.Error(t, err)
	assert.Equal(t, 4, calls, "an idempotent call retries a network failure")
	assert.ErrorIs(t, err, ErrNetwork)
	// every attempt may have reached Inex: the payment may have been made,
	// and repeating it with the same paymentId is safe
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.True(t, SafeToRepeat(err))
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 4, e.Attempts)
	assert.Equal(t, 0, e.StatusCode)
	assert.Contains(t, err.Error(), "after 4 attempts")
	assert.Contains(t, err.Error(), "connection reset by peer")
}

func TestContextErrorsStayReachable(t *testing.T) {
	c, mt := mockClient(t)
	mt.RegisterResponder(http.MethodGet, testBase+"/integrators/users/detail/IG00001", httpmock.NewStringResponder(200, `{}`))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Customer(ctx, "IG00001")
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	var e *Error
	assert.ErrorAs(t, err, &e)
}
