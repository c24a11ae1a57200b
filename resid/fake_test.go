package resid_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/caravanpay/caravan/resid"
	"github.com/caravanpay/caravan/resid/residtest"
)

// clock is a settable clock shared by the fake and the client.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func newFake(t *testing.T, opts ...resid.Option) (*residtest.Server, *resid.Client) {
	t.Helper()
	srv := residtest.NewServer()
	t.Cleanup(srv.Close)
	opts = append([]resid.Option{resid.WithBaseURL(srv.URL), resid.WithRetry(3, time.Millisecond, 5*time.Millisecond)}, opts...)
	c, err := resid.NewClient(residtest.AuthorizationCode, opts...)
	require.NoError(t, err)
	return srv, c
}

func TestFlowCreatePayGetCollect(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	token, err := tokenOf(c.CreatePayment(ctx, &resid.CreatePaymentRequest{Amount: 10000, Merchant: residtest.Merchant,
		Description: "fare", Payload: "ride-1", PreferredMethod: "sep"}))
	require.NoError(t, err)
	assert.Len(t, token, 9)

	p, err := c.GetPayment(ctx, token)
	require.NoError(t, err)
	assert.Equal(t, resid.StatePending, p.Outcome.State)
	assert.Nil(t, p.Paid)
	assert.Equal(t, "ride-1", p.Payload)
	assert.Equal(t, "fare", p.Description)
	assert.Equal(t, residtest.MerchantDisplay, p.Merchant)
	assert.WithinDuration(t, time.Now(), p.Created, time.Minute)

	// collect before the passenger paid: the fake refuses
	err = c.CollectPayment(ctx, p.Token)
	assert.ErrorIs(t, err, resid.ErrValidation)
	var re *resid.Error
	require.ErrorAs(t, err, &re)
	assert.Equal(t, residtest.MessageNotPaid, re.Message)

	require.NoError(t, srv.PayWithTip(token, 2000))
	p, err = c.GetPayment(ctx, token)
	require.NoError(t, err)
	assert.Equal(t, residtest.StatePaid, p.Outcome.State)
	require.NotNil(t, p.Paid)
	assert.Equal(t, int64(12000), p.Outcome.TotalAmount)
	assert.Equal(t, int64(2000), p.Outcome.Tip)
	assert.Equal(t, "sep", p.Outcome.Method)
	assert.Equal(t, residtest.Payer, p.Payer)
	assert.NotEmpty(t, p.Outcome.RRN)

	require.NoError(t, c.CollectPayment(ctx, p.Token))
	require.NoError(t, c.CollectPayment(ctx, token), "collecting twice is fine")
	assert.Equal(t, 2, srv.Collects(token))
	assert.True(t, srv.Collected(token))
	got, ok := srv.Payment(token)
	require.True(t, ok)
	assert.Equal(t, residtest.StateCollected, got.Outcome.State)

	for _, r := range srv.Requests() {
		assert.Equal(t, []string{residtest.AuthorizationCode}, r.Header.Values("Authorization"))
	}
	assert.Equal(t, "/api/v1/payments", srv.Requests()[0].Path)
	assert.Equal(t, "amount=10000&description=fare&merchant=faSDF42w3Fs&payload=ride-1&preferred_method=sep",
		string(srv.Requests()[0].Body))
}

func TestCollectFailedPayment(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	token, err := tokenOf(c.CreatePayment(ctx, &resid.CreatePaymentRequest{Amount: 500, Merchant: residtest.Merchant}))
	require.NoError(t, err)
	require.NoError(t, srv.Fail(token, "insufficient funds"))
	assert.Error(t, srv.Pay(token), "no longer pending")
	assert.Error(t, srv.Fail("nope", "x"))
	p, err := c.GetPayment(ctx, token)
	require.NoError(t, err)
	assert.Equal(t, residtest.StateFailed, p.Outcome.State)
	assert.Equal(t, "insufficient funds", p.Outcome.StateError)
	err = c.CollectPayment(ctx, token)
	var re *resid.Error
	require.ErrorAs(t, err, &re)
	assert.Equal(t, residtest.MessagePaymentFailed, re.Message)
	assert.Equal(t, []string{"the payment failed: insufficient funds"}, re.Errors)
	assert.False(t, srv.Collected(token))
}

