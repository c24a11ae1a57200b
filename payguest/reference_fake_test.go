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

func TestFakePostGuestThenPayGuest(t *testing.T) {
	srv, c := fakeClient(t)
	srv.AddExampleReferenceData()
	ctx := context.Background()
	divisions, err := c.Divisions(ctx)
	require.NoError(t, err)

	bill := docBill()
	bill.DivisionID = divisions[0].ID
	bill.Orders[0].Items = append(bill.Orders[0].Items, GuestOrderItem{MenuItemID: "9C3D6192-9FFA-A848-8C6E-D5629F9128AD", Count: "0.5", Price: "99"})
	res, err := c.PostGuest(ctx, bill)
	require.NoError(t, err)
	assert.Equal(t, payguesttest.FirstPostedBillID, res.GuestID)

	posted := srv.PostedBills()
	require.Len(t, posted, 1)
	assert.Equal(t, bill.ClientAddress, posted[0].ClientAddress, "the XML address arrives unchanged")
	assert.Equal(t, "1350.50", posted[0].Total, "2 × 650.50 + 0.5 × 99")
	assert.Equal(t, payguesttest.ExampleDivisionID, posted[0].DivisionID)

	// PayGuest pays the new bill; its prepaid pay type came with it
	_, err = c.PayGuest(ctx, &PayGuestRequest{Payment: Payment{GuestID: res.GuestID, PaySum: "1350.50"}})
	require.NoError(t, err)
	assert.Equal(t, 1, srv.PaidCount(res.GuestID))
	p := srv.Payments()
	assert.Equal(t, "0789C108-6C80-BC47-BB39-A13C7CDDD030", p[0].PayTypeID)

	// a second post is a second bill: not idempotent
	res2, err := c.PostGuest(ctx, bill)
	require.NoError(t, err)
	assert.NotEqual(t, res.GuestID, res2.GuestID)
	assert.Len(t, srv.PostedBills(), 2)
}

func TestFakePostGuestOutcomeUnknown(t *testing.T) {
	srv, c := fakeClient(t)
	ctx := context.Background()

	srv.Route("post-guest").CutAfterNext(1)
	_, err := c.PostGuest(ctx, docBill())
	require.ErrorIs(t, err, ErrOutcomeUnknown, "the bill was created and the reply lost")
	assert.Len(t, srv.PostedBills(), 1, "created once, never resent")

	srv.Route("post-guest").CutNext(1)
	res, err := c.PostGuest(ctx, docBill())
	require.Error(t, err)
	assert.Nil(t, res)
	assert.ErrorIs(t, err, ErrOutcomeUnknown, "a cut after sending: the client cannot know")
	assert.Len(t, srv.PostedBills(), 1, "the cut request created nothing, and was not resent")

	srv.Route("post-guest").FailNext(1, 503, `"занято"`)
	_, err = c.PostGuest(ctx, docBill())
	require.NoError(t, err, "503 says nothing was done: resent")
	assert.Len(t, srv.PostedBills(), 2)
}
