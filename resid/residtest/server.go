// Package residtest is a fake Resid payments server for tests, examples and
// your own services' tests: no credentials, no network beyond loopback.
//
// It speaks the documented protocol under /api/v1 — POST /payments (form
// body), GET /payments/{token}, POST /payments/{token}/collect and GET
// /payments?size=&before=|after= — and enforces what Resid documents: the
// raw Authorization code ([AuthorizationCode]), the form body, the required
// amount and merchant, the list's size (1..200, default 50) and strict,
// exclusive before/after times in UTC, and the 20-minute collect window.
// Every reply is Resid's envelope {"message","info","errors"}.
//
// What Resid does not document, the fake decides, and documents here:
//   - Outcome states beyond "pending" are the fake's own words:
//     [StatePaid], [StateFailed], [StateCollected], [StateRefunded].
//   - Errors answer 400 (bad input, a payment that cannot be collected),
//     401 (authorization), 404 (unknown token or path), 405, 415 (not a
//     form body) and 429 (list rate limit, with Retry-After in seconds),
//     with the message constants below and the details in "errors".
//   - A successful payment not collected within 20 minutes of its
//     creation turns [StateRefunded]; collecting it then answers 400 with
//     [MessageCollectWindowClosed]. Collecting a collected payment again
//     answers OK and moves no more money.
//
// The passenger is simulated with [Server.Pay] and [Server.Fail]; time
// with [Server.SetNow] and [Server.Advance] (the fake's clock is the real
// clock until one of them is called). Requests are recorded and faults
// can be injected. A Server is safe for concurrent use.
package residtest

import (
	"encoding/json"
	"fmt"
	"math"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/caravanpay/caravan/internal/fakeserver"
	"github.com/caravanpay/caravan/resid"
)

// AuthorizationCode is the only authorization code the fake accepts, sent
// as the raw Authorization header.
const AuthorizationCode = "test-authorization-code"

// Merchant is the merchant id registered in every new Server (the
// document's example), displayed as [MerchantDisplay].
const Merchant = "faSDF42w3Fs"

// MerchantDisplay is how [Merchant] is shown in payments.
var MerchantDisplay = resid.Merchant{
	DisplayName:    "Reza Ahmadi",
	DisplayImage:   "https://resid.ir/media/drivers/faSDF42w3Fs.png",
	DisplayBizName: "Tehran Taxi 1234",
}

// The fake's outcome states besides resid.StatePending. Resid does not
// document its own words for them.
const (
	// StatePaid: the passenger paid; the payment awaits collection.
	StatePaid resid.State = "paid"
	// StateFailed: the passenger's payment failed; see state_error.
	StateFailed resid.State = "failed"
	// StateCollected: the payment was collected (or auto-collected).
	StateCollected resid.State = "collected"
	// StateRefunded: the payment was not collected within 20 minutes and
	// was refunded to the passenger.
	StateRefunded resid.State = "refunded"
)

// The envelope messages of the fake's error replies.
const (
	MessageOK                  = "OK"
	MessageUnauthorized        = "Invalid authorization code."
	MessageInvalid             = "Invalid input."
	MessageNotFound            = "Not found."
	MessageMethodNotAllowed    = "Method not allowed."
	MessageUnsupportedMedia    = "Unsupported media type."
	MessageThrottled           = "Request was throttled."
	MessageNotPaid             = "Payment is not paid."
	MessagePaymentFailed       = "Payment failed."
	MessageCollectWindowClosed = "Collect window closed."
)

// Payer is the masked phone number of the simulated passenger.
const Payer = "0938*****25"

// DefaultMethod is the gateway a payment uses when it named no preferred one.
const DefaultMethod = "asanpardakht"

// tehran is the zone the fake writes times in, like Resid.
var tehran = time.FixedZone("IRST", 3*3600+1800)

// Request is one request as the fake received it.
type Request struct {
	Method string
	Path   string // unescaped, including /api/v1
	Query  url.Values
	Header http.Header
	Body   []byte
}

// Server is a fake Resid. Create it with [NewServer] and Close it when done.
type Server struct {
	// URL is the base URL to give resid.WithBaseURL, ending in /api/v1.
	URL string

	srv  *httptest.Server
	core fakeserver.Core

	mu        sync.Mutex
	fixedNow  *time.Time
	merchants map[string]resid.Merchant
	payments  map[string]*payment
	seq       int
	rateN     int
	rateWin   time.Duration
	winStart  time.Time
	winCount  int
}

