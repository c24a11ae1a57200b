// Package uapaytest is a fake UAPAY invoicer for tests, examples and your
// own services' tests: no network, no credentials.
//
// It speaks the protocol of UAPAY's invoicer API as documented: every
// request is a POST of {"params","data","iat","token"} whose token is an
// HS256 JWT over {params, data, iat} signed with SignKey; it refuses a bad
// signature (SIGNATURE_ERROR), an iat more than 20 s away from its clock
// when the request arrived (TIMELIMIT_ERROR), a missing or malformed field
// (FORMAT_ERROR with the fields named), an unknown or expired session
// (SESSION_EXPIRED) and an unknown invoice (INVOICE_NOT_FOUND), each as
// {"status":0,"error":{"code","message","fields":{"params","data"}}} with
// HTTP 400 (or 200, see [WithErrorStatus]). It keeps sessions, invoices
// (create, show, show/list, update) and their payments (show, complete,
// cancel, reverse: see "The payment lifecycle"), records every request and
// injects faults.
//
// # The payment lifecycle
//
// [Server.PayInvoice] makes a payment: PAID / FINISHED (status /
// paymentStatus) for a PAY invoice, PAID / HOLDED for a HOLD invoice.
// payments/complete moves a HOLDED payment to FINISHED (params.amount, when
// sent, must be 1 up to the held amount and becomes the payment's amount);
// payments/cancel moves it to CANCELED; payments/reverse refunds a
// FINISHED payment — data.amount, or all that is left — summing partial
// refunds in [Payment.Reversed] and setting reversedAt; the payment reads
// REVERSED from the first refund. A capture or void of a payment that is
// not HOLDED, a capture twice, a refund of a held, cancelled or fully
// refunded payment answer PAYMENT_STATUS_ERROR; a capture above the held
// amount or a refund above what is left AMOUNT_ERROR; a paymentId unknown
// or of another invoice PAYMENT_NOT_FOUND. [Server.Payment] reads a
// payment with its ledger (Reversed, Completions, Cancellations,
// Reversals).
//
//	srv := uapaytest.Start(t) // or NewServer() and Close
//	id := srv.AddInvoice(uapaytest.Invoice{Amount: 10000})
//	c, _ := uapay.NewClient(uapaytest.ClientID, uapaytest.SignKey, uapay.WithBaseURL(srv.URL))
//	_, err := c.UpdateInvoice(ctx, id, &uapay.InvoiceUpdate{Tag: uapay.Ptr("Client 1")})
//
// # Answer shapes
//
// Session creation answers the documented {"status":"1","id":…}, or
// {"status":1,"data":{"id":…}} with [WithSessionIDInData]. Replies carry
// plain data, or data signed as a JWT with [WithSignedReplies]. Errors
// answer HTTP 400, or 200 with [WithErrorStatus].
//
// # The customer's side, on the fake's clock
//
// [Server.PayInvoice] is a customer paying an invoice on the hosted page.
// The fake then POSTs the signed callback to the invoice's callbackUrl and,
// until the receiver answers 200, retries on UAPAY's documented schedule
// ([CallbackRetries]: 5 s, 5 min, 1 h, 2 h, 24 h) as the fake's clock moves
// with [Server.Advance] or [Server.SetNow]: deliveries run in the calling
// goroutine, so a test never waits. [Server.Deliveries] lists the attempts.
// [Server.SendCallback] sends one callback of your own making.
//
// # Faults
//
// The fault methods of [Server] apply to the next requests whatever their
// route; those of [Server.Route] to one method's, e.g.
// srv.Route("invoices/create").CutAfterNext(1). What the client sees is
// written on each method of [Faults]; every applied fault is counted
// ([Faults.Applied]) and [Server.Reset] clears the queue. The iat check
// uses the time the request arrived, before any injected delay.
//
// # Where the fake is stricter or looser than UAPAY's documents
//
// Stricter (the documents do not say what UAPAY does):
//   - unknown data fields are refused with FORMAT_ERROR and the field
//     marked UNKNOWN_FIELD: invoices/update takes cardTo, tag, redirectUrl,
//     callbackUrl and extraInfo only, so the seed's flat "cardToId" (a slip
//     in its example; the table says cardTo.id) is refused; invoices/create
//     takes externalId, type, amount, description, email, redirectUrl,
//     callbackUrl, extraInfo, expiresAt, payExpiresAt, cardTo and
//     recurringInterval; payments/complete, cancel and reverse refuse any
//     other params or data field than the document's, so a capture's
//     amount sent in data (where reverse puts it) is refused;
//   - invoices/create requires description (the document does), cardTo.id
//     for a P2P invoice, and recurringInterval (1..366) and expiresAt for
//     a SUBSCRIBE invoice, as the document's table says;
//   - a string field of another JSON kind (a number, an object, true,
//     null) is refused with FORMAT_ERROR, the field marked MUST_BE_STRING;
//   - extraInfo must be a string holding a JSON object (INVALID_JSON),
//     URLs must be absolute http(s) URLs (INVALID_URL), cardTo.pan must
//     pass the Luhn check and cardTo.id be a UUID (INVALID_FORMAT);
//   - every method needs Content-Type application/json and POST (405
//     METHOD_NOT_ALLOWED otherwise); an unknown method path answers 404
//     NOT_FOUND;
//   - a body over the limit ([WithMaxBody], 10 MiB by default) is refused
//     with HTTP 413 and FORMAT_ERROR [MessageTooLarge].
//
// Looser, or the fake's own choice where the documents are silent:
//   - clientId is checked against [ClientID] only, with AUTH_ERROR;
//   - sessions last an hour ([Server.SetSessionTTL]);
//   - invoices/create requires an externalId; a payment made with
//     [Server.PayInvoice] uses the card 414962******6714 and payment
//     numbers UA00000001, UA00000002, …;
//   - callbacks are delivered at once and then after each documented
//     interval following the previous attempt (the documents list the
//     intervals, not what they are measured from);
//   - no rate limits and no server errors unless injected;
//   - the error codes PAYMENT_NOT_FOUND, PAYMENT_STATUS_ERROR and
//     AMOUNT_ERROR are the fake's (the documents name none for these
//     calls); a payment's receiptId (RC0000000001…), chequeLink
//     (api.uapay.ua/api/receipts/<paymentId>, without a scheme as in the
//     document) and commission (0) are the fake's values;
//   - a refund's effect on a payment is the fake's reading of an
//     incomplete document: REVERSED from the first partial refund,
//     reversedAt the last refund's time, no refunded sum in the replies
//     (the documents show none);
//   - payments/show answers dates as ISO strings with milliseconds, as the
//     documents' examples do (their tables say integer);
//   - subscriptions/update accepts the invoice as params.invoiceId (the
//     page's example, which the client sends) or params.id (its table),
//     answers INVOICE_TYPE_ERROR for an invoice that is not SUBSCRIBE, and
//     plans the next payment one interval from now;
//   - payments/showCommission charges [CommissionPercents] % (rounded down
//     to whole kopecks) plus [CommissionFixed], the document's example
//     values; data.amount counts only for an invoice whose Amount is 0 (an
//     open amount), as the document says.
package uapaytest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/caravanpay/caravan/internal/fakeserver"
	"github.com/caravanpay/caravan/internal/transport"
)

