package uapay_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/caravanpay/caravan/uapay"
	"github.com/caravanpay/caravan/uapay/uapaytest"
)

// heldPayment starts a fake, issues a HOLD invoice and has a customer pay
// it on the hosted page.
func heldPayment(typ string) (srv *uapaytest.Server, c *uapay.Client, invoiceID, paymentID string) {
	srv = uapaytest.NewServer()
	c, _ = uapay.NewClient(uapaytest.ClientID, uapaytest.SignKey, uapay.WithBaseURL(srv.URL))
	invoiceID = srv.AddInvoice(uapaytest.Invoice{Type: typ, ExternalID: "order-1", Amount: 10000, Description: "Order 1"})
	p, _ := srv.PayInvoice(invoiceID) // the customer pays on the hosted page
	return srv, c, invoiceID, p.PaymentID
}

func ExampleClient_ShowPayment() {
	srv, c, _, paymentID := heldPayment("PAY")
	defer srv.Close()
	p, err := c.ShowPayment(context.Background(), paymentID)
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(p.Status, p.PaymentStatus, p.Amount, p.PaidAt != nil)
	// Output: PAID FINISHED 10000 true
}

func ExampleClient_CompletePayment() {
	srv, c, invoiceID, paymentID := heldPayment("HOLD")
	defer srv.Close()
	ctx := context.Background()
	// Capture 75.00 UAH of the 100.00 held.
	_, err := c.CompletePayment(ctx, &uapay.CompletePaymentRequest{PaymentID: paymentID, InvoiceID: invoiceID, Amount: 7500})
	switch {
	case errors.Is(err, uapay.ErrOutcomeUnknown):
		// the client could not find out: calling it again is safe
		fmt.Println("unknown, safe to repeat:", uapay.SafeToRepeat(err))
		return
	case err != nil:
		fmt.Println("not captured:", err)
		return
	}
	p, _ := c.ShowPayment(ctx, paymentID)
	fmt.Println(p.PaymentStatus, p.Amount)
	// Output: FINISHED 7500
}

func ExampleClient_CancelPayment() {
	srv, c, invoiceID, paymentID := heldPayment("HOLD")
	defer srv.Close()
	ctx := context.Background()
	if _, err := c.CancelPayment(ctx, &uapay.CancelPaymentRequest{PaymentID: paymentID, InvoiceID: invoiceID}); err != nil {
		fmt.Println("error:", err)
		return
	}
	p, _ := c.ShowPayment(ctx, paymentID)
	fmt.Println(p.PaymentStatus)
	// A voided payment cannot be captured: refused before sending.
	_, err := c.CompletePayment(ctx, &uapay.CompletePaymentRequest{PaymentID: paymentID, InvoiceID: invoiceID})
	var se *uapay.PaymentStateError
	fmt.Println(errors.As(err, &se), errors.Is(err, uapay.ErrConflict))
	// Output:
	// CANCELED
	// true true
}

func ExampleClient_ReversePayment() {
	srv, c, invoiceID, paymentID := heldPayment("PAY")
	defer srv.Close()
	ctx := context.Background()
	// Refund 20.00 UAH of 100.00.
	_, err := c.ReversePayment(ctx, &uapay.ReversePaymentRequest{PaymentID: paymentID, InvoiceID: invoiceID, Amount: 2000})
	switch {
	case errors.Is(err, uapay.ErrOutcomeUnknown):
		// may have been refunded: never send it again blindly
		fmt.Println("unknown; safe to repeat:", uapay.SafeToRepeat(err))
		return
	case err != nil:
		fmt.Println("not refunded:", err)
		return
	}
	p, _ := c.ShowPayment(ctx, paymentID)
	fmt.Println(p.Status, p.ReversedAt != nil)
	// Output: REVERSED true
}

func ExampleClient_UpdateSubscription() {
	srv := uapaytest.NewServer()
	defer srv.Close()
	c, _ := uapay.NewClient(uapaytest.ClientID, uapaytest.SignKey, uapay.WithBaseURL(srv.URL))
	ctx := context.Background()
	created, err := c.CreateInvoice(ctx, &uapay.CreateInvoiceRequest{Type: uapay.TypeSubscribe, ExternalID: "sub-1",
		Amount: 1000, Description: "Monthly plan", RecurringInterval: 30, ExpiresAt: time.Now().AddDate(1, 0, 0)})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	// Every week from now on, for three more months.
	s, err := c.UpdateSubscription(ctx, created.ID, &uapay.SubscriptionUpdate{Interval: 7, ExpiresAt: time.Now().AddDate(0, 3, 0)})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(s.Interval, s.Amount, s.Status)
	// Output: 7 1000 ACTIVE
}

func ExampleClient_ShowCommission() {
	srv := uapaytest.NewServer()
	defer srv.Close()
	c, _ := uapay.NewClient(uapaytest.ClientID, uapaytest.SignKey, uapay.WithBaseURL(srv.URL))
	invoiceID := srv.AddInvoice(uapaytest.Invoice{Amount: 50000, Description: "Order 1"})
	cm, err := c.ShowCommission(context.Background(), invoiceID, 50000)
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Printf("%s %% + %d = %d kopecks\n", cm.Percents, cm.Fixed, cm.Amount)
	// Output: 2 % + 100 = 1100 kopecks
}

func ExampleClient_ShowInvoices() {
	srv := uapaytest.NewServer()
	defer srv.Close()
	c, _ := uapay.NewClient(uapaytest.ClientID, uapaytest.SignKey, uapay.WithBaseURL(srv.URL))
	srv.AddInvoice(uapaytest.Invoice{ExternalID: "order-7", Amount: 10050, Description: "Order 7"})
	// Find invoices by your own order ids (any number: sent 100 at a time).
	found, err := c.ShowInvoices(context.Background(), &uapay.ShowInvoicesRequest{ExternalIDs: []string{"order-7", "order-8"}})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	for _, inv := range found {
		fmt.Println(inv.ExternalID, inv.Amount, inv.InvoiceStatus)
	}
	// Output: order-7 10050 ACTIVE
}
