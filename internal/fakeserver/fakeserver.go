// Package fakeserver is the machinery the provider fakes (inextest,
// residtest, …) share: request recording, fault injection around a
// provider's handler and the request-body limit. Each fake keeps its own
// state and rules and exposes these features the same way: the fault
// methods of its Server (any route) and of its Route(…) value (one
// endpoint), Reset, Requests, Wait and SetDelay.
//
// # What a client sees
//
//   - Fail: the status, headers and body of the fault; nothing processed.
//   - FailAfter: the request is processed, then the client gets the
//     fault's status, headers and body instead of the reply (a proxy's 502
//     or 504 after the work was done).
//   - CutBefore: the connection is hijacked, the 9 bytes "HTTP/1.1 " are
//     written and the connection is closed; nothing processed. Because a
//     byte of the reply arrived, Go's net/http reports an error (a
//     malformed status line) and never resends the request by itself, as
//     it would after a close without a byte on a reused keep-alive
//     connection (a GET, or a POST with an Idempotency-Key header).
//   - CutAfter: the request is processed, then the client sees the same
//     cut as CutBefore.
//   - Truncate: the request is processed; the reply's status and headers
//     arrive with its full Content-Length but only half of its body (none
//     of it, announced as 1 byte, when the body is empty), then the
//     connection closes: reading the body fails with an unexpected EOF.
//   - Slow, and SetDelay: the request waits before it is processed. When
//     the client gives up during the wait, or the server is closing, the
//     rest of the wait is skipped and the request is processed at once,
//     as a real server would have processed it, its reply discarded. Wait
//     returns once that processing has finished.
//
// A body over MaxBody is never processed and never cut: the fake's
// TooLarge handler answers it (413 by default), after reading the rest of
// the body so that the client sees the reply.
package fakeserver

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultMaxBody is the request-body limit when Core.MaxBody is 0: 10 MiB.
const DefaultMaxBody = 10 << 20

// Request is one request as the fake received it.
type Request struct {
	Method string
	Path   string // unescaped path
	Query  url.Values
	Header http.Header
	Body   []byte
}

// FaultKind says what an injected fault does.
type FaultKind int

const (
	// Fail answers with a status and body without processing the request.
	Fail FaultKind = iota + 1
	// CutBefore cuts the connection without processing the request.
	CutBefore
	// CutAfter processes the request, then cuts the connection without a
	// reply: the effect happens, the client never learns it.
	CutAfter
	// Truncate processes the request and sends half of the reply's body
	// before closing the connection.
	Truncate
	// Slow processes the request only after Delay (or at once when the
	// client gives up or the server closes).
	Slow
	// FailAfter processes the request, then answers with the fault's
	// status and body instead of the reply, as a proxy's 502 or 504 after
	// the server did the work.
	FailAfter
)

// Fault is one injected misbehaviour, applied to the next Count requests
// of its Route.
type Fault struct {
	Kind   FaultKind
	Count  int           // how many requests; Inject ignores a fault with Count ≤ 0
	Route  string        // the requests it applies to (see Match); "" for any
	Status int           // Fail, FailAfter: the status; default 503
	Body   string        // Fail, FailAfter: the body
	Header http.Header   // Fail, FailAfter: extra headers such as Retry-After
	Delay  time.Duration // Slow: how long to wait before processing
}

// Core records requests and applies faults. The zero value is ready; set
// its exported fields before the first request.
type Core struct {
	// MaxBody is the largest request body processed; 0 means
	// DefaultMaxBody.
	MaxBody int64
	// TooLarge answers a request whose body exceeds MaxBody, in the
	// provider's error shape; nil answers 413 with a plain-text body.
	TooLarge http.HandlerFunc
	// Now is the fake's clock, read when a request arrives (see
	// ArrivedAt); nil means time.Now.
	Now func() time.Time

	mu       sync.Mutex
	requests []Request
	faults   []Fault
	delay    time.Duration
	applied  map[FaultKind]int
	byRoute  map[string]int
	inflight int
	idle     *sync.Cond
	done     chan struct{}
	closed   bool

	chaosRate   float64
	chaosFaults []Fault
	rng         *rand.Rand
}

