package activeplatform

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/caravanpay/caravan/internal/tolerant"
	"github.com/caravanpay/caravan/internal/transport"
)

// CorrectionStatus is a correction's status. Values the documents do not
// name are kept as received.
type CorrectionStatus string

// The correction statuses of API v3. The older v1 API names the pending
// status "waiting for approval"; [CorrectionStatus.Pending] accepts both.
const (
	CorrectionApprovalRequired CorrectionStatus = "approval_required" // created, waiting for a manager's decision
	CorrectionApproved         CorrectionStatus = "approved"          // approved; approved_at is set
	CorrectionDeclined         CorrectionStatus = "declined"          // declined
)

// Pending reports whether the correction still waits for approval (only
// such a correction can be approved or declined).
func (s CorrectionStatus) Pending() bool {
	return s == CorrectionApprovalRequired || s == "waiting for approval"
}

// Correction is ActivePlatform's correction resource ("type":
// "corrections"): the platform's refund and adjustment mechanism, money
// that came back to or was taken from an account's balance outside a
// payment.
type Correction struct {
	ID              int64            // the correction id, 738
	Status          CorrectionStatus // approval_required, approved, declined…
	AccountID       int64            // the account whose balance it corrects
	ManagerID       int64            // the manager who last changed it, 0 if none
	Total           Decimal          // exact decimal text, "100.25"
	IncludedInvoice bool             // whether it is included in an invoice
	SubscriptionID  int64            // the subscription it concerns, 0 if none
	PeriodFrom      Date             // start of the corrected period, "2021-12-01"
	PeriodTo        Date             // end of the corrected period
	// Comment is the correction's comment. The reply model spells the
	// member "сomment" with a Cyrillic "с"; the example uses the Latin
	// "comment". Both are read (the Latin one wins when both are sent).
	Comment string
	// ApprovedAt is the approval date, "2021-08-10": in the example, not
	// in the model; "" until approved.
	ApprovedAt Date
	CreatedAt  time.Time // created_at, with the installation's offset
	UpdatedAt  time.Time // updated_at
}

type wireCorrection struct {
	ID         text   `json:"id"`
	Type       string `json:"type"`
	Attributes struct {
		CreatedAt       stamp          `json:"created_at"`
		UpdatedAt       stamp          `json:"updated_at"`
		AccountID       tolerant.Int64 `json:"account_id"`
		ManagerID       tolerant.Int64 `json:"manager_id"`
		Status          text           `json:"status"`
		Total           Decimal        `json:"total"`
		IncludedInvoice flexBool       `json:"included_invoice"`
		SubscriptionID  tolerant.Int64 `json:"subscription_id"`
		PeriodFrom      text           `json:"period_from"`
		PeriodTo        text           `json:"period_to"`
		Comment         *text          `json:"comment"`
		CyrillicComment *text          `json:"\u0441omment"` // the reply model's slip: Cyrillic "с"
		ApprovedAt      text           `json:"approved_at"`
	} `json:"attributes"`
}

// DecodeCorrection decodes a JSON:API document whose primary data is one
// correction, such as the reply to [Client.CreateCorrection] or
// [Client.UpdateCorrectionStatus]. Its errors match
// [ErrUnexpectedResponse].
func DecodeCorrection(body []byte) (*Correction, error) {
	c, err := decodeCorrection(body)
	if err != nil {
		return nil, &decodeError{what: "correction document", err: err}
	}
	return c, nil
}

func decodeCorrection(body []byte) (*Correction, error) {
	w, err := decodeOne[wireCorrection](body, "correction", "a correction")
	if err != nil {
		return nil, err
	}
	if w.Type != "" && w.Type != "corrections" {
		return nil, fmt.Errorf("want a corrections resource, got type %q", w.Type)
	}
	id, err := parseID("correction", w.ID)
	if err != nil {
		return nil, err
	}
	a := &w.Attributes
	c := &Correction{
		ID: id, Status: CorrectionStatus(a.Status), AccountID: int64(a.AccountID), ManagerID: int64(a.ManagerID),
		Total: a.Total, IncludedInvoice: bool(a.IncludedInvoice), SubscriptionID: int64(a.SubscriptionID),
		PeriodFrom: Date(a.PeriodFrom), PeriodTo: Date(a.PeriodTo), ApprovedAt: Date(a.ApprovedAt),
		CreatedAt: a.CreatedAt.Time, UpdatedAt: a.UpdatedAt.Time,
	}
	switch {
	case a.Comment != nil:
		c.Comment = string(*a.Comment)
	case a.CyrillicComment != nil:
		c.Comment = string(*a.CyrillicComment)
	}
	return c, nil
}

