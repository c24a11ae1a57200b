package residtest

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const merchantForm = "first_name=Asghar&last_name=Farhadi&phone_number=09123456789&national_no=1234567890&sheba=IR123456789012345678901234&bank_code=0&job_title=Programmer"

// A 1×1 PNG.
var tinyPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

func multipartBody(t *testing.T, fields [][2]string, logo []byte, logoAsText bool) (string, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, f := range fields {
		require.NoError(t, w.WriteField(f[0], f[1]))
	}
	if logo != nil {
		if logoAsText {
			require.NoError(t, w.WriteField("logo", string(logo)))
		} else {
			p, err := w.CreateFormFile("logo", "logo.png")
			require.NoError(t, err)
			_, _ = p.Write(logo)
		}
	}
	require.NoError(t, w.Close())
	return b.String(), w.FormDataContentType()
}

var docFields = [][2]string{{"first_name", "Asghar"}, {"last_name", "Farhadi"}, {"phone_number", "09123456789"},
	{"national_no", "1234567890"}, {"sheba", "IR123456789012345678901234"}, {"bank_code", "0"}, {"job_title", "Programmer"}}

func TestCreateMerchantRoute(t *testing.T) {
	srv := Start(t)
	r := do(t, srv, http.MethodPost, "/merchants", merchantForm)
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, MessageOK, r.Message)
	assert.Equal(t, `{"first_name":"Asghar","last_name":"Farhadi","phone_number":"09123456789","national_no":"1234567890","sheba":"IR123456789012345678901234","bank_code":0,"job_title":"Programmer","logo":null,"token":"`+merchantID(1)+`"}`, string(r.Info))
	assert.Len(t, merchantID(1), 11)

	// the new merchant takes payments
	p := do(t, srv, http.MethodPost, "/payments", "amount=100&merchant="+merchantID(1))
	assert.Equal(t, http.StatusOK, p.status)

	// multipart with a logo, another SHEBA
	fields := append([][2]string(nil), docFields...)
	fields[4][1] = "IR000000000000000000000002"
	body, ct := multipartBody(t, fields, tinyPNG, false)
	r = do(t, srv, http.MethodPost, "/merchants", body, "Content-Type", ct)
	require.Equal(t, http.StatusOK, r.status, r.Errors)
	var info struct {
		Logo  string `json:"logo"`
		Token string `json:"token"`
	}
	require.NoError(t, json.Unmarshal(r.Info, &info))
	assert.Equal(t, "https://resid.ir/media/merchants/"+info.Token+".png", info.Logo)
	created := srv.CreatedMerchants()
	require.Len(t, created, 2)
	assert.False(t, created[0].Multipart)
	assert.True(t, created[1].Multipart)
	assert.Equal(t, tinyPNG, created[1].Logo)
	assert.Equal(t, "application/octet-stream", created[1].LogoType, "CreateFormFile's type")
	assert.Equal(t, CreatedMerchant{ID: merchantID(1), FirstName: "Asghar", LastName: "Farhadi", PhoneNumber: "09123456789",
		NationalNo: "1234567890", Sheba: "IR123456789012345678901234", BankCode: 0, JobTitle: "Programmer"}, created[0])
}

func TestCreateMerchantRefusals(t *testing.T) {
	srv := Start(t)
	for _, tc := range []struct {
		name   string
		body   string
		ct     string
		status int
		errs   []string
	}{
		{"empty form", "x=1", "", http.StatusBadRequest, []string{"first_name: this field is required", "last_name: this field is required",
			"phone_number: this field is required", "national_no: this field is required", "sheba: this field is required", "bank_code: this field is required"}},
		{"bad values", "first_name=a&last_name=b&phone_number=1&national_no=2&sheba=IR1&bank_code=x", "", http.StatusBadRequest,
			[]string{"bank_code: a valid integer is required", "sheba: must be IR followed by 24 digits"}},
	} {
		r := do(t, srv, http.MethodPost, "/merchants", tc.body)
		assert.Equal(t, tc.status, r.status, tc.name)
		assert.Equal(t, MessageInvalid, r.Message, tc.name)
		assert.Equal(t, tc.errs, r.Errors, tc.name)
	}

	body, ct := multipartBody(t, docFields, []byte("@/path/to/logo"), true)
	r := do(t, srv, http.MethodPost, "/merchants", body, "Content-Type", ct)
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Equal(t, []string{"logo: upload an image file, not a text field"}, r.Errors)

	body, ct = multipartBody(t, docFields, []byte("not an image"), false)
	r = do(t, srv, http.MethodPost, "/merchants", body, "Content-Type", ct)
	assert.Equal(t, []string{"logo: upload a valid image"}, r.Errors)

	r = do(t, srv, http.MethodPost, "/merchants", "--x", "Content-Type", "multipart/form-data; boundary=x")
	assert.Equal(t, http.StatusBadRequest, r.status, "a broken multipart body")

	r = do(t, srv, http.MethodPost, "/merchants", `{"first_name":"A"}`, "Content-Type", "application/json")
	assert.Equal(t, http.StatusUnsupportedMediaType, r.status)
	r = do(t, srv, http.MethodGet, "/merchants", "")
	assert.Equal(t, http.StatusMethodNotAllowed, r.status)
	r = do(t, srv, http.MethodPost, "/merchants", merchantForm, "Authorization", "Bearer "+AuthorizationCode)
	assert.Equal(t, http.StatusUnauthorized, r.status)
	assert.Empty(t, srv.CreatedMerchants())

	require.Equal(t, http.StatusOK, do(t, srv, http.MethodPost, "/merchants", merchantForm).status)
	r = do(t, srv, http.MethodPost, "/merchants", merchantForm)
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Equal(t, MessageDuplicateSheba, r.Message)
	assert.Len(t, srv.CreatedMerchants(), 1)
}