// The credentials the fake accepts.
const (
	ClientID = "caravan-test-client"
	SignKey  = "caravan-test-sign-key"
)

// SeedInvoiceID is the invoice id of the example request in UAPAY's
// documentation of the update method; the example program seeds it.
const SeedInvoiceID = "065f927e-f78f-4d9a-ad07-cef58c16ca96"

// MaxSkew is how far a request's iat may be from the fake's clock.
const MaxSkew = 20 * time.Second

// Invoice is an invoice held by the fake. Amounts are kopecks. The fake
// keeps only the masked recipient card number, never the full one.
type Invoice struct {
	ID             string          // generated by AddInvoice when empty
	ExternalID     string          // the merchant's own id (externalId)
	SystemType     string          // default ECOM
	Type           string          // default PAY
	InvoiceStatus  string          // default ACTIVE
	Amount         int64           // in kopecks
	Description    string          // the invoice's description
	Email          string          // the customer's e-mail
	Tag            string          // the grouping label
	RedirectURL    string          // where the hosted page sends the customer
	CallbackURL    string          // where the fake POSTs the signed callback
	PaymentPageURL string          // the hosted payment page
	ExtraInfo      json.RawMessage // a JSON object
	CardToID       string          // a P2P invoice's receiving card id (cardTo.id)
	CardToMasked   string          // the receiving card, masked
	CreatedAt      time.Time       // default: now
	ExpiresAt      time.Time       // a SUBSCRIBE invoice's end of recurring payments; zero for none
	// RecurringInterval is a SUBSCRIBE invoice's interval in days.
	RecurringInterval int
	Payments          []Payment // the payments made on the invoice, oldest first
}

