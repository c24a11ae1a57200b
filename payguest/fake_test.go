package payguest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/caravanpay/caravan/payguest/payguesttest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func fakeClient(t *testing.T, opts ...Option) (*payguesttest.Server, *Client) {
	t.Helper()
	srv := payguesttest.NewServer()
	t.Cleanup(srv.Close)
	opts = append([]Option{WithRetry(3, time.Millisecond, 5*time.Millisecond)}, opts...)
	c, err := NewClient(append([]Option{WithBaseURL(srv.URL)}, opts...)...)
	require.NoError(t, err)
	return srv, c
}

func pay(guest, sum, payType string, mode *Mode, points string) *PayGuestRequest {
	r := &PayGuestRequest{Payment: Payment{GuestID: guest, PaySum: Decimal(sum), PayTypeID: payType}, DeletePrechecks: mode}
	if points != "" {
		r.DiscountSum = &DiscountSum{Sum: Decimal(points)}
	}
	return r
}

func TestFakeKeepPrechecks(t *testing.T) {
	srv, c := fakeClient(t)
	srv.AddBill(payguesttest.Bill{ID: billID, Open: "100.00", Prechecks: []payguesttest.Precheck{{Sum: "50", State: payguesttest.PrecheckPrinted}}})
	ctx := context.Background()

	// the discount applies only to the 100.00 not sent for payment
	_, err := c.PayGuest(ctx, pay(billID, "130", payType, Ptr(KeepPrechecks), "20"))
	assert.ErrorIs(t, err, ErrAmountMismatch)
	res, err := c.PayGuest(ctx, pay(strings.ToLower(billID), "80.00", payType, Ptr(KeepPrechecks), "20"))
	require.NoError(t, err)
	assert.Equal(t, []DiscountSumResult{{TypeID: payguesttest.PointsTypeID, Sum: "20"}}, res.DiscountSums)
	assert.Equal(t, []DiscountSumResult{{TypeID: payguesttest.PointsTypeID, Sum: "20"}}, res.AppliedDiscountSums)
	assert.Equal(t, 1, srv.PaidCount(billID))

	b, ok := srv.Bill(billID)
	require.True(t, ok)
	assert.Equal(t, "0", b.Open)
	require.Len(t, b.Prechecks, 2)
	assert.Equal(t, payguesttest.PrecheckPrinted, b.Prechecks[0].State, "kept")
	assert.Equal(t, payguesttest.PrecheckPaid, b.Prechecks[1].State)
	assert.Equal(t, payType, b.PrepaidPayTypeID, "payType_ID becomes the bill's prepaid pay type")

	// nothing left that is not sent for payment
	_, err = c.PayGuest(ctx, pay(billID, "80.00", payType, Ptr(KeepPrechecks), "20"))
	assert.ErrorIs(t, err, ErrAlreadySentForPayment)
	var pe *Error
	require.True(t, errors.As(err, &pe))
	assert.Equal(t, payguesttest.TextAlreadySentForPayment, pe.Text)
	assert.Equal(t, http.StatusBadRequest, pe.StatusCode)
	assert.Equal(t, 1, srv.PaidCount(billID))
}

func TestFakeDeleteAllPrechecks(t *testing.T) {
	srv, c := fakeClient(t)
	srv.AddBill(payguesttest.Bill{ID: billID, Open: "100", Prechecks: []payguesttest.Precheck{
		{Sum: "30", State: payguesttest.PrecheckPrinted}, {Sum: "20.50", State: payguesttest.PrecheckPaymentStarted}}})
	res, err := c.PayGuest(context.Background(), pay(billID, "130.50", payType, Ptr(DeleteAllPrechecks), "20"))
	require.NoError(t, err, "the discount applies to the whole bill")
	assert.True(t, res.PointsConfigured())
	b, _ := srv.Bill(billID)
	require.Len(t, b.Prechecks, 1)
	assert.Equal(t, "150.50", b.Prechecks[0].Sum)
	assert.Equal(t, payguesttest.PrecheckPaid, b.Prechecks[0].State)

	// now a precheck is paid: the bill is already paid
	_, err = c.PayGuest(context.Background(), pay(billID, "0", payType, Ptr(DeleteAllPrechecks), ""))
	assert.ErrorIs(t, err, ErrAlreadyPaid)
	assert.ErrorIs(t, err, ErrValidation)
	assert.Equal(t, 1, srv.PaidCount(billID))
	after, _ := srv.Bill(billID)
	assert.Equal(t, b, after, "a refused request changes nothing")
}

