// Package activeplatformtest is a fake ActivePlatform installation for
// tests, examples and SDK users who want to exercise their own code without
// credentials. It speaks the reseller API v3 the activeplatform package
// uses — get, complete (by id and by document number), create, cancel and
// list payments, get and list invoices, create corrections and approve or
// decline them, and get accounts and resellers — with the documented rules:
//
//   - every request needs the X-Api-Token header with [Token] (else 401 with a
//     JSON:API error document);
//   - the path's reseller must be the token's reseller ([Server.TokenReseller],
//     by default the first root reseller) or one of its downstream resellers,
//     and the payment must belong to the path's reseller (else 404);
//   - only waiting_for_payment and expired payments can be completed; any
//     other is refused with the documented 422 body, byte for byte
//     ([NotCompletableBody]);
//   - only waiting_for_payment payments not linked to a postpaid invoice
//     can be cancelled (DELETE), else 422 with [NotCancellableBody] or
//     [NotCancellablePostpaidBody]; a cancelled payment is closed
//     (closed_at set) and counted ([Server.Cancellations]);
//   - invalid attributes and malformed documents are refused with 422 (the
//     status of the provider's error examples) and JSON:API error objects
//     whose source points at the attribute.
//
// The fake counts successful completions per payment ([Server.Completions])
// and records every request ([Server.Requests]). It is safe for concurrent
// use.
//
//	srv := activeplatformtest.Start(t) // or NewServer() and Close
//	srv.SeedExample() // reseller 1, payment 6475 waiting_for_payment, method 2 "Cash"
//	client, _ := activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL(srv.URL))
//
// # Payments expire, on the fake's clock
//
// A waiting_for_payment payment whose expiration date the fake's clock
// passes becomes expired (it can still be completed, as the documents
// say). Seed one with [Payment.ExpirationDate], or give every payment
// created through the API a lifetime with [WithPaymentLifetime]; move the
// clock with [WithNow], [Server.SetNow] and [Server.Advance] — no test
// waits.
//
// # Faults
//
// The fault methods of [Server] apply to the next requests whatever their
// route; those of [Server.Route] to one endpoint's, e.g.
// srv.Route("PATCH payments/{payment_id}").CutAfterNext(1). What the
// client sees is written on each method of [Faults]; every applied fault is
// counted ([Faults.Applied]) and [Server.Reset] clears the queue.
//
// # Where the fake is stricter or looser than ActivePlatform's documents
//
// Stricter (the documents do not say what the platform does):
//   - a request must send an Accept header (406 without one, which HTTP
//     would read as */*);
//   - a request with a body must send Content-Type
//     application/vnd.api+json without parameters (else 415);
//   - payment_method_id and account_id must be positive integers written
//     as JSON numbers: "2", a string, is refused with 422;
//   - complete by document number needs currency_code, when sent, equal to
//     the payment's and an external_transaction_id, when sent, of 2 to 255
//     characters;
//   - a request document whose data.type is not the route's resource type,
//     or whose data.id is not the path's id (or is sent where the path
//     names none, as on complete by document number), is refused with 409,
//     as JSON:API says;
//   - an unknown include, page size over 1000, a filter time that is not
//     RFC 3339 or an unknown sort field answers 400;
//   - a body over the limit ([WithMaxBody], 10 MiB by default) is refused
//     with 413 and a JSON:API error, never cut.
//
// Looser, or the fake's own choice where the documents are silent:
//   - request documents may leave out data.type and data.id, as the
//     documents' examples do (the lenient installation accepts both that
//     form and the valid JSON:API form; a strict JSON:API server would
//     answer the short form with 400);
//   - GET requests need no Content-Type, though every method table marks
//     it required;
//   - Create payment accepts a missing comment, which the table marks
//     required (the client refuses to send one without it);
//   - amounts may be JSON numbers (as the tables type them) or strings; a
//     created payment's total keeps the text it was sent with;
//   - Accept may be application/vnd.api+json, */* or application/*
//     (any of them in the list); an Accept that allows none of these is
//     refused with 406;
//   - expired is completable and a completion by document number with a
//     different amount creates a correction (approved, total the
//     difference), as documented;
//   - corrections are created approval_required and leave it once, to
//     approved (approved_at set to the day) or declined; a second decision
//     is refused with [NotPendingCorrectionBody], the fake's own text (the
//     documents show no error body for corrections); roles (a Product
//     owner may not create or approve) are not modelled;
//   - a correction's status may also be updated at the request example's
//     slip path …/corrections/correction/{id};
//   - there is no route to read or list corrections (none is documented);
//     [Server.Corrections] is the ledger;
//   - the include relationships invoices, orders, charges and corrections
//     are accepted and included empty;
//   - invoices are seeded ([Server.AddInvoice]), never created by the
//     fake; an invoice's includes subscriptions, charges, corrections and
//     taxes are accepted and included empty, payments included in full;
//   - the invoice list's filter[created_at] / filter[updated_at] without an
//     operator (as the page names them, without saying how they compare)
//     mean "on or after"; [gt] and [lt] are accepted too;
//     filter[from_date] / filter[to_date] keep invoices whose period starts
//     on or after / ends on or before the date;
//   - a payment that a postpay invoice lists (or with PostpaidInvoiceID)
//     cannot be cancelled;
//   - the postpaid-invoice calls (approve, complete by account or by id,
//     revoke by id) take the documented flat JSON body
//     {"document_id":…,"billing_date":…} and act on postpay invoices only,
//     matched by billing_date = the invoice's FromDate; their errors carry
//     the documented codes (INVOICE-0001 missing parameters, INVOICE-0017
//     linked payment cancelled, INVOICE-0005 — whose text is cut in the
//     documents — for parameters that do not match the invoice or its
//     approval, or a revocation after the payment closed), as JSON:API
//     error objects with a code (the documents show a table, not the
//     body). A second approval or completion is a 422 of the fake's own
//     wording, as are several invoices of one account in one period (use
//     the call by id); a missing invoice is a 404 without a code (the
//     documented code is cut). Completing an invoice completes its
//     completable payments and closes it ([Server.InvoiceCompletions]);
//   - accounts are seeded ([Server.AddAccount]) and their balances never
//     move: completing a payment or approving a correction does not change
//     them (the documents do not say when the platform does); the account
//     carries only some of the documented attributes (name, email,
//     country, status, the four amounts);
//   - no rate limits and no server errors unless injected.
package activeplatformtest

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/caravanpay/caravan/internal/fakeserver"
)

