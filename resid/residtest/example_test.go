package residtest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/caravanpay/caravan/resid"
	"github.com/caravanpay/caravan/resid/residtest"
)

// The passenger pays two fares; the driver's app collects one within 20
// minutes and forgets the other, which Resid refunds to the passenger —
// on the fake's clock, so nothing waits.
func ExampleServer_Pay() {
	srv := residtest.NewServer(residtest.WithNow(time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)))
	defer srv.Close()
	collected := srv.Seed(resid.Payment{Amount: 10000})
	forgotten := srv.Seed(resid.Payment{Amount: 25000})
	_ = srv.Pay(collected)
	_ = srv.Pay(forgotten)

	srv.Advance(5 * time.Minute)
	client, _ := resid.NewClient(residtest.AuthorizationCode, resid.WithBaseURL(srv.URL))
	fmt.Println("collect after 5 min:", client.CollectPayment(context.Background(), collected) == nil)

	srv.Advance(16 * time.Minute)
	for _, tok := range []string{collected, forgotten} {
		p, _ := srv.Payment(tok)
		fmt.Println(p.Amount, p.Outcome.State)
	}
	// Output:
	// collect after 5 min: true
	// 10000 collected
	// 25000 refunded
}
