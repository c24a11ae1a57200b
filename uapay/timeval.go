package uapay

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/caravanpay/caravan/internal/tolerant"
)

// flexTime is a timestamp that arrives as an ISO 8601 string, as Unix
// seconds or milliseconds (number or numeric string), or null.
type flexTime struct{ time.Time }

func (t *flexTime) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] != '"' && !bytes.Equal(b, []byte("null")) {
		var n tolerant.Int64
		if err := n.UnmarshalJSON(b); err != nil {
			return err
		}
		t.Time = unixAuto(int64(n))
		return nil
	}
	var s string
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	s = strings.TrimSpace(s)
	if s == "" {
		t.Time = time.Time{}
		return nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		t.Time = unixAuto(n)
		return nil
	}
	var tt tolerant.Time
	if err := tt.UnmarshalJSON(b); err != nil {
		return err
	}
	t.Time = tt.Time
	return nil
}

// unixAuto reads n as milliseconds when it is too large to be seconds of
// this era, else as seconds.
func unixAuto(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	if n > 1e11 || n < -1e11 {
		return time.UnixMilli(n).UTC()
	}
	return time.Unix(n, 0).UTC()
}

func (t flexTime) ptr() *time.Time {
	if t.IsZero() {
		return nil
	}
	v := t.Time
	return &v
}

// objectJSON returns extraInfo as a JSON document: an object as is, a string
// holding JSON as the JSON it holds, any other string as a JSON string;
// nil for null or absent.
func objectJSON(raw json.RawMessage) json.RawMessage {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil
	}
	var s string
	if raw[0] == '"' && json.Unmarshal(raw, &s) == nil {
		if inner := bytes.TrimSpace([]byte(s)); len(inner) > 0 && json.Valid(inner) {
			return json.RawMessage(inner)
		}
		if s == "" {
			return nil
		}
	}
	return append(json.RawMessage(nil), raw...)
}
