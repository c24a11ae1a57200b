package uapay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/caravanpay/caravan/internal/tolerant"
)

// MaxCallbackBytes caps the body ParseCallback reads.
const MaxCallbackBytes = 64 << 10

// ErrCallback means a callback request is not what UAPAY sends: not a POST,
// too large, not {"token":"…"}, or its claims lack the payment's ids. A
// token that fails verification is ErrSignature instead.
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

type wireCallback struct {
	PaymentID      tolerant.String `json:"paymentId"`
	InvoiceID      tolerant.String `json:"invoiceId"`
	ExternalID     tolerant.String `json:"externalId"`
	PaymentNumber  tolerant.String `json:"paymentNumber"`
	CardFromMasked tolerant.String `json:"cardFromMasked"`
	CardToMasked   tolerant.String `json:"cardToMasked"`
	Amount         tolerant.Int64  `json:"amount"`
	Status         tolerant.String `json:"status"`
	Type           tolerant.String `json:"type"`
	SystemType     tolerant.String `json:"systemType"`
	PaymentStatus  tolerant.String `json:"paymentStatus"`
	ReceiptPath    tolerant.String `json:"receiptPath"`
	ExtraInfo      json.RawMessage `json:"extraInfo"`
	CreateDate     flexTime        `json:"createDate"`
	PayDate        flexTime        `json:"payDate"`
}

// ParseCallback reads and verifies a callback request: a POST whose body
// (at most MaxCallbackBytes) is {"token":"<JWT>"}, the JWT signed with the
// merchant key using HS256 (any other algorithm, "none" included, is
// refused; an expired token too). It returns the callback's claims.
//
// UAPAY delivers a callback until it gets HTTP 200, retrying after 5 s,
// 5 min, 1 h, 2 h and 24 h: the same payment may arrive several times, so
// whatever you do with it must be idempotent (key it on PaymentID and
// PaymentStatus).
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
	if err != nil {
		return nil, err
	}
	var w wireCallback
	if err := json.Unmarshal(claims, &w); err != nil {
		return nil, fmt.Errorf("%w: claims: %v", ErrCallback, err)
	}
	if w.PaymentID == "" && w.InvoiceID == "" {
		return nil, fmt.Errorf("%w: claims have neither paymentId nor invoiceId", ErrCallback)
	}
	return &Callback{
		PaymentID: string(w.PaymentID), InvoiceID: string(w.InvoiceID), ExternalID: string(w.ExternalID),
		PaymentNumber: string(w.PaymentNumber), CardFromMasked: string(w.CardFromMasked),
		CardToMasked: string(w.CardToMasked), Amount: int64(w.Amount), Status: string(w.Status),
		Type: InvoiceType(w.Type), SystemType: SystemType(w.SystemType), PaymentStatus: PaymentStatus(w.PaymentStatus),
		ReceiptPath: string(w.ReceiptPath), ExtraInfo: objectJSON(w.ExtraInfo),
		CreateDate: w.CreateDate.Time, PayDate: w.PayDate.ptr(),
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
