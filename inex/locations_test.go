package inex

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const locationsURL = testBase + "/integrators/locations/pickup-locations"

func TestPickupLocationsWire(t *testing.T) {
	for _, tc := range []struct {
		name  string
		req   *PickupLocationsRequest
		query string
	}{
		{"nil", nil, ""},
		{"zero", &PickupLocationsRequest{}, ""},
		{"all", &PickupLocationsRequest{Name: "Isani & Co", CountryCode: "GE", CityName: "Tbilisi",
			FacilityType: FacilityLocker, Page: 2, PerPage: 500},
			"?cityName=Tbilisi&countryCode=GE&facilityType=locker&name=Isani+%26+Co&page=2&perPage=500"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := mockClient(t)
			var got captured
			mt.RegisterResponder(http.MethodGet, `=~^`+strings.ReplaceAll(locationsURL, ".", `\.`), record(&got, 200, readDoc(t, "pickup-locations.json")))
			page, err := c.PickupLocations(context.Background(), tc.req)
			require.NoError(t, err)
			assert.Equal(t, http.MethodGet, got.method)
			assert.Equal(t, locationsURL+tc.query, got.url)
			assert.Empty(t, got.body)
			assertHeaders(t, &got, false)
			assert.Equal(t, []*PickupLocation{{LocationCode: "200058", Name: "Vake locker", Address: "Chavchavadze Avenue 1",
				Phone: "(0322) 2222223", Latitude: -23.896331, Longitude: -123.077118, PostalCode: "05572",
				Country: Country{Name: "Georgia", Code: "GE"}, City: "Tbilisi"}}, page.Locations)
			assert.Equal(t, Pagination{Total: 1, Count: 1, CurrentPage: 1, PerPage: 50, TotalPages: 1}, page.Pagination)
		})
	}
}

func TestPickupLocationsShapes(t *testing.T) {
	c, mt := mockClient(t)
	mt.RegisterResponder(http.MethodGet, locationsURL, record(&captured{}, 200,
		`{"data":[{"locationCode":200058,"latitude":"41.1","country":null,"city":null}],"meta":{"pagination":{"total":"1","totalPages":"1"}}}`))
	page, err := c.PickupLocations(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, "200058", page.Locations[0].LocationCode, "a numeric code reads as text")
	assert.Equal(t, 1, page.Pagination.TotalPages)

	mt.RegisterResponder(http.MethodGet, locationsURL, record(&captured{}, 200, `{"data":[]}`))
	page, err = c.PickupLocations(context.Background(), nil)
	require.NoError(t, err)
	assert.Empty(t, page.Locations)
	assert.Zero(t, page.Pagination, "no meta")
}

func TestPickupLocationsBadReplies(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		kind   error
	}{
		{"404", 404, `{"errors":{"general":["City or country not found"]},"message":"error"}`, ErrNotFound},
		{"422", 422, `{"message":"The per page field must not be greater than 500.","errors":{"perPage":["The per page field must not be greater than 500."]}}`, ErrValidation},
		{"no data", 200, `{"meta":{}}`, ErrUnexpectedResponse},
		{"data an object", 200, `{"data":{}}`, ErrUnexpectedResponse},
		{"null location", 200, `{"data":[null]}`, ErrUnexpectedResponse},
		{"bad pagination", 200, `{"data":[],"meta":{"pagination":{"total":"many"}}}`, ErrUnexpectedResponse},
		{"html", 200, `<html>`, ErrUnexpectedResponse},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := mockClient(t)
			mt.RegisterResponder(http.MethodGet, locationsURL, record(&captured{}, tc.status, tc.body))
			page, err := c.PickupLocations(context.Background(), nil)
			assert.Nil(t, page)
			assert.ErrorIs(t, err, tc.kind)
			var e *Error
			require.True(t, errors.As(err, &e))
			assert.Equal(t, tc.status, e.StatusCode)
		})
	}
}

func TestPickupLocationsValidation(t *testing.T) {
	c, _ := mockClient(t)
	for _, tc := range []struct {
		req   PickupLocationsRequest
		field string
	}{
		{PickupLocationsRequest{Name: strings.Repeat("ნ", 101)}, "name"},
		{PickupLocationsRequest{Name: "a\x00"}, "name"},
		{PickupLocationsRequest{CountryCode: "GEO"}, "countryCode"},
		{PickupLocationsRequest{CountryCode: "G"}, "countryCode"},
		{PickupLocationsRequest{CountryCode: "G1"}, "countryCode"},
		{PickupLocationsRequest{CityName: strings.Repeat("a", 101)}, "cityName"},
		{PickupLocationsRequest{CityName: "\xff"}, "cityName"},
		{PickupLocationsRequest{FacilityType: "Branch"}, "facilityType"},
		{PickupLocationsRequest{Page: -1}, "page"},
		{PickupLocationsRequest{PerPage: 501}, "perPage"},
		{PickupLocationsRequest{PerPage: -1}, "perPage"},
	} {
		_, err := c.PickupLocations(context.Background(), &tc.req)
		var ie *InvalidRequestError
		require.True(t, errors.As(err, &ie), "%+v: %v", tc.req, err)
		assert.Equal(t, tc.field, ie.Field)
		for l, err := range c.AllPickupLocations(context.Background(), &tc.req) {
			assert.Nil(t, l)
			assert.True(t, errors.As(err, &ie), "the iterator yields the refusal")
		}
	}
}

