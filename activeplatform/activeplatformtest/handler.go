package activeplatformtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

const mediaJSONAPI = "application/vnd.api+json"

// timeLayout is how ActivePlatform writes timestamps: microseconds and an
// offset without a colon.
const timeLayout = "2006-01-02T15:04:05.000000-0700"

// serve routes one request (faults already applied by the core).
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("X-Api-Token") != Token {
		writeErrors(w, http.StatusUnauthorized, apiError{Status: "401", Title: "Unauthorized",
			Detail: "A valid X-Api-Token header is required."})
		return
	}
	if !acceptsJSONAPI(r.Header.Values("Accept")) {
		writeErrors(w, http.StatusNotAcceptable, apiError{Status: "406", Title: "Not Acceptable",
			Detail: "Accept must allow " + mediaJSONAPI + "."})
		return
	}
	if r.Method == http.MethodPost || r.Method == http.MethodPatch {
		if mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != mediaJSONAPI || len(params) > 0 {
			writeErrors(w, http.StatusUnsupportedMediaType, apiError{Status: "415", Title: "Unsupported Media Type",
				Detail: "Content-Type must be " + mediaJSONAPI + "."})
			return
		}
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) < 4 || parts[0] != "api" || parts[1] != "v3" || parts[2] != "resellers" {
		notFound(w)
		return
	}
	rid, err := strconv.ParseInt(parts[3], 10, 64)
	if err != nil || rid <= 0 {
		notFound(w)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireLocked()
	if !s.visibleLocked(rid) {
		notFound(w)
		return
	}
	if s.correctionRoute(w, r, rid, parts) || s.postpaid(w, r, rid, parts) {
		return
	}
	switch {
	case len(parts) == 4 && r.Method == http.MethodGet:
		s.getReseller(w, rid)
	case len(parts) == 5 && parts[4] == "payments" && r.Method == http.MethodGet:
		s.listPayments(w, r, rid)
	case len(parts) == 5 && parts[4] == "payments" && r.Method == http.MethodPost:
		s.createPayment(w, r, rid)
	case len(parts) == 6 && parts[4] == "payments" && r.Method == http.MethodGet:
		s.getPayment(w, r, rid, parts[5])
	case len(parts) == 6 && parts[4] == "payments" && r.Method == http.MethodPatch:
		s.completePayment(w, r, rid, parts[5])
	case len(parts) == 6 && parts[4] == "payments" && r.Method == http.MethodPost:
		s.completeByDocument(w, r, rid, parts[5])
	case len(parts) == 6 && parts[4] == "payments" && r.Method == http.MethodDelete:
		s.cancelPayment(w, rid, parts[5])
	case len(parts) == 6 && parts[4] == "accounts" && r.Method == http.MethodGet:
		s.getAccount(w, rid, parts[5])
	case len(parts) == 5 && parts[4] == "invoices" && r.Method == http.MethodGet:
		s.listInvoices(w, r, rid)
	case len(parts) == 6 && parts[4] == "invoices" && r.Method == http.MethodGet:
		s.getInvoice(w, r, rid, parts[5])
	case len(parts) <= 6 && (len(parts) == 4 || parts[4] == "payments" || parts[4] == "invoices" || parts[4] == "accounts" && len(parts) == 6):
		writeErrors(w, http.StatusMethodNotAllowed, apiError{Status: "405", Title: "Method Not Allowed"})
	default:
		notFound(w)
	}
}

func acceptsJSONAPI(values []string) bool {
	if len(values) == 0 {
		return false
	}
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil {
				continue
			}
			if (mt == mediaJSONAPI && len(params) == 0) || mt == "*/*" || mt == "application/*" {
				return true
			}
		}
	}
	return false
}

// visibleLocked reports whether the token's reseller may address rid: it
// is that reseller or a downstream one.
func (s *Server) visibleLocked(rid int64) bool {
	for id, hops := rid, 0; id != 0 && hops < 64; hops++ {
		r, ok := s.resellers[id]
		if !ok {
			return false
		}
		if id == s.tokenReseller {
			return true
		}
		id = r.ParentID
	}
	return false
}

// apiError is a JSON:API error object.
type apiError struct {
	Status string     `json:"status"`
	Code   string     `json:"code,omitempty"`
	Title  string     `json:"title"`
	Detail string     `json:"detail,omitempty"`
	Source *apiSource `json:"source,omitempty"`
}

type apiSource struct {
	Pointer string `json:"pointer"`
}

func writeErrors(w http.ResponseWriter, status int, errs ...apiError) {
	writeJSON(w, status, map[string]any{"errors": errs})
}