// Chaos makes each request that has no queued fault meet one of faults,
// drawn at random, with probability rate. A rate of 0 turns it off.
func (c *Core) Chaos(rate float64, faults []Fault, seed uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.chaosRate, c.chaosFaults = rate, append([]Fault(nil), faults...)
	c.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// Inject queues a fault for the next f.Count requests of f.Route (after
// any queued before for them). A Count ≤ 0 queues nothing.
func (c *Core) Inject(f Fault) {
	if f.Count <= 0 {
		return
	}
	if (f.Kind == Fail || f.Kind == FailAfter) && f.Status == 0 {
		f.Status = http.StatusServiceUnavailable
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.faults = append(c.faults, f)
}

// SetDelay makes every request wait d before it is processed.
func (c *Core) SetDelay(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.delay = d
}

// Requests returns a copy of every request received so far.
func (c *Core) Requests() []Request {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Request(nil), c.requests...)
}

// Applied counts the faults of a kind that have been applied (chaos
// included) since the last Reset.
func (c *Core) Applied(kind FaultKind) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.applied[kind]
}

// AppliedOn counts the queued faults injected for route that have been
// applied since the last Reset.
func (c *Core) AppliedOn(route string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.byRoute[route]
}

// Pending counts the requests that queued faults injected for route will
// still meet.
func (c *Core) Pending(route string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, f := range c.faults {
		if f.Route == route {
			n += f.Count
		}
	}
	return n
}

// Queued counts the requests that all queued faults, of every route,
// will still meet.
func (c *Core) Queued() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, f := range c.faults {
		n += f.Count
	}
	return n
}

// Reset forgets recorded requests, queued faults, the delay of SetDelay
// and the applied-fault counts. Chaos stays as set.
func (c *Core) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.requests, c.faults, c.delay = nil, nil, 0
	c.applied, c.byRoute = nil, nil
}

// Wait blocks until no request is being handled, e.g. until a request
// whose client gave up during an injected delay has been processed.
func (c *Core) Wait() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.inflight > 0 {
		c.cond().Wait()
	}
}

// Close ends every injected delay at once (the waiting requests are
// processed, their replies discarded) and makes later delays end at once
// too. Call it before closing the HTTP server so that its Close does not
// wait out the delays.
func (c *Core) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		c.closed = true
		close(c.doneLocked())
	}
}

func (c *Core) cond() *sync.Cond {
	if c.idle == nil {
		c.idle = sync.NewCond(&c.mu)
	}
	return c.idle
}

func (c *Core) doneLocked() chan struct{} {
	if c.done == nil {
		c.done = make(chan struct{})
	}
	return c.done
}

// Match reports whether a request is one of route's: route is a path
// ("invoices/create", "payments/{token}/collect"), optionally after a
// method and a space ("POST payments"). The path's segments must equal the
// last segments of the request's path, a segment in braces matching any
// one segment; "" matches every request.
func Match(route string, r *http.Request) bool {
	if route == "" {
		return true
	}
	if m, p, ok := strings.Cut(route, " "); ok {
		if !strings.EqualFold(m, r.Method) {
			return false
		}
		route = p
	}
	want := strings.Split(strings.Trim(route, "/"), "/")
	got := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(got) < len(want) {
		return false
	}
	got = got[len(got)-len(want):]
	for i, w := range want {
		if strings.HasPrefix(w, "{") && strings.HasSuffix(w, "}") {
			if got[i] == "" {
				return false
			}
			continue
		}
		if w != got[i] {
			return false
		}
	}
	return true
}

