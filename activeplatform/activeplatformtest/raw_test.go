package activeplatformtest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func do(t *testing.T, srv *Server, method, path, body string, hdr ...string) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	require.NoError(t, err)
	req.Header.Set("X-Api-Token", Token)
	req.Header.Set("Accept", mediaJSONAPI)
	if body != "" {
		req.Header.Set("Content-Type", mediaJSONAPI)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

const payPath = "/api/v3/resellers/1/payments/6475"

func TestMalformedBodiesAnswer422(t *testing.T) {
	srv := fx.start(t)
	for _, body := range []string{`{"data":{}}`, `not json`, `{"data":{"attributes":[1]}}`, `{"data":{"attributes":{"payment_method_id":{}}}}`} {
		st, out := do(t, srv, "PATCH", payPath, body)
		assert.Equal(t, 422, st, body)
		assert.Contains(t, out, `"status":"422"`, body)
	}
	assert.Zero(t, srv.Completions(ExamplePaymentID))
}

func TestPaymentMethodIDMustBeANumber(t *testing.T) {
	srv := fx.start(t)
	for _, v := range []string{`"2"`, `2.5`, `0`, `-2`, `null`} {
		st, out := do(t, srv, "PATCH", payPath, `{"data":{"attributes":{"payment_method_id":`+v+`}}}`)
		assert.Equal(t, 422, st, v)
		assert.Contains(t, out, `"pointer":"/data/attributes/payment_method_id"`, v)
	}
	st, _ := do(t, srv, "PATCH", payPath, `{"data":{"attributes":{"payment_method_id":9}}}`)
	assert.Equal(t, 422, st, "unknown method")
	st, _ = do(t, srv, "POST", "/api/v3/resellers/1/payments", `{"data":{"attributes":{"account_id":"505","total":"1"}}}`)
	assert.Equal(t, 422, st, "account_id as a string")
	assert.Zero(t, srv.Completions(ExamplePaymentID))

	st, out := do(t, srv, "PATCH", payPath, `{"data":{"attributes":{"payment_method_id":2}}}`)
	require.Equal(t, 200, st, out)
	assert.Contains(t, out, `"status":"completed"`)
	assert.Contains(t, out, `"payment_method_name":"Cash"`)
	st, out = do(t, srv, "PATCH", payPath, `{"data":{"attributes":{"payment_method_id":2}}}`)
	assert.Equal(t, 422, st)
	assert.Equal(t, NotCompletableBody, out, "byte for byte")
	assert.Equal(t, 1, srv.Completions(ExamplePaymentID))
}

func TestAcceptAndContentType(t *testing.T) {
	srv := fx.start(t)
	for accept, want := range map[string]int{"*/*": 200, "application/*": 200, "text/html, application/vnd.api+json": 200,
		"": 406, "application/json": 406, mediaJSONAPI + "; ext=x": 406, ";;": 406} {
		st, _ := do(t, srv, "GET", payPath, "", "Accept", accept)
		assert.Equal(t, want, st, accept)
	}
	st, _ := do(t, srv, "PATCH", payPath, `{"data":{"attributes":{"payment_method_id":2}}}`, "Content-Type", "application/json")
	assert.Equal(t, 415, st)
	st, _ = do(t, srv, "GET", payPath, "", "X-Api-Token", "wrong")
	assert.Equal(t, 401, st)
}

func TestPaymentsExpireOnTheClock(t *testing.T) {
	t0 := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	srv := fx.start(t, WithNow(t0), WithPaymentLifetime(time.Hour))
	st, out := do(t, srv, "POST", "/api/v3/resellers/1/payments", `{"data":{"attributes":{"account_id":505,"total":12.5,"comment":"c","purpose":"p"}}}`)
	require.Equal(t, 201, st, out)
	var doc struct {
		Data struct {
			ID         string
			Attributes map[string]any
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.Equal(t, "2026-05-01T13:00:00.000000+0300", doc.Data.Attributes["expiration_date"])
	assert.Equal(t, "12.5", doc.Data.Attributes["total"], "a JSON number keeps its text")
	path := "/api/v3/resellers/1/payments/" + doc.Data.ID

	srv.Advance(59 * time.Minute)
	_, out = do(t, srv, "GET", path, "")
	assert.Contains(t, out, `"status":"waiting_for_payment"`)
	srv.Advance(time.Minute)
	_, out = do(t, srv, "GET", path, "")
	assert.Contains(t, out, `"status":"expired"`)
	assert.Equal(t, t0.Add(time.Hour), srv.Now().UTC())

	st, out = do(t, srv, "PATCH", path, `{"data":{"attributes":{"payment_method_id":2}}}`)
	assert.Equal(t, 200, st, "an expired payment can be completed: %s", out)

	exp := t0.Add(2 * time.Hour)
	seeded := srv.AddPayment(Payment{ResellerID: 1, AccountID: 505, Total: "1.0", ExpirationDate: &exp})
	srv.SetNow(exp)
	p, ok := srv.Payment(seeded.ID)
	require.True(t, ok)
	assert.Equal(t, StatusExpired, p.Status)
	assert.True(t, p.UpdatedAt.Equal(exp))
}

func TestCompleteByDocument(t *testing.T) {
	srv := fx.start(t)
	doc := "/api/v3/resellers/1/payments/" + ExampleDocumentID
	for _, tc := range []struct{ attrs, pointer string }{
		{`{"payment_method_id":2,"amount":"99.0","currency_code":"EUR","external_transaction_id":"tx-1"}`, "currency_code"},
		{`{"payment_method_id":2,"amount":"0","currency_code":"USD","external_transaction_id":"tx-1"}`, "amount"},
		{`{"payment_method_id":2,"amount":true,"currency_code":"USD","external_transaction_id":"tx-1"}`, "amount"},
		{`{"payment_method_id":2,"amount":"99.0","currency_code":"USD","external_transaction_id":"t"}`, "external_transaction_id"},
		{`{"payment_method_id":"2","amount":"99.0","currency_code":"USD","external_transaction_id":"tx-1"}`, "payment_method_id"},
		{`{"payment_method_id":7,"amount":"99.0","currency_code":"USD","external_transaction_id":"tx-1"}`, "payment_method_id"},
	} {
		st, out := do(t, srv, "POST", doc, `{"data":{"attributes":`+tc.attrs+`}}`)
		assert.Equal(t, 422, st, tc.attrs)
		assert.Contains(t, out, "/data/attributes/"+tc.pointer, tc.attrs)
	}
	st, _ := do(t, srv, "POST", "/api/v3/resellers/1/payments/999999", `{"data":{"attributes":{}}}`)
	assert.Equal(t, 404, st)
	st, out := do(t, srv, "POST", doc, `{"data":{"attributes":{"payment_method_id":2,"amount":100,"currency_code":"USD","external_transaction_id":"tx-1"}}}`)
	require.Equal(t, 200, st, out)
	p, _ := srv.Payment(ExamplePaymentID)
	assert.Equal(t, "tx-1", p.ExternalTransactionID)
	assert.Len(t, p.Corrections, 1, "an over-payment creates a correction")
	st, out = do(t, srv, "POST", doc, `{"data":{"attributes":{"payment_method_id":2,"amount":"99.0","currency_code":"USD","external_transaction_id":"tx-2"}}}`)
	assert.Equal(t, 422, st)
	assert.Equal(t, NotCompletableBody, out)
	_, out = do(t, srv, "GET", payPath+"?include=payment_method,account,reseller,invoices", "")
	assert.Contains(t, out, `"included":[{`)
	assert.Contains(t, out, `"type":"corrections"`)
}

func TestReadsListsAndVisibility(t *testing.T) {
	srv := fx.start(t)
	srv.AddPayment(Payment{ResellerID: 2, AccountID: 7, Total: "5.0"})
	for i := 0; i < 3; i++ {
		srv.AddPayment(Payment{ResellerID: 1, AccountID: int64(600 + i), Total: "3.0", Status: StatusCompleted})
	}
	st, out := do(t, srv, "GET", "/api/v3/resellers/1", "")
	assert.Equal(t, 200, st)
	assert.Contains(t, out, `"parent_id":null`)
	st, out = do(t, srv, "GET", "/api/v3/resellers/2", "")
	assert.Equal(t, 200, st, "a downstream reseller is visible")
	assert.Contains(t, out, `"parent_id":1`)
	st, out = do(t, srv, "GET", "/api/v3/resellers/1/payments?page[size]=2&page[number]=2&sort=-account_id,total&filter[status]=completed", "")
	require.Equal(t, 200, st, out)
	var list struct {
		Data  []struct{ ID string }
		Links map[string]string
		Meta  map[string]int
	}
	require.NoError(t, json.Unmarshal([]byte(out), &list))
	assert.Equal(t, 3, list.Meta["total_count"])
	assert.Len(t, list.Data, 1)
	assert.Contains(t, list.Links, "prev")
	assert.NotContains(t, list.Links, "next")
	for _, sort := range []string{"created_at", "updated_at", "status", "document_id", "id"} {
		st, _ = do(t, srv, "GET", "/api/v3/resellers/1/payments?sort="+sort+"&filter[account_id]=600&filter[created_at][gt]=2000-01-01T00:00:00Z&filter[created_at][lt]=2999-01-01T00:00:00Z", "")
		assert.Equal(t, 200, st, sort)
	}
	for _, q := range []string{"page[size]=0", "page[number]=x", "filter[created_at][gt]=yesterday", "sort=colour"} {
		st, _ = do(t, srv, "GET", "/api/v3/resellers/1/payments?"+q, "")
		assert.Equal(t, 400, st, q)
	}
	st, _ = do(t, srv, "GET", payPath+"?include=bogus", "")
	assert.Equal(t, 400, st)
	for path, want := range map[string]int{"/api/v2/x": 404, "/api/v3/resellers/abc": 404, "/api/v3/resellers/1/accounts": 404,
		"/api/v3/resellers/1/payments/abc": 404, "/api/v3/resellers/2/payments/6475": 404} {
		st, _ = do(t, srv, "GET", path, "")
		assert.Equal(t, want, st, path)
	}
	st, _ = do(t, srv, "PUT", payPath, "")
	assert.Equal(t, 405, st)

	srv.SetTokenReseller(2)
	assert.Equal(t, int64(2), srv.TokenReseller())
	st, _ = do(t, srv, "GET", "/api/v3/resellers/1", "")
	assert.Equal(t, 404, st, "an upstream reseller is not visible")

	assert.True(t, srv.SetStatus(ExamplePaymentID, "cancelled"))
	assert.False(t, srv.SetStatus(42, "x"))
	assert.True(t, srv.Complete(ExamplePaymentID, 2))
	assert.False(t, srv.Complete(42, 2))
	assert.Equal(t, 1, srv.Completions(ExamplePaymentID))
	_, ok := srv.Payment(42)
	assert.False(t, ok)
	srv.ResetRequests()
	assert.Empty(t, srv.Requests())
}

// The fake, like the lenient installation, accepts the documents' short
// form (no type, no id) and the valid JSON:API form; a wrong type or id is
// a 409 as JSON:API says.
func TestBothBodyFormsAccepted(t *testing.T) {
	for _, body := range []string{
		`{"data":{"attributes":{"payment_method_id":2}}}`,
		`{"data":{"type":"payments","id":"6475","attributes":{"payment_method_id":2}}}`,
	} {
		srv := fx.start(t)
		st, out := do(t, srv, "PATCH", payPath, body)
		assert.Equal(t, 200, st, out)
		assert.Equal(t, 1, srv.Completions(ExamplePaymentID), body)
	}
	srv := fx.start(t)
	for _, body := range []string{
		`{"data":{"type":"invoices","id":"6475","attributes":{"payment_method_id":2}}}`,
		`{"data":{"type":"payments","id":"6476","attributes":{"payment_method_id":2}}}`,
	} {
		st, out := do(t, srv, "PATCH", payPath, body)
		assert.Equal(t, 409, st, out)
	}
	st, out := do(t, srv, "POST", "/api/v3/resellers/1/payments/"+ExampleDocumentID,
		`{"data":{"type":"payments","id":"1","attributes":{"payment_method_id":2}}}`)
	assert.Equal(t, 409, st, "a complete-by-document body names no id: %s", out)
	assert.Zero(t, srv.Completions(ExamplePaymentID))

	// amount, currency_code and external_transaction_id are optional.
	st, out = do(t, srv, "POST", "/api/v3/resellers/1/payments/"+ExampleDocumentID,
		`{"data":{"type":"payments","attributes":{"payment_method_id":2}}}`)
	assert.Equal(t, 200, st, out)
	p, _ := srv.Payment(ExamplePaymentID)
	assert.Empty(t, p.Corrections, "no amount: the payment's total")
}

func TestCancelRoute(t *testing.T) {
	srv := fx.start(t)
	st, out := do(t, srv, "DELETE", payPath, "")
	require.Equal(t, 200, st, out)
	assert.Contains(t, out, `"status":"cancelled"`)
	assert.Equal(t, 1, srv.Cancellations(ExamplePaymentID))
	p, _ := srv.Payment(ExamplePaymentID)
	assert.NotNil(t, p.ClosedAt)

	st, out = do(t, srv, "DELETE", payPath, "")
	assert.Equal(t, 422, st)
	assert.Equal(t, NotCancellableBody+"", out, "the documented body, byte for byte")

	srv.AddPayment(Payment{ID: 8, ResellerID: 1, AccountID: 5, Total: "1", PostpaidInvoiceID: 3})
	st, out = do(t, srv, "DELETE", "/api/v3/resellers/1/payments/8", "")
	assert.Equal(t, 422, st)
	assert.Equal(t, NotCancellablePostpaidBody, out)
	st, _ = do(t, srv, "DELETE", "/api/v3/resellers/1/payments/999", "")
	assert.Equal(t, 404, st)
	st, _ = do(t, srv, "DELETE", "/api/v3/resellers/1/payments", "")
	assert.Equal(t, 405, st)
	assert.Equal(t, 1, srv.Cancellations(ExamplePaymentID))
}

func TestInvoiceRoutes(t *testing.T) {
	srv := fx.start(t)
	st, out := do(t, srv, "GET", "/api/v3/resellers/1/invoices/2046?include=payments,taxes", "")
	require.Equal(t, 200, st, out)
	assert.Contains(t, out, `"document_id":"NS2000015"`)
	assert.Contains(t, out, `"approved":true`)
	assert.Contains(t, out, `"included":[]`)
	inv, ok := srv.Invoice(ExampleInvoiceID)
	require.True(t, ok)
	assert.Equal(t, "987.65", inv.Total)
	_, ok = srv.Invoice(1)
	assert.False(t, ok)

	for path, want := range map[string]int{
		"/api/v3/resellers/1/invoices/2046?include=orders":   400,
		"/api/v3/resellers/1/invoices/1":                     404,
		"/api/v3/resellers/1/invoices/x":                     404,
		"/api/v3/resellers/2/invoices/2046":                  404,
		"/api/v3/resellers/1/invoices?page[size]=0":          400,
		"/api/v3/resellers/1/invoices?page[number]=x":        400,
		"/api/v3/resellers/1/invoices?filter[created_at]=x":  400,
		"/api/v3/resellers/1/invoices?filter[status]=closed": 200,
	} {
		st, out := do(t, srv, "GET", path, "")
		assert.Equal(t, want, st, path+": "+out)
	}
	st, _ = do(t, srv, "POST", "/api/v3/resellers/1/invoices", `{"data":{"attributes":{}}}`)
	assert.Equal(t, 405, st)

	srv.AddInvoice(Invoice{ResellerID: 1, AccountID: 7, Total: "1", FromDate: "2020-02-01", ToDate: "2020-02-29"})
	for q, n := range map[string]int{
		"filter[account_id]=7":                                      1,
		"filter[payment_model]=prepay":                              1,
		"filter[from_date]=2020-01-01&filter[to_date]=2020-03-01":   1,
		"filter[updated_at][gt]=2019-05-02T06:12:41.990712%2B03:00": 2,
		"filter[created_at][lt]=2019-04-18T09:02:01.257561%2B03:00": 1,
		"filter[created_at]=2019-04-18T09:02:01.257561%2B03:00":     1,
		"page[size]=1&page[number]=2":                               1,
	} {
		st, out := do(t, srv, "GET", "/api/v3/resellers/1/invoices?"+q, "")
		require.Equal(t, 200, st, out)
		var doc struct{ Data []any }
		require.NoError(t, json.Unmarshal([]byte(out), &doc))
		assert.Len(t, doc.Data, n, q)
	}
}

func TestCorrectionRoutes(t *testing.T) {
	srv := fx.start(t)
	const path = "/api/v3/resellers/1/corrections"
	for _, tc := range []struct {
		body string
		want int
	}{
		{`{"data":{"attributes":{"account_id":505,"included_invoice":true,"total":"1"}}}`, 201},
		{`{"data":{"type":"corrections","attributes":{"account_id":505,"included_invoice":false,"total":-2.5,"subscription_id":7}}}`, 201},
		{`{"data":{"type":"payments","attributes":{"account_id":505,"included_invoice":true,"total":"1"}}}`, 409},
		{`{"data":{"attributes":{"account_id":"505","included_invoice":true,"total":"1"}}}`, 422},
		{`{"data":{"attributes":{"account_id":505,"total":"1"}}}`, 422},
		{`{"data":{"attributes":{"account_id":505,"included_invoice":true,"total":"0"}}}`, 422},
		{`{"data":{"attributes":{"account_id":505,"included_invoice":true,"total":"1","subscription_id":"x"}}}`, 422},
		{`{"data":{"attributes":{"account_id":505,"included_invoice":true,"total":"1","period_from":"1.12.2021"}}}`, 422},
	} {
		st, out := do(t, srv, "POST", path, tc.body)
		assert.Equal(t, tc.want, st, tc.body+": "+out)
	}
	require.Len(t, srv.Corrections(), 2)
	c, ok := srv.Correction(2)
	require.True(t, ok)
	assert.Equal(t, "-2.5", c.Total, "a JSON number keeps its text")
	assert.Equal(t, int64(7), c.SubscriptionID)
	_, ok = srv.Correction(99)
	assert.False(t, ok)

	// The request example's slip path works too.
	st, out := do(t, srv, "PATCH", path+"/correction/1", `{"data":{"attributes":{"status":"approved"}}}`)
	require.Equal(t, 200, st, out)
	assert.Contains(t, out, `"status":"approved"`)
	assert.Contains(t, out, `"approved_at":"`)
	st, out = do(t, srv, "PATCH", path+"/1", `{"data":{"type":"corrections","id":"1","attributes":{"status":"declined"}}}`)
	assert.Equal(t, 422, st)
	assert.Equal(t, NotPendingCorrectionBody, out)
	for p, want := range map[string]int{
		path + "/2": 422, // status missing
		path + "/9": 404,
		path + "/x": 404,
	} {
		st, out := do(t, srv, "PATCH", p, `{"data":{"attributes":{"status":"pending"}}}`)
		assert.Equal(t, want, st, p+": "+out)
	}
	st, _ = do(t, srv, "PATCH", path+"/2", `{"data":{"type":"corrections","id":"3","attributes":{"status":"approved"}}}`)
	assert.Equal(t, 409, st)
	st, _ = do(t, srv, "GET", path, "")
	assert.Equal(t, 405, st)
	st, _ = do(t, srv, "GET", path+"/a/b/c", "")
	assert.Equal(t, 404, st)
}

func TestAccountRoute(t *testing.T) {
	srv := fx.start(t)
	st, out := do(t, srv, "GET", "/api/v3/resellers/1/accounts/505", "")
	require.Equal(t, 200, st, out)
	assert.Contains(t, out, `"balance":"150.00"`)
	assert.Contains(t, out, `"current_debt":0.0`, "the model's float, written with its text")
	assert.Contains(t, out, `"subscription_credit_limit":500.0`)
	for path, want := range map[string]int{
		"/api/v3/resellers/2/accounts/505": 404,
		"/api/v3/resellers/1/accounts/x":   404,
		"/api/v3/resellers/1/accounts/1":   404,
	} {
		st, _ := do(t, srv, "GET", path, "")
		assert.Equal(t, want, st, path)
	}
	st, _ = do(t, srv, "PATCH", "/api/v3/resellers/1/accounts/505", `{"data":{"attributes":{}}}`)
	assert.Equal(t, 405, st)
}

func TestPostpaidRoutes(t *testing.T) {
	srv := fx.start(t)
	srv.AddPayment(Payment{ID: 50, ResellerID: 1, AccountID: 7, Total: "5"})
	srv.AddPayment(Payment{ID: 51, ResellerID: 1, AccountID: 8, Total: "5", Status: StatusCancelled})
	srv.AddInvoice(Invoice{ID: 60, ResellerID: 1, AccountID: 7, PaymentModel: "postpay", FromDate: "2020-04-01", Payments: []int64{50}})
	srv.AddInvoice(Invoice{ID: 61, ResellerID: 1, AccountID: 8, PaymentModel: "postpay", FromDate: "2020-04-01", Payments: []int64{51},
		Approved: true, ERPDocumentID: "E1"})
	srv.AddInvoice(Invoice{ID: 62, ResellerID: 1, AccountID: 9, PaymentModel: "postpay", FromDate: "2020-04-01"})
	srv.AddInvoice(Invoice{ID: 63, ResellerID: 1, AccountID: 9, PaymentModel: "postpay", FromDate: "2020-04-01"})
	srv.AddInvoice(Invoice{ID: 64, ResellerID: 1, AccountID: 9, FromDate: "2020-04-01"}) // prepay
	const inv = "/api/v3/resellers/1/invoices/"
	const acc = "/api/v3/resellers/1/accounts/"
	good := `{"document_id":"E9","billing_date":"2020-04-01"}`
	steps := []struct {
		path, body string
		status     int
		code       string
	}{
		{inv + "60/approve", `{"document_id":"E9"}`, 400, "INVOICE-0001"},
		{inv + "60/approve", `not json`, 400, "INVOICE-0001"},
		{inv + "60/approve", `{"document_id":"E9","billing_date":"2020-05-01"}`, 400, "INVOICE-0005"},
		{inv + "60/complete", good, 400, "INVOICE-0005"}, // not approved
		{inv + "60/revoke", good, 400, "INVOICE-0005"},   // not approved
		{inv + "60/approve", good, 200, ""},
		{inv + "60/approve", good, 422, ""},
		{inv + "60/revoke", good, 200, ""},
		{acc + "7/approve_invoices", good, 200, ""},
		{acc + "7/complete_invoices", good, 200, ""},
		{acc + "7/complete_invoices", good, 422, ""},
		{inv + "60/revoke", good, 400, "INVOICE-0005"}, // payment completed
		{inv + "61/complete", `{"document_id":"E1","billing_date":"2020-04-01"}`, 400, "INVOICE-0017"},
		{acc + "9/approve_invoices", good, 422, ""}, // two invoices in the period
		{acc + "10/approve_invoices", good, 404, ""},
		{inv + "64/approve", good, 404, ""}, // prepay
		{inv + "x/approve", good, 404, ""},
		{inv + "999/approve", good, 404, ""},
	}
	for i, s := range steps {
		st, out := do(t, srv, "POST", s.path, s.body)
		assert.Equal(t, s.status, st, "step %d %s: %s", i, s.path, out)
		if s.code != "" {
			assert.Contains(t, out, `"code":"`+s.code+`"`, "step %d", i)
		}
	}
	assert.Equal(t, 1, srv.InvoiceCompletions(60))
	p, _ := srv.Payment(50)
	assert.Equal(t, StatusCompleted, p.Status)
	i, _ := srv.Invoice(60)
	assert.Equal(t, "closed", i.Status)
	assert.Equal(t, "E9", i.ERPDocumentID)
	st, _ := do(t, srv, "GET", inv+"60/approve", "")
	assert.Equal(t, 404, st)
}
