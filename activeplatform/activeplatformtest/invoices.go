package activeplatformtest

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The documents' invoice example (the complete-invoice reply) that
// [Server.SeedExample] loads.
const (
	ExampleInvoiceID         = 2046
	ExampleInvoiceDocumentID = "NS2000015"
)

// Invoice is an invoice of the fake installation. Zero fields get defaults
// when added: Status "open", PaymentModel "prepay", CreatedAt now.
type Invoice struct {
	ID           int64  // the invoice's id
	ResellerID   int64  // the reseller it belongs to
	AccountID    int64  // the account it bills
	DocumentID   string // the invoice's document number
	Status       string // e.g. "unpaid", "paid"
	Total        string // decimal text, "987.65"
	FromDate     string // YYYY-MM-DD
	ToDate       string // YYYY-MM-DD
	PaymentModel string // prepay or postpay
	Approved     bool   // whether a postpaid invoice was approved
	// ERPDocumentID is the third-party (ERP) invoice name the approval
	// gave (document_id); completion and revocation must name it.
	ERPDocumentID string
	CreatedAt     time.Time // when it was created
	UpdatedAt     time.Time // when it last changed
	Subscriptions []string  // ids
	Payments      []int64   // payments that settle it; a postpay invoice's payments cannot be cancelled
	Charges       []string  // ids of its charges
	Corrections   []string  // ids of its corrections
}

// AddInvoice adds or replaces an invoice, filling defaults for zero fields
// (ID: the next free id), and returns it as stored.
func (s *Server) AddInvoice(inv Invoice) Invoice {
	s.mu.Lock()
	defer s.mu.Unlock()
	if inv.ID == 0 {
		inv.ID = s.nextInvoice
	}
	if inv.ID >= s.nextInvoice {
		s.nextInvoice = inv.ID + 1
	}
	if inv.Status == "" {
		inv.Status = "open"
	}
	if inv.PaymentModel == "" {
		inv.PaymentModel = "prepay"
	}
	if inv.CreatedAt.IsZero() {
		inv.CreatedAt = s.now()
	}
	if inv.UpdatedAt.IsZero() {
		inv.UpdatedAt = inv.CreatedAt
	}
	inv.Payments = append([]int64(nil), inv.Payments...)
	s.invoices[inv.ID] = &inv
	return inv
}

// Invoice returns a copy of the invoice with the id.
func (s *Server) Invoice(id int64) (Invoice, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	inv, ok := s.invoices[id]
	if !ok {
		return Invoice{}, false
	}
	c := *inv
	c.Payments = append([]int64(nil), inv.Payments...)
	return c, true
}

// postpaidLocked reports whether a payment is linked to a postpaid invoice.
func (s *Server) postpaidLocked(p *Payment) bool {
	if p.PostpaidInvoiceID != 0 {
		return true
	}
	for _, inv := range s.invoices {
		if inv.PaymentModel == "postpay" {
			for _, id := range inv.Payments {
				if id == p.ID {
					return true
				}
			}
		}
	}
	return false
}

func (s *Server) invoiceResource(inv *Invoice) map[string]any {
	rel := func(typ string, ids []string) map[string]any {
		data := make([]any, 0, len(ids))
		for _, id := range ids {
			data = append(data, map[string]any{"id": id, "type": typ})
		}
		return map[string]any{"data": data}
	}
	payments := make([]string, 0, len(inv.Payments))
	for _, id := range inv.Payments {
		payments = append(payments, strconv.FormatInt(id, 10))
	}
	docID := inv.DocumentID
	if inv.ERPDocumentID != "" {
		docID = inv.ERPDocumentID // an approved invoice carries the ERP's name, as in the documents' example
	}
	date := func(d string) any {
		if d == "" {
			return nil
		}
		return d
	}
	return map[string]any{
		"id": strconv.FormatInt(inv.ID, 10), "type": "invoices",
		"attributes": map[string]any{
			"created_at": inv.CreatedAt.In(s.zone).Format(timeLayout), "updated_at": inv.UpdatedAt.In(s.zone).Format(timeLayout),
			"document_id": docID, "status": inv.Status, "total": inv.Total, "account_id": inv.AccountID,
			"from_date": date(inv.FromDate), "to_date": date(inv.ToDate), "payment_model": inv.PaymentModel,
			"approved": inv.Approved,
		},
		"relationships": map[string]any{
			"subscriptions": rel("subscriptions", inv.Subscriptions),
			"payments":      rel("payments", payments),
			"charges":       rel("charges", inv.Charges),
			"corrections":   rel("corrections", inv.Corrections),
		},
	}
}

