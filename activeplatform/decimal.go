package activeplatform

import (
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/caravanpay/caravan/internal/tolerant"
)

// Decimal is an exact decimal amount kept as the installation wrote it:
// "99.0" stays "99.0" (ActivePlatform sends amounts as decimal strings). A
// JSON number is accepted and kept as its literal text; null is "". It never
// passes through float64: use [Decimal.Rat] for arithmetic.
type Decimal string

// ParseDecimal checks that s is a plain decimal number — an optional minus
// sign, digits, and an optional fraction after a dot, as in "99.0" — and
// returns it with leading zeros dropped ("007.50" becomes "7.50"; the
// fraction is kept as written). Exponents ("1e3"), commas, spaces inside
// the number and a leading "+" are refused; every caravan package accepts
// this same syntax.
func ParseDecimal(s string) (Decimal, error) {
	d, err := tolerant.ParsePlainDecimal(s)
	if err != nil {
		return "", fmt.Errorf("activeplatform: %w", err)
	}
	return Decimal(d), nil
}

// MustDecimal is [ParseDecimal] for constants in tests and examples: it
// panics when s is not a plain decimal number.
func MustDecimal(s string) Decimal {
	d, err := ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

// UnmarshalJSON accepts a decimal string, a JSON number, or null.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	return (*tolerant.Decimal)(d).UnmarshalJSON(b)
}

// MarshalJSON writes the decimal as a JSON string, as the installation
// does ("99.0"), and "" as null.
func (d Decimal) MarshalJSON() ([]byte, error) {
	if d == "" {
		return []byte("null"), nil
	}
	return json.Marshal(string(d))
}

// Rat returns the exact value; ok is false for "" or text that is not a
// decimal number.
func (d Decimal) Rat() (r *big.Rat, ok bool) { return tolerant.Decimal(d).Rat() }

// Cmp compares two decimals by value: -1, 0 or +1 ("99.0" equals "99").
// "" and malformed text count as zero.
func (d Decimal) Cmp(o Decimal) int { return tolerant.Decimal(d).Cmp(tolerant.Decimal(o)) }

// String returns the decimal's text.
func (d Decimal) String() string { return string(d) }

// positive reports whether d is plain decimal text ("99", "99.0"; no sign,
// exponent or space) greater than zero.
func (d Decimal) positive() bool {
	s := string(d)
	dot, digits := false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot && digits > 0 && i < len(s)-1:
			dot = true
		default:
			return false
		}
	}
	if digits == 0 || len(s) > 40 {
		return false
	}
	r, ok := d.Rat()
	return ok && r.Sign() > 0
}