// CreateCorrectionRequest describes a new correction; see
// [Client.CreateCorrection].
type CreateCorrectionRequest struct {
	// AccountID is the account whose balance is corrected. Required,
	// positive.
	AccountID int64
	// IncludedInvoice says whether the correction is included in an
	// invoice. Required by the table: always sent.
	IncludedInvoice bool
	// SubscriptionID is the subscription the correction concerns; 0 leaves
	// it out. The table marks it optional ("Required if …", the rest of the
	// sentence is cut); the client does not guess the condition.
	SubscriptionID int64
	// PeriodFrom and PeriodTo bound the corrected period, YYYY-MM-DD; ""
	// leaves one out. When both are set PeriodFrom must not be after
	// PeriodTo.
	PeriodFrom, PeriodTo Date
	// Total is the correction's amount, a plain decimal such as "100.25";
	// required and not zero. A minus sign is allowed (money taken from the
	// balance). It is sent as a JSON string, as the table types it.
	Total Decimal
	// Comment is free text; "" leaves it out.
	Comment string
}

type createCorrectionAttrs struct {
	AccountID       int64  `json:"account_id"`
	IncludedInvoice bool   `json:"included_invoice"`
	SubscriptionID  int64  `json:"subscription_id,omitempty"`
	PeriodFrom      Date   `json:"period_from,omitempty"`
	PeriodTo        Date   `json:"period_to,omitempty"`
	Total           string `json:"total"`
	Comment         string `json:"comment,omitempty"`
}

func (r *CreateCorrectionRequest) attrs() (createCorrectionAttrs, error) {
	var a createCorrectionAttrs
	if r == nil {
		return a, invalid("request", "is nil")
	}
	if err := checkID("account_id", r.AccountID); err != nil {
		return a, err
	}
	if r.SubscriptionID < 0 {
		return a, invalid("subscription_id", "must be positive, got %d", r.SubscriptionID)
	}
	for _, d := range []struct {
		field string
		v     Date
	}{{"period_from", r.PeriodFrom}, {"period_to", r.PeriodTo}} {
		if _, ok := d.v.Time(); d.v != "" && !ok {
			return a, invalid(d.field, "must be a date YYYY-MM-DD, got %q", clipID(string(d.v)))
		}
	}
	if r.PeriodFrom != "" && r.PeriodTo != "" && r.PeriodFrom > r.PeriodTo {
		return a, invalid("period_to", "must not be before period_from (%s), got %s", r.PeriodFrom, r.PeriodTo)
	}
	total, err := tolerant.ParsePlainDecimal(string(r.Total))
	if err != nil {
		return a, invalid("total", "must be a plain decimal, got %q", clipID(string(r.Total)))
	}
	if rat, ok := Decimal(total).Rat(); !ok || rat.Sign() == 0 {
		return a, invalid("total", "must not be zero, got %q", string(r.Total))
	}
	return createCorrectionAttrs{AccountID: r.AccountID, IncludedInvoice: r.IncludedInvoice,
		SubscriptionID: r.SubscriptionID, PeriodFrom: r.PeriodFrom, PeriodTo: r.PeriodTo,
		Total: total, Comment: r.Comment}, nil
}

