// Command uapay runs the UAPAY invoicer flow: it creates a session, updates
// an invoice's tag, redirect URL and extraInfo, and prints the invoice id.
//
// Environment:
//
//	UAPAY_BASE_URL    the API's base URL; unset: a built-in fake server
//	UAPAY_CLIENT_ID   the merchant's client id (required with UAPAY_BASE_URL)
//	UAPAY_SIGN_KEY    the merchant's signing key (required with UAPAY_BASE_URL; never printed)
//	UAPAY_INVOICE_ID  the invoice to update (required with UAPAY_BASE_URL)
package main

import (
	"os"

	"github.com/caravanpay/caravan/examples/internal/demo"
)

func main() { os.Exit(demo.Main("uapay")) }
