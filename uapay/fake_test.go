package uapay_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/caravanpay/caravan/uapay"
	"github.com/caravanpay/caravan/uapay/uapaytest"
)

func TestFakeFlow(t *testing.T) {
	for _, signed := range []bool{false, true} {
		srv := uapaytest.NewServer()
		srv.SignReplies(signed)
		srv.SessionReplyInData(signed)
		c := fakeClient(t, srv)
		ctx := context.Background()
		created, err := c.CreateInvoice(ctx, &uapay.CreateInvoiceRequest{SystemType: uapay.SystemP2P, Type: uapay.TypeHold,
			ExternalID: "order-1", Amount: 12345, ExtraInfo: json.RawMessage(`{"a":1}`), ExpiresAt: time.Now().Add(time.Hour),
			Description: "Order 1", CardToID: cardID})
		require.NoError(t, err)
		assert.Contains(t, created.PaymentPageURL, created.ID)
		assert.Equal(t, 1, srv.InvoicesByExternalID("order-1"))
		assert.Equal(t, 0, srv.InvoicesByExternalID("order-2"))
		id, err := c.UpdateInvoice(ctx, created.ID, &uapay.InvoiceUpdate{
			CardTo: &uapay.CardTo{PAN: seedPAN, ID: cardID}, Tag: uapay.Ptr("Клиент 1"), RedirectURL: uapay.Ptr("https://uapay.ua"),
			CallbackURL: uapay.Ptr("http://ptsv2.com/t/test_server/post"),
			ExtraInfo:   json.RawMessage(`{"base":true,"origin":"invoicer","email":"test@ukr.net"}`)})
		require.NoError(t, err)
		assert.Equal(t, created.ID, id)
		inv, err := c.ShowInvoice(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, "Клиент 1", inv.Tag)
		assert.Equal(t, "https://uapay.ua", inv.RedirectURL)
		assert.Equal(t, uapay.SystemP2P, inv.SystemType)
		assert.Equal(t, uapay.TypeHold, inv.Type)
		assert.Equal(t, int64(12345), inv.Amount)
		assert.Equal(t, uapay.InvoiceActive, inv.InvoiceStatus)
		assert.JSONEq(t, `{"base":true,"origin":"invoicer","email":"test@ukr.net"}`, string(inv.ExtraInfo))
		assert.False(t, inv.CreatedAt.IsZero())
		assert.NotNil(t, inv.ExpiresAt)
		assert.Equal(t, 1, srv.SessionsCreated())
		assert.Equal(t, 1, srv.Updates(id))
		fi, ok := srv.Invoice(id)
		require.True(t, ok)
		assert.Equal(t, cardID, fi.CardToID)
		srv.Close()
	}
}

func TestFakeSessionsAndRetries(t *testing.T) {
	srv := uapaytest.NewServer()
	defer srv.Close()
	id := srv.AddInvoice(uapaytest.Invoice{Amount: 100})
	c := fakeClient(t, srv)
	ctx := context.Background()

	// concurrent first calls share one session
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.ShowInvoice(ctx, id)
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	assert.Equal(t, 1, srv.SessionsCreated())

	// expiry is mended by a new session and one repeat
	srv.ExpireSessions()
	_, err := c.UpdateInvoice(ctx, id, &uapay.InvoiceUpdate{Tag: uapay.Ptr("a")})
	require.NoError(t, err)
	assert.Equal(t, 2, srv.SessionsCreated())
	assert.Equal(t, 1, srv.Updates(id))

	// idempotent update: a reply lost after processing is retried
	srv.CutAfterNext(1)
	_, err = c.UpdateInvoice(ctx, id, &uapay.InvoiceUpdate{Tag: uapay.Ptr("b")})
	require.NoError(t, err)
	assert.Equal(t, 3, srv.Updates(id), "processed twice, same result")

	srv.FailNextRetryAfter(1, 503, `{"status":0}`, "0")
	_, err = c.ShowInvoice(ctx, id)
	require.NoError(t, err)

	// reconciled create: a lost reply is looked up by externalId, not resent
	before := srv.InvoiceCount()
	srv.CutAfterNext(2) // the look before sending, and the create
	_, err = c.CreateInvoice(ctx, &uapay.CreateInvoiceRequest{ExternalID: "o", Amount: 1, Description: "d"})
	require.NoError(t, err)
	assert.Equal(t, before+1, srv.InvoiceCount(), "created once, not twice")

	// truncated reply on a read
	srv.TruncateNext(4)
	_, err = c.ShowInvoice(ctx, id)
	assert.Error(t, err)

	// unknown invoice
	_, err = c.ShowInvoice(ctx, "6e391161-94ff-41a3-bd22-c6d77509bff6")
	assert.ErrorIs(t, err, uapay.ErrNotFound)
	var e *uapay.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "INVOICE_NOT_FOUND", e.Code)

	// context cancelled while waiting
	srv.SlowNext(1, time.Second)
	cctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	_, err = c.ShowInvoice(cctx, id)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NotEmpty(t, srv.Requests())
}

