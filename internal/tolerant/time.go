package tolerant

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// layouts are tried in order. Fractional seconds of any length are accepted
// by every one of them.
var layouts = []string{
	time.RFC3339,                // 2017-05-14T14:01:50.632640+04:30, ...Z
	"2006-01-02T15:04:05Z0700",  // 2019-11-01T04:30:47.797788+0300 (ActivePlatform)
	"2006-01-02T15:04:05Z07",    // +03
	"2006-01-02 15:04:05Z07:00", // space instead of T
	"2006-01-02 15:04:05Z0700",
	"2006-01-02T15:04:05", // no zone: UTC
	"2006-01-02 15:04:05",
}

// ParseTime reads a timestamp in RFC 3339 or one of the near variants the
// providers send (an offset without a colon, a space for the T, no zone,
// which is taken as UTC).
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unrecognised timestamp %q", clip(s))
}

// Time is a timestamp that may also be null or "" (the zero time).
type Time struct{ time.Time }

// UnmarshalJSON accepts a timestamp string, null or "".
func (t *Time) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, null) {
		t.Time = time.Time{}
		return nil
	}
	if len(b) == 0 || b[0] != '"' {
		return fmt.Errorf("want a timestamp string, got %s", kindOf(b))
	}
	// RFC 3339 (Resid's +04:30, UTC Z) through the standard library's
	// allocation-free parser; the other layouts below.
	var std time.Time
	if std.UnmarshalJSON(b) == nil {
		t.Time = std
		return nil
	}
	s, ok := plainString(b)
	if !ok {
		var unquoted string
		if err := json.Unmarshal(b, &unquoted); err != nil {
			return err
		}
		s = unquoted
	}
	if strings.TrimSpace(s) == "" {
		t.Time = time.Time{}
		return nil
	}
	v, err := ParseTime(s)
	if err != nil {
		return err
	}
	t.Time = v
	return nil
}

// Ptr returns nil for the zero time, else a pointer to a copy.
func (t Time) Ptr() *time.Time {
	if t.IsZero() {
		return nil
	}
	v := t.Time
	return &v
}
