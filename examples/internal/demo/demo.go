// Package demo holds the example flows, one file per provider, so that
// examples/<provider> and examples/quickstart run the very same code.
//
// The environment contract (DESIGN.md): with <PROVIDER>_BASE_URL unset a
// flow starts its provider's fake server in-process and says so on its
// first line; with it set, it talks to that URL with the provider's other
// variables. Every step prints one line; the first error ends the flow.
package demo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strconv"
	"sync"
	"time"
)

type loggerKey struct{}

// WithLogger returns a context under which every flow's client logs its
// HTTP attempts to l (the tests run the flows with a debug logger to prove
// that no secret reaches a log).
func WithLogger(ctx context.Context, l *slog.Logger) context.Context {
	return context.WithValue(ctx, loggerKey{}, l)
}

// logger is the flow's logger, nil (no logging) unless WithLogger set one.
func logger(ctx context.Context) *slog.Logger {
	l, _ := ctx.Value(loggerKey{}).(*slog.Logger)
	return l
}

// Env looks a variable up; "" means unset.
type Env func(name string) string

// Flow is one provider's example flow.
type Flow struct {
	Name string
	Run  func(ctx context.Context, w io.Writer, env Env) error
}

var (
	mu    sync.Mutex
	flows = map[string]Flow{}
)

// register adds a flow; each provider's file calls it from init.
func register(f Flow) {
	mu.Lock()
	defer mu.Unlock()
	flows[f.Name] = f
}

// All returns every registered flow, sorted by name.
func All() []Flow {
	mu.Lock()
	defer mu.Unlock()
	out := make([]Flow, 0, len(flows))
	for _, f := range flows {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Main runs the named flow with the process environment and returns the
// exit status: 0 on success, 1 after printing the error.
func Main(name string) int {
	mu.Lock()
	f, ok := flows[name]
	mu.Unlock()
	if !ok {
		fmt.Fprintf(os.Stderr, "error: no example flow named %q\n", name)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := f.Run(ctx, os.Stdout, os.Getenv); err != nil {
		fmt.Fprintf(os.Stdout, "error: %v\n", err)
		return 1
	}
	return 0
}

// NoEnv is the environment of the quickstart: nothing set, so every flow
// uses its built-in fake server.
func NoEnv(string) string { return "" }

// get returns the variable or def when unset.
func get(env Env, name, def string) string {
	if v := env(name); v != "" {
		return v
	}
	return def
}

// getInt64 parses a whole-number variable, or returns def when unset.
func getInt64(env Env, name string, def int64) (int64, error) {
	v := env(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: want a whole number, got %q", name, v)
	}
	return n, nil
}

// newID returns a fresh random id with a prefix, for payment ids.
func newID(prefix string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

// step prints one line of a flow.
func step(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, format, args...)
	io.WriteString(w, "\n")
}
