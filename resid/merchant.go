package resid

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/caravanpay/caravan/internal/transport"
)

// CreateMerchantRequest registers a merchant (payee): someone with a SHEBA
// account number for whom payment requests are created. Every field but
// JobTitle and Logo is required.
type CreateMerchantRequest struct {
	// FirstName is first_name, e.g. "Asghar".
	FirstName string `url:"first_name"`
	// LastName is last_name, e.g. "Farhadi".
	LastName string `url:"last_name"`
	// PhoneNumber is phone_number, e.g. "09123456789".
	PhoneNumber string `url:"phone_number"`
	// NationalNo is the national id number, national_no, e.g.
	// "1234567890".
	NationalNo string `url:"national_no"`
	// Sheba is the merchant's SHEBA (Iranian IBAN) account number,
	// "IR" and 24 digits, e.g. "IR123456789012345678901234". Resid asks
	// for one merchant per SHEBA.
	Sheba string `url:"sheba"`
	// BankCode is bank_code, an integer (the document's example is 0);
	// it is always sent.
	BankCode int `url:"bank_code"`
	// JobTitle is job_title, optional (Resid's default is ""), e.g.
	// "Programmer".
	JobTitle string `url:"job_title,omitempty"`
	// Logo is an image shown for the merchant, optional. With a logo the
	// request is sent as multipart/form-data, every field included;
	// without one it is form-encoded.
	Logo *Logo `url:"-"`
}

// Logo is an image file sent with [Client.CreateMerchant].
type Logo struct {
	// Filename is the file's name as sent, e.g. "logo.png"; "" sends
	// "logo".
	Filename string
	// ContentType is the image's media type, e.g. "image/png"; "" takes
	// the type http.DetectContentType reads from Data. It must be an
	// image type.
	ContentType string
	// Data is the image file's bytes, required.
	Data []byte
}

// CreatedMerchant is Resid's answer to [Client.CreateMerchant]. The
// document shows its reply only up to info.first_name; that is the one
// field decoded here. Everything else Resid sends in info — the
// merchant's id that [CreatePaymentRequest].Merchant takes among it — is
// kept in Info, under Resid's own keys, until Resid documents them.
type CreatedMerchant struct {
	// FirstName is info.first_name.
	FirstName string
	// Info is the reply's whole info object, key by key, as sent.
	Info map[string]json.RawMessage
}

// Text returns info's key as text: a JSON string's value or a number's
// digits; ok is false when info lacks the key or holds another kind of
// value there. Read the merchant's id with it once you know Resid's key,
// for example m.Text("token").
func (m *CreatedMerchant) Text(key string) (text string, ok bool) {
	if m == nil {
		return "", false
	}
	raw, found := m.Info[key]
	if !found {
		return "", false
	}
	raw = bytes.TrimSpace(raw)
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	var n json.Number
	if len(raw) > 0 && (raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9') && json.Unmarshal(raw, &n) == nil {
		return n.String(), true
	}
	return "", false
}

func (r *CreateMerchantRequest) validate() error {
	if r == nil {
		return invalid("request", "is nil")
	}
	for _, f := range []struct{ name, v string }{
		{"first_name", r.FirstName}, {"last_name", r.LastName}, {"phone_number", r.PhoneNumber},
		{"national_no", r.NationalNo}, {"sheba", r.Sheba},
	} {
		if strings.TrimSpace(f.v) == "" {
			return invalid(f.name, "is required")
		}
		if err := checkField(f.name, f.v); err != nil {
			return err
		}
	}
	if err := checkField("job_title", r.JobTitle); err != nil {
		return err
	}
	if !validSheba(r.Sheba) {
		return invalid("sheba", "must be IR and 24 digits, such as IR123456789012345678901234")
	}
	if r.BankCode < 0 {
		return invalid("bank_code", "must not be negative, got %d", r.BankCode)
	}
	if l := r.Logo; l != nil {
		if len(l.Data) == 0 {
			return invalid("logo", "has no data")
		}
		if !strings.HasPrefix(l.contentType(), "image/") {
			return invalid("logo", "is not an image (%s)", l.contentType())
		}
		if err := checkField("logo", l.Filename); err != nil {
			return err
		}
		if strings.ContainsAny(l.Filename, `"\/`) {
			return invalid("logo", "file name must not contain quotes or slashes")
		}
	}
	return nil
}

