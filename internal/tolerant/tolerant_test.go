package tolerant

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestString(t *testing.T) {
	cases := map[string]String{
		`"223IN1233"`: "223IN1233",
		`123456`:      "123456",
		`-1.50`:       "-1.50",
		`null`:        "",
		`"002018"`:    "002018",
		` "x" `:       "x",
	}
	for in, want := range cases {
		var s String
		require.NoError(t, json.Unmarshal([]byte(in), &s), in)
		assert.Equal(t, want, s, in)
	}
	for _, bad := range []string{`true`, `{}`, `[]`, `01`, `1.`, `"\x"`} {
		var s String
		assert.Error(t, s.UnmarshalJSON([]byte(bad)), bad)
	}
	var v struct {
		ID String `json:"transactionId"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"transactionId":123456}`), &v))
	assert.Equal(t, String("123456"), v.ID)
}

func TestInt64(t *testing.T) {
	cases := map[string]Int64{
		`10000`: 10000, `"10000"`: 10000, `null`: 0, `""`: 0, `-5`: -5, `100.0`: 100, `1e3`: 1000,
		`9223372036854775807`: 9223372036854775807, `" 7 "`: 7,
	}
	for in, want := range cases {
		var n Int64
		require.NoError(t, json.Unmarshal([]byte(in), &n), in)
		assert.Equal(t, want, n, in)
	}
	for _, bad := range []string{`1.5`, `"1.5"`, `9223372036854775808`, `true`, `"abc"`, `{}`, `"\x"`} {
		var n Int64
		assert.Error(t, n.UnmarshalJSON([]byte(bad)), bad)
	}
}

func TestDecimal(t *testing.T) {
	cases := map[string]Decimal{
		`"99.0"`: "99.0", `99.0`: "99.0", `20`: "20", `null`: "", `""`: "", `"-0.10"`: "-0.10",
		`"007.50"`: "007.50", `".5"`: ".5", `1e2`: "1e2", `"+3"`: "+3",
	}
	for in, want := range cases {
		var d Decimal
		require.NoError(t, json.Unmarshal([]byte(in), &d), in)
		assert.Equal(t, want, d, in)
	}
	for _, bad := range []string{`"abc"`, `"1.2.3"`, `true`, `[]`, `"NaN"`, `"Inf"`, `"0x10"`, `"-"`, `"\x"`} {
		var d Decimal
		assert.Error(t, d.UnmarshalJSON([]byte(bad)), bad)
	}
	assert.Equal(t, 0, Decimal("99.0").Cmp("99"))
	assert.Equal(t, -1, Decimal("0.1").Cmp("0.10000000000000000001"))
	assert.Equal(t, 1, Decimal("100").Cmp(""))
	r, ok := Decimal("0.1").Rat()
	require.True(t, ok)
	assert.Equal(t, "1/10", r.String())
	_, ok = Decimal("").Rat()
	assert.False(t, ok)
	_, ok = Decimal("x").Rat()
	assert.False(t, ok)
	_, err := ParseDecimal("1" + string(make([]byte, 120)))
	assert.Error(t, err)
	_, err = ParseDecimal("")
	assert.Error(t, err)
}

func TestParseInt(t *testing.T) {
	n, err := ParseInt("1000000")
	require.NoError(t, err)
	assert.Equal(t, int64(1000000), n)
	_, err = ParseInt("x")
	assert.Error(t, err)
	_, err = ParseInt("123456789012345678901234567890123456789012345")
	assert.ErrorContains(t, err, "…")
}

func TestTime(t *testing.T) {
	msk := time.FixedZone("", 3*3600)
	teh := time.FixedZone("", 4*3600+1800)
	cases := map[string]time.Time{
		`"2019-11-01T04:30:47.797788+0300"`:  time.Date(2019, 11, 1, 4, 30, 47, 797788000, msk),
		`"2017-05-14T14:01:50.632640+04:30"`: time.Date(2017, 5, 14, 14, 1, 50, 632640000, teh),
		`"2017-05-09T00:28:51.309004Z"`:      time.Date(2017, 5, 9, 0, 28, 51, 309004000, time.UTC),
		`"2019-11-01 04:30:47+03:00"`:        time.Date(2019, 11, 1, 4, 30, 47, 0, msk),
		`"2019-11-01T04:30:47+03"`:           time.Date(2019, 11, 1, 4, 30, 47, 0, msk),
		`"2019-11-01T04:30:47"`:              time.Date(2019, 11, 1, 4, 30, 47, 0, time.UTC),
	}
	for in, want := range cases {
		var v Time
		require.NoError(t, json.Unmarshal([]byte(in), &v), in)
		assert.True(t, want.Equal(v.Time), "%s: got %s", in, v.Time)
		require.NotNil(t, v.Ptr())
		assert.True(t, want.Equal(*v.Ptr()))
	}
	for _, empty := range []string{`null`, `""`} {
		var v Time
		require.NoError(t, json.Unmarshal([]byte(empty), &v))
		assert.True(t, v.IsZero())
		assert.Nil(t, v.Ptr())
	}
	for _, bad := range []string{`"yesterday"`, `12`, `"2019-13-01T00:00:00Z"`, `{}`, `"\x"`} {
		var v Time
		assert.Error(t, v.UnmarshalJSON([]byte(bad)), bad)
	}
}

func FuzzTolerant(f *testing.F) {
	for _, s := range []string{`"223IN1233"`, `"Клиент 1"`, `"a\\nb"`, `"\xff"`, `-0`, `007`, `123456`, `null`, `"99.0"`, `1e3`, `"2019-11-01T04:30:47.797788+0300"`,
		`"2017-05-14T14:01:50.632640+04:30"`, `{}`, `[1]`, `"\u0000"`, `-0.0e-0`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if fast, ok := plainString(b); ok {
			var slow string
			if err := json.Unmarshal(b, &slow); err != nil || slow != fast {
				t.Fatalf("fast path %q differs from encoding/json %q (%v)", fast, slow, err)
			}
		}
		if v, ok := smallInt(b); ok {
			var slow int64
			if err := json.Unmarshal(b, &slow); err != nil || slow != v {
				t.Fatalf("fast integer %d differs from encoding/json %d (%v)", v, slow, err)
			}
		}
		var s String
		if s.UnmarshalJSON(b) == nil && isNumber(b) {
			if string(s) != string(b) && string(s) != string(trim(b)) {
				t.Fatalf("number text changed: %q -> %q", b, s)
			}
		}
		var n Int64
		_ = n.UnmarshalJSON(b)
		var d Decimal
		if d.UnmarshalJSON(b) == nil && d != "" {
			if _, ok := d.Rat(); !ok {
				t.Fatalf("accepted decimal %q has no value", d)
			}
		}
		var tm Time
		_ = tm.UnmarshalJSON(b)
	})
}

func trim(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\n' || b[0] == '\t' || b[0] == '\r') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\n' || b[len(b)-1] == '\t' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}
