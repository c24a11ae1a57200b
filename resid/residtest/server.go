// Package residtest is a fake Resid payments server for tests, examples and
// your own services' tests: no credentials, no network beyond loopback.
//
// It speaks the documented protocol under /api/v1 — POST /payments (form
// body), GET /payments/{token}, POST /payments/{token}/collect, GET
// /payments?size=&before=|after= and POST /merchants (form or multipart
// body) — and enforces what Resid documents: the
// raw Authorization code ([AuthorizationCode]), the form body, the required
// amount and merchant, the list's size (1..200, default 50) and
// before/after times in UTC, and the 20-minute collect window. Every reply
// is Resid's envelope {"message","info","errors"}.
//
//	srv := residtest.Start(t) // or NewServer() and Close
//	client, _ := resid.NewClient(residtest.AuthorizationCode, resid.WithBaseURL(srv.URL))
//
// # The passenger's side, on the fake's clock
//
// The passenger is simulated with [Server.Pay], [Server.PayWithTip] and
// [Server.Fail]; time with [WithNow], [Server.SetNow] and
// [Server.Advance] (the fake's clock is the real clock until one of them
// is used). A paid payment that is not collected within 20 minutes of its
// creation on that clock is refunded to the passenger: it reads
// [StateRefunded] from then on, and collecting it answers 400 with
// [MessageCollectWindowClosed]. No test has to wait 20 minutes.
//
// # Faults
//
// The fault methods of [Server] apply to the next requests whatever their
// route; those of [Server.Route] to one endpoint's, e.g.
// srv.Route("payments/{token}/collect").CutAfterNext(1). What the client
// sees is written on each method of [Faults]; every applied fault is
// counted ([Faults.Applied]) and [Server.Reset] clears the queue. A Server
// is safe for concurrent use.
//
// # Where the fake is stricter or looser than Resid's documents
//
// What Resid does not document, the fake decides:
//   - Outcome states beyond "pending" are the fake's own words:
//     [StatePaid], [StateFailed], [StateCollected], [StateRefunded].
//   - Errors answer 400 (bad input, a payment that cannot be collected),
//     401 (authorization), 404 (unknown token or path), 405, 415 (not a
//     form body), 413 (a body over the limit, [WithMaxBody], 10 MiB by
//     default: never cut) and 429 (list rate limit, with Retry-After in
//     seconds), with the message constants below and the details in
//     "errors".
//   - A payment shows the simulated passenger ([Payer]), an RRN, its
//     method (preferred_method, or [DefaultMethod]) and total_amount
//     (amount plus tip) from its creation on, as the document's pending
//     example does; paid is null until [Server.Pay].
//   - Collecting a collected payment again answers OK and moves no more
//     money; collecting a pending one answers 400 [MessageNotPaid].
//   - POST /merchants answers info with every field it was sent, "logo"
//     (a URL, or null without one) and "token", the new merchant's id,
//     which CreatePayment accepts from then on (the document's reply is
//     cut after first_name, before any id); [Server.CreatedMerchants]
//     keeps what was registered.
//
// Stricter:
//   - amount must be a positive integer and merchant a registered one
//     ([Merchant], [Server.AddMerchant]); auto_collect must read as a
//     boolean (true/false/1/0);
//   - before and after must be written exactly like the document's
//     example, 2017-05-09T00:28:51.309004Z (UTC, "Z", up to six
//     fractional digits), and are refused together;
//   - the Authorization header must be exactly the code, without a
//     scheme.
//   - POST /merchants requires first_name, last_name, phone_number,
//     national_no, sheba and bank_code, a sheba of IR and 24 digits and an
//     integer bank_code; a logo must be a file part holding an image (a
//     text field named logo, as a curl mixing -F and -d would send, is
//     refused); a second merchant with a registered SHEBA is refused with
//     400 [MessageDuplicateSheba] (the document asks for one merchant per
//     SHEBA and does not say what Resid does).
//
// Looser:
//   - without before or after, the list holds the payments created up to
//     now inclusive (the document: "before, default now"; a payment created
//     at the very instant of a stopped clock is listed); an explicit before
//     or after is exclusive;
//   - the list is not rate-limited unless [Server.SetListRateLimit] says
//     so;
//   - preferred_method and description are not checked.
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
	MessageTooLarge            = "Request body too large."
)

// Payer is the masked phone number of the simulated passenger.
const Payer = "0938*****25"

// DefaultMethod is the gateway a payment uses when it named no preferred one.
const DefaultMethod = "asanpardakht"

// tehran is the zone the fake writes times in, like Resid.
var tehran = time.FixedZone("IRST", 3*3600+1800)

// Server is a fake Resid. Create it with [NewServer] and Close it when done.
type Server struct {
	// URL is the base URL to give resid.WithBaseURL, ending in /api/v1.
	URL string

	srv  *httptest.Server
	core fakeserver.Core

	mu        sync.Mutex
	fixedNow  *time.Time
	merchants map[string]resid.Merchant
	created   []CreatedMerchant
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

// NewServer starts a fake Resid with [Merchant] registered. Close it when
// done, or use [Start] in a test.
func NewServer(opts ...Option) *Server {
	s := &Server{
		merchants: map[string]resid.Merchant{Merchant: MerchantDisplay},
		payments:  map[string]*payment{},
	}
	for _, o := range opts {
		o(s)
	}
	s.core.Now = s.Now
	s.core.TooLarge = func(w http.ResponseWriter, _ *http.Request) {
		fail(w, http.StatusRequestEntityTooLarge, MessageTooLarge, "body: larger than the server accepts")
	}
	s.srv = httptest.NewServer(s.core.Wrap(http.HandlerFunc(s.serve)))
	s.URL = s.srv.URL + "/api/v1"
	return s
}

// WithNow stops the fake's clock at t: it moves only with [Server.Advance]
// and [Server.SetNow], so a test never waits.
func WithNow(t time.Time) Option { return func(s *Server) { s.fixedNow = &t } }

// Close shuts the server down. Requests waiting in an injected delay are
// processed at once; Close does not wait the delays out.
func (s *Server) Close() {
	s.core.Close()
	s.srv.Close()
}

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
// (or [StateCollected] when it was created with auto_collect) and paid
// is now on the fake's clock; unless it is collected within 20 minutes of
// its creation on that clock, it is then refunded ([StateRefunded]). It
// fails for an unknown token or a payment that is not pending.
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
	p.tip = tip
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
	case len(parts) == 1 && parts[0] == "merchants":
		if r.Method != http.MethodPost {
			fail(w, http.StatusMethodNotAllowed, MessageMethodNotAllowed, r.Method+" "+r.URL.Path)
			return
		}
		s.createMerchant(w, r)
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
		payer: Payer, rrn: fmt.Sprintf("%012d", 100000000000+s.seq),
	}
	if p.method == "" {
		p.method = DefaultMethod
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
	now := s.now()
	var sel []*payment
	for _, p := range s.payments {
		s.settle(p)
		switch {
		case q.Has("after") && p.created.After(after),
			q.Has("before") && p.created.Before(before),
			!q.Has("after") && !q.Has("before") && !p.created.After(now): // default: up to now, inclusive
		default:
			continue
		}
		sel = append(sel, p)
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
		Outcome: wireOutcome{RRN: p.rrn, Tip: p.tip, State: p.state, Method: p.method, TotalAmount: p.amount + p.tip},
	}
	if p.paid != nil {
		t := p.paid.Format(wireTimeLayout)
		out.Paid = &t
	}
	if p.stateError != "" {
		e := p.stateError
		out.Outcome.StateError = &e
	}
	return out
}