func invalid(w http.ResponseWriter, attr, detail string) {
	writeErrors(w, http.StatusUnprocessableEntity, apiError{Status: "422", Title: "Invalid attribute",
		Detail: detail, Source: &apiSource{Pointer: "/data/attributes/" + attr}})
}

func notFound(w http.ResponseWriter) {
	writeErrors(w, http.StatusNotFound, apiError{Status: "404", Title: "Record not found"})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	writeRaw(w, status, buf.Bytes())
}

func writeRaw(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", mediaJSONAPI)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func (s *Server) getReseller(w http.ResponseWriter, rid int64) {
	r := s.resellers[rid]
	var parent any
	if r.ParentID != 0 {
		parent = r.ParentID
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{
		"id": strconv.FormatInt(r.ID, 10), "type": "resellers",
		"attributes": map[string]any{
			"parent_id": parent,
			"general": map[string]any{"name": r.Name, "domain": r.Domain, "manager": r.Manager,
				"currency": r.Currency},
			"company": map[string]any{"name": r.Name},
		},
	}})
}

// findLocked returns the payment with the id if it belongs to the reseller.
func (s *Server) findLocked(rid int64, id string) *Payment {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil
	}
	p, ok := s.payments[n]
	if !ok || p.ResellerID != rid {
		return nil
	}
	return p
}

func (s *Server) getPayment(w http.ResponseWriter, r *http.Request, rid int64, id string) {
	p := s.findLocked(rid, id)
	if p == nil {
		notFound(w)
		return
	}
	doc := map[string]any{"data": s.resource(p)}
	if inc := r.URL.Query().Get("include"); inc != "" {
		included := []any{}
		for _, name := range strings.Split(inc, ",") {
			switch name {
			case "payment_method":
				if p.PaymentMethodID != 0 {
					included = append(included, map[string]any{"id": strconv.FormatInt(p.PaymentMethodID, 10),
						"type": "payment_methods", "attributes": map[string]any{"name": s.methods[p.PaymentMethodID]}})
				}
			case "account":
				included = append(included, map[string]any{"id": strconv.FormatInt(p.AccountID, 10),
					"type": "accounts", "attributes": map[string]any{}})
			case "reseller":
				included = append(included, map[string]any{"id": strconv.FormatInt(p.ResellerID, 10),
					"type": "resellers", "attributes": map[string]any{"name": s.resellers[p.ResellerID].Name}})
			case "invoices", "orders", "charges", "corrections":
			default:
				writeErrors(w, http.StatusBadRequest, apiError{Status: "400", Title: "Invalid include",
					Detail: fmt.Sprintf("%q is not a relationship of payments", name)})
				return
			}
		}
		doc["included"] = included
	}
	writeJSON(w, http.StatusOK, doc)
}

// decodeAttributes reads {"data":{"type":…,"id":…,"attributes":{…}}} into
// attrs. Like the lenient installation it accepts both the documents' short
// form without type and id and the valid JSON:API form; a type other than
// typ, or an id other than id (when id is not ""), is a 409 as JSON:API
// says. On failure it writes the error and returns false.
func decodeAttributes(w http.ResponseWriter, r *http.Request, typ, id string, attrs any) bool {
	var doc struct {
		Data *struct {
			Type       *string         `json:"type"`
			ID         *string         `json:"id"`
			Attributes json.RawMessage `json:"attributes"`
		} `json:"data"`
	}
	var body bytes.Buffer
	_, _ = body.ReadFrom(r.Body)
	if err := json.Unmarshal(body.Bytes(), &doc); err != nil || doc.Data == nil || len(doc.Data.Attributes) == 0 {
		writeErrors(w, http.StatusUnprocessableEntity, apiError{Status: "422", Title: "Invalid document",
			Detail: "The body must be a JSON:API document with data.attributes.", Source: &apiSource{Pointer: "/data"}})
		return false
	}
	if t := doc.Data.Type; t != nil && *t != typ {
		writeErrors(w, http.StatusConflict, apiError{Status: "409", Title: "Conflict",
			Detail: fmt.Sprintf("data.type must be %q.", typ), Source: &apiSource{Pointer: "/data/type"}})
		return false
	}
	if got := doc.Data.ID; got != nil && (id == "" || *got != id) {
		writeErrors(w, http.StatusConflict, apiError{Status: "409", Title: "Conflict",
			Detail: "data.id must be the id in the path.", Source: &apiSource{Pointer: "/data/id"}})
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(doc.Data.Attributes))
	dec.UseNumber()
	if err := dec.Decode(attrs); err != nil {
		writeErrors(w, http.StatusUnprocessableEntity, apiError{Status: "422", Title: "Invalid attribute",
			Detail: err.Error(), Source: &apiSource{Pointer: "/data/attributes"}})
		return false
	}
	return true
}

