package activeplatform_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/caravanpay/caravan/activeplatform"
	"github.com/caravanpay/caravan/activeplatform/activeplatformtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newFake(t *testing.T) (*activeplatformtest.Server, *activeplatform.Client) {
	t.Helper()
	srv := activeplatformtest.NewServer()
	t.Cleanup(srv.Close)
	srv.SeedExample()
	c, err := activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL(srv.URL),
		activeplatform.WithRetry(3, time.Millisecond, 5*time.Millisecond))
	require.NoError(t, err)
	return srv, c
}

func TestFakeCompletePayment(t *testing.T) {
	srv, c := newFake(t)
	p, err := c.CompletePayment(context.Background(), &activeplatform.CompletePaymentRequest{ResellerID: 1, PaymentID: 6475, PaymentMethodID: 2})
	require.NoError(t, err)
	assert.Equal(t, activeplatform.PaymentCompleted, p.Status)
	assert.Equal(t, activeplatform.Decimal("99.0"), p.Total)
	assert.Equal(t, "USD", p.CurrencyCode)
	assert.Equal(t, int64(2), p.PaymentMethodID)
	assert.Equal(t, "Cash", p.PaymentMethodName)
	assert.Equal(t, "2005258", p.DocumentID)
	assert.Equal(t, int64(505), p.AccountID)
	require.NotNil(t, p.ClosedAt)
	assert.Equal(t, "2", p.Relationships.PaymentMethodID)
	assert.Equal(t, 1, srv.Completions(6475))

	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "PATCH", reqs[0].Method)
	assert.Equal(t, "/api/v3/resellers/1/payments/6475", reqs[0].Path)
	assert.Equal(t, `{"data":{"type":"payments","id":"6475","attributes":{"payment_method_id":2}}}`, string(reqs[0].Body))

	// A second completion is refused on its first attempt: never reconciled away.
	_, err = c.CompletePayment(context.Background(), &activeplatform.CompletePaymentRequest{ResellerID: 1, PaymentID: 6475, PaymentMethodID: 2})
	assert.ErrorIs(t, err, activeplatform.ErrNotCompletable)
	assert.ErrorIs(t, err, activeplatform.ErrValidation)
	assert.Len(t, srv.Requests(), 2, "no reconciling read after a first-attempt 422")
	assert.Equal(t, 1, srv.Completions(6475))
}

func TestFakeLostReplyReconcilesToSuccess(t *testing.T) {
	srv, c := newFake(t)
	srv.CutAfterNext(1)
	p, err := c.CompletePayment(context.Background(), &activeplatform.CompletePaymentRequest{ResellerID: 1, PaymentID: 6475, PaymentMethodID: 2})
	require.NoError(t, err)
	assert.Equal(t, activeplatform.PaymentCompleted, p.Status)
	assert.Equal(t, int64(2), p.PaymentMethodID)
	assert.Equal(t, 1, srv.Completions(6475), "completed once")
	var methods []string
	for _, r := range srv.Requests() {
		methods = append(methods, r.Method)
	}
	// the SDK looked before sending again: no second PATCH
	assert.Equal(t, []string{"PATCH", "GET"}, methods)
}

func TestFakeCompletedByOtherMethodIsNotCompletable(t *testing.T) {
	srv, c := newFake(t)
	srv.AddPaymentMethod(3, "Bank transfer")
	srv.Complete(6475, 3) // another manager completes it with another method
	srv.CutAfterNext(1)   // our first attempt may have been applied, the look finds the other method
	_, err := c.CompletePayment(context.Background(), &activeplatform.CompletePaymentRequest{ResellerID: 1, PaymentID: 6475, PaymentMethodID: 2})
	require.Error(t, err)
	assert.ErrorIs(t, err, activeplatform.ErrNotCompletable)
	assert.NotErrorIs(t, err, activeplatform.ErrOutcomeUnknown)
	assert.True(t, activeplatform.SafeToRepeat(err))
	assert.Contains(t, err.Error(), "payment method 3")
	assert.Equal(t, 1, srv.Completions(6475))
	assert.Equal(t, "GET", srv.Requests()[1].Method, "the lost reply was checked with a read")

	// a 503 and then a 422 is a plain refusal: the 503 applied nothing
	srv.FailNext(1, 503, "")
	_, err = c.CompletePayment(context.Background(), &activeplatform.CompletePaymentRequest{ResellerID: 1, PaymentID: 6475, PaymentMethodID: 2})
	assert.ErrorIs(t, err, activeplatform.ErrNotCompletable)
	assert.NotErrorIs(t, err, activeplatform.ErrOutcomeUnknown)
	var e *activeplatform.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 422, e.StatusCode)
	assert.Equal(t, 2, e.Attempts)
}

