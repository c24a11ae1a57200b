package activeplatform

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const invoicesURL = "https://test.activeplatform.com/proxy/api/v3/resellers/1/invoices"

// The complete-invoice page's reply example, field by field.
func TestInvoiceExampleDecodes(t *testing.T) {
	inv, err := DecodeInvoice([]byte(fixture(t, "invoice_response.json")))
	require.NoError(t, err)
	msk := time.FixedZone("", 3*60*60)
	assert.Equal(t, int64(2046), inv.ID)
	assert.Equal(t, "NS2000015", inv.DocumentID)
	assert.Equal(t, InvoiceStatus("closed"), inv.Status)
	assert.Equal(t, Decimal("987.65"), inv.Total)
	assert.Equal(t, int64(505), inv.AccountID)
	assert.Equal(t, Date("2019-04-17"), inv.FromDate)
	assert.Equal(t, Date("2019-05-01"), inv.ToDate)
	d, ok := inv.FromDate.Time()
	require.True(t, ok)
	assert.Equal(t, time.Date(2019, 4, 17, 0, 0, 0, 0, time.UTC), d)
	assert.Equal(t, PaymentModelPostpay, inv.PaymentModel)
	assert.True(t, inv.Approved, `"approved":"true", a string in the example`)
	assert.True(t, inv.CreatedAt.Equal(time.Date(2019, 4, 18, 9, 2, 1, 257560000, msk)))
	assert.True(t, inv.UpdatedAt.Equal(time.Date(2019, 5, 2, 6, 12, 41, 990713000, msk)))
	assert.Equal(t, InvoiceRelationships{Subscriptions: []string{"3009839"}, Payments: []string{"12201"},
		Charges: []string{"323740"}}, inv.Relationships)
}

func TestDecodeInvoiceForms(t *testing.T) {
	for body, approved := range map[string]bool{
		`{"data":{"id":"1","type":"invoices","attributes":{"approved":true}}}`:                true,
		`{"data":{"id":"1","type":"invoices","attributes":{"approved":false}}}`:               false,
		`{"data":{"id":"1","type":"invoices","attributes":{"approved":"false"}}}`:             false,
		`{"data":{"id":"1","type":"invoices","attributes":{"approved":null}}}`:                false,
		`{"data":{"id":1,"type":"invoices","attributes":{}}}`:                                 false, // 6.0: integer id
		`{"data":[{"id":1,"type":"invoices","attributes":{"approved":true,"total":987.65}}]}`: true,  // 6.0: data as an array, total a float
	} {
		inv, err := DecodeInvoice([]byte(body))
		require.NoError(t, err, body)
		assert.Equal(t, int64(1), inv.ID)
		assert.Equal(t, approved, inv.Approved, body)
	}
	inv, err := DecodeInvoice([]byte(`{"data":[{"id":1,"attributes":{"total":987.65}}]}`))
	require.NoError(t, err)
	assert.Equal(t, Decimal("987.65"), inv.Total, "a number keeps its literal text")
	for _, body := range []string{``, `<html>`, `null`, `{"data":null}`, `{"data":[]}`, `{"data":[{"id":"1"},{"id":"2"}]}`,
		`{"errors":[{"status":"404"}]}`, `{"data":{"id":"1","type":"payments"}}`, `{"data":{"id":"x"}}`,
		`{"data":{"id":"1","attributes":{"approved":"yes"}}}`, `{"data":{"id":"1","attributes":{"total":"lots"}}}`,
		`{"data":"2046"}`} {
		_, err := DecodeInvoice([]byte(body))
		assert.ErrorIs(t, err, ErrUnexpectedResponse, body)
	}
	for _, body := range []string{``, `{"data":null}`, `{"errors":"x"}`, `{"data":[{"id":"0"}]}`} {
		_, err := DecodeInvoicePage([]byte(body))
		assert.ErrorIs(t, err, ErrUnexpectedResponse, body)
	}
}

func TestGetInvoiceWire(t *testing.T) {
	c, mt := newMocked(t)
	var rec recorder
	mt.RegisterResponder("GET", invoicesURL+"/2046", rec.reply(reply{status: 200, body: fixture(t, "invoice_response.json")}))
	inv, err := c.GetInvoice(context.Background(), 1, 2046, IncludePayments, IncludeTaxes)
	require.NoError(t, err)
	assert.Equal(t, "NS2000015", inv.DocumentID)
	reqs := rec.all()
	require.Len(t, reqs, 1)
	assert.Equal(t, invoicesURL+"/2046?include=payments%2Ctaxes", reqs[0].URL)
	assertJSONAPIHeaders(t, reqs[0], false)

	mt.RegisterResponder("GET", invoicesURL+"/7", rec.reply(reply{status: 404, body: `{"errors":[{"status":"404","title":"Record not found"}]}`}))
	_, err = c.GetInvoice(context.Background(), 1, 7)
	assert.ErrorIs(t, err, ErrNotFound)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
}