type payment struct {
	seq             int
	token           string
	merchant        string
	amount          int64
	description     string
	payload         string
	autoCollect     bool
	preferredMethod string
	created         time.Time
	paid            *time.Time
	state           resid.State
	stateError      string
	rrn             string
	tip             int64
	method          string
	payer           string
	collects        int
	collected       bool
}

// NewServer starts a fake Resid with [Merchant] registered.
func NewServer() *Server {
	s := &Server{
		merchants: map[string]resid.Merchant{Merchant: MerchantDisplay},
		payments:  map[string]*payment{},
	}
	s.srv = httptest.NewServer(s.core.Wrap(http.HandlerFunc(s.serve)))
	s.URL = s.srv.URL + "/api/v1"
	return s
}

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// AddMerchant registers a merchant id, shown to passengers as display.
func (s *Server) AddMerchant(id string, display resid.Merchant) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.merchants[id] = display
}

// Now is the fake's clock: the real time until SetNow or Advance is called.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now()
}

func (s *Server) now() time.Time {
	if s.fixedNow != nil {
		return *s.fixedNow
	}
	return time.Now()
}

// SetNow stops the fake's clock at t; it moves only with Advance after this.
func (s *Server) SetNow(t time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fixedNow = &t
}

// Advance moves the fake's clock forward by d (stopping it first if it was
// the real clock), e.g. past a payment's 20-minute collect window.
func (s *Server) Advance(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.now().Add(d)
	s.fixedNow = &t
}

// stamp is a time as Resid keeps it: microseconds, Tehran offset.
func stamp(t time.Time) time.Time { return t.Truncate(time.Microsecond).In(tehran) }

// Pay makes the passenger pay the payment: its state becomes [StatePaid]
// (or [StateCollected] when it was created with auto_collect), with an
// RRN, a payer and the paid time. It fails for an unknown token or a
// payment that is not pending.
func (s *Server) Pay(token string) error { return s.PayWithTip(token, 0) }

// PayWithTip is Pay with a tip in rials, added to the outcome's total.
func (s *Server) PayWithTip(token string, tip int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.pending(token)
	if err != nil {
		return err
	}
	now := stamp(s.now())
	p.paid = &now
	p.state = StatePaid
	p.rrn = fmt.Sprintf("%012d", 100000000000+p.seq)
	p.tip = tip
	p.payer = Payer
	if p.method == "" {
		p.method = DefaultMethod
	}
	if p.autoCollect {
		p.state = StateCollected
		p.collected = true
	}
	s.settle(p)
	return nil
}

// Fail makes the passenger's payment fail with stateError as its
// state_error: its state becomes [StateFailed].
func (s *Server) Fail(token, stateError string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.pending(token)
	if err != nil {
		return err
	}
	p.state = StateFailed
	p.stateError = stateError
	p.payer = Payer
	if p.method == "" {
		p.method = DefaultMethod
	}
	return nil
}

func (s *Server) pending(token string) (*payment, error) {
	p, ok := s.payments[token]
	if !ok {
		return nil, fmt.Errorf("residtest: no payment %q", token)
	}
	if p.state != resid.StatePending {
		return nil, fmt.Errorf("residtest: payment %q is %s, not pending", token, p.state)
	}
	return p, nil
}

// settle refunds a paid payment whose collect window has passed.
func (s *Server) settle(p *payment) {
	if p.state == StatePaid && s.now().After(p.created.Add(resid.CollectWindow)) {
		p.state = StateRefunded
		p.stateError = "not collected within 20 minutes; refunded to the payer"
	}
}

// Seed stores a payment as given, e.g. to build a long list for paging
// tests (payments may share a Created time). A missing token is generated,
// a zero Created is now, an empty state is pending; the merchant is
// [Merchant]. It returns the token.
func (s *Server) Seed(p resid.Payment) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	if p.Token == "" {
		p.Token = tokenFor(s.seq)
	}
	if p.Created.IsZero() {
		p.Created = s.now()
	}
	if p.Outcome.State == "" {
		p.Outcome.State = resid.StatePending
	}
	var paid *time.Time
	if p.Paid != nil {
		t := stamp(*p.Paid)
		paid = &t
	}
	s.payments[p.Token] = &payment{
		seq: s.seq, token: p.Token, merchant: Merchant, amount: p.Amount, description: p.Description,
		payload: p.Payload, created: stamp(p.Created), paid: paid, state: p.Outcome.State,
		stateError: p.Outcome.StateError, rrn: p.Outcome.RRN, tip: p.Outcome.Tip, method: p.Outcome.Method,
		payer: p.Payer, collected: p.Outcome.State == StateCollected,
	}
	return p.Token
}

