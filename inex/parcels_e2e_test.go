package inex_test

import (
	"context"
	"fmt"
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

func TestFlowLogisticHistory(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	h, err := c.LogisticHistory(ctx, &inex.LogisticHistoryRequest{WaybillNumber: "TY7200934421231"})
	require.NoError(t, err)
	require.Len(t, h, 3)
	assert.Equal(t, []string{"received", "pending", "arrived"}, []string{h[0].EventID, h[1].EventID, h[2].EventID})
	assert.Equal(t, "Received", h[0].EventName)
	assert.Equal(t, "extraLarge", h[0].ReasonID)
	assert.Equal(t, "2026-03-04T14:02:15+04:00", h[0].HappenedAt.Format(time.RFC3339))
	assert.Equal(t, "Ready for pickup", h[2].Message)
	assert.Equal(t, "Tbilisi", h[2].City)

	ka, err := c.LogisticHistory(ctx, &inex.LogisticHistoryRequest{WaybillNumber: "YT72358DF03423452", AcceptLanguage: inex.Georgian})
	require.NoError(t, err)
	assert.Equal(t, "მიღებულია", ka[0].EventName)
	assert.Equal(t, h[0].UID, ka[0].UID, "the same events by either waybill number")
	reqs := srv.Requests()
	assert.Equal(t, "ka", reqs[len(reqs)-1].Header.Get("Accept-Language"))

	_, err = c.LogisticHistory(ctx, &inex.LogisticHistoryRequest{WaybillNumber: "NOSUCH"})
	assert.ErrorIs(t, err, inex.ErrNotFound)
	other, err := inex.NewClient(inextest.OtherVendorToken, inex.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = other.LogisticHistory(ctx, &inex.LogisticHistoryRequest{WaybillNumber: "TY7200934421231"})
	assert.ErrorIs(t, err, inex.ErrUnauthorized)
}

func TestFlowPickupLocations(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	for i := 0; i < 7; i++ {
		srv.AddPickupLocation(inextest.PickupLocation{LocationCode: fmt.Sprintf("K%d", i), Name: fmt.Sprintf("Kutaisi %d", i),
			CountryName: "Georgia", CountryCode: "GE", City: "Kutaisi", FacilityType: "locker"})
	}
	page, err := c.PickupLocations(ctx, &inex.PickupLocationsRequest{CityName: "Kutaisi", PerPage: 3, Page: 3})
	require.NoError(t, err)
	assert.Equal(t, inex.Pagination{Total: 7, Count: 1, CurrentPage: 3, PerPage: 3, TotalPages: 3}, page.Pagination)
	require.Len(t, page.Locations, 1)
	assert.Equal(t, "K6", page.Locations[0].LocationCode)
	assert.Equal(t, "Kutaisi", page.Locations[0].City)

	var codes []string
	for l, err := range c.AllPickupLocations(ctx, &inex.PickupLocationsRequest{CountryCode: "GE", FacilityType: inex.FacilityLocker, PerPage: 2}) {
		require.NoError(t, err)
		codes = append(codes, l.LocationCode)
	}
	assert.Equal(t, []string{"200058", "K0", "K1", "K2", "K3", "K4", "K5", "K6"}, codes)

	_, err = c.PickupLocations(ctx, &inex.PickupLocationsRequest{CountryCode: "AM"})
	assert.ErrorIs(t, err, inex.ErrNotFound)
	var e *inex.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, []string{"City or country not found"}, e.General)

	// the parcel's pickup location is one of the list's
	p, err := c.ParcelDetail(ctx, "TY7200934421231")
	require.NoError(t, err)
	page, err = c.PickupLocations(ctx, &inex.PickupLocationsRequest{Name: p.ReceiverPickupLocation.Name})
	require.NoError(t, err)
	require.Len(t, page.Locations, 1)
	assert.Equal(t, "200001", page.Locations[0].LocationCode)
	assert.Equal(t, p.ReceiverPickupLocation.Address, page.Locations[0].Address)
}

func newParcel(waybills ...string) *inex.CreateParcelRequest {
	return &inex.CreateParcelRequest{
		WaybillNumbers: waybills, Status: inex.ParcelReceived, Weight: 800, ShipmentType: inex.ByAir,
		DeliveryType: inex.PickupInStore, PickupLocationID: "200058",
		Receiver:    inex.Receiver{PersonalID: "01001011111", Firstname: "Name", Lastname: "Lastname", PhoneNumber: "555123456"},
		Declaration: inex.Declaration{SourceURL: "https://shop.example/item/1", CurrencyCode: "USD"},
	}
}

func TestFlowCreateParcel(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()

	res, err := c.CreateParcel(ctx, newParcel("NEW1", "NEW2"))
	require.NoError(t, err)
	assert.Equal(t, 201, res.StatusCode)
	assert.Equal(t, inex.ParcelReceived, res.Parcel.Status)
	assert.Equal(t, "Vake locker", res.Parcel.ReceiverPickupLocation.Name)
	assert.Equal(t, "Tbilisi", res.Parcel.ReceiverCity)

	// again, by either number, with other fields: the same parcel, unchanged
	again := newParcel("NEW2")
	again.Weight = 9999
	res2, err := c.CreateParcel(ctx, again)
	require.NoError(t, err)
	assert.Equal(t, 200, res2.StatusCode)
	assert.Equal(t, int64(800), res2.Parcel.Weight)
	assert.Equal(t, 1, srv.ParcelsCreated())

	p, err := c.ParcelDetail(ctx, "NEW1")
	require.NoError(t, err)
	assert.Equal(t, []string{"NEW1", "NEW2"}, p.WaybillNumbers)

	// a lost reply: the client resends, Inex answers the parcel it made
	srv.Route("parcels/create").CutAfterNext(1)
	res, err = c.CreateParcel(ctx, newParcel("NEW3"))
	require.NoError(t, err)
	assert.Equal(t, 200, res.StatusCode, "the second attempt found the first's parcel")
	assert.Equal(t, 2, srv.ParcelsCreated())

	// another vendor's tracking code
	other, err := inex.NewClient(inextest.OtherVendorToken, inex.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = other.CreateParcel(ctx, newParcel("NEW1"))
	assert.ErrorIs(t, err, inex.ErrUnauthorized)
	assert.NotErrorIs(t, err, inex.ErrOutcomeUnknown)
	res, err = other.CreateParcel(ctx, newParcel("OTHER1"))
	require.NoError(t, err)
	assert.Equal(t, 201, res.StatusCode)
	_, err = c.ParcelDetail(ctx, "OTHER1")
	assert.ErrorIs(t, err, inex.ErrUnauthorized)

	// a pickup location Inex does not know is its validation error
	bad := newParcel("NEW4")
	bad.PickupLocationID = "999999"
	_, err = c.CreateParcel(ctx, bad)
	assert.ErrorIs(t, err, inex.ErrValidation)
	var e *inex.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, []string{"The selected pickup location id is invalid."}, e.Fields["pickupLocationId"])
	assert.Equal(t, 3, srv.ParcelsCreated())
}
