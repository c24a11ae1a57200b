package tolerant

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

var null = []byte("null")

// String is a string that may arrive as a JSON string, a number (kept as
// its literal text: 123456 becomes "123456") or null ("").
type String string

// UnmarshalJSON accepts a string, a number or null.
func (s *String) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, null):
		*s = ""
		return nil
	case len(b) > 0 && b[0] == '"':
		if v, ok := plainString(b); ok {
			*s = String(v)
			return nil
		}
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = String(v)
		return nil
	case isNumber(b):
		*s = String(b)
		return nil
	}
	return fmt.Errorf("want a string or a number, got %s", kindOf(b))
}

// plainString returns the text of a quoted JSON string that needs no
// unescaping (no backslash, no control character, valid UTF-8) without a
// second pass of encoding/json; ok is false for any other input.
func plainString(b []byte) (string, bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", false
	}
	in := b[1 : len(b)-1]
	ascii := true
	for _, c := range in {
		if c == '\\' || c == '"' || c < 0x20 {
			return "", false
		}
		if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	if !ascii && !utf8.Valid(in) {
		return "", false
	}
	return string(in), true
}

// isNumber reports whether b is a JSON number literal.
func isNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	digits := 0
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
		digits++
	}
	if digits == 0 || (digits > 1 && b[i-digits] == '0') {
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		frac := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			frac++
		}
		if frac == 0 {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		exp := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(b)
}

// kindOf names the JSON kind of b for error messages.
func kindOf(b []byte) string {
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}
