package resilience

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caravanpay/caravan/internal/fakeserver"
	"github.com/caravanpay/caravan/uapay"
	"github.com/caravanpay/caravan/uapay/uapaytest"
)

// The UAPAY payment lifecycle's state-changing calls (issue #16), checked
// against the fake's per-payment ledger: a capture or refund applied twice
// fails the run.

// uapayPaymentTarget is a UAPAY payment operation on payment i of its own
// invoice (of type typ, 1000 kopecks, paid on the hosted page), counted by
// the fake's ledger of that payment.
func uapayPaymentTarget(name, typ, route string, call func(ctx context.Context, c *uapay.Client, invoiceID, paymentID string) error,
	ledger func(p uapaytest.Payment) int) chaosTarget {
	var srv *uapaytest.Server
	var invoices, payments []string
	var byPayment map[string]int
	index := func(r fakeserver.Request) int {
		if i, ok := byPayment[uapayField(r.Body, "params", "paymentId")]; ok {
			return i
		}
		return -1
	}
	return chaosTarget{
		name: name, class: "reconciled",
		start: func(t *testing.T, n int) (string, func()) {
			srv = uapaytest.NewServer()
			invoices, payments = make([]string, n), make([]string, n)
			byPayment = make(map[string]int, n)
			for i := range n {
				invoices[i] = srv.AddInvoice(uapaytest.Invoice{Type: typ, ExternalID: fmt.Sprintf("p-%d", i), Amount: 1000, Description: "chaos"})
				p, err := srv.PayInvoice(invoices[i])
				require.NoError(t, err)
				payments[i] = p.PaymentID
				byPayment[p.PaymentID] = i
			}
			return srv.URL, srv.Close
		},
		client: uapayClient,
		call: func(ctx context.Context, c any, i int) error {
			return call(ctx, c.(*uapay.Client), invoices[i], payments[i])
		},
		typed: uapayTyped,
		applied: func(i int) int {
			p, _ := srv.Payment(payments[i])
			return ledger(p)
		},
		write: func(r fakeserver.Request) int {
			if !strings.HasSuffix(r.Path, "/payments/"+route) {
				return -1
			}
			return index(r)
		},
		look: func(r fakeserver.Request) int {
			if !strings.HasSuffix(r.Path, "/payments/show") {
				return -1
			}
			return index(r)
		},
	}
}

// uapayCompleteTarget captures 700 of a 1000 hold: applied = captures.
func uapayCompleteTarget() chaosTarget {
	return uapayPaymentTarget("uapay CompletePayment", "HOLD", "complete",
		func(ctx context.Context, c *uapay.Client, invoiceID, paymentID string) error {
			_, err := c.CompletePayment(ctx, &uapay.CompletePaymentRequest{PaymentID: paymentID, InvoiceID: invoiceID, Amount: 700})
			return err
		},
		func(p uapaytest.Payment) int { return p.Completions })
}

// uapayReverseTarget refunds 300 of a 1000 payment: applied = refunds, so
// a double refund fails the run.
func uapayReverseTarget() chaosTarget {
	return uapayPaymentTarget("uapay ReversePayment", "PAY", "reverse",
		func(ctx context.Context, c *uapay.Client, invoiceID, paymentID string) error {
			_, err := c.ReversePayment(ctx, &uapay.ReversePaymentRequest{PaymentID: paymentID, InvoiceID: invoiceID, Amount: 300})
			return err
		},
		func(p uapaytest.Payment) int { return p.Reversals })
}
