// Package fakeserver is the machinery the provider fakes (inextest,
// residtest, …) share: request recording and fault injection around a
// provider's handler. Each fake keeps its own state and rules and exposes
// these features through methods of its own Server.
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
	"sync"
	"time"
)

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
	// CutBefore closes the connection without processing the request.
	CutBefore
	// CutAfter processes the request, then closes the connection without
	// replying: the effect happens, the client never learns it.
	CutAfter
	// Truncate processes the request and sends half of the reply's body
	// before closing the connection.
	Truncate
	// Slow processes the request only after Delay (or when the client gives up).
	Slow
)

// Fault is one injected misbehaviour, applied to the next Count requests.
type Fault struct {
	Kind   FaultKind
	Count  int
	Status int           // Fail: the status; default 503
	Body   string        // Fail: the body
	Header http.Header   // Fail: extra headers such as Retry-After
	Delay  time.Duration // Slow: how long to wait before processing
}

// Core records requests and applies faults. The zero value is ready.
type Core struct {
	mu       sync.Mutex
	requests []Request
	faults   []Fault
	delay    time.Duration
	applied  map[FaultKind]int

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

// Inject queues a fault for the next f.Count requests (after any queued before).
func (c *Core) Inject(f Fault) {
	if f.Count <= 0 {
		f.Count = 1
	}
	if f.Kind == Fail && f.Status == 0 {
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

// Applied counts the faults of a kind that have been applied.
func (c *Core) Applied(kind FaultKind) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.applied[kind]
}

// Reset forgets recorded requests and queued faults.
func (c *Core) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.requests, c.faults, c.delay = nil, nil, 0
}

func (c *Core) next() (Fault, time.Duration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var f Fault
	switch {
	case len(c.faults) > 0:
		f = c.faults[0]
		c.faults[0].Count--
		if c.faults[0].Count == 0 {
			c.faults = c.faults[1:]
		}
	case c.chaosRate > 0 && len(c.chaosFaults) > 0 && c.rng.Float64() < c.chaosRate:
		f = c.chaosFaults[c.rng.IntN(len(c.chaosFaults))]
		if f.Kind == Fail && f.Status == 0 {
			f.Status = http.StatusServiceUnavailable
		}
	default:
		return Fault{}, c.delay, false
	}
	if c.applied == nil {
		c.applied = map[FaultKind]int{}
	}
	c.applied[f.Kind]++
	return f, c.delay, true
}

// Wrap returns a handler that records every request and applies queued
// faults around h.
func (c *Core) Wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 10<<20))
		r.Body = io.NopCloser(bytes.NewReader(body))
		c.mu.Lock()
		c.requests = append(c.requests, Request{Method: r.Method, Path: r.URL.Path,
			Query: r.URL.Query(), Header: r.Header.Clone(), Body: body})
		c.mu.Unlock()

		f, delay, ok := c.next()
		if ok && f.Kind == Slow {
			delay += f.Delay
		}
		if delay > 0 {
			t := time.NewTimer(delay)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				if f.Kind == Slow { // the client gave up: the work still happens, as on a real server
					h.ServeHTTP(httptest.NewRecorder(), r.WithContext(context.WithoutCancel(r.Context())))
				}
				return
			}
		}
		if !ok || f.Kind == Slow {
			h.ServeHTTP(w, r)
			return
		}
		switch f.Kind {
		case Fail:
			for k, vs := range f.Header {
				w.Header()[k] = vs
			}
			if w.Header().Get("Content-Type") == "" && f.Body != "" {
				w.Header().Set("Content-Type", sniff(f.Body))
			}
			w.WriteHeader(f.Status)
			_, _ = io.WriteString(w, f.Body)
		case CutBefore:
			hangUp(w)
		case CutAfter:
			h.ServeHTTP(httptest.NewRecorder(), r)
			hangUp(w)
		case Truncate:
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			writeTruncated(w, rec)
		}
	})
}

func sniff(body string) string {
	if len(body) > 0 && (body[0] == '{' || body[0] == '[' || body[0] == '"') {
		return "application/json"
	}
	return "text/html; charset=utf-8"
}

// hangUp closes the connection without a reply.
func hangUp(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
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
		for _, v := range vs {
			fmt.Fprintf(buf, "%s: %s\r\n", k, v)
		}
	}
	fmt.Fprintf(buf, "Content-Length: %s\r\nConnection: close\r\n\r\n", strconv.Itoa(len(body)))
	_, _ = buf.Write(body[:len(body)/2])
	_ = buf.Flush()
}
