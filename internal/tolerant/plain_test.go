package tolerant

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParsePlainDecimal(t *testing.T) {
	for in, want := range map[string]string{
		"99.0": "99.0", " 120.50 ": "120.50", "007.50": "7.50", ".5": "0.5", "-5": "-5", "0": "0", "000": "0",
		"-0.00": "-0.00",
	} {
		got, err := ParsePlainDecimal(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", " ", "1e3", "1E3", "+5", "5.", "1,5", "1 000", "--1", "-", ".", "0x10", "NaN", "١٢"} {
		_, err := ParsePlainDecimal(in)
		assert.Error(t, err, "%q", in)
	}
	_, err := ParsePlainDecimal("1234567890123456789012345678901234567890.5")
	assert.Error(t, err, "too long")
}

// FuzzParsePlainDecimal: what it accepts is a canonical decimal that parses
// again to itself and has an exact value.
func FuzzParsePlainDecimal(f *testing.F) {
	for _, s := range []string{"99.0", "007.50", ".5", "-5", "1e3", "+5", "5.", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParsePlainDecimal(s)
		if err != nil {
			return
		}
		again, err := ParsePlainDecimal(d)
		if err != nil || again != d {
			t.Fatalf("%q gave %q, which parses to %q, %v", s, d, again, err)
		}
		if _, ok := Decimal(d).Rat(); !ok {
			t.Fatalf("%q gave %q, which has no exact value", s, d)
		}
	})
}
