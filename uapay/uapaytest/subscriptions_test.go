package uapaytest

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUpdateSubscriptionRoute(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	srv := fx.start(t, WithNow(now))
	sub := srv.AddInvoice(Invoice{Type: "SUBSCRIBE", Amount: 1000, RecurringInterval: 30, Description: "d"})
	pay := srv.AddInvoice(Invoice{Amount: 1000, Description: "d"})
	later := now.Add(48 * time.Hour).UnixMilli()
	ps := func(key, id string) string { return `{"sessionId":"` + hookSession + `","` + key + `":"` + id + `"}` }

	// the example's invoiceId and the table's id are both accepted
	st, out := call(t, srv, "/api/invoicer/subscriptions/update", ps("invoiceId", sub), `{"interval":1}`)
	require.Equal(t, 200, st, out)
	assert.Equal(t, map[string]any{"invoiceId": sub, "amount": 1000.0, "commission": 120.0, "interval": 1.0,
		"status": "ACTIVE", "plannedPaidAt": "2026-01-03T03:04:05.000Z"}, out["data"])
	st, out = call(t, srv, "/api/invoicer/subscriptions/update", ps("id", sub), `{"expiresAt":`+itoa(later)+`}`)
	require.Equal(t, 200, st, out)
	assert.Equal(t, "2026-01-04T03:04:05.000Z", out["data"].(map[string]any)["expiresAt"])
	inv, _ := srv.Invoice(sub)
	assert.Equal(t, 1, inv.RecurringInterval)
	assert.Equal(t, 2, srv.Updates(sub))

	for _, tc := range []struct{ params, data, code string }{
		{ps("invoiceId", pay), `{"interval":1}`, "INVOICE_TYPE_ERROR"},
		{ps("invoiceId", newUUID()), `{"interval":1}`, "INVOICE_NOT_FOUND"},
		{ps("invoiceId", "x"), `{"interval":1}`, "FORMAT_ERROR"},
		{ps("invoiceId", sub), `{"interval":0}`, "FORMAT_ERROR"},
		{ps("invoiceId", sub), `{"expiresAt":"soon"}`, "FORMAT_ERROR"},
		{ps("invoiceId", sub), `{"expiresAt":1000}`, "FORMAT_ERROR"}, // in the past
		{ps("invoiceId", sub), `{"amount":1}`, "FORMAT_ERROR"},
		{`{"invoiceId":"` + sub + `"}`, `{"interval":1}`, "FORMAT_ERROR"},
	} {
		st, out := call(t, srv, "/api/invoicer/subscriptions/update", tc.params, tc.data)
		assert.Equal(t, 400, st, tc.params+tc.data)
		assert.Equal(t, tc.code, errCode(out), tc.params+tc.data)
	}
}

func TestShowCommissionRoute(t *testing.T) {
	srv := fx.start(t)
	fixed := srv.AddInvoice(Invoice{Amount: 50000, Description: "d"})
	open := srv.AddInvoice(Invoice{Description: "open amount"})
	ps := func(id string) string { return `{"sessionId":"` + hookSession + `","invoiceId":"` + id + `"}` }
	st, out := call(t, srv, "/api/invoicer/payments/showCommission", ps(fixed), `{"amount":1}`)
	require.Equal(t, 200, st, out)
	assert.Equal(t, map[string]any{"commission": map[string]any{"percents": 2.0, "fixed": 100.0}, "commissionAmount": 1100.0},
		out["data"], "the document's example: 2 % of 50000 + 100")
	st, out = call(t, srv, "/api/invoicer/payments/showCommission", ps(open), `{"amount":10050}`)
	require.Equal(t, 200, st, out)
	assert.Equal(t, 301.0, out["data"].(map[string]any)["commissionAmount"], "rounded down to whole kopecks")
	for _, tc := range []struct{ params, data, code string }{
		{ps(fixed), `{}`, "FORMAT_ERROR"},
		{ps(fixed), ``, "FORMAT_ERROR"},
		{ps(fixed), `{"amount":0}`, "FORMAT_ERROR"},
		{ps(newUUID()), `{"amount":1}`, "INVOICE_NOT_FOUND"},
		{`{"sessionId":"` + hookSession + `"}`, `{"amount":1}`, "FORMAT_ERROR"},
		{`{"invoiceId":"` + fixed + `"}`, `{"amount":1}`, "FORMAT_ERROR"},
	} {
		st, out := call(t, srv, "/api/invoicer/payments/showCommission", tc.params, tc.data)
		assert.Equal(t, 400, st, tc.params+tc.data)
		assert.Equal(t, tc.code, errCode(out), tc.params+tc.data)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
