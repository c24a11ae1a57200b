package resilience

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestRedirectsToAnotherHostCarryNoCredential sends every provider's call to
// a server that redirects it to a second host, with each redirect status,
// and checks what the second host received.
func TestRedirectsToAnotherHostCarryNoCredential(t *testing.T) {
	for _, s := range subjects(t) {
		for _, status := range []int{301, 302, 303, 307, 308} {
			t.Run(fmt.Sprintf("%s/%d", s.name, status), func(t *testing.T) {
				var mu sync.Mutex
				var seen []string
				other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					b, _ := io.ReadAll(r.Body)
					mu.Lock()
					seen = append(seen, fmt.Sprintf("%s %s %v %s", r.Method, r.URL, r.Header, b))
					mu.Unlock()
					w.WriteHeader(http.StatusNotFound)
				}))
				defer other.Close()
				home := serve(s, func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, other.URL+"/moved", status)
				})
				defer home.Close()

				err := callSubject(t, s, home.URL, 5*time.Second)
				assert.Error(t, err, "the other host does not answer the call")
				if err != nil {
					assert.True(t, s.typed(err), "untyped error %T: %v", err, err)
				}
				mu.Lock()
				defer mu.Unlock()
				all := strings.Join(seen, "\n")
				for _, secret := range s.secrets {
					assert.NotContains(t, all, secret, "a credential reached the other host")
				}
				for _, req := range seen {
					assert.True(t, strings.HasPrefix(req, "GET "), "a body was replayed to another host: %s", req)
				}
			})
		}
	}
}
