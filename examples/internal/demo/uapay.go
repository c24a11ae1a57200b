package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/caravanpay/caravan/uapay"
	"github.com/caravanpay/caravan/uapay/uapaytest"
)

func init() { register(Flow{Name: "uapay", Run: runUAPAY}) }

// runUAPAY creates a session, updates the invoice's tag, redirect URL and
// extraInfo with the values of UAPAY's documented example, and prints the
// invoice id UAPAY answers with.
func runUAPAY(ctx context.Context, w io.Writer, env Env) error {
	base := env("UAPAY_BASE_URL")
	clientID, key, invoiceID := env("UAPAY_CLIENT_ID"), env("UAPAY_SIGN_KEY"), env("UAPAY_INVOICE_ID")
	if base == "" {
		srv := uapaytest.NewServer()
		defer srv.Close()
		step(w, "uapay: no UAPAY_BASE_URL set; using the built-in fake server at %s", srv.URL)
		base, clientID, key = srv.URL, uapaytest.ClientID, uapaytest.SignKey
		invoiceID = srv.AddInvoice(uapaytest.Invoice{ID: get(env, "UAPAY_INVOICE_ID", uapaytest.SeedInvoiceID),
			ExternalID: "order-1", Amount: 10000, Description: "Demo invoice"})
	} else {
		for _, v := range []struct{ name, value string }{
			{"UAPAY_CLIENT_ID", clientID}, {"UAPAY_SIGN_KEY", key}, {"UAPAY_INVOICE_ID", invoiceID},
		} {
			if v.value == "" {
				return fmt.Errorf("%s is required when UAPAY_BASE_URL is set", v.name)
			}
		}
		step(w, "uapay: using %s", base)
	}
	c, err := uapay.NewClient(clientID, uapay.Secret(key), uapay.WithBaseURL(base), uapay.WithLogger(logger(ctx)))
	if err != nil {
		return err
	}
	if _, err := c.CreateSession(ctx); err != nil {
		return err
	}
	step(w, "uapay: session created")
	id, err := c.UpdateInvoice(ctx, invoiceID, &uapay.InvoiceUpdate{
		Tag:         uapay.Ptr("Клиент 1"),
		RedirectURL: uapay.Ptr("https://uapay.ua"),
		ExtraInfo:   json.RawMessage(`{"base":true,"origin":"invoicer","email":"test@ukr.net"}`),
	})
	if err != nil {
		return err
	}
	step(w, "uapay: invoice updated (tag, redirectUrl, extraInfo): id %s", id)
	return nil
}
