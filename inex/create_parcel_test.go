package inex

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const createURL = testBase + "/integrators/parcels/create"

func pickupParcel() *CreateParcelRequest {
	return &CreateParcelRequest{
		ClientReferenceID: "ORDER-1", WaybillNumbers: []string{"YT72358DF03423452"}, Status: ParcelReceived,
		Weight: 1551, Width: 489, Height: 684, Length: 318, ShipmentType: ByAir, DeliveryType: PickupInStore,
		PickupLocationID: "200058",
		Receiver:         Receiver{PersonalID: "01001011111", Firstname: "Name", Lastname: "Lastname", PhoneNumber: "555123456"},
		Declaration:      Declaration{SourceURL: "https://shop.example/item?id=1&x=2", CurrencyCode: "USD"},
	}
}

func TestCreateParcelWire(t *testing.T) {
	delivery := &CreateParcelRequest{
		WaybillNumbers: []string{"W1", "W2"}, Status: ParcelCreated, ShipmentType: BySea, DeliveryType: Delivery,
		Receiver:       Receiver{PersonalID: "1", Firstname: "ნინო", Lastname: "B", PhoneNumber: "5", Email: "n@example.ge"},
		DeliveryDetail: &DeliveryDetail{City: "Tbilisi", Address: "Rustaveli <1>", District: "Mtatsminda"},
		Declaration: Declaration{SourceURL: "http://shop.example", Extra: map[string]any{
			"items": []map[string]any{{"name": "book", "price": json.Number("12.50")}}}},
	}
	for _, tc := range []struct {
		name string
		req  *CreateParcelRequest
		body string
	}{
		{"pickup", pickupParcel(), `{"clientReferenceId":"ORDER-1","waybillNumbers":["YT72358DF03423452"],"status":"received","weight":1551,"width":489,"height":684,"length":318,"shipmentType":"byAir","deliveryType":"pickupInStore","pickupLocationId":"200058","receiver":{"personalId":"01001011111","firstname":"Name","lastname":"Lastname","phoneNumber":"555123456"},"declaration":{"currencyCode":"USD","sourceUrl":"https://shop.example/item?id=1&x=2"}}`},
		{"delivery", delivery, `{"waybillNumbers":["W1","W2"],"status":"created","shipmentType":"bySea","deliveryType":"delivery","receiver":{"personalId":"1","firstname":"ნინო","lastname":"B","phoneNumber":"5","email":"n@example.ge"},"deliveryDetail":{"city":"Tbilisi","address":"Rustaveli <1>","district":"Mtatsminda"},"declaration":{"items":[{"name":"book","price":12.50}],"sourceUrl":"http://shop.example"}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := mockClient(t)
			var got captured
			mt.RegisterResponder(http.MethodPost, createURL, record(&got, 201, readDoc(t, "parcel-detail.json")))
			res, err := c.CreateParcel(context.Background(), tc.req)
			require.NoError(t, err)
			assert.Equal(t, 1, got.n)
			assert.Equal(t, http.MethodPost, got.method)
			assert.Equal(t, createURL, got.url)
			assertHeaders(t, &got, true)
			assert.Equal(t, tc.body, got.body)
			assert.Equal(t, 201, res.StatusCode)
			assert.Equal(t, int64(1551), res.Parcel.Weight)
			assert.Equal(t, ParcelDisposed, res.Parcel.Status)
			assert.Contains(t, string(res.Data), `"receiverCity"`)
		})
	}
}

func TestCreateParcelExisting(t *testing.T) {
	c, mt := mockClient(t)
	mt.RegisterResponder(http.MethodPost, createURL, record(&captured{}, 200,
		`{"data":{"status":"received","waybillNumbers":["YT72358DF03423452"],"id":991,"trackingUrl":"https://inex.ge/t/1"}}`))
	res, err := c.CreateParcel(context.Background(), pickupParcel())
	require.NoError(t, err)
	assert.Equal(t, 200, res.StatusCode, "an existing parcel of this vendor")
	assert.Equal(t, []string{"YT72358DF03423452"}, res.Parcel.WaybillNumbers)
	var extra struct {
		ID int `json:"id"`
	}
	require.NoError(t, json.Unmarshal(res.Data, &extra))
	assert.Equal(t, 991, extra.ID, "fields past the document's cut stay reachable")
}

func TestCreateParcelRetriedSafely(t *testing.T) {
	c, mt := mockClient(t)
	n := 0
	var got captured
	mt.RegisterResponder(http.MethodPost, createURL, func(r *http.Request) (*http.Response, error) {
		n++
		if n == 1 {
			return record(&got, 502, `<html>bad gateway</html>`)(r)
		}
		return record(&got, 200, `{"data":{"status":"received"}}`)(r)
	})
	res, err := c.CreateParcel(context.Background(), pickupParcel())
	require.NoError(t, err, "idempotent by waybill number: the client resends")
	assert.Equal(t, 2, n)
	assert.Equal(t, ParcelReceived, res.Parcel.Status)
}

func TestCreateParcelErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		kind   error
	}{
		{"another vendor's parcel", 403, doc403, ErrUnauthorized},
		{"422", 422, `{"message":"The selected pickup location id is invalid.","errors":{"pickupLocationId":["The selected pickup location id is invalid."]}}`, ErrValidation},
		// an unreadable 2xx may have created the parcel: unknown, and safe
		// to repeat (the tracking code deduplicates)
		{"data null", 201, `{"data":null}`, ErrUnexpectedResponse},
		{"data a string", 201, `{"data":"ok"}`, ErrUnexpectedResponse},
		{"bad weight", 201, `{"data":{"weight":"heavy"}}`, ErrUnexpectedResponse},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := mockClient(t)
			var got captured
			mt.RegisterResponder(http.MethodPost, createURL, record(&got, tc.status, tc.body))
			res, err := c.CreateParcel(context.Background(), pickupParcel())
			assert.Nil(t, res)
			assert.ErrorIs(t, err, tc.kind)
			if tc.status < 300 {
				assert.ErrorIs(t, err, ErrOutcomeUnknown)
			} else {
				assert.NotErrorIs(t, err, ErrOutcomeUnknown)
			}
			assert.True(t, SafeToRepeat(err))
			var e *Error
			require.True(t, errors.As(err, &e))
			assert.Equal(t, tc.status, e.StatusCode)
			assert.Equal(t, 1, got.n)
		})
	}
}

func TestCreateParcelValidation(t *testing.T) {
	c, _ := mockClient(t)
	long := strings.Repeat("x", 256)
	for _, tc := range []struct {
		field string
		edit  func(r *CreateParcelRequest)
	}{
		{"clientReferenceId", func(r *CreateParcelRequest) { r.ClientReferenceID = long }},
		{"waybillNumbers", func(r *CreateParcelRequest) { r.WaybillNumbers = nil }},
		{"waybillNumbers", func(r *CreateParcelRequest) { r.WaybillNumbers = []string{" "} }},
		{"waybillNumbers", func(r *CreateParcelRequest) { r.WaybillNumbers = []string{long} }},
		{"waybillNumbers", func(r *CreateParcelRequest) { r.WaybillNumbers = []string{"A", "A"} }},
		{"status", func(r *CreateParcelRequest) { r.Status = "" }},
		{"status", func(r *CreateParcelRequest) { r.Status = ParcelArrived }},
		{"weight", func(r *CreateParcelRequest) { r.Weight = 0 }},
		{"weight", func(r *CreateParcelRequest) { r.Status, r.Weight = ParcelPending, 0 }},
		{"weight", func(r *CreateParcelRequest) { r.Status, r.Weight = ParcelCreated, -1 }},
		{"width", func(r *CreateParcelRequest) { r.Width = -1 }},
		{"length", func(r *CreateParcelRequest) { r.Length = -1 }},
		{"shipmentType", func(r *CreateParcelRequest) { r.ShipmentType = "" }},
		{"shipmentType", func(r *CreateParcelRequest) { r.ShipmentType = "byRail" }},
		{"deliveryType", func(r *CreateParcelRequest) { r.DeliveryType = "" }},
		{"deliveryType", func(r *CreateParcelRequest) { r.DeliveryType = "courier" }},
		{"pickupLocationId", func(r *CreateParcelRequest) { r.PickupLocationID = "" }},
		{"deliveryDetail", func(r *CreateParcelRequest) { r.DeliveryDetail = &DeliveryDetail{City: "T", Address: "A"} }},
		{"pickupLocationId", func(r *CreateParcelRequest) { r.DeliveryType = Delivery }},
		{"deliveryDetail", func(r *CreateParcelRequest) { r.DeliveryType, r.PickupLocationID = Delivery, "" }},
		{"deliveryDetail.city", func(r *CreateParcelRequest) {
			r.DeliveryType, r.PickupLocationID, r.DeliveryDetail = Delivery, "", &DeliveryDetail{Address: "A"}
		}},
		{"deliveryDetail.address", func(r *CreateParcelRequest) {
			r.DeliveryType, r.PickupLocationID, r.DeliveryDetail = Delivery, "", &DeliveryDetail{City: "T", Address: strings.Repeat("a", 1001)}
		}},
		{"deliveryDetail.district", func(r *CreateParcelRequest) {
			r.DeliveryType, r.PickupLocationID, r.DeliveryDetail = Delivery, "", &DeliveryDetail{City: "T", Address: "A", District: long}
		}},
		{"receiver.personalId", func(r *CreateParcelRequest) { r.Receiver.PersonalID = "" }},
		{"receiver.firstname", func(r *CreateParcelRequest) { r.Receiver.Firstname = long }},
		{"receiver.lastname", func(r *CreateParcelRequest) { r.Receiver.Lastname = "a\nb" }},
		{"receiver.phoneNumber", func(r *CreateParcelRequest) { r.Receiver.PhoneNumber = " " }},
		{"receiver.email", func(r *CreateParcelRequest) { r.Receiver.Email = "nobody" }},
		{"receiver.email", func(r *CreateParcelRequest) { r.Receiver.Email = "Nino <n@example.ge>" }},
		{"declaration.sourceUrl", func(r *CreateParcelRequest) { r.Declaration.SourceURL = "" }},
		{"declaration.sourceUrl", func(r *CreateParcelRequest) { r.Declaration.SourceURL = "shop.example/item" }},
		{"declaration.sourceUrl", func(r *CreateParcelRequest) { r.Declaration.SourceURL = "ftp://shop.example" }},
		{"declaration.currencyCode", func(r *CreateParcelRequest) { r.Declaration.CurrencyCode = "usd" }},
		{"declaration.currencyCode", func(r *CreateParcelRequest) { r.Declaration.CurrencyCode = "US" }},
		{"declaration.sourceUrl", func(r *CreateParcelRequest) { r.Declaration.Extra = map[string]any{"sourceUrl": "x"} }},
		{"declaration", func(r *CreateParcelRequest) { r.Declaration.Extra = map[string]any{"": 1} }},
		{"request", func(r *CreateParcelRequest) { r.Declaration.Extra = map[string]any{"f": func() {}} }},
	} {
		r := pickupParcel()
		tc.edit(r)
		_, err := c.CreateParcel(context.Background(), r)
		var ie *InvalidRequestError
		require.True(t, errors.As(err, &ie), "%s: %v", tc.field, err)
		assert.Equal(t, tc.field, ie.Field, ie.Reason)
	}
	_, err := c.CreateParcel(context.Background(), nil)
	assert.ErrorIs(t, err, ErrInvalidRequest)
}
