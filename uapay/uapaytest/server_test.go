package uapaytest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// post sends a signed request the way UAPAY's clients do and returns the
// status and decoded reply.
func post(t *testing.T, srv *Server, path, params, data string, iat int64) (int, map[string]any) {
	t.Helper()
	claims := `{"params":` + params
	if data != "" {
		claims += `,"data":` + data
	}
	claims += `,"iat":` + strconv.FormatInt(iat, 10) + `}`
	body := claims[:len(claims)-1] + `,"token":"` + Sign([]byte(claims)) + `"}`
	resp, err := http.Post(srv.URL+path, "application/json", bytes.NewReader([]byte(body)))
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, out
}

func code(m map[string]any) string {
	e, _ := m["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

func TestServerRules(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	now := time.Now().Unix()
	st, out := post(t, srv, "/api/sessions/create", `{"clientId":"`+ClientID+`"}`, "", now)
	require.Equal(t, 200, st)
	sid := out["id"].(string)
	inv := srv.AddInvoice(Invoice{ID: SeedInvoiceID})
	params := `{"sessionId":"` + sid + `","id":"` + inv + `"}`

	cases := []struct {
		name, path, params, data string
		iat                      int64
		want                     string
	}{
		{"flat cardToId (the seed's slip)", "/api/invoicer/invoices/update", params, `{"cardToId":"c9cc0a38-c5f5-429d-89d6-e4be3656560c"}`, now, "FORMAT_ERROR"},
		{"bad pan", "/api/invoicer/invoices/update", params, `{"cardTo":{"pan":"4134170000010887"}}`, now, "FORMAT_ERROR"},
		{"extraInfo object", "/api/invoicer/invoices/update", params, `{"extraInfo":{"a":1}}`, now, "FORMAT_ERROR"},
		{"relative url", "/api/invoicer/invoices/update", params, `{"redirectUrl":"/x"}`, now, "FORMAT_ERROR"},
		{"skew", "/api/invoicer/invoices/show", params, "", now - 21, "TIMELIMIT_ERROR"},
		{"unknown session", "/api/invoicer/invoices/show", `{"sessionId":"6e391161-94ff-41a3-bd22-c6d77509bff6","id":"` + inv + `"}`, "", now, "SESSION_EXPIRED"},
		{"no client", "/api/sessions/create", `{}`, "", now, "FORMAT_ERROR"},
		{"bad amount", "/api/invoicer/invoices/create", `{"sessionId":"` + sid + `","systemType":"ECOM"}`, `{"externalId":"o","type":"PAY","amount":0}`, now, "FORMAT_ERROR"},
	}
	for _, tc := range cases {
		st, out := post(t, srv, tc.path, tc.params, tc.data, tc.iat)
		assert.Equal(t, 400, st, tc.name)
		assert.Equal(t, tc.want, code(out), tc.name)
	}
	st, _ = post(t, srv, "/api/invoicer/invoices/update", params, `{"cardTo":{"pan":"4134170000010886"},"tag":"x"}`, now)
	assert.Equal(t, 200, st)
	assert.Equal(t, 1, srv.Updates(inv))
	stored, _ := srv.Invoice(inv)
	assert.Equal(t, "413417******0886", stored.CardToMasked)

	// unsigned, tampered and wrongly typed requests
	resp, err := http.Post(srv.URL+"/api/sessions/create", "application/json", bytes.NewReader([]byte(`{"params":{"clientId":"x"},"iat":1}`)))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 400, resp.StatusCode)
	tampered := `{"params":{"clientId":"other"},"iat":` + strconv.FormatInt(now, 10) + `,"token":"` +
		Sign([]byte(`{"params":{"clientId":"`+ClientID+`"},"iat":`+strconv.FormatInt(now, 10)+`}`)) + `"}`
	resp, err = http.Post(srv.URL+"/api/sessions/create", "application/json", bytes.NewReader([]byte(tampered)))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 400, resp.StatusCode)
	resp, err = http.Post(srv.URL+"/api/sessions/create", "text/plain", nil)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 400, resp.StatusCode)
	resp, err = http.Get(srv.URL + "/api/sessions/create")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 405, resp.StatusCode)
	assert.Len(t, srv.Requests(), len(cases)+6)
}
