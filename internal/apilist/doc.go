// Package apilist keeps api/caravan.txt, the committed listing of
// caravan's exported API, in step with the code. Its test builds the
// listing from the source of every public package with go/parser, go/doc
// and go/printer (the standard library only) and fails when it differs from
// the committed file, so that no exported change lands unnoticed:
//
//	go test ./internal/apilist            # check (CI runs it with go test ./...)
//	go test ./internal/apilist -update    # rewrite api/caravan.txt after an intended change
//
// A change in the listing is a change in the API: review it as such (see
// README's "Compatibility and versioning") and note it in CHANGELOG.md.
package apilist