// wholeNumber reads an attribute that must be a positive integer written
// as a JSON number: "2", a string, is refused.
func wholeNumber(raw json.RawMessage) (int64, bool) {
	v, err := strconv.ParseInt(string(bytes.TrimSpace(raw)), 10, 64)
	return v, err == nil && v > 0
}

func (s *Server) completePayment(w http.ResponseWriter, r *http.Request, rid int64, id string) {
	p := s.findLocked(rid, id)
	if p == nil {
		notFound(w)
		return
	}
	var attrs struct {
		PaymentMethodID json.RawMessage `json:"payment_method_id"`
	}
	if !decodeAttributes(w, r, "payments", id, &attrs) {
		return
	}
	method, ok := wholeNumber(attrs.PaymentMethodID)
	if !ok {
		invalid(w, "payment_method_id", "payment_method_id must be a positive integer.")
		return
	}
	if _, known := s.methods[method]; !known {
		invalid(w, "payment_method_id", "Payment method not found.")
		return
	}
	if !completable(p.Status) {
		writeRaw(w, http.StatusUnprocessableEntity, []byte(NotCompletableBody))
		return
	}
	s.completeLocked(p, method)
	writeJSON(w, http.StatusOK, map[string]any{"data": s.resource(p)})
}

// cancelPayment cancels a waiting_for_payment payment not linked to a
// postpaid invoice; the reply is the payment, as Get payment.
func (s *Server) cancelPayment(w http.ResponseWriter, rid int64, id string) {
	p := s.findLocked(rid, id)
	if p == nil {
		notFound(w)
		return
	}
	if p.Status != StatusWaitingForPayment {
		writeRaw(w, http.StatusUnprocessableEntity, []byte(NotCancellableBody))
		return
	}
	if s.postpaidLocked(p) {
		writeRaw(w, http.StatusUnprocessableEntity, []byte(NotCancellablePostpaidBody))
		return
	}
	now := s.now()
	p.Status = StatusCancelled
	p.UpdatedAt = now
	p.ClosedAt = &now
	s.cancellations[p.ID]++
	writeJSON(w, http.StatusOK, map[string]any{"data": s.resource(p)})
}

func completable(status string) bool {
	return status == StatusWaitingForPayment || status == StatusExpired
}

func (s *Server) completeByDocument(w http.ResponseWriter, r *http.Request, rid int64, documentID string) {
	var p *Payment
	for _, c := range s.payments {
		if c.ResellerID == rid && c.DocumentID == documentID {
			p = c
			break
		}
	}
	if p == nil {
		notFound(w)
		return
	}
	var attrs struct {
		PaymentMethodID       json.RawMessage `json:"payment_method_id"`
		Amount                any             `json:"amount"`
		CurrencyCode          *string         `json:"currency_code"`
		ExternalTransactionID *string         `json:"external_transaction_id"`
	}
	if !decodeAttributes(w, r, "payments", "", &attrs) {
		return
	}
	method, ok := wholeNumber(attrs.PaymentMethodID)
	if !ok {
		invalid(w, "payment_method_id", "payment_method_id must be a positive integer.")
		return
	}
	if _, known := s.methods[method]; !known {
		invalid(w, "payment_method_id", "Payment method not found.")
		return
	}
	// amount, currency_code and external_transaction_id are optional, as
	// the tables say: no amount means the payment's total.
	amount, _ := decimal(p.Total)
	if attrs.Amount != nil {
		var ok bool
		if amount, ok = decimal(attrs.Amount); !ok || amount.Sign() <= 0 {
			invalid(w, "amount", "amount must be a positive number.")
			return
		}
	}
	if attrs.CurrencyCode != nil && *attrs.CurrencyCode != p.CurrencyCode {
		invalid(w, "currency_code", "currency_code must be the payment's currency ("+p.CurrencyCode+").")
		return
	}
	ext := ""
	if attrs.ExternalTransactionID != nil {
		ext = *attrs.ExternalTransactionID
		if n := len([]rune(ext)); n < 2 || n > 255 {
			invalid(w, "external_transaction_id", "external_transaction_id must be 2 to 255 characters.")
			return
		}
	}
	if !completable(p.Status) {
		writeRaw(w, http.StatusUnprocessableEntity, []byte(NotCompletableBody))
		return
	}
	if total, ok := decimal(p.Total); !ok || amount == nil || total.Cmp(amount) != 0 {
		diff := "0"
		if ok && amount != nil {
			diff = new(big.Rat).Sub(amount, total).FloatString(2)
		}
		c := s.addCorrectionLocked(Correction{ResellerID: rid, AccountID: p.AccountID, Status: CorrectionApproved,
			Total: diff, Comment: "payment " + p.DocumentID + " completed with another amount"})
		p.Corrections = append(p.Corrections, strconv.FormatInt(c.ID, 10))
	}
	p.ExternalTransactionID = ext
	s.completeLocked(p, method)
	writeJSON(w, http.StatusOK, map[string]any{"data": s.resource(p)})
}

