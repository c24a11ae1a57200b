package demo

import (
	"context"
	"fmt"
	"io"

	"github.com/caravanpay/caravan/activeplatform"
	"github.com/caravanpay/caravan/activeplatform/activeplatformtest"
)

func init() { register(Flow{Name: "activeplatform", Run: runActivePlatform}) }

// runActivePlatform completes a payment by id and prints its status, total
// and currency.
func runActivePlatform(ctx context.Context, w io.Writer, env Env) error {
	baseURL := env("ACTIVEPLATFORM_BASE_URL")
	token := get(env, "ACTIVEPLATFORM_API_TOKEN", "")
	if baseURL == "" {
		srv := activeplatformtest.NewServer()
		defer srv.Close()
		srv.SeedExample()
		baseURL, token = srv.URL, activeplatformtest.Token
		step(w, "activeplatform: no ACTIVEPLATFORM_BASE_URL set; using the built-in fake server at %s", baseURL)
	} else {
		step(w, "activeplatform: using %s", baseURL)
	}
	resellerID, err := getInt64(env, "ACTIVEPLATFORM_RESELLER_ID", activeplatformtest.ExampleResellerID)
	if err != nil {
		return err
	}
	paymentID, err := getInt64(env, "ACTIVEPLATFORM_PAYMENT_ID", activeplatformtest.ExamplePaymentID)
	if err != nil {
		return err
	}
	methodID, err := getInt64(env, "ACTIVEPLATFORM_PAYMENT_METHOD_ID", activeplatformtest.ExamplePaymentMethodID)
	if err != nil {
		return err
	}

	client, err := activeplatform.NewClient(token, activeplatform.WithBaseURL(baseURL), activeplatform.WithLogger(logger(ctx)))
	if err != nil {
		return fmt.Errorf("activeplatform: %w", err)
	}
	step(w, "completing payment %d of reseller %d with payment method %d", paymentID, resellerID, methodID)
	p, err := client.CompletePayment(ctx, &activeplatform.CompletePaymentRequest{ResellerID: resellerID, PaymentID: paymentID, PaymentMethodID: methodID})
	if err != nil {
		return err
	}
	step(w, "payment %d: status %s, total %s %s", p.ID, p.Status, p.Total, p.CurrencyCode)
	return nil
}
