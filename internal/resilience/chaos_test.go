package resilience

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/caravanpay/caravan/internal/fakeserver"
	"github.com/caravanpay/caravan/internal/transport"
	"github.com/hashicorp/go-cleanhttp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Chaos settings. CI runs a moderate count; CARAVAN_CHAOS_CALLS=100000
// runs the full 100 000 calls across the providers.
//
// chaosTimeout is each call's deadline. A payment call's deadline in
// production is seconds; 1.5 s is at the short end. (The run used 300 ms
// while a Retry-After was cut to the client's longest wait; since issue
// #15 a Retry-After is honoured in full or ends the call at once, and 300
// ms can never wait for the shortest one a server can send, 1 s — not even
// a look's after a fault answered at once.) Held replies are still held
// past it, and callers still cancel at random moments within it.
const (
	chaosFaultRate   = 0.20
	chaosConcurrency = 32
	chaosTimeout     = 1500 * time.Millisecond // per call; held replies exceed it
	chaosCancelRate  = 0.05                    // calls whose caller cancels at a random moment
	forwardFailRate  = 0.04                    // requests applied, then answered 500/502/504 HTML
	defaultCalls     = 2000                    // across all targets
	// minCallsForBar is how many calls a target of barTargets needs before
	// its share left unknown is held to the 1 % bar: the 100 000-call run
	// has 8 333 per target (12 targets); CI's 2 000 are too few to judge.
	minCallsForBar = 5000
)

// barTargets are the calls issue #12 holds to at most 1 % of outcomes left
// unknown.
var barTargets = map[string]bool{"activeplatform CompletePayment": true, "uapay CreateInvoice": true}

func chaosCalls(t *testing.T) int {
	if v := os.Getenv("CARAVAN_CHAOS_CALLS"); v != "" {
		n, err := strconv.Atoi(v)
		require.NoError(t, err, "CARAVAN_CHAOS_CALLS")
		return n
	}
	if testing.Short() {
		return defaultCalls / 4
	}
	return defaultCalls
}

// chaosFaults are the faults of the issue, drawn at random.
func chaosFaults() []fakeserver.Fault {
	return []fakeserver.Fault{
		// a 503 of the provider itself, which says when to come back, and
		// a proxy's, which does not
		{Kind: fakeserver.Fail, Status: 503, Header: http.Header{"Retry-After": {"1"}}, Body: "Service Unavailable"},
		{Kind: fakeserver.Fail, Status: 503, Body: "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"},
		{Kind: fakeserver.Fail, Status: 500, Body: "<html><body><h1>500 Internal Server Error</h1></body></html>"},
		{Kind: fakeserver.Fail, Status: 502, Body: "<html><body><h1>502 Bad Gateway</h1></body></html>"},
		// a 429 always says when to come back
		{Kind: fakeserver.Fail, Status: 429, Header: http.Header{"Retry-After": {"1"}}, Body: `{"message":"Too Many Attempts."}`},
		{Kind: fakeserver.CutBefore},
		{Kind: fakeserver.CutAfter},
		{Kind: fakeserver.Slow, Delay: chaosTimeout + 200*time.Millisecond}, // held past the deadline
		{Kind: fakeserver.Truncate},
	}
}

var faultNames = map[fakeserver.FaultKind]string{
	fakeserver.Fail: "fail (503/500/502/429)", fakeserver.CutBefore: "cut before", fakeserver.CutAfter: "cut after",
	fakeserver.Slow: "held", fakeserver.Truncate: "truncated",
}

// forwardThenFail applies a share of the requests at the fake and then
// answers a gateway error in HTML, as a proxy whose upstream timed out
// does: the effect happened, the reply says 5xx.
func forwardThenFail(next http.Handler, seed uint64, n *atomic.Int64) http.Handler {
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	statuses := []int{500, 502, 504}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hit := rng.Float64() < forwardFailRate
		status := statuses[rng.IntN(len(statuses))]
		mu.Unlock()
		if !hit {
			next.ServeHTTP(w, r)
			return
		}
		n.Add(1)
		next.ServeHTTP(httptest.NewRecorder(), r)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "<html><body>"+http.StatusText(status)+"</body></html>")
	})
}

