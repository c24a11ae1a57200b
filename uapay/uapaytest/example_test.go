package uapaytest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/caravanpay/caravan/uapay/uapaytest"
)

// A customer pays an invoice on the hosted page; the merchant's callback
// endpoint fails twice, and UAPAY's retries reach it 5 s and 5 min later —
// on the fake's clock, so the example does not wait.
func ExampleServer_PayInvoice() {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	srv := uapaytest.NewServer(uapaytest.WithNow(start))
	defer srv.Close()

	failures := 2
	merchant := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if failures > 0 { // deliveries run one at a time, in Advance's goroutine
			failures--
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer merchant.Close()

	id := srv.AddInvoice(uapaytest.Invoice{ExternalID: "order-7", Amount: 10000, CallbackURL: merchant.URL})
	payment, _ := srv.PayInvoice(id)
	fmt.Println("paid:", payment.Status, payment.PaymentStatus, payment.Amount)
	srv.Advance(time.Hour)
	for _, d := range srv.Deliveries() {
		fmt.Printf("attempt %d at +%v: HTTP %d delivered=%v\n", d.Attempt, d.At.Sub(start), d.Status, d.Delivered)
	}
	fmt.Println("waiting:", srv.PendingCallbacks())
	// Output:
	// paid: PAID FINISHED 10000
	// attempt 1 at +0s: HTTP 503 delivered=false
	// attempt 2 at +5s: HTTP 503 delivered=false
	// attempt 3 at +5m5s: HTTP 200 delivered=true
	// waiting: 0
}

// Route targets one endpoint: here the invoice is created, then the reply
// is lost, while session creation goes through untouched.
func ExampleServer_Route() {
	srv := uapaytest.NewServer()
	defer srv.Close()
	srv.Route("invoices/create").CutAfterNext(1)
	fmt.Println(srv.Route("invoices/create").Pending(), srv.Route("sessions/create").Pending())
	// Output: 1 0
}
