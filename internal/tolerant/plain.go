package tolerant

import (
	"errors"
	"fmt"
	"strings"
)

// MaxPlainDecimalLen bounds the text of an amount a caller builds; no bill
// or payment needs more digits.
const MaxPlainDecimalLen = 40

// ErrEmptyDecimal is ParsePlainDecimal's error for an empty text.
var ErrEmptyDecimal = errors.New("empty amount")

// ParsePlainDecimal is the one syntax every provider package accepts for an
// amount a caller builds (ParseDecimal, MustDecimal): surrounding white
// space, then an optional minus sign, digits and an optional fraction after
// a dot ("120.50", "-5", ".5"). Exponents ("1e3"), a leading "+", commas,
// spaces inside the number and a trailing dot are refused: none of the
// providers' documents writes an amount that way. Redundant leading zeros
// are dropped ("007.50" is "7.50", ".5" is "0.5"); the fraction is kept as
// written ("99.0" stays "99.0").
func ParsePlainDecimal(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", ErrEmptyDecimal
	}
	if len(s) > MaxPlainDecimalLen {
		return "", fmt.Errorf("amount has more than %d characters", MaxPlainDecimalLen)
	}
	neg := strings.HasPrefix(s, "-")
	body := strings.TrimPrefix(s, "-")
	intPart, frac, hasDot := strings.Cut(body, ".")
	okInt := allDigits(intPart) || intPart == "" && hasDot // ".5" is allowed
	okFrac := !hasDot || allDigits(frac)                   // "5." is not
	if !okInt || !okFrac {
		return "", fmt.Errorf("not a plain decimal number: %q", clip(s))
	}
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	out := intPart
	if hasDot {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out, nil
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
