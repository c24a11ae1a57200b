package activeplatform

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	testBase   = "https://test.activeplatform.com/proxy/"
	testToken  = "vY5fwetestK3gJXZH5uHCw"
	paymentURL = "https://test.activeplatform.com/proxy/api/v3/resellers/1/payments/6475"
)

// recorded is one request a responder saw.
type recorded struct {
	Method string
	URL    string
	Header http.Header
	Body   string
}

type recorder struct {
	mu   sync.Mutex
	reqs []recorded
}

func (r *recorder) add(req *http.Request) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs = append(r.reqs, recorded{Method: req.Method, URL: req.URL.String(), Header: req.Header.Clone(), Body: string(body)})
}

func (r *recorder) all() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.reqs...)
}

// reply records each request and answers with the next of the given
// status/body pairs (the last one repeats).
func (r *recorder) reply(replies ...reply) httpmock.Responder {
	var mu sync.Mutex
	n := 0
	return func(req *http.Request) (*http.Response, error) {
		r.add(req)
		mu.Lock()
		rp := replies[min(n, len(replies)-1)]
		n++
		mu.Unlock()
		if rp.err != nil {
			return nil, rp.err
		}
		resp := httpmock.NewStringResponse(rp.status, rp.body)
		resp.Header.Set("Content-Type", "application/vnd.api+json")
		for k, v := range rp.header {
			resp.Header.Set(k, v)
		}
		return resp, nil
	}
}

type reply struct {
	status int
	body   string
	header map[string]string
	err    error
}

func newMocked(t *testing.T, opts ...Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Fatal))
	all := append([]Option{WithHTTPClient(&http.Client{Transport: mt}),
		WithRetry(3, time.Millisecond, 5*time.Millisecond)}, opts...)
	c, err := NewClient(testToken, append([]Option{WithBaseURL(testBase)}, all...)...)
	require.NoError(t, err)
	return c, mt
}

func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return string(b)
}

func assertJSONAPIHeaders(t *testing.T, r recorded, withBody bool) {
	t.Helper()
	assert.Equal(t, testToken, r.Header.Get("X-Api-Token"))
	assert.Equal(t, "application/vnd.api+json", r.Header.Get("Accept"))
	assert.True(t, strings.HasPrefix(r.Header.Get("User-Agent"), "caravan-go/"), r.Header.Get("User-Agent"))
	// Every method table marks Content-Type required, GETs included.
	assert.Equal(t, []string{"application/vnd.api+json"}, r.Header.Values("Content-Type"))
	if withBody {
		checkJSONAPIRequest(t, r)
	} else {
		assert.Empty(t, r.Body)
	}
}

func TestCompletePaymentWire(t *testing.T) {
	c, mt := newMocked(t)
	var rec recorder
	mt.RegisterResponder("PATCH", paymentURL, rec.reply(reply{status: 200, body: fixture(t, "complete_payment_response.json")}))

	p, err := c.CompletePayment(context.Background(), &CompletePaymentRequest{ResellerID: 1, PaymentID: 6475, PaymentMethodID: 2})
	require.NoError(t, err)
	reqs := rec.all()
	require.Len(t, reqs, 1)
	assert.Equal(t, "PATCH", reqs[0].Method)
	assert.Equal(t, paymentURL, reqs[0].URL)
	assert.Equal(t, `{"data":{"type":"payments","id":"6475","attributes":{"payment_method_id":2}}}`, reqs[0].Body)
	assertJSONAPIHeaders(t, reqs[0], true)
	assert.Equal(t, int64(6475), p.ID)
	assert.Equal(t, PaymentCompleted, p.Status)
}

