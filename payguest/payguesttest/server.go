// Package payguesttest is a fake Tillypad XL pay-guest server for tests,
// examples and your own services' tests: no restaurant server needed.
//
//	srv := payguesttest.NewServer()
//	defer srv.Close()
//	srv.AddBill(payguesttest.Bill{ID: billID, Open: "1240.00"})
//	client, _ := payguest.NewClient(payguest.WithBaseURL(srv.URL))
//
// # The model
//
// A [Bill] is a guest bill. Its items are either not sent for payment yet
// (their total is Bill.Open) or grouped into prechecks (пречеки), each a
// [Precheck] with a sum and a state: [PrecheckPrinted] (sent for payment,
// payment not started), [PrecheckPaymentStarted] (payment started, no check
// yet) or [PrecheckPaid] (a check «Оплачен» exists). The bill's total is
// Open plus the prechecks' sums.
//
// POST /pay-guest applies, in this order, all or nothing:
//
//  1. The protocol: the path, POST, Content-Type application/json, a JSON
//     body with Payment.gest_ID a GUID, amounts JSON numbers ≥ 0, type ids
//     GUIDs, delete-prechecks 0, 1 or 2 when present. The bill is looked up
//     by gest_ID, case-insensitively.
//  2. The delete-prechecks mode (absent counts as 0):
//     0 keeps the prechecks; if Open is zero: «Счет уже передан в оплату».
//     1 fails with «Счет уже оплачен» if any precheck is paid, else moves
//     every precheck's sum back to Open.
//     2 moves every precheck that is not paid back to Open (cancelled or
//     deleted); if Open is still zero: «Счет уже оплачен» when a precheck is
//     paid, else «Счет уже передан в оплату».
//  3. The pay type: without payType_ID the bill needs a PrepaidPayTypeID,
//     else «Для проведения оплаты должен присутствовать либо payType_ID,
//     либо gsdlv_pytp_ID_Prepaid». A payType_ID becomes the bill's
//     PrepaidPayTypeID.
//  4. Points: a DiscountSum is noted on the bill (replacing an earlier
//     one; a request without DiscountSum keeps the noted one). When points
//     are configured (the default; see [Server.DisablePoints]) the applied
//     discount is the noted sum, at most Open.
//  5. Payment, when paySum is present: it must equal Open less the applied
//     discount, else «Сумма интернет-оплаты не может отличаться от итоговой
//     суммы счета». Then Open becomes a paid precheck, Open becomes zero and
//     a [Payment] is recorded. Without paySum nothing is paid.
//
// POST /post-guest creates a bill from the request's orders: its Open is
// Σ orit_Count × orit_Price, its PrepaidPayTypeID the request's
// guestDeliveries.gsdlv_pytp_ID_Prepaid, its id [FirstPostedBillID] and
// the next ones counting up; it answers {"gest_ID":"…"}, and
// [Server.PostedBills] keeps what was posted. /pay-guest then pays it like
// any bill. Every post creates a new bill: the call is not idempotent.
//
// The GET routes /get-discount-point-types, /get-divisions and
// /get-purse-types answer the lists seeded with
// [Server.AddDiscountPointType], [Server.AddDivision],
// [Server.AddPurseType] or [Server.AddExampleReferenceData].
//
// The reply is {"DiscountSums":[…],"AppliedDiscountSums":[…]}: the declared
// discount with the request's type_ID (or the configured points type) and
// the applied discount with the configured points type, as in the document;
// AppliedDiscountSums is left out when points are not configured. Errors
// are bare JSON strings with status 400, or the status set with
// [Server.SetErrorStatus] (200 mimics servers that answer errors with 200).
// An unknown bill is «Гостевой счет не найден» with that status too.
//
// # Faults
//
// The fault methods of [Server] apply to the next requests whatever their
// route; those of [Server.Route] to one endpoint's, e.g.
// srv.Route("pay-guest").CutAfterNext(1). What the client sees is written
// on each method of [Faults]; every applied fault is counted
// ([Faults.Applied]) and [Server.Reset] clears the queue. [Start] starts a
// fake that a test closes by itself.
//
// # Where the fake is stricter or looser than the document
//
// Stricter (the document does not say what Tillypad does):
//   - keys are spelled exactly as the document spells them (Payment,
//     gest_ID, paySum, payType_ID, DiscountSum, type_ID, sum); any other
//     key, a mis-cased one like "GEST_ID" or "PAYSUM" included, is refused
//     with «Неизвестное поле: …», so a misspelled paySum never turns a
//     payment into a no-op;
//   - the body must be exactly one JSON object: anything after it is
//     refused;
//   - amounts must be JSON numbers ≥ 0 (a string is refused), ids GUIDs;
//   - the path, POST (405) and Content-Type application/json (415) are
//     checked;
//   - a body over the limit ([WithMaxBody], 10 MiB by default) is refused
//     with 413 and the bare JSON string [TextTooLarge], never cut.
//
// Looser, or the fake's own choice where the document is silent:
//   - the error status (400, or [WithErrorStatus]) and the texts of
//     errors the document does not quote ([TextAlreadyPaid],
//     [TextBillNotFound], the protocol errors) are the fake's;
//   - gest_ID is compared case-insensitively;
//   - post-guest reads only what it needs (gest_Name, gest_dvsn_ID,
//     gest_ClientAddress, guestDeliveries.gsdlv_pytp_ID_Prepaid, the order
//     items' orit_mitm_ID, orit_Count and orit_Price, numbers or numeric
//     strings alike) and accepts any other key, since the document shows
//     only the start of an example; it refuses a bill without orders or
//     items ([TextNoOrders]) or with an unreadable item
//     ([TextBadOrderItem]), its own wording; gest_dvsn_ID and the other
//     ids are not checked against the reference lists;
//   - the reference lists (GET /get-discount-point-types …) hold what was
//     seeded ([Server.AddExampleReferenceData] for the document's
//     examples), in that order, and answer any query string alike;
//     PayGuest's DiscountSum.type_ID is not checked against the discount
//     point types;
//   - no authentication unless [Server.RequireHeader] asks for a header.
package payguesttest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/caravanpay/caravan/internal/fakeserver"
	"github.com/caravanpay/caravan/internal/transport"
)

