// Package inextest is a fake Inex integrator API for tests: the SDK's own,
// the examples' built-in sandbox, and yours. It runs on
// net/http/httptest, keeps customers, parcels (with their details,
// histories and vendors), debts, balances and pickup locations in memory,
// and enforces what Inex documents:
//
//   - "Authorization: Bearer " + [Token] on every call, else 403 with
//     Inex's documented body;
//   - Laravel validation with its exact 422 bodies, including the
//     "(and 1 more error)" summary, and Laravel's 302 redirect when the
//     client does not send "Accept: application/json";
//   - 404 {"errors":{"general":["Requested customer not found"]}} for an
//     unknown room or waybill number;
//   - payment ids deduplicated per endpoint: a repeated paymentId pays
//     nothing and answers the first transaction id again;
//   - create-parcel deduplicated by waybill number: an existing parcel of
//     the same vendor is answered with 200 and nothing changes, another
//     vendor's with 403 ([OtherVendorToken] is the second vendor);
//   - pickup locations filtered and paged, with meta.pagination, perPage
//     at most 500, and 404 "City or country not found".
//
// Serve it under its URL, which includes Inex's "/api/v1" base path:
//
//	srv := inextest.Start(t) // or NewServer() and Close
//	srv.SeedExamples()       // the customer, parcel and debt of Inex's documentation
//	client, _ := inex.NewClient(inextest.Token, inex.WithBaseURL(srv.URL))
//
// Counters ([Server.DebtPayments], [Server.InvoicePaidCount],
// [Server.TopUps], [Server.ParcelsCreated]) and [Server.Requests] let a test check what really
// happened. A Server is safe for concurrent use.
//
// # Answer shapes
//
// Inex's documents show transactionId both as a number (the example,
// 123456) and as a string (the table, "223IN1233"). The fake answers
// numbers; [WithStringTransactionIDs] switches to strings. Wallet amounts
// are strings of cents, as the table documents; [WithNumericWalletAmounts]
// switches to the numbers of the example.
//
// # Faults
//
// The fault methods of [Server] apply to the next requests whatever their
// route; those of [Server.Route] to one endpoint's, e.g.
// srv.Route("debts/pay").CutAfterNext(1). What the client sees is written
// on each method of [Faults]; every applied fault is counted
// ([Faults.Applied]) and [Server.Reset] clears the queue.
//
// # Where the fake is stricter or looser than Inex's documents
//
// Stricter (the documents do not say what Inex does):
//   - each route answers only its documented method (405 with Laravel's
//     text otherwise; the documents' curl for pay says -X GET, a slip) and
//     a POST needs Content-Type application/json (415);
//   - the Authorization scheme is case-sensitive ("bearer" is refused);
//   - with both roomNumber and waybillNumber the parcel must belong to
//     that customer, else 404;
//   - a body over the limit ([WithMaxBody], 10 MiB by default) is refused
//     with 413 and {"errors":{"general":[MessageTooLarge]},"message":"error"}.
//   - a parcel belongs to the vendor (token) that created it: parcel
//     details and logistic history of another vendor's parcel
//     ([OtherVendorToken]) answer 403, and an unknown waybill number 404
//     with [MessageParcelNotFound] (Inex documents only 200 and 403 for
//     history, nothing for details).
//
// Looser, or the fake's own choice where the documents are silent:
//   - a body that is not JSON (like the documents' example with its
//     trailing comma) reads as no fields, as Laravel reads it, so the
//     answer is the 422 of the missing fields;
//   - query parameters and a JSON body are merged on every route, so the
//     documents' GET debts/detail with a JSON body works as well as the
//     query string;
//   - top-up amount may be a numeric string ("100"), as Laravel's integer
//     rule allows;
//   - a repeated paymentId answers the first transaction id whatever the
//     rest of the body says; debt payments and top-ups keep separate ids;
//   - paying a customer who owes nothing applies a payment of 0 with a new
//     transaction id;
//   - parcel details answer the documented fields only, with
//     receiverPickupLocation null for a parcel without a pickup location;
//     a parcel known only from an invoice or [Server.AddParcel] has status
//     "created" and no sizes;
//   - logistic history names and describes only the events received,
//     pending, arrived and takeout (its own texts; Inex's catalogue is not
//     published), in English, Georgian or Russian by Accept-Language, any
//     other language reading as English; an unknown event id is named by
//     its id; times are written at +04:00;
//   - pickup locations: name matches a part of the name, ignoring case;
//     countryCode and cityName match whole values, ignoring case, and one
//     that no location has answers 404 with [MessageLocationNotFound]
//     (Inex documents the 404, not how it matches); locations keep the
//     order they were added in; a page past the end is empty, and
//     totalPages is at least 1 (Laravel's paginator);
//   - create-parcel answers 201 with the parcel-details shape for a new
//     parcel (Inex's reply example is cut; 200 for an existing parcel of
//     the same vendor and 403 for another vendor's are documented); it
//     validates the documented fields only (the declaration's fields
//     past sourceUrl are cut in the document and accepted as sent), and
//     pickupLocationId must be the locationCode of a pickup location;
//   - the second vendor's token sees the same customers and debts;
//   - no rate limits and no server errors unless injected.
package inextest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/caravanpay/caravan/internal/fakeserver"
)

