package payguesttest

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func get(t *testing.T, srv *Server, method, path string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(""))
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func TestDiscountPointTypesRoute(t *testing.T) {
	srv := Start(t)
	status, _, body := get(t, srv, http.MethodGet, "/get-discount-point-types")
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "[]\n", body, "none seeded")

	srv.AddExampleReferenceData()
	status, hdr, body := get(t, srv, http.MethodGet, "/get-discount-point-types")
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "application/json; charset=utf-8", hdr.Get("Content-Type"))
	assert.Equal(t, `[{"dspt_ID":"A976C6ED-C511-4755-B942-636645A6A1B0","dspt_Name":"баллы 1","dspt_Description":"баллы 1","dspt_IsPermanent":false},{"dspt_ID":"C635BB7D-DE32-41F1-878C-8050F57C1826","dspt_Name":"баллы 2","dspt_Description":"баллы 2","dspt_IsPermanent":false}]`+"\n", body)

	status, hdr, body = get(t, srv, http.MethodPost, "/get-discount-point-types")
	assert.Equal(t, http.StatusMethodNotAllowed, status)
	assert.Equal(t, http.MethodGet, hdr.Get("Allow"))
	assert.Equal(t, `"Метод не поддерживается"`, body)

	srv.RequireHeader("X-Proxy", "k")
	status, _, _ = get(t, srv, http.MethodGet, "/get-discount-point-types")
	assert.Equal(t, http.StatusUnauthorized, status, "the proxy guards every route")
}

func TestDivisionsRoute(t *testing.T) {
	srv := Start(t)
	srv.AddExampleReferenceData()
	srv.AddDivision(Division{ID: "00000000-0000-0000-0000-000000000001", Name: "Зал"})
	status, _, body := get(t, srv, http.MethodGet, "/get-divisions?x=1")
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, `[{"dvsn_ID":"B125BE00-8B8C-CC40-99AC-088B5A95EF67","dvsn_Name":"OZR_Доставка_Энгельса 124","dvsn_GeoIdentifier":"OZR_Энгельса_124"},{"dvsn_ID":"00000000-0000-0000-0000-000000000001","dvsn_Name":"Зал","dvsn_GeoIdentifier":""}]`+"\n", body)
	status, _, _ = get(t, srv, http.MethodPut, "/get-divisions")
	assert.Equal(t, http.StatusMethodNotAllowed, status)
}

func TestPurseTypesRoute(t *testing.T) {
	srv := Start(t)
	srv.AddExampleReferenceData()
	status, _, body := get(t, srv, http.MethodGet, "/get-purse-types")
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, `[{"cptp_ID":"573250C8-5007-4AAF-8596-4F820E9B6648","cptp_Name":"местные счета","cptp_Description":"описание"}]`+"\n", body)
	status, _, _ = get(t, srv, http.MethodDelete, "/get-purse-types")
	assert.Equal(t, http.StatusMethodNotAllowed, status)
}
