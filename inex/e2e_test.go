package inex_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/caravanpay/caravan/inex"
	"github.com/caravanpay/caravan/inex/inextest"
)

func newFake(t *testing.T) (*inextest.Server, *inex.Client) {
	t.Helper()
	srv := inextest.NewServer()
	t.Cleanup(srv.Close)
	srv.SeedExamples()
	c, err := inex.NewClient(inextest.Token, inex.WithBaseURL(srv.URL), inex.WithRetry(3, time.Millisecond, 5*time.Millisecond))
	require.NoError(t, err)
	return srv, c
}

func TestFlowPayDebtByRoom(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()

	d, err := c.DebtDetail(ctx, &inex.DebtDetailRequest{RoomNumber: "IG00001"})
	require.NoError(t, err)
	assert.Equal(t, int64(1500), d.TotalDebt)
	assert.Equal(t, "GEL", d.Currency)
	require.Len(t, d.Invoices, 2)
	assert.Equal(t, inex.ServiceTransportation, d.Invoices[0].ServiceType, "capitalised on the wire, canonical here")

	res, err := c.PayDebt(ctx, &inex.PayDebtRequest{RoomNumber: "IG00001", PaymentID: "INV0001"})
	require.NoError(t, err)
	assert.Equal(t, "123456", res.TransactionID)

	again, err := c.PayDebt(ctx, &inex.PayDebtRequest{RoomNumber: "IG00001", PaymentID: "INV0001"})
	require.NoError(t, err)
	assert.Equal(t, res.TransactionID, again.TransactionID)
	assert.Equal(t, 1, srv.DebtPayments("IG00001"))
	assert.Equal(t, 1, srv.InvoicePaidCount("INV-52446"))
	assert.Equal(t, int64(0), srv.Debt("IG00001"))

	d, err = c.DebtDetail(ctx, &inex.DebtDetailRequest{RoomNumber: "IG00001"})
	require.NoError(t, err)
	assert.Equal(t, int64(0), d.TotalDebt)
	assert.Empty(t, d.Invoices)

	cu, err := c.Customer(ctx, "IG00001")
	require.NoError(t, err)
	assert.Equal(t, int64(79), cu.Bonus, "the paid invoice's earnable bonus")
	assert.Equal(t, "Name Lastname", cu.FullNameEn)

	reqs := srv.Requests()
	require.NotEmpty(t, reqs)
	assert.Equal(t, "/api/v1/integrators/payments/debts/pay", reqs[1].Path)
	assert.Equal(t, `{"roomNumber":"IG00001","paymentId":"INV0001"}`, string(reqs[1].Body))
	assert.Equal(t, "IG00001", reqs[0].Query.Get("roomNumber"))
}

func TestFlowPayDebtByWaybill(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	d, err := c.DebtDetail(ctx, &inex.DebtDetailRequest{WaybillNumber: "TY7200934421231"})
	require.NoError(t, err)
	assert.Equal(t, int64(1000), d.TotalDebt, "only the parcel's invoice")

	res, err := c.PayDebt(ctx, &inex.PayDebtRequest{WaybillNumber: "TY7200934421231", PaymentID: "W1"})
	require.NoError(t, err)
	assert.NotEmpty(t, res.TransactionID)
	assert.Equal(t, int64(500), srv.Debt("IG00001"), "the other invoice stays unpaid")
	tx := srv.Transactions()
	require.Len(t, tx, 1)
	assert.Equal(t, inextest.Transaction{ID: res.TransactionID, Kind: "debt", PaymentID: "W1", RoomNumber: "IG00001",
		WaybillNumber: "TY7200934421231", Amount: 1000}, tx[0])
}

