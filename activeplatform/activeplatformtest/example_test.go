package activeplatformtest_test

import (
	"fmt"
	"time"

	"github.com/caravanpay/caravan/activeplatform/activeplatformtest"
)

// A payment left waiting past its expiration date expires on the fake's
// clock; the platform still lets an expired payment be completed.
func ExampleServer_Advance() {
	start := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	srv := activeplatformtest.NewServer(activeplatformtest.WithNow(start))
	defer srv.Close()
	srv.SeedExample()
	due := start.Add(24 * time.Hour)
	p := srv.AddPayment(activeplatformtest.Payment{ResellerID: 1, AccountID: 505, Total: "10.0", ExpirationDate: &due})

	srv.Advance(23 * time.Hour)
	now, _ := srv.Payment(p.ID)
	fmt.Println("after 23 h:", now.Status)
	srv.Advance(time.Hour)
	now, _ = srv.Payment(p.ID)
	fmt.Println("after 24 h:", now.Status)
	srv.Complete(p.ID, activeplatformtest.ExamplePaymentMethodID)
	now, _ = srv.Payment(p.ID)
	fmt.Println("completed anyway:", now.Status)
	// Output:
	// after 23 h: waiting_for_payment
	// after 24 h: expired
	// completed anyway: completed
}
