package activeplatform

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPostpaidCallsWire(t *testing.T) {
	c, mt := newMocked(t)
	var rec recorder
	const base = "https://test.activeplatform.com/proxy/api/v3/resellers/1/"
	ok := rec.reply(reply{status: 200, body: fixture(t, "invoice_response.json")})
	req := &PostpaidInvoiceRequest{DocumentID: "NS2000015", BillingDate: "2020-04-01"}
	ctx := context.Background()
	calls := []struct {
		url  string
		call func() (*Invoice, error)
	}{
		{base + "accounts/505/approve_invoices", func() (*Invoice, error) { return c.ApproveInvoices(ctx, 1, 505, req) }},
		{base + "invoices/2046/approve", func() (*Invoice, error) { return c.ApproveInvoice(ctx, 1, 2046, req) }},
		{base + "accounts/505/complete_invoices", func() (*Invoice, error) { return c.CompleteInvoices(ctx, 1, 505, req) }},
		{base + "invoices/2046/complete", func() (*Invoice, error) { return c.CompleteInvoice(ctx, 1, 2046, req) }},
		{base + "invoices/2046/revoke", func() (*Invoice, error) { return c.RevokeInvoiceApproval(ctx, 1, 2046, req) }},
	}
	for i, tc := range calls {
		mt.RegisterResponder("POST", tc.url, ok)
		inv, err := tc.call()
		require.NoError(t, err, tc.url)
		assert.Equal(t, int64(2046), inv.ID)
		r := rec.all()[i]
		assert.Equal(t, "POST", r.Method)
		assert.Equal(t, tc.url, r.URL)
		assert.Equal(t, `{"document_id":"NS2000015","billing_date":"2020-04-01"}`, r.Body, "the documented flat body")
		assert.Equal(t, "application/vnd.api+json", r.Header.Get("Content-Type"))
		assert.Equal(t, "application/vnd.api+json", r.Header.Get("Accept"))
		assert.Equal(t, testToken, r.Header.Get("X-Api-Token"))
	}
}

func TestPostpaidErrorsAndRetries(t *testing.T) {
	c, mt := newMocked(t)
	var rec recorder
	const u = "https://test.activeplatform.com/proxy/api/v3/resellers/1/invoices/2046/complete"
	mt.RegisterResponder("POST", u, rec.reply(reply{status: 400,
		body: `{"errors":[{"status":"400","code":"INVOICE-0017","title":"Payment related to this invoice has been cancelled. Invoice completion is not possible"}]}`}))
	_, err := c.CompleteInvoice(context.Background(), 1, 2046, &PostpaidInvoiceRequest{DocumentID: "NS2000015", BillingDate: "2019-04-17"})
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrValidation)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	var e *Error
	require.ErrorAs(t, err, &e)
	require.Len(t, e.Errors, 1)
	assert.Equal(t, "INVOICE-0017", e.Errors[0].Code)
	assert.Contains(t, err.Error(), "[INVOICE-0017]")

	// Idempotent by nature: a 502 is retried; the refusal after it is an
	// unknown outcome that is safe to repeat.
	const v = "https://test.activeplatform.com/proxy/api/v3/resellers/1/invoices/2047/complete"
	var rec2 recorder
	mt.RegisterResponder("POST", v, rec2.reply(reply{status: 502, body: "bad gateway"},
		reply{status: 422, body: `{"errors":[{"status":"422","title":"The invoice is already completed."}]}`}))
	_, err = c.CompleteInvoice(context.Background(), 1, 2047, &PostpaidInvoiceRequest{DocumentID: "NS2000016", BillingDate: "2019-04-17"})
	require.Error(t, err)
	assert.Len(t, rec2.all(), 2)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.True(t, SafeToRepeat(err))
}

func TestPostpaidValidation(t *testing.T) {
	c, _ := newMocked(t)
	ctx := context.Background()
	good := &PostpaidInvoiceRequest{DocumentID: "NS2000015", BillingDate: "2020-04-01"}
	long := make([]byte, 256)
	for i := range long {
		long[i] = 'x'
	}
	for field, call := range map[string]func() error{
		"reseller_id": func() error { _, err := c.ApproveInvoices(ctx, 0, 505, good); return err },
		"account_id":  func() error { _, err := c.CompleteInvoices(ctx, 1, 0, good); return err },
		"invoice_id":  func() error { _, err := c.RevokeInvoiceApproval(ctx, 1, -1, good); return err },
		"request":     func() error { _, err := c.ApproveInvoice(ctx, 1, 2046, nil); return err },
		"document_id": func() error {
			_, err := c.CompleteInvoice(ctx, 1, 2046, &PostpaidInvoiceRequest{DocumentID: " ", BillingDate: "2020-04-01"})
			return err
		},
		"billing_date": func() error {
			_, err := c.CompleteInvoice(ctx, 1, 2046, &PostpaidInvoiceRequest{DocumentID: "NS", BillingDate: "2020-04"})
			return err
		},
	} {
		var ie *InvalidRequestError
		require.ErrorAs(t, call(), &ie, field)
		assert.Equal(t, field, ie.Field)
	}
	_, err := c.ApproveInvoice(ctx, 1, 2046, &PostpaidInvoiceRequest{DocumentID: string(long), BillingDate: "2020-04-01"})
	assert.ErrorIs(t, err, ErrInvalidRequest)
}
