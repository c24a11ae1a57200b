package payguesttest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"mime"
	"net/http"
	"strings"
)

// FirstPostedBillID is the gest_ID of the first bill POST /post-guest
// creates (the document's example reply); later ones count up from it.
const FirstPostedBillID = "BFA83CA6-A5C9-8945-94FD-32CB40880933"

// PostedBill is a bill created by POST /post-guest.
type PostedBill struct {
	ID               string // the new gest_ID
	Name             string // gest_Name as sent
	DivisionID       string // gest_dvsn_ID as sent
	ClientAddress    string // gest_ClientAddress as sent, unchanged
	Total            string // Σ orit_Count × orit_Price: the bill's Open
	PrepaidPayTypeID string // guestDeliveries.gsdlv_pytp_ID_Prepaid
	Body             []byte // the request body as received
}

// PostedBills returns the bills POST /post-guest created, oldest first.
func (s *Server) PostedBills() []PostedBill {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]PostedBill, len(s.posted))
	for i, p := range s.posted {
		out[i] = p
		out[i].Body = append([]byte(nil), p.Body...)
	}
	return out
}

// flexRat reads a JSON number or a string holding one, ≥ 0.
func flexRat(raw json.RawMessage) (*big.Rat, bool) {
	t := bytes.TrimSpace(raw)
	if len(t) > 0 && t[0] == '"' {
		var s string
		if json.Unmarshal(t, &s) != nil {
			return nil, false
		}
		t = []byte(strings.TrimSpace(s))
	}
	return amount(t)
}

func (s *Server) postGuest(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		s.fail(w, http.StatusMethodNotAllowed, "Метод не поддерживается")
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		s.fail(w, http.StatusUnsupportedMediaType, "Content-Type должен быть application/json")
		return
	}
	body, _ := io.ReadAll(r.Body)
	var req struct {
		Name          *string          `json:"gest_Name"`
		DivisionID    *string          `json:"gest_dvsn_ID"`
		ClientAddress *string          `json:"gest_ClientAddress"`
		Delivery      *json.RawMessage `json:"guestDeliveries"`
		Orders        []struct {
			Items []struct {
				MenuItemID *string         `json:"orit_mitm_ID"`
				Count      json.RawMessage `json:"orit_Count"`
				Price      json.RawMessage `json:"orit_Price"`
			} `json:"orderItems"`
		} `json:"orders"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&req); err != nil || bytes.TrimSpace(body)[0] != '{' {
		s.fail(w, s.errStatus, "Некорректный JSON: ожидается объект гостевого счета")
		return
	}
	if _, err := dec.Token(); err != io.EOF {
		s.fail(w, s.errStatus, "Некорректный JSON: лишние данные после объекта")
		return
	}
	prepaid := ""
	if req.Delivery != nil {
		var d struct {
			Prepaid *string `json:"gsdlv_pytp_ID_Prepaid"`
		}
		if json.Unmarshal(*req.Delivery, &d) != nil {
			s.fail(w, s.errStatus, "Некорректный JSON: guestDeliveries должен быть объектом")
			return
		}
		if d.Prepaid != nil {
			prepaid = *d.Prepaid
		}
	}
	if len(req.Orders) == 0 {
		s.fail(w, s.errStatus, TextNoOrders)
		return
	}
	total := new(big.Rat)
	for _, o := range req.Orders {
		if len(o.Items) == 0 {
			s.fail(w, s.errStatus, TextNoOrders)
			return
		}
		for _, it := range o.Items {
			count, ok1 := flexRat(it.Count)
			price, ok2 := flexRat(it.Price)
			if it.MenuItemID == nil || !ok1 || !ok2 {
				s.fail(w, s.errStatus, TextBadOrderItem)
				return
			}
			total.Add(total, new(big.Rat).Mul(count, price))
		}
	}
	id := fmt.Sprintf("BFA83CA6-A5C9-8945-94FD-%012X", 0x32CB40880933+int64(len(s.posted)))
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	s.posted = append(s.posted, PostedBill{ID: id, Name: str(req.Name), DivisionID: str(req.DivisionID),
		ClientAddress: str(req.ClientAddress), Total: format(total), PrepaidPayTypeID: prepaid,
		Body: append([]byte(nil), body...)})
	s.bills[strings.ToUpper(id)] = &bill{id: id, open: total, prepaid: prepaid}
	writeList(w, map[string]string{"gest_ID": id})
}