func TestSeedResponseDecodesFieldByField(t *testing.T) {
	p, err := DecodePayment([]byte(fixture(t, "complete_payment_response.json")))
	require.NoError(t, err)
	msk := time.FixedZone("", 3*60*60)
	assert.Equal(t, int64(6475), p.ID)
	assert.True(t, p.CreatedAt.Equal(time.Date(2019, 11, 1, 4, 30, 47, 797788000, msk)), p.CreatedAt)
	_, off := p.CreatedAt.Zone()
	assert.Equal(t, 3*60*60, off)
	assert.True(t, p.UpdatedAt.Equal(time.Date(2019, 11, 1, 4, 34, 42, 986099000, msk)))
	assert.Equal(t, int64(505), p.AccountID)
	assert.Equal(t, Decimal("0.0"), p.DiscountAmount)
	assert.Equal(t, Decimal("99.0"), p.Total)
	assert.Equal(t, "USD", p.CurrencyCode)
	assert.Equal(t, "cash", p.Comment)
	assert.Equal(t, PaymentCompleted, p.Status)
	assert.Equal(t, "2005258", p.DocumentID)
	assert.Nil(t, p.ExpirationDate)
	assert.Equal(t, int64(2), p.PaymentMethodID)
	assert.Equal(t, "10.0.0.203", p.RequesterIP)
	assert.Equal(t, int64(234), p.ManagerID)
	assert.Equal(t, "", p.Purpose)
	assert.Equal(t, Decimal(""), p.ExternalTotal)
	assert.Equal(t, "", p.ExternalCurrency)
	assert.Nil(t, p.DueDate)
	assert.Equal(t, "Cash", p.PaymentMethodName)
	require.NotNil(t, p.ClosedAt)
	assert.True(t, p.ClosedAt.Equal(time.Date(2019, 11, 1, 4, 34, 42, 986099000, msk)))
	assert.Equal(t, Decimal(""), p.InitialTotal)
	assert.Equal(t, Decimal(""), p.AmountPaidFromBalance)
	assert.Equal(t, PaymentRelationships{ResellerID: "1", AccountID: "505", PaymentMethodID: "2"}, p.Relationships)
	assert.Nil(t, p.Included)
	r, ok := p.Total.Rat()
	require.True(t, ok)
	assert.Equal(t, "99", r.RatString())
}

// The cancel page's reply example: status cancelled, an unpadded
// document_id, no charges relationship, null amounts and ids.
func TestCancelReplyExampleDecodes(t *testing.T) {
	p, err := DecodePayment([]byte(fixture(t, "cancel_payment_response.json")))
	require.NoError(t, err)
	assert.Equal(t, int64(6476), p.ID)
	assert.Equal(t, PaymentCancelled, p.Status)
	assert.False(t, p.Status.Completable())
	assert.Equal(t, "2005259", p.DocumentID)
	assert.Equal(t, Decimal("199.99"), p.Total)
	assert.Equal(t, Decimal("199.99"), p.InitialTotal)
	assert.Equal(t, Decimal(""), p.AmountPaidFromBalance)
	assert.Equal(t, "top-up payment", p.Comment)
	assert.Equal(t, int64(0), p.PaymentMethodID)
	assert.Equal(t, "", p.RequesterIP)
	require.NotNil(t, p.ClosedAt)
	assert.True(t, p.ClosedAt.Equal(time.Date(2019, 11, 1, 7, 56, 50, 520553000, time.FixedZone("", 3*60*60))))
	assert.Nil(t, p.Relationships.Charges, "the charges relationship is absent")
	assert.Equal(t, PaymentRelationships{ResellerID: "1", AccountID: "505"}, p.Relationships)
}

func TestDecodePaymentQuirks(t *testing.T) {
	body := `{"data":{"id":6475,"type":"payments","attributes":{
		"created_at":"2019-11-01T04:30:47+03:00","updated_at":null,"closed_at":"",
		"due_date":"2019-12-01T00:00:00.5+0300","account_id":"505","manager_id":null,
		"payment_method_id":"2","total":99.5,"initial_total":"100.00","amount_paid_from_balance":"0.50",
		"document_id":2018,"status":"refunded_somehow","comment":"caf\u00e9","currency_code":"EUR",
		"external_total":"1.10","external_currency":"USD"},
		"relationships":{"orders":{"data":[{"id":"7","type":"orders"},{"id":8,"type":"orders"}]},
		"charges":{"data":[{"id":"9","type":"charges"}]},"invoices":{"data":null},
		"reseller":{"data":null},"payment_method":{"data":{"id":"2","type":"payment_methods"}}}},
		"included":[{"id":"2","type":"payment_methods","attributes":{"name":"Cash"}}]}`
	p, err := DecodePayment([]byte(body))
	require.NoError(t, err)
	assert.Equal(t, int64(6475), p.ID)
	assert.True(t, p.UpdatedAt.IsZero())
	assert.Nil(t, p.ClosedAt)
	require.NotNil(t, p.DueDate)
	assert.Equal(t, 500*time.Millisecond, time.Duration(p.DueDate.Nanosecond()))
	assert.Equal(t, int64(505), p.AccountID)
	assert.Equal(t, int64(0), p.ManagerID)
	assert.Equal(t, Decimal("99.5"), p.Total)
	assert.Equal(t, Decimal("100.00"), p.InitialTotal)
	assert.Equal(t, Decimal("0.50"), p.AmountPaidFromBalance)
	assert.Equal(t, "2018", p.DocumentID, "a numeric document id keeps its text (its zero padding is already lost)")
	assert.Equal(t, PaymentStatus("refunded_somehow"), p.Status)
	assert.False(t, p.Status.Completable())
	assert.Equal(t, "café", p.Comment)
	assert.Equal(t, Decimal("1.10"), p.ExternalTotal)
	assert.Equal(t, "USD", p.ExternalCurrency)
	assert.Equal(t, []string{"7", "8"}, p.Relationships.Orders)
	assert.Equal(t, []string{"9"}, p.Relationships.Charges)
	assert.Nil(t, p.Relationships.Invoices)
	assert.Equal(t, "", p.Relationships.ResellerID)
	require.Len(t, p.Included, 1)
	assert.Equal(t, "payment_methods", p.Included[0].Type)
	assert.JSONEq(t, `{"name":"Cash"}`, string(p.Included[0].Attributes))
}