func TestAutoCollect(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	token, err := tokenOf(c.CreatePayment(ctx, &resid.CreatePaymentRequest{Amount: 500, Merchant: residtest.Merchant, AutoCollect: resid.Ptr(true)}))
	require.NoError(t, err)
	require.NoError(t, srv.Pay(token))
	p, err := c.GetPayment(ctx, token)
	require.NoError(t, err)
	assert.Equal(t, residtest.StateCollected, p.Outcome.State)
	assert.True(t, srv.Collected(token))
	assert.Equal(t, 0, srv.Collects(token))
}

func TestCollectAfterWindow(t *testing.T) {
	clk := &clock{t: time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)}
	srv, c := newFake(t)
	srv.SetNow(clk.t)
	ctx := context.Background()
	token, err := tokenOf(c.CreatePayment(ctx, &resid.CreatePaymentRequest{Amount: 10000, Merchant: residtest.Merchant}))
	require.NoError(t, err)
	require.NoError(t, srv.Pay(token))
	p, err := c.GetPayment(ctx, token)
	require.NoError(t, err)
	assert.True(t, p.CollectDeadline().Equal(clk.t.Add(resid.CollectWindow)))

	// 20 minutes and 30 seconds later by both clocks: Resid has refunded,
	// but the client is not certain (clock skew allowance) and asks.
	srv.Advance(20*time.Minute + 30*time.Second)
	clk.t = clk.t.Add(20*time.Minute + 30*time.Second)
	require.NoError(t, p.CheckCollectWindow(clk.now()), "within the clock skew allowance")
	err = c.CollectPayment(ctx, p.Token)
	var re *resid.Error
	require.ErrorAs(t, err, &re)
	assert.ErrorIs(t, err, resid.ErrValidation)
	assert.Equal(t, residtest.MessageCollectWindowClosed, re.Message)
	got, _ := srv.Payment(token)
	assert.Equal(t, residtest.StateRefunded, got.Outcome.State)

	// well past the window: refused locally, nothing sent
	clk.t = clk.t.Add(time.Minute)
	before := len(srv.Requests())
	err = p.CheckCollectWindow(clk.now())
	assert.ErrorIs(t, err, resid.ErrCollectWindowClosed)
	assert.Contains(t, err.Error(), token)
	var none *resid.Error
	assert.False(t, errors.As(err, &none))
	assert.Len(t, srv.Requests(), before, "no request sent")
	assert.Equal(t, 0, srv.Collects(token))
	assert.False(t, srv.Collected(token))
}

func TestCollectWithinWindowByClientClock(t *testing.T) {
	clk := &clock{t: time.Date(2024, 3, 1, 10, 19, 0, 0, time.UTC)}
	srv, c := newFake(t)
	srv.SetNow(time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC))
	token := srv.Seed(resid.Payment{Amount: 1})
	require.NoError(t, srv.Pay(token))
	srv.Advance(19 * time.Minute)
	p, err := c.GetPayment(context.Background(), token)
	require.NoError(t, err)
	require.NoError(t, p.CheckCollectWindow(clk.now()))
	require.NoError(t, c.CollectPayment(context.Background(), p.Token))
	assert.True(t, srv.Collected(token))
	// a payment without a created time: Resid decides
	assert.NoError(t, (&resid.Payment{Token: token}).CheckCollectWindow(clk.now()))
	var nilPayment *resid.Payment
	assert.ErrorIs(t, nilPayment.CheckCollectWindow(clk.now()), resid.ErrInvalidRequest)
	assert.True(t, (&resid.Payment{}).CollectDeadline().IsZero())
}

