package uapay_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/caravanpay/caravan/uapay"
	"github.com/caravanpay/caravan/uapay/uapaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const foundList = `{"status":1,"data":{"invoices":[{"Id":"` + invoiceID + `","externalId":"order-7","amount":10050,"paymentPageUrl":"https://pay.example/p","invoiceStatus":"ACTIVE"}]}}`

func TestCreateInvoiceLostReplyIsFoundByExternalID(t *testing.T) {
	m := newMock(t)
	m.on("api/sessions/create", ok(`{"status":1,"data":{"id":"`+sessionID+`"}}`))
	m.on("api/invoicer/invoices/show/list", ok(`{"status":1,"data":{"invoices":[]}}`), ok(foundList))
	creates := 0
	m.RegisterResponder(http.MethodPost, mockBase+"api/invoicer/invoices/create", func(*http.Request) (*http.Response, error) {
		creates++
		return nil, fmt.Errorf("connection reset by peer") // created, reply lost
	})
	c := mockClient(t, m)
	got, err := c.CreateInvoice(context.Background(), &uapay.CreateInvoiceRequest{ExternalID: "order-7", Amount: 10050, Description: "d"})
	require.NoError(t, err)
	assert.Equal(t, invoiceID, got.ID)
	assert.Equal(t, "https://pay.example/p", got.PaymentPageURL)
	assert.Equal(t, 1, creates, "never sent twice")
}

func TestCreateInvoiceUnreadable2xxThenLookFailsIsOutcomeUnknown(t *testing.T) {
	for name, body := range map[string]string{"html": "<html>ok</html>", "empty": "", "half": `{"status":1,"data":{"id":"06`} {
		t.Run(name, func(t *testing.T) {
			m := newMock(t)
			m.on("api/sessions/create", ok(`{"status":1,"data":{"id":"`+sessionID+`"}}`))
			m.on("api/invoicer/invoices/create", ok(body))
			m.on("api/invoicer/invoices/show/list", ok(`{"status":1,"data":{"invoices":[]}}`),
				reply{500, "down"}, reply{500, "down"}, reply{500, "down"}, reply{500, "down"})
			c := mockClient(t, m, uapay.WithRetry(3, 1, 1))
			_, err := c.CreateInvoice(context.Background(), &uapay.CreateInvoiceRequest{ExternalID: "order-7", Amount: 10050, Description: "d"})
			require.Error(t, err)
			assert.ErrorIs(t, err, uapay.ErrOutcomeUnknown)
			assert.True(t, uapay.SafeToRepeat(err), "the same CreateInvoice looks first")
			// the text says why the look could not settle it, on one line
			assert.Contains(t, err.Error(), "; the look for the invoice failed: uapay: POST /api/invoicer/invoices/show/list: provider server error (HTTP 500)")
			assert.NotContains(t, err.Error(), "\n")
		})
	}
}

func TestCreateInvoiceReturnsTheExistingInvoice(t *testing.T) {
	m := newMock(t)
	m.on("api/sessions/create", ok(`{"status":1,"data":{"id":"`+sessionID+`"}}`))
	m.on("api/invoicer/invoices/show/list", ok(foundList))
	c := mockClient(t, m)
	got, err := c.CreateInvoice(context.Background(), &uapay.CreateInvoiceRequest{ExternalID: "order-7", Amount: 10050, Description: "d"})
	require.NoError(t, err)
	assert.Equal(t, invoiceID, got.ID)

	_, err = c.CreateInvoice(context.Background(), &uapay.CreateInvoiceRequest{ExternalID: "order-7", Amount: 1, Description: "d"})
	var taken *uapay.ExternalIDTakenError
	require.ErrorAs(t, err, &taken)
	assert.ErrorIs(t, err, uapay.ErrConflict)
	assert.Equal(t, int64(10050), taken.Amount)
	assert.True(t, uapay.SafeToRepeat(err))
}

func TestShowInvoicesBatchesOf100(t *testing.T) {
	srv := uapaytest.NewServer()
	defer srv.Close()
	var ext []string
	for i := 0; i < 230; i++ {
		ext = append(ext, fmt.Sprintf("o-%d", i))
		if i%2 == 0 {
			srv.AddInvoice(uapaytest.Invoice{ExternalID: ext[i], Amount: int64(i + 1)})
		}
	}
	c := fakeClient(t, srv)
	got, err := c.ShowInvoices(context.Background(), &uapay.ShowInvoicesRequest{ExternalIDs: ext})
	require.NoError(t, err)
	assert.Len(t, got, 115)
	lists := 0
	for _, r := range srv.Requests() {
		if r.Path == "/api/invoicer/invoices/show/list" {
			lists++
			var env struct {
				Params struct {
					ExternalIDs []string `json:"externalIds"`
				} `json:"params"`
			}
			_ = json.Unmarshal(r.Body, &env) // signed bodies carry the params in clear too
			assert.LessOrEqual(t, len(env.Params.ExternalIDs), 100)
		}
	}
	assert.Equal(t, 3, lists)

	_, err = c.ShowInvoices(context.Background(), &uapay.ShowInvoicesRequest{})
	assert.ErrorIs(t, err, uapay.ErrInvalidRequest)
	_, err = c.ShowInvoices(context.Background(), &uapay.ShowInvoicesRequest{IDs: []string{"nope"}})
	assert.ErrorIs(t, err, uapay.ErrInvalidRequest)
}

func TestReadsNeverReturnOutcomeUnknown(t *testing.T) {
	m := newMock(t)
	m.on("api/sessions/create", ok(`{"status":1,"data":{"id":"`+sessionID+`"}}`))
	m.on("api/invoicer/invoices/show", reply{502, "<html>bad gateway</html>"})
	m.on("api/invoicer/invoices/show/list", ok(`<html>`))
	c := mockClient(t, m, uapay.WithRetry(0, 0, 0))
	_, err := c.ShowInvoice(context.Background(), invoiceID)
	require.Error(t, err)
	assert.NotErrorIs(t, err, uapay.ErrOutcomeUnknown)
	_, err = c.ShowInvoices(context.Background(), &uapay.ShowInvoicesRequest{IDs: []string{invoiceID}})
	require.Error(t, err)
	assert.ErrorIs(t, err, uapay.ErrUnexpectedResponse)
	assert.NotErrorIs(t, err, uapay.ErrOutcomeUnknown)
}
