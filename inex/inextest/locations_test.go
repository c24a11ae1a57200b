package inextest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPickupLocationsRoute(t *testing.T) {
	srv := Start(t)
	srv.SeedExamples()
	const path = "/integrators/locations/pickup-locations"
	r := send(t, srv, http.MethodGet, path+"?facilityType=locker", "", "")
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, `{"data":[{"address":"Chavchavadze Avenue 1","city":{"name":"Tbilisi"},"country":{"code":"GE","name":"Georgia"},"latitude":-23.896331,"locationCode":"200058","longitude":-123.077118,"name":"Vake locker","phone":"(0322) 2222223","postalCode":"05572"}],"meta":{"pagination":{"count":1,"currentPage":1,"perPage":50,"total":1,"totalPages":1}}}`, r.body)

	for _, tc := range []struct{ query, want string }{
		{"?page=2&perPage=2", `"meta":{"pagination":{"count":1,"currentPage":2,"perPage":2,"total":3,"totalPages":2}}`},
		{"?page=9&perPage=2", `{"data":[],"meta":{"pagination":{"count":0,"currentPage":9,"perPage":2,"total":3,"totalPages":2}}}`},
		{"?name=isani", `"locationCode":"200001"`},
		{"?name=nobody", `"total":0,"totalPages":1`},
		{"?countryCode=ge&cityName=batumi", `"locationCode":"300001"`},
		{"?facilityType=individualPerson", `"name":"Nino Beridze"`},
		{"?perPage=500", `"perPage":500`},
		{"?perPage=", `"perPage":50`},
	} {
		r := send(t, srv, http.MethodGet, path+tc.query, "", "")
		assert.Equal(t, http.StatusOK, r.status, tc.query)
		assert.Contains(t, r.body, tc.want, tc.query)
	}

	for _, tc := range []struct{ query, want string }{
		{"?perPage=501", `{"message":"The per page field must not be greater than 500.","errors":{"perPage":["The per page field must not be greater than 500."]}}`},
		{"?page=0&perPage=x", `{"message":"The page field must be at least 1. (and 1 more error)","errors":{"page":["The page field must be at least 1."],"perPage":["The per page field must be an integer."]}}`},
		{"?countryCode=GEO&facilityType=shop", `{"message":"The country code field must be 2 characters. (and 1 more error)","errors":{"countryCode":["The country code field must be 2 characters."],"facilityType":["The selected facility type is invalid."]}}`},
		{"?name=" + strings.Repeat("a", 101), `{"message":"The name field must not be greater than 100 characters.","errors":{"name":["The name field must not be greater than 100 characters."]}}`},
	} {
		r := send(t, srv, http.MethodGet, path+tc.query, "", "")
		assert.Equal(t, http.StatusUnprocessableEntity, r.status, tc.query)
		assert.Equal(t, tc.want, r.body, tc.query)
	}

	for _, q := range []string{"?countryCode=AM", "?cityName=Gori"} {
		r := send(t, srv, http.MethodGet, path+q, "", "")
		assert.Equal(t, http.StatusNotFound, r.status)
		assert.Equal(t, `{"errors":{"general":["City or country not found"]},"message":"error"}`, r.body)
	}
	r = send(t, srv, http.MethodPost, path, "application/json", "{}")
	assert.Equal(t, http.StatusMethodNotAllowed, r.status)
}
