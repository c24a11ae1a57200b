package payguest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/caravanpay/caravan/internal/tolerant"
	"github.com/caravanpay/caravan/internal/transport"
)

// Mode is the delete-prechecks query parameter: what happens to the bill's
// prechecks (пречеки: the parts of the bill already sent for payment)
// before the points discount is applied. Unknown values are refused before
// sending.
type Mode int

const (
	// KeepPrechecks (0, «Не удалять») keeps every precheck and applies the
	// points discount to the rest of the bill, the items not yet sent for
	// payment; items in a precheck get no discount. When every item is in a
	// precheck the server answers «Счет уже передан в оплату»
	// ([ErrAlreadySentForPayment]).
	KeepPrechecks Mode = 0
	// DeleteAllPrechecks (1, «Удалить все пречеки») deletes every precheck
	// and applies the discount to the whole bill. When any precheck is
	// already paid («Оплачен») the server refuses: the bill is already paid
	// ([ErrAlreadyPaid]).
	DeleteAllPrechecks Mode = 1
	// DeleteUnpaidPrechecks (2, «Удалить неоплаченные пречеки») cancels the
	// prechecks whose payment has not started and deletes the others that
	// have no check (receipt) yet, then applies the discount; paid prechecks
	// stay.
	DeleteUnpaidPrechecks Mode = 2
)

// String names the mode, e.g. "DeleteAllPrechecks(1)".
func (m Mode) String() string {
	switch m {
	case KeepPrechecks:
		return "KeepPrechecks(0)"
	case DeleteAllPrechecks:
		return "DeleteAllPrechecks(1)"
	case DeleteUnpaidPrechecks:
		return "DeleteUnpaidPrechecks(2)"
	}
	return "Mode(" + strconv.Itoa(int(m)) + ")"
}

// Ptr returns a pointer to v, for optional fields such as
// PayGuestRequest.DeletePrechecks:
//
//	DeletePrechecks: payguest.Ptr(payguest.DeleteUnpaidPrechecks)
func Ptr[T any](v T) *T { return &v }

// PayGuestRequest pays a guest bill, optionally with a points discount.
type PayGuestRequest struct {
	// Payment names the bill and the payment. Required.
	Payment Payment
	// DiscountSum is a loyalty-points discount (баллы) to apply before
	// paying; nil for none. The server notes it on the bill and
	// recalculates the bill's discounts.
	DiscountSum *DiscountSum
	// DeletePrechecks says what to do with the bill's prechecks; nil sends
	// no delete-prechecks parameter and leaves the choice to the server.
	DeletePrechecks *Mode
}

// Payment is the "Payment" object of the request.
type Payment struct {
	// GuestID is the guest bill's id (gest_ID), a GUID such as
	// "3F2504E0-4F89-11D3-9A0C-0305E82C3301": 8-4-4-4-12 hexadecimal digits
	// in either case, without braces. It identifies the bill (гостевой
	// счёт), not a person. Required.
	GuestID string
	// PaySum is the amount paid (paySum). It must equal the bill's total
	// less the points discount, or the server answers [ErrAmountMismatch];
	// when it does, the server creates a precheck and a check «Оплачен» for
	// it. Leave it "" to send no paySum: then no precheck or check is
	// created, which applies a points discount without paying. Must not be
	// negative.
	PaySum Decimal
	// PayTypeID is the pay type's GUID (payType_ID); it also becomes the
	// bill's prepaid pay type (gsdlv_pytp_ID_Prepaid). Optional when the
	// bill already has a prepaid pay type, else the server answers
	// [ErrNoPayType].
	PayTypeID string
}

// DiscountSum is the "DiscountSum" object of the request: a points
// discount.
type DiscountSum struct {
	// TypeID is the points discount type's GUID (type_ID); "" lets the
	// server take it from its module settings.
	TypeID string
	// Sum is the discount amount (sum), required and not negative.
	Sum Decimal
}

// PayGuestResult is the server's answer to PayGuest.
type PayGuestResult struct {
	// DiscountSums are the points discounts declared for the bill
	// (DiscountSums).
	DiscountSums []DiscountSumResult
	// AppliedDiscountSums are the points discounts actually applied
	// (AppliedDiscountSums). It is nil when the reply has no such field,
	// which means points are not configured on the server, and a non-nil
	// empty slice when the reply has an empty list; see
	// [PayGuestResult.PointsConfigured].
	AppliedDiscountSums []DiscountSumResult
}