// Payment is a payment of an invoice, as ShowInvoice and ShowPayment
// return it. Amounts are kopecks. The lifecycle calls change it: see
// payments.go.
type Payment struct {
	PaymentID      string    `json:"paymentId"`                // the payment's id
	InvoiceID      string    `json:"invoiceId,omitempty"`      // filled by the fake
	PaymentNumber  string    `json:"number,omitempty"`         // sent as "number", as the documents name it
	ReceiptID      string    `json:"receiptId,omitempty"`      // the receipt's id
	Status         string    `json:"status,omitempty"`         // the invoice payment's status: PAID, FINISHED, REVERSED, CANCELED
	PaymentStatus  string    `json:"paymentStatus"`            // the payment system's: HOLDED, FINISHED, REVERSED, CANCELED…
	Amount         int64     `json:"amount"`                   // what was paid, or captured
	Commission     int64     `json:"commission"`               // in kopecks
	CardFromMasked string    `json:"cardFromMasked,omitempty"` // the paying card, masked
	ChequeLink     string    `json:"chequeLink,omitempty"`     // without a scheme, as in the document
	CreatedAt      time.Time `json:"createdAt"`                // when the payment was made
	PaidAt         time.Time `json:"-"`                        // sent as paidAt when set
	ReversedAt     time.Time `json:"-"`                        // sent as reversedAt when set
	// Reversed is the sum of the refunds so far, in kopecks. UAPAY's
	// documents show no such field, so the fake never sends it; tests read
	// it to check that no refund was applied twice.
	Reversed int64 `json:"-"`
	// Completions and Cancellations count the captures and voids applied
	// (0 or 1), and Reversals the refunds, for tests.
	Completions, Cancellations, Reversals int `json:"-"`
}

// Server is a running fake. It is safe for concurrent use.
type Server struct {
	// URL is the base URL to pass to uapay.WithBaseURL.
	URL string

	hs   *httptest.Server
	core fakeserver.Core

	mu            sync.Mutex
	now           func() time.Time
	sessions      map[string]time.Time // id → expiry
	sessionTTL    time.Duration
	created       int
	invoices      map[string]*Invoice
	byExternalID  map[string][]string // externalId → invoice ids, see showlist.go
	updates       map[string]int
	signReplies   bool
	sessionInData bool
	errStatus     int

	callbackClient *http.Client
	deliveries     []Delivery
	queue          []*pending
	closed         bool
	paid           int
}

// NewServer starts a fake with no invoices. Sessions last an hour; replies
// are plain (not signed); sessions are answered in the documented shape
// {"status":"1","id":…}; the clock is the real one. Options change these.
// Close it when done, or use [Start] in a test.
func NewServer(opts ...Option) *Server {
	s := &Server{now: time.Now, sessions: map[string]time.Time{}, sessionTTL: time.Hour,
		invoices: map[string]*Invoice{}, updates: map[string]int{}, errStatus: http.StatusBadRequest,
		callbackClient: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}}
	for _, o := range opts {
		o(s)
	}
	s.core.Now = s.Now
	s.core.TooLarge = func(w http.ResponseWriter, _ *http.Request) {
		s.writeErrorStatus(w, http.StatusRequestEntityTooLarge, &apiError{code: "FORMAT_ERROR", message: MessageTooLarge})
	}
	s.hs = httptest.NewServer(s.core.Wrap(http.HandlerFunc(s.serve)))
	s.URL = s.hs.URL
	return s
}

// MessageTooLarge is the error message of a 413 reply to a body over the
// fake's limit (the fake's wording).
const MessageTooLarge = "request body too large"

// WithSessionIDInData makes session creation answer
// {"status":1,"data":{"id":…}}, which integrations meet, instead of the
// documented {"status":"1","id":…}.
func WithSessionIDInData() Option { return func(s *Server) { s.sessionInData = true } }

// WithSignedReplies makes successful replies carry their data as a signed
// JWT, {"status":1,"data":{"token":"…"}}, as UAPAY may.
func WithSignedReplies() Option { return func(s *Server) { s.signReplies = true } }

// WithErrorStatus sets the HTTP status of error replies: 400 (the
// default) or 200, both of which UAPAY uses.
func WithErrorStatus(status int) Option { return func(s *Server) { s.errStatus = status } }

// WithNow stops the fake's clock at t: it moves only with
// [Server.Advance] and [Server.SetNow], so a test never waits.
func WithNow(t time.Time) Option {
	return func(s *Server) { s.now = func() time.Time { return t } }
}

// Close stops callback deliveries, ends injected delays at once and shuts
// the server down; it does not wait the delays out.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.core.Close()
	s.hs.Close()
	s.callbackClient.CloseIdleConnections()
}

// SetClock sets the fake's clock, used for the iat check, session expiry,
// payments and callbacks. [Server.SetNow] and [Server.Advance] stop it.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// SetSessionTTL sets how long new sessions last.
func (s *Server) SetSessionTTL(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessionTTL = d
}

