package resilience

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/caravanpay/caravan/activeplatform"
	"github.com/caravanpay/caravan/inex"
	"github.com/caravanpay/caravan/internal/transport"
	"github.com/caravanpay/caravan/resid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hijacked runs raw on the connection of every request the subject's side
// handler does not answer, so that a test can write what net/http would
// refuse to: a 101, an endless header, a lying Content-Length.
func hijacked(s subject, stop <-chan struct{}, raw func(w *bufio.ReadWriter, stop <-chan struct{})) *httptest.Server {
	return serve(s, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		raw(buf, stop)
	})
}

// hold waits for stop or a minute.
func hold(stop <-chan struct{}) {
	select {
	case <-stop:
	case <-time.After(time.Minute):
	}
}

// hostileServers are the behaviours a broken server or proxy can show
// after it accepted a request.
var hostileServers = map[string]func(w *bufio.ReadWriter, stop <-chan struct{}){
	"101 switching protocols": func(w *bufio.ReadWriter, stop <-chan struct{}) {
		_, _ = w.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
		_ = w.Flush()
		hold(stop)
	},
	"1xx flood": func(w *bufio.ReadWriter, stop <-chan struct{}) {
		for i := 0; i < 1000; i++ {
			if _, err := w.WriteString("HTTP/1.1 102 Processing\r\n\r\n"); err != nil || w.Flush() != nil {
				return
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	},
	"header never ends": func(w *bufio.ReadWriter, stop <-chan struct{}) {
		_, _ = w.WriteString("HTTP/1.1 200 OK\r\nX-Long: ")
		chunk := strings.Repeat("a", 32<<10)
		for {
			if _, err := w.WriteString(chunk); err != nil || w.Flush() != nil {
				return
			}
			select {
			case <-stop:
				return
			default:
			}
		}
	},
	"content-length near the cap, body stalls": func(w *bufio.ReadWriter, stop <-chan struct{}) {
		_, _ = w.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
			strconv.Itoa(transport.DefaultMaxBodyBytes-100) + "\r\n\r\n{\"data\":")
		_ = w.Flush()
		hold(stop)
	},
	"body trickles a byte at a time": func(w *bufio.ReadWriter, stop <-chan struct{}) {
		_, _ = w.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
		for {
			if _, err := w.WriteString(" "); err != nil || w.Flush() != nil {
				return
			}
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	},
	"429 with a long Retry-After": func(w *bufio.ReadWriter, stop <-chan struct{}) {
		_, _ = w.WriteString("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 60\r\nContent-Length: 2\r\n\r\n{}")
		_ = w.Flush()
	},
	"silent": func(w *bufio.ReadWriter, stop <-chan struct{}) { hold(stop) },
}

// TestEveryCallEndsByItsDeadline runs every provider's call against every
// hostile behaviour with a 300 ms deadline and reports the worst overrun.
// The assertion is generous (a second) so that a loaded machine cannot
// fail it; the printed figure is the measurement.
func TestEveryCallEndsByItsDeadline(t *testing.T) {
	const deadline = 300 * time.Millisecond
	var worst time.Duration
	var worstCase string
	for _, s := range subjects(t) {
		for name, raw := range hostileServers {
			t.Run(s.name+"/"+name, func(t *testing.T) {
				stop := make(chan struct{})
				srv := hijacked(s, stop, raw)
				defer srv.Close()
				defer close(stop)
				start := time.Now()
				err := callSubject(t, s, srv.URL, deadline)
				elapsed := time.Since(start)
				require.Error(t, err)
				assert.True(t, s.typed(err), "untyped error %T: %v", err, err)
				if over := elapsed - deadline; over > worst {
					worst, worstCase = over, s.name+"/"+name
				}
				assert.Less(t, elapsed, deadline+time.Second, "the call outlived its deadline")
			})
		}
	}
	t.Logf("worst overrun past a %v deadline: %v (%s)", deadline, worst.Round(time.Millisecond), worstCase)
}

// TestDotAndEmptySegmentsAreRefusedBeforeSending passes ".", ".." and ""
// as every path parameter of every package: each is refused as an invalid
// request naming the parameter, and nothing reaches the server.
func TestDotAndEmptySegmentsAreRefusedBeforeSending(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	ctx := context.Background()
	ic, err := inex.NewClient(hostileToken, inex.WithBaseURL(srv.URL))
	require.NoError(t, err)
	ac, err := activeplatform.NewClient(hostileToken, activeplatform.WithBaseURL(srv.URL))
	require.NoError(t, err)
	rc, err := resid.NewClient(hostileToken, resid.WithBaseURL(srv.URL))
	require.NoError(t, err)
	calls := map[string]func(v string) error{
		"inex Customer roomNumber": func(v string) error { _, err := ic.Customer(ctx, v); return err },
		"inex Wallet roomNumber":   func(v string) error { _, err := ic.Wallet(ctx, v); return err },
		"activeplatform CompletePaymentByDocument DocumentID": func(v string) error {
			_, err := ac.CompletePaymentByDocument(ctx, 1, &activeplatform.CompleteByDocumentRequest{
				DocumentID: v, PaymentMethodID: 2, Amount: "10.00", CurrencyCode: "RUB", ExternalTransactionID: "ext-1"})
			return err
		},
		"resid GetPayment token":     func(v string) error { _, err := rc.GetPayment(ctx, v); return err },
		"resid CollectPayment token": func(v string) error { return rc.CollectPayment(ctx, v) },
	}
	for name, call := range calls {
		field := name[strings.LastIndex(name, " ")+1:]
		for _, v := range []string{".", "..", ""} {
			err := call(v)
			assert.ErrorIs(t, err, transport.ErrInvalidRequest, "%s %q", name, v)
			if err != nil {
				assert.Contains(t, normalised(err.Error()), normalised(field), "%s %q: the error names the field", name, v)
			}
		}
	}
	assert.Zero(t, hits.Load(), "a request left")
}

// normalised folds case and drops underscores, so that "DocumentID" and
// "document_id" compare equal.
func normalised(s string) string { return strings.ToLower(strings.ReplaceAll(s, "_", "")) }

// TestRetryBudgetDuringAnOutage makes 10 000 calls from 64 goroutines
// against a provider that fails every request with a retryable status, and
// counts the requests the provider received.
func TestRetryBudgetDuringAnOutage(t *testing.T) {
	calls := 10000
	if testing.Short() {
		calls = 2000
	}
	for _, s := range subjects(t) {
		t.Run(s.name, func(t *testing.T) {
			var sent atomic.Int64
			srv := serve(s, func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				sent.Add(1)
				w.WriteHeader(http.StatusServiceUnavailable)
			})
			defer srv.Close()
			// one client for the whole run, as a service holds one
			client, err := s.build(srv.URL, nil)
			require.NoError(t, err)
			var next atomic.Int64
			var wg sync.WaitGroup
			var failed atomic.Int64
			for g := 0; g < 64; g++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for next.Add(1) <= int64(calls) {
						ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
						if client(ctx) != nil {
							failed.Add(1)
						}
						cancel()
					}
				}()
			}
			wg.Wait()
			ratio := float64(sent.Load()) / float64(calls)
			t.Logf("%s: outage, %d calls from 64 goroutines: %d requests sent, %.3f per call (without a budget: up to 4)",
				s.name, calls, sent.Load(), ratio)
			assert.Equal(t, int64(calls), failed.Load())
			assert.LessOrEqual(t, ratio, 1.1)
		})
	}
}

