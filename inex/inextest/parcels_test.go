package inextest

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParcelDetailRoute(t *testing.T) {
	srv := Start(t)
	srv.SeedExamples()
	const want = `{"data":{"height":684,"length":318,"receiverCity":{"name":"Tbilisi"},"receiverPickupLocation":{"address":"Isani, Atskuri Street #45","latitude":56.961032,"longitude":94.614571,"name":"Isani","phone":"(0322) 2222222","postalCode":"Isani"},"senderCountry":{"code":"US","name":"United States"},"status":"arrived","waybillNumbers":["TY7200934421231","YT72358DF03423452"],"weight":1551,"width":489}}`
	for _, w := range []string{"TY7200934421231", "YT72358DF03423452"} {
		r := send(t, srv, http.MethodGet, "/integrators/parcels/detail/"+w, "", "")
		assert.Equal(t, http.StatusOK, r.status)
		assert.Equal(t, want, r.body)
		assert.Equal(t, "application/json", r.header.Get("Content-Type"))
	}

	r := send(t, srv, http.MethodGet, "/integrators/parcels/detail/NOSUCH", "", "")
	assert.Equal(t, http.StatusNotFound, r.status)
	assert.Equal(t, `{"errors":{"general":["Requested parcel not found"]},"message":"error"}`, r.body)

	r = send(t, srv, http.MethodGet, "/integrators/parcels/detail/TY7200934421231", "", "", "Authorization", "Bearer "+OtherVendorToken)
	assert.Equal(t, http.StatusForbidden, r.status, "another vendor's parcel")
	assert.Contains(t, r.body, MessageUnauthorized)

	r = send(t, srv, http.MethodGet, "/integrators/parcels/detail/TY7200934421231", "", "", "Authorization", "Bearer nope")
	assert.Equal(t, http.StatusForbidden, r.status)

	r = send(t, srv, http.MethodPost, "/integrators/parcels/detail/TY7200934421231", "application/json", "{}")
	assert.Equal(t, http.StatusMethodNotAllowed, r.status)

	r = send(t, srv, http.MethodGet, "/integrators/parcels/detail/", "", "")
	assert.Equal(t, http.StatusNotFound, r.status, "no waybill number")
}

func TestParcelState(t *testing.T) {
	srv := Start(t)
	srv.AddPickupLocation(PickupLocation{LocationCode: "L1", Name: "One"})
	srv.AddPickupLocation(PickupLocation{LocationCode: "L1", Name: "One again"})
	srv.AddParcelDetail(Parcel{WaybillNumbers: []string{"A", "B"}, RoomNumber: "R1", PickupLocationCode: "L1",
		History: []Event{{EventID: "received", HappenedAt: time.Unix(0, 0)}}})
	p, ok := srv.Parcel("B")
	require.True(t, ok)
	assert.Equal(t, "created", p.Status, "the default status")
	assert.Equal(t, Token, p.Vendor, "the default vendor")
	p.History[0].EventID = "changed"
	q, _ := srv.Parcel("A")
	assert.Equal(t, "received", q.History[0].EventID, "Parcel returns a copy")

	srv.AddParcel("B", "R2")
	q, _ = srv.Parcel("A")
	assert.Equal(t, "R2", q.RoomNumber)

	_, ok = srv.Parcel("C")
	assert.False(t, ok)
	srv.AddParcel("C", "R3")
	q, ok = srv.Parcel("C")
	require.True(t, ok)
	assert.Equal(t, []string{"C"}, q.WaybillNumbers)

	r := send(t, srv, http.MethodGet, "/integrators/parcels/detail/A", "", "")
	assert.Contains(t, r.body, `"receiverPickupLocation":{"address":"","latitude":0,"longitude":0,"name":"One again"`)
	r = send(t, srv, http.MethodGet, "/integrators/parcels/detail/C", "", "")
	assert.Contains(t, r.body, `"receiverPickupLocation":null`)
}

func TestLogisticHistoryRoute(t *testing.T) {
	srv := Start(t)
	srv.SeedExamples()
	r := send(t, srv, http.MethodGet, "/integrators/logistics/history/TY7200934421231", "", "")
	assert.Equal(t, http.StatusOK, r.status)
	assert.Contains(t, r.body, `{"data":[{"event":{"description":"Parcel received at the overseas warehouse","eventId":"received","name":"Received"},"happenedAt":"2026-03-04T14:02:15+04:00","happenedAtTimeStamp":1772618535000,"location":{"city":{"name":"New Castle"},"country":{"name":"United States"}},"message":null,"reason":{"reasonId":"extraLarge"},"uid":"391b6da0-17b1-11f1-9b88-`)
	assert.Contains(t, r.body, `"message":"Ready for pickup","reason":null`)
	for lang, name := range map[string]string{"ru": "Получено", "ka": "მიღებულია", "en": "Received", "de": "Received"} {
		r = send(t, srv, http.MethodGet, "/integrators/logistics/history/YT72358DF03423452", "", "", "Accept-Language", lang)
		assert.Contains(t, r.body, `"name":"`+name+`"`, lang)
	}
	srv.AddParcelDetail(Parcel{WaybillNumbers: []string{"X"}, History: []Event{{EventID: "heldAtCustoms", HappenedAt: time.Unix(0, 0)}}})
	r = send(t, srv, http.MethodGet, "/integrators/logistics/history/X", "", "")
	assert.Contains(t, r.body, `"event":{"description":"","eventId":"heldAtCustoms","name":"heldAtCustoms"}`)
	r = send(t, srv, http.MethodGet, "/integrators/logistics/history/NOSUCH", "", "")
	assert.Equal(t, http.StatusNotFound, r.status)
	r = send(t, srv, http.MethodGet, "/integrators/logistics/history/X", "", "", "Authorization", "Bearer "+OtherVendorToken)
	assert.Equal(t, http.StatusForbidden, r.status)
	srv.AddParcel("Y", "")
	r = send(t, srv, http.MethodGet, "/integrators/logistics/history/Y", "", "")
	assert.Equal(t, `{"data":[]}`, r.body)
}