// Ids and amounts of the example bill that [Server.AddExampleBill] seeds.
const (
	// PointsTypeID is the points discount type the fake's module settings
	// use by default, the seed's AppliedDiscountSums type.
	PointsTypeID = "0412C97B-AF11-2447-88D9-B40FA0EB996D"
	// DeclaredPointsTypeID is the type in the seed's DiscountSums example.
	DeclaredPointsTypeID = "60D367B5-15D2-D24D-8A74-A28F40C8CB9D"
	// ExampleBillID is the example bill's gest_ID.
	ExampleBillID = "3F2504E0-4F89-11D3-9A0C-0305E82C3301"
	// ExamplePayTypeID is a pay type id for the example bill ("internet payment").
	ExamplePayTypeID = "7C9E6679-7425-40DE-944B-E07FC1F90AE7"
	// ExampleBillTotal is the example bill's total, nothing sent for payment.
	ExampleBillTotal = "1240.50"
)

// The error texts the fake answers with. The first, third and fourth are
// the document's; it does not quote the "already paid" text, so
// TextAlreadyPaid is the fake's wording.
const (
	TextAlreadySentForPayment = "Счет уже передан в оплату"
	TextAlreadyPaid           = "Счет уже оплачен"
	TextAmountMismatch        = "Сумма интернет-оплаты не может отличаться от итоговой суммы счета"
	TextNoPayType             = "Для проведения оплаты должен присутствовать либо payType_ID, либо gsdlv_pytp_ID_Prepaid"
	TextBillNotFound          = "Гостевой счет не найден"
	// TextNoOrders answers a new bill without orders or an order without
	// items; TextBadOrderItem one whose item lacks orit_mitm_ID or has a
	// count or price that is not a number ≥ 0 (the fake's wording).
	TextNoOrders     = "Гостевой счет не содержит заказов"
	TextBadOrderItem = "Некорректная позиция заказа"
	// TextTooLarge answers, with status 413, a body over the fake's limit.
	TextTooLarge = "Размер запроса превышает допустимый"
)

