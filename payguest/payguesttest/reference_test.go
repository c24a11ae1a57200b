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

func postGuest(t *testing.T, srv *Server, method, contentType, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+"/post-guest", strings.NewReader(body))
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

const postedExample = `{"gest_gsst_ID":0,"gest_Count":"20","gest_dvsn_ID":"274013BE-AA55-294F-ADC6-99DE44BEA4E1","gest_Name":"S404095","gest_ClientAddress":"<?xml version='1.0'?>\n<Address/>","gest_IsDelivery":"1","guestDeliveries":{"gsdlv_pytp_ID_Prepaid":"0789C108-6C80-BC47-BB39-A13C7CDDD030","gsdlv_CashAmount":"3000","gsdlv_IsAutoStart":0},"orders":[{"ordr_orst_ID":0,"orderItems":[{"orit_mitm_ID":"9C3D6192-9FFA-A848-8C6E-D5629F9128AD","orit_Count":"2","orit_Price":650.5}]}]}`

func TestPostGuestRoute(t *testing.T) {
	srv := Start(t)
	status, body := postGuest(t, srv, http.MethodPost, "application/json", postedExample)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, `{"gest_ID":"BFA83CA6-A5C9-8945-94FD-32CB40880933"}`+"\n", body)
	status, body = postGuest(t, srv, http.MethodPost, "application/json; charset=utf-8", postedExample)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, `{"gest_ID":"BFA83CA6-A5C9-8945-94FD-32CB40880934"}`+"\n", body, "a second post, a second bill")

	posted := srv.PostedBills()
	require.Len(t, posted, 2)
	assert.Equal(t, PostedBill{ID: FirstPostedBillID, Name: "S404095", DivisionID: "274013BE-AA55-294F-ADC6-99DE44BEA4E1",
		ClientAddress: "<?xml version='1.0'?>\n<Address/>", Total: "1301", PrepaidPayTypeID: "0789C108-6C80-BC47-BB39-A13C7CDDD030",
		Body: []byte(postedExample)}, posted[0])
	b, ok := srv.Bill(FirstPostedBillID)
	require.True(t, ok)
	assert.Equal(t, "1301", b.Open)
	assert.Equal(t, "0789C108-6C80-BC47-BB39-A13C7CDDD030", b.PrepaidPayTypeID)

	// the new bill is paid through /pay-guest
	code, _ := post(t, srv, "", `{"Payment":{"gest_ID":"`+FirstPostedBillID+`","paySum":1301}}`)
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, 1, srv.PaidCount(FirstPostedBillID))

	for _, tc := range []struct{ name, body, text string }{
		{"not an object", `[]`, "Некорректный JSON: ожидается объект гостевого счета"},
		{"null", `null`, "Некорректный JSON: ожидается объект гостевого счета"},
		{"empty", ``, "Некорректный JSON: ожидается объект гостевого счета"},
		{"trailing", `{"orders":[]} {}`, "Некорректный JSON: лишние данные после объекта"},
		{"delivery not an object", `{"guestDeliveries":1,"orders":[]}`, "Некорректный JSON: guestDeliveries должен быть объектом"},
		{"no orders", `{"gest_Name":"x"}`, TextNoOrders},
		{"no items", `{"orders":[{"orderItems":[]}]}`, TextNoOrders},
		{"no menu item", `{"orders":[{"orderItems":[{"orit_Count":1,"orit_Price":1}]}]}`, TextBadOrderItem},
		{"bad price", `{"orders":[{"orderItems":[{"orit_mitm_ID":"x","orit_Count":1,"orit_Price":"abc"}]}]}`, TextBadOrderItem},
		{"negative count", `{"orders":[{"orderItems":[{"orit_mitm_ID":"x","orit_Count":-1,"orit_Price":1}]}]}`, TextBadOrderItem},
	} {
		status, body := postGuest(t, srv, http.MethodPost, "application/json", tc.body)
		assert.Equal(t, http.StatusBadRequest, status, tc.name)
		assert.Equal(t, `"`+tc.text+`"`, body, tc.name)
	}
	status, _ = postGuest(t, srv, http.MethodPost, "text/plain", postedExample)
	assert.Equal(t, http.StatusUnsupportedMediaType, status)
	status, _ = postGuest(t, srv, http.MethodGet, "", "")
	assert.Equal(t, http.StatusMethodNotAllowed, status)
	assert.Len(t, srv.PostedBills(), 2)
}