func TestFakeRejections(t *testing.T) {
	srv := uapaytest.NewServer()
	defer srv.Close()
	ctx := context.Background()

	skewed := fakeClient(t, srv, uapay.WithClock(func() time.Time { return time.Now().Add(-30 * time.Second) }))
	_, err := skewed.CreateSession(ctx)
	assert.ErrorIs(t, err, uapay.ErrTimeLimit)
	assert.Contains(t, err.Error(), "clock")

	wrongKey, err := uapay.NewClient(uapaytest.ClientID, "wrong", uapay.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = wrongKey.CreateSession(ctx)
	assert.ErrorIs(t, err, uapay.ErrSignature)
	assert.ErrorIs(t, err, uapay.ErrUnauthorized)

	stranger, err := uapay.NewClient("someone", uapaytest.SignKey, uapay.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = stranger.CreateSession(ctx)
	assert.ErrorIs(t, err, uapay.ErrUnauthorized)

	// error replies with HTTP 200
	srv.SetErrorStatus(200)
	_, err = skewed.CreateSession(ctx)
	assert.ErrorIs(t, err, uapay.ErrTimeLimit)
	var e *uapay.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 200, e.StatusCode)

	// short sessions expire by themselves
	srv.SetErrorStatus(400)
	srv.SetSessionTTL(200 * time.Millisecond)
	id := srv.AddInvoice(uapaytest.Invoice{})
	c := fakeClient(t, srv)
	_, err = c.CreateSession(ctx)
	require.NoError(t, err)
	time.Sleep(250 * time.Millisecond)
	_, err = c.ShowInvoice(ctx, id)
	require.NoError(t, err, "the expired session is renewed")
	assert.Equal(t, 2, srv.SessionsCreated())
	srv.SetClock(time.Now)
}

func TestRetryIsSignedAfresh(t *testing.T) {
	srv := uapaytest.NewServer()
	defer srv.Close()
	id := srv.AddInvoice(uapaytest.Invoice{Amount: 100})
	late := time.Now().Add(30 * time.Second)
	srv.SetClock(func() time.Time { return late })
	// The client's clock reads 30 s slow only when it signs the first
	// attempt of the update, as if a long Retry-After wait followed it: a
	// retry that resent that iat would meet TIMELIMIT_ERROR.
	var mu sync.Mutex
	calls := 0
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls == 2 {
			return late.Add(-30 * time.Second)
		}
		return late
	}
	c := fakeClient(t, srv, uapay.WithClock(clock))
	ctx := context.Background()
	_, err := c.CreateSession(ctx) // clock call 1
	require.NoError(t, err)
	srv.FailNext(1, 503, "busy")
	_, err = c.UpdateInvoice(ctx, id, &uapay.InvoiceUpdate{Tag: uapay.Ptr("late")}) // calls 2 and 3
	require.NoError(t, err)
	assert.Equal(t, 1, srv.Updates(id))
	assert.Equal(t, 3, calls)
}
