package tolerant

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// maxExponent bounds the exponent of a decimal in scientific notation.
const maxExponent = 64

// Decimal is an exact decimal amount kept as the provider wrote it ("99.0"
// stays "99.0"). It arrives as a JSON string or number; null is "". It
// never passes through float64: arithmetic goes through math/big.
type Decimal string

// ParseDecimal checks that s is a decimal number (optional sign, digits,
// optional fraction and exponent) and returns it unchanged.
func ParseDecimal(s string) (Decimal, error) {
	t := strings.TrimSpace(s)
	b := []byte(strings.TrimPrefix(t, "+"))
	if len(b) > 0 && !isNumber(b) {
		// allow leading zeros ("007.50") and a bare fraction (".5"), which
		// JSON numbers forbid but decimal strings use
		if !looseDecimal(b) {
			return "", fmt.Errorf("not a decimal number: %q", clip(s))
		}
	}
	if len(b) == 0 {
		return "", fmt.Errorf("not a decimal number: %q", clip(s))
	}
	if len(b) > 100 {
		return "", fmt.Errorf("decimal number too long: %q", clip(s))
	}
	if i := bytes.IndexAny(b, "eE"); i >= 0 {
		// a huge exponent would make math/big build a huge number
		exp, err := strconv.Atoi(string(b[i+1:]))
		if err != nil || exp > maxExponent || exp < -maxExponent {
			return "", fmt.Errorf("decimal exponent out of range: %q", clip(s))
		}
	}
	return Decimal(t), nil
}

func looseDecimal(b []byte) bool {
	i := 0
	if b[0] == '-' {
		i++
	}
	digits := 0
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
		digits++
	}
	if i < len(b) && b[i] == '.' {
		i++
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			digits++
		}
	}
	return digits > 0 && i == len(b)
}

// UnmarshalJSON accepts a decimal as a string or a number, or null.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, null) {
		*d = ""
		return nil
	}
	text := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &text); err != nil {
			return err
		}
		if strings.TrimSpace(text) == "" {
			*d = ""
			return nil
		}
	} else if !isNumber(b) {
		return fmt.Errorf("want a decimal, got %s", kindOf(b))
	}
	v, err := ParseDecimal(text)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Rat returns the exact value; ok is false for "" or malformed text.
func (d Decimal) Rat() (r *big.Rat, ok bool) {
	if d == "" {
		return new(big.Rat), false
	}
	if _, err := ParseDecimal(string(d)); err != nil {
		return new(big.Rat), false
	}
	r, ok = new(big.Rat).SetString(strings.TrimPrefix(strings.TrimSpace(string(d)), "+"))
	if !ok {
		return new(big.Rat), false
	}
	return r, true
}

// Cmp compares two decimals by value: -1, 0 or +1. Empty counts as zero.
func (d Decimal) Cmp(o Decimal) int {
	a, _ := d.Rat()
	b, _ := o.Rat()
	return a.Cmp(b)
}
