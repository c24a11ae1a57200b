package uapay

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/caravanpay/caravan/internal/tolerant"
)

// MaxCallbackBytes caps the body ParseCallback reads.
const MaxCallbackBytes = 64 << 10

// ErrCallback means a callback request is not what UAPAY sends: not a POST,
// too large, not {"token":"…"}, or a token whose signature verifies but
// whose claims are malformed (not one JSON object, a key repeated, nesting
// deeper than 32 levels, a claim of the wrong kind) or lack the payment's
// ids. A token that fails verification is ErrSignature instead.
var ErrCallback = errors.New("uapay: malformed callback")

// Callback is a payment notification UAPAY POSTs to an invoice's
// callbackUrl, read from its verified token. Card numbers in it are masked
// by UAPAY. Amounts are kopecks.
type Callback struct {
	PaymentID      string          // paymentId
	InvoiceID      string          // invoiceId: the invoice paid
	ExternalID     string          // externalId: your order id
	PaymentNumber  string          // paymentNumber
	CardFromMasked string          // cardFromMasked: the payer's card, masked
	CardToMasked   string          // cardToMasked: the recipient card, masked (P2P)
	Amount         int64           // amount in kopecks
	Status         string          // UAPAY's status field, kept as sent
	Type           InvoiceType     // PAY, HOLD, SUBSCRIBE
	SystemType     SystemType      // systemType: ECOM or P2P
	PaymentStatus  PaymentStatus   // unknown values are kept
	ReceiptPath    string          // link to the payment's receipt
	ExtraInfo      json.RawMessage // extraInfo: the invoice's JSON object
	CreateDate     time.Time       // createDate: when the payment was created
	PayDate        *time.Time      // payDate: when it was paid, nil if not
}

// callbackNames lists, for each Callback field read from a claim, the
// documented claim name first and then the older names UAPAY's own
// 1C-Bitrix handler still accepts (paymentId ?? id, invoiceId ?? orderId)
// and that earlier UAPAY callbacks used. Names match exactly: "Amount" is
// not "amount".
var callbackNames = struct {
	paymentID, invoiceID, externalID, paymentNumber, cardFrom, cardTo []string
	amount, status, typ, systemType, paymentStatus, receiptPath       []string
	extraInfo, createDate, payDate                                    []string
}{
	paymentID:     []string{"paymentId", "id"},
	invoiceID:     []string{"invoiceId", "orderId"},
	externalID:    []string{"externalId"},
	paymentNumber: []string{"paymentNumber", "number"},
	cardFrom:      []string{"cardFromMasked", "cardPanMasked"},
	cardTo:        []string{"cardToMasked"},
	amount:        []string{"amount"},
	status:        []string{"status"},
	typ:           []string{"type"},
	systemType:    []string{"systemType"},
	paymentStatus: []string{"paymentStatus"},
	receiptPath:   []string{"receiptPath"},
	extraInfo:     []string{"extraInfo"},
	createDate:    []string{"createDate"},
	payDate:       []string{"payDate"},
}

// claim returns the first of names present in fields with a value that is
// neither null nor an empty string.
func claim(fields map[string]json.RawMessage, names []string) (json.RawMessage, string) {
	for _, n := range names {
		raw := bytes.TrimSpace(fields[n])
		if len(raw) == 0 || string(raw) == "null" || string(raw) == `""` {
			continue
		}
		return raw, n
	}
	return nil, ""
}

// decodeClaim decodes the first present claim of names into v.
func decodeClaim(fields map[string]json.RawMessage, names []string, v json.Unmarshaler) error {
	raw, name := claim(fields, names)
	if raw == nil {
		return nil
	}
	if err := v.UnmarshalJSON(raw); err != nil {
		return fmt.Errorf("%w: claim %s: %v", ErrCallback, name, err)
	}
	return nil
}

// ParseCallback reads and verifies a callback request: a POST whose body
// (at most MaxCallbackBytes) is {"token":"<JWT>"}, the JWT signed with the
// merchant key using HS256 (any other algorithm, "none" included, is
// refused; an expired token too). Each segment must be canonical base64url
// (no padding, no stray characters, zero unused bits), so a signed token
// has one spelling. It returns the callback's claims, read by their exact
// names — the documented ones first, then the older names UAPAY's own
// handlers accept (id, orderId, number, cardPanMasked); dates may be ISO
// 8601, or Unix seconds or milliseconds in numbers or strings.
//
// UAPAY delivers a callback until it gets HTTP 200, retrying after 5 s,
// 5 min, 1 h, 2 h and 24 h: the same payment event may arrive several
// times. Apply each event once by recording [Callback.DeliveryKey] in the
// transaction that applies it.
func (c *Client) ParseCallback(r *http.Request) (*Callback, error) {
	if r.Method != http.MethodPost {
		return nil, fmt.Errorf("%w: method %s, want POST", ErrCallback, r.Method)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxCallbackBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: read body: %v", ErrCallback, err)
	}
	if len(body) > MaxCallbackBytes {
		return nil, fmt.Errorf("%w: body larger than %d bytes", ErrCallback, MaxCallbackBytes)
	}
	return c.parseCallbackBody(body)
}

