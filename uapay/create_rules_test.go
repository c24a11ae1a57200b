package uapay_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/caravanpay/caravan/uapay"
	"github.com/caravanpay/caravan/uapay/uapaytest"
)

// A P2P invoice carries cardTo.id, a SUBSCRIBE invoice recurringInterval
// and expiresAt, in data, as the create page's table says.
func TestCreateInvoiceP2PAndSubscribeWire(t *testing.T) {
	m := newMock(t)
	m.on("api/sessions/create", ok(sessionReply))
	m.on("api/invoicer/invoices/show/list", ok(`{"status":1,"data":{"invoices":[]}}`))
	m.on("api/invoicer/invoices/create", ok(`{"status":1,"data":{"id":"`+invoiceID+`","paymentPageUrl":"https://pay.example/p"}}`))
	c := mockClient(t, m)
	ctx := context.Background()
	_, err := c.CreateInvoice(ctx, &uapay.CreateInvoiceRequest{SystemType: uapay.SystemP2P, ExternalID: "p2p-1",
		Amount: 100, Description: "test payment", CardToID: cardID})
	require.NoError(t, err)
	_, err = c.CreateInvoice(ctx, &uapay.CreateInvoiceRequest{Type: uapay.TypeSubscribe, ExternalID: "sub-1",
		Amount: 100, Description: "test payment", RecurringInterval: 1, ExpiresAt: time.UnixMilli(1739345600000)})
	require.NoError(t, err)
	var creates []string
	for _, r := range m.requests() {
		if r.URL == mockBase+"api/invoicer/invoices/create" {
			_, rest := splitBody(t, r.Body)
			creates = append(creates, rest)
		}
	}
	require.Len(t, creates, 2)
	assert.Equal(t, `{"params":{"sessionId":"`+sessionID+`","systemType":"P2P"},"data":{"externalId":"p2p-1","type":"PAY",`+
		`"amount":100,"description":"test payment","cardTo":{"id":"`+cardID+`"}},"iat":1700000000,"token":"T"}`, creates[0])
	assert.Equal(t, `{"params":{"sessionId":"`+sessionID+`","systemType":"ECOM"},"data":{"externalId":"sub-1","type":"SUBSCRIBE",`+
		`"amount":100,"description":"test payment","recurringInterval":1,"expiresAt":1739345600000},"iat":1700000000,"token":"T"}`, creates[1])
}

func TestCreateInvoiceRulesByType(t *testing.T) {
	m := newMock(t) // nothing may be sent
	c := mockClient(t, m)
	later := fixedNow.Add(time.Hour)
	for _, tc := range []struct {
		req   uapay.CreateInvoiceRequest
		field string
	}{
		{uapay.CreateInvoiceRequest{}, "description"},
		{uapay.CreateInvoiceRequest{Description: "  "}, "description"},
		{uapay.CreateInvoiceRequest{Description: "d", SystemType: uapay.SystemP2P}, "cardTo.id"},
		{uapay.CreateInvoiceRequest{Description: "d", SystemType: uapay.SystemP2P, CardToID: "x"}, "cardTo.id"},
		{uapay.CreateInvoiceRequest{Description: "d", CardToID: cardID}, "cardTo.id"},
		{uapay.CreateInvoiceRequest{Description: "d", Type: uapay.TypeSubscribe, ExpiresAt: later}, "recurringInterval"},
		{uapay.CreateInvoiceRequest{Description: "d", Type: uapay.TypeSubscribe, RecurringInterval: 367, ExpiresAt: later}, "recurringInterval"},
		{uapay.CreateInvoiceRequest{Description: "d", Type: uapay.TypeSubscribe, RecurringInterval: -1, ExpiresAt: later}, "recurringInterval"},
		{uapay.CreateInvoiceRequest{Description: "d", Type: uapay.TypeSubscribe, RecurringInterval: 30}, "expiresAt"},
		{uapay.CreateInvoiceRequest{Description: "d", Type: uapay.TypeHold, RecurringInterval: 30}, "recurringInterval"},
	} {
		tc.req.ExternalID, tc.req.Amount = "o-1", 100
		_, err := c.CreateInvoice(context.Background(), &tc.req)
		var ie *uapay.InvalidRequestError
		require.ErrorAs(t, err, &ie, tc.field)
		assert.Equal(t, tc.field, ie.Field, "%+v", tc.req)
	}
	assert.Empty(t, m.requests())
}

// The fake agrees: a P2P and a SUBSCRIBE invoice built by the client are
// accepted, and the P2P recipient card is kept.
func TestCreateInvoiceP2PAndSubscribeOnTheFake(t *testing.T) {
	srv := uapaytest.Start(t)
	c := fakeClient(t, srv)
	ctx := context.Background()
	p2p, err := c.CreateInvoice(ctx, &uapay.CreateInvoiceRequest{SystemType: uapay.SystemP2P, ExternalID: "p2p", Amount: 100,
		Description: "transfer", CardToID: cardID})
	require.NoError(t, err)
	inv, _ := srv.Invoice(p2p.ID)
	assert.Equal(t, cardID, inv.CardToID)
	_, err = c.CreateInvoice(ctx, &uapay.CreateInvoiceRequest{Type: uapay.TypeSubscribe, ExternalID: "sub", Amount: 100,
		Description: "monthly", RecurringInterval: 30, ExpiresAt: time.Now().Add(24 * time.Hour), PayExpiresAt: time.Now().Add(time.Hour)})
	require.NoError(t, err)
}

// More than 100 ids or externalIds are sent in batches of 100, ids and
// externalIds apart; an invoice found twice is listed once.
func TestShowInvoicesBatches(t *testing.T) {
	srv := uapaytest.Start(t)
	c := fakeClient(t, srv)
	var ids, ext []string
	for i := range 150 {
		ids = append(ids, srv.AddInvoice(uapaytest.Invoice{ExternalID: fmt.Sprintf("o-%d", i), Amount: 100, Description: "d"}))
	}
	for i := range 120 {
		ext = append(ext, fmt.Sprintf("o-%d", i+100)) // o-100..o-149 are also among ids
	}
	found, err := c.ShowInvoices(context.Background(), &uapay.ShowInvoicesRequest{IDs: ids, ExternalIDs: ext})
	require.NoError(t, err)
	assert.Len(t, found, 150, "each invoice once; o-150..o-219 do not exist")
	seen := map[string]bool{}
	for _, inv := range found {
		assert.False(t, seen[inv.ID])
		seen[inv.ID] = true
	}
	var sizes []int
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/invoices/show/list") {
			var body struct {
				Params struct {
					IDs, ExternalIDs []string
				}
			}
			require.NoError(t, json.Unmarshal(r.Body, &body))
			require.True(t, len(body.Params.IDs) == 0 || len(body.Params.ExternalIDs) == 0, "one kind per request")
			sizes = append(sizes, len(body.Params.IDs)+len(body.Params.ExternalIDs))
		}
	}
	assert.Equal(t, []int{100, 50, 100, 20}, sizes)
}
