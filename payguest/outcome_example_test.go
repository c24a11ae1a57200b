package payguest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/caravanpay/caravan/payguest"
)

// Example_outcome is the whole decision a caller writes after a call that
// changes state. Here the reply is a gateway error: the bill may have
// been paid, and pay-guest has no idempotency key, so the caller must look
// before paying again.
func Example_outcome() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "<html>502 Bad Gateway</html>", http.StatusBadGateway)
	}))
	defer srv.Close()
	client, err := payguest.NewClient(payguest.WithBaseURL(srv.URL), payguest.WithRetry(0, 0, 0))
	if err != nil {
		fmt.Println(err)
		return
	}

	_, err = client.PayGuest(context.Background(), &payguest.PayGuestRequest{
		Payment: payguest.Payment{GuestID: "3F2504E0-4F89-11D3-9A0C-0305E82C3301", PaySum: payguest.MustDecimal("1240.50")}})
	switch {
	case err == nil:
		fmt.Println("paid, exactly once")
	case errors.Is(err, payguest.ErrOutcomeUnknown) && !payguest.SafeToRepeat(err):
		fmt.Println("may have been paid: look before sending it again")
	case errors.Is(err, payguest.ErrOutcomeUnknown):
		fmt.Println("may have been paid: send the same call again")
	default:
		fmt.Println("not paid; safe to send again:", payguest.SafeToRepeat(err))
	}
	// Output: may have been paid: look before sending it again
}
