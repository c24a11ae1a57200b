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
// and currency; with ACTIVEPLATFORM_FLOW=cancel it creates a payment for
// ACTIVEPLATFORM_ACCOUNT_ID, cancels it and reads it back instead.
func runActivePlatform(ctx context.Context, w io.Writer, env Env) error {
	flow := get(env, "ACTIVEPLATFORM_FLOW", "complete")
	if flow != "complete" && flow != "cancel" {
		return fmt.Errorf("ACTIVEPLATFORM_FLOW: want complete or cancel, got %q", flow)
	}
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
	if flow == "cancel" {
		accountID, err := getInt64(env, "ACTIVEPLATFORM_ACCOUNT_ID", activeplatformtest.ExampleAccountID)
		if err != nil {
			return err
		}
		return cancelActivePlatform(ctx, w, client, resellerID, accountID)
	}
	step(w, "completing payment %d of reseller %d with payment method %d", paymentID, resellerID, methodID)
	p, err := client.CompletePayment(ctx, &activeplatform.CompletePaymentRequest{ResellerID: resellerID, PaymentID: paymentID, PaymentMethodID: methodID})
	if err != nil {
		return err
	}
	step(w, "payment %d: status %s, total %s %s", p.ID, p.Status, p.Total, p.CurrencyCode)
	return nil
}

// cancelActivePlatform creates a payment, cancels it and reads it back.
func cancelActivePlatform(ctx context.Context, w io.Writer, client *activeplatform.Client, resellerID, accountID int64) error {
	step(w, "creating a payment of 199.99 for account %d of reseller %d", accountID, resellerID)
	p, err := client.CreatePayment(ctx, resellerID, &activeplatform.CreatePaymentRequest{
		AccountID: accountID, Total: activeplatform.MustDecimal("199.99"), Comment: "top-up payment"})
	if err != nil {
		return err
	}
	step(w, "payment %d: status %s, total %s %s", p.ID, p.Status, p.Total, p.CurrencyCode)
	step(w, "cancelling payment %d", p.ID)
	cancel := &activeplatform.CancelPaymentRequest{ResellerID: resellerID, PaymentID: p.ID}
	if _, err := client.CancelPayment(ctx, cancel); err != nil {
		return err
	}
	p, err = client.GetPayment(ctx, resellerID, p.ID)
	if err != nil {
		return err
	}
	step(w, "payment %d: status %s, total %s %s", p.ID, p.Status, p.Total, p.CurrencyCode)
	return nil
}