func TestListInvoicesWire(t *testing.T) {
	c, mt := newMocked(t)
	var rec recorder
	mt.RegisterResponder("GET", invoicesURL, rec.reply(reply{status: 200,
		body: `{"data":[` + mustInvoiceData(t) + `],"links":{"self":"/x","next":null},"meta":{"total_count":1}}`}))
	msk := time.FixedZone("", 3*60*60)
	page, err := c.ListInvoices(context.Background(), 1, &InvoiceListOptions{PageSize: 10, PageNumber: 2,
		CreatedAt: time.Date(2017, 10, 4, 15, 12, 1, 558009000, msk), Status: "closed", AccountID: 505,
		FromDate: "2019-04-01", ToDate: "2019-05-31", PaymentModel: PaymentModelPostpay,
		Filter: map[string]string{"total][gt": "1"}})
	require.NoError(t, err)
	require.Len(t, page.Invoices, 1)
	assert.Equal(t, int64(2046), page.Invoices[0].ID)
	assert.JSONEq(t, `{"total_count":1}`, string(page.Meta))
	u, err := url.Parse(rec.all()[0].URL)
	require.NoError(t, err)
	assert.Equal(t, url.Values{
		"page[size]": {"10"}, "page[number]": {"2"}, "filter[created_at]": {"2017-10-04T15:12:01.558009+03:00"},
		"filter[status]": {"closed"}, "filter[account_id]": {"505"}, "filter[from_date]": {"2019-04-01"},
		"filter[to_date]": {"2019-05-31"}, "filter[payment_model]": {"postpay"}, "filter[total][gt]": {"1"},
	}, u.Query())
	assertJSONAPIHeaders(t, rec.all()[0], false)

	_, err = c.ListInvoices(context.Background(), 1, nil)
	require.NoError(t, err)
	assert.Equal(t, invoicesURL, rec.all()[1].URL)
}

func mustInvoiceData(t *testing.T) string {
	t.Helper()
	s := fixture(t, "invoice_response.json")
	return s[len(`{"data":`) : len(s)-len("}\n")]
}

func TestInvoiceValidation(t *testing.T) {
	c, _ := newMocked(t)
	ctx := context.Background()
	for field, call := range map[string]func() error{
		"reseller_id": func() error { _, err := c.GetInvoice(ctx, 0, 1); return err },
		"invoice_id":  func() error { _, err := c.GetInvoice(ctx, 1, 0); return err },
		"include":     func() error { _, err := c.GetInvoice(ctx, 1, 1, Include("a,b")); return err },
		"filter[from_date]": func() error {
			_, err := c.ListInvoices(ctx, 1, &InvoiceListOptions{FromDate: "2019-4-1"})
			return err
		},
		"filter[to_date]": func() error {
			_, err := c.ListInvoices(ctx, 1, &InvoiceListOptions{ToDate: "01.05.2019"})
			return err
		},
		"filter[payment_model]": func() error {
			_, err := c.ListInvoices(ctx, 1, &InvoiceListOptions{PaymentModel: "later"})
			return err
		},
		"page[size]":         func() error { _, err := c.ListInvoices(ctx, 1, &InvoiceListOptions{PageSize: -1}); return err },
		"page[number]":       func() error { _, err := c.ListInvoices(ctx, 1, &InvoiceListOptions{PageNumber: -1}); return err },
		"filter[account_id]": func() error { _, err := c.ListInvoices(ctx, 1, &InvoiceListOptions{AccountID: -1}); return err },
		"filter": func() error {
			_, err := c.ListInvoices(ctx, 1, &InvoiceListOptions{Filter: map[string]string{"": "x"}})
			return err
		},
	} {
		err := call()
		var ie *InvalidRequestError
		require.ErrorAs(t, err, &ie, field)
		assert.Equal(t, field, ie.Field)
	}
	_, err := c.ListInvoices(ctx, 0, nil)
	assert.ErrorIs(t, err, ErrInvalidRequest)
}
