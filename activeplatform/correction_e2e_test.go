package activeplatform_test

import (
	"context"
	"testing"

	"github.com/caravanpay/caravan/activeplatform"
	"github.com/caravanpay/caravan/activeplatform/activeplatformtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFakeCorrectionLifecycle(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	created, err := c.CreateCorrection(ctx, 1, &activeplatform.CreateCorrectionRequest{AccountID: 505, IncludedInvoice: true,
		SubscriptionID: 3008954, PeriodFrom: "2021-12-01", PeriodTo: "2021-12-31", Total: "100.25", Comment: "refund"})
	require.NoError(t, err)
	assert.Equal(t, activeplatform.CorrectionApprovalRequired, created.Status)
	assert.Equal(t, activeplatform.Decimal("100.25"), created.Total)
	assert.Equal(t, "refund", created.Comment)
	assert.Equal(t, activeplatform.Date(""), created.ApprovedAt)

	approved, err := c.UpdateCorrectionStatus(ctx, &activeplatform.UpdateCorrectionStatusRequest{ResellerID: 1, CorrectionID: created.ID, Status: activeplatform.CorrectionApproved})
	require.NoError(t, err)
	assert.Equal(t, activeplatform.CorrectionApproved, approved.Status)
	assert.NotEmpty(t, approved.ApprovedAt)

	// Leaves approval_required once.
	_, err = c.UpdateCorrectionStatus(ctx, &activeplatform.UpdateCorrectionStatusRequest{ResellerID: 1, CorrectionID: created.ID, Status: activeplatform.CorrectionDeclined})
	assert.ErrorIs(t, err, activeplatform.ErrValidation)
	assert.NotErrorIs(t, err, activeplatform.ErrOutcomeUnknown)
	stored, ok := srv.Correction(created.ID)
	require.True(t, ok)
	assert.Equal(t, activeplatformtest.CorrectionApproved, stored.Status)

	declined := srv.AddCorrection(activeplatformtest.Correction{ResellerID: 1, AccountID: 505, Total: "-3.5"})
	got, err := c.UpdateCorrectionStatus(ctx, &activeplatform.UpdateCorrectionStatusRequest{ResellerID: 1, CorrectionID: declined.ID, Status: activeplatform.CorrectionDeclined})
	require.NoError(t, err)
	assert.Equal(t, activeplatform.CorrectionDeclined, got.Status)
	assert.Equal(t, activeplatform.Date(""), got.ApprovedAt)

	_, err = c.UpdateCorrectionStatus(ctx, &activeplatform.UpdateCorrectionStatusRequest{ResellerID: 1, CorrectionID: 999, Status: activeplatform.CorrectionApproved})
	assert.ErrorIs(t, err, activeplatform.ErrNotFound)
	_, err = c.UpdateCorrectionStatus(ctx, &activeplatform.UpdateCorrectionStatusRequest{ResellerID: 2, CorrectionID: created.ID, Status: activeplatform.CorrectionApproved})
	assert.ErrorIs(t, err, activeplatform.ErrNotFound, "another reseller's correction")
	assert.Len(t, srv.Corrections(), 2)
}

// A create whose reply is lost is an unknown outcome, not resent: the
// fake's ledger holds exactly one correction.
func TestFakeCreateCorrectionCutIsUnknown(t *testing.T) {
	srv, c := newFake(t)
	srv.Route("POST corrections").CutAfterNext(1)
	_, err := c.CreateCorrection(context.Background(), 1, &activeplatform.CreateCorrectionRequest{AccountID: 505, Total: "1"})
	require.Error(t, err)
	assert.ErrorIs(t, err, activeplatform.ErrOutcomeUnknown)
	assert.False(t, activeplatform.SafeToRepeat(err))
	assert.Len(t, srv.Corrections(), 1)
}

// A completion by document number with another amount records a
// correction for the difference, approved.
func TestFakeByDocumentPartialPaymentCorrection(t *testing.T) {
	srv, c := newFake(t)
	p, err := c.CompletePaymentByDocument(context.Background(), 1, &activeplatform.CompleteByDocumentRequest{
		DocumentID: activeplatformtest.ExampleDocumentID, PaymentMethodID: 2, Amount: "90.0"})
	require.NoError(t, err)
	require.Len(t, p.Relationships.Corrections, 1)
	list := srv.Corrections()
	require.Len(t, list, 1)
	assert.Equal(t, "-9.00", list[0].Total)
	assert.Equal(t, activeplatformtest.CorrectionApproved, list[0].Status)
}
