package inex

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"unicode/utf8"

	"github.com/caravanpay/caravan/internal/tolerant"
	"github.com/caravanpay/caravan/internal/transport"
)

// FacilityType is the kind of a pickup location.
type FacilityType string

// The documented facility types.
const (
	FacilityBranch           FacilityType = "branch"
	FacilityLocker           FacilityType = "locker"
	FacilityIndividualPerson FacilityType = "individualPerson"
)

// Documented limits of [Client.PickupLocations].
const (
	// MaxLocationsPerPage is the largest perPage Inex accepts; without
	// one it sends DefaultLocationsPerPage.
	MaxLocationsPerPage     = 500
	DefaultLocationsPerPage = 50
	// MaxLocationFilterLength is the most characters the name and
	// cityName filters may have.
	MaxLocationFilterLength = 100
)

// PickupLocationsRequest filters the pickup locations and selects a page.
// Every field is optional; the zero value asks for the first page of all
// locations.
type PickupLocationsRequest struct {
	// Name filters by the location's name (at most 100 characters).
	Name string `url:"name,omitempty"`
	// CountryCode filters by country: an ISO 3166-1 alpha-2 code such as
	// "GE" (two letters).
	CountryCode string `url:"countryCode,omitempty"`
	// CityName filters by the city's name (at most 100 characters).
	CityName string `url:"cityName,omitempty"`
	// FacilityType filters by kind: [FacilityBranch], [FacilityLocker] or
	// [FacilityIndividualPerson].
	FacilityType FacilityType `url:"facilityType,omitempty"`
	// Page is the page to read, from 1; 0 sends none (Inex's default is 1).
	Page int `url:"page,omitempty"`
	// PerPage is the page size, 1 to 500; 0 sends none (Inex's default is
	// 50).
	PerPage int `url:"perPage,omitempty"`
}

func (r *PickupLocationsRequest) validate() error {
	if utf8.RuneCountInString(r.Name) > MaxLocationFilterLength {
		return invalid("name", "has %d characters; at most %d are allowed", utf8.RuneCountInString(r.Name), MaxLocationFilterLength)
	}
	if err := checkText("name", r.Name); err != nil {
		return err
	}
	if r.CountryCode != "" {
		c := r.CountryCode
		if len(c) != 2 || !isLetter(c[0]) || !isLetter(c[1]) {
			return invalid("countryCode", "must be two letters (ISO 3166-1 alpha-2), such as GE")
		}
	}
	if utf8.RuneCountInString(r.CityName) > MaxLocationFilterLength {
		return invalid("cityName", "has %d characters; at most %d are allowed", utf8.RuneCountInString(r.CityName), MaxLocationFilterLength)
	}
	if err := checkText("cityName", r.CityName); err != nil {
		return err
	}
	switch r.FacilityType {
	case "", FacilityBranch, FacilityLocker, FacilityIndividualPerson:
	default:
		return invalid("facilityType", "%q is not one of branch, locker, individualPerson", string(r.FacilityType))
	}
	if r.Page < 0 {
		return invalid("page", "must be at least 1 (0 sends none)")
	}
	if r.PerPage < 0 || r.PerPage > MaxLocationsPerPage {
		return invalid("perPage", "must be 1 to %d (0 sends none)", MaxLocationsPerPage)
	}
	return nil
}