// tokenFor makes the n-th token: nine characters like the document's
// "AsF42Sg53", deterministic so examples print the same output.
func tokenFor(n int) string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789" // 57 letters
	const space = 57 * 57 * 57 * 57 * 57 * 57 * 57
	x := (uint64(n)*1000003 + 424242) % space // a bijection on [0, 57^7)
	b := []byte("Rs0000000")
	for i := len(b) - 1; i >= 2; i-- {
		b[i] = alphabet[x%57]
		x /= 57
	}
	return string(b)
}

// Payment returns the payment as GetPayment would, and whether it exists.
func (s *Server) Payment(token string) (resid.Payment, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.payments[token]
	if !ok {
		return resid.Payment{}, false
	}
	s.settle(p)
	var out resid.Payment
	b, _ := json.Marshal(s.wire(p))
	_ = json.Unmarshal(b, &out)
	return out, true
}

// Count is how many payment requests exist (created or seeded).
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.payments)
}

// Collects is how many collect calls for the token were answered OK.
func (s *Server) Collects(token string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.payments[token]; ok {
		return p.collects
	}
	return 0
}

// Collected reports whether the payment's money went to the merchant
// (once, however many collects were answered OK).
func (s *Server) Collected(token string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.payments[token]
	return ok && p.collected
}

// SetListRateLimit allows n list calls (GET /payments) per window of real
// time; past it the list answers 429 with Retry-After in whole seconds
// (at least 1). n 0, the default, removes the limit.
func (s *Server) SetListRateLimit(n int, window time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rateN, s.rateWin, s.winStart, s.winCount = n, window, time.Time{}, 0
}

// Requests returns every request received so far, faulted ones included.
func (s *Server) Requests() []Request {
	rs := s.core.Requests()
	out := make([]Request, len(rs))
	for i, r := range rs {
		out[i] = Request{Method: r.Method, Path: r.Path, Query: r.Query, Header: r.Header, Body: r.Body}
	}
	return out
}

// FailNext answers the next n requests with status and body, without
// processing them.
func (s *Server) FailNext(n, status int, body string) {
	s.core.Inject(fakeserver.Fault{Kind: fakeserver.Fail, Count: n, Status: status, Body: body})
}

// FailNextRetryAfter is FailNext with a Retry-After header (seconds or an
// HTTP date), e.g. for 429 or 503.
func (s *Server) FailNextRetryAfter(n, status int, body, retryAfter string) {
	s.core.Inject(fakeserver.Fault{Kind: fakeserver.Fail, Count: n, Status: status, Body: body,
		Header: http.Header{"Retry-After": {retryAfter}}})
}

// CutNext closes the connection of the next n requests without processing
// them.
func (s *Server) CutNext(n int) {
	s.core.Inject(fakeserver.Fault{Kind: fakeserver.CutBefore, Count: n})
}

// CutAfterNext processes the next n requests, then closes the connection
// without replying: the effect happens, the client never learns it.
func (s *Server) CutAfterNext(n int) {
	s.core.Inject(fakeserver.Fault{Kind: fakeserver.CutAfter, Count: n})
}

// TruncateNext processes the next n requests and sends half of each reply.
func (s *Server) TruncateNext(n int) {
	s.core.Inject(fakeserver.Fault{Kind: fakeserver.Truncate, Count: n})
}

// SlowNext processes the next n requests only after d (or, if the client
// gives up first, processes them anyway without replying).
func (s *Server) SlowNext(n int, d time.Duration) {
	s.core.Inject(fakeserver.Fault{Kind: fakeserver.Slow, Count: n, Delay: d})
}

// SetDelay makes every request wait d before it is processed.
func (s *Server) SetDelay(d time.Duration) { s.core.SetDelay(d) }

// --- HTTP ---

type envelope struct {
	Message string   `json:"message"`
	Info    any      `json:"info"`
	Errors  []string `json:"errors"`
}

func reply(w http.ResponseWriter, status int, info any) {
	writeEnvelope(w, status, envelope{Message: MessageOK, Info: info, Errors: []string{}})
}

func fail(w http.ResponseWriter, status int, message string, errs ...string) {
	writeEnvelope(w, status, envelope{Message: message, Info: nil, Errors: errs})
}

