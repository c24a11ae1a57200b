package residtest

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/caravanpay/caravan/resid"
)

// MessageDuplicateSheba is the fake's 400 message for a second merchant
// with a SHEBA already registered (its own choice: the document only asks
// for one merchant per SHEBA).
const MessageDuplicateSheba = "A merchant with this SHEBA exists."

// CreatedMerchant is a merchant created through POST /merchants.
type CreatedMerchant struct {
	ID          string // the merchant id, info.token: CreatePayment's merchant
	FirstName   string // first_name
	LastName    string // last_name
	PhoneNumber string // phone_number
	NationalNo  string // national_no
	Sheba       string // sheba
	BankCode    int    // bank_code
	JobTitle    string // job_title
	Logo        []byte // the logo file's bytes, nil without one
	LogoType    string // the logo part's Content-Type
	Multipart   bool   // whether the request was multipart/form-data
}

// CreatedMerchants returns the merchants created through the API, oldest
// first.
func (s *Server) CreatedMerchants() []CreatedMerchant {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]CreatedMerchant(nil), s.created...)
}

// merchantID makes the n-th merchant id: eleven characters like the
// document's "faSDF42w3Fs".
func merchantID(n int) string { return "mr" + tokenFor(n + 1_000_000)[2:] + "Ms" }

func (s *Server) createMerchant(w http.ResponseWriter, r *http.Request) {
	media, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	m := CreatedMerchant{Multipart: media == "multipart/form-data"}
	switch media {
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			fail(w, http.StatusBadRequest, MessageInvalid, "body: "+err.Error())
			return
		}
	case "multipart/form-data":
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			fail(w, http.StatusBadRequest, MessageInvalid, "body: "+err.Error())
			return
		}
		defer func() { _ = r.MultipartForm.RemoveAll() }()
	default:
		fail(w, http.StatusUnsupportedMediaType, MessageUnsupportedMedia,
			"send the fields form-encoded, or all of them as multipart/form-data with a logo")
		return
	}
	f := r.PostForm
	var errs []string
	for _, k := range []string{"first_name", "last_name", "phone_number", "national_no", "sheba", "bank_code"} {
		if strings.TrimSpace(f.Get(k)) == "" {
			errs = append(errs, k+": this field is required")
		}
	}
	m.FirstName, m.LastName, m.PhoneNumber = f.Get("first_name"), f.Get("last_name"), f.Get("phone_number")
	m.NationalNo, m.Sheba, m.JobTitle = f.Get("national_no"), f.Get("sheba"), f.Get("job_title")
	if v := f.Get("bank_code"); v != "" {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			errs = append(errs, "bank_code: a valid integer is required")
		}
		m.BankCode = n
	}
	if m.Sheba != "" && !validSheba(m.Sheba) {
		errs = append(errs, "sheba: must be IR followed by 24 digits")
	}
	if _, asText := f["logo"]; asText {
		errs = append(errs, "logo: upload an image file, not a text field")
	}
	if m.Multipart && r.MultipartForm != nil {
		if files := r.MultipartForm.File["logo"]; len(files) > 0 {
			fh := files[0]
			file, err := fh.Open()
			if err == nil {
				m.Logo, err = io.ReadAll(file)
				_ = file.Close()
			}
			m.LogoType = fh.Header.Get("Content-Type")
			if err != nil || len(m.Logo) == 0 || !strings.HasPrefix(http.DetectContentType(m.Logo), "image/") {
				errs = append(errs, "logo: upload a valid image")
			}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.created {
		if m.Sheba != "" && c.Sheba == m.Sheba {
			fail(w, http.StatusBadRequest, MessageDuplicateSheba, "sheba: "+MessageDuplicateSheba)
			return
		}
	}
	if len(errs) > 0 {
		fail(w, http.StatusBadRequest, MessageInvalid, errs...)
		return
	}
	m.ID = merchantID(len(s.created) + 1)
	display := resid.Merchant{DisplayName: m.FirstName + " " + m.LastName, DisplayBizName: m.JobTitle}
	var logo any
	if m.Logo != nil {
		display.DisplayImage = fmt.Sprintf("https://resid.ir/media/merchants/%s.png", m.ID)
		logo = display.DisplayImage
	}
	s.created = append(s.created, m)
	s.merchants[m.ID] = display
	reply(w, http.StatusOK, struct {
		FirstName   string `json:"first_name"`
		LastName    string `json:"last_name"`
		PhoneNumber string `json:"phone_number"`
		NationalNo  string `json:"national_no"`
		Sheba       string `json:"sheba"`
		BankCode    int    `json:"bank_code"`
		JobTitle    string `json:"job_title"`
		Logo        any    `json:"logo"`
		Token       string `json:"token"`
	}{m.FirstName, m.LastName, m.PhoneNumber, m.NationalNo, m.Sheba, m.BankCode, m.JobTitle, logo, m.ID})
}

func validSheba(s string) bool {
	if len(s) != 26 || s[:2] != "IR" {
		return false
	}
	for _, c := range s[2:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