func TestDecodePaymentRejects(t *testing.T) {
	for name, body := range map[string]string{
		"empty":         ``,
		"html":          `<html><body>502 Bad Gateway</body></html>`,
		"truncated":     `{"data":{"id":"6475","type":"payments","attributes":{"total":"99`,
		"bare string":   `"oops"`,
		"no data":       `{"meta":{}}`,
		"errors":        `{"errors":[{"status":"422","title":"x"}]}`,
		"wrong type":    `{"data":{"id":"1","type":"invoices"}}`,
		"no id":         `{"data":{"type":"payments","attributes":{}}}`,
		"bad total":     `{"data":{"id":"1","attributes":{"total":"ninety"}}}`,
		"bad time":      `{"data":{"id":"1","attributes":{"created_at":"yesterday"}}}`,
		"time number":   `{"data":{"id":"1","attributes":{"created_at":5}}}`,
		"fraction id":   `{"data":{"id":"1","attributes":{"account_id":1.5}}}`,
		"object string": `{"data":{"id":"1","attributes":{"status":{}}}}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := DecodePayment([]byte(body))
			assert.Error(t, err)
		})
	}
}

func TestGetPaymentWire(t *testing.T) {
	c, mt := newMocked(t)
	var rec recorder
	mt.RegisterResponder("GET", paymentURL, rec.reply(reply{status: 200, body: fixture(t, "complete_payment_response.json")}))
	_, err := c.GetPayment(context.Background(), 1, 6475, IncludeInvoices, IncludePaymentMethod)
	require.NoError(t, err)
	reqs := rec.all()
	require.Len(t, reqs, 1)
	assert.Equal(t, paymentURL+"?include=invoices%2Cpayment_method", reqs[0].URL)
	assert.Equal(t, "", reqs[0].Body)
	assertJSONAPIHeaders(t, reqs[0], false)
}

func TestCompletePaymentByDocumentWire(t *testing.T) {
	c, mt := newMocked(t)
	var rec recorder
	mt.RegisterResponder("POST", "https://test.activeplatform.com/proxy/api/v3/resellers/1/payments/002018",
		rec.reply(reply{status: 200, body: fixture(t, "complete_payment_response.json")}))
	p, err := c.CompletePaymentByDocument(context.Background(), 1, &CompleteByDocumentRequest{
		DocumentID: "002018", PaymentMethodID: 2, Amount: "99.0", CurrencyCode: "usd", ExternalTransactionID: "tx-1",
	})
	require.NoError(t, err)
	assert.Equal(t, int64(6475), p.ID)
	reqs := rec.all()
	require.Len(t, reqs, 1)
	assert.Equal(t, `{"data":{"type":"payments","attributes":{"payment_method_id":2,"amount":99.0,"currency_code":"USD","external_transaction_id":"tx-1"}}}`, reqs[0].Body)
	assertJSONAPIHeaders(t, reqs[0], true)
}

func TestCreatePaymentWire(t *testing.T) {
	c, mt := newMocked(t)
	var rec recorder
	mt.RegisterResponder("POST", "https://test.activeplatform.com/proxy/api/v3/resellers/1/payments",
		rec.reply(reply{status: 201, body: fixture(t, "complete_payment_response.json")}))
	_, err := c.CreatePayment(context.Background(), 1, &CreatePaymentRequest{AccountID: 505, Total: "99.0", Comment: "cash"})
	require.NoError(t, err)
	reqs := rec.all()
	require.Len(t, reqs, 1)
	assert.Equal(t, `{"data":{"type":"payments","attributes":{"account_id":505,"total":99.0,"comment":"cash"}}}`, reqs[0].Body)
	assertJSONAPIHeaders(t, reqs[0], true)
}

func TestCreatePaymentIsNotRetriedAfterSending(t *testing.T) {
	c, mt := newMocked(t)
	var rec recorder
	mt.RegisterResponder("POST", "https://test.activeplatform.com/proxy/api/v3/resellers/1/payments",
		rec.reply(reply{status: 502, body: "<html>bad gateway</html>"}))
	_, err := c.CreatePayment(context.Background(), 1, &CreatePaymentRequest{AccountID: 505, Total: "1", Comment: "c"})
	require.Error(t, err)
	assert.Len(t, rec.all(), 1)
	assert.ErrorIs(t, err, ErrServer)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
}

func TestListPaymentsWire(t *testing.T) {
	c, mt := newMocked(t)
	var rec recorder
	mt.RegisterResponder("GET", "https://test.activeplatform.com/proxy/api/v3/resellers/1/payments",
		rec.reply(reply{status: 200, body: `{"data":[],"links":{"self":{"href":"/x"},"next":null},"meta":{"total_count":0}}`}))
	after := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	page, err := c.ListPayments(context.Background(), 1, &ListOptions{PageSize: 10, PageNumber: 2, Sort: "-created_at",
		CreatedAfter: after, Status: PaymentCompleted, Filter: map[string]string{"account_id": "505"}})
	require.NoError(t, err)
	assert.Empty(t, page.Payments)
	assert.Equal(t, "/x", page.Links.Self)
	assert.JSONEq(t, `{"total_count":0}`, string(page.Meta))
	reqs := rec.all()
	require.Len(t, reqs, 1)
	assert.Equal(t, "https://test.activeplatform.com/proxy/api/v3/resellers/1/payments?"+
		"filter%5Baccount_id%5D=505&filter%5Bcreated_at%5D%5Bgt%5D=2024-05-01T10%3A00%3A00Z&filter%5Bstatus%5D=completed&"+
		"page%5Bnumber%5D=2&page%5Bsize%5D=10&sort=-created_at", reqs[0].URL)
	assertJSONAPIHeaders(t, reqs[0], false)

	_, err = c.ListPayments(context.Background(), 1, nil)
	require.NoError(t, err)
	assert.Equal(t, "https://test.activeplatform.com/proxy/api/v3/resellers/1/payments", rec.all()[1].URL)
}

func TestListFilterTimesKeepMicroseconds(t *testing.T) {
	c, mt := newMocked(t)
	var rec recorder
	mt.RegisterResponder("GET", "https://test.activeplatform.com/proxy/api/v3/resellers/1/payments",
		rec.reply(reply{status: 200, body: `{"data":[]}`}))
	msk := time.FixedZone("", 3*60*60)
	_, err := c.ListPayments(context.Background(), 1, &ListOptions{
		CreatedAfter:  time.Date(2017, 10, 4, 15, 12, 1, 558009000, msk),
		CreatedBefore: time.Date(2017, 10, 4, 15, 12, 2, 558009001, msk)})
	require.NoError(t, err)
	q := rec.all()[0]
	u, err := url.Parse(q.URL)
	require.NoError(t, err)
	assert.Equal(t, "2017-10-04T15:12:01.558009+03:00", u.Query().Get("filter[created_at][gt]"), "the document's example, to the microsecond")
	assert.Equal(t, "2017-10-04T15:12:02.55801+03:00", u.Query().Get("filter[created_at][lt]"), "an lt bound is rounded up to the next microsecond")
}

func TestGetResellerWire(t *testing.T) {
	c, mt := newMocked(t)
	var rec recorder
	mt.RegisterResponder("GET", "https://test.activeplatform.com/proxy/api/v3/resellers/2",
		rec.reply(reply{status: 200, body: `{"data":{"id":"2","type":"resellers","attributes":{"parent_id":1,
			"general":{"name":"Sub","domain":"sub.example.com","manager":{"id":3},"currency":"EUR"},
			"company":{"inn":"7700000000"},"extra":true}}}`}))
	r, err := c.GetReseller(context.Background(), 2)
	require.NoError(t, err)
	assert.Equal(t, int64(2), r.ID)
	assert.Equal(t, int64(1), r.ParentID)
	assert.Equal(t, "Sub", r.General.Name)
	assert.Equal(t, "sub.example.com", r.General.Domain)
	assert.Equal(t, "", r.General.Manager, "an object manager is kept only in Raw")
	assert.Contains(t, string(r.General.Raw), `"manager":{"id":3}`)
	assert.Equal(t, "EUR", r.General.Currency)
	assert.JSONEq(t, `{"inn":"7700000000"}`, string(r.Company))
	assert.Contains(t, string(r.Attributes), `"extra":true`)
	reqs := rec.all()
	require.Len(t, reqs, 1)
	assertJSONAPIHeaders(t, reqs[0], false)
}

func TestDecodeResellerRejects(t *testing.T) {
	for name, body := range map[string]string{
		"html":        `<html>`,
		"errors":      `{"errors":{"title":"no","status":"404"}}`,
		"no data":     `{}`,
		"wrong type":  `{"data":{"id":"1","type":"payments"}}`,
		"bad attrs":   `{"data":{"id":"1","attributes":[]}}`,
		"bad parent":  `{"data":{"id":"1","attributes":{"parent_id":{}}}}`,
		"bad general": `{"data":{"id":"1","attributes":{"general":"x"}}}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := DecodeReseller([]byte(body))
			assert.Error(t, err)
		})
	}
	r, err := DecodeReseller([]byte(`{"data":{"id":"1","type":"resellers","attributes":{"parent_id":null,"general":null}}}`))
	require.NoError(t, err)
	assert.Equal(t, int64(0), r.ParentID)
	assert.Nil(t, r.Company)
}

