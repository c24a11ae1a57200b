package inex_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/caravanpay/caravan/inex"
)

// Example_outcome is the whole decision a caller writes after a call that
// changes state. Here every reply is a gateway error: the payment may
// have gone through, and since Inex deduplicates the PaymentID, the same
// request may simply be sent again.
func Example_outcome() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "<html>502 Bad Gateway</html>", http.StatusBadGateway)
	}))
	defer srv.Close()
	client, err := inex.NewClient("token", inex.WithBaseURL(srv.URL), inex.WithRetry(0, 0, 0))
	if err != nil {
		fmt.Println(err)
		return
	}

	_, err = client.PayDebt(context.Background(), &inex.PayDebtRequest{RoomNumber: "IG00001", PaymentID: "order-1"})
	switch {
	case err == nil:
		fmt.Println("paid, exactly once")
	case errors.Is(err, inex.ErrOutcomeUnknown) && !inex.SafeToRepeat(err):
		fmt.Println("may have been paid: look before sending it again")
	case errors.Is(err, inex.ErrOutcomeUnknown):
		fmt.Println("may have been paid: send the same call again")
	default:
		fmt.Println("not paid; safe to send again:", inex.SafeToRepeat(err))
	}
	// Output: may have been paid: send the same call again
}