// Token is the only bearer token the fake accepts.
const Token = "inextest-token"

// BasePath is the path below the server's address that the API lives
// under, as on Inex's own hosts; URL ends with it.
const BasePath = "/api/v1"

// FirstTransactionID is the transaction id of the first payment or top-up
// the fake applies (the number in Inex's example reply); later ones count
// up from it.
const FirstTransactionID = 123456

// The documented error texts.
const (
	// MessageUnauthorized is the general error of a 403 reply.
	MessageUnauthorized = "You are not authorized to perform this action. Contact administrator."
	// MessageNotFound is the general error of a 404 reply.
	MessageNotFound = "Requested customer not found"
	// MessageTooLarge is the general error of a 413 reply to a body over
	// the fake's limit (the fake's wording).
	MessageTooLarge = "The request body is too large."
)

// Customer is a customer to seed.
type Customer struct {
	RoomNumber string // e.g. "IG00001"
	FullNameKa string // name in Georgian
	FullNameEn string // name in English
	Balance    int64  // tetri
	Bonus      int64  // tetri
	// Wallet holds foreign-currency balances; nil means USD, EUR and GBP
	// at zero.
	Wallet []WalletBalance
}

// WalletBalance is an amount in cents of a currency.
type WalletBalance struct {
	Amount   int64  // in cents of Currency
	Currency string // "USD", "EUR" or "GBP"
}

// Invoice is an unpaid invoice: part of a customer's debt.
type Invoice struct {
	InvoiceNumber string // e.g. "INV-52446"
	Amount        int64  // tetri
	EarnableBonus int64  // tetri, added to the customer's bonus when paid
	ServiceType   string // e.g. "transportation" (sent as given)
	// WaybillNumber, if set, ties the invoice to a parcel: paying by that
	// waybill number pays it. It is registered as a parcel of the
	// invoice's customer.
	WaybillNumber string
}

// Transaction is a payment or top-up the fake applied (once per payment id).
type Transaction struct {
	ID            string // transaction id, e.g. "123456"
	Kind          string // "debt" or "top-up"
	PaymentID     string // the integrator's paymentId, the idempotency key
	RoomNumber    string // the customer's room number, e.g. "IG00001"
	WaybillNumber string // pay by waybill number only
	Amount        int64  // tetri paid or topped up
}

// Server is a running fake. Create it with NewServer; Close it when done.
type Server struct {
	// URL is the base URL to give the client: the server's address plus
	// BasePath.
	URL string

	srv  *httptest.Server
	core fakeserver.Core

	mu            sync.Mutex
	customers     map[string]*Customer
	parcels       map[string]string  // waybill → room
	parcelInfo    map[string]*Parcel // waybill → parcel (every waybill number of it)
	locations     []PickupLocation
	created       int
	invoices      map[string][]Invoice
	payments      map[string]string // debt paymentId → transaction id
	topUps        map[string]string // top-up paymentId → transaction id
	nextTx        int64
	transactions  []Transaction
	invoicePaid   map[string]int
	stringIDs     bool
	numericWallet bool
}

