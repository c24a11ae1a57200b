package resid_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime"
	"mime/multipart"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/caravanpay/caravan/resid"
)

// docMerchant is the document's curl example as a request (its logo is a
// file path; here a small PNG).
func docMerchant() *resid.CreateMerchantRequest {
	return &resid.CreateMerchantRequest{FirstName: "Asghar", LastName: "Farhadi", PhoneNumber: "09123456789",
		NationalNo: "1234567890", Sheba: "IR123456789012345678901234", BankCode: 0, JobTitle: "Programmer"}
}

func pngLogo(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.RGBA{R: 255, A: 255})
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}

// The document's reply is cut after info.first_name; this one goes on with
// what the fake sends, so that the rest stays reachable.
func merchantReply(t testing.TB) string {
	b, err := os.ReadFile("testdata/merchant-reply.json")
	require.NoError(t, err)
	return string(b)
}

func TestCreateMerchantFormWire(t *testing.T) {
	mt, c := newMock(t)
	var got captured
	mt.RegisterResponder("POST", mockBase+"/merchants", respond(&got, 200, merchantReply(t)))
	m, err := c.CreateMerchant(context.Background(), docMerchant())
	require.NoError(t, err)
	assert.Equal(t, 1, got.n)
	assert.Equal(t, "POST", got.method)
	assert.Equal(t, mockBase+"/merchants", got.url)
	assertHeaders(t, &got, "application/x-www-form-urlencoded")
	assert.Equal(t, "bank_code=0&first_name=Asghar&job_title=Programmer&last_name=Farhadi&national_no=1234567890&phone_number=09123456789&sheba=IR123456789012345678901234", got.body)
	assert.Equal(t, "Asghar", m.FirstName)
	id, ok := m.Text("token")
	assert.True(t, ok)
	assert.Equal(t, "faSDF42w3Fs", id, "the rest of info stays reachable")
	assert.JSONEq(t, `"Farhadi"`, string(m.Info["last_name"]))

	// without a job title, bank_code still travels
	req := docMerchant()
	req.JobTitle, req.BankCode = "", 17
	_, err = c.CreateMerchant(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, "bank_code=17&first_name=Asghar&last_name=Farhadi&national_no=1234567890&phone_number=09123456789&sheba=IR123456789012345678901234", got.body)
}

func TestCreateMerchantMultipartWire(t *testing.T) {
	mt, c := newMock(t)
	var got captured
	mt.RegisterResponder("POST", mockBase+"/merchants", respond(&got, 200, merchantReply(t)))
	logo := pngLogo(t)
	req := docMerchant()
	req.Logo = &resid.Logo{Filename: "logo.png", Data: logo}
	_, err := c.CreateMerchant(context.Background(), req)
	require.NoError(t, err)

	media, params, err := mime.ParseMediaType(got.header.Get("Content-Type"))
	require.NoError(t, err)
	assert.Equal(t, "multipart/form-data", media, "every field in one multipart body, never -F mixed with -d")
	r := multipart.NewReader(strings.NewReader(got.body), params["boundary"])
	var names []string
	fields := map[string]string{}
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		b, _ := io.ReadAll(p)
		names = append(names, p.FormName())
		if p.FormName() == "logo" {
			assert.Equal(t, "logo.png", p.FileName())
			assert.Equal(t, "image/png", p.Header.Get("Content-Type"), "detected from the bytes")
			assert.Equal(t, logo, b)
			continue
		}
		assert.Empty(t, p.FileName())
		fields[p.FormName()] = string(b)
	}
	assert.Equal(t, []string{"first_name", "last_name", "phone_number", "national_no", "sheba", "bank_code", "job_title", "logo"}, names)
	assert.Equal(t, map[string]string{"first_name": "Asghar", "last_name": "Farhadi", "phone_number": "09123456789",
		"national_no": "1234567890", "sheba": "IR123456789012345678901234", "bank_code": "0", "job_title": "Programmer"}, fields)
	assert.Equal(t, []string{mockCode}, got.header.Values("Authorization"))

	// a named type and no file name
	req.Logo = &resid.Logo{ContentType: "image/webp", Data: []byte("RIFF....WEBPVP8 ")}
	_, err = c.CreateMerchant(context.Background(), req)
	require.NoError(t, err)
	assert.Contains(t, got.body, `Content-Disposition: form-data; name="logo"; filename="logo"`)
	assert.Contains(t, got.body, "Content-Type: image/webp")
}