// TestPeakHeapUnderHostileCallers runs 64 callers at once against a
// server whose replies announce a body just under the 10 MiB cap and then
// stall, and against one whose header never ends, through the SDK's own
// pooled transport, and samples the heap.
func TestPeakHeapUnderHostileCallers(t *testing.T) {
	s := subjects(t)[1] // inex PayDebt: idempotent, so every attempt is retried
	for _, name := range []string{"content-length near the cap, body stalls", "header never ends"} {
		t.Run(name, func(t *testing.T) {
			stop := make(chan struct{})
			srv := hijacked(s, stop, hostileServers[name])
			defer srv.Close()
			call, err := s.build(srv.URL, nil) // nil: the SDK's own pooled transport
			require.NoError(t, err)

			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			idle := ms.HeapInuse
			var peak atomic.Uint64
			done := make(chan struct{})
			sampled := make(chan struct{})
			go func() {
				defer close(sampled)
				var m runtime.MemStats
				for {
					runtime.ReadMemStats(&m)
					if m.HeapInuse > peak.Load() {
						peak.Store(m.HeapInuse)
					}
					select {
					case <-done:
						return
					case <-time.After(5 * time.Millisecond):
					}
				}
			}()
			var wg sync.WaitGroup
			for g := 0; g < 64; g++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					ctx, cancel := context.WithTimeout(context.Background(), time.Second)
					defer cancel()
					_ = call(ctx)
				}()
			}
			wg.Wait()
			close(done)
			<-sampled
			close(stop)
			above := int64(peak.Load()) - int64(idle)
			t.Logf("%s: peak heap %.1f MiB above idle under 64 callers", name, float64(above)/(1<<20))
			assert.LessOrEqual(t, above, int64(64<<20))
		})
	}
}