func writeEnvelope(w http.ResponseWriter, status int, env envelope) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(env)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	path, ok := strings.CutPrefix(r.URL.Path, "/api/v1/")
	if !ok {
		fail(w, http.StatusNotFound, MessageNotFound, "no such endpoint")
		return
	}
	if r.Header.Get("Authorization") != AuthorizationCode {
		what := "Authorization header: the authorization code is wrong"
		if r.Header.Get("Authorization") == "" {
			what = "Authorization header: missing"
		}
		fail(w, http.StatusUnauthorized, MessageUnauthorized, what)
		return
	}
	parts := strings.Split(strings.TrimSuffix(path, "/"), "/")
	switch {
	case len(parts) == 1 && parts[0] == "payments":
		switch r.Method {
		case http.MethodPost:
			s.create(w, r)
		case http.MethodGet:
			s.list(w, r)
		default:
			fail(w, http.StatusMethodNotAllowed, MessageMethodNotAllowed, r.Method+" "+r.URL.Path)
		}
	case len(parts) == 2 && parts[0] == "payments":
		if r.Method != http.MethodGet {
			fail(w, http.StatusMethodNotAllowed, MessageMethodNotAllowed, r.Method+" "+r.URL.Path)
			return
		}
		s.get(w, parts[1])
	case len(parts) == 3 && parts[0] == "payments" && parts[2] == "collect":
		if r.Method != http.MethodPost {
			fail(w, http.StatusMethodNotAllowed, MessageMethodNotAllowed, r.Method+" "+r.URL.Path)
			return
		}
		s.collect(w, parts[1])
	default:
		fail(w, http.StatusNotFound, MessageNotFound, "no such endpoint")
	}
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	media, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if media != "application/x-www-form-urlencoded" {
		fail(w, http.StatusUnsupportedMediaType, MessageUnsupportedMedia,
			"send the fields form-encoded (application/x-www-form-urlencoded)")
		return
	}
	if err := r.ParseForm(); err != nil {
		fail(w, http.StatusBadRequest, MessageInvalid, "body: "+err.Error())
		return
	}
	f := r.PostForm
	var errs []string
	amount, err := strconv.ParseInt(strings.TrimSpace(f.Get("amount")), 10, 64)
	switch {
	case f.Get("amount") == "":
		errs = append(errs, "amount: this field is required")
	case err != nil:
		errs = append(errs, "amount: a valid integer is required")
	case amount <= 0:
		errs = append(errs, "amount: must be greater than 0")
	}
	merchant := f.Get("merchant")
	s.mu.Lock()
	_, known := s.merchants[merchant]
	s.mu.Unlock()
	switch {
	case merchant == "":
		errs = append(errs, "merchant: this field is required")
	case !known:
		errs = append(errs, "merchant: no merchant with this id")
	}
	auto := false
	if v, ok := f["auto_collect"]; ok {
		switch strings.ToLower(v[0]) {
		case "true", "1":
			auto = true
		case "false", "0", "":
		default:
			errs = append(errs, "auto_collect: must be a boolean")
		}
	}
	if len(errs) > 0 {
		fail(w, http.StatusBadRequest, MessageInvalid, errs...)
		return
	}
	s.mu.Lock()
	s.seq++
	p := &payment{
		seq: s.seq, token: tokenFor(s.seq), merchant: merchant, amount: amount,
		description: f.Get("description"), payload: f.Get("payload"), autoCollect: auto,
		preferredMethod: f.Get("preferred_method"), method: f.Get("preferred_method"),
		created: stamp(s.now()), state: resid.StatePending,
	}
	s.payments[p.token] = p
	s.mu.Unlock()
	reply(w, http.StatusOK, map[string]string{"token": p.token})
}

func (s *Server) get(w http.ResponseWriter, token string) {
	s.mu.Lock()
	p, ok := s.payments[token]
	var out wirePayment
	if ok {
		s.settle(p)
		out = s.wire(p)
	}
	s.mu.Unlock()
	if !ok {
		fail(w, http.StatusNotFound, MessageNotFound, "no payment request with this token")
		return
	}
	reply(w, http.StatusOK, out)
}

func (s *Server) collect(w http.ResponseWriter, token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.payments[token]
	if !ok {
		fail(w, http.StatusNotFound, MessageNotFound, "no payment request with this token")
		return
	}
	s.settle(p)
	switch p.state {
	case StatePaid:
		p.state = StateCollected
		p.collected = true
	case StateCollected:
	case StateFailed:
		fail(w, http.StatusBadRequest, MessagePaymentFailed, "the payment failed: "+p.stateError)
		return
	case StateRefunded:
		fail(w, http.StatusBadRequest, MessageCollectWindowClosed,
			"the payment was not collected within 20 minutes of its creation and was refunded to the payer")
		return
	default:
		fail(w, http.StatusBadRequest, MessageNotPaid, "the passenger has not paid (state "+string(p.state)+")")
		return
	}
	p.collects++
	reply(w, http.StatusOK, struct{}{})
}