func TestErrorDocuments(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		body      string
		kind      error
		message   string
		objects   []ErrorObject
		notCompl  bool
		inErrText string
	}{
		{name: "seed 422", status: 422, body: fixture(t, "not_completable_422.json"), kind: ErrValidation,
			message:  `Only payments with "waiting for payment/expired" status can be completed.`,
			objects:  []ErrorObject{{Status: "422", Title: `Only payments with "waiting for payment/expired" status can be completed.`}},
			notCompl: true, inErrText: `PATCH /api/v3/resellers/1/payments/6475: rejected by provider validation (HTTP 422): "Only payments with \"waiting for payment/expired\" status can be completed."`},
		{name: "json:api array", status: 422, kind: ErrValidation,
			body:      `{"errors":[{"status":"422","code":"invalid","title":"Invalid attribute","detail":"payment_method_id is invalid","source":{"pointer":"/data/attributes/payment_method_id"}},{"status":422,"title":"Second"}]}`,
			message:   "payment_method_id is invalid",
			objects:   []ErrorObject{{Status: "422", Code: "invalid", Title: "Invalid attribute", Detail: "payment_method_id is invalid", Pointer: "/data/attributes/payment_method_id"}, {Status: "422", Title: "Second"}},
			inErrText: "[invalid] payment_method_id is invalid (/data/attributes/payment_method_id); Second"},
		{name: "401", status: 401, body: `{"errors":[{"status":"401","title":"Unauthorized"}]}`, kind: ErrUnauthorized,
			message: "Unauthorized", objects: []ErrorObject{{Status: "401", Title: "Unauthorized"}}},
		{name: "404", status: 404, body: `{"errors":[{"status":"404","title":"Record not found","source":{"parameter":"id"}}]}`, kind: ErrNotFound,
			message: "Record not found", objects: []ErrorObject{{Status: "404", Title: "Record not found", Pointer: "id"}}},
		{name: "bare string", status: 400, body: `"Payment method is required"`, kind: ErrValidation,
			message: "Payment method is required", inErrText: `(HTTP 400): "Payment method is required"`},
		{name: "errors string", status: 409, body: `{"errors":"locked"}`, kind: ErrConflict, message: "locked",
			objects: []ErrorObject{{Title: "locked"}}},
		{name: "error key", status: 429, body: `{"error":"slow down"}`, kind: ErrRateLimited, message: "slow down",
			objects: []ErrorObject{{Title: "slow down"}}},
		{name: "rails map", status: 422, body: `{"errors":{"total":["is invalid","is too big"],"account_id":["is missing"]}}`, kind: ErrValidation,
			message: "is missing", objects: []ErrorObject{{Detail: "is missing", Pointer: "/data/attributes/account_id"}, {Detail: "is invalid; is too big", Pointer: "/data/attributes/total"}}},
		{name: "message key", status: 500, body: `{"message":"boom"}`, kind: ErrServer, message: "boom"},
		{name: "html", status: 502, body: `<html><body>Bad gateway</body></html>`, kind: ErrServer, inErrText: "Bad gateway"},
		{name: "empty", status: 503, body: ``, kind: ErrServer},
		{name: "truncated", status: 422, body: `{"errors":{"title":"Only payments`, kind: ErrValidation, inErrText: "Only payments"},
		{name: "wrong shape", status: 422, body: `{"errors":42}`, kind: ErrValidation, message: "42"},
		{name: "array of junk", status: 422, body: `{"errors":[1,"x",null,{}]}`, kind: ErrValidation, message: "x", objects: []ErrorObject{{Title: "x"}}},
		{name: "unknown status", status: 418, body: `{}`, kind: ErrUnexpectedResponse},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newMocked(t, WithRetry(0, 0, 0))
			var rec recorder
			mt.RegisterResponder("PATCH", paymentURL, rec.reply(reply{status: tc.status, body: tc.body,
				header: map[string]string{"X-Request-Id": "req-42"}}))
			// after a reply that leaves the outcome unknown the client looks;
			// here the look fails too, so the PATCH's error is returned
			mt.RegisterResponder("GET", paymentURL, httpmock.NewStringResponder(404, `{"errors":[{"title":"gone"}]}`))
			_, err := c.CompletePayment(context.Background(), &CompletePaymentRequest{ResellerID: 1, PaymentID: 6475, PaymentMethodID: 2})
			require.Error(t, err)
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.ErrorIs(t, err, tc.kind)
			assert.Equal(t, tc.status, e.StatusCode)
			assert.Equal(t, tc.message, e.Message)
			assert.Equal(t, tc.objects, e.Errors)
			assert.Equal(t, "req-42", e.RequestID)
			assert.Equal(t, 1, e.Attempts)
			assert.Equal(t, "PATCH", e.Method)
			assert.Equal(t, "/api/v3/resellers/1/payments/6475", e.Path)
			assert.Equal(t, errors.Is(err, ErrNotCompletable), tc.notCompl)
			assert.True(t, strings.HasPrefix(err.Error(), "activeplatform: "), err.Error())
			assert.Contains(t, err.Error(), tc.inErrText)
			assert.NotContains(t, err.Error(), testToken)
			if tc.body != "" {
				assert.NotEmpty(t, e.Body)
			}
		})
	}
}