// chaosProxy puts a fault-injecting reverse proxy in front of a fake. A
// fault that processes the request (cut after, held, truncated, forwarded
// then failed) forwards it to the fake, so the effect happens exactly as
// on a real server.
func chaosProxy(t *testing.T, target string, seed uint64) (*httptest.Server, *fakeserver.Core, *atomic.Int64) {
	t.Helper()
	u, err := url.Parse(target)
	require.NoError(t, err)
	u.Path = "" // the client sends the fake's base path itself
	proxy := httputil.NewSingleHostReverseProxy(u)
	proxy.ErrorLog = nil
	proxy.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) { w.WriteHeader(http.StatusBadGateway) }
	core := &fakeserver.Core{}
	core.Chaos(chaosFaultRate, chaosFaults(), seed)
	var forwarded atomic.Int64
	srv := httptest.NewServer(core.Wrap(forwardThenFail(proxy, seed, &forwarded)))
	t.Cleanup(srv.Close)
	return srv, core, &forwarded
}

// blindTransport wraps another RoundTripper the way otelhttp and users'
// own transports do: it fires no httptrace hook of its own.
type blindTransport struct{ next http.RoundTripper }

func (b blindTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return b.next.RoundTrip(r)
}

// chaosTarget adapts one state-changing call to the chaos run.
type chaosTarget struct {
	name  string
	class string // idempotent, reconciled or unsafe
	// start starts the provider's fake seeded for n calls and returns its URL
	// and a stop function.
	start func(t *testing.T, n int) (url string, stop func())
	// client builds a client for baseURL over hc with the chaos settings.
	client func(t *testing.T, baseURL string, hc *http.Client) any
	// call performs call i.
	call func(ctx context.Context, client any, i int) error
	// typed reports whether err is the provider's typed error.
	typed func(err error) bool
	// applied reports how many times call i took effect, from the fake's
	// own ledger.
	applied func(i int) int
	// write and look map a recorded request to its call number (-1: not
	// one); look is nil for targets the SDK does not reconcile.
	write, look func(r fakeserver.Request) int
}

type chaosReport struct {
	calls, ok, notApplied, unknown, resolved, looked, retries, cancels, blind int
	noLook                                                                    int // unknown, and no look ran after the send
	late                                                                      int // calls that ended over 100 ms past their deadline
	causes                                                                    map[string]int
	forwardedFailed                                                           int64
	faults                                                                    map[string]int
}

