package inextest

// This file is the same in every caravan fake (only the package differs):
// it runs the shared check of the fault API (internal/fakeserver/faultcheck)
// with raw HTTP requests. The package's hooks_test.go says how to make a
// request that changes state and how to count the changes.

import (
	"net/http"
	"os"
	"testing"

	"github.com/caravanpay/caravan/internal/fakeserver/faultcheck"
)

func TestFaultAPI(t *testing.T) {
	faultcheck.Run(t, faultcheck.Fixture[*Server, *Faults, Request]{
		Name: "inextest",
		Start: func(tb faultcheck.TB, maxBody int64) *Server {
			if maxBody > 0 {
				return fx.start(tb, WithMaxBody(maxBody))
			}
			return fx.start(tb)
		},
		Request:        fx.request,
		Applied:        fx.applied,
		Body:           func(r Request) []byte { return r.Body },
		Route:          fx.route,
		Other:          fx.other,
		OKStatus:       fx.okStatus,
		TooLargeStatus: fx.tooLargeStatus,
		TooLargeBody:   fx.tooLargeBody,
	})
}

// fixture is what the shared fault check needs to know of this fake.
type fixture struct {
	start          func(tb TB, opts ...Option) *Server                // a started, seeded fake
	request        func(t *testing.T, s *Server, i int) *http.Request // the i-th request that changes state
	applied        func(s *Server) int                                // how many changes were applied
	route, other   string                                             // the request's route and another one
	okStatus       int
	tooLargeStatus int
	tooLargeBody   string
}

// TestMain checks that the package's tests and examples, once every fake
// they started is closed, leave no goroutine behind.
func TestMain(m *testing.M) { os.Exit(faultcheck.Main(m)) }
