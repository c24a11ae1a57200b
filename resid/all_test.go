package resid_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/caravanpay/caravan/resid"
	"github.com/caravanpay/caravan/resid/residtest"
)

var listEpoch = time.Date(2017, 5, 9, 0, 28, 51, 309004000, time.UTC)

// seedTies stores n payments in groups that share a created time, group
// sizes 1..maxTie chosen by a fixed seed, one microsecond apart... and
// returns the tokens in creation order.
func seedTies(srv *residtest.Server, n, maxTie int, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, 7))
	var out []string
	at := listEpoch
	for len(out) < n {
		group := 1 + r.IntN(maxTie)
		for j := 0; j < group && len(out) < n; j++ {
			tok := fmt.Sprintf("T%05d", len(out))
			srv.Seed(resid.Payment{Token: tok, Amount: int64(100 + len(out)), Created: at})
			out = append(out, tok)
		}
		at = at.Add(time.Duration(1+r.IntN(3)) * time.Microsecond)
	}
	return out
}

func collect(t *testing.T, c *resid.Client, opts *resid.ListOptions) ([]*resid.Payment, error) {
	t.Helper()
	var out []*resid.Payment
	for p, err := range c.All(context.Background(), opts) {
		if err != nil {
			return out, err
		}
		out = append(out, p)
	}
	return out, nil
}

func assertEachOnce(t *testing.T, got []*resid.Payment, want []string, newestFirst bool) {
	t.Helper()
	seen := map[string]int{}
	for _, p := range got {
		seen[p.Token]++
	}
	for _, tok := range want {
		assert.Equal(t, 1, seen[tok], "payment %s yielded %d times", tok, seen[tok])
	}
	assert.Len(t, got, len(want))
	for i := 1; i < len(got); i++ {
		if newestFirst {
			assert.False(t, got[i].Created.After(got[i-1].Created), "order at %d", i)
		} else {
			assert.False(t, got[i].Created.Before(got[i-1].Created), "order at %d", i)
		}
	}
}

func TestAllBackwardsWithTies(t *testing.T) {
	srv, c := newFake(t)
	want := seedTies(srv, 1000, 60, 1)
	got, err := collect(t, c, &resid.ListOptions{Size: 200})
	require.NoError(t, err)
	assertEachOnce(t, got, want, true)
	reqs := srv.Requests()
	assert.LessOrEqual(t, len(reqs), 8, "about 1000/200 pages plus the end")
	for i, r := range reqs {
		assert.Equal(t, "200", r.Query.Get("size"))
		assert.Empty(t, r.Query.Get("after"))
		if i == 0 {
			assert.Empty(t, r.Query.Get("before"), "first page: before defaults to now")
		} else {
			assert.NotEmpty(t, r.Query.Get("before"))
		}
	}
}

func TestAllForwardsWithTies(t *testing.T) {
	srv, c := newFake(t)
	want := seedTies(srv, 1000, 60, 2)
	got, err := collect(t, c, &resid.ListOptions{Size: 200, After: listEpoch.Add(-time.Second)})
	require.NoError(t, err)
	assertEachOnce(t, got, want, false)
	for _, r := range srv.Requests() {
		assert.NotEmpty(t, r.Query.Get("after"))
		assert.Empty(t, r.Query.Get("before"))
	}
}

func TestAllSmallPagesManyTies(t *testing.T) {
	// groups of up to 49 in pages of 50: every boundary cuts a group
	for _, seed := range []uint64{3, 4, 5} {
		srv, c := newFake(t)
		want := seedTies(srv, 400, 49, seed)
		got, err := collect(t, c, &resid.ListOptions{Size: 50})
		require.NoError(t, err)
		assertEachOnce(t, got, want, true)
		got, err = collect(t, c, &resid.ListOptions{Size: 50, After: listEpoch.Add(-time.Microsecond)})
		require.NoError(t, err)
		assertEachOnce(t, got, want, false)
	}
}

