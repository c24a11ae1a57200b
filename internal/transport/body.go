package transport

import (
	"errors"
	"fmt"
	"io"
)

var errBodyTooLarge = errors.New("response body exceeds the size limit")

// readCapped reads r to its end, or fails once more than limit bytes
// arrive; it never holds more than limit+512 bytes. (io.ReadAll's loop, with
// a cap and without an io.LimitReader allocation.)
func readCapped(r io.Reader, limit int64) ([]byte, error) {
	b := make([]byte, 0, 512)
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if int64(len(b)) > limit {
			if len(b) > ExcerptLimit {
				b = b[:ExcerptLimit]
			}
			return b, fmt.Errorf("%w of %d bytes", errBodyTooLarge, limit)
		}
		if err != nil {
			if err == io.EOF {
				return b, nil
			}
			return b, fmt.Errorf("read response body: %w", err)
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // grow
		}
	}
}