func (c *Core) next(r *http.Request) (Fault, time.Duration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var f Fault
	found := false
	for i := range c.faults {
		if !Match(c.faults[i].Route, r) {
			continue
		}
		f, found = c.faults[i], true
		if c.faults[i].Count--; c.faults[i].Count == 0 {
			c.faults = append(c.faults[:i:i], c.faults[i+1:]...)
		}
		if c.byRoute == nil {
			c.byRoute = map[string]int{}
		}
		c.byRoute[f.Route]++
		break
	}
	if !found {
		if c.chaosRate > 0 && len(c.chaosFaults) > 0 && c.rng.Float64() < c.chaosRate {
			f = c.chaosFaults[c.rng.IntN(len(c.chaosFaults))]
			if (f.Kind == Fail || f.Kind == FailAfter) && f.Status == 0 {
				f.Status = http.StatusServiceUnavailable
			}
		} else {
			return Fault{}, c.delay, false
		}
	}
	if c.applied == nil {
		c.applied = map[FaultKind]int{}
	}
	c.applied[f.Kind]++
	return f, c.delay, true
}

type arrivedKey struct{}

// ArrivedAt is the time on the Core's clock at which the request arrived,
// before any injected delay; the zero time outside Wrap.
func ArrivedAt(r *http.Request) time.Time {
	t, _ := r.Context().Value(arrivedKey{}).(time.Time)
	return t
}

func (c *Core) begin() (chan struct{}, func() time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.inflight++
	now := c.Now
	if now == nil {
		now = time.Now
	}
	return c.doneLocked(), now
}

func (c *Core) end() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inflight--; c.inflight == 0 {
		c.cond().Broadcast()
	}
}

// Wrap returns a handler that records every request and applies queued
// faults around h.
func (c *Core) Wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		done, now := c.begin()
		defer c.end()
		r = r.WithContext(context.WithValue(r.Context(), arrivedKey{}, now()))
		limit := c.MaxBody
		if limit <= 0 {
			limit = DefaultMaxBody
		}
		body, _ := io.ReadAll(io.LimitReader(r.Body, limit+1))
		tooLarge := int64(len(body)) > limit
		if tooLarge {
			body = body[:limit]
		}
		c.mu.Lock()
		c.requests = append(c.requests, Request{Method: r.Method, Path: r.URL.Path,
			Query: r.URL.Query(), Header: r.Header.Clone(), Body: body})
		c.mu.Unlock()
		if tooLarge {
			// Read what is left (up to a bound) so that the client is
			// still reading its socket when the reply comes.
			_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, 4*limit))
			w.Header().Set("Connection", "close")
			if c.TooLarge != nil {
				c.TooLarge(w, r)
			} else {
				http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			}
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))

		f, delay, ok := c.next(r)
		if ok && f.Kind == Slow {
			delay += f.Delay
		}
		if delay > 0 {
			t := time.NewTimer(delay)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				gone(h, f, ok, r)
				return
			case <-done:
				t.Stop()
				gone(h, f, ok, r)
				return
			}
		}
		if !ok || f.Kind == Slow {
			h.ServeHTTP(w, r)
			return
		}
		switch f.Kind {
		case Fail:
			writeFault(w, f)
		case FailAfter:
			h.ServeHTTP(httptest.NewRecorder(), r)
			writeFault(w, f)
		case CutBefore:
			cut(w)
		case CutAfter:
			h.ServeHTTP(httptest.NewRecorder(), r)
			cut(w)
		case Truncate:
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			writeTruncated(w, rec)
		}
	})
}

// writeFault answers with the fault's status, headers and body.
func writeFault(w http.ResponseWriter, f Fault) {
	for k, vs := range f.Header {
		w.Header()[k] = vs
	}
	if w.Header().Get("Content-Type") == "" && f.Body != "" {
		w.Header().Set("Content-Type", sniff(f.Body))
	}
	w.WriteHeader(f.Status)
	_, _ = io.WriteString(w, f.Body)
}