// Token is the API token the fake accepts.
const Token = "test-token"

// The documented example data [Server.SeedExample] loads.
const (
	ExampleResellerID        = 1
	ExamplePaymentID         = 6475
	ExamplePaymentMethodID   = 2
	ExampleAccountID         = 505
	ExamplePaymentMethodName = "Cash"
	ExampleTotal             = "99.0"
	ExampleCurrency          = "USD"
	ExampleDocumentID        = "2005258"
)

// NotCompletableBody is the documented 422 body for a payment that is not
// waiting_for_payment or expired.
const NotCompletableBody = `{"errors":{"title":"Only payments with \"waiting for payment/expired\" status can be completed.","status":"422"}}`

// NotCancellableBody is the documented 422 body for a payment that is not
// waiting_for_payment.
const NotCancellableBody = `{"errors":{"title":"Only payments with \"waiting for payment\" status can be cancelled.","status":"422"}}`

// NotCancellablePostpaidBody is the 422 body for a payment linked to a
// postpaid invoice. The document's text is cut after "Only payments for
// prepa"; the rest is the fake's completion.
const NotCancellablePostpaidBody = `{"errors":{"title":"Only payments for prepaid invoices can be cancelled.","status":"422"}}`

// The payment statuses the fake knows; any other string may be seeded too.
const (
	StatusWaitingForPayment = "waiting_for_payment"
	StatusExpired           = "expired"
	StatusCompleted         = "completed"
	StatusCancelled         = "cancelled"
)