// PrecheckState is the state of a precheck.
type PrecheckState int

const (
	// PrecheckPrinted is sent for payment; its payment has not started.
	PrecheckPrinted PrecheckState = iota + 1
	// PrecheckPaymentStarted has a payment in progress but no check.
	PrecheckPaymentStarted
	// PrecheckPaid has a check «Оплачен».
	PrecheckPaid
)

// String names the state.
func (s PrecheckState) String() string {
	switch s {
	case PrecheckPrinted:
		return "printed"
	case PrecheckPaymentStarted:
		return "payment started"
	case PrecheckPaid:
		return "paid"
	}
	return fmt.Sprintf("PrecheckState(%d)", int(s))
}

// Precheck is a part of a bill sent for payment.
type Precheck struct {
	Sum       string        // decimal amount, e.g. "300.00"
	State     PrecheckState // printed, payment started or paid
	PayTypeID string        // the pay type of a precheck the fake paid
}

// Bill is a guest bill (гостевой счёт).
type Bill struct {
	ID               string     // gest_ID, a GUID
	Open             string     // total of the items not sent for payment; "" is 0
	Prechecks        []Precheck // the parts sent for payment
	PrepaidPayTypeID string     // gsdlv_pytp_ID_Prepaid; "" for none
	DiscountSum      string     // the points discount noted on the bill; "" for none
	DiscountTypeID   string     // its declared type
}

// Payment is one payment the fake made.
type Payment struct {
	BillID        string // the bill's ID as seeded
	Sum           string // paySum as sent
	PayTypeID     string // the pay type used
	PointsApplied string // the points discount applied, "0" for none
}

// Server is a fake pay-guest server. It is safe for concurrent use.
type Server struct {
	// URL is the base URL to pass to payguest.NewClient.
	URL string

	core fakeserver.Core
	srv  *httptest.Server

	mu         sync.Mutex
	bills      map[string]*bill // by upper-case id
	payments   []Payment
	pointsOn   bool
	pointsType string
	errStatus  int
	authHeader string
	authValue  string

	pointTypes []DiscountPointType
	divisions  []Division
	purseTypes []PurseType
	posted     []PostedBill
}

type bill struct {
	id           string
	open         *big.Rat
	prechecks    []precheck
	prepaid      string
	discount     string
	discountType string
}

type precheck struct {
	sum     *big.Rat
	state   PrecheckState
	payType string
}

// NewServer starts a fake with no bills, points configured with
// [PointsTypeID], errors answered with status 400 and no authentication.
// Close it when done, or use [Start] in a test.
func NewServer(opts ...Option) *Server {
	s := &Server{bills: map[string]*bill{}, pointsOn: true, pointsType: PointsTypeID, errStatus: http.StatusBadRequest}
	for _, o := range opts {
		o(s)
	}
	s.core.TooLarge = func(w http.ResponseWriter, _ *http.Request) {
		s.fail(w, http.StatusRequestEntityTooLarge, TextTooLarge)
	}
	s.srv = httptest.NewServer(s.core.Wrap(http.HandlerFunc(s.handle)))
	s.URL = s.srv.URL
	return s
}

// WithErrorStatus sets the HTTP status of error replies (default 400), as
// [Server.SetErrorStatus] does.
func WithErrorStatus(status int) Option { return func(s *Server) { s.errStatus = status } }

// WithoutPoints starts the fake with the points discount off, as
// [Server.DisablePoints] does.
func WithoutPoints() Option { return func(s *Server) { s.pointsOn = false } }

// Close shuts the server down. Requests waiting in an injected delay are
// processed at once; Close does not wait the delays out.
func (s *Server) Close() {
	s.core.Close()
	s.srv.Close()
}

