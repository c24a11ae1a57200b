package resid_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/caravanpay/caravan/resid"
)

// Example_outcome is the whole decision a caller writes after a call that
// changes state. Here the reply is a gateway error: a payment request
// may have been created, and Resid has no idempotency key, so the caller
// looks (by its Payload) before creating another.
func Example_outcome() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "<html>502 Bad Gateway</html>", http.StatusBadGateway)
	}))
	defer srv.Close()
	client, err := resid.NewClient("auth-code", resid.WithBaseURL(srv.URL), resid.WithRetry(0, 0, 0))
	if err != nil {
		fmt.Println(err)
		return
	}

	_, err = client.CreatePayment(context.Background(), &resid.CreatePaymentRequest{Amount: 10000, Merchant: "faSDF42w3Fs", Payload: "ride-1"})
	switch {
	case err == nil:
		fmt.Println("created, exactly once")
	case errors.Is(err, resid.ErrOutcomeUnknown) && !resid.SafeToRepeat(err):
		fmt.Println("may have been created: look before sending it again")
	case errors.Is(err, resid.ErrOutcomeUnknown):
		fmt.Println("may have been created: send the same call again")
	default:
		fmt.Println("not created; safe to send again:", resid.SafeToRepeat(err))
	}
	// Output: may have been created: look before sending it again
}