func TestErrorDocumentInSuccessfulReply(t *testing.T) {
	c, mt := newMocked(t)
	var rec recorder
	mt.RegisterResponder("GET", paymentURL, rec.reply(reply{status: 200,
		body: `{"errors":[{"status":"404","title":"Record not found"}]}`}))
	_, err := c.GetPayment(context.Background(), 1, 6475)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.ErrorIs(t, err, ErrNotFound)
	assert.Equal(t, 200, e.StatusCode)
	assert.Equal(t, "Record not found", e.Message)

	mt.RegisterResponder("GET", paymentURL, rec.reply(reply{status: 200, body: `<html>login</html>`}))
	_, err = c.GetPayment(context.Background(), 1, 6475)
	require.ErrorAs(t, err, &e)
	assert.ErrorIs(t, err, ErrUnexpectedResponse)
	assert.Equal(t, "<html>login</html>", e.Body)
	assert.Contains(t, err.Error(), "<html>login</html>")
}

func TestRetriesOnServerErrorThenSucceeds(t *testing.T) {
	c, mt := newMocked(t)
	var rec recorder
	mt.RegisterResponder("GET", paymentURL, rec.reply(
		reply{status: 503, body: "busy", header: map[string]string{"Retry-After": "0"}},
		reply{status: 200, body: fixture(t, "complete_payment_response.json")}))
	p, err := c.GetPayment(context.Background(), 1, 6475)
	require.NoError(t, err)
	assert.Equal(t, int64(6475), p.ID)
	assert.Len(t, rec.all(), 2)
}