// AddBill adds or replaces a bill. It panics on a malformed id or amount:
// that is a bug in the test.
func (s *Server) AddBill(b Bill) {
	if !transport.IsUUID(b.ID) {
		panic(fmt.Sprintf("payguesttest: bill id %q is not a GUID", b.ID))
	}
	nb := &bill{id: b.ID, open: mustRat(b.Open), prepaid: b.PrepaidPayTypeID,
		discount: b.DiscountSum, discountType: b.DiscountTypeID}
	if b.DiscountSum != "" {
		mustRat(b.DiscountSum)
	}
	for _, p := range b.Prechecks {
		if p.State < PrecheckPrinted || p.State > PrecheckPaid {
			panic(fmt.Sprintf("payguesttest: precheck state %d is not one of the PrecheckState constants", int(p.State)))
		}
		nb.prechecks = append(nb.prechecks, precheck{sum: mustRat(p.Sum), state: p.State, payType: p.PayTypeID})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bills[strings.ToUpper(b.ID)] = nb
}

// AddExampleBill seeds the example bill: [ExampleBillID] with
// [ExampleBillTotal] not yet sent for payment and no prepaid pay type.
func (s *Server) AddExampleBill() {
	s.AddBill(Bill{ID: ExampleBillID, Open: ExampleBillTotal})
}

// Bill returns a snapshot of a bill, looked up case-insensitively.
func (s *Server) Bill(id string) (Bill, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.bills[strings.ToUpper(id)]
	if !ok {
		return Bill{}, false
	}
	out := Bill{ID: b.id, Open: format(b.open), PrepaidPayTypeID: b.prepaid,
		DiscountSum: b.discount, DiscountTypeID: b.discountType}
	for _, p := range b.prechecks {
		out.Prechecks = append(out.Prechecks, Precheck{Sum: format(p.sum), State: p.state, PayTypeID: p.payType})
	}
	return out, true
}

// Payments returns every payment made so far, oldest first.
func (s *Server) Payments() []Payment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Payment(nil), s.payments...)
}

// PaidCount says how many times the bill was paid through the API.
func (s *Server) PaidCount(billID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, p := range s.payments {
		if strings.EqualFold(p.BillID, billID) {
			n++
		}
	}
	return n
}

// SetPoints configures the points discount with typeID ("" keeps
// [PointsTypeID]): replies carry AppliedDiscountSums.
func (s *Server) SetPoints(typeID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if typeID == "" {
		typeID = PointsTypeID
	}
	s.pointsOn, s.pointsType = true, typeID
}

// DisablePoints turns the points discount off: no discount is applied and
// replies leave AppliedDiscountSums out.
func (s *Server) DisablePoints() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pointsOn = false
}

// SetErrorStatus sets the HTTP status of error replies (default 400).
// Use 200 to mimic servers that answer their error strings with 200.
func (s *Server) SetErrorStatus(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.errStatus = status
}

// RequireHeader makes the fake act like an authenticating proxy: requests
// without the header and value get 401 with a plain-text body.
func (s *Server) RequireHeader(name, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.authHeader, s.authValue = name, value
}

type wireRequest struct {
	Payment *struct {
		GestID    *string         `json:"gest_ID"`
		PaySum    json.RawMessage `json:"paySum"`
		PayTypeID *string         `json:"payType_ID"`
	} `json:"Payment"`
	DiscountSum *struct {
		TypeID *string         `json:"type_ID"`
		Sum    json.RawMessage `json:"sum"`
	} `json:"DiscountSum"`
}

type wireSum struct {
	TypeID string          `json:"type_ID,omitempty"`
	Sum    json.RawMessage `json:"sum"`
}