func TestFakeReconcileReadFailsIsOutcomeUnknown(t *testing.T) {
	srv, c := newFake(t)
	srv.CutAfterNext(1)      // the completion is applied, its reply lost
	srv.FailNext(4, 500, "") // every reconciling read fails
	_, err := c.CompletePayment(context.Background(), &activeplatform.CompletePaymentRequest{ResellerID: 1, PaymentID: 6475, PaymentMethodID: 2})
	require.Error(t, err)
	assert.ErrorIs(t, err, activeplatform.ErrOutcomeUnknown)
	assert.True(t, activeplatform.SafeToRepeat(err), "reconciled: the same call again completes at most once")
	assert.Contains(t, err.Error(), "reading the payment to find out failed")
	assert.Equal(t, 1, srv.Completions(6475))
}

func TestFakeExpiredCanBeCompleted(t *testing.T) {
	srv, c := newFake(t)
	require.True(t, srv.SetStatus(6475, activeplatformtest.StatusExpired))
	p, err := c.CompletePayment(context.Background(), &activeplatform.CompletePaymentRequest{ResellerID: 1, PaymentID: 6475, PaymentMethodID: 2})
	require.NoError(t, err)
	assert.Equal(t, activeplatform.PaymentCompleted, p.Status)
	assert.False(t, srv.SetStatus(1, "x"))
	assert.False(t, srv.Complete(1, 2))
}

func TestFakeRules(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()

	bad, err := activeplatform.NewClient("wrong", activeplatform.WithBaseURL(srv.URL), activeplatform.WithRetry(0, 0, 0))
	require.NoError(t, err)
	_, err = bad.GetPayment(ctx, 1, 6475)
	assert.ErrorIs(t, err, activeplatform.ErrUnauthorized)
	var e *activeplatform.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "Unauthorized", e.Errors[0].Title)
	assert.NotContains(t, err.Error(), "wrong")

	_, err = c.GetPayment(ctx, 1, 9999)
	assert.ErrorIs(t, err, activeplatform.ErrNotFound)
	_, err = c.GetPayment(ctx, 77, 6475)
	assert.ErrorIs(t, err, activeplatform.ErrNotFound)
	_, err = c.GetPayment(ctx, 2, 6475) // downstream reseller, not the payment's
	assert.ErrorIs(t, err, activeplatform.ErrNotFound)

	_, err = c.CompletePayment(ctx, &activeplatform.CompletePaymentRequest{ResellerID: 1, PaymentID: 6475, PaymentMethodID: 42}) // unknown method
	require.ErrorAs(t, err, &e)
	assert.ErrorIs(t, err, activeplatform.ErrValidation)
	assert.NotErrorIs(t, err, activeplatform.ErrNotCompletable)
	assert.Equal(t, "/data/attributes/payment_method_id", e.Errors[0].Pointer)

	// A token of the downstream reseller cannot see its parent.
	srv.SetTokenReseller(2)
	assert.Equal(t, int64(2), srv.TokenReseller())
	_, err = c.GetReseller(ctx, 1)
	assert.ErrorIs(t, err, activeplatform.ErrNotFound)
	r, err := c.GetReseller(ctx, 2)
	require.NoError(t, err)
	assert.Equal(t, int64(1), r.ParentID)
}

