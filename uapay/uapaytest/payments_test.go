package uapaytest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// paid adds an invoice of type typ and pays it, returning the invoice and
// payment ids.
func paid(t *testing.T, srv *Server, typ string, amount int64) (string, string) {
	t.Helper()
	id := srv.AddInvoice(Invoice{Type: typ, Amount: amount, Description: "d"})
	p, err := srv.PayInvoice(id)
	require.NoError(t, err)
	return id, p.PaymentID
}

func opParams(inv, pay, more string) string {
	return `{"sessionId":"` + hookSession + `","paymentId":"` + pay + `","invoiceId":"` + inv + `"` + more + `}`
}

func errCode(out map[string]any) string {
	e, _ := out["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

func TestShowPaymentRoute(t *testing.T) {
	srv := fx.start(t, WithNow(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)))
	inv, pay := paid(t, srv, "PAY", 700)
	st, out := call(t, srv, "/api/invoicer/payments/show", `{"sessionId":"`+hookSession+`","paymentId":"`+pay+`"}`, "")
	require.Equal(t, 200, st, out)
	d := out["data"].(map[string]any)
	assert.Equal(t, pay, d["paymentId"])
	assert.Equal(t, inv, d["invoiceId"])
	assert.Equal(t, "UA00000001", d["number"], "number, as the documents name it")
	assert.Equal(t, "PAID", d["status"])
	assert.Equal(t, "FINISHED", d["paymentStatus"])
	assert.Equal(t, 700.0, d["amount"])
	assert.Equal(t, "2026-01-02T03:04:05.000Z", d["createdAt"])
	assert.Equal(t, "2026-01-02T03:04:05.000Z", d["paidAt"])
	assert.NotContains(t, d, "reversedAt")
	assert.Equal(t, "api.uapay.ua/api/receipts/"+pay, d["chequeLink"], "no scheme, as in the document")

	for _, tc := range []struct{ params, code string }{
		{`{"sessionId":"` + hookSession + `"}`, "FORMAT_ERROR"},
		{`{"sessionId":"` + hookSession + `","paymentId":"x"}`, "FORMAT_ERROR"},
		{`{"sessionId":"` + hookSession + `","paymentId":5}`, "FORMAT_ERROR"},
		{`{"sessionId":"` + hookSession + `","paymentId":"` + newUUID() + `"}`, "PAYMENT_NOT_FOUND"},
		{`{"paymentId":"` + pay + `"}`, "FORMAT_ERROR"},
	} {
		st, out := call(t, srv, "/api/invoicer/payments/show", tc.params, "")
		assert.Equal(t, 400, st, tc.params)
		assert.Equal(t, tc.code, errCode(out), tc.params)
	}
}

func TestCompleteAndCancelRoutes(t *testing.T) {
	srv := fx.start(t)
	inv, pay := paid(t, srv, "HOLD", 1000)
	got, _ := srv.Payment(pay)
	assert.Equal(t, "HOLDED", got.PaymentStatus, "a HOLD invoice's payment is held")
	assert.True(t, got.PaidAt.IsZero())

	for _, tc := range []struct{ params, data, code string }{
		{opParams(inv, pay, `,"amount":1001`), "", "AMOUNT_ERROR"},
		{opParams(inv, pay, `,"amount":0`), "", "FORMAT_ERROR"},
		{opParams(inv, pay, ""), `{"amount":5}`, "FORMAT_ERROR"}, // the amount goes in params
		{opParams(inv, pay, `,"colour":"red"`), "", "FORMAT_ERROR"},
		{opParams(newUUID(), pay, ""), "", "PAYMENT_NOT_FOUND"},
		{`{"sessionId":"` + hookSession + `","paymentId":"` + pay + `"}`, "", "FORMAT_ERROR"},
	} {
		st, out := call(t, srv, "/api/invoicer/payments/complete", tc.params, tc.data)
		assert.Equal(t, 400, st, tc.params)
		assert.Equal(t, tc.code, errCode(out), tc.params+tc.data)
	}
	st, out := call(t, srv, "/api/invoicer/payments/complete", opParams(inv, pay, `,"amount":600`), "")
	require.Equal(t, 200, st, out)
	assert.Equal(t, map[string]any{"paymentId": pay}, out["data"])
	got, _ = srv.Payment(pay)
	assert.Equal(t, int64(600), got.Amount, "captured less than held")
	assert.Equal(t, "FINISHED", got.PaymentStatus)
	assert.Equal(t, 1, got.Completions)
	assert.False(t, got.PaidAt.IsZero())

	// twice, or a void after the capture: refused
	st, out = call(t, srv, "/api/invoicer/payments/complete", opParams(inv, pay, ""), "")
	assert.Equal(t, 400, st)
	assert.Equal(t, "PAYMENT_STATUS_ERROR", errCode(out))
	st, out = call(t, srv, "/api/invoicer/payments/cancel", opParams(inv, pay, ""), "")
	assert.Equal(t, 400, st)
	assert.Equal(t, "PAYMENT_STATUS_ERROR", errCode(out))
	got, _ = srv.Payment(pay)
	assert.Equal(t, 1, got.Completions)
	assert.Equal(t, 0, got.Cancellations)

	// a void of another held payment
	inv2, pay2 := paid(t, srv, "HOLD", 300)
	st, out = call(t, srv, "/api/invoicer/payments/cancel", opParams(inv2, pay2, ""), `{"x":1}`)
	assert.Equal(t, 400, st)
	assert.Equal(t, "FORMAT_ERROR", errCode(out))
	st, out = call(t, srv, "/api/invoicer/payments/cancel", opParams(inv2, pay2, ""), "")
	require.Equal(t, 200, st, out)
	got, _ = srv.Payment(pay2)
	assert.Equal(t, "CANCELED", got.PaymentStatus)
	assert.Equal(t, "CANCELED", got.Status)
	assert.Equal(t, 1, got.Cancellations)
	// a PAY invoice's payment cannot be captured
	inv3, pay3 := paid(t, srv, "PAY", 300)
	st, out = call(t, srv, "/api/invoicer/payments/complete", opParams(inv3, pay3, ""), "")
	assert.Equal(t, 400, st)
	assert.Equal(t, "PAYMENT_STATUS_ERROR", errCode(out))
	_, ok := srv.Payment(newUUID())
	assert.False(t, ok)
}

func TestReverseRoute(t *testing.T) {
	srv := fx.start(t, WithNow(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)))
	inv, pay := paid(t, srv, "PAY", 1000)
	for _, tc := range []struct{ data, code string }{
		{`{"amount":1001}`, "AMOUNT_ERROR"},
		{`{"amount":-1}`, "FORMAT_ERROR"},
		{`{"amount":"5"}`, "FORMAT_ERROR"},
		{`{"sum":5}`, "FORMAT_ERROR"},
	} {
		st, out := call(t, srv, "/api/invoicer/payments/reverse", opParams(inv, pay, ""), tc.data)
		assert.Equal(t, 400, st, tc.data)
		assert.Equal(t, tc.code, errCode(out), tc.data)
	}
	srv.Advance(time.Second)
	st, out := call(t, srv, "/api/invoicer/payments/reverse", opParams(inv, pay, ""), `{"amount":300}`)
	require.Equal(t, 200, st, out)
	srv.Advance(time.Second)
	st, out = call(t, srv, "/api/invoicer/payments/reverse", opParams(inv, pay, ""), `{"amount":701}`)
	assert.Equal(t, 400, st, "above what is left")
	assert.Equal(t, "AMOUNT_ERROR", errCode(out))
	st, out = call(t, srv, "/api/invoicer/payments/reverse", opParams(inv, pay, ""), "")
	require.Equal(t, 200, st, out, "a full refund takes what is left")
	got, _ := srv.Payment(pay)
	assert.Equal(t, int64(1000), got.Reversed)
	assert.Equal(t, 2, got.Reversals)
	assert.Equal(t, "REVERSED", got.PaymentStatus)
	assert.Equal(t, time.Date(2026, 1, 2, 3, 4, 7, 0, time.UTC), got.ReversedAt)
	st, out = call(t, srv, "/api/invoicer/payments/reverse", opParams(inv, pay, ""), "")
	assert.Equal(t, 400, st)
	assert.Equal(t, "PAYMENT_STATUS_ERROR", errCode(out), "nothing left to refund")

	st, out = call(t, srv, "/api/invoicer/payments/show", `{"sessionId":"`+hookSession+`","paymentId":"`+pay+`"}`, "")
	require.Equal(t, 200, st)
	d := out["data"].(map[string]any)
	assert.Equal(t, "2026-01-02T03:04:07.000Z", d["reversedAt"])
	assert.Equal(t, "2026-01-02T03:04:07.000Z", d["updatedAt"])
	assert.NotContains(t, d, "reversed", "the documents show no refunded sum")

	// a held payment is completed or cancelled, not reversed
	inv2, pay2 := paid(t, srv, "HOLD", 100)
	st, out = call(t, srv, "/api/invoicer/payments/reverse", opParams(inv2, pay2, ""), "")
	assert.Equal(t, 400, st)
	assert.Equal(t, "PAYMENT_STATUS_ERROR", errCode(out))
	// an invoice's payments in invoices/show carry the same fields
	st, out = call(t, srv, "/api/invoicer/invoices/show", `{"sessionId":"`+hookSession+`","id":"`+inv+`"}`, "")
	require.Equal(t, 200, st)
	ps := out["data"].(map[string]any)["payments"].([]any)
	require.Len(t, ps, 1)
	assert.Equal(t, "REVERSED", ps[0].(map[string]any)["paymentStatus"])
	assert.Equal(t, inv, ps[0].(map[string]any)["invoiceId"])
}