// checkField refuses invalid UTF-8 and control characters, which no name
// or number holds.
func checkField(field, v string) error {
	if !utf8.ValidString(v) {
		return invalid(field, "is not valid UTF-8")
	}
	for _, r := range v {
		if unicode.IsControl(r) {
			return invalid(field, "contains a control character")
		}
	}
	return nil
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

func (l *Logo) contentType() string {
	if l.ContentType != "" {
		return l.ContentType
	}
	return http.DetectContentType(l.Data)
}

// encode builds the body: form-encoded without a logo, multipart/form-data
// with one (every field a part, then the file as "logo").
func (r *CreateMerchantRequest) encode() (transport.Body, error) {
	if r.Logo == nil {
		return transport.Form(r)
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fields := []struct{ name, v string }{
		{"first_name", r.FirstName}, {"last_name", r.LastName}, {"phone_number", r.PhoneNumber},
		{"national_no", r.NationalNo}, {"sheba", r.Sheba}, {"bank_code", strconv.Itoa(r.BankCode)},
	}
	if r.JobTitle != "" {
		fields = append(fields, struct{ name, v string }{"job_title", r.JobTitle})
	}
	for _, f := range fields {
		if err := w.WriteField(f.name, f.v); err != nil {
			return transport.Body{}, err
		}
	}
	name := r.Logo.Filename
	if name == "" {
		name = "logo"
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="logo"; filename="`+name+`"`)
	h.Set("Content-Type", r.Logo.contentType())
	part, err := w.CreatePart(h)
	if err != nil {
		return transport.Body{}, err
	}
	if _, err := part.Write(r.Logo.Data); err != nil {
		return transport.Body{}, err
	}
	if err := w.Close(); err != nil {
		return transport.Body{}, err
	}
	return transport.Body{ContentType: w.FormDataContentType(), Bytes: buf.Bytes()}, nil
}

// CreateMerchant registers a merchant, with POST /merchants, and returns
// Resid's answer. Register a merchant once per SHEBA; if you use only one
// merchant, Resid's own may do and you need not call this.
//
// The document's curl example mixes -F (the logo) with -d (the other
// fields), which curl refuses; CreateMerchant sends every field
// form-encoded, or, when Logo is set, every field as a part of one
// multipart/form-data body with the logo as the file part "logo".
//
// The document's reply is cut after info.first_name, so the merchant's
// id — what [CreatePaymentRequest].Merchant needs — is not documented:
// it is in [CreatedMerchant].Info under Resid's key (the fake, residtest,
// uses "token"; read it with [CreatedMerchant.Text]).
//
// Outcome: unsafe. Resid documents no idempotency key and no way to read
// or list merchants, so the call is resent only when the request provably
// never left or Resid answered 429 or 503. nil means the merchant was
// created once. A connection cut after sending, a timeout, a 5xx other
// than 501 and 503, or a 2xx reply that cannot be read is
// [ErrOutcomeUnknown]: the merchant may exist. Resending may then create a second merchant for the SHEBA, or be
// refused as a duplicate — the document does not say which; ask Resid
// before registering the SHEBA again. Any other error means nothing was
// created and the call may be sent again.
func (c *Client) CreateMerchant(ctx context.Context, req *CreateMerchantRequest) (*CreatedMerchant, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	body, err := req.encode()
	if err != nil {
		return nil, invalid("request", "cannot be encoded: %v", err)
	}
	resp, err := c.t.Do(ctx, &transport.Request{Method: http.MethodPost, Path: "/merchants", Body: &body,
		Class: transport.Unsafe})
	if err != nil {
		return nil, wrapError(err)
	}
	info, err := checkEnvelope(resp, true)
	if err != nil {
		return nil, err
	}
	out := &CreatedMerchant{}
	if t := bytes.TrimSpace(info); len(t) == 0 || t[0] != '{' {
		return nil, wrapError(resp.Fail(ErrUnexpectedResponse, "info is not a merchant object", ErrOutcomeUnknown))
	}
	if err := json.Unmarshal(info, &out.Info); err != nil {
		return nil, wrapError(resp.Fail(ErrUnexpectedResponse, "info is not a merchant object", errors.Join(ErrOutcomeUnknown, err)))
	}
	name, ok := out.Text("first_name")
	if !ok {
		return nil, wrapError(resp.Fail(ErrUnexpectedResponse, "info has no first_name", ErrOutcomeUnknown))
	}
	out.FirstName = name
	return out, nil
}