func runChaos(t *testing.T, tg chaosTarget, n int, seed uint64) chaosReport {
	t.Helper()
	fakeURL, stop := tg.start(t, n)
	defer stop()
	proxy, core, forwarded := chaosProxy(t, fakeURL, seed)
	base := proxy.URL + pathOf(fakeURL)
	pooled := cleanhttp.DefaultPooledTransport()
	defer pooled.CloseIdleConnections()
	// Even calls use the SDK's own transport, odd ones a trace-blind
	// wrapper passed through WithHTTPClient.
	clients := []any{tg.client(t, base, nil), tg.client(t, base, &http.Client{Transport: blindTransport{pooled}})}

	rng := rand.New(rand.NewPCG(seed, 42))
	cancelAt := make([]time.Duration, n) // 0: the caller never cancels
	for i := range cancelAt {
		if rng.Float64() < chaosCancelRate {
			cancelAt[i] = time.Duration(rng.Int64N(int64(chaosTimeout)))
		}
	}

	results := make([]error, n)
	took := make([]time.Duration, n)  // each call's duration, for the debug output
	began := make([]time.Duration, n) // when each call began, since the run's start
	runStart := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < chaosConcurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				ctx, cancel := context.WithTimeout(context.Background(), chaosTimeout)
				t0 := time.Now()
				began[i] = t0.Sub(runStart)
				if d := cancelAt[i]; d > 0 {
					// a caller that gives up at a random moment: mid-send,
					// mid-body or mid-backoff
					tm := time.AfterFunc(d, cancel)
					results[i] = tg.call(ctx, clients[i%2], i)
					tm.Stop()
				} else {
					results[i] = tg.call(ctx, clients[i%2], i)
				}
				took[i] = time.Since(t0)
				cancel()
			}
		}()
	}
	wg.Wait()

	rep := chaosReport{calls: n, faults: map[string]int{}, causes: map[string]int{}, forwardedFailed: forwarded.Load()}
	for kind, name := range faultNames {
		rep.faults[name] = core.Applied(kind)
	}
	// From the proxy's log: the writes beyond one per call are retries;
	// a look after a write is the SDK reconciling.
	wrote := make([]bool, n)
	looked := make([]bool, n)
	trail := make([][]string, n) // each call's requests, for the failure message
	for _, r := range core.Requests() {
		if i := max(tg.write(r), lookOf(tg, r)); i >= 0 && i < n {
			trail[i] = append(trail[i], r.Method+" "+r.Path)
		}
		if i := tg.write(r); i >= 0 && i < n {
			if wrote[i] {
				rep.retries++
			}
			wrote[i] = true
		} else if tg.look != nil {
			if i := tg.look(r); i >= 0 && i < n && wrote[i] {
				looked[i] = true
			}
		}
	}
	for i, err := range results {
		if took[i] > chaosTimeout+100*time.Millisecond {
			// the SDK ends every call by its deadline; a call this late was
			// not scheduled in time (a loaded machine)
			rep.late++
		}
		if os.Getenv("CARAVAN_CHAOS_DEBUG") != "" && took[i] > chaosTimeout+100*time.Millisecond {
			t.Logf("%s call %d took %v from %v (requests %q): %v", tg.name, i, took[i].Round(time.Millisecond),
				began[i].Round(time.Millisecond), trail[i], err)
		}
		applied := tg.applied(i)
		if cancelAt[i] > 0 {
			rep.cancels++
		}
		if i%2 == 1 {
			rep.blind++
		}
		if looked[i] {
			rep.looked++
		}
		require.LessOrEqual(t, applied, 1, "%s call %d took effect %d times; requests: %q", tg.name, i, applied, trail[i])
		switch {
		case err == nil:
			rep.ok++
			require.Equal(t, 1, applied, "%s call %d succeeded but took no effect; requests: %q", tg.name, i, trail[i])
		case errors.Is(err, errOutcomeUnknown):
			rep.unknown++
			if !looked[i] {
				rep.noLook++
			}
			if tg.look != nil {
				rep.causes[unknownCause(err, cancelAt[i] > 0 && took[i] >= cancelAt[i], looked[i])]++
			}
			if os.Getenv("CARAVAN_CHAOS_DEBUG") != "" && rep.unknown <= 100000 {
				t.Logf("%s call %d unknown (applied %d, looked %v, blind %v, cancel at %v, took %v, requests %q): %v",
					tg.name, i, applied, looked[i], i%2 == 1, cancelAt[i].Round(time.Millisecond), took[i].Round(time.Millisecond), trail[i], errTree(err))
			}
			require.True(t, tg.typed(err), "%s call %d: untyped error %T: %v", tg.name, i, err, err)
		default:
			rep.notApplied++
			if os.Getenv("CARAVAN_CHAOS_DEBUG") != "" && rep.notApplied <= 30 {
				t.Logf("%s call %d not applied: %v", tg.name, i, err)
			}
			require.True(t, tg.typed(err), "%s call %d: untyped error %T: %v", tg.name, i, err, err)
			require.Equal(t, 0, applied,
				"%s call %d took effect but failed without saying the outcome is unknown: %v; requests: %q", tg.name, i, err, trail[i])
		}
		if err != nil && looked[i] && !errors.Is(err, errOutcomeUnknown) {
			rep.resolved++
		}
		if err == nil && looked[i] {
			rep.resolved++
		}
	}
	return rep
}