// PointsConfigured reports whether the reply carried AppliedDiscountSums.
// The document says its absence means the points discount is not set up on
// the server (no points were applied) — not an error.
func (r *PayGuestResult) PointsConfigured() bool { return r != nil && r.AppliedDiscountSums != nil }

// DiscountSumResult is one points discount in a reply.
type DiscountSumResult struct {
	TypeID string  // points discount type GUID (type_ID), as the server wrote it
	Sum    Decimal // the amount (sum), exactly as the server wrote it
}

// PayGuest pays a guest bill: POST /pay-guest (with ?delete-prechecks=N
// when DeletePrechecks is set).
//
// Retry class: unsafe — it moves money and carries no idempotency key, so
// it is retried only when the request never reached the server (the
// connection failed to open) or the server answered 429 or 503, which say
// nothing was done. When the connection breaks after the request was sent,
// or a gateway answers 502/504, the error is [ErrOutcomeUnknown] and the
// call is not repeated: the bill may have been paid. Check the bill in
// Tillypad before paying again; resending the same payment with
// KeepPrechecks or DeleteAllPrechecks is answered with
// [ErrAlreadySentForPayment] or [ErrAlreadyPaid] when the first one went
// through.
//
// What to do with the outcome:
//   - nil: the bill was paid, exactly once.
//   - errors.Is(err, ErrOutcomeUnknown): it may have been paid (a cut or
//     timed-out reply, a cancel after sending, 500/502/504, an unreadable
//     or oversized 2xx, an odd status). [SafeToRepeat] is false: pay-guest
//     has no read to look with, so check the bill in Tillypad, or resend
//     with KeepPrechecks or DeleteAllPrechecks, whose errors reveal a paid
//     bill.
//   - any other error: not paid.
//
// The request is checked before sending (GuestID and type ids are GUIDs,
// amounts are plain non-negative decimals, Mode is 0, 1 or 2); a refused
// request satisfies errors.Is(err, ErrInvalidRequest). Every error after
// sending is an [*Error].
func (c *Client) PayGuest(ctx context.Context, req *PayGuestRequest) (*PayGuestResult, error) {
	body, query, err := encodePayGuest(req)
	if err != nil {
		return nil, err
	}
	resp, err := c.t.Do(ctx, &transport.Request{
		Method: http.MethodPost,
		Path:   "/pay-guest",
		Query:  query,
		Body:   &body,
		Class:  transport.Unsafe,
	})
	if err != nil {
		return nil, newError(err)
	}
	return decodePayGuest(resp)
}

type wireRequest struct {
	Payment     wirePayment   `json:"Payment"`
	DiscountSum *wireDiscount `json:"DiscountSum,omitempty"`
}

type wirePayment struct {
	GestID    string  `json:"gest_ID"`
	PaySum    Decimal `json:"paySum,omitempty"`
	PayTypeID string  `json:"payType_ID,omitempty"`
}

type wireDiscount struct {
	TypeID string  `json:"type_ID,omitempty"`
	Sum    Decimal `json:"sum"`
}

// encodePayGuest validates the request and builds its body and query.
func encodePayGuest(req *PayGuestRequest) (transport.Body, url.Values, error) {
	if err := validate(req); err != nil {
		return transport.Body{}, nil, err
	}
	w := wireRequest{Payment: wirePayment{
		GestID: req.Payment.GuestID, PaySum: req.Payment.PaySum, PayTypeID: req.Payment.PayTypeID,
	}}
	if d := req.DiscountSum; d != nil {
		w.DiscountSum = &wireDiscount{TypeID: d.TypeID, Sum: d.Sum}
	}
	body, err := transport.JSON(w)
	if err != nil {
		return transport.Body{}, nil, invalid("request", "cannot be encoded: %v", err)
	}
	var q url.Values
	if req.DeletePrechecks != nil {
		q = url.Values{"delete-prechecks": {strconv.Itoa(int(*req.DeletePrechecks))}}
	}
	return body, q, nil
}

