package uapay_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/caravanpay/caravan/uapay"
	"github.com/caravanpay/caravan/uapay/uapaytest"
)

const docSubscriptionID = "a911eea9-f791-4e9a-bcaf-a422585ec098"

func TestUpdateSubscriptionWire(t *testing.T) {
	m := newMock(t)
	m.on("api/sessions/create", ok(sessionReply))
	m.on("api/invoicer/subscriptions/update", ok(testdata(t, "subscriptions_update.json")))
	c := mockClient(t, m)
	// the document's example request: interval 1, expiresAt 1635749199999
	// (in the past of the fixed clock of 2023: use a later one of the
	// same shape)
	s, err := c.UpdateSubscription(context.Background(), docSubscriptionID,
		&uapay.SubscriptionUpdate{Interval: 1, ExpiresAt: time.UnixMilli(1735749199999)})
	require.NoError(t, err)
	exp := time.Date(2021, 11, 1, 6, 46, 39, 999e6, time.UTC)
	planned := time.Date(2018, 9, 7, 12, 41, 5, 0, time.UTC)
	assert.Equal(t, &uapay.Subscription{InvoiceID: docSubscriptionID, Amount: 1000, Commission: 500, Interval: 1,
		ExpiresAt: &exp, PlannedPaidAt: &planned, Status: "ACTIVE"}, s)
	reqs := m.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, mockBase+"api/invoicer/subscriptions/update", reqs[1].URL)
	tok, rest := splitBody(t, reqs[1].Body)
	want := `{"params":{"sessionId":"` + sessionID + `","invoiceId":"` + docSubscriptionID + `"},` +
		`"data":{"interval":1,"expiresAt":1735749199999},"iat":1700000000`
	assert.Equal(t, want+`,"token":"T"}`, rest, "invoiceId as the page's example has it; expiresAt in ms")
	_, claims := openJWT(t, tok)
	assert.Equal(t, want+`}`, claims)
}

func TestUpdateSubscriptionReadsTheTablesSpelling(t *testing.T) {
	m := newMock(t)
	m.on("api/sessions/create", ok(sessionReply))
	m.on("api/invoicer/subscriptions/update", ok(`{"status":1,"data":{"invoiceid":"`+docSubscriptionID+`","interval":"7","expiresAt":1735749199999}}`))
	c := mockClient(t, m)
	s, err := c.UpdateSubscription(context.Background(), docSubscriptionID, &uapay.SubscriptionUpdate{Interval: 7})
	require.NoError(t, err)
	assert.Equal(t, docSubscriptionID, s.InvoiceID)
	assert.Equal(t, 7, s.Interval)
	require.NotNil(t, s.ExpiresAt)
	assert.Equal(t, int64(1735749199999), s.ExpiresAt.UnixMilli(), "expiresAt as ms, as the table types it")
	assert.Nil(t, s.PlannedPaidAt)
	_, rest := splitBody(t, m.requests()[1].Body)
	assert.Contains(t, rest, `"data":{"interval":7}`, "an unset field is not sent")
}

func TestUpdateSubscriptionBadReplies(t *testing.T) {
	for name, body := range map[string]string{"no id": `{"status":1,"data":{"interval":1}}`, "html": `<html>`,
		"huge interval": `{"status":1,"data":{"invoiceId":"x","interval":99999999999}}`} {
		m := newMock(t)
		m.on("api/sessions/create", ok(sessionReply))
		m.on("api/invoicer/subscriptions/update", ok(body))
		_, err := mockClient(t, m).UpdateSubscription(context.Background(), docSubscriptionID, &uapay.SubscriptionUpdate{Interval: 1})
		assert.ErrorIs(t, err, uapay.ErrUnexpectedResponse, name)
		assert.ErrorIs(t, err, uapay.ErrOutcomeUnknown, name+": an unreadable 2xx to a write")
		assert.True(t, uapay.SafeToRepeat(err), name+": idempotent")
	}
}

func TestShowCommissionWire(t *testing.T) {
	m := newMock(t)
	m.on("api/sessions/create", ok(sessionReply))
	m.on("api/invoicer/payments/showCommission", ok(testdata(t, "show_commission.json")))
	c := mockClient(t, m)
	const docInvoice = "6e391161-94ff-41a3-bd22-c6d77509bff6"
	got, err := c.ShowCommission(context.Background(), docInvoice, 50000)
	require.NoError(t, err)
	assert.Equal(t, &uapay.Commission{Percents: "2", Fixed: 100, Amount: 1100}, got)
	reqs := m.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, mockBase+"api/invoicer/payments/showCommission", reqs[1].URL)
	tok, rest := splitBody(t, reqs[1].Body)
	want := `{"params":{"sessionId":"` + sessionID + `","invoiceId":"` + docInvoice + `"},"data":{"amount":50000},"iat":1700000000`
	assert.Equal(t, want+`,"token":"T"}`, rest, "amount in data, as the document says")
	_, claims := openJWT(t, tok)
	assert.Equal(t, want+`}`, claims)
}