// CreateCorrection records a correction of an account's balance — money
// that came back, or was paid from the balance, outside a payment — and
// returns it (201 Created; the platform puts it in approval_required when
// it needs a manager's approval: see [Client.UpdateCorrectionStatus]). A
// manager with the Product owner role may not create corrections (403,
// [ErrUnauthorized]).
//
// Endpoint: POST /api/v3/resellers/{reseller_id}/corrections, body
// {"data":{"type":"corrections","attributes":{"account_id":505,
// "included_invoice":true,"subscription_id":3008954,
// "period_from":"2021-12-01","period_to":"2021-12-31","total":"100.25",
// "comment":"…"}}}.
//
// Retry class: unsafe — there is no idempotency key, and the API offers no
// way to list or read corrections to look before sending again, so a
// resend could record the money twice: retried only when the request never
// left, or on 429/503.
//
// What to do with the outcome:
//   - nil: created, exactly once.
//   - errors.Is(err, ErrOutcomeUnknown): a correction may have been
//     created. [SafeToRepeat] is false: look first — corrections are
//     reachable with [IncludeCorrections] on [Client.GetPayment] or
//     [Client.GetInvoice], or in the operator's control panel — and create
//     again only if it is not there.
//   - any other error: nothing was created.
func (c *Client) CreateCorrection(ctx context.Context, resellerID int64, req *CreateCorrectionRequest) (*Correction, error) {
	if err := checkID("reseller_id", resellerID); err != nil {
		return nil, err
	}
	attrs, err := req.attrs()
	if err != nil {
		return nil, err
	}
	body, err := jsonAPIBody("corrections", "", attrs)
	if err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, &transport.Request{
		Method: http.MethodPost, Body: body, Class: transport.Unsafe,
		Path: transport.Path("/api/v3/resellers/%s/corrections", strconv.FormatInt(resellerID, 10)),
	})
	if err != nil {
		return nil, err
	}
	return decodeReply(resp, DecodeCorrection)
}

// UpdateCorrectionStatusRequest approves or declines one correction; see
// [Client.UpdateCorrectionStatus].
type UpdateCorrectionStatusRequest struct {
	// ResellerID is reseller_id: the reseller the correction belongs to.
	// Required, positive.
	ResellerID int64
	// CorrectionID is correction_id: the correction's id. Required,
	// positive.
	CorrectionID int64
	// Status is status: the decision, [CorrectionApproved] or
	// [CorrectionDeclined]. Required.
	Status CorrectionStatus
}

// UpdateCorrectionStatus approves or declines a correction that is in
// approval_required, and returns it. req.Status must be
// [CorrectionApproved] or [CorrectionDeclined]. A correction in any other status is refused by
// the installation (an *Error matching [ErrValidation]).
//
// Endpoint: PATCH /api/v3/resellers/{reseller_id}/corrections/{correction_id},
// body {"data":{"type":"corrections","id":"738","attributes":{"status":"approved"}}}.
// The page's request example writes the path
// …/corrections/correction/738; the extra "/correction/" is a slip of
// the example (the method line and every other corrections path lack it),
// and the client sends the path without it.
//
// Retry class: idempotent — by nature: the status can leave
// approval_required only once, so a second identical PATCH is refused
// instead of applied again. It is retried on connection errors, 408, 429
// and 5xx.
//
// What to do with the outcome:
//   - nil: approved or declined by this call, exactly once.
//   - errors.Is(err, ErrOutcomeUnknown): it may have been applied (for
//     example a retry met the refusal after the first attempt landed).
//     [SafeToRepeat] is true: the decision takes effect at most once;
//     read the correction through [Client.GetPayment] or [Client.GetInvoice]
//     with [IncludeCorrections] to see its status.
//   - any other error: not applied.
func (c *Client) UpdateCorrectionStatus(ctx context.Context, req *UpdateCorrectionStatusRequest) (*Correction, error) {
	if req == nil {
		return nil, invalid("request", "is nil")
	}
	if err := checkID("reseller_id", req.ResellerID); err != nil {
		return nil, err
	}
	if err := checkID("correction_id", req.CorrectionID); err != nil {
		return nil, err
	}
	if req.Status != CorrectionApproved && req.Status != CorrectionDeclined {
		return nil, invalid("status", "must be %q or %q, got %q", CorrectionApproved, CorrectionDeclined, clipID(strings.TrimSpace(string(req.Status))))
	}
	id := strconv.FormatInt(req.CorrectionID, 10)
	body, err := jsonAPIBody("corrections", id, struct {
		Status CorrectionStatus `json:"status"`
	}{req.Status})
	if err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, &transport.Request{
		Method: http.MethodPatch, Body: body, Class: transport.Idempotent,
		Path: transport.Path("/api/v3/resellers/%s/corrections/%s", strconv.FormatInt(req.ResellerID, 10), id),
	})
	if err != nil {
		return nil, err
	}
	return decodeReply(resp, DecodeCorrection)
}
