package payguest

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strings"

	"github.com/caravanpay/caravan/internal/tolerant"
)

// Decimal is an exact amount of money in the bill's currency, kept as
// decimal text ("120.50"). It is sent to the server as a JSON number with
// exactly these digits and never passes through float64; use [Decimal.Rat]
// for arithmetic. In requests the zero value "" means "not set".
//
// Build amounts with [ParseDecimal] or [MustDecimal], which check the text.
// A Decimal read from a reply keeps the server's own text ("20", "20.0000").
type Decimal string

// ParseDecimal checks that s is a plain decimal number — an optional minus
// sign, digits, and an optional fraction after a dot, as in "120.50" — and
// returns it with leading zeros dropped ("007.50" becomes "7.50"). Exponents
// ("1e3"), commas, spaces inside the number and a leading "+" are refused;
// every caravan package accepts this same syntax. Negative amounts parse,
// but PayGuest refuses them.
func ParseDecimal(s string) (Decimal, error) {
	d, err := canonical(s)
	if err != nil {
		return "", fmt.Errorf("payguest: %w", err)
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

// canonical validates a plain decimal and strips redundant leading zeros.
func canonical(s string) (string, error) {
	return tolerant.ParsePlainDecimal(s)
}

// String returns the decimal text.
func (d Decimal) String() string { return string(d) }

// Rat returns the exact value; ok is false when d is empty or not a number.
func (d Decimal) Rat() (r *big.Rat, ok bool) { return tolerant.Decimal(d).Rat() }

// Cmp compares two amounts by value (-1, 0, +1); "" counts as zero, so
// Cmp of "20" and "20.00" is 0.
func (d Decimal) Cmp(o Decimal) int { return tolerant.Decimal(d).Cmp(tolerant.Decimal(o)) }

// MarshalJSON writes the amount as a JSON number with the same digits.
// An empty or malformed Decimal is an error, never a silent 0.
func (d Decimal) MarshalJSON() ([]byte, error) {
	s := strings.TrimSpace(string(d))
	if c, err := canonical(s); err == nil {
		return []byte(c), nil
	}
	// Text read from a reply may be any JSON number, such as "2e1".
	var n json.Number
	if s != "" && s[0] != '"' && json.Unmarshal([]byte(s), &n) == nil {
		return []byte(s), nil
	}
	if s == "" {
		return nil, fmt.Errorf("payguest: cannot send an empty Decimal")
	}
	return nil, fmt.Errorf("payguest: cannot send Decimal %q: not a number", clip(s))
}

// UnmarshalJSON accepts a number, a numeric string or null (""), keeping
// the server's text.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	return (*tolerant.Decimal)(d).UnmarshalJSON(b)
}

func clip(s string) string {
	if len(s) > 48 {
		return s[:48] + "…"
	}
	return s
}