func TestShowCommissionReplies(t *testing.T) {
	for name, tc := range map[string]struct {
		body string
		want *uapay.Commission
	}{
		"fractional rate": {`{"status":1,"data":{"commission":{"percents":1.5,"fixed":"0"},"commissionAmount":"750"}}`,
			&uapay.Commission{Percents: "1.5", Amount: 750}},
		"no amount":     {`{"status":1,"data":{"commission":{"percents":2}}}`, nil},
		"float amount":  {`{"status":1,"data":{"commissionAmount":10.5}}`, nil},
		"object amount": {`{"status":1,"data":{"commissionAmount":{}}}`, nil},
	} {
		m := newMock(t)
		m.on("api/sessions/create", ok(sessionReply))
		m.on("api/invoicer/payments/showCommission", ok(tc.body))
		got, err := mockClient(t, m).ShowCommission(context.Background(), invoiceID, 1)
		if tc.want == nil {
			assert.ErrorIs(t, err, uapay.ErrUnexpectedResponse, name)
			assert.NotErrorIs(t, err, uapay.ErrOutcomeUnknown, name+": a read")
			continue
		}
		require.NoError(t, err, name)
		assert.Equal(t, tc.want, got, name)
	}
}

func TestSubscriptionAndCommissionValidate(t *testing.T) {
	m := newMock(t) // nothing may be sent
	c := mockClient(t, m)
	ctx := context.Background()
	for want, f := range map[string]func() error{
		"invoiceId": func() error {
			_, err := c.UpdateSubscription(ctx, "x", &uapay.SubscriptionUpdate{Interval: 1})
			return err
		},
		"update": func() error {
			_, err := c.UpdateSubscription(ctx, docSubscriptionID, &uapay.SubscriptionUpdate{})
			return err
		},
		"interval": func() error {
			_, err := c.UpdateSubscription(ctx, docSubscriptionID, &uapay.SubscriptionUpdate{Interval: 367})
			return err
		},
		"expiresAt": func() error {
			_, err := c.UpdateSubscription(ctx, docSubscriptionID, &uapay.SubscriptionUpdate{ExpiresAt: fixedNow.Add(-time.Second)})
			return err
		},
		"amount": func() error { _, err := c.ShowCommission(ctx, invoiceID, 0); return err },
	} {
		var ie *uapay.InvalidRequestError
		require.ErrorAs(t, f(), &ie, want)
		assert.Equal(t, want, ie.Field)
	}
	_, err := c.UpdateSubscription(ctx, docSubscriptionID, nil)
	assert.ErrorIs(t, err, uapay.ErrInvalidRequest)
	_, err = c.ShowCommission(ctx, "", 5)
	assert.ErrorIs(t, err, uapay.ErrInvalidRequest)
	assert.Empty(t, m.requests())
}

func TestSubscriptionAndCommissionOnTheFake(t *testing.T) {
	srv := uapaytest.Start(t)
	c := fakeClient(t, srv)
	ctx := context.Background()
	created, err := c.CreateInvoice(ctx, &uapay.CreateInvoiceRequest{Type: uapay.TypeSubscribe, ExternalID: "sub-1", Amount: 1000,
		Description: "monthly", RecurringInterval: 30, ExpiresAt: time.Now().Add(365 * 24 * time.Hour)})
	require.NoError(t, err)
	end := time.Now().Add(24 * time.Hour).Truncate(time.Millisecond)
	srv.Route("subscriptions/update").CutAfterNext(1)
	s, err := c.UpdateSubscription(ctx, created.ID, &uapay.SubscriptionUpdate{Interval: 7, ExpiresAt: end})
	require.NoError(t, err, "idempotent: resent after the lost reply")
	assert.Equal(t, 7, s.Interval)
	assert.Equal(t, int64(1000), s.Amount)
	assert.Equal(t, int64(120), s.Commission)
	require.NotNil(t, s.ExpiresAt)
	assert.True(t, end.Equal(*s.ExpiresAt))
	inv, _ := srv.Invoice(created.ID)
	assert.Equal(t, 7, inv.RecurringInterval)

	pay, err := c.CreateInvoice(ctx, &uapay.CreateInvoiceRequest{ExternalID: "pay-1", Amount: 50000, Description: "once"})
	require.NoError(t, err)
	_, err = c.UpdateSubscription(ctx, pay.ID, &uapay.SubscriptionUpdate{Interval: 7})
	assert.ErrorIs(t, err, uapay.ErrValidation, "not a SUBSCRIBE invoice")
	assert.NotErrorIs(t, err, uapay.ErrOutcomeUnknown)

	got, err := c.ShowCommission(ctx, pay.ID, 1)
	require.NoError(t, err)
	assert.Equal(t, &uapay.Commission{Percents: "2", Fixed: 100, Amount: 1100}, got, "the invoice's own amount counts")
	open := srv.AddInvoice(uapaytest.Invoice{Description: "open amount"})
	got, err = c.ShowCommission(ctx, open, 10000)
	require.NoError(t, err)
	assert.Equal(t, int64(300), got.Amount, "an open amount: the given amount counts")
}