// Reseller is a reseller of the fake installation.
type Reseller struct {
	ID       int64  // the reseller's id
	ParentID int64  // 0 for a root reseller
	Name     string // general.name
	Domain   string // general.domain
	Manager  string // general.manager
	Currency string // general.currency, e.g. "USD"
}

// Payment is a payment of the fake installation. Zero fields get defaults
// when added: Status waiting_for_payment, DiscountAmount "0.0", CurrencyCode
// "USD", DocumentID a zero-padded number, CreatedAt now.
type Payment struct {
	ID                    int64      // the payment's id
	ResellerID            int64      // the reseller it belongs to
	AccountID             int64      // the account it pays for
	Status                string     // waiting_for_payment, expired, completed, cancelled…
	Total                 string     // decimal text, "99.0"
	InitialTotal          string     // decimal text, the total before discounts
	DiscountAmount        string     // decimal text, e.g. "0.0"
	AmountPaidFromBalance string     // decimal text, empty for null
	CurrencyCode          string     // e.g. "USD"
	Comment               string     // the payment's comment
	Purpose               string     // the payment's purpose
	DocumentID            string     // zero-padded document number, e.g. "002018"
	PaymentMethodID       int64      // 0 until completed, unless seeded
	ManagerID             int64      // the manager who created it
	RequesterIP           string     // the address the payment was requested from
	ExternalTransactionID string     // set by a completion by document number
	CreatedAt             time.Time  // when it was created
	UpdatedAt             time.Time  // when it last changed
	ClosedAt              *time.Time // when it was completed or cancelled, nil while open
	ExpirationDate        *time.Time // when it expires, nil for never
	Corrections           []string   // ids of corrections a partial or over-payment created
	// PostpaidInvoiceID is the postpaid invoice the payment is linked to, 0
	// if none; such a payment cannot be cancelled.
	PostpaidInvoiceID int64
}

// Server is a running fake installation. Create it with [NewServer] and
// stop it with Close.
type Server struct {
	// URL is the installation's base URL, such as http://127.0.0.1:41234.
	URL string

	srv  *httptest.Server
	core fakeserver.Core

	mu            sync.Mutex
	resellers     map[int64]*Reseller
	methods       map[int64]string
	payments      map[int64]*Payment
	completions   map[int64]int
	cancellations map[int64]int
	invoices      map[int64]*Invoice
	corrections   map[int64]*Correction
	accounts      map[int64]*Account

	invoiceCompletions map[int64]int
	nextInvoice        int64
	tokenReseller      int64
	nextPayment        int64
	nextCorr           int64
	zone               *time.Location
	clock              func() time.Time
	lifetime           time.Duration
}

// NewServer starts an empty fake installation; add data with the Add…
// methods or [Server.SeedExample]. Close it when done, or use [Start] in a
// test.
func NewServer(opts ...Option) *Server {
	s := &Server{
		resellers:     map[int64]*Reseller{},
		methods:       map[int64]string{},
		payments:      map[int64]*Payment{},
		completions:   map[int64]int{},
		cancellations: map[int64]int{},
		invoices:      map[int64]*Invoice{},
		corrections:   map[int64]*Correction{},
		accounts:      map[int64]*Account{},

		invoiceCompletions: map[int64]int{},
		nextInvoice:        1,
		nextPayment:        1,
		nextCorr:           1,
		zone:               time.FixedZone("MSK", 3*60*60),
		clock:              time.Now,
	}
	for _, o := range opts {
		o(s)
	}
	s.core.Now = s.Now
	s.core.TooLarge = func(w http.ResponseWriter, _ *http.Request) {
		writeErrors(w, http.StatusRequestEntityTooLarge, apiError{Status: "413", Title: "Payload Too Large",
			Detail: "The request body is larger than the server accepts."})
	}
	s.srv = httptest.NewServer(s.core.Wrap(http.HandlerFunc(s.serve)))
	s.URL = s.srv.URL
	return s
}

