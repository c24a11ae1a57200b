// Command inex pays an Inex customer's debt, pays again with the same
// payment id, and shows that Inex answered the same transaction id.
//
// Without INEX_BASE_URL it runs against the built-in fake server
// (inex/inextest) and needs nothing else. With it, it talks to that URL
// (e.g. https://api-staging.inex.ge/api/v1) and reads:
//
//	INEX_BASE_URL     the API's base URL, including /api/v1
//	INEX_TOKEN        the integrator's bearer token (never printed)
//	INEX_ROOM_NUMBER  the customer's room number (default IG00001)
//	INEX_PAYMENT_ID   your payment id (default: a fresh random one)
//
// It prints one line per step and exits 1 after printing any error.
package main

import (
	"os"

	"github.com/caravanpay/caravan/examples/internal/demo"
)

func main() { os.Exit(demo.Main("inex")) }