// decimal reads an amount sent as a JSON string or number.
func decimal(v any) (*big.Rat, bool) {
	var text string
	switch x := v.(type) {
	case string:
		text = x
	case json.Number:
		text = string(x)
	default:
		return nil, false
	}
	if text == "" {
		return nil, false
	}
	return new(big.Rat).SetString(text)
}

func (s *Server) createPayment(w http.ResponseWriter, r *http.Request, rid int64) {
	var attrs struct {
		AccountID json.RawMessage `json:"account_id"`
		Total     any             `json:"total"`
		Comment   string          `json:"comment"`
		Purpose   string          `json:"purpose"`
	}
	if !decodeAttributes(w, r, "payments", "", &attrs) {
		return
	}
	account, ok := wholeNumber(attrs.AccountID)
	if !ok {
		invalid(w, "account_id", "account_id must be a positive integer.")
		return
	}
	total, ok := decimal(attrs.Total)
	if !ok || total.Sign() <= 0 {
		invalid(w, "total", "total must be a positive number.")
		return
	}
	// The amount keeps the text it was sent with, a JSON number or string.
	totalText, _ := attrs.Total.(string)
	if n, ok := attrs.Total.(json.Number); ok {
		totalText = string(n)
	}
	currency := "USD"
	if rs := s.resellers[rid]; rs.Currency != "" {
		currency = rs.Currency
	}
	p := s.addLocked(Payment{ResellerID: rid, AccountID: account, Total: totalText, CurrencyCode: currency,
		Comment: attrs.Comment, Purpose: attrs.Purpose, RequesterIP: hostOf(r.RemoteAddr)})
	if s.lifetime > 0 {
		exp := p.CreatedAt.Add(s.lifetime)
		p.ExpirationDate = &exp
	}
	writeJSON(w, http.StatusCreated, map[string]any{"data": s.resource(p)})
}

func hostOf(addr string) string {
	if i := strings.LastIndexByte(addr, ':'); i > 0 {
		return strings.Trim(addr[:i], "[]")
	}
	return addr
}

func (s *Server) listPayments(w http.ResponseWriter, r *http.Request, rid int64) {
	q := r.URL.Query()
	size, number := 50, 1
	if v := q.Get("page[size]"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 || n > 1000 {
			writeErrors(w, http.StatusBadRequest, apiError{Status: "400", Title: "Invalid page size"})
			return
		}
		size = n
	}
	if v := q.Get("page[number]"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			writeErrors(w, http.StatusBadRequest, apiError{Status: "400", Title: "Invalid page number"})
			return
		}
		number = n
	}
	var after, before time.Time
	for key, dst := range map[string]*time.Time{"filter[created_at][gt]": &after, "filter[created_at][lt]": &before} {
		if v := q.Get(key); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				writeErrors(w, http.StatusBadRequest, apiError{Status: "400", Title: "Invalid filter",
					Detail: key + " must be an RFC 3339 time."})
				return
			}
			*dst = t
		}
	}
	var list []*Payment
	for _, p := range s.payments {
		switch {
		case p.ResellerID != rid,
			!after.IsZero() && !p.CreatedAt.After(after),
			!before.IsZero() && !p.CreatedAt.Before(before),
			q.Get("filter[status]") != "" && p.Status != q.Get("filter[status]"),
			q.Get("filter[account_id]") != "" && strconv.FormatInt(p.AccountID, 10) != q.Get("filter[account_id]"):
			continue
		}
		list = append(list, p)
	}
	if err := sortPayments(list, q.Get("sort")); err != nil {
		writeErrors(w, http.StatusBadRequest, apiError{Status: "400", Title: "Invalid sort", Detail: err.Error()})
		return
	}
	pages := max((len(list)+size-1)/size, 1)
	start := min((number-1)*size, len(list))
	end := min(start+size, len(list))
	data := make([]any, 0, end-start)
	for _, p := range list[start:end] {
		data = append(data, s.resource(p))
	}
	base := r.URL.Path
	link := func(n int) string {
		return fmt.Sprintf("%s?page[number]=%d&page[size]=%d", base, n, size)
	}
	links := map[string]any{"self": link(number), "first": link(1), "last": link(pages)}
	if number < pages {
		links["next"] = link(number + 1)
	}
	if number > 1 {
		links["prev"] = link(number - 1)
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "links": links,
		"meta": map[string]any{"total_count": len(list), "total_pages": pages}})
}

