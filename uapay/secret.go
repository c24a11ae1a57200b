package uapay

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
)

// Secret is a credential, such as the merchant's signing key. It redacts
// itself in String, every fmt verb, encoding.TextMarshaler, JSON and slog,
// so that logging a configuration struct holding one is safe. Convert it
// with string(s) only where the raw value is really needed.
type Secret string

const redacted = "[redacted]"

// String returns "[redacted]" (or "" for an empty secret, so that a missing
// key is still visible in diagnostics).
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString hides the secret from %#v.
func (s Secret) GoString() string { return "uapay.Secret(" + strconv.Quote(s.String()) + ")" }

// Format hides the secret from every fmt verb.
func (s Secret) Format(f fmt.State, verb rune) { formatMasked(f, verb, s.String(), s.GoString()) }

// MarshalText hides the secret from encoders that use text marshalling.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// MarshalJSON hides the secret from encoding/json.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(s.String())), nil }

// LogValue hides the secret from log/slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// PAN is a payment card number. Its String, every fmt verb (%v, %+v, %#v,
// %s, %q, …), MarshalText, JSON encoding and slog show only the first six
// and the last four digits (413417******0886); the full number is written
// only into the signed body of the request that carries it.
type PAN string

// Masked returns the number with all but the first six and the last four
// digits replaced by '*'. A value too short or not made of digits is
// masked whole.
func (p PAN) Masked() string {
	s := string(p)
	if len(s) < 13 || !allDigits(s) {
		return strings.Repeat("*", min(len(s), 19))
	}
	return s[:6] + strings.Repeat("*", len(s)-10) + s[len(s)-4:]
}

// Last4 returns the last four digits, or "" when the number is not valid.
func (p PAN) Last4() string {
	if p.Validate() != nil {
		return ""
	}
	return string(p[len(p)-4:])
}

// Validate checks that the number has 13 to 19 digits and passes the Luhn
// check.
func (p PAN) Validate() error {
	s := string(p)
	switch {
	case s == "":
		return fmt.Errorf("is empty")
	case !allDigits(s):
		return fmt.Errorf("must contain digits only")
	case len(s) < 13 || len(s) > 19:
		return fmt.Errorf("must have 13 to 19 digits, has %d", len(s))
	case !luhn(s):
		return fmt.Errorf("fails the Luhn check (%s)", p.Masked())
	}
	return nil
}

// String returns the masked number.
func (p PAN) String() string { return p.Masked() }

// GoString returns the masked number for %#v.
func (p PAN) GoString() string { return "uapay.PAN(" + strconv.Quote(p.Masked()) + ")" }

// Format writes the masked number for every verb.
func (p PAN) Format(f fmt.State, verb rune) { formatMasked(f, verb, p.Masked(), p.GoString()) }

// MarshalText returns the masked number, so encoders used for logs never
// see the full one.
func (p PAN) MarshalText() ([]byte, error) { return []byte(p.Masked()), nil }

// LogValue returns the masked number for log/slog.
func (p PAN) LogValue() slog.Value { return slog.StringValue(p.Masked()) }

// formatMasked writes shown for any verb: quoted for %q, goString for %#v.
func formatMasked(f fmt.State, verb rune, shown, goString string) {
	switch {
	case verb == 'v' && f.Flag('#'):
		_, _ = f.Write([]byte(goString))
	case verb == 'q':
		_, _ = f.Write([]byte(strconv.Quote(shown)))
	default:
		_, _ = f.Write([]byte(shown))
	}
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// luhn reports whether a string of digits passes the Luhn checksum.
func luhn(s string) bool {
	sum := 0
	double := false
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// String shows the card with its number masked.
func (c CardTo) String() string { return "{PAN:" + c.PAN.Masked() + " ID:" + c.ID + "}" }

// GoString shows the card with its number masked, for %#v.
func (c CardTo) GoString() string {
	return "uapay.CardTo{PAN:" + c.PAN.GoString() + ", ID:" + strconv.Quote(c.ID) + "}"
}

// Format shows the card with its number masked for every verb, so that a
// struct holding a *CardTo printed with %s or %q never falls back to
// printing the raw number.
func (c CardTo) Format(f fmt.State, verb rune) { formatMasked(f, verb, c.String(), c.GoString()) }

// LogValue shows the card with its number masked in log/slog.
func (c CardTo) LogValue() slog.Value {
	return slog.GroupValue(slog.String("pan", c.PAN.Masked()), slog.String("id", c.ID))
}