// raw sends a request the client would never send, to check the fake's rules.
func raw(t *testing.T, srv *activeplatformtest.Server, method, path, body string, header map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("X-Api-Token", activeplatformtest.Token)
	req.Header.Set("Accept", "application/vnd.api+json")
	if body != "" {
		req.Header.Set("Content-Type", "application/vnd.api+json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

func TestFakeMediaTypesAndShapes(t *testing.T) {
	srv, _ := newFake(t)
	const p = "/api/v3/resellers/1/payments/6475"
	body := `{"data":{"attributes":{"payment_method_id":2}}}`
	st, _ := raw(t, srv, "PATCH", p, body, map[string]string{"Content-Type": "application/json"})
	assert.Equal(t, 415, st)
	st, _ = raw(t, srv, "PATCH", p, body, map[string]string{"Accept": "application/json"})
	assert.Equal(t, 406, st)
	st, _ = raw(t, srv, "GET", p, "", map[string]string{"Accept": "*/*"})
	assert.Equal(t, 200, st)
	st, _ = raw(t, srv, "PATCH", p, `{"data":{}}`, nil)
	assert.Equal(t, 422, st, "malformed documents answer 422, as the provider's examples")
	st, _ = raw(t, srv, "PATCH", p, `{"data":{"attributes":{"payment_method_id":"x"}}}`, nil)
	assert.Equal(t, 422, st)
	st, _ = raw(t, srv, "PATCH", p, `{"data":{"attributes":{"payment_method_id":-2}}}`, nil)
	assert.Equal(t, 422, st)
	st, _ = raw(t, srv, "PUT", p, "", nil)
	assert.Equal(t, 405, st)
	st, _ = raw(t, srv, "GET", "/api/v2/x", "", nil)
	assert.Equal(t, 404, st)
	st, _ = raw(t, srv, "GET", "/api/v3/resellers/abc", "", nil)
	assert.Equal(t, 404, st)
	st, _ = raw(t, srv, "GET", "/api/v3/resellers/1/accounts", "", nil)
	assert.Equal(t, 404, st)
	st, _ = raw(t, srv, "GET", p+"?include=bogus", "", nil)
	assert.Equal(t, 400, st)
	for _, q := range []string{"page[size]=0", "page[number]=x", "filter[created_at][gt]=yesterday", "sort=color"} {
		st, _ = raw(t, srv, "GET", "/api/v3/resellers/1/payments?"+q, "", nil)
		assert.Equal(t, 400, st, q)
	}
	st, _ = raw(t, srv, "POST", "/api/v3/resellers/1/payments", `{"data":{"attributes":{"account_id":5,"total":7}}}`, nil)
	assert.Equal(t, 201, st)
	st, _ = raw(t, srv, "POST", "/api/v3/resellers/1/payments", `{"data":{"attributes":{"account_id":5,"total":"x"}}}`, nil)
	assert.Equal(t, 422, st)

	// The documented 422, byte for byte.
	srv.Complete(6475, 2)
	st, got := raw(t, srv, "PATCH", p, body, nil)
	assert.Equal(t, 422, st)
	assert.Equal(t, activeplatformtest.NotCompletableBody, got)
}

func TestFakeGetPaymentIncludes(t *testing.T) {
	srv, c := newFake(t)
	srv.Complete(6475, 2)
	p, err := c.GetPayment(context.Background(), 1, 6475, activeplatform.IncludePaymentMethod,
		activeplatform.IncludeAccount, activeplatform.IncludeReseller, activeplatform.IncludeInvoices)
	require.NoError(t, err)
	require.Len(t, p.Included, 3)
	assert.Equal(t, "payment_methods", p.Included[0].Type)
	assert.JSONEq(t, `{"name":"Cash"}`, string(p.Included[0].Attributes))
	assert.Equal(t, "payment_method,account,reseller,invoices", srv.Requests()[0].Query.Get("include"))
}

func TestFakeCompleteByDocument(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	pay := srv.AddPayment(activeplatformtest.Payment{ResellerID: 1, AccountID: 505, Total: "50.00", CurrencyCode: "EUR"})
	require.Equal(t, "006476", pay.DocumentID)

	req := &activeplatform.CompleteByDocumentRequest{DocumentID: pay.DocumentID, PaymentMethodID: 2,
		Amount: "49.50", CurrencyCode: "USD", ExternalTransactionID: "ext-1"}
	_, err := c.CompletePaymentByDocument(ctx, 1, req)
	var e *activeplatform.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "/data/attributes/currency_code", e.Errors[0].Pointer)

	req.CurrencyCode = "eur"
	p, err := c.CompletePaymentByDocument(ctx, 1, req)
	require.NoError(t, err)
	assert.Equal(t, activeplatform.PaymentCompleted, p.Status)
	assert.Equal(t, pay.ID, p.ID)
	assert.Len(t, p.Relationships.Corrections, 1, "a partial payment creates a correction")
	stored, ok := srv.Payment(pay.ID)
	require.True(t, ok)
	assert.Equal(t, "ext-1", stored.ExternalTransactionID)

	_, err = c.CompletePaymentByDocument(ctx, 1, req)
	assert.ErrorIs(t, err, activeplatform.ErrNotCompletable)
	req.DocumentID = "nope"
	_, err = c.CompletePaymentByDocument(ctx, 1, req)
	assert.ErrorIs(t, err, activeplatform.ErrNotFound)

	// The exact amount creates no correction.
	p, err = c.CompletePaymentByDocument(ctx, 1, &activeplatform.CompleteByDocumentRequest{DocumentID: "2005258",
		PaymentMethodID: 2, Amount: "99", CurrencyCode: "USD", ExternalTransactionID: "ext-2"})
	require.NoError(t, err)
	assert.Empty(t, p.Relationships.Corrections)
	_, ok = srv.Payment(123456)
	assert.False(t, ok)
}

func TestFakeCompleteByDocumentCutIsOutcomeUnknown(t *testing.T) {
	srv, c := newFake(t)
	srv.CutAfterNext(1)
	_, err := c.CompletePaymentByDocument(context.Background(), 1, &activeplatform.CompleteByDocumentRequest{
		DocumentID: "2005258", PaymentMethodID: 2, Amount: "99.0", CurrencyCode: "USD", ExternalTransactionID: "ext"})
	require.Error(t, err)
	assert.ErrorIs(t, err, activeplatform.ErrOutcomeUnknown)
	assert.Len(t, srv.Requests(), 1, "unsafe: not retried after the request was sent")
	assert.Equal(t, 1, srv.Completions(6475))
}

func TestFakeCreateAndList(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	p, err := c.CreatePayment(ctx, 1, &activeplatform.CreatePaymentRequest{AccountID: 505, Total: "10.5", Comment: "top-up payment", Purpose: "top-up"})
	require.NoError(t, err)
	assert.Equal(t, activeplatform.PaymentWaitingForPayment, p.Status)
	assert.Equal(t, activeplatform.Decimal("10.5"), p.Total)
	assert.Equal(t, "top-up", p.Purpose)
	for i := 0; i < 5; i++ {
		_, err := c.CreatePayment(ctx, 1, &activeplatform.CreatePaymentRequest{AccountID: 506, Total: activeplatform.Decimal(fmt.Sprint(i + 1)), Comment: "c"})
		require.NoError(t, err)
	}
	srv.AddPayment(activeplatformtest.Payment{ResellerID: 2, AccountID: 9, Total: "1"}) // another reseller's

	page, err := c.ListPayments(ctx, 1, &activeplatform.ListOptions{PageSize: 3, Sort: "-id"})
	require.NoError(t, err)
	require.Len(t, page.Payments, 3)
	assert.NotEmpty(t, page.Links.Next)
	assert.JSONEq(t, `{"total_count":7,"total_pages":3}`, string(page.Meta))
	assert.Equal(t, int64(6481), page.Payments[0].ID)

	var ids []string
	for p, err := range c.All(ctx, 1, &activeplatform.ListOptions{PageSize: 3, Sort: "total"}) {
		require.NoError(t, err)
		ids = append(ids, fmt.Sprint(p.ID, "=", p.Total))
	}
	assert.Equal(t, []string{"6477=1", "6478=2", "6479=3", "6480=4", "6481=5", "6476=10.5", "6475=99.0"}, ids)

	var filtered []int64
	for p, err := range c.All(ctx, 1, &activeplatform.ListOptions{Filter: map[string]string{"account_id": "506"},
		Status: activeplatform.PaymentWaitingForPayment, CreatedAfter: time.Now().Add(-time.Hour)}) {
		require.NoError(t, err)
		filtered = append(filtered, p.ID)
	}
	assert.Len(t, filtered, 5)

	// Breaking out stops the walk.
	n := 0
	for range c.All(ctx, 1, &activeplatform.ListOptions{PageSize: 1}) {
		n++
		if n == 2 {
			break
		}
	}
	assert.Equal(t, 2, n)

	// An error is yielded once.
	srv.FailNext(4, 500, "boom")
	var errs int
	for p, err := range c.All(ctx, 1, nil) {
		assert.Nil(t, p)
		assert.ErrorIs(t, err, activeplatform.ErrServer)
		errs++
	}
	assert.Equal(t, 1, errs)

	page, err = c.ListPayments(ctx, 1, &activeplatform.ListOptions{CreatedBefore: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	require.Len(t, page.Payments, 1)
	assert.Equal(t, int64(6475), page.Payments[0].ID)
}

// A created_at filter keeps microseconds: a payment created inside the
// filter's second is listed by an lt filter a microsecond after it (the
// whole-second filter of old dropped it) and not by one at it.
func TestFakeListFilterKeepsMicroseconds(t *testing.T) {
	srv, c := newFake(t)
	msk := time.FixedZone("MSK", 3*60*60)
	at := time.Date(2017, 10, 4, 15, 12, 1, 558009000, msk)
	srv.AddPayment(activeplatformtest.Payment{ID: 9001, ResellerID: 1, AccountID: 7, Total: "1", CreatedAt: at})
	ctx := context.Background()
	list := func(o activeplatform.ListOptions) []int64 {
		o.Filter = map[string]string{"account_id": "7"}
		page, err := c.ListPayments(ctx, 1, &o)
		require.NoError(t, err)
		var ids []int64
		for _, p := range page.Payments {
			ids = append(ids, p.ID)
		}
		return ids
	}
	assert.Equal(t, []int64{9001}, list(activeplatform.ListOptions{CreatedBefore: at.Add(time.Microsecond)}))
	assert.Equal(t, []int64{9001}, list(activeplatform.ListOptions{CreatedBefore: at.Add(time.Nanosecond)}), "rounded up, never down")
	assert.Empty(t, list(activeplatform.ListOptions{CreatedBefore: at}))
	assert.Empty(t, list(activeplatform.ListOptions{CreatedAfter: at}))
	assert.Equal(t, []int64{9001}, list(activeplatform.ListOptions{CreatedAfter: at.Add(-time.Microsecond)}))
	assert.Equal(t, []int64{9001}, list(activeplatform.ListOptions{CreatedAfter: at.Add(-time.Nanosecond)}))
}

func TestFakeResellers(t *testing.T) {
	_, c := newFake(t)
	r, err := c.GetReseller(context.Background(), 1)
	require.NoError(t, err)
	assert.Equal(t, int64(1), r.ID)
	assert.Equal(t, int64(0), r.ParentID)
	assert.Equal(t, "Example Cloud", r.General.Name)
	assert.Equal(t, "USD", r.General.Currency)
	assert.Equal(t, "test.activeplatform.com", r.General.Domain)
	assert.Equal(t, "manager@example.com", r.General.Manager)
}

func TestFakeFaults(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()

	srv.TruncateNext(1)
	_, err := c.GetPayment(ctx, 1, 6475) // truncated, retried: idempotent
	require.NoError(t, err)

	srv.CutNext(1)
	_, err = c.GetPayment(ctx, 1, 6475)
	require.NoError(t, err)

	srv.FailNextRetryAfter(1, 429, `{"errors":[{"status":"429","title":"Too many"}]}`, "0")
	_, err = c.GetReseller(ctx, 1)
	require.NoError(t, err)

	srv.FailNext(4, 502, "<html>bad gateway</html>")
	_, err = c.GetReseller(ctx, 1)
	assert.ErrorIs(t, err, activeplatform.ErrServer)
	var e *activeplatform.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 4, e.Attempts)
	assert.Equal(t, "<html>bad gateway</html>", e.Body)

	srv.SlowNext(1, 200*time.Millisecond)
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	_, err = c.GetReseller(short, 1)
	assert.ErrorIs(t, err, context.DeadlineExceeded)

	srv.SetDelay(time.Millisecond)
	_, err = c.GetReseller(ctx, 1)
	require.NoError(t, err)
	srv.SetDelay(0)

	srv.ResetRequests()
	assert.Empty(t, srv.Requests())
}

func TestFakeConcurrentCompletionsCompleteOnce(t *testing.T) {
	srv, c := newFake(t)
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		go func() {
			_, err := c.CompletePayment(context.Background(), &activeplatform.CompletePaymentRequest{ResellerID: 1, PaymentID: 6475, PaymentMethodID: 2})
			errs <- err
		}()
	}
	ok := 0
	for i := 0; i < 8; i++ {
		err := <-errs
		if err == nil {
			ok++
		} else {
			assert.True(t, errors.Is(err, activeplatform.ErrNotCompletable), err)
		}
	}
	assert.Equal(t, 1, ok)
	assert.Equal(t, 1, srv.Completions(6475))
}
