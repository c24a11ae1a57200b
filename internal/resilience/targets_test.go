package resilience

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/caravanpay/caravan/activeplatform"
	"github.com/caravanpay/caravan/activeplatform/activeplatformtest"
	"github.com/caravanpay/caravan/inex"
	"github.com/caravanpay/caravan/inex/inextest"
	"github.com/caravanpay/caravan/internal/fakeserver"
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

// chaosTargets are every state-changing call of every provider.
func chaosTargets() []chaosTarget {
	return []chaosTarget{
		activeplatformTarget(), activeplatformByDocumentTarget(),
		inexTarget(), inexTopUpTarget(),
		payguestTarget(),
		residTarget(), residCreateTarget(),
		uapayTarget(), uapayUpdateTarget(),
	}
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

// jsonField reads a top-level string field of a JSON body.
func jsonField(body []byte, key string) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return ""
	}
	var s string
	_ = json.Unmarshal(m[key], &s)
	return s
}

// uapayField reads params.<key> or data.<key> of a UAPAY body; a list's
// first element for a list.
func uapayField(body []byte, part, key string) string {
	var env map[string]json.RawMessage
	if json.Unmarshal(body, &env) != nil {
		return ""
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(env[part], &fields) != nil {
		return ""
	}
	raw := fields[key]
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil && len(list) > 0 {
		return list[0]
	}
	return ""
}

// indexed maps a key back to its call number.
func indexed(prefix string) func(string) int {
	return func(key string) int {
		if !strings.HasPrefix(key, prefix) {
			return -1
		}
		i, err := strconv.Atoi(strings.TrimPrefix(key, prefix))
		if err != nil {
			return -1
		}
		return i
	}
}

func inexTarget() chaosTarget {
	var srv *inextest.Server
	room := func(i int) string { return fmt.Sprintf("IG%07d", i) }
	var paid func(string) int
	return chaosTarget{
		name: "inex PayDebt", class: "idempotent",
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
		client: func(t *testing.T, base string, hc *http.Client) any {
			c, err := inex.NewClient(inextest.Token, inex.WithBaseURL(base), inex.WithRetry(3, retryMin, retryMax), inex.WithHTTPClient(hc))
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
		write: func(r fakeserver.Request) int {
			if !strings.HasSuffix(r.Path, "/debts/pay") {
				return -1
			}
			return indexed("IG")(jsonField(r.Body, "roomNumber"))
		},
	}
}

func inexTopUpTarget() chaosTarget {
	var srv *inextest.Server
	room := func(i int) string { return fmt.Sprintf("IG%07d", i) }
	return chaosTarget{
		name: "inex TopUpBalance", class: "idempotent",
		start: func(t *testing.T, n int) (string, func()) {
			srv = inextest.NewServer()
			for i := 0; i < n; i++ {
				srv.AddCustomer(inextest.Customer{RoomNumber: room(i), FullNameEn: "Chaos"})
			}
			return srv.URL, srv.Close
		},
		client: func(t *testing.T, base string, hc *http.Client) any {
			c, err := inex.NewClient(inextest.Token, inex.WithBaseURL(base), inex.WithRetry(3, retryMin, retryMax), inex.WithHTTPClient(hc))
			if err != nil {
				t.Fatal(err)
			}
			return c
		},
		call: func(ctx context.Context, c any, i int) error {
			_, err := c.(*inex.Client).TopUpBalance(ctx, &inex.TopUpRequest{RoomNumber: room(i), Amount: 250, PaymentID: fmt.Sprintf("top-%d", i)})
			return err
		},
		typed: func(err error) bool {
			var e *inex.Error
			return errors.As(err, &e)
		},
		applied: func(i int) int { return srv.TopUps(room(i)) },
		write: func(r fakeserver.Request) int {
			if !strings.HasSuffix(r.Path, "/balance/top-up") {
				return -1
			}
			return indexed("IG")(jsonField(r.Body, "roomNumber"))
		},
	}
}

func payguestTarget() chaosTarget {
	var srv *payguesttest.Server
	bill := func(i int) string { return fmt.Sprintf("3F2504E0-4F89-11D3-9A0C-%012X", i) }
	var paid func(string) int
	return chaosTarget{
		name: "payguest PayGuest", class: "unsafe",
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
		client: func(t *testing.T, base string, hc *http.Client) any {
			c, err := payguest.NewClient(payguest.WithBaseURL(base), payguest.WithRetry(3, retryMin, retryMax), payguest.WithHTTPClient(hc))
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
		write: func(r fakeserver.Request) int {
			if !strings.HasSuffix(r.Path, "/pay-guest") {
				return -1
			}
			var body struct {
				Payment struct {
					GestID string `json:"gest_ID"`
				} `json:"Payment"`
			}
			if json.Unmarshal(r.Body, &body) != nil {
				return -1
			}
			id := strings.ToUpper(body.Payment.GestID)
			i, err := strconv.ParseInt(id[len(id)-12:], 16, 64)
			if err != nil {
				return -1
			}
			return int(i)
		},
	}
}

func apClient(t *testing.T, base string, hc *http.Client) any {
	c, err := activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL(base), activeplatform.WithRetry(3, retryMin, retryMax), activeplatform.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func apTyped(err error) bool {
	var e *activeplatform.Error
	return errors.As(err, &e)
}

// apPayment maps a request path .../payments/<id> to its call number.
func apPayment(base int64) func(string) int {
	return func(path string) int {
		i := strings.LastIndexByte(path, '/')
		id, err := strconv.ParseInt(path[i+1:], 10, 64)
		if err != nil || id < base {
			return -1
		}
		return int(id - base)
	}
}

func activeplatformTarget() chaosTarget {
	var srv *activeplatformtest.Server
	const base = 10000
	pid := func(i int) int64 { return int64(base + i) }
	return chaosTarget{
		name: "activeplatform CompletePayment", class: "reconciled",
		start: func(t *testing.T, n int) (string, func()) {
			srv = activeplatformtest.NewServer()
			srv.SeedExample()
			for i := 0; i < n; i++ {
				srv.AddPayment(activeplatformtest.Payment{ID: pid(i), ResellerID: 1, AccountID: 505, Total: "99.0"})
			}
			return srv.URL, srv.Close
		},
		client: apClient,
		call: func(ctx context.Context, c any, i int) error {
			p, err := c.(*activeplatform.Client).CompletePayment(ctx, &activeplatform.CompletePaymentRequest{ResellerID: 1, PaymentID: pid(i), PaymentMethodID: 2})
			if err == nil && (p.Status != activeplatform.PaymentCompleted || p.PaymentMethodID != 2) {
				return fmt.Errorf("completed payment reads %q with method %d", p.Status, p.PaymentMethodID)
			}
			return err
		},
		typed:   apTyped,
		applied: func(i int) int { return srv.Completions(pid(i)) },
		write: func(r fakeserver.Request) int {
			if r.Method != http.MethodPatch {
				return -1
			}
			return apPayment(base)(r.Path)
		},
		look: func(r fakeserver.Request) int {
			if r.Method != http.MethodGet {
				return -1
			}
			return apPayment(base)(r.Path)
		},
	}
}

func activeplatformByDocumentTarget() chaosTarget {
	var srv *activeplatformtest.Server
	const base = 500000
	return chaosTarget{
		name: "activeplatform CompletePaymentByDocument", class: "unsafe",
		start: func(t *testing.T, n int) (string, func()) {
			srv = activeplatformtest.NewServer()
			srv.SeedExample()
			for i := 0; i < n; i++ {
				srv.AddPayment(activeplatformtest.Payment{ID: int64(base + i), ResellerID: 1, AccountID: 505, Total: "99.0",
					CurrencyCode: "USD", DocumentID: strconv.Itoa(base + i)})
			}
			return srv.URL, srv.Close
		},
		client: apClient,
		call: func(ctx context.Context, c any, i int) error {
			_, err := c.(*activeplatform.Client).CompletePaymentByDocument(ctx, 1, &activeplatform.CompleteByDocumentRequest{
				DocumentID: strconv.Itoa(base + i), PaymentMethodID: 2, Amount: "99.0", CurrencyCode: "USD",
				ExternalTransactionID: fmt.Sprintf("tx-%d", i)})
			return err
		},
		typed:   apTyped,
		applied: func(i int) int { return srv.Completions(int64(base + i)) },
		write: func(r fakeserver.Request) int {
			if r.Method != http.MethodPost {
				return -1
			}
			return apPayment(base)(r.Path)
		},
	}
}

func uapayClient(t *testing.T, base string, hc *http.Client) any {
	c, err := uapay.NewClient(uapaytest.ClientID, uapaytest.SignKey, uapay.WithBaseURL(base), uapay.WithRetry(3, retryMin, retryMax), uapay.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func uapayTyped(err error) bool {
	var e *uapay.Error
	return errors.As(err, &e)
}

func uapayTarget() chaosTarget {
	var srv *uapaytest.Server
	ext := func(i int) string { return fmt.Sprintf("chaos-%d", i) }
	var created func(string) int
	return chaosTarget{
		name: "uapay CreateInvoice", class: "reconciled",
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
		client: uapayClient,
		call: func(ctx context.Context, c any, i int) error {
			_, err := c.(*uapay.Client).CreateInvoice(ctx, &uapay.CreateInvoiceRequest{ExternalID: ext(i), Amount: 12345, Description: "chaos"})
			return err
		},
		typed:   uapayTyped,
		applied: func(i int) int { return created(ext(i)) },
		write: func(r fakeserver.Request) int {
			if !strings.HasSuffix(r.Path, "/invoices/create") {
				return -1
			}
			return indexed("chaos-")(uapayField(r.Body, "data", "externalId"))
		},
		look: func(r fakeserver.Request) int {
			if !strings.HasSuffix(r.Path, "/invoices/show/list") {
				return -1
			}
			return indexed("chaos-")(uapayField(r.Body, "params", "externalIds"))
		},
	}
}

func uapayUpdateTarget() chaosTarget {
	var srv *uapaytest.Server
	var ids []string
	var byID map[string]int
	tag := func(i int) string { return fmt.Sprintf("tag-%d", i) }
	return chaosTarget{
		name: "uapay UpdateInvoice", class: "idempotent",
		start: func(t *testing.T, n int) (string, func()) {
			srv = uapaytest.NewServer()
			ids = make([]string, n)
			byID = make(map[string]int, n)
			for i := range ids {
				ids[i] = srv.AddInvoice(uapaytest.Invoice{ExternalID: fmt.Sprintf("u-%d", i), Amount: 100})
				byID[ids[i]] = i
			}
			return srv.URL, srv.Close
		},
		client: uapayClient,
		call: func(ctx context.Context, c any, i int) error {
			_, err := c.(*uapay.Client).UpdateInvoice(ctx, ids[i], &uapay.InvoiceUpdate{Tag: uapay.Ptr(tag(i))})
			return err
		},
		typed: uapayTyped,
		// an update is applied when the invoice carries its tag; applying
		// it again changes nothing
		applied: func(i int) int {
			if inv, ok := srv.Invoice(ids[i]); ok && inv.Tag == tag(i) {
				return 1
			}
			return 0
		},
		write: func(r fakeserver.Request) int {
			if !strings.HasSuffix(r.Path, "/invoices/update") {
				return -1
			}
			if i, ok := byID[uapayField(r.Body, "params", "id")]; ok {
				return i
			}
			return -1
		},
	}
}

func residClient(t *testing.T, base string, hc *http.Client) any {
	c, err := resid.NewClient(residtest.AuthorizationCode, resid.WithBaseURL(base), resid.WithRetry(3, retryMin, retryMax), resid.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func residTyped(err error) bool {
	var e *resid.Error
	return errors.As(err, &e)
}

func residTarget() chaosTarget {
	var srv *residtest.Server
	var tokens []string
	var byToken map[string]int
	return chaosTarget{
		name: "resid CollectPayment", class: "idempotent",
		start: func(t *testing.T, n int) (string, func()) {
			srv = residtest.NewServer()
			tokens = make([]string, n)
			byToken = make(map[string]int, n)
			for i := range tokens {
				tokens[i] = srv.Seed(resid.Payment{Amount: 10000, Outcome: resid.Outcome{TotalAmount: 10000, State: residtest.StatePaid}})
				byToken[tokens[i]] = i
			}
			return srv.URL, srv.Close
		},
		client: residClient,
		call: func(ctx context.Context, c any, i int) error {
			return c.(*resid.Client).CollectPayment(ctx, tokens[i])
		},
		typed: residTyped,
		// collecting is idempotent: however many collects were answered,
		// the money moves once
		applied: func(i int) int {
			if srv.Collected(tokens[i]) {
				return 1
			}
			return 0
		},
		write: func(r fakeserver.Request) int {
			if !strings.HasSuffix(r.Path, "/collect") {
				return -1
			}
			parts := strings.Split(strings.TrimSuffix(r.Path, "/collect"), "/")
			if i, ok := byToken[parts[len(parts)-1]]; ok {
				return i
			}
			return -1
		},
	}
}

func residCreateTarget() chaosTarget {
	var srv *residtest.Server
	payload := func(i int) string { return fmt.Sprintf("ride-%d", i) }
	var created func(string) int
	return chaosTarget{
		name: "resid CreatePayment", class: "unsafe",
		start: func(t *testing.T, n int) (string, func()) {
			srv = residtest.NewServer()
			created = counted(srv.Payloads)
			return srv.URL, srv.Close
		},
		client: residClient,
		call: func(ctx context.Context, c any, i int) error {
			_, err := c.(*resid.Client).CreatePayment(ctx, &resid.CreatePaymentRequest{Amount: 10000, Merchant: residtest.Merchant, Payload: payload(i)})
			return err
		},
		typed:   residTyped,
		applied: func(i int) int { return created(payload(i)) },
		write: func(r fakeserver.Request) int {
			if r.Method != http.MethodPost || !strings.HasSuffix(r.Path, "/payments") {
				return -1
			}
			q, err := url.ParseQuery(string(r.Body))
			if err != nil {
				return -1
			}
			return indexed("ride-")(q.Get("payload"))
		},
	}
}