func (c *Client) parseCallbackBody(body []byte) (*Callback, error) {
	var env struct {
		Token json.RawMessage `json:"token"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("%w: body is not a JSON object", ErrCallback)
	}
	var token string
	if json.Unmarshal(env.Token, &token) != nil || strings.TrimSpace(token) == "" {
		return nil, fmt.Errorf("%w: body has no token", ErrCallback)
	}
	claims, err := c.keys.verify(strings.TrimSpace(token), c.now())
	if errors.Is(err, errMalformedClaims) {
		// signed by the key, but not claims UAPAY sends: malformed, not forged
		return nil, fmt.Errorf("%w: %v", ErrCallback, err)
	}
	if err != nil {
		return nil, err
	}
	fields, err := checkedClaims{doc: claims}.fields() // verify checked them
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCallback, err)
	}
	n := &callbackNames
	var paymentID, invoiceID, externalID, number, cardFrom, cardTo tolerant.String
	var status, typ, systemType, paymentStatus, receipt tolerant.String
	var amount tolerant.Int64
	var created, paid flexTime
	for _, d := range []struct {
		names []string
		v     json.Unmarshaler
	}{
		{n.paymentID, &paymentID}, {n.invoiceID, &invoiceID}, {n.externalID, &externalID},
		{n.paymentNumber, &number}, {n.cardFrom, &cardFrom}, {n.cardTo, &cardTo}, {n.amount, &amount},
		{n.status, &status}, {n.typ, &typ}, {n.systemType, &systemType}, {n.paymentStatus, &paymentStatus},
		{n.receiptPath, &receipt}, {n.createDate, &created}, {n.payDate, &paid},
	} {
		if err := decodeClaim(fields, d.names, d.v); err != nil {
			return nil, err
		}
	}
	if paymentID == "" && invoiceID == "" {
		return nil, fmt.Errorf("%w: claims have neither paymentId nor invoiceId", ErrCallback)
	}
	extra, _ := claim(fields, n.extraInfo)
	return &Callback{
		PaymentID: string(paymentID), InvoiceID: string(invoiceID), ExternalID: string(externalID),
		PaymentNumber: string(number), CardFromMasked: string(cardFrom),
		CardToMasked: string(cardTo), Amount: int64(amount), Status: string(status),
		Type: InvoiceType(typ), SystemType: SystemType(systemType), PaymentStatus: PaymentStatus(paymentStatus),
		ReceiptPath: string(receipt), ExtraInfo: objectJSON(extra),
		CreateDate: created.Time, PayDate: paid.ptr(),
	}, nil
}

// CallbackHandler returns an http.Handler for the callbackUrl: it verifies
// each callback with ParseCallback and calls fn with it. It answers 200
// when fn returns nil; 401 for a token that fails verification, 405 for a
// method other than POST and 400 for any other malformed request (UAPAY
// gains nothing from retrying those); and 500 when fn fails, so UAPAY
// delivers the callback again later. fn must therefore be idempotent.
func (c *Client) CallbackHandler(fn func(ctx context.Context, cb *Callback) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cb, err := c.ParseCallback(r)
		switch {
		case err == nil:
		case r.Method != http.MethodPost:
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		case errors.Is(err, ErrSignature):
			http.Error(w, "invalid callback signature", http.StatusUnauthorized)
			return
		default:
			http.Error(w, "malformed callback", http.StatusBadRequest)
			return
		}
		if err := fn(r.Context(), cb); err != nil {
			http.Error(w, "callback not processed", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, "OK")
	})
}

// DeliveryKey identifies the payment event this callback reports, so that
// a handler can apply each event once although UAPAY delivers it again
// until it gets HTTP 200 (after 5 s, 5 min, 1 h, 2 h and 24 h). It is
// derived from the verified claims — never from the token's text, which
// differs between deliveries (a fresh iat) — and is the same for every
// delivery of one event: the payment, the invoice, the payment's status
// and UAPAY's status field, the amount, and the payment date. A new status
// of the same payment (HOLDED, then FINISHED, then REVERSED) is a new
// event with a new key. Store it in a unique column, or check it in the
// transaction that applies the payment; see the CallbackHandler example.
//
// The key is 32 lower-case hexadecimal characters (128 bits of SHA-256).
func (cb *Callback) DeliveryKey() string {
	h := sha256.New()
	field := func(s string) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	field("uapay-callback-v1")
	field(cb.PaymentID)
	field(cb.InvoiceID)
	field(string(cb.PaymentStatus))
	field(cb.Status)
	field(strconv.FormatInt(cb.Amount, 10))
	if cb.PayDate != nil {
		field(strconv.FormatInt(cb.PayDate.UnixMilli(), 10))
	} else {
		field("")
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
