package uapay_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"

	"github.com/caravanpay/caravan/uapay"
)

// Example_outcome is the whole decision a caller writes after a call that
// changes state. Here the invoice is not found by its externalId, the
// create is answered with a gateway error, and the look that follows fails
// too: an invoice may exist, and since CreateInvoice looks it up by
// ExternalID before it sends, the same call may be sent again.
func Example_outcome() {
	var looked atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/sessions/create"):
			fmt.Fprint(w, `{"status":"1","id":"00684a7f-3d5c-43f4-b4d1-ea994226be9c"}`)
		case strings.HasSuffix(r.URL.Path, "/invoices/show/list") && !looked.Swap(true):
			fmt.Fprint(w, `{"status":1,"data":{"invoices":[]}}`)
		default:
			http.Error(w, "<html>502 Bad Gateway</html>", http.StatusBadGateway)
		}
	}))
	defer srv.Close()
	client, err := uapay.NewClient("6870", "sign-key-of-at-least-32-bytes-long!", uapay.WithBaseURL(srv.URL), uapay.WithRetry(0, 0, 0))
	if err != nil {
		fmt.Println(err)
		return
	}

	_, err = client.CreateInvoice(context.Background(), &uapay.CreateInvoiceRequest{ExternalID: "order-1", Amount: 12345, Description: "d"})
	switch {
	case err == nil:
		fmt.Println("created, exactly once")
	case errors.Is(err, uapay.ErrOutcomeUnknown) && !uapay.SafeToRepeat(err):
		fmt.Println("may have been created: look before sending it again")
	case errors.Is(err, uapay.ErrOutcomeUnknown):
		fmt.Println("may have been created: send the same call again")
	default:
		fmt.Println("not created; safe to send again:", uapay.SafeToRepeat(err))
	}
	// Output: may have been created: send the same call again
}