func TestNetworkErrorIsTyped(t *testing.T) {
	c, mt := newMocked(t)
	var rec recorder
	mt.RegisterResponder("GET", paymentURL, rec.reply(reply{err: errors.New("connection reset by peer")}))
	_, err := c.GetPayment(context.Background(), 1, 6475)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.ErrorIs(t, err, ErrNetwork)
	assert.Equal(t, 0, e.StatusCode)
	assert.Equal(t, 4, e.Attempts)
	assert.Len(t, rec.all(), 4)
	assert.Contains(t, err.Error(), "activeplatform: GET /api/v3/resellers/1/payments/6475")
}

func TestContextCancelIsReachable(t *testing.T) {
	c, mt := newMocked(t)
	var rec recorder
	mt.RegisterResponder("GET", paymentURL, rec.reply(reply{status: 500, body: "x"}))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.GetPayment(ctx, 1, 6475)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	var e *Error
	assert.ErrorAs(t, err, &e)
}

func TestValidation(t *testing.T) {
	c, _ := newMocked(t) // no responder: any request fails the test
	ctx := context.Background()
	good := func() *CompleteByDocumentRequest {
		return &CompleteByDocumentRequest{DocumentID: "002018", PaymentMethodID: 2, Amount: "99.0",
			CurrencyCode: "USD", ExternalTransactionID: "tx"}
	}
	cases := []struct {
		field string
		call  func() error
	}{
		{"reseller_id", func() error {
			_, err := c.CompletePayment(ctx, &CompletePaymentRequest{ResellerID: 0, PaymentID: 6475, PaymentMethodID: 2})
			return err
		}},
		{"payment_id", func() error {
			_, err := c.CompletePayment(ctx, &CompletePaymentRequest{ResellerID: 1, PaymentID: -1, PaymentMethodID: 2})
			return err
		}},
		{"payment_method_id", func() error {
			_, err := c.CompletePayment(ctx, &CompletePaymentRequest{ResellerID: 1, PaymentID: 6475, PaymentMethodID: 0})
			return err
		}},
		{"request", func() error { _, err := c.CompletePayment(ctx, nil); return err }},
		{"reseller_id", func() error { _, err := c.GetPayment(ctx, -5, 1); return err }},
		{"payment_id", func() error { _, err := c.GetPayment(ctx, 1, 0); return err }},
		{"include", func() error { _, err := c.GetPayment(ctx, 1, 1, Include("x&y")); return err }},
		{"include", func() error { _, err := c.GetPayment(ctx, 1, 1, Include("")); return err }},
		{"reseller_id", func() error { _, err := c.GetReseller(ctx, 0); return err }},
		{"reseller_id", func() error { _, err := c.ListPayments(ctx, 0, nil); return err }},
		{"page[size]", func() error { _, err := c.ListPayments(ctx, 1, &ListOptions{PageSize: -1}); return err }},
		{"page[number]", func() error { _, err := c.ListPayments(ctx, 1, &ListOptions{PageNumber: -1}); return err }},
		{"sort", func() error { _, err := c.ListPayments(ctx, 1, &ListOptions{Sort: "total desc"}); return err }},
		{"filter", func() error {
			_, err := c.ListPayments(ctx, 1, &ListOptions{Filter: map[string]string{"": "x"}})
			return err
		}},
		{"reseller_id", func() error { _, err := c.CreatePayment(ctx, 0, &CreatePaymentRequest{}); return err }},
		{"request", func() error { _, err := c.CreatePayment(ctx, 1, nil); return err }},
		{"account_id", func() error { _, err := c.CreatePayment(ctx, 1, &CreatePaymentRequest{Total: "1"}); return err }},
		{"total", func() error {
			_, err := c.CreatePayment(ctx, 1, &CreatePaymentRequest{AccountID: 1, Total: "0.00"})
			return err
		}},
		{"total", func() error {
			_, err := c.CreatePayment(ctx, 1, &CreatePaymentRequest{AccountID: 1, Total: "1e3"})
			return err
		}},
		{"reseller_id", func() error { _, err := c.CompletePaymentByDocument(ctx, 0, good()); return err }},
		{"request", func() error { _, err := c.CompletePaymentByDocument(ctx, 1, nil); return err }},
		{"document_id", func() error {
			r := good()
			r.DocumentID = " "
			_, err := c.CompletePaymentByDocument(ctx, 1, r)
			return err
		}},
		{"payment_method_id", func() error {
			r := good()
			r.PaymentMethodID = 0
			_, err := c.CompletePaymentByDocument(ctx, 1, r)
			return err
		}},
		{"comment", func() error {
			_, err := c.CreatePayment(ctx, 1, &CreatePaymentRequest{AccountID: 1, Total: "1", Comment: " "})
			return err
		}},
		{"amount", func() error {
			r := good()
			r.Amount = "0"
			_, err := c.CompletePaymentByDocument(ctx, 1, r)
			return err
		}},
		{"amount", func() error {
			r := good()
			r.Amount = "-1"
			_, err := c.CompletePaymentByDocument(ctx, 1, r)
			return err
		}},
		{"amount", func() error {
			r := good()
			r.Amount = "1."
			_, err := c.CompletePaymentByDocument(ctx, 1, r)
			return err
		}},
		{"currency_code", func() error {
			r := good()
			r.CurrencyCode = "US"
			_, err := c.CompletePaymentByDocument(ctx, 1, r)
			return err
		}},
		{"currency_code", func() error {
			r := good()
			r.CurrencyCode = "U$D"
			_, err := c.CompletePaymentByDocument(ctx, 1, r)
			return err
		}},
		{"currency_code", func() error {
			r := good()
			r.CurrencyCode = "ДОЛ"
			_, err := c.CompletePaymentByDocument(ctx, 1, r)
			return err
		}},
		{"external_transaction_id", func() error {
			r := good()
			r.ExternalTransactionID = "x"
			_, err := c.CompletePaymentByDocument(ctx, 1, r)
			return err
		}},
		{"external_transaction_id", func() error {
			r := good()
			r.ExternalTransactionID = strings.Repeat("я", 256)
			_, err := c.CompletePaymentByDocument(ctx, 1, r)
			return err
		}},
	}
	for _, tc := range cases {
		err := tc.call()
		require.Error(t, err, tc.field)
		assert.ErrorIs(t, err, ErrInvalidRequest, tc.field)
		var ie *InvalidRequestError
		if assert.ErrorAs(t, err, &ie, tc.field) {
			assert.Equal(t, tc.field, ie.Field, "named as the document names it")
		}
		var e *Error
		assert.False(t, errors.As(err, &e), "nothing was sent, so no *Error: %v", err)
	}
}