// NewServer starts a fake with no customers. Close it when done, or use
// [Start] in a test.
func NewServer(opts ...Option) *Server {
	s := &Server{
		customers:   map[string]*Customer{},
		parcels:     map[string]string{},
		parcelInfo:  map[string]*Parcel{},
		invoices:    map[string][]Invoice{},
		payments:    map[string]string{},
		topUps:      map[string]string{},
		invoicePaid: map[string]int{},
		nextTx:      FirstTransactionID,
	}
	for _, o := range opts {
		o(s)
	}
	s.core.TooLarge = func(w http.ResponseWriter, _ *http.Request) {
		writeGeneral(w, http.StatusRequestEntityTooLarge, MessageTooLarge)
	}
	s.srv = httptest.NewServer(s.core.Wrap(http.HandlerFunc(s.serve)))
	s.URL = s.srv.URL + BasePath
	return s
}

// Close shuts the server down. Requests waiting in an injected delay are
// processed at once; Close does not wait the delays out.
func (s *Server) Close() {
	s.core.Close()
	s.srv.Close()
}

// WithStringTransactionIDs makes the fake answer transaction ids as JSON
// strings in the style of the documents' table, "223IN1233", "223IN1234",
// … instead of the numbers of the documents' example (123456, 123457, …).
// A client must accept both.
func WithStringTransactionIDs() Option { return func(s *Server) { s.stringIDs = true } }

// WithNumericWalletAmounts makes the wallet answer amounts as JSON numbers
// of cents, as the documents' example shows (0), instead of the strings
// their table documents ("0"). A client must accept both.
func WithNumericWalletAmounts() Option { return func(s *Server) { s.numericWallet = true } }

// AddCustomer adds a customer, or replaces the one with the same room
// number (keeping its invoices).
func (s *Server) AddCustomer(c Customer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.Wallet = append([]WalletBalance(nil), c.Wallet...)
	s.customers[c.RoomNumber] = &c
}

// AddParcel registers a parcel's waybill number as belonging to a customer.
func (s *Server) AddParcel(waybillNumber, roomNumber string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.parcels[waybillNumber] = roomNumber
	if p, ok := s.parcelInfo[waybillNumber]; ok {
		p.RoomNumber = roomNumber
	}
}

// AddInvoice adds an unpaid invoice to a customer's debt (and registers its
// waybill number, if any, as the customer's parcel).
func (s *Server) AddInvoice(roomNumber string, inv Invoice) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.invoices[roomNumber] = append(s.invoices[roomNumber], inv)
	if inv.WaybillNumber != "" {
		s.parcels[inv.WaybillNumber] = roomNumber
	}
}

// SeedExamples adds the data of Inex's documentation: customer IG00001
// ("Name Lastname", balance 157, bonus 0) owing 1500 tetri in two
// invoices, INV-52446 (1000, transportation, parcel TY7200934421231) and
// INV-52447 (500, homeDelivery).
//
// The parcel has the details of Inex's parcel-details page (waybill
// numbers TY7200934421231 and YT72358DF03423452, 1551 g, 318×684×489 mm,
// from the United States to Tbilisi, pickup location "Isani") with status
// "arrived" (the page's example says "disposed", a parcel no one pays
// for), and a history of three events: received (reason "extraLarge", at
// the page's 2026-03-04T14:02:15+04:00), pending and arrived. The pickup
// locations are Isani (code "200001", a branch in Tbilisi), the
// pickup-locations page's "200058" (a locker in Tbilisi) and "300001" (a
// person in Batumi).
func (s *Server) SeedExamples() {
	s.AddPickupLocation(PickupLocation{LocationCode: "200001", Name: "Isani", Address: "Isani, Atskuri Street #45",
		Phone: "(0322) 2222222", Latitude: 56.961032, Longitude: 94.614571, PostalCode: "Isani",
		CountryName: "Georgia", CountryCode: "GE", City: "Tbilisi", FacilityType: "branch"})
	s.AddPickupLocation(PickupLocation{LocationCode: "200058", Name: "Vake locker", Address: "Chavchavadze Avenue 1",
		Phone: "(0322) 2222223", Latitude: -23.896331, Longitude: -123.077118, PostalCode: "05572",
		CountryName: "Georgia", CountryCode: "GE", City: "Tbilisi", FacilityType: "locker"})
	s.AddPickupLocation(PickupLocation{LocationCode: "300001", Name: "Nino Beridze", Address: "Rustaveli Street 10",
		Phone: "(0422) 2222224", Latitude: 41.6168, Longitude: 41.6367, PostalCode: "6000",
		CountryName: "Georgia", CountryCode: "GE", City: "Batumi", FacilityType: "individualPerson"})
	received := time.Date(2026, 3, 4, 14, 2, 15, 0, tbilisi)
	s.AddParcelDetail(Parcel{
		WaybillNumbers: []string{"TY7200934421231", "YT72358DF03423452"}, RoomNumber: "IG00001",
		Status: "arrived", Weight: 1551, Length: 318, Height: 684, Width: 489,
		SenderCountry: "United States", SenderCountryCode: "US", ReceiverCity: "Tbilisi", PickupLocationCode: "200001",
		History: []Event{
			{EventID: "received", ReasonID: "extraLarge", Country: "United States", City: "New Castle", HappenedAt: received},
			{EventID: "pending", Country: "United States", City: "New Castle", HappenedAt: received.Add(26 * time.Hour)},
			{EventID: "arrived", Message: "Ready for pickup", Country: "Georgia", City: "Tbilisi", HappenedAt: received.Add(6 * 24 * time.Hour)},
		},
	})
	s.AddCustomer(Customer{RoomNumber: "IG00001", FullNameKa: "სახელი გვარი", FullNameEn: "Name Lastname", Balance: 157})
	s.mu.Lock()
	delete(s.invoices, "IG00001")
	s.mu.Unlock()
	s.AddInvoice("IG00001", Invoice{InvoiceNumber: "INV-52446", Amount: 1000, EarnableBonus: 79,
		ServiceType: "Transportation", WaybillNumber: "TY7200934421231"})
	s.AddInvoice("IG00001", Invoice{InvoiceNumber: "INV-52447", Amount: 500, EarnableBonus: 0, ServiceType: "homeDelivery"})
}