// pages answers page n of total locations, perPage a page, as Inex's
// pagination would.
func pages(t *testing.T, total, perPage int, seen *[]string) func(*http.Request) (*http.Response, error) {
	return func(r *http.Request) (*http.Response, error) {
		q := r.URL.Query()
		*seen = append(*seen, q.Encode())
		n, _ := strconv.Atoi(q.Get("page"))
		totalPages := max((total+perPage-1)/perPage, 1)
		var items []string
		for i := (n - 1) * perPage; i < min(n*perPage, total); i++ {
			items = append(items, fmt.Sprintf(`{"locationCode":"L%d"}`, i))
		}
		body := fmt.Sprintf(`{"data":[%s],"meta":{"pagination":{"total":%d,"count":%d,"currentPage":%d,"perPage":%d,"totalPages":%d}}}`,
			strings.Join(items, ","), total, len(items), n, perPage, totalPages)
		return record(&captured{}, 200, body)(r)
	}
}

func TestAllPickupLocations(t *testing.T) {
	for _, tc := range []struct {
		name   string
		total  int
		req    *PickupLocationsRequest
		codes  int
		pages  []string
		breakN int
	}{
		{"three pages", 5, &PickupLocationsRequest{PerPage: 2, CityName: "Tbilisi"}, 5,
			[]string{"cityName=Tbilisi&page=1&perPage=2", "cityName=Tbilisi&page=2&perPage=2", "cityName=Tbilisi&page=3&perPage=2"}, 0},
		{"exact pages", 4, &PickupLocationsRequest{PerPage: 2}, 4, []string{"page=1&perPage=2", "page=2&perPage=2"}, 0},
		{"empty", 0, &PickupLocationsRequest{PerPage: 2}, 0, []string{"page=1&perPage=2"}, 0},
		{"from page 2", 5, &PickupLocationsRequest{PerPage: 2, Page: 2}, 3, []string{"page=2&perPage=2", "page=3&perPage=2"}, 0},
		{"break", 5, &PickupLocationsRequest{PerPage: 2}, 3, []string{"page=1&perPage=2", "page=2&perPage=2"}, 3},
		{"nil request", 3, nil, 3, []string{"page=1"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := mockClient(t)
			var seen []string
			perPage := 50
			if tc.req != nil && tc.req.PerPage != 0 {
				perPage = tc.req.PerPage
			}
			mt.RegisterResponder(http.MethodGet, `=~^`+strings.ReplaceAll(locationsURL, ".", `\.`), pages(t, tc.total, perPage, &seen))
			var codes []string
			for l, err := range c.AllPickupLocations(context.Background(), tc.req) {
				require.NoError(t, err)
				codes = append(codes, l.LocationCode)
				if len(codes) == tc.breakN {
					break
				}
			}
			assert.Len(t, codes, tc.codes)
			for i, code := range codes {
				first := 0
				if tc.req != nil && tc.req.Page > 1 {
					first = (tc.req.Page - 1) * perPage
				}
				assert.Equal(t, fmt.Sprintf("L%d", first+i), code, "each once, in order")
			}
			assert.Equal(t, tc.pages, seen)
		})
	}
}

func TestAllPickupLocationsStops(t *testing.T) {
	// a page with no pagination is the whole list
	c, mt := mockClient(t)
	n := 0
	mt.RegisterResponder(http.MethodGet, `=~^`+strings.ReplaceAll(locationsURL, ".", `\.`), func(r *http.Request) (*http.Response, error) {
		n++
		return record(&captured{}, 200, `{"data":[{"locationCode":"A"}]}`)(r)
	})
	count := 0
	for _, err := range c.AllPickupLocations(context.Background(), nil) {
		require.NoError(t, err)
		count++
	}
	assert.Equal(t, 1, count)
	assert.Equal(t, 1, n)

	// a failed page ends the iteration with its error, after what came before
	c, mt = mockClient(t)
	n = 0
	mt.RegisterResponder(http.MethodGet, `=~^`+strings.ReplaceAll(locationsURL, ".", `\.`), func(r *http.Request) (*http.Response, error) {
		n++
		if n == 2 {
			return record(&captured{}, 404, `{"errors":{"general":["City or country not found"]},"message":"error"}`)(r)
		}
		return record(&captured{}, 200, `{"data":[{"locationCode":"A"}],"meta":{"pagination":{"totalPages":9}}}`)(r)
	})
	var got []string
	var last error
	for l, err := range c.AllPickupLocations(context.Background(), nil) {
		if err != nil {
			last = err
			assert.Nil(t, l)
			continue
		}
		got = append(got, l.LocationCode)
	}
	assert.Equal(t, []string{"A"}, got)
	assert.ErrorIs(t, last, ErrNotFound)
	assert.Equal(t, 2, n)
}
