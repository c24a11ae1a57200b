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
// invoice id UAPAY answers with. With UAPAY_FLOW=lifecycle it runs the
// payment lifecycle instead (see runUAPAYLifecycle).
func runUAPAY(ctx context.Context, w io.Writer, env Env) error {
	flow := env("UAPAY_FLOW")
	if flow != "" && flow != "update" && flow != "lifecycle" {
		return fmt.Errorf("UAPAY_FLOW: want update or lifecycle, got %q", flow)
	}
	base := env("UAPAY_BASE_URL")
	clientID, key, invoiceID := env("UAPAY_CLIENT_ID"), env("UAPAY_SIGN_KEY"), env("UAPAY_INVOICE_ID")
	var srv *uapaytest.Server
	if base == "" {
		srv = uapaytest.NewServer()
		defer srv.Close()
		step(w, "uapay: no UAPAY_BASE_URL set; using the built-in fake server at %s", srv.URL)
		base, clientID, key = srv.URL, uapaytest.ClientID, uapaytest.SignKey
		if flow != "lifecycle" {
			invoiceID = srv.AddInvoice(uapaytest.Invoice{ID: get(env, "UAPAY_INVOICE_ID", uapaytest.SeedInvoiceID),
				ExternalID: "order-1", Amount: 10000, Description: "Demo invoice"})
		}
	} else {
		required := []struct{ name, value string }{{"UAPAY_CLIENT_ID", clientID}, {"UAPAY_SIGN_KEY", key}, {"UAPAY_INVOICE_ID", invoiceID}}
		if flow == "lifecycle" {
			required = append(required, struct{ name, value string }{"UAPAY_PAYMENT_ID", env("UAPAY_PAYMENT_ID")})
		}
		for _, v := range required {
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
	if flow == "lifecycle" {
		return runUAPAYLifecycle(ctx, w, env, c, srv, invoiceID)
	}
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

// runUAPAYLifecycle creates a HOLD invoice, has the customer pay it on the
// fake's hosted page (against a real server: takes the held payment
// UAPAY_PAYMENT_ID of UAPAY_INVOICE_ID instead), captures part of it
// (UAPAY_CAPTURE_AMOUNT, default 1200 kopecks as in UAPAY's example),
// refunds part of that (UAPAY_REFUND_AMOUNT, default 100) and shows the
// payment.
func runUAPAYLifecycle(ctx context.Context, w io.Writer, env Env, c *uapay.Client, srv *uapaytest.Server, invoiceID string) error {
	capture, err := getInt64(env, "UAPAY_CAPTURE_AMOUNT", 1200)
	if err != nil {
		return err
	}
	refund, err := getInt64(env, "UAPAY_REFUND_AMOUNT", 100)
	if err != nil {
		return err
	}
	paymentID := env("UAPAY_PAYMENT_ID")
	if srv != nil {
		created, err := c.CreateInvoice(ctx, &uapay.CreateInvoiceRequest{Type: uapay.TypeHold,
			ExternalID: newID("order-"), Amount: 10000, Description: "Demo hold"})
		if err != nil {
			return err
		}
		invoiceID = created.ID
		step(w, "uapay: HOLD invoice created: id %s, payment page %s", created.ID, created.PaymentPageURL)
		paid, err := srv.PayInvoice(invoiceID) // the customer pays on the hosted page
		if err != nil {
			return err
		}
		paymentID = paid.PaymentID
	}
	p, err := c.ShowPayment(ctx, paymentID)
	if err != nil {
		return err
	}
	step(w, "uapay: customer paid: payment %s is %s, %d kopecks held", p.ID, p.PaymentStatus, p.Amount)
	if _, err := c.CompletePayment(ctx, &uapay.CompletePaymentRequest{PaymentID: paymentID, InvoiceID: invoiceID, Amount: capture}); err != nil {
		return err
	}
	step(w, "uapay: captured %d kopecks", capture)
	if _, err := c.ReversePayment(ctx, &uapay.ReversePaymentRequest{PaymentID: paymentID, InvoiceID: invoiceID, Amount: refund}); err != nil {
		return err
	}
	step(w, "uapay: refunded %d kopecks", refund)
	if p, err = c.ShowPayment(ctx, paymentID); err != nil {
		return err
	}
	step(w, "uapay: payment %s: status %s, paymentStatus %s, amount %d, receipt %s", p.ID, p.Status, p.PaymentStatus, p.Amount, p.ChequeURL())
	return nil
}
