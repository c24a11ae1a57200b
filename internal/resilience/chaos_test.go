package resilience

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/caravanpay/caravan/internal/fakeserver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Chaos settings. CI runs a moderate count; CARAVAN_CHAOS_CALLS=100000
// runs the full 100 000 calls across the providers.
const (
	chaosFaultRate   = 0.20
	chaosConcurrency = 32
	chaosTimeout     = 300 * time.Millisecond // per call; slow faults exceed it
	defaultCalls     = 2000                   // across all providers
)

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
		{Kind: fakeserver.Fail, Status: 503, Header: http.Header{"Retry-After": {"1"}}, Body: "Service Unavailable"},
		{Kind: fakeserver.Fail, Status: 500, Body: "<html><body><h1>500 Internal Server Error</h1></body></html>"},
		{Kind: fakeserver.Fail, Status: 429, Header: http.Header{"Retry-After": {"1"}}, Body: `{"message":"Too Many Attempts."}`},
		{Kind: fakeserver.CutBefore},
		{Kind: fakeserver.CutAfter},
		{Kind: fakeserver.Slow, Delay: chaosTimeout + 200*time.Millisecond},
		{Kind: fakeserver.Truncate},
	}
}

var faultNames = map[fakeserver.FaultKind]string{
	fakeserver.Fail: "fail (503/500/429)", fakeserver.CutBefore: "cut before", fakeserver.CutAfter: "cut after",
	fakeserver.Slow: "slow", fakeserver.Truncate: "truncated",
}

// chaosProxy puts a fault-injecting reverse proxy in front of a fake. A
// fault that processes the request (cut after, slow, truncated) forwards it
// to the fake, so the effect happens exactly as on a real server.
func chaosProxy(t *testing.T, target string, seed uint64) (*httptest.Server, *fakeserver.Core) {
	t.Helper()
	u, err := url.Parse(target)
	require.NoError(t, err)
	u.Path = "" // the client sends the fake's base path itself
	proxy := httputil.NewSingleHostReverseProxy(u)
	proxy.ErrorLog = nil
	proxy.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) { w.WriteHeader(http.StatusBadGateway) }
	core := &fakeserver.Core{}
	core.Chaos(chaosFaultRate, chaosFaults(), seed)
	srv := httptest.NewServer(core.Wrap(proxy))
	t.Cleanup(srv.Close)
	return srv, core
}

// outcome is how one call ended.
type outcome struct {
	err error
}

// chaosTarget adapts one provider to the chaos run.
type chaosTarget struct {
	name   string
	unsafe bool
	// start starts the provider's fake seeded for n calls and returns its URL
	// and a stop function.
	start func(t *testing.T, n int) (url string, stop func())
	// client builds a client for baseURL with the chaos settings.
	client func(t *testing.T, baseURL string) any
	// call performs call i.
	call func(ctx context.Context, client any, i int) error
	// typed reports whether err is the provider's typed error (or a shared
	// sentinel).
	typed func(err error) bool
	// applied reports how many times call i took effect at the fake.
	applied func(i int) int
}

type chaosReport struct {
	calls, successes, typedErrs, outcomeUnknown, retries int
	faults                                               map[string]int
}

func runChaos(t *testing.T, tg chaosTarget, n int, seed uint64) chaosReport {
	t.Helper()
	fakeURL, stop := tg.start(t, n)
	defer stop()
	proxy, core := chaosProxy(t, fakeURL, seed)
	c := tg.client(t, proxy.URL+pathOf(fakeURL))

	results := make([]outcome, n)
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
				results[i] = outcome{err: tg.call(ctx, c, i)}
				cancel()
			}
		}()
	}
	wg.Wait()

	rep := chaosReport{calls: n, faults: map[string]int{}}
	for kind, name := range faultNames {
		rep.faults[name] = core.Applied(kind)
	}
	rep.retries = len(core.Requests()) - n
	for i, r := range results {
		applied := tg.applied(i)
		require.LessOrEqual(t, applied, 1, "%s call %d took effect %d times", tg.name, i, applied)
		if r.err == nil {
			rep.successes++
			require.Equal(t, 1, applied, "%s call %d succeeded but took no effect", tg.name, i)
			continue
		}
		require.True(t, tg.typed(r.err), "%s call %d: untyped error %T: %v", tg.name, i, r.err, r.err)
		if i == 0 && testing.Verbose() {
			t.Logf("first error: %v", r.err)
		}
		rep.typedErrs++
		if errors.Is(r.err, errOutcomeUnknown) {
			rep.outcomeUnknown++
		}
		if tg.unsafe && applied == 1 {
			require.ErrorIs(t, r.err, errOutcomeUnknown,
				"%s call %d took effect but failed without saying the outcome is unknown", tg.name, i)
		}
	}
	return rep
}

func pathOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Path
}

func TestChaos(t *testing.T) {
	before := runtime.NumGoroutine()
	targets := chaosTargets()
	total := chaosCalls(t)
	per := total / len(targets)
	var summary []string
	for i, tg := range targets {
		t.Run(tg.name, func(t *testing.T) {
			rep := runChaos(t, tg, per, uint64(i+1))
			line := fmt.Sprintf("%-15s calls=%d ok=%d typed-errors=%d outcome-unknown=%d retries=%d faults=%v",
				tg.name, rep.calls, rep.successes, rep.typedErrs, rep.outcomeUnknown, rep.retries, rep.faults)
			summary = append(summary, line)
			assert.Positive(t, rep.successes)
		})
	}
	for _, l := range summary {
		t.Log(l)
	}
	// Every goroutine the run started must end once the servers are closed.
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before, "goroutines left after the chaos run")
}
