package inextest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const createPath = "/integrators/parcels/create"

const goodParcel = `{"clientReferenceId":"O1","waybillNumbers":["N1","N2"],"status":"received","weight":800,"length":1,"height":2,"width":3,"shipmentType":"byAir","deliveryType":"pickupInStore","pickupLocationId":"200058","receiver":{"personalId":"1","firstname":"A","lastname":"B","phoneNumber":"5"},"declaration":{"sourceUrl":"https://shop.example/1","currencyCode":"USD"}}`

func TestCreateParcelRoute(t *testing.T) {
	srv := Start(t)
	srv.SeedExamples()
	r := send(t, srv, http.MethodPost, createPath, "application/json", goodParcel)
	assert.Equal(t, http.StatusCreated, r.status)
	assert.Equal(t, `{"data":{"height":2,"length":1,"receiverCity":{"name":"Tbilisi"},"receiverPickupLocation":{"address":"Chavchavadze Avenue 1","latitude":-23.896331,"longitude":-123.077118,"name":"Vake locker","phone":"(0322) 2222223","postalCode":"05572"},"senderCountry":{"code":"","name":""},"status":"received","waybillNumbers":["N1","N2"],"weight":800,"width":3}}`, r.body)
	p, ok := srv.Parcel("N2")
	require.True(t, ok)
	assert.Equal(t, "O1", p.ClientReferenceID)
	assert.Equal(t, "byAir", p.ShipmentType)
	assert.Equal(t, "pickupInStore", p.DeliveryType)
	assert.Equal(t, Token, p.Vendor)

	r2 := send(t, srv, http.MethodPost, createPath, "application/json", strings.Replace(goodParcel, `["N1","N2"]`, `["X","N2"]`, 1))
	assert.Equal(t, http.StatusOK, r2.status, "an existing waybill number of this vendor")
	assert.Equal(t, r.body, r2.body)
	assert.Equal(t, 1, srv.ParcelsCreated())

	r = send(t, srv, http.MethodPost, createPath, "application/json", goodParcel, "Authorization", "Bearer "+OtherVendorToken)
	assert.Equal(t, http.StatusForbidden, r.status, "another vendor's")
	r = send(t, srv, http.MethodPost, createPath, "application/json", strings.Replace(goodParcel, `["N1","N2"]`, `["TY7200934421231"]`, 1), "Authorization", "Bearer "+OtherVendorToken)
	assert.Equal(t, http.StatusForbidden, r.status, "a seeded parcel is the default vendor's")

	delivery := `{"waybillNumbers":["D1"],"status":"created","shipmentType":"byRoad","deliveryType":"delivery","receiver":{"personalId":"1","firstname":"A","lastname":"B","phoneNumber":"5","email":"a@b.ge"},"deliveryDetail":{"city":"Kutaisi","address":"Street 1"},"declaration":{"sourceUrl":"http://x.example"}}`
	r = send(t, srv, http.MethodPost, createPath, "application/json", delivery)
	assert.Equal(t, http.StatusCreated, r.status, r.body)
	assert.Contains(t, r.body, `"receiverCity":{"name":"Kutaisi"},"receiverPickupLocation":null`)
	assert.Equal(t, 2, srv.ParcelsCreated())

	r = send(t, srv, http.MethodPost, createPath, "text/plain", goodParcel)
	assert.Equal(t, http.StatusUnsupportedMediaType, r.status)
}

func TestCreateParcelValidation(t *testing.T) {
	srv := Start(t)
	srv.SeedExamples()
	for _, tc := range []struct{ name, body, want string }{
		{"empty", `{}`, `{"message":"The waybill numbers field is required. (and 8 more errors)","errors":{"waybillNumbers":["The waybill numbers field is required."],"status":["The status field is required."],"shipmentType":["The shipment type field is required."],"deliveryType":["The delivery type field is required."],"receiver.personalId":["The receiver.personal id field is required."],"receiver.firstname":["The receiver.firstname field is required."],"receiver.lastname":["The receiver.lastname field is required."],"receiver.phoneNumber":["The receiver.phone number field is required."],"declaration.sourceUrl":["The declaration.source url field is required."]}}`},
		{"conditional", strings.NewReplacer(`"weight":800,`, ``, `"pickupLocationId":"200058",`, ``).Replace(goodParcel),
			`{"message":"The weight field is required when status is received. (and 1 more error)","errors":{"weight":["The weight field is required when status is received."],"pickupLocationId":["The pickup location id field is required when delivery type is pickupInStore."]}}`},
		{"values", strings.NewReplacer(`"status":"received"`, `"status":"lost"`, `"byAir"`, `"byBike"`, `"200058"`, `"1"`, `"weight":800`, `"weight":"x"`, `"https://shop.example/1"`, `"nope"`).Replace(goodParcel),
			`{"message":"The selected status is invalid. (and 4 more errors)","errors":{"status":["The selected status is invalid."],"weight":["The weight field must be an integer."],"shipmentType":["The selected shipment type is invalid."],"pickupLocationId":["The selected pickup location id is invalid."],"declaration.sourceUrl":["The declaration.source url field must be a valid URL."]}}`},
		{"waybills", strings.Replace(goodParcel, `["N1","N2"]`, `["`+strings.Repeat("a", 256)+`",1]`, 1),
			`{"message":"The waybillNumbers.0 field must not be greater than 255 characters. (and 1 more error)","errors":{"waybillNumbers.0":["The waybillNumbers.0 field must not be greater than 255 characters."],"waybillNumbers.1":["The waybillNumbers.1 field must be a string."]}}`},
		{"waybills not a list", strings.Replace(goodParcel, `["N1","N2"]`, `"N1"`, 1),
			`{"message":"The waybill numbers field must be an array.","errors":{"waybillNumbers":["The waybill numbers field must be an array."]}}`},
		{"waybills empty", strings.Replace(goodParcel, `["N1","N2"]`, `[]`, 1),
			`{"message":"The waybill numbers field is required.","errors":{"waybillNumbers":["The waybill numbers field is required."]}}`},
		{"receiver and delivery", `{"waybillNumbers":["D"],"status":"created","shipmentType":"bySea","deliveryType":"delivery","receiver":{"personalId":1,"firstname":"A","lastname":"B","phoneNumber":"5","email":"` + strings.Repeat("e", 256) + `"},"deliveryDetail":{"address":"` + strings.Repeat("a", 1001) + `"},"declaration":{"sourceUrl":"https://x.example"}}`,
			`{"message":"The receiver.personal id field must be a string. (and 3 more errors)","errors":{"receiver.personalId":["The receiver.personal id field must be a string."],"receiver.email":["The receiver.email field must not be greater than 255 characters."],"deliveryDetail.city":["The delivery detail.city field is required."],"deliveryDetail.address":["The delivery detail.address field must not be greater than 1000 characters."]}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := send(t, srv, http.MethodPost, createPath, "application/json", tc.body)
			assert.Equal(t, http.StatusUnprocessableEntity, r.status)
			assert.Equal(t, tc.want, r.body)
		})
	}
	assert.Zero(t, srv.ParcelsCreated())
}