func TestCreateRulesByType(t *testing.T) {
	srv := fx.start(t)
	sp := func(sys string) string { return `{"sessionId":"` + hookSession + `","systemType":"` + sys + `"}` }
	for _, tc := range []struct{ sys, data, field, problem string }{
		{"ECOM", `{"externalId":"o","type":"PAY","amount":1}`, "description", "REQUIRED"},
		{"P2P", `{"externalId":"o","type":"PAY","amount":1,"description":"d"}`, "cardTo.id", "REQUIRED"},
		{"P2P", `{"externalId":"o","type":"PAY","amount":1,"description":"d","cardTo":{"id":"x"}}`, "cardTo.id", "INVALID_FORMAT"},
		{"ECOM", `{"externalId":"o","type":"SUBSCRIBE","amount":1,"description":"d","expiresAt":1893456000000}`, "recurringInterval", "REQUIRED"},
		{"ECOM", `{"externalId":"o","type":"SUBSCRIBE","amount":1,"description":"d","recurringInterval":367,"expiresAt":1893456000000}`, "recurringInterval", "INVALID_VALUE"},
		{"ECOM", `{"externalId":"o","type":"SUBSCRIBE","amount":1,"description":"d","recurringInterval":30}`, "expiresAt", "REQUIRED"},
	} {
		st, out := call(t, srv, "/api/invoicer/invoices/create", sp(tc.sys), tc.data)
		assert.Equal(t, 400, st, tc.data)
		assert.Equal(t, map[string]any{tc.field: tc.problem}, fields(out)["data"], tc.data)
	}
	st, out := call(t, srv, "/api/invoicer/invoices/create", sp("P2P"),
		`{"externalId":"p2p","type":"PAY","amount":1,"description":"d","cardTo":{"id":"b8220f46-8c28-4068-9488-2e1b37359b06"}}`)
	require.Equal(t, 200, st, out)
	inv, _ := srv.Invoice(out["data"].(map[string]any)["id"].(string))
	assert.Equal(t, "b8220f46-8c28-4068-9488-2e1b37359b06", inv.CardToID)
	st, out = call(t, srv, "/api/invoicer/invoices/create", sp("ECOM"),
		`{"externalId":"sub","type":"SUBSCRIBE","amount":1,"description":"d","recurringInterval":30,"expiresAt":1893456000000,"payExpiresAt":1893456000000}`)
	require.Equal(t, 200, st, out)
}
