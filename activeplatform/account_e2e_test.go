package activeplatform_test

import (
	"context"
	"testing"

	"github.com/caravanpay/caravan/activeplatform"
	"github.com/caravanpay/caravan/activeplatform/activeplatformtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFakeGetAccount(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	p, err := c.GetPayment(ctx, 1, activeplatformtest.ExamplePaymentID)
	require.NoError(t, err)
	a, err := c.GetAccount(ctx, 1, p.AccountID)
	require.NoError(t, err)
	assert.Equal(t, int64(505), a.ID)
	assert.Equal(t, "Example Customer", a.Name)
	assert.Equal(t, activeplatform.Decimal("150.00"), a.Balance)
	assert.Equal(t, activeplatform.Decimal("100.00"), a.UsableBalance)
	assert.Equal(t, activeplatform.Decimal("0.0"), a.CurrentDebt)
	assert.Equal(t, activeplatform.Decimal("500.0"), a.SubscriptionCreditLimit)

	srv.AddAccount(activeplatformtest.Account{ID: 9, ResellerID: 2, Balance: "1.10", CurrentDebt: "2.5"})
	a, err = c.GetAccount(ctx, 2, 9)
	require.NoError(t, err)
	assert.Equal(t, activeplatform.Decimal("1.10"), a.UsableBalance, "defaults to the balance")
	assert.Equal(t, activeplatform.Decimal("2.5"), a.CurrentDebt)
	_, err = c.GetAccount(ctx, 1, 9)
	assert.ErrorIs(t, err, activeplatform.ErrNotFound, "another reseller's account")
	_, err = c.GetAccount(ctx, 1, 404)
	assert.ErrorIs(t, err, activeplatform.ErrNotFound)
}