func TestCreateMerchantValidation(t *testing.T) {
	_, c := newMock(t) // nothing may be sent
	for _, tc := range []struct {
		field string
		edit  func(r *resid.CreateMerchantRequest)
	}{
		{"first_name", func(r *resid.CreateMerchantRequest) { r.FirstName = " " }},
		{"last_name", func(r *resid.CreateMerchantRequest) { r.LastName = "" }},
		{"phone_number", func(r *resid.CreateMerchantRequest) { r.PhoneNumber = "" }},
		{"national_no", func(r *resid.CreateMerchantRequest) { r.NationalNo = "" }},
		{"sheba", func(r *resid.CreateMerchantRequest) { r.Sheba = "" }},
		{"sheba", func(r *resid.CreateMerchantRequest) { r.Sheba = "IR12345678901234567890123" }},
		{"sheba", func(r *resid.CreateMerchantRequest) { r.Sheba = "ir123456789012345678901234" }},
		{"sheba", func(r *resid.CreateMerchantRequest) { r.Sheba = "IR12345678901234567890123X" }},
		{"bank_code", func(r *resid.CreateMerchantRequest) { r.BankCode = -1 }},
		{"job_title", func(r *resid.CreateMerchantRequest) { r.JobTitle = "a\nb" }},
		{"first_name", func(r *resid.CreateMerchantRequest) { r.FirstName = "\xff" }},
		{"logo", func(r *resid.CreateMerchantRequest) { r.Logo = &resid.Logo{} }},
		{"logo", func(r *resid.CreateMerchantRequest) { r.Logo = &resid.Logo{Data: []byte("plain text, not an image")} }},
		{"logo", func(r *resid.CreateMerchantRequest) {
			r.Logo = &resid.Logo{ContentType: "application/pdf", Data: []byte("%PDF")}
		}},
		{"logo", func(r *resid.CreateMerchantRequest) {
			r.Logo = &resid.Logo{Filename: `a"b.png`, ContentType: "image/png", Data: []byte{1}}
		}},
		{"logo", func(r *resid.CreateMerchantRequest) {
			r.Logo = &resid.Logo{Filename: "../x.png", ContentType: "image/png", Data: []byte{1}}
		}},
	} {
		r := docMerchant()
		tc.edit(r)
		_, err := c.CreateMerchant(context.Background(), r)
		var ie *resid.InvalidRequestError
		require.True(t, errors.As(err, &ie), "%s: %v", tc.field, err)
		assert.Equal(t, tc.field, ie.Field, ie.Reason)
	}
	_, err := c.CreateMerchant(context.Background(), nil)
	assert.ErrorIs(t, err, resid.ErrInvalidRequest)
}

func TestCreateMerchantReplies(t *testing.T) {
	for _, tc := range []struct {
		name    string
		status  int
		body    string
		kinds   []error
		unknown bool
		calls   int
	}{
		{"400 refused", 400, `{"message":"Invalid input.","info":null,"errors":["sheba: invalid"]}`, []error{resid.ErrValidation}, false, 1},
		{"2xx with errors", 200, `{"message":"Error","info":null,"errors":["sheba: invalid"]}`, []error{resid.ErrValidation}, false, 1},
		{"503 nothing done", 503, `{"message":"busy","errors":[]}`, []error{resid.ErrServer}, false, 4},
		{"502 after sending", 502, `<html>`, []error{resid.ErrOutcomeUnknown}, true, 1},
		{"html 200", 200, `<html>`, []error{resid.ErrUnexpectedResponse, resid.ErrOutcomeUnknown}, true, 1},
		{"no first_name", 200, `{"message":"OK","info":{"token":"x"},"errors":[]}`, []error{resid.ErrUnexpectedResponse, resid.ErrOutcomeUnknown}, true, 1},
		{"info a list", 200, `{"message":"OK","info":[],"errors":[]}`, []error{resid.ErrUnexpectedResponse, resid.ErrOutcomeUnknown}, true, 1},
		{"info null", 200, `{"message":"OK","info":null,"errors":[]}`, []error{resid.ErrUnexpectedResponse, resid.ErrOutcomeUnknown}, true, 1},
		{"first_name an object", 200, `{"message":"OK","info":{"first_name":{}},"errors":[]}`, []error{resid.ErrUnexpectedResponse, resid.ErrOutcomeUnknown}, true, 1},
		{"truncated", 200, `{"message": "OK", "info": {"first_name" : "Asghar", `, []error{resid.ErrUnexpectedResponse, resid.ErrOutcomeUnknown}, true, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mt, c := newMock(t)
			var got captured
			mt.RegisterResponder("POST", mockBase+"/merchants", respond(&got, tc.status, tc.body))
			m, err := c.CreateMerchant(context.Background(), docMerchant())
			assert.Nil(t, m)
			for _, k := range tc.kinds {
				assert.ErrorIs(t, err, k)
			}
			assert.Equal(t, tc.unknown, errors.Is(err, resid.ErrOutcomeUnknown), "%v", err)
			var e *resid.Error
			require.True(t, errors.As(err, &e))
			assert.Equal(t, tc.status, e.StatusCode)
			assert.Equal(t, "/merchants", e.Path)
			assert.Equal(t, tc.calls, got.n, "unsafe: resent only when nothing was done")
		})
	}
}

