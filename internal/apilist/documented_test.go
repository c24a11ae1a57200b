package apilist

import (
	"os"
	"path/filepath"
	"testing"
)

// providerPackages are the five client packages and their fakes, whose
// every exported name and field must carry documentation: godoc is their
// manual.
var providerPackages = []string{"inex", "activeplatform", "payguest", "uapay", "resid",
	"inex/inextest", "activeplatform/activeplatformtest", "payguest/payguesttest", "uapay/uapaytest", "resid/residtest"}

func TestEverythingDocumented(t *testing.T) {
	wd, _ := os.Getwd()
	root, err := Root(wd)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range providerPackages {
		missing, err := Undocumented(filepath.Join(root, p))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range missing {
			t.Errorf("%s.%s has no doc comment", p, m)
		}
	}
}
