// Command uapay runs the UAPAY invoicer flow: it creates a session, updates
// an invoice's tag, redirect URL and extraInfo, and prints the invoice id.
//
// With UAPAY_FLOW=lifecycle it runs the payment lifecycle instead: it
// creates a HOLD invoice, the customer pays it on the fake's hosted page
// (against a real server: the held payment UAPAY_PAYMENT_ID of
// UAPAY_INVOICE_ID), captures part of it, refunds part of that and shows
// the payment, one line per step.
//
// Environment:
//
//	UAPAY_BASE_URL        the API's base URL; unset: a built-in fake server
//	UAPAY_CLIENT_ID       the merchant's client id (required with UAPAY_BASE_URL)
//	UAPAY_SIGN_KEY        the merchant's signing key (required with UAPAY_BASE_URL; never printed)
//	UAPAY_INVOICE_ID      the invoice to update, or the held payment's invoice (required with UAPAY_BASE_URL)
//	UAPAY_FLOW            update (the default) or lifecycle
//	UAPAY_PAYMENT_ID      lifecycle: a HOLDED payment (required with UAPAY_BASE_URL)
//	UAPAY_CAPTURE_AMOUNT  lifecycle: kopecks to capture (default 1200, UAPAY's example)
//	UAPAY_REFUND_AMOUNT   lifecycle: kopecks to refund (default 100, UAPAY's example)
package main

import (
	"os"

	"github.com/caravanpay/caravan/examples/internal/demo"
)

func main() { os.Exit(demo.Main("uapay")) }
