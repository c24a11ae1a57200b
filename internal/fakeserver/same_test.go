package fakeserver

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryFakeExposesTheSameFaultAPI checks that the five fakes' faults.go
// and faults_test.go are one text, but for the package's name, provider and
// route examples, so that the fault API and its checks cannot drift apart.
func TestEveryFakeExposesTheSameFaultAPI(t *testing.T) {
	for _, file := range []string{"faults.go", "faults_test.go"} {
		var first, firstPkg string
		for _, dir := range []string{"inex/inextest", "activeplatform/activeplatformtest", "payguest/payguesttest",
			"uapay/uapaytest", "resid/residtest"} {
			b, err := os.ReadFile(filepath.Join("..", "..", dir, file))
			require.NoError(t, err)
			pkg := filepath.Base(dir)
			var lines []string
			for _, line := range strings.Split(string(b), "\n") {
				if strings.HasPrefix(line, "//") && (strings.Contains(line, `Route("`) || strings.Contains(line, "'s error shape")) {
					continue // the route examples and the provider's name
				}
				lines = append(lines, strings.ReplaceAll(line, pkg, "PKG"))
			}
			text := strings.Join(lines, "\n")
			if first == "" {
				first, firstPkg = text, pkg
				continue
			}
			assert.Equal(t, first, text, "%s of %s differs from %s's", file, pkg, firstPkg)
		}
	}
}