type wireReply struct {
	DiscountSums        []wireSum  `json:"DiscountSums"`
	AppliedDiscountSums *[]wireSum `json:"AppliedDiscountSums,omitempty"`
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.authHeader != "" && r.Header.Get(s.authHeader) != s.authValue {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, "401 Unauthorized")
		return
	}
	if get, ok := s.reads()[r.URL.Path]; ok {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", http.MethodGet)
			s.fail(w, http.StatusMethodNotAllowed, "Метод не поддерживается")
			return
		}
		writeList(w, get())
		return
	}
	if r.URL.Path == "/post-guest" {
		s.postGuest(w, r)
		return
	}
	if r.URL.Path != "/pay-guest" {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		s.fail(w, http.StatusMethodNotAllowed, "Метод не поддерживается")
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		s.fail(w, http.StatusUnsupportedMediaType, "Content-Type должен быть application/json")
		return
	}
	mode := 0
	if q := r.URL.Query(); q.Has("delete-prechecks") {
		switch q.Get("delete-prechecks") {
		case "0", "1", "2":
			mode = int(q.Get("delete-prechecks")[0] - '0')
		default:
			s.fail(w, s.errStatus, "Некорректное значение delete-prechecks")
			return
		}
	}
	var req wireRequest
	body, _ := io.ReadAll(r.Body)
	if text := decodeStrict(body, &req); text != "" {
		s.fail(w, s.errStatus, text)
		return
	}
	reply, text := s.pay(&req, mode)
	if text != "" {
		s.fail(w, s.errStatus, text)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(reply)
}

// wireKeys are the keys each object of a request may have, spelled
// exactly.
var wireKeys = map[string]map[string]bool{
	"":            {"Payment": true, "DiscountSum": true},
	"Payment":     {"gest_ID": true, "paySum": true, "payType_ID": true},
	"DiscountSum": {"type_ID": true, "sum": true},
}

// decodeStrict decodes one JSON object with exactly spelled keys and
// nothing after it; it returns the error text, or "".
func decodeStrict(body []byte, req *wireRequest) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	var top map[string]json.RawMessage
	if err := dec.Decode(&top); err != nil {
		return "Некорректный JSON: " + err.Error()
	}
	if _, err := dec.Token(); err != io.EOF {
		return "Некорректный JSON: лишние данные после объекта"
	}
	if top == nil {
		return "Некорректный JSON: ожидается объект"
	}
	for k, raw := range top {
		if !wireKeys[""][k] {
			return "Неизвестное поле: " + k
		}
		var inner map[string]json.RawMessage
		if json.Unmarshal(raw, &inner) != nil {
			return "Некорректный JSON: " + k + " должен быть объектом"
		}
		for ik := range inner {
			if !wireKeys[k][ik] {
				return "Неизвестное поле: " + k + "." + ik
			}
		}
	}
	if err := json.Unmarshal(body, req); err != nil {
		return "Некорректный JSON: " + err.Error()
	}
	return ""
}