// WithNow stops the fake's clock at t: it moves only with [Server.Advance]
// and [Server.SetNow], so a test never waits.
func WithNow(t time.Time) Option { return func(s *Server) { s.clock = func() time.Time { return t } } }

// WithPaymentLifetime gives every payment created through the API an
// expiration_date d after its creation; when the fake's clock passes it, a
// waiting_for_payment payment becomes expired. By default created payments
// have no expiration date.
func WithPaymentLifetime(d time.Duration) Option { return func(s *Server) { s.lifetime = d } }

// Close shuts the server down. Requests waiting in an injected delay are
// processed at once; Close does not wait the delays out.
func (s *Server) Close() {
	s.core.Close()
	s.srv.Close()
}

// Now is the fake's clock: the real time until [WithNow], [Server.SetNow]
// or [Server.Advance] stops it.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now()
}

// SetNow stops the fake's clock at t; payments whose expiration date it
// passes expire.
func (s *Server) SetNow(t time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clock = func() time.Time { return t }
	s.expireLocked()
}

// Advance moves the fake's clock forward by d (stopping it first if it was
// running); payments whose expiration date it passes expire.
func (s *Server) Advance(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.now().Add(d)
	s.clock = func() time.Time { return t }
	s.expireLocked()
}

// expireLocked turns every waiting_for_payment payment whose expiration
// date has passed into an expired one, as the platform does.
func (s *Server) expireLocked() {
	now := s.now()
	for _, p := range s.payments {
		if p.Status == StatusWaitingForPayment && p.ExpirationDate != nil && !now.Before(*p.ExpirationDate) {
			p.Status = StatusExpired
			p.UpdatedAt = *p.ExpirationDate
		}
	}
}

// SeedExample loads the document's example: reseller 1 with a downstream
// reseller 2, payment method 2 "Cash", payment 6475 of account 505,
// waiting_for_payment, total "99.0" USD, document id "2005258", account
// 505 (balance "150.00", usable "100.00", debt 0.0), and the
// complete-invoice page's invoice 2046 "NS2000015" (closed, postpay,
// approved, total "987.65").
func (s *Server) SeedExample() {
	s.AddReseller(Reseller{ID: ExampleResellerID, Name: "Example Cloud", Domain: "test.activeplatform.com",
		Manager: "manager@example.com", Currency: ExampleCurrency})
	s.AddReseller(Reseller{ID: 2, ParentID: ExampleResellerID, Name: "Downstream Reseller",
		Domain: "sub.example.com", Currency: ExampleCurrency})
	s.AddPaymentMethod(ExamplePaymentMethodID, ExamplePaymentMethodName)
	created := time.Date(2019, 11, 1, 4, 30, 47, 797788000, s.zone)
	s.AddPayment(Payment{ID: ExamplePaymentID, ResellerID: ExampleResellerID, AccountID: ExampleAccountID,
		Status: StatusWaitingForPayment, Total: ExampleTotal, CurrencyCode: ExampleCurrency,
		Comment: "cash", DocumentID: ExampleDocumentID, RequesterIP: "10.0.0.203", ManagerID: 234,
		CreatedAt: created, UpdatedAt: created})
	s.AddAccount(Account{ID: ExampleAccountID, ResellerID: ExampleResellerID, Name: "Example Customer",
		Email: "customer@example.com", Country: "RU", Balance: "150.00", UsableBalance: "100.00",
		CurrentDebt: "0.0", SubscriptionCreditLimit: "500.0", CreatedAt: created, UpdatedAt: created})
	s.AddInvoice(Invoice{ID: ExampleInvoiceID, ResellerID: ExampleResellerID, AccountID: ExampleAccountID,
		DocumentID: ExampleInvoiceDocumentID, Status: "closed", Total: "987.65", FromDate: "2019-04-17",
		ToDate: "2019-05-01", PaymentModel: "postpay", Approved: true, ERPDocumentID: ExampleInvoiceDocumentID,
		CreatedAt: time.Date(2019, 4, 18, 9, 2, 1, 257560000, s.zone), UpdatedAt: time.Date(2019, 5, 2, 6, 12, 41, 990713000, s.zone),
		Subscriptions: []string{"3009839"}, Charges: []string{"323740"}})
}

