package uapay_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"sync"

	"github.com/caravanpay/caravan/uapay"
	"github.com/caravanpay/caravan/uapay/uapaytest"
)

func ExampleClient_UpdateInvoice() {
	srv := uapaytest.NewServer()
	defer srv.Close()
	invoiceID := srv.AddInvoice(uapaytest.Invoice{ID: uapaytest.SeedInvoiceID, Amount: 10000})

	c, err := uapay.NewClient(uapaytest.ClientID, uapaytest.SignKey, uapay.WithBaseURL(srv.URL))
	if err != nil {
		panic(err)
	}
	// No session handling: the client creates one on its first call.
	id, err := c.UpdateInvoice(context.Background(), invoiceID, &uapay.InvoiceUpdate{
		CardTo:      &uapay.CardTo{PAN: "4134170000010886"},
		Tag:         uapay.Ptr("Клиент 1"),
		RedirectURL: uapay.Ptr("https://uapay.ua"),
		ExtraInfo:   json.RawMessage(`{"base":true,"origin":"invoicer","email":"test@ukr.net"}`),
	})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	inv, _ := srv.Invoice(id)
	fmt.Println(id)
	fmt.Println(inv.Tag, inv.CardToMasked)
	// Output:
	// 065f927e-f78f-4d9a-ad07-cef58c16ca96
	// Клиент 1 413417******0886
}

func ExampleClient_CreateInvoice() {
	srv := uapaytest.NewServer()
	defer srv.Close()
	c, _ := uapay.NewClient(uapaytest.ClientID, uapaytest.SignKey, uapay.WithBaseURL(srv.URL))
	ctx := context.Background()
	created, err := c.CreateInvoice(ctx, &uapay.CreateInvoiceRequest{
		ExternalID: "order-42", Amount: 25050, Description: "Order 42",
	})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	inv, _ := c.ShowInvoice(ctx, created.ID)
	fmt.Println(inv.ExternalID, inv.Amount, inv.InvoiceStatus)
	// Output: order-42 25050 ACTIVE
}

func ExamplePAN() {
	pan := uapay.PAN("4134170000010886")
	fmt.Println(pan, pan.Validate() == nil)
	fmt.Printf("%#v\n", pan)
	// Output:
	// 413417******0886 true
	// uapay.PAN("413417******0886")
}

func ExampleClient_CallbackHandler() {
	srv := uapaytest.NewServer()
	defer srv.Close()
	c, _ := uapay.NewClient(uapaytest.ClientID, uapaytest.SignKey, uapay.WithBaseURL(srv.URL))

	h := httptest.NewServer(c.CallbackHandler(func(ctx context.Context, cb *uapay.Callback) error {
		// UAPAY may deliver the same callback again: act idempotently.
		fmt.Println(cb.PaymentID, cb.PaymentStatus, cb.Amount)
		return nil
	}))
	defer h.Close()
	err := srv.SendCallback(context.Background(), h.URL, uapaytest.Callback{
		PaymentID: "c5d0f3b0", InvoiceID: uapaytest.SeedInvoiceID, Amount: 10000, PaymentStatus: "PAYED"})
	fmt.Println(err)
	// Output:
	// c5d0f3b0 PAYED 10000
	// <nil>
}

// paymentStore stands for the service's database: applyOnce is one
// transaction that records the delivery key in a unique column and applies
// the payment only when the key is new.
type paymentStore struct {
	mu      sync.Mutex
	seen    map[string]bool
	balance int64
}

func newPaymentStore() *paymentStore { return &paymentStore{seen: map[string]bool{}} }

func (s *paymentStore) applyOnce(key string, amount int64) (applied bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen[key] {
		return false
	}
	s.seen[key] = true
	s.balance += amount
	return true
}

func (s *paymentStore) total() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.balance
}

// UAPAY delivers a callback until it gets HTTP 200 and retries after 5 s,
// 5 min, 1 h, 2 h and 24 h, so one payment event may arrive several times.
// Key the work on Callback.DeliveryKey, in the same transaction that
// applies the payment, and answer 200 to a delivery already applied.
func ExampleCallback_DeliveryKey() {
	srv := uapaytest.NewServer()
	defer srv.Close()
	c, _ := uapay.NewClient(uapaytest.ClientID, uapaytest.SignKey, uapay.WithBaseURL(srv.URL))
	store := newPaymentStore()

	h := httptest.NewServer(c.CallbackHandler(func(ctx context.Context, cb *uapay.Callback) error {
		if cb.PaymentStatus != uapay.PaymentFinished {
			return nil // only finished payments move money here
		}
		if store.applyOnce(cb.DeliveryKey(), cb.Amount) {
			fmt.Println("applied", cb.PaymentID, cb.Amount)
		} else {
			fmt.Println("already applied", cb.PaymentID)
		}
		return nil // 200 either way: UAPAY stops delivering
	}))
	defer h.Close()

	cb := uapaytest.Callback{PaymentID: "c5d0f3b0", InvoiceID: uapaytest.SeedInvoiceID, Amount: 10000, PaymentStatus: "FINISHED"}
	for i := 0; i < 3; i++ { // the first delivery and two retries
		if err := srv.SendCallback(context.Background(), h.URL, cb); err != nil {
			fmt.Println(err)
		}
	}
	fmt.Println("balance", store.total())
	// Output:
	// applied c5d0f3b0 10000
	// already applied c5d0f3b0
	// already applied c5d0f3b0
	// balance 10000
}
