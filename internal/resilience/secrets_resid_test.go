package resilience

import (
	"context"
	"testing"
)

// residValues returns the Resid values to format; filled in with the resid
// package.
func residValues(t *testing.T, ctx context.Context, base string) []any { return nil }