// gone processes a request whose client gave up (or whose server is
// closing) during its delay, as a real server would: whatever the fault
// would have processed is processed, and the reply is discarded.
func gone(h http.Handler, f Fault, ok bool, r *http.Request) {
	if ok && (f.Kind == Fail || f.Kind == CutBefore) {
		return
	}
	h.ServeHTTP(httptest.NewRecorder(), r.WithContext(context.WithoutCancel(r.Context())))
}

func sniff(body string) string {
	if len(body) > 0 && (body[0] == '{' || body[0] == '[' || body[0] == '"') {
		return "application/json"
	}
	return "text/html; charset=utf-8"
}

// CutPrefix is what a cut connection sends before it closes.
const CutPrefix = "HTTP/1.1 "

// cut writes CutPrefix and closes the connection.
func cut(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	defer conn.Close()
	_, _ = buf.WriteString(CutPrefix)
	_ = buf.Flush()
}

// writeTruncated sends the recorded reply's headers with its full length,
// half of its body, and closes the connection.
func writeTruncated(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	defer conn.Close()
	body := rec.Body.Bytes()
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\n", rec.Code, http.StatusText(rec.Code))
	for k, vs := range rec.Header() {
		if k == "Content-Length" || k == "Connection" || k == "Transfer-Encoding" {
			continue
		}
		for _, v := range vs {
			fmt.Fprintf(buf, "%s: %s\r\n", k, v)
		}
	}
	length := len(body)
	if length == 0 {
		length = 1 // announce a byte that never comes, so that the cut shows
	}
	fmt.Fprintf(buf, "Content-Length: %s\r\nConnection: close\r\n\r\n", strconv.Itoa(length))
	_, _ = buf.Write(body[:len(body)/2])
	_ = buf.Flush()
}

// Faults injects faults into the requests of one route ("" for any). Every
// fake exposes it through its Server's fault methods and its Route method.
type Faults struct {
	Core  *Core
	Route string
}

// FailNext answers the next n requests with status and body without
// processing them.
func (f Faults) FailNext(n, status int, body string) {
	f.Core.Inject(Fault{Kind: Fail, Count: n, Route: f.Route, Status: status, Body: body})
}

// FailAfterNext processes the next n requests, then answers them with
// status and body instead of their replies.
func (f Faults) FailAfterNext(n, status int, body string) {
	f.Core.Inject(Fault{Kind: FailAfter, Count: n, Route: f.Route, Status: status, Body: body})
}

// FailNextWithHeader is FailNext with extra reply headers.
func (f Faults) FailNextWithHeader(n, status int, body string, header http.Header) {
	f.Core.Inject(Fault{Kind: Fail, Count: n, Route: f.Route, Status: status, Body: body, Header: header.Clone()})
}

// FailNextRetryAfter is FailNext with a Retry-After header.
func (f Faults) FailNextRetryAfter(n, status int, body, retryAfter string) {
	f.FailNextWithHeader(n, status, body, http.Header{"Retry-After": {retryAfter}})
}

// CutNext cuts the next n requests before processing them.
func (f Faults) CutNext(n int) { f.Core.Inject(Fault{Kind: CutBefore, Count: n, Route: f.Route}) }

// CutAfterNext processes the next n requests, then cuts them.
func (f Faults) CutAfterNext(n int) { f.Core.Inject(Fault{Kind: CutAfter, Count: n, Route: f.Route}) }

// TruncateNext processes the next n requests and truncates their replies.
func (f Faults) TruncateNext(n int) { f.Core.Inject(Fault{Kind: Truncate, Count: n, Route: f.Route}) }

// SlowNext processes the next n requests after d.
func (f Faults) SlowNext(n int, d time.Duration) {
	f.Core.Inject(Fault{Kind: Slow, Count: n, Route: f.Route, Delay: d})
}

// Applied counts the faults injected through this route that were applied.
func (f Faults) Applied() int { return f.Core.AppliedOn(f.Route) }

// Pending counts the requests that this route's queued faults will still
// meet.
func (f Faults) Pending() int { return f.Core.Pending(f.Route) }
