package inex

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLogisticHistoryWire(t *testing.T) {
	for _, tc := range []struct {
		lang Language
		want string
	}{{"", ""}, {Georgian, "ka"}, {English, "en"}, {Russian, "ru"}} {
		t.Run(string(tc.lang), func(t *testing.T) {
			c, mt := mockClient(t)
			var got captured
			mt.RegisterResponder(http.MethodGet, testBase+"/integrators/logistics/history/YT72358DF03423452",
				record(&got, 200, readDoc(t, "logistic-history.json")))
			h, err := c.LogisticHistory(context.Background(), &LogisticHistoryRequest{WaybillNumber: "YT72358DF03423452", AcceptLanguage: tc.lang})
			require.NoError(t, err)
			assert.Equal(t, 1, got.n)
			assert.Equal(t, http.MethodGet, got.method)
			assert.Equal(t, testBase+"/integrators/logistics/history/YT72358DF03423452", got.url)
			assert.Empty(t, got.body)
			assertHeaders(t, &got, false)
			assert.Equal(t, tc.want, got.header.Get("Accept-Language"))
			_, sent := got.header["Accept-Language"]
			assert.Equal(t, tc.want != "", sent)
			require.Len(t, h, 1)
			at := h[0].HappenedAt
			h[0].HappenedAt = time.Time{}
			assert.Equal(t, LogisticEvent{UID: "391b6da0-17b1-11f1-9b88-00155d4cfe58", EventID: "received",
				EventName: "Received", EventDescription: "Parcel received at the overseas warehouse",
				ReasonID: "extraLarge", Country: "United States", City: "New Castle"}, h[0])
			assert.Equal(t, int64(1772618535000), at.UnixMilli(), "the text and the timestamp agree")
			_, off := at.Zone()
			assert.Equal(t, 4*3600, off, "the offset Inex wrote")
		})
	}
}

func TestLogisticHistoryShapes(t *testing.T) {
	c, mt := mockClient(t)
	mt.RegisterResponder(http.MethodGet, testBase+"/integrators/logistics/history/W1", record(&captured{}, 200,
		`{"data":[{"uid":"u1","event":{"eventId":"customsHold"},"reason":null,"message":"see customs","location":null,"happenedAtTimeStamp":"1772618535000"},
		{"uid":"u2","happenedAt":null},{"uid":"u3","happenedAt":"2026-03-05T10:00:00Z","happenedAtTimeStamp":1}]}`))
	h, err := c.LogisticHistory(context.Background(), &LogisticHistoryRequest{WaybillNumber: "W1"})
	require.NoError(t, err)
	require.Len(t, h, 3)
	assert.Equal(t, "customsHold", h[0].EventID, "an event outside any catalogue is kept")
	assert.Equal(t, "see customs", h[0].Message)
	assert.Empty(t, h[0].ReasonID)
	assert.Equal(t, time.UnixMilli(1772618535000).UTC(), h[0].HappenedAt, "from the timestamp when the text is missing")
	assert.True(t, h[1].HappenedAt.IsZero())
	assert.Equal(t, time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC), h[2].HappenedAt.UTC(), "the text wins")

	mt.RegisterResponder(http.MethodGet, testBase+"/integrators/logistics/history/W2", record(&captured{}, 200, `{"data":[]}`))
	h, err = c.LogisticHistory(context.Background(), &LogisticHistoryRequest{WaybillNumber: "W2"})
	require.NoError(t, err)
	assert.NotNil(t, h)
	assert.Empty(t, h)
}

func TestLogisticHistoryBadReplies(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		kind   error
	}{
		{"403", 403, doc403, ErrUnauthorized},
		{"404", 404, doc404, ErrNotFound},
		{"data an object", 200, `{"data":{"uid":"x"}}`, ErrUnexpectedResponse},
		{"bad time", 200, `{"data":[{"happenedAt":"yesterday"}]}`, ErrUnexpectedResponse},
		{"no data", 200, `{}`, ErrUnexpectedResponse},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := mockClient(t)
			mt.RegisterResponder(http.MethodGet, testBase+"/integrators/logistics/history/W1", record(&captured{}, tc.status, tc.body))
			h, err := c.LogisticHistory(context.Background(), &LogisticHistoryRequest{WaybillNumber: "W1"})
			assert.Nil(t, h)
			assert.ErrorIs(t, err, tc.kind)
			assert.NotErrorIs(t, err, ErrOutcomeUnknown)
			var e *Error
			require.True(t, errors.As(err, &e))
			assert.Equal(t, tc.status, e.StatusCode)
		})
	}
}

func TestLogisticHistoryValidation(t *testing.T) {
	c, _ := mockClient(t)
	for _, tc := range []struct {
		req   *LogisticHistoryRequest
		field string
	}{
		{nil, "request"},
		{&LogisticHistoryRequest{}, "waybillNumber"},
		{&LogisticHistoryRequest{WaybillNumber: "../x"}, "waybillNumber"},
		{&LogisticHistoryRequest{WaybillNumber: "W1", AcceptLanguage: "de"}, "Accept-Language"},
		{&LogisticHistoryRequest{WaybillNumber: "W1", AcceptLanguage: "EN"}, "Accept-Language"},
		{&LogisticHistoryRequest{WaybillNumber: "W1", AcceptLanguage: "en-US"}, "Accept-Language"},
	} {
		_, err := c.LogisticHistory(context.Background(), tc.req)
		var ie *InvalidRequestError
		require.True(t, errors.As(err, &ie), "%+v: %v", tc.req, err)
		assert.Equal(t, tc.field, ie.Field)
	}
}
