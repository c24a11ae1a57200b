package inex_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/caravanpay/caravan/inex"
	"github.com/caravanpay/caravan/inex/inextest"
)

// Every option, and what NewClient says about one it cannot use: the error
// names the option. WithBaseURL is required; there is no default host.
func ExampleNewClient_options() {
	client, err := inex.NewClient(inextest.Token, inex.WithBaseURL(inex.StagingBaseURL),
		inex.WithRetry(2, 100*time.Millisecond, 2*time.Second), // 2 retries, waits between 100 ms and 2 s
		inex.WithTimeout(10*time.Second),                       // for calls whose context has no deadline
		inex.WithUserAgent("shop/1.0"),
		inex.WithMaxBodyBytes(1<<20),
		inex.WithLogger(nil), // no logging, the default
		inex.WithHTTPClient(&http.Client{}))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.Close()
	fmt.Println(client.BaseURL())

	_, err = inex.NewClient(inextest.Token)
	fmt.Println(err)
	_, err = inex.NewClient(inextest.Token, inex.WithBaseURL(inex.StagingBaseURL), inex.WithRetry(-1, 0, 0))
	fmt.Println(err)
	// Output:
	// https://api-staging.inex.ge/api/v1
	// inex: invalid request: WithBaseURL: is required: pass the provider's host (see its BaseURL constants) or your own
	// inex: invalid request: WithRetry: maxRetries is negative (-1); 0 disables retries
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
	srv := inextest.NewServer()
	defer srv.Close()
	srv.SeedExamples()
	client, err := inex.NewClient(inextest.Token, inex.WithBaseURL(srv.URL),
		inex.WithHTTPClient(&http.Client{Transport: gateway{http.DefaultTransport}}))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.Close() // leaves the *http.Client given above alone

	var info inex.CallInfo
	ctx := inex.WithCallInfo(context.Background(), &info)
	_, err = client.PayDebt(ctx, &inex.PayDebtRequest{RoomNumber: "IG00001", PaymentID: "INV0001"})
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
	srv := inextest.NewServer()
	defer srv.Close()
	client, _ := inex.NewClient(inextest.Token, inex.WithBaseURL(srv.URL))

	_, err := client.PayDebt(context.Background(), &inex.PayDebtRequest{PaymentID: "INV0002"})
	var ie *inex.InvalidRequestError
	if errors.As(err, &ie) {
		fmt.Println(ie.Field)
		fmt.Println(ie.Reason)
	}
	fmt.Println(errors.Is(err, inex.ErrInvalidRequest))
	// Output:
	// roomNumber
	// one of roomNumber and waybillNumber is required
	// true
}
