package payguest

import (
	"context"
	"testing"

	"github.com/caravanpay/caravan/payguest/payguesttest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFakeDiscountPointTypesThenPoints(t *testing.T) {
	srv, c := fakeClient(t)
	srv.AddExampleReferenceData()
	srv.AddDiscountPointType(payguesttest.DiscountPointType{ID: "0412C97B-AF11-2447-88D9-B40FA0EB996D", Name: "вечные", IsPermanent: true})
	srv.AddExampleBill()
	ctx := context.Background()

	types, err := c.DiscountPointTypes(ctx)
	require.NoError(t, err)
	require.Len(t, types, 3)
	assert.True(t, types[2].IsPermanent)

	// the type goes into PayGuest's DiscountSum
	res, err := c.PayGuest(ctx, &PayGuestRequest{
		Payment:     Payment{GuestID: payguesttest.ExampleBillID, PayTypeID: payguesttest.ExamplePayTypeID},
		DiscountSum: &DiscountSum{TypeID: types[0].ID, Sum: "10"},
	})
	require.NoError(t, err)
	require.Len(t, res.DiscountSums, 1)
	assert.Equal(t, types[0].ID, res.DiscountSums[0].TypeID)

	srv.Route("get-discount-point-types").FailNext(1, 503, `"занято"`)
	_, err = c.DiscountPointTypes(ctx)
	require.NoError(t, err, "a read is retried")
	assert.Equal(t, 1, srv.Route("get-discount-point-types").Applied())
}

func TestFakeDivisions(t *testing.T) {
	srv, c := fakeClient(t)
	got, err := c.Divisions(context.Background())
	require.NoError(t, err)
	assert.Empty(t, got)
	srv.AddExampleReferenceData()
	got, err = c.Divisions(context.Background())
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, payguesttest.ExampleDivisionID, got[0].ID)
}

func TestFakePurseTypes(t *testing.T) {
	srv, c := fakeClient(t)
	srv.AddPurseType(payguesttest.PurseType{ID: payguesttest.ExamplePurseTypeID, Name: "местные счета"})
	srv.Route("get-purse-types").CutNext(1)
	got, err := c.PurseTypes(context.Background())
	require.NoError(t, err, "a read is retried after a cut")
	require.Len(t, got, 1)
	assert.Equal(t, "местные счета", got[0].Name)
}
