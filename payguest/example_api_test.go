package payguest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/caravanpay/caravan/payguest"
	"github.com/caravanpay/caravan/payguest/payguesttest"
)

// Every option, and what NewClient says about one it cannot use: the error
// names the option. WithBaseURL is required; there is no default host.
func ExampleNewClient_options() {
	client, err := payguest.NewClient(payguest.WithBaseURL("http://89.22.216.169:8090"),
		payguest.WithRetry(2, 100*time.Millisecond, 2*time.Second), // 2 retries, waits between 100 ms and 2 s
		payguest.WithTimeout(10*time.Second),                       // for calls whose context has no deadline
		payguest.WithUserAgent("shop/1.0"),
		payguest.WithMaxBodyBytes(1<<20),
		payguest.WithLogger(nil), // no logging, the default
		payguest.WithHTTPClient(&http.Client{}))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.Close()
	fmt.Println(client.BaseURL())

	_, err = payguest.NewClient()
	fmt.Println(err)
	_, err = payguest.NewClient(payguest.WithBaseURL("http://89.22.216.169:8090"), payguest.WithRetry(-1, 0, 0))
	fmt.Println(err)
	// Output:
	// http://89.22.216.169:8090
	// payguest: invalid request: WithBaseURL: is required: pass the provider's host (see its BaseURL constants) or your own
	// payguest: invalid request: WithRetry: maxRetries is negative (-1); 0 disables retries
}

// gateway stands for what a service plugs in with WithHTTPClient, such as
// a tracing transport (otelhttp.NewTransport has this shape) or a proxy: it
// wraps the transport that sends the requests. This one stamps a request
// id on every reply, as providers' gateways do.
type gateway struct{ next http.RoundTripper }

func (g gateway) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := g.next.RoundTrip(r)
	if err == nil {
		resp.Header.Set("X-Request-Id", "req-42")
	}
	return resp, err
}

// The request id, attempts, status and duration of a successful call, for
// a support ticket: pass a CallInfo in the context. A call without one
// costs nothing extra.
func ExampleWithCallInfo() {
	srv := payguesttest.NewServer()
	defer srv.Close()
	srv.AddExampleBill()
	client, err := payguest.NewClient(payguest.WithBaseURL(srv.URL),
		payguest.WithHTTPClient(&http.Client{Transport: gateway{http.DefaultTransport}}))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.Close() // leaves the *http.Client given above alone

	var info payguest.CallInfo
	ctx := payguest.WithCallInfo(context.Background(), &info)
	_, err = client.PayGuest(ctx, &payguest.PayGuestRequest{Payment: payguest.Payment{
		GuestID: payguesttest.ExampleBillID, PaySum: payguest.MustDecimal("1240.50"), PayTypeID: payguesttest.ExamplePayTypeID,
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(info.RequestID, info.Attempts, info.StatusCode, info.Elapsed > 0)
	// Output: req-42 1 200 true
}

// A request the client refuses to send is an *InvalidRequestError naming
// the field as the provider's document names it; nothing was sent.
func ExampleInvalidRequestError() {
	srv := payguesttest.NewServer()
	defer srv.Close()
	client, _ := payguest.NewClient(payguest.WithBaseURL(srv.URL))

	_, err := client.PayGuest(context.Background(), &payguest.PayGuestRequest{Payment: payguest.Payment{GuestID: "bill-7"}})
	var ie *payguest.InvalidRequestError
	if errors.As(err, &ie) {
		fmt.Println(ie.Field)
		fmt.Println(ie.Reason)
	}
	fmt.Println(errors.Is(err, payguest.ErrInvalidRequest))
	// Output:
	// Payment.gest_ID
	// must be a GUID (8-4-4-4-12 hex digits), got "bill-7"
	// true
}