// ExpireSessions ends every open session: the next call with one gets
// SESSION_EXPIRED.
func (s *Server) ExpireSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.sessions)
}

// SessionsCreated counts the sessions created so far.
func (s *Server) SessionsCreated() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.created
}

// SignReplies makes successful replies carry their data as a signed JWT,
// {"status":1,"data":{"token":"…"}}, as UAPAY may; off, data is plain.
func (s *Server) SignReplies(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.signReplies = on
}

// SessionReplyInData switches the session reply from the documented
// {"status":"1","id":…} to {"status":1,"data":{"id":…}}, which
// integrations also meet.
func (s *Server) SessionReplyInData(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessionInData = on
}

// SetErrorStatus sets the HTTP status of error replies: 400 (default) or
// 200, both of which UAPAY uses.
func (s *Server) SetErrorStatus(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.errStatus = status
}

// AddInvoice stores an invoice and returns its id, filling the defaults
// documented on Invoice.
func (s *Server) AddInvoice(inv Invoice) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if inv.ID == "" {
		inv.ID = newUUID()
	}
	if inv.SystemType == "" {
		inv.SystemType = "ECOM"
	}
	if inv.Type == "" {
		inv.Type = "PAY"
	}
	if inv.InvoiceStatus == "" {
		inv.InvoiceStatus = "ACTIVE"
	}
	if inv.CreatedAt.IsZero() {
		inv.CreatedAt = s.now().UTC().Truncate(time.Millisecond)
	}
	if inv.PaymentPageURL == "" {
		inv.PaymentPageURL = s.URL + "/invoice/" + inv.ID
	}
	inv.ExtraInfo = append(json.RawMessage(nil), inv.ExtraInfo...)
	inv.Payments = append([]Payment(nil), inv.Payments...)
	for i := range inv.Payments {
		inv.Payments[i].InvoiceID = inv.ID
	}
	s.invoices[inv.ID] = &inv
	s.indexExternalID(inv.ExternalID, inv.ID) // for invoices/show/list, see showlist.go
	return inv.ID
}

// Invoice returns a copy of a stored invoice.
func (s *Server) Invoice(id string) (Invoice, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	inv, ok := s.invoices[id]
	if !ok {
		return Invoice{}, false
	}
	out := *inv
	out.ExtraInfo = append(json.RawMessage(nil), inv.ExtraInfo...)
	out.Payments = append([]Payment(nil), inv.Payments...)
	return out, true
}

// InvoicesByExternalID counts the invoices created with an external id, to
// check that a create was applied at most once.
func (s *Server) InvoicesByExternalID(externalID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, inv := range s.invoices {
		if inv.ExternalID == externalID {
			n++
		}
	}
	return n
}

// InvoiceCount is the number of invoices the fake holds.
func (s *Server) InvoiceCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.invoices)
}

// Updates counts the successful updates of an invoice.
func (s *Server) Updates(id string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.updates[id]
}

// Sign returns an HS256 JWT over claims (a JSON object) with SignKey, as
// UAPAY signs replies and callbacks.
func Sign(claims []byte) string { return SignWith(SignKey, claims) }

// SignWith is Sign with another key.
func SignWith(key string, claims []byte) string {
	unsigned := b64([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + b64(claims)
	return unsigned + "." + b64(mac(key, unsigned))
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func mac(key, unsigned string) []byte {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(unsigned))
	return m.Sum(nil)
}

// verify checks an HS256 token and returns its claims.
func verify(token string) ([]byte, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, false
	}
	head, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return nil, false
	}
	var h struct{ Alg string }
	if json.Unmarshal(head, &h) != nil || h.Alg != "HS256" {
		return nil, false
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, mac(SignKey, parts[0]+"."+parts[1])) {
		return nil, false
	}
	claims, err := base64.RawURLEncoding.DecodeString(parts[1])
	return claims, err == nil
}