func TestFakeDeleteUnpaidPrechecks(t *testing.T) {
	srv, c := fakeClient(t)
	srv.AddBill(payguesttest.Bill{ID: billID, PrepaidPayTypeID: payType, Prechecks: []payguesttest.Precheck{
		{Sum: "30", State: payguesttest.PrecheckPrinted},
		{Sum: "20", State: payguesttest.PrecheckPaymentStarted},
		{Sum: "50", State: payguesttest.PrecheckPaid},
	}})
	_, err := c.PayGuest(context.Background(), pay(billID, "50", "", Ptr(KeepPrechecks), ""))
	assert.ErrorIs(t, err, ErrAlreadySentForPayment)
	_, err = c.PayGuest(context.Background(), pay(billID, "50", "", Ptr(DeleteAllPrechecks), ""))
	assert.ErrorIs(t, err, ErrAlreadyPaid)

	// the unpaid prechecks (30 + 20) go back to the bill; the paid one stays
	res, err := c.PayGuest(context.Background(), pay(billID, "40", "", Ptr(DeleteUnpaidPrechecks), "10"))
	require.NoError(t, err)
	assert.Equal(t, Decimal("10"), res.AppliedDiscountSums[0].Sum)
	b, _ := srv.Bill(billID)
	require.Len(t, b.Prechecks, 2)
	for _, p := range b.Prechecks {
		assert.Equal(t, payguesttest.PrecheckPaid, p.State)
	}
	assert.Equal(t, []payguesttest.Payment{{BillID: billID, Sum: "40", PayTypeID: payType, PointsApplied: "10"}}, srv.Payments())

	_, err = c.PayGuest(context.Background(), pay(billID, "0", "", Ptr(DeleteUnpaidPrechecks), ""))
	assert.ErrorIs(t, err, ErrAlreadyPaid, "only paid prechecks are left")
}

func TestFakePayTypeRules(t *testing.T) {
	srv, c := fakeClient(t)
	srv.AddExampleBill()
	_, err := c.PayGuest(context.Background(), pay(payguesttest.ExampleBillID, payguesttest.ExampleBillTotal, "", nil, ""))
	assert.ErrorIs(t, err, ErrNoPayType)
	var pe *Error
	require.True(t, errors.As(err, &pe))
	assert.Equal(t, payguesttest.TextNoPayType, pe.Text)
	assert.Zero(t, srv.PaidCount(payguesttest.ExampleBillID))

	const other = "11111111-2222-3333-4444-555555555555"
	srv.AddBill(payguesttest.Bill{ID: billID, Open: "10", PrepaidPayTypeID: other})
	_, err = c.PayGuest(context.Background(), pay(billID, "10", "", nil, ""))
	require.NoError(t, err, "the bill's prepaid pay type is enough")
	assert.Equal(t, other, srv.Payments()[0].PayTypeID)
}

func TestFakePointsFirstThenPay(t *testing.T) {
	srv, c := fakeClient(t)
	srv.AddBill(payguesttest.Bill{ID: billID, Open: "500"})
	res, err := c.PayGuest(context.Background(), &PayGuestRequest{
		Payment:     Payment{GuestID: billID, PayTypeID: payType},
		DiscountSum: &DiscountSum{TypeID: declType, Sum: MustDecimal("20")},
	})
	require.NoError(t, err)
	assert.Equal(t, []DiscountSumResult{{TypeID: declType, Sum: "20"}}, res.DiscountSums)
	assert.Equal(t, []DiscountSumResult{{TypeID: appType, Sum: "20"}}, res.AppliedDiscountSums, "the seed's reply")
	assert.Zero(t, srv.PaidCount(billID), "no paySum: nothing paid")

	_, err = c.PayGuest(context.Background(), pay(billID, "500", payType, nil, ""))
	assert.ErrorIs(t, err, ErrAmountMismatch, "the noted points count")
	_, err = c.PayGuest(context.Background(), pay(billID, "480", payType, nil, ""))
	require.NoError(t, err)
	assert.Equal(t, 1, srv.PaidCount(billID))

	// points larger than the bill apply up to the bill
	srv.AddBill(payguesttest.Bill{ID: billID, Open: "15.5"})
	res, err = c.PayGuest(context.Background(), pay(billID, "0", payType, nil, "20"))
	require.NoError(t, err)
	assert.Equal(t, Decimal("15.50"), res.AppliedDiscountSums[0].Sum)
}

func TestFakePointsNotConfigured(t *testing.T) {
	srv, c := fakeClient(t)
	srv.DisablePoints()
	srv.AddBill(payguesttest.Bill{ID: billID, Open: "100"})
	res, err := c.PayGuest(context.Background(), pay(billID, "100", payType, nil, "20"))
	require.NoError(t, err, "no discount without points")
	assert.False(t, res.PointsConfigured())
	assert.Equal(t, []DiscountSumResult{{Sum: "20"}}, res.DiscountSums)

	srv.SetPoints("")
	srv.AddBill(payguesttest.Bill{ID: billID, Open: "100"})
	res, err = c.PayGuest(context.Background(), pay(billID, "100", payType, nil, ""))
	require.NoError(t, err)
	assert.True(t, res.PointsConfigured())
	assert.Empty(t, res.AppliedDiscountSums)
}