// Debt returns a customer's unpaid total in tetri.
func (s *Server) Debt(roomNumber string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var total int64
	for _, inv := range s.invoices[roomNumber] {
		total += inv.Amount
	}
	return total
}

// Customer returns a copy of a customer's current state.
func (s *Server) Customer(roomNumber string) (Customer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.customers[roomNumber]
	if !ok {
		return Customer{}, false
	}
	out := *c
	out.Wallet = append([]WalletBalance(nil), c.Wallet...)
	return out, true
}

// DebtPayments counts the debt payments applied to a customer: a payment
// id answered again from the deduplication record does not count. Inex
// does not document paying a customer who owes nothing; the fake applies
// it as a payment of 0 with a new transaction id, and counts it.
func (s *Server) DebtPayments(roomNumber string) int { return s.count("debt", roomNumber) }

// TopUps counts the balance top-ups applied to a customer.
func (s *Server) TopUps(roomNumber string) int { return s.count("top-up", roomNumber) }

func (s *Server) count(kind, room string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, t := range s.transactions {
		if t.Kind == kind && t.RoomNumber == room {
			n++
		}
	}
	return n
}

// InvoicePaidCount counts how many times an invoice was paid; more than
// once would be a double payment.
func (s *Server) InvoicePaidCount(invoiceNumber string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.invoicePaid[invoiceNumber]
}

// Transactions returns the payments and top-ups applied, oldest first.
func (s *Server) Transactions() []Transaction {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Transaction(nil), s.transactions...)
}

// route is one endpoint of the API.
type route struct {
	method string
	prefix string // the path, or its part before the {roomNumber} segment
	param  bool   // the path ends with one {roomNumber} segment
	handle func(s *Server, w http.ResponseWriter, r *http.Request, in input, param string)
}

var routes = []route{
	{http.MethodPost, "/integrators/payments/debts/pay", false, (*Server).payDebt},
	{http.MethodGet, "/integrators/payments/debts/detail", false, (*Server).debtDetail},
	{http.MethodPost, "/integrators/payments/balance/top-up", false, (*Server).topUp},
	{http.MethodGet, "/integrators/users/detail/", true, (*Server).customer},
	{http.MethodGet, "/integrators/payments/wallet/", true, (*Server).wallet},
	{http.MethodGet, "/integrators/parcels/detail/", true, (*Server).parcelDetail},
	{http.MethodGet, "/integrators/logistics/history/", true, (*Server).logisticHistory},
	{http.MethodGet, "/integrators/locations/pickup-locations", false, (*Server).pickupLocations},
	{http.MethodPost, "/integrators/parcels/create", false, (*Server).createParcel},
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	p, ok := strings.CutPrefix(r.URL.Path, BasePath)
	var rt *route
	var param string
	if ok {
		for i := range routes {
			c := &routes[i]
			if !c.param && p == c.prefix {
				rt = c
				break
			}
			if rest, found := strings.CutPrefix(p, c.prefix); c.param && found && rest != "" && !strings.Contains(rest, "/") {
				rt, param = c, rest
				break
			}
		}
	}
	routeName := strings.TrimPrefix(r.URL.Path, "/")
	if rt == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "The route " + routeName + " could not be found."})
		return
	}
	if r.Method != rt.method && !(rt.method == http.MethodGet && r.Method == http.MethodHead) {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"message": fmt.Sprintf(
			"The %s method is not supported for route %s. Supported methods: %s.", r.Method, routeName, rt.method)})
		return
	}
	if auth := r.Header.Get("Authorization"); auth != "Bearer "+Token && auth != "Bearer "+OtherVendorToken {
		writeGeneral(w, http.StatusForbidden, MessageUnauthorized)
		return
	}
	if rt.method == http.MethodPost {
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt != "application/json" {
			writeJSON(w, http.StatusUnsupportedMediaType, map[string]string{"message": "The request body must be JSON (Content-Type: application/json)."})
			return
		}
	}
	rt.handle(s, w, r, readInput(r), param)
}

