package payguest_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/caravanpay/caravan/payguest"
	"github.com/caravanpay/caravan/payguest/payguesttest"
)

// Pay a bill in full with a pay type.
func ExampleClient_PayGuest() {
	srv := payguesttest.NewServer()
	defer srv.Close()
	srv.AddExampleBill() // 1240.50, nothing sent for payment yet

	client, err := payguest.NewClient(payguest.WithBaseURL(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := client.PayGuest(context.Background(), &payguest.PayGuestRequest{
		Payment: payguest.Payment{
			GuestID:   payguesttest.ExampleBillID,
			PaySum:    payguest.MustDecimal("1240.50"),
			PayTypeID: payguesttest.ExamplePayTypeID,
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("points configured:", res.PointsConfigured())
	fmt.Println("times paid:", srv.PaidCount(payguesttest.ExampleBillID))
	// Output:
	// points configured: true
	// times paid: 1
}

// Apply loyalty points first (no PaySum: nothing is paid), then pay the
// rest, deleting the prechecks whose payment has not started.
func ExampleClient_PayGuest_points() {
	srv := payguesttest.NewServer()
	defer srv.Close()
	srv.AddExampleBill()
	client, _ := payguest.NewClient(payguest.WithBaseURL(srv.URL))
	ctx := context.Background()

	res, err := client.PayGuest(ctx, &payguest.PayGuestRequest{
		Payment:         payguest.Payment{GuestID: payguesttest.ExampleBillID, PayTypeID: payguesttest.ExamplePayTypeID},
		DiscountSum:     &payguest.DiscountSum{Sum: payguest.MustDecimal("40.50")},
		DeletePrechecks: payguest.Ptr(payguest.DeleteUnpaidPrechecks),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	applied := res.AppliedDiscountSums[0].Sum
	fmt.Println("applied points:", applied)

	total, _ := payguest.MustDecimal(payguesttest.ExampleBillTotal).Rat()
	points, _ := applied.Rat()
	rest, _ := payguest.ParseDecimal(total.Sub(total, points).FloatString(2))
	_, err = client.PayGuest(ctx, &payguest.PayGuestRequest{
		Payment: payguest.Payment{GuestID: payguesttest.ExampleBillID, PaySum: rest},
	})
	fmt.Println("paid", rest, err)
	// Output:
	// applied points: 40.50
	// paid 1200.00 <nil>
}

// Errors carry the server's text and a sentinel.
func ExampleError() {
	srv := payguesttest.NewServer()
	defer srv.Close()
	srv.AddExampleBill()
	client, _ := payguest.NewClient(payguest.WithBaseURL(srv.URL))

	_, err := client.PayGuest(context.Background(), &payguest.PayGuestRequest{
		Payment: payguest.Payment{GuestID: payguesttest.ExampleBillID, PaySum: payguest.MustDecimal("1000")},
	})
	var pe *payguest.Error
	if errors.As(err, &pe) {
		fmt.Println(pe.StatusCode, pe.Text)
	}
	fmt.Println(errors.Is(err, payguest.ErrNoPayType))
	// Output:
	// 400 Для проведения оплаты должен присутствовать либо payType_ID, либо gsdlv_pytp_ID_Prepaid
	// true
}

// List the kinds of loyalty points; a kind's ID is what
// DiscountSum.TypeID takes.
func ExampleClient_DiscountPointTypes() {
	srv := payguesttest.NewServer()
	defer srv.Close()
	srv.AddExampleReferenceData()
	client, _ := payguest.NewClient(payguest.WithBaseURL(srv.URL))

	types, err := client.DiscountPointTypes(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range types {
		fmt.Println(t.ID, t.Name, t.IsPermanent)
	}
	// Output:
	// A976C6ED-C511-4755-B942-636645A6A1B0 баллы 1 false
	// C635BB7D-DE32-41F1-878C-8050F57C1826 баллы 2 false
}

// List the restaurant's divisions; a division's ID is a new bill's
// gest_dvsn_ID.
func ExampleClient_Divisions() {
	srv := payguesttest.NewServer()
	defer srv.Close()
	srv.AddExampleReferenceData()
	client, _ := payguest.NewClient(payguest.WithBaseURL(srv.URL))

	divisions, err := client.Divisions(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range divisions {
		fmt.Println(d.ID, d.Name, d.GeoIdentifier)
	}
	// Output:
	// B125BE00-8B8C-CC40-99AC-088B5A95EF67 OZR_Доставка_Энгельса 124 OZR_Энгельса_124
}

// List the kinds of client purses (stored-value accounts).
func ExampleClient_PurseTypes() {
	srv := payguesttest.NewServer()
	defer srv.Close()
	srv.AddExampleReferenceData()
	client, _ := payguest.NewClient(payguest.WithBaseURL(srv.URL))

	types, err := client.PurseTypes(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range types {
		fmt.Println(t.ID, t.Name, "-", t.Description)
	}
	// Output:
	// 573250C8-5007-4AAF-8596-4F820E9B6648 местные счета - описание
}

// Create a bill, then pay it. PostGuest is not idempotent: after
// ErrOutcomeUnknown, look for the bill before posting it again.
func ExampleClient_PostGuest() {
	srv := payguesttest.NewServer()
	defer srv.Close()
	srv.AddExampleReferenceData()
	client, _ := payguest.NewClient(payguest.WithBaseURL(srv.URL))
	ctx := context.Background()

	bill, err := client.PostGuest(ctx, &payguest.PostGuestRequest{
		Name:          "S404095",
		DivisionID:    payguesttest.ExampleDivisionID,
		ClientPhone:   "999999999",
		ClientName:    "Евгения",
		ClientAddress: "<?xml version='1.0'?>\n<Address>\n <Village Caption='Населенный пункт' Key='True'>Санкт-Петербург</Village>\n</Address>",
		IsDelivery:    true,
		Delivery:      &payguest.GuestDelivery{MethodID: 1, PrepaidPayTypeID: payguesttest.ExamplePayTypeID, NeedConfirmation: true},
		Orders: []payguest.GuestOrder{{Name: "S404095", Items: []payguest.GuestOrderItem{
			{MenuItemID: "9C3D6192-9FFA-A848-8C6E-D5629F9128AD", Count: payguest.MustDecimal("2"), Price: payguest.MustDecimal("650.50")},
		}}},
	})
	switch {
	case errors.Is(err, payguest.ErrOutcomeUnknown):
		fmt.Println("a bill may exist: look for it before posting again")
		return
	case err != nil:
		fmt.Println(err)
		return
	}
	fmt.Println("bill", bill.GuestID)

	_, err = client.PayGuest(ctx, &payguest.PayGuestRequest{
		Payment: payguest.Payment{GuestID: bill.GuestID, PaySum: payguest.MustDecimal("1301.00")},
	})
	fmt.Println("paid:", err == nil, srv.PaidCount(bill.GuestID))
	// Output:
	// bill BFA83CA6-A5C9-8945-94FD-32CB40880933
	// paid: true 1
}
