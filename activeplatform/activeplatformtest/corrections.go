package activeplatformtest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// The correction statuses of the fake's status machine: a correction is
// created approval_required and leaves it once, to approved or declined.
const (
	CorrectionApprovalRequired = "approval_required"
	CorrectionApproved         = "approved"
	CorrectionDeclined         = "declined"
)

// NotPendingCorrectionBody is the fake's 422 for approving or declining a
// correction that is not approval_required. The documents show no error
// body for corrections; this one follows the shape of the payments' 422.
const NotPendingCorrectionBody = `{"errors":{"title":"Only corrections with \"approval required\" status can be approved or declined.","status":"422"}}`

// Correction is a correction of the fake installation, created through
// the API or with [Server.AddCorrection].
type Correction struct {
	ID              int64     // the correction's id
	ResellerID      int64     // the reseller it belongs to
	AccountID       int64     // the account it corrects
	ManagerID       int64     // the manager who created it
	Status          string    // approval_required, approved or declined
	Total           string    // decimal text as sent, "100.25"
	IncludedInvoice bool      // whether it is included in an invoice
	SubscriptionID  int64     // the subscription it concerns, 0 if none
	PeriodFrom      string    // YYYY-MM-DD
	PeriodTo        string    // YYYY-MM-DD
	Comment         string    // the reason given
	ApprovedAt      string    // YYYY-MM-DD once approved
	CreatedAt       time.Time // when it was created
	UpdatedAt       time.Time // when it last changed
}

// AddCorrection adds or replaces a correction, filling defaults for zero
// fields (ID: the next free id; Status approval_required; CreatedAt now),
// and returns it as stored.
func (s *Server) AddCorrection(c Correction) Correction {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.addCorrectionLocked(c)
}

func (s *Server) addCorrectionLocked(c Correction) *Correction {
	if c.ID == 0 {
		c.ID = s.nextCorr
	}
	if c.ID >= s.nextCorr {
		s.nextCorr = c.ID + 1
	}
	if c.Status == "" {
		c.Status = CorrectionApprovalRequired
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = s.now()
	}
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = c.CreatedAt
	}
	s.corrections[c.ID] = &c
	return &c
}

// Correction returns a copy of the correction with the id.
func (s *Server) Correction(id int64) (Correction, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.corrections[id]
	if !ok {
		return Correction{}, false
	}
	return *c, true
}

// Corrections returns a copy of every correction created through the API
// or added, in id order: the ledger a test checks that a correction was
// recorded once.
func (s *Server) Corrections() []Correction {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Correction, 0, len(s.corrections))
	for id := int64(1); id < s.nextCorr; id++ {
		if c, ok := s.corrections[id]; ok {
			out = append(out, *c)
		}
	}
	return out
}

func (s *Server) correctionResource(c *Correction) map[string]any {
	opt := func(v string) any {
		if v == "" {
			return nil
		}
		return v
	}
	var sub, manager any
	if c.SubscriptionID != 0 {
		sub = c.SubscriptionID
	}
	if c.ManagerID != 0 {
		manager = c.ManagerID
	}
	return map[string]any{"data": map[string]any{
		"id": strconv.FormatInt(c.ID, 10), "type": "corrections",
		"attributes": map[string]any{
			"created_at": c.CreatedAt.In(s.zone).Format(timeLayout), "updated_at": c.UpdatedAt.In(s.zone).Format(timeLayout),
			"account_id": c.AccountID, "manager_id": manager, "status": c.Status, "total": c.Total,
			"included_invoice": c.IncludedInvoice, "subscription_id": sub, "period_from": opt(c.PeriodFrom),
			"period_to": opt(c.PeriodTo), "comment": c.Comment, "approved_at": opt(c.ApprovedAt),
		},
	}}
}