// Callback is a payment notification as UAPAY sends it; SendCallback signs
// it. Dates are ISO 8601 text.
type Callback struct {
	PaymentID      string          `json:"paymentId"`                // the payment's id
	InvoiceID      string          `json:"invoiceId"`                // the invoice's id
	ExternalID     string          `json:"externalId,omitempty"`     // the invoice's externalId
	PaymentNumber  string          `json:"paymentNumber,omitempty"`  // the payment's number
	CardFromMasked string          `json:"cardFromMasked,omitempty"` // the paying card, masked
	CardToMasked   string          `json:"cardToMasked,omitempty"`   // the receiving card, masked
	Amount         int64           `json:"amount"`                   // in kopecks
	Status         string          `json:"status,omitempty"`         // the invoice payment's status
	Type           string          `json:"type,omitempty"`           // PAY, HOLD or SUBSCRIBE
	SystemType     string          `json:"systemType,omitempty"`     // ECOM or P2P
	PaymentStatus  string          `json:"paymentStatus"`            // the payment system's status: PAYED, HOLDED, FINISHED…
	ReceiptPath    string          `json:"receiptPath,omitempty"`    // the receipt's link
	ExtraInfo      json.RawMessage `json:"extraInfo,omitempty"`      // the invoice's extraInfo object
	CreateDate     string          `json:"createDate,omitempty"`     // when the payment was created
	PayDate        string          `json:"payDate,omitempty"`        // when it was paid
}

// SendCallback signs cb with SignKey and POSTs {"token":"…"} to url, as
// UAPAY does. It returns an error unless the receiver answers 200 (UAPAY
// would then retry after 5 s, 5 min, 1 h, 2 h and 24 h; call SendCallback
// again to simulate a retry).
func (s *Server) SendCallback(ctx context.Context, url string, cb Callback) error {
	claims, err := json.Marshal(cb)
	if err != nil {
		return fmt.Errorf("uapaytest: encode callback: %w", err)
	}
	body, _ := json.Marshal(map[string]string{"token": Sign(claims)})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("uapaytest: callback request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.callbackClient.Do(req)
	if err != nil {
		return fmt.Errorf("uapaytest: send callback: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("uapaytest: callback receiver answered HTTP %d; UAPAY would retry", resp.StatusCode)
	}
	return nil
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// apiError is UAPAY's error reply.
type apiError struct {
	code, message string
	params, data  map[string]string
}

func formatErr(part, field, problem string) *apiError {
	e := &apiError{code: "FORMAT_ERROR", message: "invalid request format"}
	if part == "params" {
		e.params = map[string]string{field: problem}
	} else {
		e.data = map[string]string{field: problem}
	}
	return e
}

func (s *Server) writeError(w http.ResponseWriter, e *apiError) {
	s.mu.Lock()
	status := s.errStatus
	s.mu.Unlock()
	s.writeErrorStatus(w, status, e)
}

func (s *Server) writeErrorStatus(w http.ResponseWriter, status int, e *apiError) {
	obj := map[string]any{"code": e.code, "message": e.message}
	if e.params != nil || e.data != nil {
		fields := map[string]any{}
		if e.params != nil {
			fields["params"] = e.params
		}
		if e.data != nil {
			fields["data"] = e.data
		}
		obj["fields"] = fields
	}
	writeJSON(w, status, map[string]any{"status": 0, "error": obj})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeData answers {"status":1,"data":…}, signing data when SignReplies
// is on.
func (s *Server) writeData(w http.ResponseWriter, data map[string]any) {
	s.mu.Lock()
	signed, now := s.signReplies, s.now()
	s.mu.Unlock()
	if signed {
		claims := map[string]any{"iat": now.Unix()}
		for k, v := range data {
			claims[k] = v
		}
		b, _ := json.Marshal(claims)
		data = map[string]any{"token": Sign(b)}
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": 1, "data": data})
}

// envelope is a decoded request.
type envelope struct {
	params map[string]json.RawMessage
	data   map[string]json.RawMessage
}

func (e *envelope) str(part, key string) (string, bool) {
	v, ok, _ := e.text(part, key)
	return v, ok
}

// text reads a string field; a field of another JSON kind (null included)
// is an error naming it, as UAPAY's FORMAT_ERROR does.
func (e *envelope) text(part, key string) (string, bool, *apiError) {
	m := e.params
	if part == "data" {
		m = e.data
	}
	raw, ok := m[key]
	if !ok {
		return "", false, nil
	}
	var v string
	if len(raw) == 0 || raw[0] != '"' || json.Unmarshal(raw, &v) != nil {
		return "", true, formatErr(part, key, "MUST_BE_STRING")
	}
	return v, true, nil
}

// strings checks that the named fields, where present, are strings.
func (e *envelope) strings(part string, keys ...string) *apiError {
	for _, k := range keys {
		if _, _, err := e.text(part, k); err != nil {
			return err
		}
	}
	return nil
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"status": 0,
			"error": map[string]any{"code": "METHOD_NOT_ALLOWED", "message": "use POST"}})
		return
	}
	handlers := map[string]func(http.ResponseWriter, *envelope){
		"/api/sessions/create":          s.createSession,
		"/api/invoicer/invoices/create": s.createInvoice,
		"/api/invoicer/invoices/show":   s.showInvoice,
		"/api/invoicer/invoices/update": s.updateInvoice,
		// show invoices by ids or externalIds: see showlist.go
		"/api/invoicer/invoices/show/list": s.showInvoiceList,
		// the payment lifecycle: see payments.go
		"/api/invoicer/payments/show":     s.showPayment,
		"/api/invoicer/payments/complete": s.completePayment,
		"/api/invoicer/payments/cancel":   s.cancelPayment,
		"/api/invoicer/payments/reverse":  s.reversePayment,
		// subscriptions and commissions: see subscriptions.go
		"/api/invoicer/subscriptions/update":    s.updateSubscription,
		"/api/invoicer/payments/showCommission": s.showCommission,
	}
	h, ok := handlers[r.URL.Path]
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]any{"status": 0,
			"error": map[string]any{"code": "NOT_FOUND", "message": "no such method"}})
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		s.writeError(w, &apiError{code: "FORMAT_ERROR", message: "Content-Type must be application/json"})
		return
	}
	env, e := s.decode(r, fakeserver.ArrivedAt(r))
	if e != nil {
		s.writeError(w, e)
		return
	}
	h(w, env)
}