// AddReseller adds or replaces a reseller. The first root reseller added
// owns [Token] unless [Server.SetTokenReseller] says otherwise.
func (s *Server) AddReseller(r Reseller) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resellers[r.ID] = &r
	if s.tokenReseller == 0 && r.ParentID == 0 {
		s.tokenReseller = r.ID
	}
}

// SetTokenReseller makes [Token] belong to the reseller id: it may then
// address that reseller and its downstream resellers only.
func (s *Server) SetTokenReseller(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokenReseller = id
}

// TokenReseller returns the reseller [Token] belongs to.
func (s *Server) TokenReseller() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokenReseller
}

// AddPaymentMethod adds a payment method payments can be completed with.
func (s *Server) AddPaymentMethod(id int64, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.methods[id] = name
}

// AddPayment adds or replaces a payment, filling defaults for zero fields
// (ID: the next free id), and returns it as stored.
func (s *Server) AddPayment(p Payment) Payment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.addLocked(p)
}

func (s *Server) addLocked(p Payment) *Payment {
	if p.ID == 0 {
		p.ID = s.nextPayment
	}
	if p.ID >= s.nextPayment {
		s.nextPayment = p.ID + 1
	}
	if p.Status == "" {
		p.Status = StatusWaitingForPayment
	}
	if p.DiscountAmount == "" {
		p.DiscountAmount = "0.0"
	}
	if p.InitialTotal == "" {
		p.InitialTotal = p.Total
	}
	if p.CurrencyCode == "" {
		p.CurrencyCode = "USD"
	}
	if p.DocumentID == "" {
		p.DocumentID = zeroPad(p.ID)
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = s.now()
	}
	if p.UpdatedAt.IsZero() {
		p.UpdatedAt = p.CreatedAt
	}
	p.Corrections = append([]string(nil), p.Corrections...)
	s.payments[p.ID] = &p
	s.expireLocked()
	return &p
}

func zeroPad(id int64) string {
	const width = 6
	b := []byte{}
	for n := id; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	for len(b) < width {
		b = append([]byte{'0'}, b...)
	}
	return string(b)
}

func (s *Server) now() time.Time { return s.clock().In(s.zone) }

// Payment returns a copy of the payment with the id.
func (s *Server) Payment(id int64) (Payment, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireLocked()
	p, ok := s.payments[id]
	if !ok {
		return Payment{}, false
	}
	c := *p
	c.Corrections = append([]string(nil), p.Corrections...)
	return c, true
}

// SetStatus changes a payment's status, as the platform or another manager
// would; it reports whether the payment exists.
func (s *Server) SetStatus(id int64, status string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.payments[id]
	if ok {
		p.Status = status
		p.UpdatedAt = s.now()
	}
	return ok
}

// Complete completes a payment with a payment method as another manager
// would, without an HTTP request. It is counted by [Server.Completions].
func (s *Server) Complete(id, paymentMethodID int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.payments[id]
	if ok {
		s.completeLocked(p, paymentMethodID)
	}
	return ok
}

func (s *Server) completeLocked(p *Payment, methodID int64) {
	now := s.now()
	p.Status = StatusCompleted
	p.PaymentMethodID = methodID
	p.UpdatedAt = now
	p.ClosedAt = &now
	s.completions[p.ID]++
}

// Completions counts how many times the payment was completed. A correct
// client completes a payment once, however its replies are lost.
func (s *Server) Completions(id int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.completions[id]
}

// Cancellations counts how many times the payment was cancelled through
// the API. A correct client cancels a payment once, however its replies
// are lost.
func (s *Server) Cancellations(id int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cancellations[id]
}

// ResetRequests is [Server.Reset].
func (s *Server) ResetRequests() { s.Reset() }