// input is the request's parameters as Laravel sees them: the query
// string merged with a JSON body. A body that is not valid JSON (like the
// documentation's example with its trailing comma) reads as no fields.
type input map[string]any

func readInput(r *http.Request) input {
	in := input{}
	for k, vs := range r.URL.Query() {
		if len(vs) > 0 {
			in[k] = vs[len(vs)-1]
		}
	}
	var body bytes.Buffer
	_, _ = body.ReadFrom(r.Body)
	if len(bytes.TrimSpace(body.Bytes())) > 0 {
		dec := json.NewDecoder(&body)
		dec.UseNumber()
		var m map[string]any
		if dec.Decode(&m) == nil && !dec.More() {
			for k, v := range m {
				in[k] = v
			}
		}
	}
	// Laravel trims strings and turns empty ones into null.
	for k, v := range in {
		if str, ok := v.(string); ok {
			if str = strings.TrimSpace(str); str == "" {
				in[k] = nil
			} else {
				in[k] = str
			}
		}
	}
	return in
}

func (in input) present(k string) bool { return in[k] != nil }

func (in input) str(k string) string {
	s, _ := in[k].(string)
	return s
}

// validation collects Laravel's messages, in rule order.
type validation struct {
	fields []string
	msgs   map[string][]string
}

func (v *validation) add(field, msg string) {
	if v.msgs == nil {
		v.msgs = map[string][]string{}
	}
	if _, ok := v.msgs[field]; !ok {
		v.fields = append(v.fields, field)
	}
	v.msgs[field] = append(v.msgs[field], msg)
}

