// Package activeplatformtest is a fake ActivePlatform installation for
// tests, examples and SDK users who want to exercise their own code without
// credentials. It speaks the reseller API v3 the activeplatform package
// uses — get, complete (by id and by document number), create and list
// payments, and get resellers — with the documented rules:
//
//   - every request needs the X-Api-Token header with [Token] (else 401 with a
//     JSON:API error document);
//   - Accept must allow application/vnd.api+json (else 406), and a request with
//     a body must send Content-Type: application/vnd.api+json (else 415);
//   - the path's reseller must be the token's reseller ([Server.TokenReseller],
//     by default the first root reseller) or one of its downstream resellers,
//     and the payment must belong to the path's reseller (else 404);
//   - only waiting_for_payment and expired payments can be completed; any
//     other is refused with the documented 422 body, byte for byte
//     ([NotCompletableBody]);
//   - invalid attributes are refused with 422 and JSON:API error objects that
//     point at the attribute.
//
// The fake counts successful completions per payment ([Server.Completions]),
// records every request ([Server.Requests]) and injects faults: failures
// with any status, connections cut before or after processing, truncated
// replies and delays. It is safe for concurrent use.
//
//	srv := activeplatformtest.NewServer()
//	defer srv.Close()
//	srv.SeedExample() // reseller 1, payment 6475 waiting_for_payment, method 2 "Cash"
//	client, _ := activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL(srv.URL))
package activeplatformtest

import (
	"net/http"
	"net/http/httptest"
	"net/url"
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

// The payment statuses the fake knows; any other string may be seeded too.
const (
	StatusWaitingForPayment = "waiting_for_payment"
	StatusExpired           = "expired"
	StatusCompleted         = "completed"
)

// Reseller is a reseller of the fake installation.
type Reseller struct {
	ID       int64
	ParentID int64 // 0 for a root reseller
	Name     string
	Domain   string
	Manager  string
	Currency string
}

// Payment is a payment of the fake installation. Zero fields get defaults
// when added: Status waiting_for_payment, DiscountAmount "0.0", CurrencyCode
// "USD", DocumentID a zero-padded number, CreatedAt now.
type Payment struct {
	ID                    int64
	ResellerID            int64
	AccountID             int64
	Status                string
	Total                 string // decimal text, "99.0"
	InitialTotal          string
	DiscountAmount        string
	AmountPaidFromBalance string
	CurrencyCode          string
	Comment               string
	Purpose               string
	DocumentID            string
	PaymentMethodID       int64 // 0 until completed, unless seeded
	ManagerID             int64
	RequesterIP           string
	ExternalTransactionID string // set by a completion by document number
	CreatedAt             time.Time
	UpdatedAt             time.Time
	ClosedAt              *time.Time
	ExpirationDate        *time.Time
	Corrections           []string // ids of corrections a partial or over-payment created
}

// Request is one request as the fake received it.
type Request struct {
	Method string
	Path   string // unescaped path
	Query  url.Values
	Header http.Header
	Body   []byte
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
	tokenReseller int64
	nextPayment   int64
	nextCorr      int64
	zone          *time.Location
}

// NewServer starts an empty fake installation; add data with the Add…
// methods or [Server.SeedExample].
func NewServer() *Server {
	s := &Server{
		resellers:   map[int64]*Reseller{},
		methods:     map[int64]string{},
		payments:    map[int64]*Payment{},
		completions: map[int64]int{},
		nextPayment: 1,
		nextCorr:    1,
		zone:        time.FixedZone("MSK", 3*60*60),
	}
	s.srv = httptest.NewServer(s.core.Wrap(http.HandlerFunc(s.serve)))
	s.URL = s.srv.URL
	return s
}

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// SeedExample loads the document's example: reseller 1 with a downstream
// reseller 2, payment method 2 "Cash", and payment 6475 of account 505,
// waiting_for_payment, total "99.0" USD, document id "2005258".
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

func (s *Server) now() time.Time { return time.Now().In(s.zone) }

// Payment returns a copy of the payment with the id.
func (s *Server) Payment(id int64) (Payment, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
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

// Requests returns every request received so far, in order.
func (s *Server) Requests() []Request {
	recs := s.core.Requests()
	out := make([]Request, len(recs))
	for i, r := range recs {
		out[i] = Request{Method: r.Method, Path: r.Path, Query: r.Query, Header: r.Header, Body: r.Body}
	}
	return out
}

// ResetRequests forgets the recorded requests and any queued faults; the
// data stays.
func (s *Server) ResetRequests() { s.core.Reset() }

// FailNext answers the next n requests with status and body without
// processing them. An empty body is sent empty.
func (s *Server) FailNext(n, status int, body string) {
	s.core.Inject(fakeserver.Fault{Kind: fakeserver.Fail, Count: n, Status: status, Body: body})
}

// FailNextWithHeader is [Server.FailNext] with extra reply headers, such as
// Retry-After or Content-Type.
func (s *Server) FailNextWithHeader(n, status int, body string, header http.Header) {
	s.core.Inject(fakeserver.Fault{Kind: fakeserver.Fail, Count: n, Status: status, Body: body, Header: header.Clone()})
}

// FailNextRetryAfter is [Server.FailNext] with a Retry-After header
// (seconds or an HTTP date), as the other caravan fakes offer it.
func (s *Server) FailNextRetryAfter(n, status int, body, retryAfter string) {
	s.FailNextWithHeader(n, status, body, http.Header{"Retry-After": {retryAfter}})
}

// CutNext closes the connection of the next n requests before processing
// them: nothing happens on the fake.
func (s *Server) CutNext(n int) {
	s.core.Inject(fakeserver.Fault{Kind: fakeserver.CutBefore, Count: n})
}

// CutAfterNext processes the next n requests, then closes their connections
// without a reply: the effect happens, the client never learns it.
func (s *Server) CutAfterNext(n int) {
	s.core.Inject(fakeserver.Fault{Kind: fakeserver.CutAfter, Count: n})
}

// TruncateNext processes the next n requests and sends only half of each
// reply's body before closing the connection.
func (s *Server) TruncateNext(n int) {
	s.core.Inject(fakeserver.Fault{Kind: fakeserver.Truncate, Count: n})
}

// SlowNext processes each of the next n requests after d; if the client
// gives up first, the request is still processed.
func (s *Server) SlowNext(n int, d time.Duration) {
	s.core.Inject(fakeserver.Fault{Kind: fakeserver.Slow, Count: n, Delay: d})
}

// SetDelay makes every request wait d before it is processed.
func (s *Server) SetDelay(d time.Duration) { s.core.SetDelay(d) }