// decode checks the body's shape, signature and iat.
func (s *Server) decode(r *http.Request, arrived time.Time) (*envelope, *apiError) {
	body, _ := io.ReadAll(r.Body)
	var raw struct {
		Params json.RawMessage `json:"params"`
		Data   json.RawMessage `json:"data"`
		Iat    *int64          `json:"iat"`
		Token  *string         `json:"token"`
	}
	if json.Unmarshal(body, &raw) != nil {
		return nil, &apiError{code: "FORMAT_ERROR", message: "body is not valid JSON"}
	}
	if raw.Token == nil || *raw.Token == "" {
		return nil, &apiError{code: "SIGNATURE_ERROR", message: "token is required"}
	}
	claims, ok := verify(*raw.Token)
	if !ok {
		return nil, &apiError{code: "SIGNATURE_ERROR", message: "token signature is invalid"}
	}
	var got, want any
	wantObj := map[string]json.RawMessage{"params": raw.Params}
	if raw.Data != nil {
		wantObj["data"] = raw.Data
	}
	if raw.Iat != nil {
		wantObj["iat"], _ = json.Marshal(*raw.Iat)
	}
	wb, _ := json.Marshal(wantObj)
	if json.Unmarshal(claims, &got) != nil || json.Unmarshal(wb, &want) != nil || !reflect.DeepEqual(got, want) {
		return nil, &apiError{code: "SIGNATURE_ERROR", message: "token claims do not match params, data and iat"}
	}
	if raw.Iat == nil {
		return nil, &apiError{code: "FORMAT_ERROR", message: "iat is required"}
	}
	if d := arrived.Sub(time.Unix(*raw.Iat, 0)); d > MaxSkew || d < -MaxSkew {
		return nil, &apiError{code: "TIMELIMIT_ERROR", message: "request time differs from server time by more than 20 seconds"}
	}
	env := &envelope{}
	if json.Unmarshal(raw.Params, &env.params) != nil || env.params == nil {
		return nil, &apiError{code: "FORMAT_ERROR", message: "params must be an object",
			params: map[string]string{"params": "REQUIRED"}}
	}
	if len(raw.Data) > 0 && json.Unmarshal(raw.Data, &env.data) != nil {
		return nil, &apiError{code: "FORMAT_ERROR", message: "data must be an object"}
	}
	return env, nil
}

// checkSession validates params.sessionId.
func (s *Server) checkSession(env *envelope) *apiError {
	id, ok, e := env.text("params", "sessionId")
	if e != nil {
		return e
	}
	if !ok || id == "" {
		return formatErr("params", "sessionId", "REQUIRED")
	}
	if !transport.IsUUID(id) {
		return formatErr("params", "sessionId", "INVALID_FORMAT")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.sessions[id]
	if !ok || !s.now().Before(exp) {
		delete(s.sessions, id)
		return &apiError{code: "SESSION_EXPIRED", message: "session expired or not found"}
	}
	return nil
}

func (s *Server) createSession(w http.ResponseWriter, env *envelope) {
	if e := env.strings("params", "clientId"); e != nil {
		s.writeError(w, e)
		return
	}
	id, ok := env.str("params", "clientId")
	if !ok || id == "" {
		s.writeError(w, formatErr("params", "clientId", "REQUIRED"))
		return
	}
	if id != ClientID {
		s.writeError(w, &apiError{code: "AUTH_ERROR", message: "unknown clientId"})
		return
	}
	sid := newUUID()
	s.mu.Lock()
	s.sessions[sid] = s.now().Add(s.sessionTTL)
	s.created++
	inData := s.sessionInData
	s.mu.Unlock()
	if inData {
		s.writeData(w, map[string]any{"id": sid})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "1", "id": sid})
}

