package activeplatform

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPostpaidCallsWire(t *testing.T) {
	c, mt := newMocked(t)
	var rec recorder
	const base = "https://test.activeplatform.com/proxy/api/v3/resellers/1/"
	ok := rec.reply(reply{status: 200, body: fixture(t, "invoice_response.json")})
	erp := ERPInvoice{DocumentID: "NS2000015", BillingDate: "2020-04-01"}
	ctx := context.Background()
	calls := []struct {
		url  string
		call func() (*Invoice, error)
	}{
		{base + "accounts/505/approve_invoices", func() (*Invoice, error) {
			return c.ApproveInvoices(ctx, &PostpaidAccountRequest{ResellerID: 1, AccountID: 505, ERPInvoice: erp})
		}},
		{base + "invoices/2046/approve", func() (*Invoice, error) {
			return c.ApproveInvoice(ctx, &PostpaidInvoiceRequest{ResellerID: 1, InvoiceID: 2046, ERPInvoice: erp})
		}},
		{base + "accounts/505/complete_invoices", func() (*Invoice, error) {
			return c.CompleteInvoices(ctx, &PostpaidAccountRequest{ResellerID: 1, AccountID: 505, ERPInvoice: erp})
		}},
		{base + "invoices/2046/complete", func() (*Invoice, error) {
			return c.CompleteInvoice(ctx, &PostpaidInvoiceRequest{ResellerID: 1, InvoiceID: 2046, ERPInvoice: erp})
		}},
		{base + "invoices/2046/revoke", func() (*Invoice, error) {
			return c.RevokeInvoiceApproval(ctx, &PostpaidInvoiceRequest{ResellerID: 1, InvoiceID: 2046, ERPInvoice: erp})
		}},
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
	_, err := c.CompleteInvoice(context.Background(), &PostpaidInvoiceRequest{ResellerID: 1, InvoiceID: 2046, ERPInvoice: ERPInvoice{DocumentID: "NS2000015", BillingDate: "2019-04-17"}})
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
	_, err = c.CompleteInvoice(context.Background(), &PostpaidInvoiceRequest{ResellerID: 1, InvoiceID: 2047, ERPInvoice: ERPInvoice{DocumentID: "NS2000016", BillingDate: "2019-04-17"}})
	require.Error(t, err)
	assert.Len(t, rec2.all(), 2)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.True(t, SafeToRepeat(err))
}

func TestPostpaidValidation(t *testing.T) {
	c, _ := newMocked(t) // no responder: any request fails the test
	ctx := context.Background()
	erp := ERPInvoice{DocumentID: "NS2000015", BillingDate: "2020-04-01"}
	byInvoice := func(inv ERPInvoice) *PostpaidInvoiceRequest {
		return &PostpaidInvoiceRequest{ResellerID: 1, InvoiceID: 2046, ERPInvoice: inv}
	}
	cases := []struct {
		field string
		call  func() error
	}{
		{"reseller_id", func() error {
			_, err := c.ApproveInvoices(ctx, &PostpaidAccountRequest{ResellerID: 0, AccountID: 505, ERPInvoice: erp})
			return err
		}},
		{"reseller_id", func() error {
			_, err := c.ApproveInvoice(ctx, &PostpaidInvoiceRequest{ResellerID: -1, InvoiceID: 2046, ERPInvoice: erp})
			return err
		}},
		{"account_id", func() error {
			_, err := c.CompleteInvoices(ctx, &PostpaidAccountRequest{ResellerID: 1, AccountID: 0, ERPInvoice: erp})
			return err
		}},
		{"invoice_id", func() error {
			_, err := c.RevokeInvoiceApproval(ctx, &PostpaidInvoiceRequest{ResellerID: 1, InvoiceID: -1, ERPInvoice: erp})
			return err
		}},
		{"request", func() error { _, err := c.ApproveInvoices(ctx, nil); return err }},
		{"request", func() error { _, err := c.CompleteInvoices(ctx, nil); return err }},
		{"request", func() error { _, err := c.ApproveInvoice(ctx, nil); return err }},
		{"request", func() error { _, err := c.CompleteInvoice(ctx, nil); return err }},
		{"request", func() error { _, err := c.RevokeInvoiceApproval(ctx, nil); return err }},
		{"document_id", func() error {
			_, err := c.CompleteInvoice(ctx, byInvoice(ERPInvoice{DocumentID: " ", BillingDate: "2020-04-01"}))
			return err
		}},
		{"document_id", func() error {
			_, err := c.ApproveInvoice(ctx, byInvoice(ERPInvoice{DocumentID: strings.Repeat("x", 256), BillingDate: "2020-04-01"}))
			return err
		}},
		{"document_id", func() error {
			_, err := c.ApproveInvoice(ctx, byInvoice(ERPInvoice{DocumentID: "NS\xff", BillingDate: "2020-04-01"}))
			return err
		}},
		{"document_id", func() error {
			_, err := c.ApproveInvoices(ctx, &PostpaidAccountRequest{ResellerID: 1, AccountID: 505})
			return err
		}},
		{"billing_date", func() error {
			_, err := c.CompleteInvoice(ctx, byInvoice(ERPInvoice{DocumentID: "NS", BillingDate: "2020-04"}))
			return err
		}},
	}
	for _, tc := range cases {
		err := tc.call()
		assert.ErrorIs(t, err, ErrInvalidRequest, tc.field)
		var ie *InvalidRequestError
		require.ErrorAs(t, err, &ie, tc.field)
		assert.Equal(t, tc.field, ie.Field)
	}
}