// errTree is err's text followed by the texts of the errors it joins
// that its own text leaves out (a failed look's error), for the debug
// output.
func errTree(err error) string {
	out := err.Error()
	var walk func(error)
	walk = func(e error) {
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				if x != nil && !strings.Contains(out, x.Error()) {
					out += " | joined: " + x.Error()
				}
				walk(x)
			}
		case interface{ Unwrap() error }:
			if x := u.Unwrap(); x != nil {
				walk(x)
			}
		}
	}
	walk(err)
	return out
}

// unknownCause names why a reconciled call's outcome was left unknown.
func unknownCause(err error, cancelled, looked bool) string {
	var first *transport.Error
	errors.As(err, &first)
	retryAfter, inFlight := false, transport.InFlight(err)
	var walk func(error)
	walk = func(e error) {
		if te, ok := e.(*transport.Error); ok && te != first && te.RetryAfter > 0 {
			retryAfter = true
		}
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	walk(err)
	switch {
	case cancelled:
		return "caller cancelled"
	case retryAfter:
		return "look answered 429/503 with a Retry-After past the deadline"
	case !looked:
		return "no time left to look"
	case inFlight || strings.Contains(err.Error(), "may still be in flight"):
		// activeplatform also says so after a resend it found not applied
		return "the look saw nothing yet, but a send given up (or resent) may still land"
	}
	return "look failed otherwise"
}

func lookOf(tg chaosTarget, r fakeserver.Request) int {
	if tg.look == nil {
		return -1
	}
	return tg.look(r)
}

func pathOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Path
}

// TestChaos runs every state-changing call of every provider through
// faults, held replies, random caller cancels and a trace-blind transport,
// and checks each outcome against the fake's own ledger: success ⇒
// applied once; an error without ErrOutcomeUnknown ⇒ applied zero times;
// ErrOutcomeUnknown ⇒ zero or one.
func TestChaos(t *testing.T) {
	before := runtime.NumGoroutine()
	targets := append(chaosTargets(), targets18()...)
	total := chaosCalls(t)
	per := total / len(targets)
	var summary []string
	summary = append(summary, fmt.Sprintf("| %-40s | %6s | %6s | %11s | %17s | %12s | %7s |",
		"target (class)", "calls", "ok", "not applied", "unknown resolved", "left unknown", "retries"))
	for i, tg := range targets {
		t.Run(tg.name, func(t *testing.T) {
			rep := runChaos(t, tg, per, uint64(i+1))
			resolved := "—"
			if tg.look != nil {
				resolved = strconv.Itoa(rep.resolved)
			}
			summary = append(summary, fmt.Sprintf("| %-40s | %6d | %6d | %11d | %17s | %5d (%4.2f%%) | %7d |",
				tg.name+" ("+tg.class+")", rep.calls, rep.ok, rep.notApplied, resolved, rep.unknown,
				100*float64(rep.unknown)/float64(rep.calls), rep.retries))
			if testing.Verbose() {
				t.Logf("%s: cancels=%d trace-blind=%d looked=%d forwarded-then-5xx=%d late=%d faults=%v",
					tg.name, rep.cancels, rep.blind, rep.looked, rep.forwardedFailed, rep.late, rep.faults)
			}
			if tg.look != nil {
				// how often the look could not run at all (the deadline or a
				// cancel came first) among the outcomes left unknown
				t.Logf("%s: %d of %d unknown outcomes had no look after the send; left unknown by cause: %v",
					tg.name, rep.noLook, rep.unknown, rep.causes)
			}
			assert.Positive(t, rep.ok)
			if barTargets[tg.name] && per >= minCallsForBar {
				// the bar: at most 1 % left unknown
				assert.LessOrEqual(t, float64(rep.unknown), 0.01*float64(rep.calls), "%s: unknown outcomes left to the caller", tg.name)
			}
		})
	}
	t.Log("\n" + strings.Join(summary, "\n"))
	// Every goroutine the run started must end once the servers are closed.
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before, "goroutines left after the chaos run")
}
