package resilience

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/caravanpay/caravan/activeplatform"
	"github.com/caravanpay/caravan/activeplatform/activeplatformtest"
	"github.com/caravanpay/caravan/inex"
	"github.com/caravanpay/caravan/inex/inextest"
	"github.com/caravanpay/caravan/internal/transport"
	"github.com/caravanpay/caravan/payguest"
	"github.com/caravanpay/caravan/payguest/payguesttest"
	"github.com/caravanpay/caravan/resid"
	"github.com/caravanpay/caravan/resid/residtest"
	"github.com/caravanpay/caravan/uapay"
	"github.com/caravanpay/caravan/uapay/uapaytest"
)

var (
	errOutcomeUnknown     = transport.ErrOutcomeUnknown
	errUnexpectedResponse = transport.ErrUnexpectedResponse
)

// fastRetries are the retry settings of the chaos clients: real retries,
// short waits (Retry-After: 1 is capped at the max wait).
const (
	retryMin = time.Millisecond
	retryMax = 10 * time.Millisecond
)

func chaosTargets() []chaosTarget {
	return []chaosTarget{activeplatformTarget(), inexTarget(), payguestTarget(), residTarget(), uapayTarget()}
}

// counted builds a count table once, after the run, from a fake's records.
func counted(build func() map[string]int) func(key string) int {
	var once sync.Once
	var m map[string]int
	return func(key string) int {
		once.Do(func() { m = build() })
		return m[key]
	}
}

func inexTarget() chaosTarget {
	var srv *inextest.Server
	room := func(i int) string { return fmt.Sprintf("IG%07d", i) }
	var paid func(string) int
	return chaosTarget{
		name: "inex PayDebt",
		start: func(t *testing.T, n int) (string, func()) {
			srv = inextest.NewServer()
			for i := 0; i < n; i++ {
				srv.AddCustomer(inextest.Customer{RoomNumber: room(i), FullNameEn: "Chaos"})
				srv.AddInvoice(room(i), inextest.Invoice{InvoiceNumber: fmt.Sprintf("INV-%d", i), Amount: 1500, ServiceType: "transportation"})
			}
			paid = counted(func() map[string]int {
				m := map[string]int{}
				for _, tx := range srv.Transactions() {
					m[tx.RoomNumber]++
				}
				return m
			})
			return srv.URL, srv.Close
		},
		client: func(t *testing.T, base string) any {
			c, err := inex.NewClient(inextest.Token, inex.WithBaseURL(base), inex.WithRetry(3, retryMin, retryMax))
			if err != nil {
				t.Fatal(err)
			}
			return c
		},
		call: func(ctx context.Context, c any, i int) error {
			_, err := c.(*inex.Client).PayDebt(ctx, &inex.PayDebtRequest{RoomNumber: room(i), PaymentID: fmt.Sprintf("chaos-%d", i)})
			return err
		},
		typed: func(err error) bool {
			var e *inex.Error
			return errors.As(err, &e)
		},
		applied: func(i int) int { return paid(room(i)) },
	}
}

func payguestTarget() chaosTarget {
	var srv *payguesttest.Server
	bill := func(i int) string { return fmt.Sprintf("3F2504E0-4F89-11D3-9A0C-%012X", i) }
	var paid func(string) int
	return chaosTarget{
		name:   "payguest PayGuest",
		unsafe: true,
		start: func(t *testing.T, n int) (string, func()) {
			srv = payguesttest.NewServer()
			for i := 0; i < n; i++ {
				srv.AddBill(payguesttest.Bill{ID: bill(i), Open: "1240.50", PrepaidPayTypeID: payguesttest.ExamplePayTypeID})
			}
			paid = counted(func() map[string]int {
				m := map[string]int{}
				for _, p := range srv.Payments() {
					m[strings.ToUpper(p.BillID)]++
				}
				return m
			})
			return srv.URL, srv.Close
		},
		client: func(t *testing.T, base string) any {
			c, err := payguest.NewClient(base, payguest.WithRetry(3, retryMin, retryMax))
			if err != nil {
				t.Fatal(err)
			}
			return c
		},
		call: func(ctx context.Context, c any, i int) error {
			_, err := c.(*payguest.Client).PayGuest(ctx, &payguest.PayGuestRequest{
				Payment: payguest.Payment{GuestID: bill(i), PaySum: payguest.MustDecimal("1240.50")}})
			return err
		},
		typed: func(err error) bool {
			var e *payguest.Error
			return errors.As(err, &e)
		},
		applied: func(i int) int { return paid(bill(i)) },
	}
}

