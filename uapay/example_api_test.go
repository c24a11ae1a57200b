package uapay_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/caravanpay/caravan/uapay"
	"github.com/caravanpay/caravan/uapay/uapaytest"
)

// Every option, and what NewClient says about one it cannot use: the error
// names the option. WithBaseURL is required; there is no default host.
func ExampleNewClient_options() {
	client, err := uapay.NewClient(uapaytest.ClientID, uapaytest.SignKey, uapay.WithBaseURL(uapay.DemoBaseURL),
		uapay.WithRetry(2, 100*time.Millisecond, 2*time.Second), // 2 retries, waits between 100 ms and 2 s
		uapay.WithTimeout(10*time.Second),                       // for calls whose context has no deadline
		uapay.WithUserAgent("shop/1.0"),
		uapay.WithMaxBodyBytes(1<<20),
		uapay.WithLogger(nil), // no logging, the default
		uapay.WithHTTPClient(&http.Client{}))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.Close()
	fmt.Println(client.BaseURL())

	_, err = uapay.NewClient(uapaytest.ClientID, uapaytest.SignKey)
	fmt.Println(err)
	_, err = uapay.NewClient(uapaytest.ClientID, uapaytest.SignKey, uapay.WithBaseURL(uapay.DemoBaseURL), uapay.WithRetry(-1, 0, 0))
	fmt.Println(err)
	// Output:
	// https://api.demo.uapay.ua
	// uapay: invalid request: WithBaseURL: is required: pass the provider's host (see its BaseURL constants) or your own
	// uapay: invalid request: WithRetry: maxRetries is negative (-1); 0 disables retries
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
	srv := uapaytest.NewServer()
	defer srv.Close()
	invoiceID := srv.AddInvoice(uapaytest.Invoice{ID: uapaytest.SeedInvoiceID, Amount: 10000})
	client, err := uapay.NewClient(uapaytest.ClientID, uapaytest.SignKey, uapay.WithBaseURL(srv.URL),
		uapay.WithHTTPClient(&http.Client{Transport: gateway{http.DefaultTransport}}))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.Close() // leaves the *http.Client given above alone

	var info uapay.CallInfo
	ctx := uapay.WithCallInfo(context.Background(), &info)
	_, err = client.ShowInvoice(ctx, invoiceID)
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
	srv := uapaytest.NewServer()
	defer srv.Close()
	client, _ := uapay.NewClient(uapaytest.ClientID, uapaytest.SignKey, uapay.WithBaseURL(srv.URL))

	_, err := client.UpdateInvoice(context.Background(), uapaytest.SeedInvoiceID, &uapay.InvoiceUpdate{RedirectURL: uapay.Ptr("/thanks")})
	var ie *uapay.InvalidRequestError
	if errors.As(err, &ie) {
		fmt.Println(ie.Field)
		fmt.Println(ie.Reason)
	}
	fmt.Println(errors.Is(err, uapay.ErrInvalidRequest))
	// Output:
	// redirectUrl
	// must be an absolute http or https URL, got "/thanks"
	// true
}