func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// extraInfo reads data.extraInfo, which must be a string holding a JSON
// object.
func extraInfo(env *envelope) (json.RawMessage, *apiError) {
	raw, present := env.data["extraInfo"]
	if !present {
		return nil, nil
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return nil, formatErr("data", "extraInfo", "MUST_BE_STRING")
	}
	var obj map[string]any
	if json.Unmarshal([]byte(s), &obj) != nil {
		return nil, formatErr("data", "extraInfo", "INVALID_JSON")
	}
	return json.RawMessage(s), nil
}

// optionalURL reads an optional URL field of data.
func optionalURL(env *envelope, key string) (string, *apiError) {
	v, ok := env.str("data", key)
	if ok && v != "" && !validURL(v) {
		return "", formatErr("data", key, "INVALID_URL")
	}
	return v, nil
}

func (s *Server) createInvoice(w http.ResponseWriter, env *envelope) {
	if e := s.checkSession(env); e != nil {
		s.writeError(w, e)
		return
	}
	for k := range env.data {
		if !createFields[k] {
			s.writeError(w, formatErr("data", k, "UNKNOWN_FIELD"))
			return
		}
	}
	if e := env.strings("params", "systemType"); e != nil {
		s.writeError(w, e)
		return
	}
	if e := env.strings("data", "externalId", "type", "description", "email", "redirectUrl", "callbackUrl"); e != nil {
		s.writeError(w, e)
		return
	}
	inv := Invoice{}
	inv.SystemType, _ = env.str("params", "systemType")
	if inv.SystemType != "ECOM" && inv.SystemType != "P2P" {
		s.writeError(w, formatErr("params", "systemType", "INVALID_VALUE"))
		return
	}
	if inv.ExternalID, _ = env.str("data", "externalId"); inv.ExternalID == "" {
		s.writeError(w, formatErr("data", "externalId", "REQUIRED"))
		return
	}
	inv.Type, _ = env.str("data", "type")
	if inv.Type != "PAY" && inv.Type != "HOLD" && inv.Type != "SUBSCRIBE" {
		s.writeError(w, formatErr("data", "type", "INVALID_VALUE"))
		return
	}
	if json.Unmarshal(env.data["amount"], &inv.Amount) != nil || inv.Amount <= 0 {
		s.writeError(w, formatErr("data", "amount", "INVALID_VALUE"))
		return
	}
	if inv.Description, _ = env.str("data", "description"); inv.Description == "" {
		s.writeError(w, formatErr("data", "description", "REQUIRED"))
		return
	}
	if e := createRules(env, &inv); e != nil {
		s.writeError(w, e)
		return
	}
	inv.Email, _ = env.str("data", "email")
	var e *apiError
	if inv.RedirectURL, e = optionalURL(env, "redirectUrl"); e == nil {
		inv.CallbackURL, e = optionalURL(env, "callbackUrl")
	}
	if e == nil {
		inv.ExtraInfo, e = extraInfo(env)
	}
	if e != nil {
		s.writeError(w, e)
		return
	}
	if raw, ok := env.data["expiresAt"]; ok {
		var ms int64
		if json.Unmarshal(raw, &ms) != nil || ms <= 0 {
			s.writeError(w, formatErr("data", "expiresAt", "INVALID_VALUE"))
			return
		}
		inv.ExpiresAt = time.UnixMilli(ms).UTC()
	}
	id := s.AddInvoice(inv)
	page := s.URL + "/invoice/" + id
	s.writeData(w, map[string]any{"id": id, "paymentPageUrl": page, "paymentPageUrlQR": page + "/qr"})
}

// lookup validates params.id and finds the invoice.
func (s *Server) lookup(env *envelope) (string, *apiError) {
	id, ok, e := env.text("params", "id")
	if e != nil {
		return "", e
	}
	if !ok || id == "" {
		return "", formatErr("params", "id", "REQUIRED")
	}
	if !transport.IsUUID(id) {
		return "", formatErr("params", "id", "INVALID_FORMAT")
	}
	s.mu.Lock()
	_, found := s.invoices[id]
	s.mu.Unlock()
	if !found {
		return "", &apiError{code: "INVOICE_NOT_FOUND", message: "invoice not found"}
	}
	return id, nil
}

