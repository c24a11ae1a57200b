package inex_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/caravanpay/caravan/inex"
	"github.com/caravanpay/caravan/inex/inextest"
)

func TestFlowParcelBeforeDebt(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()

	p, err := c.ParcelDetail(ctx, "YT72358DF03423452")
	require.NoError(t, err)
	assert.Equal(t, []string{"TY7200934421231", "YT72358DF03423452"}, p.WaybillNumbers)
	assert.Equal(t, inex.ParcelArrived, p.Status)
	assert.Equal(t, int64(1551), p.Weight)
	assert.Equal(t, inex.Country{Name: "United States", Code: "US"}, p.SenderCountry)
	require.NotNil(t, p.ReceiverPickupLocation)
	assert.Equal(t, "Isani", p.ReceiverPickupLocation.Name)
	assert.InDelta(t, 56.961032, p.ReceiverPickupLocation.Latitude, 1e-9)

	// the kiosk then pays the parcel's debt by one of its waybill numbers
	d, err := c.DebtDetail(ctx, &inex.DebtDetailRequest{WaybillNumber: p.WaybillNumbers[0]})
	require.NoError(t, err)
	assert.Equal(t, int64(1000), d.TotalDebt)
	_, err = c.PayDebt(ctx, &inex.PayDebtRequest{WaybillNumber: p.WaybillNumbers[0], PaymentID: "K1"})
	require.NoError(t, err)
	assert.Equal(t, 1, srv.InvoicePaidCount("INV-52446"))

	// a parcel known only by an invoice has the bare record
	srv.AddParcel("BARE1", "IG00001")
	p, err = c.ParcelDetail(ctx, "BARE1")
	require.NoError(t, err)
	assert.Equal(t, inex.ParcelCreated, p.Status)
	assert.Nil(t, p.ReceiverPickupLocation)
}

func TestFlowParcelDetailErrors(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	_, err := c.ParcelDetail(ctx, "NOSUCH")
	assert.ErrorIs(t, err, inex.ErrNotFound)

	other, err := inex.NewClient(inextest.OtherVendorToken, inex.WithBaseURL(srv.URL), inex.WithRetry(0, time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	_, err = other.ParcelDetail(ctx, "TY7200934421231")
	assert.ErrorIs(t, err, inex.ErrUnauthorized, "another vendor's parcel")

	srv.Route("parcels/detail/{waybillNumber}").FailNext(1, 503, `{"message":"down"}`)
	p, err := c.ParcelDetail(ctx, "TY7200934421231")
	require.NoError(t, err, "a read is retried")
	assert.Equal(t, inex.ParcelArrived, p.Status)
	assert.Equal(t, 1, srv.Route("parcels/detail/{waybillNumber}").Applied())
}
