package payguest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const refBase = "http://89.22.216.169:8090"

// readDoc reads one of the document's example bodies kept in testdata.
func readDoc(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return string(b)
}

// getMock answers GET path with status and body, recording what it saw.
func getMock(t *testing.T, path string, status int, body string) (*Client, *recorded) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Fatal))
	rec := &recorded{}
	mt.RegisterResponder(http.MethodGet, refBase+path, func(r *http.Request) (*http.Response, error) {
		rec.calls++
		rec.method, rec.url, rec.header = r.Method, r.URL.String(), r.Header.Clone()
		if r.Body != nil {
			rec.body, _ = io.ReadAll(r.Body)
		}
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json; charset=utf-8")
		return resp, nil
	})
	c, err := NewClient(WithBaseURL(refBase), WithHTTPClient(&http.Client{Transport: mt}), WithRetry(2, time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	return c, rec
}

func assertGet(t *testing.T, rec *recorded, path string) {
	t.Helper()
	assert.Equal(t, 1, rec.calls)
	assert.Equal(t, http.MethodGet, rec.method)
	assert.Equal(t, refBase+path, rec.url, "no query")
	assert.Empty(t, rec.body)
	assert.Empty(t, rec.header.Get("Content-Type"))
	assert.Equal(t, "application/json", rec.header.Get("Accept"))
	assert.Contains(t, rec.header.Get("User-Agent"), "(payguest)")
}

func TestDiscountPointTypesWire(t *testing.T) {
	c, rec := getMock(t, "/get-discount-point-types", 200, readDoc(t, "get-discount-point-types.json"))
	got, err := c.DiscountPointTypes(context.Background())
	require.NoError(t, err)
	assertGet(t, rec, "/get-discount-point-types")
	assert.Equal(t, []DiscountPointType{
		{ID: "A976C6ED-C511-4755-B942-636645A6A1B0", Name: "баллы 1", Description: "баллы 1"},
		{ID: "C635BB7D-DE32-41F1-878C-8050F57C1826", Name: "баллы 2", Description: "баллы 2"},
	}, got)
}

func TestDiscountPointTypesMixedKinds(t *testing.T) {
	for body, want := range map[string]bool{
		`[{"dspt_ID":"x","dspt_IsPermanent":true}]`:   true,
		`[{"dspt_ID":"x","dspt_IsPermanent":1}]`:      true,
		`[{"dspt_ID":"x","dspt_IsPermanent":"1"}]`:    true,
		`[{"dspt_ID":"x","dspt_IsPermanent":"True"}]`: true,
		`[{"dspt_ID":"x","dspt_IsPermanent":0}]`:      false,
		`[{"dspt_ID":"x","dspt_IsPermanent":"0"}]`:    false,
		`[{"dspt_ID":"x","dspt_IsPermanent":null}]`:   false,
		`[{"dspt_ID":"x"}]`:                           false,
	} {
		c, _ := getMock(t, "/get-discount-point-types", 200, body)
		got, err := c.DiscountPointTypes(context.Background())
		require.NoError(t, err, body)
		assert.Equal(t, want, got[0].IsPermanent, body)
	}
	c, _ := getMock(t, "/get-discount-point-types", 200, `[]`)
	got, err := c.DiscountPointTypes(context.Background())
	require.NoError(t, err)
	assert.NotNil(t, got)
	assert.Empty(t, got)
}

func TestReferenceReadErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		kind   error
		text   string
	}{
		{"string with 200", 200, `"Ошибка базы данных"`, ErrValidation, "Ошибка базы данных"},
		{"string with 500", 500, `"Ошибка"`, ErrServer, "Ошибка"},
		{"object", 200, `{"dspt_ID":"x"}`, ErrUnexpectedResponse, ""},
		{"html", 200, `<html>`, ErrUnexpectedResponse, ""},
		{"empty", 200, ``, ErrUnexpectedResponse, ""},
		{"null", 200, `null`, ErrUnexpectedResponse, ""},
		{"truncated", 200, `[{"dspt_ID":"x"`, ErrUnexpectedResponse, ""},
		{"bad flag", 200, `[{"dspt_IsPermanent":"yes"}]`, ErrUnexpectedResponse, ""},
		{"404", 404, `<html>`, ErrNotFound, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, rec := getMock(t, "/get-discount-point-types", tc.status, tc.body)
			got, err := c.DiscountPointTypes(context.Background())
			assert.Nil(t, got)
			assert.ErrorIs(t, err, tc.kind)
			assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a read")
			var e *Error
			require.True(t, errors.As(err, &e))
			assert.Equal(t, tc.status, e.StatusCode)
			assert.Equal(t, tc.text, e.Text)
			assert.Equal(t, "/get-discount-point-types", e.Path)
			if tc.status == 500 {
				assert.Equal(t, 3, rec.calls, "a read is retried")
			}
		})
	}
}

func TestDivisionsWire(t *testing.T) {
	c, rec := getMock(t, "/get-divisions", 200, readDoc(t, "get-divisions.json"))
	got, err := c.Divisions(context.Background())
	require.NoError(t, err)
	assertGet(t, rec, "/get-divisions")
	assert.Equal(t, []Division{{ID: "B125BE00-8B8C-CC40-99AC-088B5A95EF67", Name: "OZR_Доставка_Энгельса 124",
		GeoIdentifier: "OZR_Энгельса_124"}}, got)

	for body, kind := range map[string]error{`"Ошибка"`: ErrValidation, `{}`: ErrUnexpectedResponse, `[{"dvsn_ID":[]}]`: ErrUnexpectedResponse} {
		c, _ := getMock(t, "/get-divisions", 200, body)
		got, err := c.Divisions(context.Background())
		assert.Nil(t, got)
		assert.ErrorIs(t, err, kind, body)
	}
	c, _ = getMock(t, "/get-divisions", 200, `[{"dvsn_ID":42,"dvsn_Name":null}]`)
	got, err = c.Divisions(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []Division{{ID: "42"}}, got, "a number reads as text, null as empty")
}

func TestPurseTypesWire(t *testing.T) {
	c, rec := getMock(t, "/get-purse-types", 200, readDoc(t, "get-purse-types.json"))
	got, err := c.PurseTypes(context.Background())
	require.NoError(t, err)
	assertGet(t, rec, "/get-purse-types")
	assert.Equal(t, []PurseType{{ID: "573250C8-5007-4AAF-8596-4F820E9B6648", Name: "местные счета", Description: "описание"}}, got)

	for body, kind := range map[string]error{`"Ошибка"`: ErrValidation, `{"cptp_ID":"x"}`: ErrUnexpectedResponse, `[{"cptp_Name":{}}]`: ErrUnexpectedResponse} {
		c, _ := getMock(t, "/get-purse-types", 200, body)
		got, err := c.PurseTypes(context.Background())
		assert.Nil(t, got)
		assert.ErrorIs(t, err, kind, body)
	}
}
