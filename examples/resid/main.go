// Command resid creates a Resid taxi-fare payment request, reads it,
// collects it (Resid refunds a successful payment not collected within 20
// minutes of its creation) and lists recent payments.
//
// Without RESID_BASE_URL it runs against the built-in fake server
// (resid/residtest), whose simulated passenger pays before the collect,
// and needs nothing else. With it, it talks to that URL (e.g.
// https://resid.ir/api/v1) and reads:
//
//	RESID_BASE_URL       the API's base URL, including /api/v1
//	RESID_AUTHORIZATION  the authorization code (required; never printed)
//	RESID_MERCHANT       the payee's merchant id (default faSDF42w3Fs)
//	RESID_AMOUNT         the fare in rials (default 10000)
//
// Against a real server nobody pays in between, so it prints the state it
// reads and collect reports Resid's answer. It prints one line per step and
// exits 1 after printing any error.
package main

import (
	"os"

	"github.com/caravanpay/caravan/examples/internal/demo"
)

func main() { os.Exit(demo.Main("resid")) }
