// Package tolerant holds JSON types that accept the documented quirks of
// the providers' replies: strings that arrive as numbers, timestamps with
// offsets Go's RFC 3339 parser rejects, nulls, and decimal amounts that
// must keep their exact text and never pass through float64.
package tolerant