func activeplatformTarget() chaosTarget {
	var srv *activeplatformtest.Server
	pid := func(i int) int64 { return int64(10000 + i) }
	return chaosTarget{
		name: "activeplatform CompletePayment",
		start: func(t *testing.T, n int) (string, func()) {
			srv = activeplatformtest.NewServer()
			srv.SeedExample()
			for i := 0; i < n; i++ {
				srv.AddPayment(activeplatformtest.Payment{ID: pid(i), ResellerID: 1, AccountID: 505, Total: "99.0"})
			}
			return srv.URL, srv.Close
		},
		client: func(t *testing.T, base string) any {
			c, err := activeplatform.NewClient(base, activeplatformtest.Token, activeplatform.WithRetry(3, retryMin, retryMax))
			if err != nil {
				t.Fatal(err)
			}
			return c
		},
		call: func(ctx context.Context, c any, i int) error {
			p, err := c.(*activeplatform.Client).CompletePayment(ctx, &activeplatform.CompletePaymentRequest{ResellerID: 1, PaymentID: pid(i), PaymentMethodID: 2})
			if err == nil && (p.Status != activeplatform.PaymentCompleted || p.PaymentMethodID != 2) {
				return fmt.Errorf("completed payment reads %q with method %d", p.Status, p.PaymentMethodID)
			}
			return err
		},
		typed: func(err error) bool {
			var e *activeplatform.Error
			return errors.As(err, &e)
		},
		applied: func(i int) int { return srv.Completions(pid(i)) },
	}
}

func uapayTarget() chaosTarget {
	var srv *uapaytest.Server
	ext := func(i int) string { return fmt.Sprintf("chaos-%d", i) }
	var created func(string) int
	return chaosTarget{
		name:   "uapay CreateInvoice",
		unsafe: true,
		start: func(t *testing.T, n int) (string, func()) {
			srv = uapaytest.NewServer()
			created = counted(func() map[string]int {
				m := map[string]int{}
				for i := 0; i < n; i++ {
					m[ext(i)] = srv.InvoicesByExternalID(ext(i))
				}
				return m
			})
			return srv.URL, srv.Close
		},
		client: func(t *testing.T, base string) any {
			c, err := uapay.NewClient(uapaytest.ClientID, uapaytest.SignKey, uapay.WithBaseURL(base), uapay.WithRetry(3, retryMin, retryMax))
			if err != nil {
				t.Fatal(err)
			}
			return c
		},
		call: func(ctx context.Context, c any, i int) error {
			_, err := c.(*uapay.Client).CreateInvoice(ctx, &uapay.CreateInvoiceRequest{ExternalID: ext(i), Amount: 12345, Description: "chaos"})
			return err
		},
		typed: func(err error) bool {
			var e *uapay.Error
			return errors.As(err, &e)
		},
		applied: func(i int) int { return created(ext(i)) },
	}
}

func residTarget() chaosTarget {
	var srv *residtest.Server
	var tokens []string
	return chaosTarget{
		name: "resid CollectPayment",
		start: func(t *testing.T, n int) (string, func()) {
			srv = residtest.NewServer()
			tokens = make([]string, n)
			for i := range tokens {
				tokens[i] = srv.Seed(resid.Payment{Amount: 10000, Outcome: resid.Outcome{TotalAmount: 10000, State: residtest.StatePaid}})
			}
			return srv.URL, srv.Close
		},
		client: func(t *testing.T, base string) any {
			c, err := resid.NewClient(residtest.AuthorizationCode, resid.WithBaseURL(base), resid.WithRetry(3, retryMin, retryMax))
			if err != nil {
				t.Fatal(err)
			}
			return c
		},
		call: func(ctx context.Context, c any, i int) error {
			return c.(*resid.Client).CollectPayment(ctx, tokens[i])
		},
		typed: func(err error) bool {
			var e *resid.Error
			return errors.As(err, &e)
		},
		// collecting is idempotent: however many collects were answered,
		// the money moves once
		applied: func(i int) int {
			if srv.Collected(tokens[i]) {
				return 1
			}
			return 0
		},
	}
}

var _ = http.StatusOK
