package resid_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/caravanpay/caravan/resid"
	"github.com/caravanpay/caravan/resid/residtest"
)

// A taxi fare end to end against the fake: create the payment request, let
// the (simulated) passenger pay, read it and collect it within its window.
func Example() {
	srv := residtest.NewServer()
	defer srv.Close()

	client, err := resid.NewClient(residtest.AuthorizationCode, resid.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	created, err := client.CreatePayment(ctx, &resid.CreatePaymentRequest{
		Amount:   10000, // rials
		Merchant: "faSDF42w3Fs",
		Payload:  "ride-42",
	})
	if err != nil {
		log.Fatal(err)
	}
	token := created.Token
	_ = srv.Pay(token) // the passenger pays at the bank gateway

	p, err := client.GetPayment(ctx, token)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("state:", p.Outcome.State, "amount:", p.Amount, "payload:", p.Payload, "paid:", p.Paid != nil)
	fmt.Println("deadline is 20 minutes after creation:", p.CollectDeadline().Sub(p.Created))

	if err := p.CheckCollectWindow(time.Now()); err != nil {
		log.Fatal(err) // Resid refunds the passenger: do not deliver
	}
	if err := client.CollectPayment(ctx, p.Token); err != nil {
		log.Fatal(err)
	}
	fmt.Println("collected:", srv.Collected(token))
	// Output:
	// state: paid amount: 10000 payload: ride-42 paid: true
	// deadline is 20 minutes after creation: 20m0s
	// collected: true
}

// CheckCollectWindow tells, without a request, that a payment's 20-minute
// window has certainly closed: Resid refunds such a payment to the
// passenger, so the service must not be delivered.
func ExamplePayment_CheckCollectWindow() {
	srv := residtest.NewServer()
	defer srv.Close()
	createdAt := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	srv.SetNow(createdAt)

	client, _ := resid.NewClient(residtest.AuthorizationCode, resid.WithBaseURL(srv.URL))
	ctx := context.Background()
	created, _ := client.CreatePayment(ctx, &resid.CreatePaymentRequest{Amount: 10000, Merchant: residtest.Merchant})
	_ = srv.Pay(created.Token)
	p, _ := client.GetPayment(ctx, created.Token)

	err := p.CheckCollectWindow(createdAt.Add(45 * time.Minute))
	fmt.Println(errors.Is(err, resid.ErrCollectWindowClosed), srv.Collects(created.Token))
	// Output: true 0
}

// All pages through every payment, newest first, each exactly once.
func ExampleClient_All() {
	srv := residtest.NewServer()
	defer srv.Close()
	at := time.Date(2017, 5, 14, 14, 1, 50, 632640000, time.UTC)
	for i := 0; i < 5; i++ {
		srv.Seed(resid.Payment{Amount: int64(1000 * (i + 1)), Created: at}) // all at one instant
	}
	client, _ := resid.NewClient(residtest.AuthorizationCode, resid.WithBaseURL(srv.URL))

	var total int64
	n := 0
	for p, err := range client.All(context.Background(), &resid.ListOptions{Size: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		total += p.Amount
		n++
	}
	fmt.Println(n, "payments,", total, "rials")
	// Output: 5 payments, 15000 rials
}

// Errors carry Resid's envelope and match the shared sentinels.
func ExampleError() {
	srv := residtest.NewServer()
	defer srv.Close()
	client, _ := resid.NewClient(residtest.AuthorizationCode, resid.WithBaseURL(srv.URL))

	_, err := client.CreatePayment(context.Background(), &resid.CreatePaymentRequest{Amount: 10000, Merchant: "unknown"})
	var re *resid.Error
	if errors.As(err, &re) {
		fmt.Println(re.StatusCode, re.Message, re.Errors, errors.Is(err, resid.ErrValidation))
	}
	_, err = client.CreatePayment(context.Background(), &resid.CreatePaymentRequest{Amount: 0, Merchant: "faSDF42w3Fs"})
	fmt.Println(err)
	// Output:
	// 400 Invalid input. [merchant: no merchant with this id] true
	// resid: invalid request: amount: must be a positive number of rials, got 0
}

// Register a merchant (payee), then create a payment request for it. The
// document's reply is cut before the merchant's id: read it from Info
// (the fake sends it as "token").
func ExampleClient_CreateMerchant() {
	srv := residtest.NewServer()
	defer srv.Close()
	client, _ := resid.NewClient(residtest.AuthorizationCode, resid.WithBaseURL(srv.URL))
	ctx := context.Background()

	m, err := client.CreateMerchant(ctx, &resid.CreateMerchantRequest{
		FirstName: "Asghar", LastName: "Farhadi", PhoneNumber: "09123456789", NationalNo: "1234567890",
		Sheba: "IR123456789012345678901234", BankCode: 0, JobTitle: "Programmer",
		// Logo: &resid.Logo{Filename: "logo.png", Data: png} sends every field as multipart/form-data
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	id, _ := m.Text("token")
	fmt.Println("merchant", m.FirstName, id)

	p, err := client.CreatePayment(ctx, &resid.CreatePaymentRequest{Amount: 10000, Merchant: id})
	fmt.Println("payment created:", err == nil && p.Token != "")
	// Output:
	// merchant Asghar mrfJ9RBGcMs
	// payment created: true
}
