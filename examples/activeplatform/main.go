// Command activeplatform completes an ActivePlatform payment by id and
// prints its status, total and currency. With ACTIVEPLATFORM_FLOW=cancel it
// instead creates a payment, cancels it and reads it back.
//
// Environment:
//
//	ACTIVEPLATFORM_BASE_URL           the installation's URL; unset: a built-in fake server
//	ACTIVEPLATFORM_API_TOKEN          a manager's API token (X-Api-Token)
//	ACTIVEPLATFORM_RESELLER_ID        reseller id (default 1)
//	ACTIVEPLATFORM_PAYMENT_ID         payment id (default 6475)
//	ACTIVEPLATFORM_PAYMENT_METHOD_ID  payment method id (default 2)
//	ACTIVEPLATFORM_FLOW               complete (default) or cancel: create → cancel → show
//	ACTIVEPLATFORM_ACCOUNT_ID         the cancel flow's account (default 505)
//
// It exits with status 1 after printing the error if any step fails.
package main

import (
	"os"

	"github.com/caravanpay/caravan/examples/internal/demo"
)

func main() { os.Exit(demo.Main("activeplatform")) }