func TestNewClient(t *testing.T) {
	var ie *InvalidRequestError
	_, err := NewClient("", WithBaseURL("https://x.test"))
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "apiToken", ie.Field)
	_, err = NewClient("tok\n", WithBaseURL("https://x.test"))
	require.ErrorAs(t, err, &ie, "a token read from a file with its newline")
	assert.Equal(t, "apiToken", ie.Field)
	_, err = NewClient("tok")
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "WithBaseURL", ie.Field)
	_, err = NewClient("tok", WithBaseURL("ftp://x.test"))
	assert.ErrorIs(t, err, ErrInvalidRequest)
	_, err = NewClient("tok", WithBaseURL("https://x.test"), WithRetry(-1, 0, 0))
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "WithRetry", ie.Field)
	_, err = NewClient("tok", WithBaseURL("https://x.test"), WithHeader("X-Api-Token", "other"))
	require.ErrorAs(t, err, &ie, "the credential's header cannot be replaced")

	c, err := NewClient("secret-token-value", WithBaseURL("https://x.test/base/"), WithTimeout(time.Second),
		WithUserAgent("mine/1"), WithMaxBodyBytes(1<<20), WithLogger(nil), WithHeader("X-Proxy", "p"), Option{})
	require.NoError(t, err)
	assert.Equal(t, "https://x.test/base", c.BaseURL())
	assert.Equal(t, "activeplatform.Client{https://x.test/base}", c.String())
	assert.Equal(t, "activeplatform.Client{}", Client{}.String())
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%q"} {
		assert.NotContains(t, strings.ReplaceAll(sprintf(f, c)+sprintf(f, *c), " ", ""), "secret-token-value")
	}
}

