package payguest

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseDecimal(t *testing.T) {
	for in, want := range map[string]Decimal{
		"120.50": "120.50", " 7 ": "7", "007.50": "7.50", ".5": "0.5", "-3.25": "-3.25", "0": "0", "-0": "-0",
	} {
		got, err := ParseDecimal(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "-", ".", "5.", "1e3", "+1", "1,5", "1 000", "abc", "12345678901234567890123456789012345678901"} {
		_, err := ParseDecimal(in)
		assert.Error(t, err, in)
	}
	assert.Panics(t, func() { MustDecimal("x") })
	assert.Equal(t, "1.5", MustDecimal("1.5").String())
}

func TestDecimalJSON(t *testing.T) {
	b, err := json.Marshal(struct {
		A Decimal `json:"a"`
		B Decimal `json:"b,omitempty"`
		C Decimal `json:"c"`
	}{A: "0120.50", C: "2e1"})
	require.NoError(t, err)
	assert.Equal(t, `{"a":120.50,"c":2e1}`, string(b))
	for _, bad := range []Decimal{"", "abc", `"1"`} {
		_, err := json.Marshal(bad)
		assert.Error(t, err, string(bad))
	}

	var d Decimal
	require.NoError(t, json.Unmarshal([]byte(`"20.00"`), &d))
	assert.Equal(t, Decimal("20.00"), d)
	require.NoError(t, json.Unmarshal([]byte(`20.0000`), &d))
	assert.Equal(t, Decimal("20.0000"), d)
	require.NoError(t, json.Unmarshal([]byte(`null`), &d))
	assert.Equal(t, Decimal(""), d)
	assert.Error(t, json.Unmarshal([]byte(`true`), &d))

	r, ok := Decimal("20.50").Rat()
	require.True(t, ok)
	assert.Equal(t, "41/2", r.String())
	_, ok = Decimal("x").Rat()
	assert.False(t, ok)
	assert.Zero(t, Decimal("20").Cmp("20.000"))
	assert.Equal(t, -1, Decimal("").Cmp("0.01"))
}