// A cut connection after the server paid: the retry carries the same
// payment id, gets the same transaction id, and the debt is paid once.
func TestFlowCutAfterPayingRetriesSafely(t *testing.T) {
	srv, c := newFake(t)
	srv.CutAfterNext(1)
	res, err := c.PayDebt(context.Background(), &inex.PayDebtRequest{RoomNumber: "IG00001", PaymentID: "CUT1"})
	require.NoError(t, err)
	assert.Equal(t, "123456", res.TransactionID)
	reqs := srv.Requests()
	require.Len(t, reqs, 2, "one attempt cut after processing, one retry")
	assert.Equal(t, reqs[0].Body, reqs[1].Body)
	assert.Equal(t, 1, srv.DebtPayments("IG00001"))
	assert.Equal(t, 1, srv.InvoicePaidCount("INV-52446"))
	assert.Equal(t, 1, srv.InvoicePaidCount("INV-52447"))
}

func TestFlowFaults(t *testing.T) {
	ctx := context.Background()
	t.Run("truncated reply is retried", func(t *testing.T) {
		srv, c := newFake(t)
		srv.TruncateNext(1)
		res, err := c.TopUpBalance(ctx, &inex.TopUpRequest{RoomNumber: "IG00001", Amount: 100, PaymentID: "T1"})
		require.NoError(t, err)
		assert.Equal(t, "123456", res.TransactionID)
		assert.Equal(t, 1, srv.TopUps("IG00001"))
		cu, _ := srv.Customer("IG00001")
		assert.Equal(t, int64(257), cu.Balance)
	})
	t.Run("503 with Retry-After then success", func(t *testing.T) {
		srv, c := newFake(t)
		srv.FailNextRetryAfter(2, http.StatusServiceUnavailable, "<html>down</html>", "0")
		_, err := c.PayDebt(ctx, &inex.PayDebtRequest{RoomNumber: "IG00001", PaymentID: "R1"})
		require.NoError(t, err)
		assert.Len(t, srv.Requests(), 3)
	})
	t.Run("cut before processing", func(t *testing.T) {
		srv, c := newFake(t)
		srv.CutNext(1)
		_, err := c.Wallet(ctx, "IG00001")
		require.NoError(t, err)
		assert.Len(t, srv.Requests(), 2)
	})
	t.Run("persistent failure keeps status and excerpt", func(t *testing.T) {
		srv, c := newFake(t)
		srv.FailNext(10, http.StatusBadGateway, "<html><h1>502 Bad Gateway</h1></html>")
		_, err := c.PayDebt(ctx, &inex.PayDebtRequest{RoomNumber: "IG00001", PaymentID: "F1"})
		require.ErrorIs(t, err, inex.ErrServer)
		var e *inex.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, 502, e.StatusCode)
		assert.Equal(t, 4, e.Attempts)
		assert.Contains(t, e.Body, "502 Bad Gateway")
		assert.Equal(t, 0, srv.DebtPayments("IG00001"))
	})
	t.Run("slow server and a deadline", func(t *testing.T) {
		srv, c := newFake(t)
		srv.SlowNext(1, time.Second)
		ctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		_, err := c.PayDebt(ctx, &inex.PayDebtRequest{RoomNumber: "IG00001", PaymentID: "S1"})
		require.ErrorIs(t, err, context.DeadlineExceeded)
		// The slow request is still applied: a retry with the same id is safe.
		require.Eventually(t, func() bool { return srv.DebtPayments("IG00001") == 1 }, 2*time.Second, 5*time.Millisecond)
		res, err := c.PayDebt(context.Background(), &inex.PayDebtRequest{RoomNumber: "IG00001", PaymentID: "S1"})
		require.NoError(t, err)
		assert.Equal(t, "123456", res.TransactionID)
		assert.Equal(t, 1, srv.DebtPayments("IG00001"))
	})
	t.Run("delay", func(t *testing.T) {
		srv, c := newFake(t)
		srv.SetDelay(10 * time.Millisecond)
		start := time.Now()
		_, err := c.Customer(ctx, "IG00001")
		require.NoError(t, err)
		assert.GreaterOrEqual(t, time.Since(start), 10*time.Millisecond)
	})
}