func TestLoggerNeverSeesTheToken(t *testing.T) {
	var buf strings.Builder
	var mu sync.Mutex
	c, mt := newMocked(t, WithLogger(newTestLogger(&buf, &mu)))
	var rec recorder
	mt.RegisterResponder("GET", paymentURL, rec.reply(reply{status: 500, body: "x"}, reply{status: 200, body: fixture(t, "complete_payment_response.json")}))
	_, err := c.GetPayment(context.Background(), 1, 6475)
	require.NoError(t, err)
	mu.Lock()
	defer mu.Unlock()
	assert.Contains(t, buf.String(), "/api/v3/resellers/1/payments/6475")
	assert.NotContains(t, buf.String(), testToken)
}

func TestMaxBodyBytes(t *testing.T) {
	c, mt := newMocked(t, WithMaxBodyBytes(64))
	var rec recorder
	mt.RegisterResponder("GET", paymentURL, rec.reply(reply{status: 200, body: fixture(t, "complete_payment_response.json")}))
	_, err := c.GetPayment(context.Background(), 1, 6475)
	assert.ErrorIs(t, err, ErrUnexpectedResponse)
}

func TestDecimal(t *testing.T) {
	d, err := ParseDecimal(" 99.0 ")
	require.NoError(t, err)
	assert.Equal(t, Decimal("99.0"), d)
	assert.Equal(t, "99.0", d.String())
	for _, bad := range []string{"abc", "1e3", "+5", "1,5", "5.", ""} {
		_, err = ParseDecimal(bad)
		assert.Error(t, err, bad)
	}
	assert.Equal(t, Decimal("7.50"), MustDecimal("007.50"))
	assert.Panics(t, func() { MustDecimal("1e3") })
	assert.Equal(t, 0, Decimal("99.0").Cmp("99"))
	assert.Equal(t, -1, Decimal("1.5").Cmp("2"))
	b, err := Decimal("99.0").MarshalJSON()
	require.NoError(t, err)
	assert.Equal(t, `"99.0"`, string(b))
	b, err = Decimal("").MarshalJSON()
	require.NoError(t, err)
	assert.Equal(t, `null`, string(b))
	var x Decimal
	require.NoError(t, x.UnmarshalJSON([]byte(`12.50`)))
	assert.Equal(t, Decimal("12.50"), x)
	_, ok := Decimal("").Rat()
	assert.False(t, ok)
	assert.True(t, PaymentExpired.Completable())
	assert.True(t, PaymentWaitingForPayment.Completable())
	assert.False(t, PaymentCompleted.Completable())
}
