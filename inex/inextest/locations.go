package inextest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// PickupLocation is a pickup location to seed.
type PickupLocation struct {
	// LocationCode identifies it, e.g. "200058".
	LocationCode string
	// Name, Address and Phone are as Inex writes them.
	Name, Address, Phone string
	// Latitude and Longitude are in degrees.
	Latitude, Longitude float64
	// PostalCode is as Inex sends it.
	PostalCode string
	// CountryName and CountryCode (ISO 3166-1 alpha-2) name its country.
	CountryName, CountryCode string
	// City is its city's name.
	City string
	// FacilityType is "branch", "locker" or "individualPerson".
	FacilityType string
}

// AddPickupLocation adds a pickup location, or replaces the one with the
// same code. Listings keep the order in which codes were first added.
func (s *Server) AddPickupLocation(l PickupLocation) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.locations {
		if s.locations[i].LocationCode == l.LocationCode {
			s.locations[i] = l
			return
		}
	}
	s.locations = append(s.locations, l)
}

// locationByCode finds a location; s.mu must be held.
func (s *Server) locationByCode(code string) (PickupLocation, bool) {
	if code == "" {
		return PickupLocation{}, false
	}
	for _, l := range s.locations {
		if l.LocationCode == code {
			return l, true
		}
	}
	return PickupLocation{}, false
}

// MessageLocationNotFound is the general error of a 404 reply to a
// countryCode or cityName no location has, as Inex documents it.
const MessageLocationNotFound = "City or country not found"

func (v *validation) integerMin(in input, field string, min, max int64) (int64, bool) {
	if !in.present(field) {
		return 0, false
	}
	n, err := strconv.ParseInt(fmt.Sprint(in[field]), 10, 64)
	if err != nil {
		v.add(field, "The "+attribute(field)+" field must be an integer.")
		return 0, false
	}
	if n < min {
		v.add(field, fmt.Sprintf("The %s field must be at least %d.", attribute(field), min))
		return 0, false
	}
	if max > 0 && n > max {
		v.add(field, fmt.Sprintf("The %s field must not be greater than %d.", attribute(field), max))
		return 0, false
	}
	return n, true
}

func (s *Server) pickupLocations(w http.ResponseWriter, r *http.Request, in input, _ string) {
	var v validation
	for _, f := range []string{"name", "cityName"} {
		v.stringField(in, f)
		if utf8.RuneCountInString(in.str(f)) > 100 {
			v.add(f, "The "+attribute(f)+" field must not be greater than 100 characters.")
		}
	}
	v.stringField(in, "countryCode")
	if in.present("countryCode") && utf8.RuneCountInString(in.str("countryCode")) != 2 {
		v.add("countryCode", "The country code field must be 2 characters.")
	}
	if ft := in.str("facilityType"); in.present("facilityType") && ft != "branch" && ft != "locker" && ft != "individualPerson" {
		v.add("facilityType", "The selected facility type is invalid.")
	}
	page, ok := v.integerMin(in, "page", 1, 0)
	if !ok {
		page = 1
	}
	perPage, ok := v.integerMin(in, "perPage", 1, 500)
	if !ok {
		perPage = 50
	}
	if v.fail(w, r) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	country, city, name := in.str("countryCode"), in.str("cityName"), strings.ToLower(in.str("name"))
	known := func(match func(PickupLocation) bool) bool {
		for _, l := range s.locations {
			if match(l) {
				return true
			}
		}
		return false
	}
	if (country != "" && !known(func(l PickupLocation) bool { return strings.EqualFold(l.CountryCode, country) })) ||
		(city != "" && !known(func(l PickupLocation) bool { return strings.EqualFold(l.City, city) })) {
		writeGeneral(w, http.StatusNotFound, MessageLocationNotFound)
		return
	}
	var match []PickupLocation
	for _, l := range s.locations {
		if (country == "" || strings.EqualFold(l.CountryCode, country)) &&
			(city == "" || strings.EqualFold(l.City, city)) &&
			(name == "" || strings.Contains(strings.ToLower(l.Name), name)) &&
			(in.str("facilityType") == "" || l.FacilityType == in.str("facilityType")) {
			match = append(match, l)
		}
	}
	total := int64(len(match))
	totalPages := max((total+perPage-1)/perPage, 1)
	from := min((page-1)*perPage, total)
	to := min(from+perPage, total)
	data := make([]map[string]any, 0, to-from)
	for _, l := range match[from:to] {
		data = append(data, map[string]any{
			"locationCode": l.LocationCode, "name": l.Name, "address": l.Address, "phone": l.Phone,
			"latitude": l.Latitude, "longitude": l.Longitude, "postalCode": l.PostalCode,
			"country": map[string]any{"name": l.CountryName, "code": l.CountryCode},
			"city":    map[string]any{"name": l.City},
		})
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "meta": map[string]any{"pagination": map[string]any{
		"total": total, "count": len(data), "currentPage": page, "perPage": perPage, "totalPages": totalPages,
	}}})
}
