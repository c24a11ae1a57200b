package transport

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

var errBodyTooLarge = errors.New("response body exceeds the size limit")

// readCapped reads r to its end, or fails once more than limit bytes
// arrive; it never holds more than limit+1 bytes.
func readCapped(r io.Reader, limit int64) ([]byte, error) {
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if err != nil {
		return buf.Bytes(), fmt.Errorf("read response body: %w", err)
	}
	if n > limit {
		b := buf.Bytes()
		if len(b) > ExcerptLimit {
			b = b[:ExcerptLimit]
		}
		return b, fmt.Errorf("%w of %d bytes", errBodyTooLarge, limit)
	}
	return buf.Bytes(), nil
}