func TestFakeErrorsWith200(t *testing.T) {
	srv, c := fakeClient(t)
	srv.SetErrorStatus(http.StatusOK)
	srv.AddBill(payguesttest.Bill{ID: billID, Prechecks: []payguesttest.Precheck{{Sum: "5", State: payguesttest.PrecheckPaid}}})
	_, err := c.PayGuest(context.Background(), pay(billID, "0", payType, Ptr(DeleteAllPrechecks), ""))
	assert.ErrorIs(t, err, ErrAlreadyPaid)
	assert.ErrorIs(t, err, ErrValidation)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	var pe *Error
	require.True(t, errors.As(err, &pe))
	assert.Equal(t, 200, pe.StatusCode)
	assert.Equal(t, payguesttest.TextAlreadyPaid, pe.Text)

	_, err = c.PayGuest(context.Background(), pay("00000000-0000-0000-0000-000000000000", "1", payType, nil, ""))
	require.True(t, errors.As(err, &pe))
	assert.Equal(t, payguesttest.TextBillNotFound, pe.Text)
}

func TestFake503ThenSuccessPaysOnce(t *testing.T) {
	srv, c := fakeClient(t)
	srv.AddExampleBill()
	srv.FailNext(1, http.StatusServiceUnavailable, "")
	_, err := c.PayGuest(context.Background(), pay(payguesttest.ExampleBillID, payguesttest.ExampleBillTotal, payguesttest.ExamplePayTypeID, nil, ""))
	require.NoError(t, err)
	assert.Equal(t, 1, srv.PaidCount(payguesttest.ExampleBillID))
	assert.Len(t, srv.Requests(), 2)

	srv.AddExampleBill()
	srv.FailNextRetryAfter(1, http.StatusTooManyRequests, `"busy"`, "0")
	_, err = c.PayGuest(context.Background(), pay(payguesttest.ExampleBillID, payguesttest.ExampleBillTotal, payguesttest.ExamplePayTypeID, nil, ""))
	require.NoError(t, err)
	assert.Equal(t, 2, srv.PaidCount(payguesttest.ExampleBillID))
}

func TestFakeCutAfterProcessingIsOutcomeUnknown(t *testing.T) {
	srv, c := fakeClient(t)
	srv.AddExampleBill()
	srv.CutAfterNext(1)
	req := pay(payguesttest.ExampleBillID, payguesttest.ExampleBillTotal, payguesttest.ExamplePayTypeID, Ptr(KeepPrechecks), "")
	_, err := c.PayGuest(context.Background(), req)
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	var pe *Error
	require.True(t, errors.As(err, &pe))
	assert.Equal(t, 1, pe.Attempts)
	assert.Len(t, srv.Requests(), 1, "no retry was sent")
	assert.Equal(t, 1, srv.PaidCount(payguesttest.ExampleBillID), "paid exactly once")

	// the documented way to find out: resend with KeepPrechecks
	_, err = c.PayGuest(context.Background(), req)
	assert.ErrorIs(t, err, ErrAlreadySentForPayment)
	assert.Equal(t, 1, srv.PaidCount(payguesttest.ExampleBillID))
}

func TestFakeOtherFaults(t *testing.T) {
	srv, c := fakeClient(t)
	srv.AddExampleBill()
	req := pay(payguesttest.ExampleBillID, payguesttest.ExampleBillTotal, payguesttest.ExamplePayTypeID, nil, "")

	srv.CutNext(1)
	_, err := c.PayGuest(context.Background(), req)
	assert.ErrorIs(t, err, ErrOutcomeUnknown, "a cut after sending cannot be told from a cut after processing")
	assert.Zero(t, srv.PaidCount(payguesttest.ExampleBillID))

	srv.FailNext(1, http.StatusBadGateway, "<html>Bad Gateway</html>")
	_, err = c.PayGuest(context.Background(), req)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.ErrorIs(t, err, ErrServer)

	srv.TruncateNext(1)
	_, err = c.PayGuest(context.Background(), req)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, 1, srv.PaidCount(payguesttest.ExampleBillID))
	assert.Len(t, srv.Requests(), 3, "never retried")

	srv.AddExampleBill()
	srv.SlowNext(1, time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = c.PayGuest(ctx, req)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
}

