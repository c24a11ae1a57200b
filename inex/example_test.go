package inex_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/caravanpay/caravan/inex"
	"github.com/caravanpay/caravan/inex/inextest"
)

// Pay a customer's debt; paying again with the same payment id pays nothing
// and answers the same transaction id.
func ExampleClient_PayDebt() {
	srv := inextest.NewServer()
	defer srv.Close()
	srv.SeedExamples()

	client, err := inex.NewClient(inextest.Token, inex.WithBaseURL(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	req := &inex.PayDebtRequest{RoomNumber: "IG00001", PaymentID: "INV0001"}
	first, err := client.PayDebt(ctx, req)
	if err != nil {
		fmt.Println(err)
		return
	}
	again, err := client.PayDebt(ctx, req)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("transaction", first.TransactionID)
	fmt.Println("same transaction on repeat:", again.TransactionID == first.TransactionID)
	fmt.Println("payments applied:", srv.DebtPayments("IG00001"))
	// Output:
	// transaction 123456
	// same transaction on repeat: true
	// payments applied: 1
}

// Read what a customer owes, invoice by invoice, in tetri.
func ExampleClient_DebtDetail() {
	srv := inextest.NewServer()
	defer srv.Close()
	srv.SeedExamples()
	client, _ := inex.NewClient(inextest.Token, inex.WithBaseURL(srv.URL))

	debt, err := client.DebtDetail(context.Background(), &inex.DebtDetailRequest{RoomNumber: "IG00001"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("total %d.%02d %s\n", debt.TotalDebt/100, debt.TotalDebt%100, debt.Currency)
	for _, inv := range debt.Invoices {
		fmt.Println(inv.InvoiceNumber, inv.Amount, inv.ServiceType, inv.ServiceType == inex.ServiceTransportation)
	}
	// Output:
	// total 15.00 GEL
	// INV-52446 1000 transportation true
	// INV-52447 500 homeDelivery false
}

// Top up a customer's balance by 1 GEL (100 tetri).
func ExampleClient_TopUpBalance() {
	srv := inextest.NewServer()
	defer srv.Close()
	srv.SeedExamples()
	client, _ := inex.NewClient(inextest.Token, inex.WithBaseURL(srv.URL))
	ctx := context.Background()

	res, err := client.TopUpBalance(ctx, &inex.TopUpRequest{RoomNumber: "IG00001", Amount: 100, PaymentID: "IN0001"})
	if err != nil {
		fmt.Println(err)
		return
	}
	customer, _ := client.Customer(ctx, "IG00001")
	fmt.Println("transaction", res.TransactionID, "balance", customer.Balance)
	// Output:
	// transaction 123456 balance 257
}

// Read a customer and their foreign-currency wallet.
func ExampleClient_Wallet() {
	srv := inextest.NewServer()
	defer srv.Close()
	srv.AddCustomer(inextest.Customer{RoomNumber: "IG00007", FullNameEn: "Nino Beridze",
		Wallet: []inextest.WalletBalance{{Amount: 150, Currency: "USD"}}})
	client, _ := inex.NewClient(inextest.Token, inex.WithBaseURL(srv.URL))
	ctx := context.Background()

	customer, _ := client.Customer(ctx, "IG00007")
	wallet, err := client.Wallet(ctx, "IG00007")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(customer.FullNameEn)
	for _, w := range wallet {
		fmt.Println(w.Amount, w.Currency)
	}
	// Output:
	// Nino Beridze
	// 150 USD
}

// Errors carry Inex's own messages and match the shared sentinels.
func ExampleError() {
	srv := inextest.NewServer()
	defer srv.Close()
	client, _ := inex.NewClient(inextest.Token, inex.WithBaseURL(srv.URL))

	_, err := client.PayDebt(context.Background(), &inex.PayDebtRequest{RoomNumber: "IG99999", PaymentID: "INV0002"})
	var e *inex.Error
	if errors.Is(err, inex.ErrNotFound) && errors.As(err, &e) {
		fmt.Println(e.StatusCode, e.General[0])
	}
	fmt.Println(err)

	_, err = client.PayDebt(context.Background(), &inex.PayDebtRequest{PaymentID: "INV0003"})
	fmt.Println(errors.Is(err, inex.ErrInvalidRequest), err)
	// Output:
	// 404 Requested customer not found
	// inex: POST /integrators/payments/debts/pay: not found (HTTP 404): "Requested customer not found"
	// true inex: invalid request: roomNumber: one of roomNumber and waybillNumber is required
}

// Show a parcel before its debt is paid: weight in grams, sizes in
// millimetres, and where it is picked up.
func ExampleClient_ParcelDetail() {
	srv := inextest.NewServer()
	defer srv.Close()
	srv.SeedExamples()
	client, _ := inex.NewClient(inextest.Token, inex.WithBaseURL(srv.URL))

	p, err := client.ParcelDetail(context.Background(), "TY7200934421231")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.WaybillNumbers, p.Status, p.Status.Known())
	fmt.Printf("%d g, %d×%d×%d mm, from %s\n", p.Weight, p.Length, p.Height, p.Width, p.SenderCountry.Code)
	fmt.Println("pick up at", p.ReceiverPickupLocation.Name+",", p.ReceiverPickupLocation.Address)
	// Output:
	// [TY7200934421231 YT72358DF03423452] arrived true
	// 1551 g, 318×684×489 mm, from US
	// pick up at Isani, Isani, Atskuri Street #45
}

// Show a parcel's way, in Georgian.
func ExampleClient_LogisticHistory() {
	srv := inextest.NewServer()
	defer srv.Close()
	srv.SeedExamples()
	client, _ := inex.NewClient(inextest.Token, inex.WithBaseURL(srv.URL))

	events, err := client.LogisticHistory(context.Background(), &inex.LogisticHistoryRequest{
		WaybillNumber: "TY7200934421231", AcceptLanguage: inex.Georgian,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range events {
		fmt.Println(e.HappenedAt.Format("2006-01-02 15:04"), e.EventID, e.EventName, e.City)
	}
	// Output:
	// 2026-03-04 14:02 received მიღებულია New Castle
	// 2026-03-05 16:02 pending გამოგზავნილია New Castle
	// 2026-03-10 14:02 arrived ჩამოსულია Tbilisi
}

// List the lockers in Tbilisi, every page.
func ExampleClient_AllPickupLocations() {
	srv := inextest.NewServer()
	defer srv.Close()
	srv.SeedExamples()
	client, _ := inex.NewClient(inextest.Token, inex.WithBaseURL(srv.URL))

	req := &inex.PickupLocationsRequest{CityName: "Tbilisi", PerPage: 1}
	for l, err := range client.AllPickupLocations(context.Background(), req) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(l.LocationCode, l.Name, "-", l.Address)
	}
	// Output:
	// 200001 Isani - Isani, Atskuri Street #45
	// 200058 Vake locker - Chavchavadze Avenue 1
}

// Read one page of pickup locations and where it is in the list.
func ExampleClient_PickupLocations() {
	srv := inextest.NewServer()
	defer srv.Close()
	srv.SeedExamples()
	client, _ := inex.NewClient(inextest.Token, inex.WithBaseURL(srv.URL))

	page, err := client.PickupLocations(context.Background(), &inex.PickupLocationsRequest{CountryCode: "GE", PerPage: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range page.Locations {
		fmt.Println(l.LocationCode, l.City)
	}
	fmt.Printf("page %d of %d, %d locations\n", page.Pagination.CurrentPage, page.Pagination.TotalPages, page.Pagination.Total)
	// Output:
	// 200001 Tbilisi
	// 200058 Tbilisi
	// page 1 of 2, 3 locations
}

// Register a parcel; registering it again with the same tracking code
// answers the same parcel (200) and creates nothing.
func ExampleClient_CreateParcel() {
	srv := inextest.NewServer()
	defer srv.Close()
	srv.SeedExamples()
	client, _ := inex.NewClient(inextest.Token, inex.WithBaseURL(srv.URL))

	req := &inex.CreateParcelRequest{
		ClientReferenceID: "ORDER-1",
		WaybillNumbers:    []string{"1Z999AA10123456784"},
		Status:            inex.ParcelReceived,
		Weight:            1200, // grams
		ShipmentType:      inex.ByAir,
		DeliveryType:      inex.PickupInStore,
		PickupLocationID:  "200058",
		Receiver:          inex.Receiver{PersonalID: "01001011111", Firstname: "Nino", Lastname: "Beridze", PhoneNumber: "555123456"},
		Declaration:       inex.Declaration{SourceURL: "https://shop.example/item/1", CurrencyCode: "USD"},
	}
	for range 2 {
		res, err := client.CreateParcel(context.Background(), req)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(res.StatusCode, res.Parcel.WaybillNumbers, res.Parcel.Status, res.Parcel.ReceiverPickupLocation.Name)
	}
	fmt.Println("parcels created:", srv.ParcelsCreated())
	// Output:
	// 201 [1Z999AA10123456784] received Vake locker
	// 200 [1Z999AA10123456784] received Vake locker
	// parcels created: 1
}
