package activeplatform_test

import (
	"context"
	"testing"

	"github.com/caravanpay/caravan/activeplatform"
	"github.com/caravanpay/caravan/activeplatform/activeplatformtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The ERP flow: approve a postpaid invoice, revoke and approve again,
// complete it (its payment completes); the documented refusals.
func TestFakePostpaidFlow(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	srv.AddPayment(activeplatformtest.Payment{ID: 12201, ResellerID: 1, AccountID: 505, Total: "987.65"})
	srv.AddInvoice(activeplatformtest.Invoice{ID: 3000, ResellerID: 1, AccountID: 505, DocumentID: "AP-3000",
		Total: "987.65", PaymentModel: "postpay", FromDate: "2020-04-01", ToDate: "2020-04-30", Payments: []int64{12201}})
	erp := activeplatform.ERPInvoice{DocumentID: "NS2000020", BillingDate: "2020-04-01"}
	invoice := func(id int64) *activeplatform.PostpaidInvoiceRequest {
		return &activeplatform.PostpaidInvoiceRequest{ResellerID: 1, InvoiceID: id, ERPInvoice: erp}
	}
	account := func(id int64) *activeplatform.PostpaidAccountRequest {
		return &activeplatform.PostpaidAccountRequest{ResellerID: 1, AccountID: id, ERPInvoice: erp}
	}

	_, err := c.CompleteInvoice(ctx, invoice(3000))
	assert.ErrorIs(t, err, activeplatform.ErrValidation, "not approved yet")

	inv, err := c.ApproveInvoices(ctx, account(505))
	require.NoError(t, err)
	assert.Equal(t, int64(3000), inv.ID)
	assert.True(t, inv.Approved)
	assert.Equal(t, "NS2000020", inv.DocumentID)
	_, err = c.CancelPayment(ctx, &activeplatform.CancelPaymentRequest{ResellerID: 1, PaymentID: 12201})
	assert.ErrorIs(t, err, activeplatform.ErrNotCancellable, "linked to a postpaid invoice")

	inv, err = c.RevokeInvoiceApproval(ctx, invoice(3000))
	require.NoError(t, err)
	assert.False(t, inv.Approved)
	assert.Equal(t, "AP-3000", inv.DocumentID)
	_, err = c.RevokeInvoiceApproval(ctx, invoice(3000))
	assertCode(t, err, "INVOICE-0005")

	_, err = c.ApproveInvoice(ctx, invoice(3000))
	require.NoError(t, err)
	inv, err = c.CompleteInvoices(ctx, account(505))
	require.NoError(t, err)
	assert.Equal(t, activeplatform.InvoiceStatus("closed"), inv.Status)
	assert.Equal(t, 1, srv.InvoiceCompletions(3000))
	assert.Equal(t, 1, srv.Completions(12201), "the linked payment completed")
	_, err = c.CompleteInvoice(ctx, invoice(3000))
	assert.ErrorIs(t, err, activeplatform.ErrValidation)
	_, err = c.RevokeInvoiceApproval(ctx, invoice(3000))
	assertCode(t, err, "INVOICE-0005")
	assert.Equal(t, 1, srv.InvoiceCompletions(3000))

	// A cancelled linked payment: completion impossible.
	srv.AddPayment(activeplatformtest.Payment{ID: 12202, ResellerID: 1, AccountID: 506, Total: "1", Status: activeplatformtest.StatusCancelled})
	srv.AddInvoice(activeplatformtest.Invoice{ID: 3001, ResellerID: 1, AccountID: 506, PaymentModel: "postpay",
		FromDate: "2020-05-01", Payments: []int64{12202}, Approved: true, ERPDocumentID: "NS1"})
	_, err = c.CompleteInvoice(ctx, &activeplatform.PostpaidInvoiceRequest{ResellerID: 1, InvoiceID: 3001,
		ERPInvoice: activeplatform.ERPInvoice{DocumentID: "NS1", BillingDate: "2020-05-01"}})
	assertCode(t, err, "INVOICE-0017")
	_, err = c.ApproveInvoices(ctx, account(507))
	assert.ErrorIs(t, err, activeplatform.ErrNotFound)
}

func assertCode(t *testing.T, err error, code string) {
	t.Helper()
	var e *activeplatform.Error
	require.ErrorAs(t, err, &e)
	require.NotEmpty(t, e.Errors)
	assert.Equal(t, code, e.Errors[0].Code)
}
