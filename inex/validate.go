package inex

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Documented limits.
const (
	// MaxPaymentIDLength is the most characters (not bytes) a payment id
	// may have.
	MaxPaymentIDLength = 255
	// MinTopUpAmount and MaxTopUpAmount bound a balance top-up, in tetri
	// (1 tetri .. 10 000 GEL).
	MinTopUpAmount = 1
	MaxTopUpAmount = 1_000_000
)

// checkRoomOrWaybill requires at least one of the two; both are allowed.
func checkRoomOrWaybill(room, waybill string) error {
	if blank(room) && blank(waybill) {
		return invalid("roomNumber", "one of roomNumber and waybillNumber is required")
	}
	if !blank(room) {
		if err := checkText("roomNumber", room); err != nil {
			return err
		}
	}
	if !blank(waybill) {
		if err := checkText("waybillNumber", waybill); err != nil {
			return err
		}
	}
	return nil
}

// checkRoomPath checks a room number that travels as a path segment.
func checkRoomPath(room string) error { return checkPathParam("roomNumber", room) }

// checkPathParam checks a value that travels as a path segment.
func checkPathParam(field, v string) error {
	if blank(v) {
		return invalid(field, "is required")
	}
	if v == "." || v == ".." || strings.ContainsAny(v, "/\\?#%") {
		return invalid(field, "%q cannot be used in a URL path", v)
	}
	return checkText(field, v)
}

// checkPaymentID requires a non-empty id of at most 255 characters.
func checkPaymentID(id string) error {
	if blank(id) {
		return invalid("paymentId", "is required")
	}
	if err := checkText("paymentId", id); err != nil {
		return err
	}
	if n := utf8.RuneCountInString(id); n > MaxPaymentIDLength {
		return invalid("paymentId", "has %d characters; at most %d are allowed", n, MaxPaymentIDLength)
	}
	return nil
}

// checkText rejects invalid UTF-8 and control characters, which no
// identifier holds and which would not survive the trip intact.
func checkText(field, s string) error {
	if !utf8.ValidString(s) {
		return invalid(field, "is not valid UTF-8")
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return invalid(field, "contains a control character")
		}
	}
	return nil
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }
