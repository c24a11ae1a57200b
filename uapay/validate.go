package uapay

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/caravanpay/caravan/internal/transport"
)

func checkUUID(field, s string) error {
	if s == "" {
		return invalid(field, "is required")
	}
	if !transport.IsUUID(s) {
		return invalid(field, "must be a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx), got %q", clip(s, 40))
	}
	return nil
}

// checkURL accepts "" (not sent) or an absolute http or https URL.
func checkURL(field, s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return invalid(field, "must be an absolute http or https URL, got %q", clip(s, 80))
	}
	return nil
}

// extraInfoText checks that raw is a JSON object and returns it compacted,
// as the string UAPAY wants; "" when raw is empty.
func extraInfoText(field string, raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", nil
	}
	if raw[0] != '{' || !json.Valid(raw) {
		return "", invalid(field, "must be a JSON object")
	}
	var buf bytes.Buffer
	_ = json.Compact(&buf, raw)
	return buf.String(), nil
}

// checkText refuses control characters other than tab and newline, which no
// documented field needs.
func checkText(field, s string, maxLen int) error {
	if maxLen > 0 && len([]rune(s)) > maxLen {
		return invalid(field, "is longer than %d characters", maxLen)
	}
	if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' || r == 0x7f }) {
		return invalid(field, "contains control characters")
	}
	return nil
}
