package transport

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"

	"github.com/google/go-querystring/query"
)

// Media types the providers speak.
const (
	MediaJSON    = "application/json"
	MediaJSONAPI = "application/vnd.api+json"
	MediaForm    = "application/x-www-form-urlencoded"
)

// Body is an encoded request body with its content type. Bodies are bytes
// so that retries and 307/308 redirects can replay them.
type Body struct {
	ContentType string
	Bytes       []byte
}

// JSON encodes v as a JSON body without HTML escaping.
func JSON(v any) (Body, error) { return encodeJSON(v, MediaJSON) }

// JSONAPI encodes v as a JSON:API document.
func JSONAPI(v any) (Body, error) { return encodeJSON(v, MediaJSONAPI) }

func encodeJSON(v any, media string) (Body, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return Body{}, fmt.Errorf("encode request body: %w", err)
	}
	b := buf.Bytes()
	return Body{ContentType: media, Bytes: b[:len(b)-1]}, nil // drop Encode's newline
}

// Form encodes a struct with go-querystring `url:` tags as a form body.
func Form(v any) (Body, error) {
	vals, err := Values(v)
	if err != nil {
		return Body{}, err
	}
	return Body{ContentType: MediaForm, Bytes: []byte(vals.Encode())}, nil
}

// Values turns a struct with `url:` tags (or url.Values, or nil) into query
// values.
func Values(v any) (url.Values, error) {
	switch q := v.(type) {
	case nil:
		return nil, nil
	case url.Values:
		return q, nil
	}
	vals, err := query.Values(v)
	if err != nil {
		return nil, fmt.Errorf("encode query: %w", err)
	}
	return vals, nil
}
