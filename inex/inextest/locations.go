package inextest

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
