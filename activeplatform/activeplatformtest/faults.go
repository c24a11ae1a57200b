package activeplatformtest

import (
	"net/http"
	"net/url"
	"time"

	"github.com/caravanpay/caravan/internal/fakeserver"
)

// TB is what [Start] needs of a test; *testing.T, *testing.B and
// testing.TB satisfy it.
type TB interface {
	Helper()
	Cleanup(func())
}

// Option configures a Server; pass options to [NewServer] or [Start].
type Option func(*Server)

// WithMaxBody sets the largest request body the fake processes, in bytes
// (default 10 MiB). A larger body is refused with ActivePlatform's error shape
// (see the package documentation), never cut.
func WithMaxBody(n int64) Option { return func(s *Server) { s.core.MaxBody = n } }

// Start starts a fake with NewServer(opts...) and closes it when the test
// and its subtests end. If faults are still queued then, no request met
// them, and when tb has an Errorf method (testing.TB has) the test fails
// saying so: call [Server.Reset] first to drop them on purpose.
func Start(tb TB, opts ...Option) *Server {
	tb.Helper()
	s := NewServer(opts...)
	tb.Cleanup(func() {
		left := s.core.Queued()
		s.Close()
		if e, ok := tb.(interface{ Errorf(string, ...any) }); ok && left > 0 {
			e.Errorf("activeplatformtest: %d queued fault(s) never met a request", left)
		}
	})
	return s
}

// Request is one request as the fake received it, faulted ones included.
type Request struct {
	Method string      // the HTTP method, e.g. "POST"
	Path   string      // the path, unescaped
	Query  url.Values  // the query parameters
	Header http.Header // the request headers, as sent
	Body   []byte      // the body, at most the body limit
}

// Requests returns every request received since the start or the last
// [Server.Reset], oldest first, faulted and refused ones included.
func (s *Server) Requests() []Request {
	in := s.core.Requests()
	out := make([]Request, len(in))
	for i, r := range in {
		out[i] = Request(r)
	}
	return out
}

// Reset forgets the recorded requests, the queued faults of every route,
// the delay set with [Server.SetDelay] and the counts of applied faults.
// The fake's data (and its clock) stay.
func (s *Server) Reset() { s.core.Reset() }

// Wait blocks until no request is being handled: after a client gave up
// during an injected delay, the request is processed at once, and Wait
// returns when that is done.
func (s *Server) Wait() { s.core.Wait() }

// SetDelay makes every request wait d before it is processed (0 turns it
// off). A request whose client gives up meanwhile, or that is still
// waiting when the server closes, is processed at once, as a real server
// would, and its reply discarded.
func (s *Server) SetDelay(d time.Duration) { s.core.SetDelay(d) }

// Faults injects faults into the requests of one route; [Server.Route]
// returns it. A request meets the oldest queued fault that matches it —
// one queued for its route or for any route — and uses up one of its
// count; a request that matches none is served normally. A count n ≤ 0
// queues nothing.
type Faults struct{ f fakeserver.Faults }

// Route returns the fault injector for one endpoint: its path as the
// provider's document writes it, or the path's last segments, with {name}
// for a path parameter and optionally a method first, e.g.
// Route("PATCH payments/{payment_id}"), Route("GET resellers/{reseller_id}/payments") or Route("resellers/{reseller_id}"). "" means any route: the fault methods of [Server] use it.
func (s *Server) Route(route string) *Faults {
	return &Faults{fakeserver.Faults{Core: &s.core, Route: route}}
}

// FailNext answers the route's next n requests with status (0 means 503)
// and body, without processing them. The Content-Type is application/json
// when body starts with {, [ or ", else text/html.
func (f *Faults) FailNext(n, status int, body string) { f.f.FailNext(n, status, body) }

// FailAfterNext processes the route's next n requests (their effects
// happen), then answers each with status (0 means 503) and body instead of
// its reply, as a proxy's 502 or 504 after the server did the work.
func (f *Faults) FailAfterNext(n, status int, body string) { f.f.FailAfterNext(n, status, body) }

// FailNextWithHeader is [Faults.FailNext] with extra reply headers.
func (f *Faults) FailNextWithHeader(n, status int, body string, header http.Header) {
	f.f.FailNextWithHeader(n, status, body, header)
}

// FailNextRetryAfter is [Faults.FailNext] with a Retry-After header
// (seconds or an HTTP date).
func (f *Faults) FailNextRetryAfter(n, status int, body, retryAfter string) {
	f.f.FailNextRetryAfter(n, status, body, retryAfter)
}

// CutNext cuts the route's next n requests without processing them: the
// client reads the 9 bytes "HTTP/1.1 " and the connection closes, so Go's
// net/http reports an error (malformed HTTP status code) and never resends
// the request by itself.
func (f *Faults) CutNext(n int) { f.f.CutNext(n) }

// CutAfterNext processes the route's next n requests (their effects
// happen), then cuts them as [Faults.CutNext] does: the client never
// learns the outcome.
func (f *Faults) CutAfterNext(n int) { f.f.CutAfterNext(n) }

// TruncateNext processes the route's next n requests and sends each
// reply's status and headers with its full Content-Length but only half of
// its body (none, announced as one byte, when it is empty), then closes the
// connection: reading the body fails with an unexpected EOF.
func (f *Faults) TruncateNext(n int) { f.f.TruncateNext(n) }

// SlowNext processes the route's next n requests after d. A request whose
// client gives up meanwhile, or that is still waiting when the server
// closes, is processed at once and its reply discarded (use [Server.Wait]).
func (f *Faults) SlowNext(n int, d time.Duration) { f.f.SlowNext(n, d) }

// Applied counts the faults queued through this route that requests met
// since the last [Server.Reset].
func (f *Faults) Applied() int { return f.f.Applied() }

// Pending counts the requests this route's queued faults will still meet.
func (f *Faults) Pending() int { return f.f.Pending() }

// FailNext is Route("").FailNext: the next n requests, whatever their route.
func (s *Server) FailNext(n, status int, body string) { s.Route("").FailNext(n, status, body) }

// FailNextWithHeader is Route("").FailNextWithHeader.
func (s *Server) FailNextWithHeader(n, status int, body string, header http.Header) {
	s.Route("").FailNextWithHeader(n, status, body, header)
}

// FailNextRetryAfter is Route("").FailNextRetryAfter.
func (s *Server) FailNextRetryAfter(n, status int, body, retryAfter string) {
	s.Route("").FailNextRetryAfter(n, status, body, retryAfter)
}

// FailAfterNext is Route("").FailAfterNext.
func (s *Server) FailAfterNext(n, status int, body string) {
	s.Route("").FailAfterNext(n, status, body)
}

// CutNext is Route("").CutNext.
func (s *Server) CutNext(n int) { s.Route("").CutNext(n) }

// CutAfterNext is Route("").CutAfterNext.
func (s *Server) CutAfterNext(n int) { s.Route("").CutAfterNext(n) }

// TruncateNext is Route("").TruncateNext.
func (s *Server) TruncateNext(n int) { s.Route("").TruncateNext(n) }

// SlowNext is Route("").SlowNext.
func (s *Server) SlowNext(n int, d time.Duration) { s.Route("").SlowNext(n, d) }
