package transport

import (
	"errors"
	"fmt"
	"io"
)

var errBodyTooLarge = errors.New("response body exceeds the size limit")

// maxPrealloc is the most readCapped allocates before bytes arrive: 64
// hostile replies announcing 10 MiB cost 16 MiB, not 640 MiB, and any
// ordinary reply (a 200-payment page is 78 KB) still takes one allocation.
const maxPrealloc = 256 << 10

// readCapped reads r to its end, or fails once more than limit bytes
// arrive; it never holds much more than limit bytes. (io.ReadAll's loop,
// with a cap and without an io.LimitReader allocation.) sizeHint is the
// announced Content-Length, -1 if unknown: a body of that size is read into
// one allocation instead of a growing series — up to maxPrealloc: a
// larger announced size is believed only as the bytes arrive, so that a
// server announcing megabytes and sending nothing costs nothing.
func readCapped(r io.Reader, limit, sizeHint int64) ([]byte, error) {
	size := int64(512)
	if sizeHint >= 0 && sizeHint < limit {
		size = min(sizeHint+1, maxPrealloc) // +1 so that the final EOF needs no growth
	}
	b := make([]byte, 0, size)
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
		if len(b) == cap(b) { // grow: double, or to the announced size if that is less
			next := 2 * int64(cap(b))
			if sizeHint >= int64(len(b)) && sizeHint+1 < next {
				next = sizeHint + 1
			}
			grown := make([]byte, len(b), min(next, limit+1))
			copy(grown, b)
			b = grown
		}
	}
}