// pay applies the request to its bill, all or nothing, and returns the
// reply or an error text. s.mu is held.
func (s *Server) pay(req *wireRequest, mode int) (*wireReply, string) {
	p := req.Payment
	if p == nil || p.GestID == nil {
		return nil, "Не указан Payment.gest_ID"
	}
	if !transport.IsUUID(*p.GestID) {
		return nil, "Некорректный gest_ID"
	}
	var paySum *big.Rat
	if len(p.PaySum) > 0 && string(p.PaySum) != "null" {
		var ok bool
		if paySum, ok = amount(p.PaySum); !ok {
			return nil, "Некорректная сумма paySum"
		}
	}
	payType := ""
	if p.PayTypeID != nil && *p.PayTypeID != "" {
		if !transport.IsUUID(*p.PayTypeID) {
			return nil, "Некорректный payType_ID"
		}
		payType = *p.PayTypeID
	}
	var discount, discountType string
	if d := req.DiscountSum; d != nil {
		if _, ok := amount(d.Sum); !ok {
			return nil, "Некорректная сумма DiscountSum.sum"
		}
		discount = string(d.Sum)
		if d.TypeID != nil && *d.TypeID != "" {
			if !transport.IsUUID(*d.TypeID) {
				return nil, "Некорректный DiscountSum.type_ID"
			}
			discountType = *d.TypeID
		}
	}
	b, ok := s.bills[strings.ToUpper(*p.GestID)]
	if !ok {
		return nil, TextBillNotFound
	}

	// Work on a copy; commit only on success.
	open := new(big.Rat).Set(b.open)
	var kept []precheck
	anyPaid := false
	for _, pc := range b.prechecks {
		if pc.state == PrecheckPaid {
			anyPaid = true
		}
	}
	switch mode {
	case 0:
		kept = b.prechecks
		if open.Sign() == 0 {
			return nil, TextAlreadySentForPayment
		}
	case 1, 2:
		if mode == 1 && anyPaid {
			return nil, TextAlreadyPaid
		}
		for _, pc := range b.prechecks {
			if pc.state == PrecheckPaid {
				kept = append(kept, pc)
			} else {
				open.Add(open, pc.sum)
			}
		}
		if open.Sign() == 0 {
			if anyPaid {
				return nil, TextAlreadyPaid
			}
			return nil, TextAlreadySentForPayment
		}
	}
	prepaid := b.prepaid
	if payType == "" && prepaid == "" {
		return nil, TextNoPayType
	}
	if payType != "" {
		prepaid = payType
	}
	noted, notedType := b.discount, b.discountType
	if req.DiscountSum != nil {
		noted, notedType = discount, discountType
	}
	applied := new(big.Rat)
	reply := &wireReply{DiscountSums: []wireSum{}}
	if noted != "" {
		declared := notedType
		if declared == "" && s.pointsOn {
			declared = s.pointsType
		}
		reply.DiscountSums = append(reply.DiscountSums, wireSum{TypeID: declared, Sum: json.RawMessage(noted)})
	}
	if s.pointsOn {
		list := []wireSum{}
		if noted != "" {
			applied, _ = amount(json.RawMessage(noted))
			if applied.Cmp(open) > 0 {
				applied.Set(open)
			}
			list = append(list, wireSum{TypeID: s.pointsType, Sum: json.RawMessage(format(applied))})
		}
		reply.AppliedDiscountSums = &list
	}
	if paySum != nil {
		due := new(big.Rat).Sub(open, applied)
		if paySum.Cmp(due) != 0 {
			return nil, TextAmountMismatch
		}
		kept = append(append([]precheck(nil), kept...), precheck{sum: open, state: PrecheckPaid, payType: prepaid})
		s.payments = append(s.payments, Payment{BillID: b.id, Sum: string(p.PaySum), PayTypeID: prepaid,
			PointsApplied: format(applied)})
		open = new(big.Rat)
	}
	b.open, b.prechecks, b.prepaid = open, kept, prepaid
	b.discount, b.discountType = noted, notedType
	return reply, ""
}

// fail writes an error the way the server does: a bare JSON string.
func (s *Server) fail(w http.ResponseWriter, status int, text string) {
	body, _ := json.Marshal(text)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// amount reads a JSON number ≥ 0 (a string is refused: the document sends
// numbers).
func amount(raw json.RawMessage) (*big.Rat, bool) {
	t := strings.TrimSpace(string(raw))
	if t == "" || !(t[0] == '-' || t[0] >= '0' && t[0] <= '9') {
		return nil, false
	}
	var n json.Number
	if json.Unmarshal([]byte(t), &n) != nil {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(t)
	if !ok || r.Sign() < 0 {
		return nil, false
	}
	return r, true
}

func mustRat(s string) *big.Rat {
	if s == "" {
		return new(big.Rat)
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok || r.Sign() < 0 {
		panic(fmt.Sprintf("payguesttest: amount %q is not a non-negative decimal", s))
	}
	return r
}

// format writes an exact amount with the fewest decimals (at least two
// when it has a fraction).
func format(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	for n := 2; n < 30; n++ {
		s := r.FloatString(n)
		if back, _ := new(big.Rat).SetString(s); back.Cmp(r) == 0 {
			return s
		}
	}
	return r.FloatString(30)
}
