package activeplatformtest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// invoiceError writes an error of the postpaid-invoice calls: a JSON:API
// error object with the documented INVOICE-… code (the pages show status,
// code and text in a table, not the body's shape).
func invoiceError(w http.ResponseWriter, status int, code, title string) {
	writeErrors(w, status, apiError{Status: strconv.Itoa(status), Code: code, Title: title})
}

// postpaid serves the postpaid-invoice calls: …/accounts/{id}/{action}
// (approve_invoices, complete_invoices) and …/invoices/{id}/{action}
// (approve, complete, revoke). It reports whether the path was one.
func (s *Server) postpaid(w http.ResponseWriter, r *http.Request, rid int64, parts []string) bool {
	if len(parts) != 7 || r.Method != http.MethodPost {
		return false
	}
	byAccount := parts[4] == "accounts" && (parts[6] == "approve_invoices" || parts[6] == "complete_invoices")
	byID := parts[4] == "invoices" && (parts[6] == "approve" || parts[6] == "complete" || parts[6] == "revoke")
	if !byAccount && !byID {
		return false
	}
	id, err := strconv.ParseInt(parts[5], 10, 64)
	if err != nil {
		notFound(w)
		return true
	}
	// The body is flat JSON, as documented.
	var body struct {
		DocumentID  string `json:"document_id"`
		BillingDate string `json:"billing_date"`
	}
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(r.Body)
	_ = json.Unmarshal(buf.Bytes(), &body)
	if _, err := time.Parse(time.DateOnly, body.BillingDate); body.DocumentID == "" || err != nil {
		invoiceError(w, http.StatusBadRequest, "INVOICE-0001", "Required parameters are not provided")
		return true
	}
	var inv *Invoice
	if byAccount {
		var found []*Invoice
		for _, c := range s.invoices {
			if c.ResellerID == rid && c.AccountID == id && c.PaymentModel == "postpay" && c.FromDate == body.BillingDate {
				found = append(found, c)
			}
		}
		if len(found) > 1 {
			invoiceError(w, http.StatusUnprocessableEntity, "", "The account has several invoices in this billing period; use the method by invoice ID.")
			return true
		}
		if len(found) == 1 {
			inv = found[0]
		}
	} else if c, ok := s.invoices[id]; ok && c.ResellerID == rid && c.PaymentModel == "postpay" {
		inv = c
	}
	if inv == nil {
		invoiceError(w, http.StatusNotFound, "", "Invoice not found")
		return true
	}
	action := parts[6]
	switch action {
	case "approve", "approve_invoices":
		if inv.FromDate != body.BillingDate {
			invoiceError(w, http.StatusBadRequest, "INVOICE-0005", "Incorrect specification of billing_date")
			return true
		}
		if inv.Approved {
			invoiceError(w, http.StatusUnprocessableEntity, "", "The invoice is already approved.")
			return true
		}
		inv.Approved, inv.ERPDocumentID = true, body.DocumentID
	case "complete", "complete_invoices":
		if !inv.Approved || inv.ERPDocumentID != body.DocumentID || inv.FromDate != body.BillingDate {
			invoiceError(w, http.StatusBadRequest, "INVOICE-0005", "Incorrect specification of the approved invoice")
			return true
		}
		if inv.Status == "closed" {
			invoiceError(w, http.StatusUnprocessableEntity, "", "The invoice is already completed.")
			return true
		}
		for _, pid := range inv.Payments {
			if p, ok := s.payments[pid]; ok && p.Status == StatusCancelled {
				invoiceError(w, http.StatusBadRequest, "INVOICE-0017",
					"Payment related to this invoice has been cancelled. Invoice completion is not possible")
				return true
			}
		}
		for _, pid := range inv.Payments {
			if p, ok := s.payments[pid]; ok && completable(p.Status) {
				s.completeLocked(p, p.PaymentMethodID)
			}
		}
		inv.Status = "closed"
		s.invoiceCompletions[inv.ID]++
	case "revoke":
		if !inv.Approved || inv.ERPDocumentID != body.DocumentID || inv.FromDate != body.BillingDate {
			invoiceError(w, http.StatusBadRequest, "INVOICE-0005", "Incorrect specification of the approved invoice")
			return true
		}
		for _, pid := range inv.Payments {
			if p, ok := s.payments[pid]; ok && (p.Status == StatusCompleted || p.Status == StatusCancelled) {
				invoiceError(w, http.StatusBadRequest, "INVOICE-0005", "The linked payment is completed or cancelled")
				return true
			}
		}
		inv.Approved, inv.ERPDocumentID = false, ""
	}
	inv.UpdatedAt = s.now()
	writeJSON(w, http.StatusOK, map[string]any{"data": s.invoiceResource(inv)})
	return true
}

// InvoiceCompletions counts how many times the invoice was completed
// through the API (complete or complete_invoices). A correct client
// completes an invoice once.
func (s *Server) InvoiceCompletions(id int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.invoiceCompletions[id]
}