// sortPayments orders by the sort parameter ("field" or "-field", several
// joined with commas), then by id.
func sortPayments(list []*Payment, spec string) error {
	type key struct {
		field string
		desc  bool
	}
	var keys []key
	for _, f := range strings.Split(spec, ",") {
		if f == "" {
			continue
		}
		k := key{field: strings.TrimPrefix(f, "-"), desc: strings.HasPrefix(f, "-")}
		switch k.field {
		case "id", "created_at", "updated_at", "total", "status", "account_id", "document_id":
		default:
			return fmt.Errorf("cannot sort payments by %q", k.field)
		}
		keys = append(keys, k)
	}
	sort.SliceStable(list, func(i, j int) bool {
		for _, k := range keys {
			c := compare(list[i], list[j], k.field)
			if c != 0 {
				return (c < 0) != k.desc
			}
		}
		return list[i].ID < list[j].ID
	})
	return nil
}

func compare(a, b *Payment, field string) int {
	switch field {
	case "created_at":
		return a.CreatedAt.Compare(b.CreatedAt)
	case "updated_at":
		return a.UpdatedAt.Compare(b.UpdatedAt)
	case "total":
		x, _ := decimal(a.Total)
		y, _ := decimal(b.Total)
		if x == nil || y == nil {
			return strings.Compare(a.Total, b.Total)
		}
		return x.Cmp(y)
	case "status":
		return strings.Compare(a.Status, b.Status)
	case "account_id":
		return cmpInt(a.AccountID, b.AccountID)
	case "document_id":
		return strings.Compare(a.DocumentID, b.DocumentID)
	}
	return cmpInt(a.ID, b.ID)
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// resource renders a payment as the documented JSON:API resource.
func (s *Server) resource(p *Payment) map[string]any {
	ts := func(t *time.Time) any {
		if t == nil {
			return nil
		}
		return t.Format(timeLayout)
	}
	dec := func(v string) any {
		if v == "" {
			return nil
		}
		return v
	}
	var methodID, methodName, managerID any
	methodRel := map[string]any{"data": nil}
	if p.PaymentMethodID != 0 {
		methodID = p.PaymentMethodID
		methodName = s.methods[p.PaymentMethodID]
		methodRel["data"] = ident(p.PaymentMethodID, "payment_methods")
	}
	if p.ManagerID != 0 {
		managerID = p.ManagerID
	}
	created, updated := p.CreatedAt, p.UpdatedAt
	corrections := make([]any, 0, len(p.Corrections))
	for _, c := range p.Corrections {
		corrections = append(corrections, map[string]any{"id": c, "type": "corrections"})
	}
	return map[string]any{
		"id":   strconv.FormatInt(p.ID, 10),
		"type": "payments",
		"attributes": map[string]any{
			"created_at":               ts(&created),
			"updated_at":               ts(&updated),
			"account_id":               p.AccountID,
			"discount_amount":          dec(p.DiscountAmount),
			"total":                    dec(p.Total),
			"initial_total":            dec(p.InitialTotal),
			"amount_paid_from_balance": dec(p.AmountPaidFromBalance),
			"currency_code":            p.CurrencyCode,
			"comment":                  p.Comment,
			"status":                   p.Status,
			"document_id":              p.DocumentID,
			"expiration_date":          ts(p.ExpirationDate),
			"payment_method_id":        methodID,
			"requester_ip":             p.RequesterIP,
			"manager_id":               managerID,
			"purpose":                  p.Purpose,
			"external_total":           nil,
			"external_currency":        nil,
			"due_date":                 nil,
			"payment_method_name":      methodName,
			"closed_at":                ts(p.ClosedAt),
		},
		"relationships": map[string]any{
			"orders":         map[string]any{"data": []any{}},
			"invoices":       map[string]any{"data": []any{}},
			"corrections":    map[string]any{"data": corrections},
			"charges":        map[string]any{"data": []any{}},
			"reseller":       map[string]any{"data": ident(p.ResellerID, "resellers")},
			"account":        map[string]any{"data": ident(p.AccountID, "accounts")},
			"payment_method": methodRel,
		},
	}
}

func ident(id int64, typ string) map[string]any {
	return map[string]any{"id": strconv.FormatInt(id, 10), "type": typ}
}