// validate checks every documented constraint of a request.
func validate(req *PayGuestRequest) error {
	if req == nil {
		return invalid("request", "is nil")
	}
	p := req.Payment
	if p.GuestID == "" {
		return invalid("Payment.gest_ID", "is required")
	}
	if !transport.IsUUID(p.GuestID) {
		return invalid("Payment.gest_ID", "must be a GUID (8-4-4-4-12 hex digits), got %q", clip(p.GuestID))
	}
	if p.PaySum != "" {
		if err := checkAmount(p.PaySum); err != nil {
			return invalid("Payment.paySum", "%v", err)
		}
	}
	if p.PayTypeID != "" && !transport.IsUUID(p.PayTypeID) {
		return invalid("Payment.payType_ID", "must be a GUID (8-4-4-4-12 hex digits), got %q", clip(p.PayTypeID))
	}
	if d := req.DiscountSum; d != nil {
		if d.TypeID != "" && !transport.IsUUID(d.TypeID) {
			return invalid("DiscountSum.type_ID", "must be a GUID (8-4-4-4-12 hex digits), got %q", clip(d.TypeID))
		}
		if d.Sum == "" {
			return invalid("DiscountSum.sum", "is required when DiscountSum is set")
		}
		if err := checkAmount(d.Sum); err != nil {
			return invalid("DiscountSum.sum", "%v", err)
		}
	}
	if m := req.DeletePrechecks; m != nil && (*m < KeepPrechecks || *m > DeleteUnpaidPrechecks) {
		return invalid("delete-prechecks", "must be 0, 1 or 2, got %d", int(*m))
	}
	return nil
}

// checkAmount accepts a plain, non-negative decimal.
func checkAmount(d Decimal) error {
	c, err := canonical(string(d))
	if err != nil {
		return err
	}
	if c[0] == '-' && Decimal(c).Cmp("0") != 0 {
		return fmt.Errorf("must not be negative, got %s", c)
	}
	return nil
}

type wireResult struct {
	DiscountSums        []wireSum  `json:"DiscountSums"`
	AppliedDiscountSums *[]wireSum `json:"AppliedDiscountSums"`
}

type wireSum struct {
	TypeID tolerant.String  `json:"type_ID"`
	Sum    tolerant.Decimal `json:"sum"`
}

// decodePayGuest reads a 2xx reply: a bare JSON string is the server's
// error text; an object is the result; anything else is unreadable, and
// since the server may have paid, it is also ErrOutcomeUnknown.
func decodePayGuest(resp *transport.Response) (*PayGuestResult, error) {
	body := trimBody(resp.Body)
	if len(body) > 0 && body[0] == '"' {
		if _, ok := errorText(body); ok {
			return nil, newError(resp.Fail(transport.ErrValidation, "", nil))
		}
	}
	var w wireResult
	var err error
	if len(body) == 0 || body[0] != '{' {
		err = fmt.Errorf("want a JSON object, got %s", describe(body))
	} else {
		err = json.Unmarshal(body, &w)
	}
	if err != nil {
		return nil, newError(resp.Fail(transport.ErrUnexpectedResponse,
			"the reply cannot be read and the bill may have been paid",
			fmt.Errorf("%w: %w", ErrOutcomeUnknown, err)))
	}
	out := &PayGuestResult{DiscountSums: sums(w.DiscountSums)}
	if w.AppliedDiscountSums != nil {
		out.AppliedDiscountSums = sums(*w.AppliedDiscountSums)
		if out.AppliedDiscountSums == nil {
			out.AppliedDiscountSums = []DiscountSumResult{}
		}
	}
	return out, nil
}

func sums(in []wireSum) []DiscountSumResult {
	if len(in) == 0 {
		return nil
	}
	out := make([]DiscountSumResult, len(in))
	for i, s := range in {
		out[i] = DiscountSumResult{TypeID: string(s.TypeID), Sum: Decimal(s.Sum)}
	}
	return out
}

func describe(b []byte) string {
	if len(b) == 0 {
		return "an empty body"
	}
	switch b[0] {
	case '[':
		return "an array"
	case '<':
		return "HTML"
	case 'n':
		return "null"
	}
	return "something else"
}
