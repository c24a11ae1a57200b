package inex_test

import (
	"context"
	"testing"

	"github.com/caravanpay/caravan/inex"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPayDebtGatewayErrorsAfterRetriesAreOutcomeUnknownAndSafeToRepeat(t *testing.T) {
	srv, c := newFake(t)
	srv.SeedExamples()
	srv.FailNext(4, 502, "<html>Bad Gateway</html>")
	req := &inex.PayDebtRequest{RoomNumber: "IG00001", PaymentID: "P-outcome"}
	_, err := c.PayDebt(context.Background(), req)
	require.Error(t, err)
	assert.ErrorIs(t, err, inex.ErrServer)
	assert.ErrorIs(t, err, inex.ErrOutcomeUnknown, "a 502 says nothing about whether Inex paid")
	require.True(t, inex.SafeToRepeat(err))

	// the decision the package documents: send the same request again
	res, err := c.PayDebt(context.Background(), req)
	require.NoError(t, err)
	assert.NotEmpty(t, res.TransactionID)
	assert.Equal(t, 1, srv.DebtPayments("IG00001"))
}

func TestTopUpTruncatedReplyIsRetriedAndAppliedOnce(t *testing.T) {
	srv, c := newFake(t)
	srv.SeedExamples()
	srv.TruncateNext(1)
	_, err := c.TopUpBalance(context.Background(), &inex.TopUpRequest{RoomNumber: "IG00001", Amount: 100, PaymentID: "T-outcome"})
	require.NoError(t, err)
	assert.Equal(t, 1, srv.TopUps("IG00001"))
}