func TestCreatedMerchantText(t *testing.T) {
	m := &resid.CreatedMerchant{Info: map[string]json.RawMessage{
		"s": json.RawMessage(`"x"`), "n": json.RawMessage(`42`), "o": json.RawMessage(`{}`), "b": json.RawMessage(`true`),
	}}
	for key, want := range map[string]string{"s": "x", "n": "42"} {
		got, ok := m.Text(key)
		assert.True(t, ok, key)
		assert.Equal(t, want, got)
	}
	for _, key := range []string{"o", "b", "missing"} {
		_, ok := m.Text(key)
		assert.False(t, ok, key)
	}
	var nilM *resid.CreatedMerchant
	_, ok := nilM.Text("s")
	assert.False(t, ok)
}

func TestFlowCreateMerchantThenPayment(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	req := docMerchant()
	req.Logo = &resid.Logo{Filename: "logo.png", Data: pngLogo(t)}
	m, err := c.CreateMerchant(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, "Asghar", m.FirstName)
	id, ok := m.Text("token")
	require.True(t, ok)

	created := srv.CreatedMerchants()
	require.Len(t, created, 1)
	assert.True(t, created[0].Multipart)
	assert.Equal(t, req.Logo.Data, created[0].Logo)
	assert.Equal(t, id, created[0].ID)

	// CreatePayment accepts the new merchant
	p, err := c.CreatePayment(ctx, &resid.CreatePaymentRequest{Amount: 10000, Merchant: id})
	require.NoError(t, err)
	got, err := c.GetPayment(ctx, p.Token)
	require.NoError(t, err)
	assert.Equal(t, "Asghar Farhadi", got.Merchant.DisplayName)
	assert.NotEmpty(t, got.Merchant.DisplayImage)

	// the same SHEBA again: the fake refuses it
	req2 := docMerchant()
	_, err = c.CreateMerchant(ctx, req2)
	assert.ErrorIs(t, err, resid.ErrValidation)
	assert.NotErrorIs(t, err, resid.ErrOutcomeUnknown)

	// form-encoded, another SHEBA
	req2.Sheba = "IR000000000000000000000001"
	m2, err := c.CreateMerchant(ctx, req2)
	require.NoError(t, err)
	id2, _ := m2.Text("token")
	assert.NotEqual(t, id, id2)
	assert.False(t, srv.CreatedMerchants()[1].Multipart)
}

func TestFlowCreateMerchantLostReply(t *testing.T) {
	srv, c := newFake(t)
	srv.Route("merchants").CutAfterNext(1)
	_, err := c.CreateMerchant(context.Background(), docMerchant())
	require.ErrorIs(t, err, resid.ErrOutcomeUnknown)
	assert.Len(t, srv.CreatedMerchants(), 1, "created once and never resent")

	_, err = c.CreateMerchant(context.Background(), docMerchant())
	assert.ErrorIs(t, err, resid.ErrValidation, "the fake refuses the same SHEBA again")
	assert.Len(t, srv.CreatedMerchants(), 1)
}