func TestFlowErrorsFromFake(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()

	_, err := c.PayDebt(ctx, &inex.PayDebtRequest{RoomNumber: "IG99999", PaymentID: "N1"})
	require.ErrorIs(t, err, inex.ErrNotFound)
	var e *inex.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, []string{"Requested customer not found"}, e.General)
	assert.Equal(t, "error", e.Message)

	_, err = c.PayDebt(ctx, &inex.PayDebtRequest{WaybillNumber: "NOPE", PaymentID: "N2"})
	assert.ErrorIs(t, err, inex.ErrNotFound)
	_, err = c.DebtDetail(ctx, &inex.DebtDetailRequest{RoomNumber: "IG00002", WaybillNumber: "TY7200934421231"})
	assert.ErrorIs(t, err, inex.ErrNotFound, "the parcel belongs to another customer")
	_, err = c.Customer(ctx, "IG99999")
	assert.ErrorIs(t, err, inex.ErrNotFound)
	_, err = c.Wallet(ctx, "IG99999")
	assert.ErrorIs(t, err, inex.ErrNotFound)
	_, err = c.TopUpBalance(ctx, &inex.TopUpRequest{RoomNumber: "IG99999", Amount: 1, PaymentID: "N3"})
	assert.ErrorIs(t, err, inex.ErrNotFound)

	bad, err := inex.NewClient("wrong-token", inex.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = bad.PayDebt(ctx, &inex.PayDebtRequest{RoomNumber: "IG00001", PaymentID: "U1"})
	require.ErrorIs(t, err, inex.ErrUnauthorized)
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 403, e.StatusCode)
	assert.Equal(t, []string{inextest.MessageUnauthorized}, e.General)
	assert.NotContains(t, err.Error(), "wrong-token")
	assert.Equal(t, 0, srv.DebtPayments("IG00001"))
}

func TestFlowWalletAndTopUp(t *testing.T) {
	srv, c := newFake(t)
	srv.AddCustomer(inextest.Customer{RoomNumber: "IG00002", FullNameEn: "Nino", Wallet: []inextest.WalletBalance{{Amount: 150, Currency: "USD"}, {Amount: 0, Currency: "EUR"}}})
	ctx := context.Background()
	w, err := c.Wallet(ctx, "IG00002")
	require.NoError(t, err)
	assert.Equal(t, []inex.WalletBalance{{Amount: 150, Currency: "USD"}, {Amount: 0, Currency: "EUR"}}, w)
	w, err = c.Wallet(ctx, "IG00001")
	require.NoError(t, err)
	assert.Len(t, w, 3)

	a, err := c.TopUpBalance(ctx, &inex.TopUpRequest{RoomNumber: "IG00002", Amount: 1_000_000, PaymentID: "TOP"})
	require.NoError(t, err)
	b, err := c.TopUpBalance(ctx, &inex.TopUpRequest{RoomNumber: "IG00002", Amount: 1_000_000, PaymentID: "TOP"})
	require.NoError(t, err)
	assert.Equal(t, a.TransactionID, b.TransactionID)
	cu, err := c.Customer(ctx, "IG00002")
	require.NoError(t, err)
	assert.Equal(t, int64(1_000_000), cu.Balance, "topped up once")
	assert.Equal(t, 1, srv.TopUps("IG00002"))
}

func TestFlowConcurrentPayments(t *testing.T) {
	srv, c := newFake(t)
	var wg sync.WaitGroup
	ids := make([]string, 8)
	for i := range ids {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			res, err := c.PayDebt(context.Background(), &inex.PayDebtRequest{RoomNumber: "IG00001", PaymentID: "SAME"})
			if err == nil {
				ids[i] = res.TransactionID
			}
		}(i)
	}
	wg.Wait()
	for _, id := range ids {
		assert.Equal(t, "123456", id)
	}
	assert.Equal(t, 1, srv.DebtPayments("IG00001"))
	assert.True(t, strings.HasSuffix(srv.URL, inextest.BasePath))
}