// attribute is Laravel's display name of a field: paymentId → "payment id".
func attribute(field string) string {
	var b strings.Builder
	for i, r := range field {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte(' ')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (v *validation) stringField(in input, field string) {
	if in.present(field) {
		if _, ok := in[field].(string); !ok {
			v.add(field, "The "+attribute(field)+" field must be a string.")
		}
	}
}

func (v *validation) roomOrWaybill(in input) {
	for _, pair := range [][2]string{{"roomNumber", "waybillNumber"}, {"waybillNumber", "roomNumber"}} {
		if !in.present(pair[0]) && !in.present(pair[1]) {
			v.add(pair[0], fmt.Sprintf("The %s field is required when %s is not present.", attribute(pair[0]), attribute(pair[1])))
			continue
		}
		v.stringField(in, pair[0])
	}
}

func (v *validation) required(in input, field string) bool {
	if !in.present(field) {
		v.add(field, "The "+attribute(field)+" field is required.")
		return false
	}
	return true
}

func (v *validation) paymentID(in input) {
	if !v.required(in, "paymentId") {
		return
	}
	v.stringField(in, "paymentId")
	if s, ok := in["paymentId"].(string); ok && utf8.RuneCountInString(s) > 255 {
		v.add("paymentId", "The payment id field must not be greater than 255 characters.")
	}
}

func (v *validation) amount(in input) {
	if !v.required(in, "amount") {
		return
	}
	var text string
	switch a := in["amount"].(type) {
	case json.Number:
		text = a.String()
	case string:
		text = a
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		v.add("amount", "The amount field must be an integer.")
		return
	}
	if n < 1 {
		v.add("amount", "The amount field must be at least 1.")
	}
	if n > 1000000 {
		v.add("amount", "The amount field must not be greater than 1000000.")
	}
}

// fail writes the 422 reply, or Laravel's redirect for a client that did
// not ask for JSON. It reports whether there were errors.
func (v *validation) fail(w http.ResponseWriter, r *http.Request) bool {
	if len(v.fields) == 0 {
		return false
	}
	if !wantsJSON(r) {
		w.Header().Set("Location", "http://"+r.Host+"/")
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		w.WriteHeader(http.StatusFound)
		_, _ = fmt.Fprintf(w, "<!DOCTYPE html><html><head><meta http-equiv=\"refresh\" content=\"0;url='http://%s/'\" /><title>Redirecting to http://%[1]s/</title></head><body>Redirecting to <a href=\"http://%[1]s/\">http://%[1]s/</a>.</body></html>", r.Host)
		return true
	}
	total := 0
	for _, f := range v.fields {
		total += len(v.msgs[f])
	}
	message := v.msgs[v.fields[0]][0]
	switch more := total - 1; {
	case more == 1:
		message += " (and 1 more error)"
	case more > 1:
		message += fmt.Sprintf(" (and %d more errors)", more)
	}
	var b bytes.Buffer
	b.WriteString(`{"message":`)
	b.Write(mustJSON(message))
	b.WriteString(`,"errors":{`)
	for i, f := range v.fields {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(mustJSON(f))
		b.WriteByte(':')
		b.Write(mustJSON(v.msgs[f]))
	}
	b.WriteString("}}")
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusUnprocessableEntity)
	_, _ = w.Write(b.Bytes())
	return true
}

// wantsJSON is Laravel's test: the first Accept type mentions JSON.
func wantsJSON(r *http.Request) bool {
	first, _, _ := strings.Cut(r.Header.Get("Accept"), ",")
	return strings.Contains(first, "/json") || strings.Contains(first, "+json")
}

// lookup finds the customer a room or waybill number selects, and the
// indexes of the invoices it selects: by room number the customer's whole
// debt, by waybill number alone the parcel's invoices. With both, the
// parcel must belong to the customer. Unknown numbers get the 404; s.mu
// must be held.
func (s *Server) lookup(w http.ResponseWriter, room, waybill string) (string, []int, bool) {
	byRoom := room != ""
	if waybill != "" {
		owner, ok := s.parcels[waybill]
		if !ok || (byRoom && owner != room) {
			writeGeneral(w, http.StatusNotFound, MessageNotFound)
			return "", nil, false
		}
		room = owner
	}
	if _, ok := s.customers[room]; !ok {
		writeGeneral(w, http.StatusNotFound, MessageNotFound)
		return "", nil, false
	}
	var idx []int
	for i, inv := range s.invoices[room] {
		if byRoom || inv.WaybillNumber == waybill {
			idx = append(idx, i)
		}
	}
	return room, idx, true
}

func (s *Server) payDebt(w http.ResponseWriter, r *http.Request, in input, _ string) {
	var v validation
	v.roomOrWaybill(in)
	v.paymentID(in)
	if v.fail(w, r) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	pid := in.str("paymentId")
	if tx, ok := s.payments[pid]; ok {
		s.writeTransaction(w, tx)
		return
	}
	room, idx, ok := s.lookup(w, in.str("roomNumber"), in.str("waybillNumber"))
	if !ok {
		return
	}
	var paid int64
	var remaining []Invoice
	selected := map[int]bool{}
	for _, i := range idx {
		selected[i] = true
	}
	c := s.customers[room]
	for i, inv := range s.invoices[room] {
		if !selected[i] {
			remaining = append(remaining, inv)
			continue
		}
		paid += inv.Amount
		c.Bonus += inv.EarnableBonus
		s.invoicePaid[inv.InvoiceNumber]++
	}
	s.invoices[room] = remaining
	tx := s.newTransaction(Transaction{Kind: "debt", PaymentID: pid, RoomNumber: room,
		WaybillNumber: in.str("waybillNumber"), Amount: paid})
	s.payments[pid] = tx
	s.writeTransaction(w, tx)
}

func (s *Server) topUp(w http.ResponseWriter, r *http.Request, in input, _ string) {
	var v validation
	if v.required(in, "roomNumber") {
		v.stringField(in, "roomNumber")
	}
	v.amount(in)
	v.paymentID(in)
	if v.fail(w, r) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	pid := in.str("paymentId")
	if tx, ok := s.topUps[pid]; ok {
		s.writeTransaction(w, tx)
		return
	}
	c, ok := s.customers[in.str("roomNumber")]
	if !ok {
		writeGeneral(w, http.StatusNotFound, MessageNotFound)
		return
	}
	amount := parseAmount(in["amount"])
	c.Balance += amount
	tx := s.newTransaction(Transaction{Kind: "top-up", PaymentID: pid, RoomNumber: c.RoomNumber, Amount: amount})
	s.topUps[pid] = tx
	s.writeTransaction(w, tx)
}

func parseAmount(v any) int64 {
	var text string
	switch a := v.(type) {
	case json.Number:
		text = a.String()
	case string:
		text = a
	}
	n, _ := strconv.ParseInt(text, 10, 64)
	return n
}

// newTransaction records t with the next id; s.mu must be held.
func (s *Server) newTransaction(t Transaction) string {
	if s.stringIDs {
		t.ID = "223IN" + strconv.FormatInt(s.nextTx-FirstTransactionID+1233, 10)
	} else {
		t.ID = strconv.FormatInt(s.nextTx, 10)
	}
	s.nextTx++
	s.transactions = append(s.transactions, t)
	return t.ID
}

func (s *Server) debtDetail(w http.ResponseWriter, r *http.Request, in input, _ string) {
	var v validation
	v.roomOrWaybill(in)
	if v.fail(w, r) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	room, idx, ok := s.lookup(w, in.str("roomNumber"), in.str("waybillNumber"))
	if !ok {
		return
	}
	type invoiceJSON struct {
		InvoiceNumber string `json:"invoiceNumber"`
		Amount        int64  `json:"amount"`
		EarnableBonus int64  `json:"earnableBonus"`
		ServiceType   string `json:"serviceType"`
	}
	invoices := []invoiceJSON{}
	var total int64
	for _, i := range idx {
		inv := s.invoices[room][i]
		total += inv.Amount
		invoices = append(invoices, invoiceJSON{inv.InvoiceNumber, inv.Amount, inv.EarnableBonus, inv.ServiceType})
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{
		"totalDebt": total, "currency": "GEL", "invoices": invoices,
	}})
}