func isLetter(b byte) bool { return b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' }

// Pagination is the "meta.pagination" of a page of pickup locations.
type Pagination struct {
	// Total is the number of locations matching the filters.
	Total int
	// Count is the number of locations on this page.
	Count int
	// CurrentPage is this page's number, from 1.
	CurrentPage int
	// PerPage is the page size.
	PerPage int
	// TotalPages is the number of pages.
	TotalPages int
}

// PickupLocationsPage is one page of pickup locations.
type PickupLocationsPage struct {
	// Locations are the page's locations, in Inex's order.
	Locations []*PickupLocation
	// Pagination says where the page is in the list. It is zero when the
	// reply carries no meta.pagination.
	Pagination Pagination
}

type paginationData struct {
	Total       tolerant.Int64 `json:"total"`
	Count       tolerant.Int64 `json:"count"`
	CurrentPage tolerant.Int64 `json:"currentPage"`
	PerPage     tolerant.Int64 `json:"perPage"`
	TotalPages  tolerant.Int64 `json:"totalPages"`
}

// PickupLocations reads one page of the branches, lockers and people
// where parcels are picked up, with
// GET /integrators/locations/pickup-locations?name=&countryCode=&cityName=&facilityType=&page=&perPage=.
// To read every page, use [Client.AllPickupLocations].
//
// Outcome: a read, which changes nothing — it never returns
// [ErrOutcomeUnknown], and it may always be sent again (the client retries
// it on network errors, 429 and 5xx). A country or city Inex does not
// know is [ErrNotFound] ("City or country not found"); a filter Inex
// refuses is [ErrValidation].
func (c *Client) PickupLocations(ctx context.Context, req *PickupLocationsRequest) (*PickupLocationsPage, error) {
	if req == nil {
		req = &PickupLocationsRequest{}
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	q, err := transport.Values(req)
	if err != nil {
		return nil, invalid("request", "%v", err)
	}
	resp, err := c.t.Do(ctx, &transport.Request{
		Method: http.MethodGet, Path: "/integrators/locations/pickup-locations", Query: q, Class: transport.Idempotent,
	})
	if err != nil {
		return nil, newError(err)
	}
	var env struct {
		Data *[]*locationData `json:"data"`
		Meta *struct {
			Pagination *paginationData `json:"pagination"`
		} `json:"meta"`
	}
	if err := json.Unmarshal(resp.Body, &env); err != nil {
		return nil, newError(resp.Fail(transport.ErrUnexpectedResponse, "undecodable reply", err))
	}
	if env.Data == nil {
		return nil, newError(resp.Fail(transport.ErrUnexpectedResponse, "reply has no data", nil))
	}
	page := &PickupLocationsPage{Locations: make([]*PickupLocation, 0, len(*env.Data))}
	for _, d := range *env.Data {
		if d == nil {
			return nil, newError(resp.Fail(transport.ErrUnexpectedResponse, "the list holds a null location", nil))
		}
		page.Locations = append(page.Locations, d.location())
	}
	if env.Meta != nil && env.Meta.Pagination != nil {
		p := env.Meta.Pagination
		page.Pagination = Pagination{Total: int(p.Total), Count: int(p.Count), CurrentPage: int(p.CurrentPage),
			PerPage: int(p.PerPage), TotalPages: int(p.TotalPages)}
	}
	return page, nil
}

// AllPickupLocations iterates over every pickup location matching req's
// filters, page by page from req.Page (or 1) with req.PerPage locations a
// page (or Inex's 50). It follows meta.pagination: it stops after the page
// whose number reaches totalPages, at an empty page, or when a reply has
// no pagination (then that one page is all). It stops, too, when the loop
// breaks, and after yielding an error (a page that failed, or a request
// refused before sending). A location that moves between pages while the
// iteration runs can be seen twice or missed: Inex's paging is by offset.
//
// Outcome: reads only; see [Client.PickupLocations].
func (c *Client) AllPickupLocations(ctx context.Context, req *PickupLocationsRequest) iter.Seq2[*PickupLocation, error] {
	return func(yield func(*PickupLocation, error) bool) {
		r := PickupLocationsRequest{}
		if req != nil {
			r = *req
		}
		if r.Page == 0 {
			r.Page = 1
		}
		for {
			page, err := c.PickupLocations(ctx, &r)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, l := range page.Locations {
				if !yield(l, nil) {
					return
				}
			}
			if len(page.Locations) == 0 || page.Pagination.TotalPages == 0 || r.Page >= page.Pagination.TotalPages {
				return
			}
			r.Page++
		}
	}
}