func TestCutConnectionOnCreateIsOutcomeUnknown(t *testing.T) {
	srv, c := newFake(t)
	srv.CutAfterNext(1)
	_, err := tokenOf(c.CreatePayment(context.Background(), &resid.CreatePaymentRequest{Amount: 10000, Merchant: residtest.Merchant}))
	require.Error(t, err)
	assert.ErrorIs(t, err, resid.ErrOutcomeUnknown)
	var re *resid.Error
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 1, re.Attempts)
	assert.Equal(t, 1, srv.Count(), "the payment request was created once, and not again")
	assert.Len(t, srv.Requests(), 1)
}

func TestCutBeforeCreateIsNotRetriedBlindly(t *testing.T) {
	// The fake cuts after reading the request, so the client cannot know it
	// was not processed: it must not send it again.
	srv, c := newFake(t)
	srv.CutNext(1)
	_, err := tokenOf(c.CreatePayment(context.Background(), &resid.CreatePaymentRequest{Amount: 1, Merchant: residtest.Merchant}))
	assert.ErrorIs(t, err, resid.ErrOutcomeUnknown)
	assert.Equal(t, 0, srv.Count())
	assert.Len(t, srv.Requests(), 1)
}

func TestCreateRetried503AndTruncated(t *testing.T) {
	srv, c := newFake(t)
	srv.FailNextRetryAfter(1, http.StatusServiceUnavailable, `{"message":"maintenance","errors":["later"]}`, "0")
	token, err := tokenOf(c.CreatePayment(context.Background(), &resid.CreatePaymentRequest{Amount: 1, Merchant: residtest.Merchant}))
	require.NoError(t, err, "503 says nothing was done: retried")
	assert.NotEmpty(t, token)
	assert.Equal(t, 1, srv.Count())

	srv.TruncateNext(1)
	_, err = tokenOf(c.CreatePayment(context.Background(), &resid.CreatePaymentRequest{Amount: 1, Merchant: residtest.Merchant}))
	assert.ErrorIs(t, err, resid.ErrOutcomeUnknown)
	assert.Equal(t, 2, srv.Count())
}

func TestCollectCutAfterIsRetriedAndMovesMoneyOnce(t *testing.T) {
	srv, c := newFake(t)
	token := srv.Seed(resid.Payment{Amount: 9000})
	require.NoError(t, srv.Pay(token))
	srv.CutAfterNext(1)
	require.NoError(t, c.CollectPayment(context.Background(), token))
	assert.True(t, srv.Collected(token))
	assert.Equal(t, 2, srv.Collects(token), "both collects answered OK, money moved once")
	assert.Len(t, srv.Requests(), 2)
}

