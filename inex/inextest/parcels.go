package inextest

import (
	"net/http"
	"time"
)

// OtherVendorToken is a second bearer token the fake accepts: another
// integrator ("vendor") of the same Inex. Parcels belong to the vendor
// that created them; another vendor's parcel answers 403.
const OtherVendorToken = "inextest-other-vendor"

// MessageParcelNotFound is the general error of a 404 reply to an unknown
// waybill number on the parcel and history routes (the fake's wording:
// Inex documents no 404 there).
const MessageParcelNotFound = "Requested parcel not found"

// Parcel is a parcel to seed, or one the fake holds.
type Parcel struct {
	// WaybillNumbers are the parcel's tracking numbers; the first one
	// identifies it. Any of them finds it.
	WaybillNumbers []string
	// RoomNumber is the customer the parcel belongs to, if any; paying
	// its invoices by waybill number needs it.
	RoomNumber string
	// Vendor is the bearer token of the integrator the parcel belongs to;
	// "" means [Token].
	Vendor string
	// Status is the parcel's status, e.g. "arrived"; "" reads as
	// "created".
	Status string
	// Weight is in grams; Length, Height and Width in millimetres.
	Weight, Length, Height, Width int64
	// SenderCountry and SenderCountryCode name the country the parcel
	// comes from ("United States", "US").
	SenderCountry, SenderCountryCode string
	// ReceiverCity is the city the parcel goes to, e.g. "Tbilisi".
	ReceiverCity string
	// PickupLocationCode is the locationCode of a pickup location added
	// with [Server.AddPickupLocation]; "" (or an unknown code) means none.
	PickupLocationCode string
	// History is the parcel's logistic history, oldest first.
	History []Event
	// ClientReferenceID, ShipmentType and DeliveryType are what
	// create-parcel stored (empty for a seeded parcel).
	ClientReferenceID, ShipmentType, DeliveryType string
}

// Event is one step of a parcel's logistic history.
type Event struct {
	// EventID is the event's id, e.g. "received". Its name and
	// description are the fake's English texts, or its Georgian and
	// Russian ones when the request asks with Accept-Language ka or ru.
	EventID string
	// ReasonID is the reason's id, e.g. "extraLarge"; "" means no reason
	// (null).
	ReasonID string
	// Message is the event's message; "" means null.
	Message string
	// Country and City are where the event happened.
	Country, City string
	// HappenedAt is when it happened.
	HappenedAt time.Time
}

// tbilisi is the zone the fake writes times in (+04:00, as Inex's example).
var tbilisi = time.FixedZone("GET", 4*60*60)

// AddParcelDetail adds a parcel, or replaces the one with the same first
// waybill number, and registers each of its waybill numbers (as
// [Server.AddParcel] does, with the parcel's RoomNumber).
func (s *Server) AddParcelDetail(p Parcel) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.putParcel(p)
}

// putParcel stores a copy of p; s.mu must be held.
func (s *Server) putParcel(p Parcel) *Parcel {
	p.WaybillNumbers = append([]string(nil), p.WaybillNumbers...)
	p.History = append([]Event(nil), p.History...)
	if p.Vendor == "" {
		p.Vendor = Token
	}
	if p.Status == "" {
		p.Status = "created"
	}
	for _, w := range p.WaybillNumbers {
		s.parcelInfo[w] = &p
		s.parcels[w] = p.RoomNumber
	}
	return &p
}

// Parcel returns a copy of the parcel one of whose waybill numbers is
// waybillNumber: seeded, created, or registered by [Server.AddParcel] or
// an invoice (then with status "created" and no details).
func (s *Server) Parcel(waybillNumber string) (Parcel, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.parcel(waybillNumber)
	if p == nil {
		return Parcel{}, false
	}
	out := *p
	out.WaybillNumbers = append([]string(nil), p.WaybillNumbers...)
	out.History = append([]Event(nil), p.History...)
	return out, true
}

// parcel finds a parcel by waybill number, making the bare record of one
// registered without details; s.mu must be held.
func (s *Server) parcel(waybill string) *Parcel {
	if p, ok := s.parcelInfo[waybill]; ok {
		return p
	}
	room, ok := s.parcels[waybill]
	if !ok {
		return nil
	}
	return s.putParcel(Parcel{WaybillNumbers: []string{waybill}, RoomNumber: room})
}

// vendor is the integrator a request authenticates as.
func vendor(r *http.Request) string {
	if r.Header.Get("Authorization") == "Bearer "+OtherVendorToken {
		return OtherVendorToken
	}
	return Token
}

// ownParcel finds the caller's parcel, answering 404 or 403 otherwise;
// s.mu must be held.
func (s *Server) ownParcel(w http.ResponseWriter, r *http.Request, waybill string) *Parcel {
	p := s.parcel(waybill)
	if p == nil {
		writeGeneral(w, http.StatusNotFound, MessageParcelNotFound)
		return nil
	}
	if p.Vendor != vendor(r) {
		writeGeneral(w, http.StatusForbidden, MessageUnauthorized)
		return nil
	}
	return p
}

func (s *Server) parcelDetail(w http.ResponseWriter, r *http.Request, _ input, waybill string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.ownParcel(w, r, waybill)
	if p == nil {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": s.parcelJSON(p)})
}

// parcelJSON is the detail reply's data; s.mu must be held.
func (s *Server) parcelJSON(p *Parcel) map[string]any {
	d := map[string]any{
		"weight": p.Weight, "length": p.Length, "height": p.Height, "width": p.Width,
		"status":         p.Status,
		"senderCountry":  map[string]any{"name": p.SenderCountry, "code": p.SenderCountryCode},
		"receiverCity":   map[string]any{"name": p.ReceiverCity},
		"waybillNumbers": p.WaybillNumbers,
	}
	if l, ok := s.locationByCode(p.PickupLocationCode); ok {
		d["receiverPickupLocation"] = map[string]any{
			"name": l.Name, "address": l.Address, "phone": l.Phone,
			"latitude": l.Latitude, "longitude": l.Longitude, "postalCode": l.PostalCode,
		}
	} else {
		d["receiverPickupLocation"] = nil
	}
	return d
}