func (s *Server) showInvoice(w http.ResponseWriter, env *envelope) {
	if e := s.checkSession(env); e != nil {
		s.writeError(w, e)
		return
	}
	id, e := s.lookup(env)
	if e != nil {
		s.writeError(w, e)
		return
	}
	inv, _ := s.Invoice(id)
	out := map[string]any{
		"id": inv.ID, "externalId": inv.ExternalID, "systemType": inv.SystemType, "type": inv.Type,
		"invoiceStatus": inv.InvoiceStatus, "amount": inv.Amount, "description": inv.Description,
		"email": inv.Email, "tag": inv.Tag, "redirectUrl": inv.RedirectURL, "callbackUrl": inv.CallbackURL,
		"paymentPageUrl": inv.PaymentPageURL, "createdAt": inv.CreatedAt.Format("2006-01-02T15:04:05.000Z07:00"),
	}
	payments := make([]map[string]any, 0, len(inv.Payments))
	for i := range inv.Payments {
		payments = append(payments, inv.Payments[i].wire())
	}
	out["payments"] = payments
	if len(inv.ExtraInfo) > 0 {
		out["extraInfo"] = inv.ExtraInfo // an object, though it was sent as a string
	}
	if !inv.ExpiresAt.IsZero() {
		out["expiresAt"] = inv.ExpiresAt.UnixMilli()
	}
	if inv.CardToMasked != "" || inv.CardToID != "" {
		out["cardTo"] = map[string]string{"id": inv.CardToID, "panMasked": inv.CardToMasked}
	}
	s.writeData(w, out)
}

// createFields are the data fields invoices/create accepts: the
// documented ones the fake knows.
var createFields = map[string]bool{"externalId": true, "type": true, "amount": true, "description": true,
	"email": true, "redirectUrl": true, "callbackUrl": true, "extraInfo": true, "expiresAt": true,
	"payExpiresAt": true, "cardTo": true, "recurringInterval": true}

var updateFields = map[string]bool{"cardTo": true, "tag": true, "redirectUrl": true, "callbackUrl": true, "extraInfo": true}

func (s *Server) updateInvoice(w http.ResponseWriter, env *envelope) {
	if e := s.checkSession(env); e != nil {
		s.writeError(w, e)
		return
	}
	id, e := s.lookup(env)
	if e != nil {
		s.writeError(w, e)
		return
	}
	for k := range env.data {
		if !updateFields[k] {
			s.writeError(w, formatErr("data", k, "UNKNOWN_FIELD"))
			return
		}
	}
	if e := env.strings("data", "tag", "redirectUrl", "callbackUrl"); e != nil {
		s.writeError(w, e)
		return
	}
	var card struct {
		PAN *string `json:"pan"`
		ID  *string `json:"id"`
	}
	if raw, ok := env.data["cardTo"]; ok {
		if json.Unmarshal(raw, &card) != nil || (card.PAN == nil && card.ID == nil) {
			s.writeError(w, formatErr("data", "cardTo", "INVALID_FORMAT"))
			return
		}
		if card.PAN != nil && !validPAN(*card.PAN) {
			s.writeError(w, &apiError{code: "FORMAT_ERROR", message: "invalid request format",
				data: map[string]string{"cardTo.pan": "INVALID_FORMAT"}})
			return
		}
		if card.ID != nil && !transport.IsUUID(*card.ID) {
			s.writeError(w, &apiError{code: "FORMAT_ERROR", message: "invalid request format",
				data: map[string]string{"cardTo.id": "INVALID_FORMAT"}})
			return
		}
	}
	redirect, e := optionalURL(env, "redirectUrl")
	var callback string
	if e == nil {
		callback, e = optionalURL(env, "callbackUrl")
	}
	var extra json.RawMessage
	if e == nil {
		extra, e = extraInfo(env)
	}
	if e != nil {
		s.writeError(w, e)
		return
	}
	tag, hasTag := env.str("data", "tag")
	s.mu.Lock()
	inv := s.invoices[id]
	if card.PAN != nil {
		p := *card.PAN
		inv.CardToMasked = p[:6] + strings.Repeat("*", len(p)-10) + p[len(p)-4:]
	}
	if card.ID != nil {
		inv.CardToID = *card.ID
	}
	if hasTag {
		inv.Tag = tag
	}
	if redirect != "" {
		inv.RedirectURL = redirect
	}
	if callback != "" {
		inv.CallbackURL = callback
	}
	if extra != nil {
		inv.ExtraInfo = extra
	}
	s.updates[id]++
	s.mu.Unlock()
	s.writeData(w, map[string]any{"id": id})
}

func validPAN(p string) bool {
	if len(p) < 13 || len(p) > 19 {
		return false
	}
	sum := 0
	for i := 0; i < len(p); i++ {
		c := p[len(p)-1-i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if i%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}
