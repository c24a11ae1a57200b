package residtest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/caravanpay/caravan/resid"
	"github.com/caravanpay/caravan/resid/residtest"
)

func TestClockAndSeeding(t *testing.T) {
	srv := residtest.NewServer()
	defer srv.Close()
	assert.WithinDuration(t, time.Now(), srv.Now(), time.Second, "real clock by default")
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	srv.SetNow(at)
	srv.Advance(time.Minute)
	assert.True(t, srv.Now().Equal(at.Add(time.Minute)))

	seen := map[string]bool{}
	for i := 0; i < 2000; i++ {
		tok := srv.Seed(resid.Payment{Amount: 1})
		require.Len(t, tok, 9)
		require.False(t, seen[tok], "token %s repeated", tok)
		seen[tok] = true
	}
	paid := at.Add(time.Second)
	tok := srv.Seed(resid.Payment{Token: "X", Amount: 5, Paid: &paid, Outcome: resid.Outcome{State: residtest.StateCollected}})
	p, ok := srv.Payment(tok)
	require.True(t, ok)
	assert.Equal(t, residtest.StateCollected, p.Outcome.State)
	assert.True(t, srv.Collected(tok))
	require.NotNil(t, p.Paid)
	assert.True(t, p.Paid.Equal(paid))
	_, ok = srv.Payment("missing")
	assert.False(t, ok)
	assert.Equal(t, 0, srv.Collects("missing"))
	assert.Equal(t, 2001, srv.Count())
}

func TestRefundAfterWindow(t *testing.T) {
	srv := residtest.NewServer()
	defer srv.Close()
	srv.SetNow(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	tok := srv.Seed(resid.Payment{Amount: 1})
	require.NoError(t, srv.Pay(tok))
	srv.Advance(resid.CollectWindow)
	p, _ := srv.Payment(tok)
	assert.Equal(t, residtest.StatePaid, p.Outcome.State, "exactly 20 minutes: still collectable")
	srv.Advance(time.Microsecond)
	p, _ = srv.Payment(tok)
	assert.Equal(t, residtest.StateRefunded, p.Outcome.State)
	assert.NotEmpty(t, p.Outcome.StateError)
}