func TestAllDefaultSizeAndBefore(t *testing.T) {
	srv, c := newFake(t)
	want := seedTies(srv, 300, 5, 6)
	got, err := collect(t, c, nil)
	require.NoError(t, err)
	assertEachOnce(t, got, want, true)
	assert.Equal(t, "50", srv.Requests()[0].Query.Get("size"), "Size 0 pages by Resid's default, as ListPayments does")

	// before the 101st payment's time: only older ones
	cut, ok := srv.Payment(want[100])
	require.True(t, ok)
	got, err = collect(t, c, &resid.ListOptions{Before: cut.Created})
	require.NoError(t, err)
	for _, p := range got {
		assert.True(t, p.Created.Before(cut.Created))
	}
	assert.NotEmpty(t, got)
}

func TestAllGrowsThePageForATieGroup(t *testing.T) {
	srv, c := newFake(t)
	var want []string
	for i := 0; i < 120; i++ { // 120 payments at one instant, more than a page of 50
		want = append(want, srv.Seed(resid.Payment{Token: fmt.Sprintf("S%03d", i), Amount: 1, Created: listEpoch}))
	}
	want = append(want, srv.Seed(resid.Payment{Token: "OLD", Amount: 1, Created: listEpoch.Add(-time.Hour)}))
	got, err := collect(t, c, &resid.ListOptions{Size: 50})
	require.NoError(t, err)
	assertEachOnce(t, got, want, true)
	assert.Equal(t, "200", srv.Requests()[1].Query.Get("size"))
}

func TestAllTooManyTies(t *testing.T) {
	srv, c := newFake(t)
	for i := 0; i < 210; i++ {
		srv.Seed(resid.Payment{Token: fmt.Sprintf("S%03d", i), Amount: 1, Created: listEpoch})
	}
	got, err := collect(t, c, &resid.ListOptions{Size: 200})
	assert.ErrorIs(t, err, resid.ErrTooManyTies)
	assert.Contains(t, err.Error(), "200 payments all created at 2017-05-09")
	assert.Empty(t, got, "nothing yielded from a page that cannot be trusted")
}

func TestAllStopsWhenTheLoopBreaks(t *testing.T) {
	srv, c := newFake(t)
	seedTies(srv, 500, 3, 8)
	n := 0
	for p, err := range c.All(context.Background(), &resid.ListOptions{Size: 100}) {
		require.NoError(t, err)
		require.NotNil(t, p)
		n++
		if n == 150 {
			break
		}
	}
	assert.Equal(t, 150, n)
	assert.Len(t, srv.Requests(), 2)
}

func TestAllEmpty(t *testing.T) {
	srv, c := newFake(t)
	got, err := collect(t, c, nil)
	require.NoError(t, err)
	assert.Empty(t, got)
	assert.Len(t, srv.Requests(), 1)
}

func TestAllRateLimitedWaitsAndResumes(t *testing.T) {
	srv, c := newFake(t, resid.WithRetry(10, time.Millisecond, 40*time.Millisecond))
	want := seedTies(srv, 1000, 10, 9)
	srv.SetListRateLimit(2, 30*time.Millisecond)
	got, err := collect(t, c, &resid.ListOptions{Size: 200})
	require.NoError(t, err)
	assertEachOnce(t, got, want, true)
	throttled := len(srv.Requests()) - 6 // 5 full pages and the final one
	assert.Greater(t, throttled, 0, "some calls met 429 and were retried")
}

func TestAllYieldsPageError(t *testing.T) {
	srv, c := newFake(t, resid.WithRetry(1, time.Millisecond, 2*time.Millisecond))
	seedTies(srv, 300, 2, 10)
	srv.SetListRateLimit(1, time.Hour)
	var n int
	var last error
	for p, err := range c.All(context.Background(), &resid.ListOptions{Size: 200}) {
		if err != nil {
			last = err
			continue
		}
		require.NotNil(t, p)
		n++
	}
	assert.Equal(t, 200, n)
	assert.ErrorIs(t, last, resid.ErrRateLimited)
	var re *resid.Error
	require.ErrorAs(t, last, &re)
	assert.Equal(t, 429, re.StatusCode)
	assert.Equal(t, residtest.MessageThrottled, re.Message)
	assert.Equal(t, 1, re.Attempts, "a Retry-After longer than the deadline allows ends the call at once")
}