func (s *Server) getInvoice(w http.ResponseWriter, r *http.Request, rid int64, id string) {
	n, err := strconv.ParseInt(id, 10, 64)
	inv, ok := s.invoices[n]
	if err != nil || !ok || inv.ResellerID != rid {
		notFound(w)
		return
	}
	doc := map[string]any{"data": s.invoiceResource(inv)}
	if inc := r.URL.Query().Get("include"); inc != "" {
		included := []any{}
		for _, name := range strings.Split(inc, ",") {
			switch name {
			case "payments":
				for _, pid := range inv.Payments {
					if p, ok := s.payments[pid]; ok {
						included = append(included, s.resource(p))
					}
				}
			case "subscriptions", "charges", "corrections", "taxes":
			default:
				writeErrors(w, http.StatusBadRequest, apiError{Status: "400", Title: "Invalid include",
					Detail: fmt.Sprintf("%q is not a relationship of invoices", name)})
				return
			}
		}
		doc["included"] = included
	}
	writeJSON(w, http.StatusOK, doc)
}

// listInvoices serves the invoice list: filters status, account_id,
// from_date, to_date, payment_model, and created_at / updated_at — bare
// (on or after the time) or with [gt] / [lt].
func (s *Server) listInvoices(w http.ResponseWriter, r *http.Request, rid int64) {
	q := r.URL.Query()
	size, number, ok := paging(w, q.Get("page[size]"), q.Get("page[number]"))
	if !ok {
		return
	}
	type bound struct {
		key  string
		op   string
		t    time.Time
		when func(*Invoice) time.Time
	}
	var bounds []bound
	for _, field := range []string{"created_at", "updated_at"} {
		for _, op := range []string{"", "[gt]", "[lt]"} {
			key := "filter[" + field + "]" + op
			v := q.Get(key)
			if v == "" {
				continue
			}
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				writeErrors(w, http.StatusBadRequest, apiError{Status: "400", Title: "Invalid filter",
					Detail: key + " must be an RFC 3339 time."})
				return
			}
			when := func(inv *Invoice) time.Time { return inv.CreatedAt }
			if field == "updated_at" {
				when = func(inv *Invoice) time.Time { return inv.UpdatedAt }
			}
			bounds = append(bounds, bound{key: key, op: op, t: t, when: when})
		}
	}
	var list []*Invoice
next:
	for _, inv := range s.invoices {
		switch {
		case inv.ResellerID != rid,
			q.Get("filter[status]") != "" && inv.Status != q.Get("filter[status]"),
			q.Get("filter[account_id]") != "" && strconv.FormatInt(inv.AccountID, 10) != q.Get("filter[account_id]"),
			q.Get("filter[from_date]") != "" && inv.FromDate < q.Get("filter[from_date]"),
			q.Get("filter[to_date]") != "" && inv.ToDate > q.Get("filter[to_date]"),
			q.Get("filter[payment_model]") != "" && inv.PaymentModel != q.Get("filter[payment_model]"):
			continue
		}
		for _, b := range bounds {
			at := b.when(inv)
			if b.op == "" && at.Before(b.t) || b.op == "[gt]" && !at.After(b.t) || b.op == "[lt]" && !at.Before(b.t) {
				continue next
			}
		}
		list = append(list, inv)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	start, end, links, meta := pageOf(r.URL.Path, len(list), size, number)
	data := make([]any, 0, end-start)
	for _, inv := range list[start:end] {
		data = append(data, s.invoiceResource(inv))
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "links": links, "meta": meta})
}

// paging reads page[size] (default 50, at most 1000) and page[number]
// (default 1); on a bad value it writes a 400 and returns false.
func paging(w http.ResponseWriter, sizeText, numberText string) (size, number int, ok bool) {
	size, number = 50, 1
	if sizeText != "" {
		n, err := strconv.Atoi(sizeText)
		if err != nil || n <= 0 || n > 1000 {
			writeErrors(w, http.StatusBadRequest, apiError{Status: "400", Title: "Invalid page size"})
			return 0, 0, false
		}
		size = n
	}
	if numberText != "" {
		n, err := strconv.Atoi(numberText)
		if err != nil || n <= 0 {
			writeErrors(w, http.StatusBadRequest, apiError{Status: "400", Title: "Invalid page number"})
			return 0, 0, false
		}
		number = n
	}
	return size, number, true
}

// pageOf returns the bounds of page number of n items and the page's
// links and meta.
func pageOf(base string, n, size, number int) (start, end int, links, meta map[string]any) {
	pages := max((n+size-1)/size, 1)
	start = min((number-1)*size, n)
	end = min(start+size, n)
	link := func(k int) string { return fmt.Sprintf("%s?page[number]=%d&page[size]=%d", base, k, size) }
	links = map[string]any{"self": link(number), "first": link(1), "last": link(pages)}
	if number < pages {
		links["next"] = link(number + 1)
	}
	if number > 1 {
		links["prev"] = link(number - 1)
	}
	return start, end, links, map[string]any{"total_count": n, "total_pages": pages}
}
