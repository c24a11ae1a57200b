package inex

import (
	"context"
	"errors"
	"net/http"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readDoc reads a reply body built from the values of Inex's field tables
// (the stored pages end before their JSON examples), kept in testdata.
func readDoc(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return string(b)
}

func TestParcelDetailWire(t *testing.T) {
	c, mt := mockClient(t)
	var got captured
	mt.RegisterResponder(http.MethodGet, testBase+"/integrators/parcels/detail/YT72358DF03423452",
		record(&got, 200, readDoc(t, "parcel-detail.json")))
	p, err := c.ParcelDetail(context.Background(), "YT72358DF03423452")
	require.NoError(t, err)
	assert.Equal(t, 1, got.n)
	assert.Equal(t, http.MethodGet, got.method)
	assert.Equal(t, testBase+"/integrators/parcels/detail/YT72358DF03423452", got.url)
	assert.Empty(t, got.body)
	assertHeaders(t, &got, false)
	assert.Empty(t, got.header.Get("Accept-Language"))
	assert.Equal(t, &Parcel{
		WaybillNumbers: []string{"YT72358DF03423452"}, Status: ParcelDisposed,
		Weight: 1551, Length: 318, Height: 684, Width: 489,
		SenderCountry: Country{Name: "United States", Code: "US"}, ReceiverCity: "Tbilisi",
		ReceiverPickupLocation: &PickupLocation{Name: "Isani", Address: "Isani, Atskuri Street #45",
			Phone: "(0322) 2222222", Latitude: 56.961032, Longitude: 94.614571, PostalCode: "Isani"},
	}, p)
	assert.True(t, p.Status.Known())
}

func TestParcelDetailLooseShapes(t *testing.T) {
	c, mt := mockClient(t)
	mt.RegisterResponder(http.MethodGet, testBase+"/integrators/parcels/detail/W%201", record(&captured{}, 200,
		`{"data":{"weight":"1551","status":"heldAtCustoms","receiverPickupLocation":null,"senderCountry":null,
		"waybillNumbers":["W 1",123],"extra":{"x":1}}}`))
	p, err := c.ParcelDetail(context.Background(), "W 1")
	require.NoError(t, err)
	assert.Equal(t, int64(1551), p.Weight, "a weight in a string")
	assert.Equal(t, ParcelStatus("heldAtCustoms"), p.Status, "an undocumented status is kept")
	assert.False(t, p.Status.Known())
	assert.Nil(t, p.ReceiverPickupLocation)
	assert.Equal(t, []string{"W 1", "123"}, p.WaybillNumbers)

	mt.RegisterResponder(http.MethodGet, testBase+"/integrators/parcels/detail/W2", record(&captured{}, 200,
		`{"data":{"receiverPickupLocation":{"latitude":"41.5","longitude":""}}}`))
	p, err = c.ParcelDetail(context.Background(), "W2")
	require.NoError(t, err)
	assert.InDelta(t, 41.5, p.ReceiverPickupLocation.Latitude, 1e-9)
	assert.Zero(t, p.ReceiverPickupLocation.Longitude)
}

func TestParcelDetailBadReplies(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		kind   error
	}{
		{"404", 404, `{"errors":{"general":["Requested parcel not found"]},"message":"error"}`, ErrNotFound},
		{"403", 403, doc403, ErrUnauthorized},
		{"no data", 200, `{"message":"ok"}`, ErrUnexpectedResponse},
		{"html", 200, `<html>`, ErrUnexpectedResponse},
		{"latitude not a number", 200, `{"data":{"receiverPickupLocation":{"latitude":"north"}}}`, ErrUnexpectedResponse},
		{"latitude out of range", 200, `{"data":{"receiverPickupLocation":{"latitude":1e300}}}`, ErrUnexpectedResponse},
		{"weight not a number", 200, `{"data":{"weight":"heavy"}}`, ErrUnexpectedResponse},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := mockClient(t)
			var got captured
			mt.RegisterResponder(http.MethodGet, testBase+"/integrators/parcels/detail/W1", record(&got, tc.status, tc.body))
			p, err := c.ParcelDetail(context.Background(), "W1")
			require.Error(t, err)
			assert.Nil(t, p)
			assert.ErrorIs(t, err, tc.kind)
			assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a read")
			var e *Error
			require.True(t, errors.As(err, &e))
			assert.Equal(t, tc.status, e.StatusCode)
			assert.Equal(t, "/integrators/parcels/detail/W1", e.Path)
			assert.Equal(t, 1, got.n, "not retried")
		})
	}
}

func TestParcelDetailRetriesARead(t *testing.T) {
	c, mt := mockClient(t)
	var got captured
	n := 0
	mt.RegisterResponder(http.MethodGet, testBase+"/integrators/parcels/detail/W1", func(r *http.Request) (*http.Response, error) {
		n++
		if n == 1 {
			return record(&got, 503, `{"message":"down"}`)(r)
		}
		return record(&got, 200, readDoc(t, "parcel-detail.json"))(r)
	})
	p, err := c.ParcelDetail(context.Background(), "W1")
	require.NoError(t, err)
	assert.Equal(t, int64(1551), p.Weight)
	assert.Equal(t, 2, n)
}

func TestParcelDetailValidation(t *testing.T) {
	c, _ := mockClient(t) // no responder: anything sent fails the test
	for _, w := range []string{"", "  ", ".", "..", "a/b", "a?b", "a#b", "a%2F", "a\x00b", "\xff"} {
		_, err := c.ParcelDetail(context.Background(), w)
		var ie *InvalidRequestError
		require.True(t, errors.As(err, &ie), "%q: %v", w, err)
		assert.Equal(t, "waybillNumber", ie.Field)
		assert.ErrorIs(t, err, ErrInvalidRequest)
	}
}
