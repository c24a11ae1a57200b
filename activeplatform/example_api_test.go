package activeplatform_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/caravanpay/caravan/activeplatform"
	"github.com/caravanpay/caravan/activeplatform/activeplatformtest"
)

// Every option, and what NewClient says about one it cannot use: the error
// names the option. WithBaseURL is required; there is no default host.
func ExampleNewClient_options() {
	client, err := activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL("https://test.activeplatform.com"),
		activeplatform.WithRetry(2, 100*time.Millisecond, 2*time.Second), // 2 retries, waits between 100 ms and 2 s
		activeplatform.WithTimeout(10*time.Second),                       // for calls whose context has no deadline
		activeplatform.WithUserAgent("shop/1.0"),
		activeplatform.WithMaxBodyBytes(1<<20),
		activeplatform.WithLogger(nil), // no logging, the default
		activeplatform.WithHTTPClient(&http.Client{}))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.Close()
	fmt.Println(client.BaseURL())

	_, err = activeplatform.NewClient(activeplatformtest.Token)
	fmt.Println(err)
	_, err = activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL("https://test.activeplatform.com"), activeplatform.WithRetry(-1, 0, 0))
	fmt.Println(err)
	// Output:
	// https://test.activeplatform.com
	// activeplatform: invalid request: WithBaseURL: is required: pass the provider's host (see its BaseURL constants) or your own
	// activeplatform: invalid request: WithRetry: maxRetries is negative (-1); 0 disables retries
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
	srv := activeplatformtest.NewServer()
	defer srv.Close()
	srv.SeedExample()
	client, err := activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL(srv.URL),
		activeplatform.WithHTTPClient(&http.Client{Transport: gateway{http.DefaultTransport}}))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.Close() // leaves the *http.Client given above alone

	var info activeplatform.CallInfo
	ctx := activeplatform.WithCallInfo(context.Background(), &info)
	_, err = client.GetPayment(ctx, 1, 6475)
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
	srv := activeplatformtest.NewServer()
	defer srv.Close()
	client, _ := activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL(srv.URL))

	_, err := client.CreatePayment(context.Background(), 1, &activeplatform.CreatePaymentRequest{
		AccountID: 505, Total: activeplatform.MustDecimal("-1"),
	})
	var ie *activeplatform.InvalidRequestError
	if errors.As(err, &ie) {
		fmt.Println(ie.Field)
		fmt.Println(ie.Reason)
	}
	fmt.Println(errors.Is(err, activeplatform.ErrInvalidRequest))
	// Output:
	// total
	// must be a positive decimal, got "-1"
	// true
}
