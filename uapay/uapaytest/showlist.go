package uapaytest

import (
	"encoding/json"
	"net/http"
	"sort"
)

// maxShowList is how many ids one invoices/show/list request may carry.
const maxShowList = 100

// showInvoiceList serves POST /api/invoicer/invoices/show/list (UAPAY's
// "show invoices by ids", LIFECYCLE §1.6): params.ids (invoice UUIDs) or
// params.externalIds (the merchant's ids), at most 100 per request; the
// reply's data.invoices lists the invoices found (none: an empty list), in
// creation order. The fake writes the id as "id" (UAPAY's table says "Id";
// the client reads both).
func (s *Server) showInvoiceList(w http.ResponseWriter, env *envelope) {
	if e := s.checkSession(env); e != nil {
		s.writeError(w, e)
		return
	}
	var ids, ext []string
	if raw, ok := env.params["ids"]; ok && json.Unmarshal(raw, &ids) != nil {
		s.writeError(w, formatErr("params", "ids", "INVALID_FORMAT"))
		return
	}
	if raw, ok := env.params["externalIds"]; ok && json.Unmarshal(raw, &ext) != nil {
		s.writeError(w, formatErr("params", "externalIds", "INVALID_FORMAT"))
		return
	}
	switch {
	case len(ids) == 0 && len(ext) == 0:
		s.writeError(w, formatErr("params", "ids", "REQUIRED"))
		return
	case len(ids) > maxShowList:
		s.writeError(w, formatErr("params", "ids", "MAX_SIZE"))
		return
	case len(ext) > maxShowList:
		s.writeError(w, formatErr("params", "externalIds", "MAX_SIZE"))
		return
	}
	s.mu.Lock()
	var found []Invoice
	seen := map[string]bool{}
	add := func(id string) {
		if inv, ok := s.invoices[id]; ok && !seen[id] {
			seen[id] = true
			found = append(found, *inv)
		}
	}
	for _, id := range ids {
		add(id)
	}
	for _, e := range ext {
		for _, id := range s.byExternalID[e] {
			add(id)
		}
	}
	s.mu.Unlock()
	sort.SliceStable(found, func(i, j int) bool { return found[i].CreatedAt.Before(found[j].CreatedAt) })
	list := make([]map[string]any, 0, len(found))
	for _, inv := range found {
		list = append(list, map[string]any{
			"id": inv.ID, "externalId": inv.ExternalID, "systemType": inv.SystemType, "type": inv.Type,
			"invoiceStatus": inv.InvoiceStatus, "amount": inv.Amount, "description": inv.Description,
			"paymentPageUrl": inv.PaymentPageURL, "createdAt": inv.CreatedAt.Format("2006-01-02T15:04:05.000Z07:00"),
		})
	}
	s.writeData(w, map[string]any{"invoices": list})
}

// indexExternalID records that invoice id has externalID; s.mu is held.
func (s *Server) indexExternalID(externalID, id string) {
	if s.byExternalID == nil {
		s.byExternalID = map[string][]string{}
	}
	s.byExternalID[externalID] = append(s.byExternalID[externalID], id)
}
