package activeplatform_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/caravanpay/caravan/activeplatform"
)

// Example_outcome is the whole decision a caller writes after a call that
// changes state. Here every reply is a gateway error, the reading of
// the payment included: CompletePayment could not find out, and since it
// completes a payment at most once and looks first, it may be sent again.
func Example_outcome() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "<html>502 Bad Gateway</html>", http.StatusBadGateway)
	}))
	defer srv.Close()
	client, err := activeplatform.NewClient("token", activeplatform.WithBaseURL(srv.URL), activeplatform.WithRetry(0, 0, 0))
	if err != nil {
		fmt.Println(err)
		return
	}

	_, err = client.CompletePayment(context.Background(), &activeplatform.CompletePaymentRequest{ResellerID: 1, PaymentID: 6475, PaymentMethodID: 2})
	switch {
	case err == nil:
		fmt.Println("completed, exactly once")
	case errors.Is(err, activeplatform.ErrOutcomeUnknown) && !activeplatform.SafeToRepeat(err):
		fmt.Println("may have been completed: look before sending it again")
	case errors.Is(err, activeplatform.ErrOutcomeUnknown):
		fmt.Println("may have been completed: send the same call again")
	default:
		fmt.Println("not completed; safe to send again:", activeplatform.SafeToRepeat(err))
	}
	// Output: may have been completed: send the same call again
}