func TestFakeProxyHeader(t *testing.T) {
	srv := payguesttest.NewServer()
	defer srv.Close()
	srv.RequireHeader("X-Proxy-Token", "letmein")
	srv.AddExampleBill()
	req := pay(payguesttest.ExampleBillID, payguesttest.ExampleBillTotal, payguesttest.ExamplePayTypeID, nil, "")

	c, err := NewClient(WithBaseURL(srv.URL), WithRetry(0, 0, 0))
	require.NoError(t, err)
	_, err = c.PayGuest(context.Background(), req)
	assert.ErrorIs(t, err, ErrUnauthorized)

	c, err = NewClient(WithBaseURL(srv.URL), WithHeader("X-Proxy-Token", "letmein"))
	require.NoError(t, err)
	_, err = c.PayGuest(context.Background(), req)
	require.NoError(t, err)
	reqs := srv.Requests()
	assert.Equal(t, "letmein", reqs[len(reqs)-1].Header.Get("X-Proxy-Token"))
}

// TestFakeProtocol checks what the fake refuses at the protocol level.
func TestFakeProtocol(t *testing.T) {
	srv := payguesttest.NewServer()
	defer srv.Close()
	srv.AddExampleBill()
	post := func(path, ctype, body string) (int, string) {
		resp, err := http.Post(srv.URL+path, ctype, strings.NewReader(body))
		require.NoError(t, err)
		defer resp.Body.Close()
		var text string
		_ = json.NewDecoder(resp.Body).Decode(&text)
		return resp.StatusCode, text
	}
	ok := `{"Payment":{"gest_ID":"` + payguesttest.ExampleBillID + `","payType_ID":"` + payType + `"}}`
	code, _ := post("/other", "application/json", ok)
	assert.Equal(t, 404, code)
	code, _ = post("/pay-guest", "text/plain", ok)
	assert.Equal(t, 415, code)
	code, _ = post("/pay-guest?delete-prechecks=5", "application/json", ok)
	assert.Equal(t, 400, code)
	resp, err := http.Get(srv.URL + "/pay-guest")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 405, resp.StatusCode)

	for _, body := range []string{
		`{`, `{}`, `{"Payment":{"gest_ID":"x"}}`,
		`{"Payment":{"gest_ID":"` + billID + `","paySum":"12"}}`,
		`{"Payment":{"gest_ID":"` + billID + `","paySum":-1}}`,
		`{"Payment":{"gest_ID":"` + billID + `","payType_ID":"cash"}}`,
		`{"Payment":{"gest_ID":"` + billID + `"},"DiscountSum":{"sum":"x"}}`,
		`{"Payment":{"gest_ID":"` + billID + `"},"DiscountSum":{"sum":1,"type_ID":"x"}}`,
	} {
		code, text := post("/pay-guest", "application/json; charset=utf-8", body)
		assert.Equal(t, 400, code, body)
		assert.NotEmpty(t, text, body)
	}
	code, text := post("/pay-guest?delete-prechecks=0", "application/json", ok)
	assert.Equal(t, 200, code, text)
}

func TestFakeSeeding(t *testing.T) {
	srv := payguesttest.NewServer()
	defer srv.Close()
	assert.Panics(t, func() { srv.AddBill(payguesttest.Bill{ID: "nope"}) })
	assert.Panics(t, func() { srv.AddBill(payguesttest.Bill{ID: billID, Open: "-1"}) })
	assert.Panics(t, func() {
		srv.AddBill(payguesttest.Bill{ID: billID, Prechecks: []payguesttest.Precheck{{Sum: "1"}}})
	})
	_, ok := srv.Bill(billID)
	assert.False(t, ok)
	srv.AddBill(payguesttest.Bill{ID: billID, Open: "1.005", DiscountSum: "0.5", DiscountTypeID: declType})
	b, ok := srv.Bill(strings.ToLower(billID))
	require.True(t, ok)
	assert.Equal(t, "1.005", b.Open)
	assert.Equal(t, "paid", payguesttest.PrecheckPaid.String())
	assert.Equal(t, "printed", payguesttest.PrecheckPrinted.String())
	assert.Equal(t, "payment started", payguesttest.PrecheckPaymentStarted.String())
	assert.Equal(t, "PrecheckState(9)", payguesttest.PrecheckState(9).String())
	srv.SetDelay(time.Millisecond)
	c, err := NewClient(WithBaseURL(srv.URL))
	require.NoError(t, err)
	res, err := c.PayGuest(context.Background(), pay(billID, "0.505", payType, nil, ""))
	require.NoError(t, err)
	assert.Equal(t, []DiscountSumResult{{TypeID: declType, Sum: "0.5"}}, res.DiscountSums)
}