func TestSlowReplyTimesOut(t *testing.T) {
	srv, c := newFake(t, resid.WithRetry(0, 0, 0))
	srv.SlowNext(1, time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.GetPayment(ctx, "RsAAAAAAA")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorIs(t, err, resid.ErrNetwork)
	srv.SetDelay(0)
}

func TestFakeErrors(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()

	bad, err := resid.NewClient("Bearer "+residtest.AuthorizationCode, resid.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = bad.GetPayment(ctx, "x")
	assert.ErrorIs(t, err, resid.ErrUnauthorized)
	var re *resid.Error
	require.ErrorAs(t, err, &re)
	assert.Equal(t, residtest.MessageUnauthorized, re.Message)

	_, err = c.GetPayment(ctx, "RsUNKNOWN")
	assert.ErrorIs(t, err, resid.ErrNotFound)
	assert.ErrorIs(t, c.CollectPayment(ctx, "RsUNKNOWN"), resid.ErrNotFound)

	_, err = tokenOf(c.CreatePayment(ctx, &resid.CreatePaymentRequest{Amount: 1, Merchant: "nobody"}))
	require.ErrorAs(t, err, &re)
	assert.ErrorIs(t, err, resid.ErrValidation)
	assert.Equal(t, []string{"merchant: no merchant with this id"}, re.Errors)

	srv.AddMerchant("other", resid.Merchant{DisplayName: "Other"})
	token, err := tokenOf(c.CreatePayment(ctx, &resid.CreatePaymentRequest{Amount: 1, Merchant: "other"}))
	require.NoError(t, err)
	p, err := c.GetPayment(ctx, token)
	require.NoError(t, err)
	assert.Equal(t, "Other", p.Merchant.DisplayName)
}

// raw sends a hand-made request to the fake, to check rules the client
// never breaks.
func raw(t *testing.T, srv *residtest.Server, method, path, contentType, body string, auth bool) int {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, stringsReader(body))
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if auth {
		req.Header.Set("Authorization", residtest.AuthorizationCode)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

func TestFakeEnforcesProtocol(t *testing.T) {
	srv, _ := newFake(t)
	form := "application/x-www-form-urlencoded"
	cases := []struct {
		method, path, ct, body string
		auth                   bool
		want                   int
	}{
		{"GET", "/payments", "", "", false, 401},
		{"POST", "/payments", "application/json", `{"amount":1,"merchant":"faSDF42w3Fs"}`, true, 415},
		{"POST", "/payments", form, "merchant=faSDF42w3Fs", true, 400},
		{"POST", "/payments", form, "amount=x&merchant=faSDF42w3Fs", true, 400},
		{"POST", "/payments", form, "amount=0&merchant=faSDF42w3Fs", true, 400},
		{"POST", "/payments", form, "amount=1", true, 400},
		{"POST", "/payments", form, "amount=1&merchant=faSDF42w3Fs&auto_collect=maybe", true, 400},
		{"POST", "/payments", form, "amount=1&merchant=faSDF42w3Fs&auto_collect=1", true, 200},
		{"DELETE", "/payments", "", "", true, 405},
		{"POST", "/payments/x", "", "", true, 405},
		{"GET", "/payments/x/collect", "", "", true, 405},
		{"GET", "/merchants/x/y/z", "", "", true, 404},
		{"GET", "/payments?size=0", "", "", true, 400},
		{"GET", "/payments?size=201", "", "", true, 400},
		{"GET", "/payments?before=2017-05-09T00:28:51.309004%2B04:30", "", "", true, 400},
		{"GET", "/payments?before=2017-05-09T00:28:51.309004Z&after=2017-05-09T00:28:51.309004Z", "", "", true, 400},
		{"GET", "/payments?after=2017-05-09T00:28:51Z&size=200", "", "", true, 200},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, raw(t, srv, tc.method, tc.path, tc.ct, tc.body, tc.auth), "%s %s %s", tc.method, tc.path, tc.body)
	}
	resp, err := http.Get(srv.URL[:len(srv.URL)-len("/api/v1")] + "/other")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 404, resp.StatusCode)
}

func TestFakeListStrictBounds(t *testing.T) {
	srv, c := newFake(t)
	t0 := time.Date(2017, 5, 9, 0, 28, 51, 309004000, time.UTC)
	for i := 0; i < 5; i++ {
		srv.Seed(resid.Payment{Token: "P" + string(rune('0'+i)), Amount: 1, Created: t0.Add(time.Duration(i) * time.Second)})
	}
	ctx := context.Background()
	list, err := c.ListPayments(ctx, &resid.ListOptions{After: t0, Size: 2})
	require.NoError(t, err)
	assert.Equal(t, []string{"P1", "P2"}, tokens(list), "after is strict, oldest first")
	list, err = c.ListPayments(ctx, &resid.ListOptions{Before: t0.Add(3 * time.Second)})
	require.NoError(t, err)
	assert.Equal(t, []string{"P2", "P1", "P0"}, tokens(list), "before is strict, newest first")
	list, err = c.ListPayments(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"P4", "P3", "P2", "P1", "P0"}, tokens(list))
	q := srv.Requests()[0].Query
	assert.Equal(t, url.Values{"after": {"2017-05-09T00:28:51.309004Z"}, "size": {"2"}}, q)
}

func tokens(list []*resid.Payment) []string {
	out := make([]string, len(list))
	for i, p := range list {
		out[i] = p.Token
	}
	return out
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }
