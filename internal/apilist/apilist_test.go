package apilist

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite api/caravan.txt from the code")

// TestAPIListing fails when the exported API differs from the committed
// listing. After an intended change: go test ./internal/apilist -update,
// review the diff, note it in CHANGELOG.md.
func TestAPIListing(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root, err := Root(wd)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Generate(root)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(root, "api", "caravan.txt")
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v: generate it with go test ./internal/apilist -update", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the exported API differs from api/caravan.txt:\n%s\nIf the change is intended: go test ./internal/apilist -update, and note it in CHANGELOG.md",
			diff(string(want), string(got)))
	}
}

// diff lists the lines only in want (-) or only in got (+), in order.
func diff(want, got string) string {
	in := func(s string) map[string]int {
		m := map[string]int{}
		for _, l := range strings.Split(s, "\n") {
			m[l]++
		}
		return m
	}
	w, g := in(want), in(got)
	var b strings.Builder
	for _, l := range strings.Split(want, "\n") {
		if g[l] == 0 {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if w[l] == 0 {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}

func TestListingIsStable(t *testing.T) {
	wd, _ := os.Getwd()
	root, err := Root(wd)
	if err != nil {
		t.Fatal(err)
	}
	a, err := Generate(root)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate(root)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two runs differ: the listing depends on map order")
	}
	for _, want := range []string{"package inex // import", "func NewClient(token string, opts ...Option) (*Client, error)", "type InvalidRequestError struct"} {
		if !bytes.Contains(a, []byte(want)) {
			t.Errorf("listing lacks %q", want)
		}
	}
}
