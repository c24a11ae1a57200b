// Command payguest pays a Tillypad XL guest bill for its full sum through
// the pay-guest API and prints the points discounts of the reply.
//
// Environment:
//
//	PAYGUEST_BASE_URL     the restaurant's Tillypad XL server, e.g. http://89.22.216.169:8090;
//	                      unset: a built-in fake server with an example bill
//	PAYGUEST_BILL_ID      the guest bill's GUID (gest_ID); required with PAYGUEST_BASE_URL
//	PAYGUEST_PAY_SUM      the sum to pay, the bill's full total, e.g. 1240.50; required with PAYGUEST_BASE_URL
//	PAYGUEST_PAY_TYPE_ID  the pay type's GUID (payType_ID); optional when the bill has a prepaid pay type
//
// It exits with status 1 after printing the error when anything fails.
package main

import (
	"os"

	"github.com/caravanpay/caravan/examples/internal/demo"
)

func main() { os.Exit(demo.Main("payguest")) }
