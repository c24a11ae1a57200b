package resid_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/caravanpay/caravan/resid"
	"github.com/caravanpay/caravan/resid/residtest"
)

// Every option, and what NewClient says about one it cannot use: the error
// names the option. WithBaseURL is required; there is no default host.
func ExampleNewClient_options() {
	client, err := resid.NewClient(residtest.AuthorizationCode, resid.WithBaseURL(resid.ProductionBaseURL),
		resid.WithRetry(2, 100*time.Millisecond, 2*time.Second), // 2 retries, waits between 100 ms and 2 s
		resid.WithTimeout(10*time.Second),                       // for calls whose context has no deadline
		resid.WithUserAgent("shop/1.0"),
		resid.WithMaxBodyBytes(1<<20),
		resid.WithLogger(nil), // no logging, the default
		resid.WithHTTPClient(&http.Client{}))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.Close()
	fmt.Println(client.BaseURL())

	_, err = resid.NewClient(residtest.AuthorizationCode)
	fmt.Println(err)
	_, err = resid.NewClient(residtest.AuthorizationCode, resid.WithBaseURL(resid.ProductionBaseURL), resid.WithRetry(-1, 0, 0))
	fmt.Println(err)
	// Output:
	// https://resid.ir/api/v1
	// resid: invalid request: WithBaseURL: is required: pass the provider's host (see its BaseURL constants) or your own
	// resid: invalid request: WithRetry: maxRetries is negative (-1); 0 disables retries
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
	srv := residtest.NewServer()
	defer srv.Close()
	client, err := resid.NewClient(residtest.AuthorizationCode, resid.WithBaseURL(srv.URL),
		resid.WithHTTPClient(&http.Client{Transport: gateway{http.DefaultTransport}}))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.Close() // leaves the *http.Client given above alone

	var info resid.CallInfo
	ctx := resid.WithCallInfo(context.Background(), &info)
	_, err = client.CreatePayment(ctx, &resid.CreatePaymentRequest{Amount: 10000, Merchant: residtest.Merchant})
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
	srv := residtest.NewServer()
	defer srv.Close()
	client, _ := resid.NewClient(residtest.AuthorizationCode, resid.WithBaseURL(srv.URL))

	_, err := client.CreatePayment(context.Background(), &resid.CreatePaymentRequest{Amount: 0, Merchant: residtest.Merchant})
	var ie *resid.InvalidRequestError
	if errors.As(err, &ie) {
		fmt.Println(ie.Field)
		fmt.Println(ie.Reason)
	}
	fmt.Println(errors.Is(err, resid.ErrInvalidRequest))
	// Output:
	// amount
	// must be a positive number of rials, got 0
	// true
}
