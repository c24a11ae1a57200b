package resilience

import (
	"context"
	"testing"

	"github.com/caravanpay/caravan/resid"
	"github.com/stretchr/testify/require"
)

// residValues returns a Resid client and an error it returned, to format.
func residValues(t *testing.T, ctx context.Context, base string) []any {
	c, err := resid.NewClient(hostileToken, resid.WithBaseURL(base))
	require.NoError(t, err)
	_, rerr := c.GetPayment(ctx, "AsF42Sg53")
	require.Error(t, rerr)
	return []any{c, *c, rerr}
}