// createCorrection records a correction in approval_required.
func (s *Server) createCorrection(w http.ResponseWriter, r *http.Request, rid int64) {
	var attrs struct {
		AccountID       json.RawMessage `json:"account_id"`
		IncludedInvoice *bool           `json:"included_invoice"`
		SubscriptionID  json.RawMessage `json:"subscription_id"`
		PeriodFrom      string          `json:"period_from"`
		PeriodTo        string          `json:"period_to"`
		Total           any             `json:"total"`
		Comment         string          `json:"comment"`
	}
	if !decodeAttributes(w, r, "corrections", "", &attrs) {
		return
	}
	account, ok := wholeNumber(attrs.AccountID)
	if !ok {
		invalid(w, "account_id", "account_id must be a positive integer.")
		return
	}
	if attrs.IncludedInvoice == nil {
		invalid(w, "included_invoice", "included_invoice is required.")
		return
	}
	var sub int64
	if len(attrs.SubscriptionID) > 0 && string(attrs.SubscriptionID) != "null" {
		if sub, ok = wholeNumber(attrs.SubscriptionID); !ok {
			invalid(w, "subscription_id", "subscription_id must be a positive integer.")
			return
		}
	}
	for attr, v := range map[string]string{"period_from": attrs.PeriodFrom, "period_to": attrs.PeriodTo} {
		if _, err := time.Parse(time.DateOnly, v); v != "" && err != nil {
			invalid(w, attr, attr+" must be a date YYYY-MM-DD.")
			return
		}
	}
	total, ok := decimal(attrs.Total)
	if !ok || total.Sign() == 0 {
		invalid(w, "total", "total must be a non-zero number.")
		return
	}
	text, _ := attrs.Total.(string)
	if n, isNum := attrs.Total.(json.Number); isNum {
		text = string(n)
	}
	c := s.addCorrectionLocked(Correction{ResellerID: rid, AccountID: account, IncludedInvoice: *attrs.IncludedInvoice,
		SubscriptionID: sub, PeriodFrom: attrs.PeriodFrom, PeriodTo: attrs.PeriodTo, Total: text,
		Comment: attrs.Comment, ManagerID: 225})
	writeJSON(w, http.StatusCreated, s.correctionResource(c))
}

// updateCorrection moves a correction out of approval_required.
func (s *Server) updateCorrection(w http.ResponseWriter, r *http.Request, rid int64, id string) {
	n, err := strconv.ParseInt(id, 10, 64)
	c, ok := s.corrections[n]
	if err != nil || !ok || c.ResellerID != rid {
		notFound(w)
		return
	}
	var attrs struct {
		Status string `json:"status"`
	}
	if !decodeAttributes(w, r, "corrections", id, &attrs) {
		return
	}
	if attrs.Status != CorrectionApproved && attrs.Status != CorrectionDeclined {
		invalid(w, "status", "status must be approved or declined.")
		return
	}
	if c.Status != CorrectionApprovalRequired {
		writeRaw(w, http.StatusUnprocessableEntity, []byte(NotPendingCorrectionBody))
		return
	}
	now := s.now()
	c.Status = attrs.Status
	c.UpdatedAt = now
	if attrs.Status == CorrectionApproved {
		c.ApprovedAt = now.Format(time.DateOnly)
	}
	writeJSON(w, http.StatusOK, s.correctionResource(c))
}

// correctionRoute serves …/corrections and …/corrections/{id} (and the
// request example's slip …/corrections/correction/{id}); it reports
// whether the path was a corrections path.
func (s *Server) correctionRoute(w http.ResponseWriter, r *http.Request, rid int64, parts []string) bool {
	if len(parts) < 5 || parts[4] != "corrections" {
		return false
	}
	rest := parts[5:]
	if len(rest) == 2 && rest[0] == "correction" {
		rest = rest[1:]
	}
	switch {
	case len(rest) == 0 && r.Method == http.MethodPost:
		s.createCorrection(w, r, rid)
	case len(rest) == 1 && r.Method == http.MethodPatch:
		s.updateCorrection(w, r, rid, rest[0])
	case len(rest) <= 1:
		writeErrors(w, http.StatusMethodNotAllowed, apiError{Status: "405", Title: "Method Not Allowed"})
	default:
		notFound(w)
	}
	return true
}