const listTimeLayout = "2006-01-02T15:04:05.999999Z"

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	if wait, limited := s.throttle(); limited {
		w.Header().Set("Retry-After", strconv.Itoa(wait))
		fail(w, http.StatusTooManyRequests, MessageThrottled,
			fmt.Sprintf("Expected available in %d seconds.", wait))
		return
	}
	q := r.URL.Query()
	var errs []string
	size := resid.DefaultListSize
	if v := q.Get("size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > resid.MaxListSize {
			errs = append(errs, "size: must be an integer between 1 and 200")
		}
		size = n
	}
	before, errB := parseUTC(q, "before")
	after, errA := parseUTC(q, "after")
	errs = append(errs, errB...)
	errs = append(errs, errA...)
	if q.Has("before") && q.Has("after") {
		errs = append(errs, "before: cannot be used together with after")
	}
	if len(errs) > 0 {
		fail(w, http.StatusBadRequest, MessageInvalid, errs...)
		return
	}
	s.mu.Lock()
	if !q.Has("before") && !q.Has("after") {
		before = s.now()
	}
	var sel []*payment
	for _, p := range s.payments {
		s.settle(p)
		if q.Has("after") && p.created.After(after) || !q.Has("after") && p.created.Before(before) {
			sel = append(sel, p)
		}
	}
	forward := q.Has("after")
	sort.Slice(sel, func(i, j int) bool {
		a, b := sel[i], sel[j]
		if !a.created.Equal(b.created) {
			return a.created.Before(b.created) == forward
		}
		return a.seq < b.seq == forward
	})
	if len(sel) > size {
		sel = sel[:size]
	}
	out := make([]wirePayment, len(sel))
	for i, p := range sel {
		out[i] = s.wire(p)
	}
	s.mu.Unlock()
	reply(w, http.StatusOK, out)
}

// parseUTC reads an ISO-8601 UTC time parameter; the errors list says why not.
func parseUTC(q url.Values, name string) (time.Time, []string) {
	if !q.Has(name) {
		return time.Time{}, nil
	}
	v := q.Get(name)
	t, err := time.Parse(listTimeLayout, v)
	if err != nil {
		return time.Time{}, []string{name + ": must be an ISO-8601 time in UTC, like 2017-05-09T00:28:51.309004Z"}
	}
	return t, nil
}

// throttle counts a list call against the rate limit; when over it, it
// returns the seconds to wait.
func (s *Server) throttle() (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rateN <= 0 {
		return 0, false
	}
	now := time.Now()
	if s.winStart.IsZero() || now.Sub(s.winStart) >= s.rateWin {
		s.winStart, s.winCount = now, 0
	}
	if s.winCount >= s.rateN {
		left := s.rateWin - now.Sub(s.winStart)
		return max(1, int(math.Ceil(left.Seconds()))), true
	}
	s.winCount++
	return 0, false
}

// wirePayment is a payment as Resid writes it.
type wirePayment struct {
	Merchant    resid.Merchant `json:"merchant"`
	Description string         `json:"description"`
	Payer       string         `json:"payer"`
	Created     string         `json:"created"`
	Amount      int64          `json:"amount"`
	Paid        *string        `json:"paid"`
	Token       string         `json:"token"`
	Outcome     wireOutcome    `json:"outcome"`
	Payload     string         `json:"payload"`
}

type wireOutcome struct {
	RRN         string      `json:"rrn"`
	TotalAmount int64       `json:"total_amount"`
	Tip         int64       `json:"tip"`
	State       resid.State `json:"state"`
	StateError  *string     `json:"state_error"`
	Method      string      `json:"method"`
}

const wireTimeLayout = "2006-01-02T15:04:05.000000-07:00"

func (s *Server) wire(p *payment) wirePayment {
	out := wirePayment{
		Merchant: s.merchants[p.merchant], Description: p.description, Payer: p.payer,
		Created: p.created.Format(wireTimeLayout), Amount: p.amount, Token: p.token, Payload: p.payload,
		Outcome: wireOutcome{RRN: p.rrn, Tip: p.tip, State: p.state, Method: p.method},
	}
	if p.paid != nil {
		t := p.paid.Format(wireTimeLayout)
		out.Paid = &t
		out.Outcome.TotalAmount = p.amount + p.tip
	}
	if p.stateError != "" {
		e := p.stateError
		out.Outcome.StateError = &e
	}
	return out
}
