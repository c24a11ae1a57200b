// Package perf holds caravan's benchmarks: each provider's representative
// call next to the same work written by hand with net/http (sub-benchmarks
// "sdk" and "nethttp" of one benchmark, so the pairs compare by name), one
// client under 64 concurrent goroutines with the TCP connections it opens,
// and the decoders next to plain encoding/json. Run them with
//
//	go test -run '^$' -bench . -benchmem ./internal/perf/
//
// It has no non-test code besides this comment.
package perf