func (s *Server) customer(w http.ResponseWriter, _ *http.Request, _ input, room string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.customers[room]
	if !ok {
		writeGeneral(w, http.StatusNotFound, MessageNotFound)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{
		"roomNumber": c.RoomNumber, "balance": c.Balance, "bonus": c.Bonus,
		"fullNameKa": c.FullNameKa, "fullNameEn": c.FullNameEn,
	}})
}

// wallet answers amounts as strings of cents, as Inex's table documents,
// or as numbers, as its example shows, with [WithNumericWalletAmounts].
func (s *Server) wallet(w http.ResponseWriter, _ *http.Request, _ input, room string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.customers[room]
	if !ok {
		writeGeneral(w, http.StatusNotFound, MessageNotFound)
		return
	}
	wallet := c.Wallet
	if wallet == nil {
		wallet = []WalletBalance{{0, "USD"}, {0, "EUR"}, {0, "GBP"}}
	}
	type entry struct {
		Amount   json.RawMessage `json:"amount"`
		Currency string          `json:"currency"`
	}
	out := make([]entry, 0, len(wallet))
	for _, b := range wallet {
		amount := strconv.FormatInt(b.Amount, 10)
		if !s.numericWallet {
			amount = `"` + amount + `"`
		}
		out = append(out, entry{json.RawMessage(amount), b.Currency})
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": out})
}

// writeTransaction answers {"data":{"transactionId":123456}}, a number as
// in Inex's example, or {"data":{"transactionId":"223IN1233"}} with
// [WithStringTransactionIDs].
func (s *Server) writeTransaction(w http.ResponseWriter, tx string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	if s.stringIDs {
		_, _ = fmt.Fprintf(w, `{"data":{"transactionId":%s}}`, mustJSON(tx))
		return
	}
	_, _ = fmt.Fprintf(w, `{"data":{"transactionId":%s}}`, tx)
}

// writeGeneral writes Inex's own error shape.
func writeGeneral(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, `{"errors":{"general":[%s]},"message":"error"}`, mustJSON(msg))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(mustJSON(v))
}

func mustJSON(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return bytes.TrimRight(b.Bytes(), "\n")
}
