package activeplatform_test

import (
	"context"
	"testing"
	"time"

	"github.com/caravanpay/caravan/activeplatform"
	"github.com/caravanpay/caravan/activeplatform/activeplatformtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFakeInvoices(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	inv, err := c.GetInvoice(ctx, 1, activeplatformtest.ExampleInvoiceID, activeplatform.IncludePayments)
	require.NoError(t, err)
	assert.Equal(t, "NS2000015", inv.DocumentID)
	assert.Equal(t, activeplatform.Decimal("987.65"), inv.Total)
	assert.True(t, inv.Approved)
	assert.Equal(t, activeplatform.PaymentModelPostpay, inv.PaymentModel)
	assert.Equal(t, []string{"3009839"}, inv.Relationships.Subscriptions)

	_, err = c.GetInvoice(ctx, 1, 999)
	assert.ErrorIs(t, err, activeplatform.ErrNotFound)
	_, err = c.GetInvoice(ctx, 1, activeplatformtest.ExampleInvoiceID, activeplatform.Include("orders"))
	assert.ErrorIs(t, err, activeplatform.ErrValidation, "invoices have no orders")

	// A payment a postpaid invoice lists cannot be cancelled; its include
	// embeds it.
	srv.AddInvoice(activeplatformtest.Invoice{ID: 3000, ResellerID: 1, AccountID: 505, Total: "99.0",
		PaymentModel: "postpay", Payments: []int64{6475}, FromDate: "2019-11-01", ToDate: "2019-11-30"})
	inv, err = c.GetInvoice(ctx, 1, 3000, activeplatform.IncludePayments)
	require.NoError(t, err)
	require.Len(t, inv.Included, 1)
	assert.Equal(t, "payments", inv.Included[0].Type)
	_, err = c.CancelPayment(ctx, &activeplatform.CancelPaymentRequest{ResellerID: 1, PaymentID: 6475})
	assert.ErrorIs(t, err, activeplatform.ErrNotCancellable)
	assert.Contains(t, err.Error(), "prepaid")

	for i := 0; i < 4; i++ {
		srv.AddInvoice(activeplatformtest.Invoice{ResellerID: 1, AccountID: 506, Total: "1.0", FromDate: "2020-01-01", ToDate: "2020-01-31"})
	}
	srv.AddInvoice(activeplatformtest.Invoice{ResellerID: 2, AccountID: 506, Total: "1.0"}) // another reseller's
	var ids []int64
	for inv, err := range c.AllInvoices(ctx, 1, &activeplatform.InvoiceListOptions{PageSize: 3, AccountID: 506}) {
		require.NoError(t, err)
		ids = append(ids, inv.ID)
	}
	assert.Equal(t, []int64{3001, 3002, 3003, 3004}, ids)

	page, err := c.ListInvoices(ctx, 1, &activeplatform.InvoiceListOptions{PaymentModel: activeplatform.PaymentModelPostpay})
	require.NoError(t, err)
	assert.Len(t, page.Invoices, 2)
	page, err = c.ListInvoices(ctx, 1, &activeplatform.InvoiceListOptions{FromDate: "2020-01-01", Status: "open"})
	require.NoError(t, err)
	assert.Len(t, page.Invoices, 4)
	page, err = c.ListInvoices(ctx, 1, &activeplatform.InvoiceListOptions{CreatedAt: time.Date(2019, 4, 18, 6, 2, 1, 257561000, time.UTC)})
	require.NoError(t, err)
	for _, inv := range page.Invoices {
		assert.NotEqual(t, int64(2046), inv.ID, "created a microsecond before the filter")
	}

	// An error is yielded once.
	srv.FailNext(4, 500, "boom")
	n := 0
	for inv, err := range c.AllInvoices(ctx, 1, nil) {
		assert.Nil(t, inv)
		assert.ErrorIs(t, err, activeplatform.ErrServer)
		n++
	}
	assert.Equal(t, 1, n)
	// Breaking out stops the walk.
	n = 0
	for range c.AllInvoices(ctx, 1, &activeplatform.InvoiceListOptions{PageSize: 1}) {
		n++
		if n == 2 {
			break
		}
	}
	assert.Equal(t, 2, n)
}
