package tolerant

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Int64 is a whole number that may arrive as a JSON number, as a string
// holding one ("10000") or as null (0). A fraction or an overflow is an
// error, never a silent truncation.
type Int64 int64

// UnmarshalJSON accepts an integer, an integer in a string, or null.
func (n *Int64) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, null) {
		*n = 0
		return nil
	}
	if v, ok := smallInt(b); ok {
		*n = Int64(v)
		return nil
	}
	text := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &text); err != nil {
			return err
		}
		text = strings.TrimSpace(text)
		if text == "" {
			*n = 0
			return nil
		}
	} else if !isNumber(b) {
		return fmt.Errorf("want an integer, got %s", kindOf(b))
	}
	v, err := ParseInt(text)
	if err != nil {
		return err
	}
	*n = Int64(v)
	return nil
}

// smallInt parses a plain integer literal of up to 18 digits without
// allocating; ok is false for anything else.
func smallInt(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 || (len(b) > 1 && b[0] == '0') {
		return 0, false
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// ParseInt reads a whole number written as digits, or as a decimal whose
// fraction is zero ("100.0", "1e3"), without going through float64.
func ParseInt(s string) (int64, error) {
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v, nil
	}
	d, err := ParseDecimal(s)
	if err != nil {
		return 0, fmt.Errorf("want an integer, got %q", clip(s))
	}
	r, _ := d.Rat()
	if !r.IsInt() || !r.Num().IsInt64() {
		return 0, fmt.Errorf("want a whole number in int64 range, got %q", clip(s))
	}
	return r.Num().Int64(), nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
