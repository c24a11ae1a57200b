package payguesttest

import (
	"encoding/json"
	"net/http"
)

// The reference data of the document's examples, which
// [Server.AddExampleReferenceData] seeds.
const (
	// ExamplePointTypeID and ExamplePointTypeID2 are the document's two
	// discount point types, "баллы 1" and "баллы 2".
	ExamplePointTypeID  = "A976C6ED-C511-4755-B942-636645A6A1B0"
	ExamplePointTypeID2 = "C635BB7D-DE32-41F1-878C-8050F57C1826"
	// ExampleDivisionID is the document's division,
	// "OZR_Доставка_Энгельса 124".
	ExampleDivisionID = "B125BE00-8B8C-CC40-99AC-088B5A95EF67"
	// ExamplePurseTypeID is the document's purse type, "местные счета".
	ExamplePurseTypeID = "573250C8-5007-4AAF-8596-4F820E9B6648"
)

// PurseType is a kind of client purse (tp_ClientPurseTypes).
type PurseType struct {
	ID          string // cptp_ID, a GUID
	Name        string // cptp_Name
	Description string // cptp_Description
}

// AddPurseType adds a purse type to /get-purse-types.
func (s *Server) AddPurseType(p PurseType) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.purseTypes = append(s.purseTypes, p)
}

// Division is a restaurant division (gest_dvsn_ID of a bill).
type Division struct {
	ID            string // dvsn_ID, a GUID
	Name          string // dvsn_Name
	GeoIdentifier string // dvsn_GeoIdentifier
}

// AddDivision adds a division to /get-divisions.
func (s *Server) AddDivision(d Division) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.divisions = append(s.divisions, d)
}

// DiscountPointType is a kind of loyalty points (tp_DiscountPointTypes).
type DiscountPointType struct {
	ID          string // dspt_ID, a GUID
	Name        string // dspt_Name
	Description string // dspt_Description
	IsPermanent bool   // dspt_IsPermanent
}

// AddDiscountPointType adds a kind of points to /get-discount-point-types.
func (s *Server) AddDiscountPointType(t DiscountPointType) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pointTypes = append(s.pointTypes, t)
}

// AddExampleReferenceData seeds the lists of the document's examples: the
// discount point types [ExamplePointTypeID] ("баллы 1") and
// [ExamplePointTypeID2] ("баллы 2"), the division [ExampleDivisionID] and
// the purse type [ExamplePurseTypeID].
func (s *Server) AddExampleReferenceData() {
	s.AddPurseType(PurseType{ID: ExamplePurseTypeID, Name: "местные счета", Description: "описание"})
	s.AddDivision(Division{ID: ExampleDivisionID, Name: "OZR_Доставка_Энгельса 124", GeoIdentifier: "OZR_Энгельса_124"})
	s.AddDiscountPointType(DiscountPointType{ID: ExamplePointTypeID, Name: "баллы 1", Description: "баллы 1"})
	s.AddDiscountPointType(DiscountPointType{ID: ExamplePointTypeID2, Name: "баллы 2", Description: "баллы 2"})
}

// reads are the GET routes and their replies; s.mu is held.
func (s *Server) reads() map[string]func() any {
	return map[string]func() any{
		"/get-discount-point-types": func() any {
			type wire struct {
				ID          string `json:"dspt_ID"`
				Name        string `json:"dspt_Name"`
				Description string `json:"dspt_Description"`
				IsPermanent bool   `json:"dspt_IsPermanent"`
			}
			out := make([]wire, 0, len(s.pointTypes))
			for _, t := range s.pointTypes {
				out = append(out, wire(t))
			}
			return out
		},
		"/get-divisions": func() any {
			type wire struct {
				ID            string `json:"dvsn_ID"`
				Name          string `json:"dvsn_Name"`
				GeoIdentifier string `json:"dvsn_GeoIdentifier"`
			}
			out := make([]wire, 0, len(s.divisions))
			for _, d := range s.divisions {
				out = append(out, wire(d))
			}
			return out
		},
		"/get-purse-types": func() any {
			type wire struct {
				ID          string `json:"cptp_ID"`
				Name        string `json:"cptp_Name"`
				Description string `json:"cptp_Description"`
			}
			out := make([]wire, 0, len(s.purseTypes))
			for _, p := range s.purseTypes {
				out = append(out, wire(p))
			}
			return out
		},
	}
}

// writeList answers a list as the documents show it.
func writeList(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}
