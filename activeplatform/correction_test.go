package activeplatform

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const correctionsURL = "https://test.activeplatform.com/proxy/api/v3/resellers/1/corrections"

// The update-correction-status page's reply example, field by field.
func TestCorrectionExampleDecodes(t *testing.T) {
	c, err := DecodeCorrection([]byte(fixture(t, "update_correction_response.json")))
	require.NoError(t, err)
	msk := time.FixedZone("", 3*60*60)
	assert.Equal(t, int64(738), c.ID)
	assert.Equal(t, CorrectionApproved, c.Status)
	assert.False(t, c.Status.Pending())
	assert.Equal(t, int64(710), c.AccountID)
	assert.Equal(t, int64(225), c.ManagerID)
	assert.Equal(t, Decimal("100.25"), c.Total)
	assert.True(t, c.IncludedInvoice)
	assert.Equal(t, int64(3008954), c.SubscriptionID)
	assert.Equal(t, Date("2021-12-01"), c.PeriodFrom)
	assert.Equal(t, Date("2021-12-31"), c.PeriodTo)
	assert.Equal(t, "top-up payment", c.Comment)
	assert.Equal(t, Date("2021-08-10"), c.ApprovedAt)
	assert.True(t, c.CreatedAt.Equal(time.Date(2021, 8, 10, 12, 18, 42, 721974000, msk)))
	assert.True(t, c.UpdatedAt.Equal(time.Date(2021, 8, 10, 12, 19, 36, 144666000, msk)))
}

func TestDecodeCorrectionSlips(t *testing.T) {
	// The reply model's Cyrillic "с" in "сomment".
	c, err := DecodeCorrection([]byte(`{"data":{"id":"1","type":"corrections","attributes":{"\u0441omment":"refund","status":"waiting for approval","included_invoice":"true"}}}`))
	require.NoError(t, err)
	assert.Equal(t, "refund", c.Comment)
	assert.True(t, c.Status.Pending(), "v1's name of the pending status")
	assert.True(t, c.IncludedInvoice)
	c, err = DecodeCorrection([]byte(`{"data":{"id":"1","attributes":{"сomment":"cyrillic","comment":"latin"}}}`))
	require.NoError(t, err)
	assert.Equal(t, "latin", c.Comment)
	assert.True(t, CorrectionApprovalRequired.Pending())
	for _, body := range []string{``, `<html>`, `{"data":null}`, `{"errors":[{"status":"403"}]}`,
		`{"data":{"id":"1","type":"payments"}}`, `{"data":{"id":"0"}}`, `{"data":{"id":"1","attributes":{"total":"x"}}}`,
		`{"data":{"id":"1","attributes":{"included_invoice":2}}}`} {
		_, err := DecodeCorrection([]byte(body))
		assert.ErrorIs(t, err, ErrUnexpectedResponse, body)
	}
}

func TestCreateCorrectionWire(t *testing.T) {
	c, mt := newMocked(t)
	var rec recorder
	created := `{"data":{"id":"738","type":"corrections","attributes":{"status":"approval_required","total":"100.25","account_id":710}}}`
	mt.RegisterResponder("POST", correctionsURL, rec.reply(reply{status: 201, body: created}))
	got, err := c.CreateCorrection(context.Background(), 1, &CreateCorrectionRequest{AccountID: 710, IncludedInvoice: true,
		SubscriptionID: 3008954, PeriodFrom: "2021-12-01", PeriodTo: "2021-12-31", Total: "0100.25", Comment: "top-up payment"})
	require.NoError(t, err)
	assert.Equal(t, CorrectionApprovalRequired, got.Status)
	reqs := rec.all()
	require.Len(t, reqs, 1)
	assert.Equal(t, `{"data":{"type":"corrections","attributes":{"account_id":710,"included_invoice":true,"subscription_id":3008954,`+
		`"period_from":"2021-12-01","period_to":"2021-12-31","total":"100.25","comment":"top-up payment"}}}`, reqs[0].Body)
	assertJSONAPIHeaders(t, reqs[0], true)

	_, err = c.CreateCorrection(context.Background(), 1, &CreateCorrectionRequest{AccountID: 710, Total: "-5"})
	require.NoError(t, err)
	assert.Equal(t, `{"data":{"type":"corrections","attributes":{"account_id":710,"included_invoice":false,"total":"-5"}}}`, rec.all()[1].Body,
		"included_invoice is required: always sent; empty optional members left out")
}

// A create is unsafe: a 502 after sending is not resent and is an unknown
// outcome that is not safe to repeat.
func TestCreateCorrectionIsUnsafe(t *testing.T) {
	c, mt := newMocked(t)
	var rec recorder
	mt.RegisterResponder("POST", correctionsURL, rec.reply(reply{status: 502, body: "<html>bad gateway</html>"}))
	_, err := c.CreateCorrection(context.Background(), 1, &CreateCorrectionRequest{AccountID: 710, Total: "1"})
	require.Error(t, err)
	assert.Len(t, rec.all(), 1)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.False(t, SafeToRepeat(err))
}

func TestUpdateCorrectionStatusWire(t *testing.T) {
	c, mt := newMocked(t)
	var rec recorder
	mt.RegisterResponder("PATCH", correctionsURL+"/738", rec.reply(reply{status: 200, body: fixture(t, "update_correction_response.json")}))
	got, err := c.UpdateCorrectionStatus(context.Background(), &UpdateCorrectionStatusRequest{ResellerID: 1, CorrectionID: 738, Status: CorrectionApproved})
	require.NoError(t, err)
	assert.Equal(t, CorrectionApproved, got.Status)
	reqs := rec.all()
	require.Len(t, reqs, 1)
	assert.Equal(t, http.MethodPatch, reqs[0].Method)
	assert.Equal(t, correctionsURL+"/738", reqs[0].URL, "without the request example's extra /correction/")
	assert.Equal(t, `{"data":{"type":"corrections","id":"738","attributes":{"status":"approved"}}}`, reqs[0].Body)
	assertJSONAPIHeaders(t, reqs[0], true)
}

// Idempotent by nature: a 502 is retried; a retry that meets the refusal
// after an attempt that may have landed is an unknown outcome, safe to
// repeat.
func TestUpdateCorrectionStatusRetries(t *testing.T) {
	c, mt := newMocked(t)
	var rec recorder
	mt.RegisterResponder("PATCH", correctionsURL+"/738", rec.reply(
		reply{status: 502, body: "bad gateway"},
		reply{status: 422, body: `{"errors":{"title":"Only corrections with \"approval required\" status can be approved or declined.","status":"422"}}`}))
	_, err := c.UpdateCorrectionStatus(context.Background(), &UpdateCorrectionStatusRequest{ResellerID: 1, CorrectionID: 738, Status: CorrectionDeclined})
	require.Error(t, err)
	assert.Len(t, rec.all(), 2)
	assert.ErrorIs(t, err, ErrValidation)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.True(t, SafeToRepeat(err))
}

func TestCorrectionValidation(t *testing.T) {
	c, _ := newMocked(t)
	ctx := context.Background()
	good := func() *CreateCorrectionRequest {
		return &CreateCorrectionRequest{AccountID: 710, Total: "1.00", PeriodFrom: "2021-12-01", PeriodTo: "2021-12-31"}
	}
	cases := []struct {
		field string
		req   func(r *CreateCorrectionRequest) *CreateCorrectionRequest
	}{
		{"request", func(*CreateCorrectionRequest) *CreateCorrectionRequest { return nil }},
		{"account_id", func(r *CreateCorrectionRequest) *CreateCorrectionRequest { r.AccountID = 0; return r }},
		{"subscription_id", func(r *CreateCorrectionRequest) *CreateCorrectionRequest { r.SubscriptionID = -1; return r }},
		{"period_from", func(r *CreateCorrectionRequest) *CreateCorrectionRequest { r.PeriodFrom = "2021-13-01"; return r }},
		{"period_to", func(r *CreateCorrectionRequest) *CreateCorrectionRequest { r.PeriodTo = "31.12.2021"; return r }},
		{"period_to", func(r *CreateCorrectionRequest) *CreateCorrectionRequest { r.PeriodTo = "2021-11-30"; return r }},
		{"total", func(r *CreateCorrectionRequest) *CreateCorrectionRequest { r.Total = ""; return r }},
		{"total", func(r *CreateCorrectionRequest) *CreateCorrectionRequest { r.Total = "0.00"; return r }},
		{"total", func(r *CreateCorrectionRequest) *CreateCorrectionRequest { r.Total = "1e3"; return r }},
	}
	for _, tc := range cases {
		_, err := c.CreateCorrection(ctx, 1, tc.req(good()))
		var ie *InvalidRequestError
		require.ErrorAs(t, err, &ie, tc.field)
		assert.Equal(t, tc.field, ie.Field)
	}
	for field, call := range map[string]func() error{
		"reseller_id": func() error { _, err := c.CreateCorrection(ctx, 0, good()); return err },
		"correction_id": func() error {
			_, err := c.UpdateCorrectionStatus(ctx, &UpdateCorrectionStatusRequest{ResellerID: 1, CorrectionID: 0, Status: CorrectionApproved})
			return err
		},
		"request": func() error { _, err := c.UpdateCorrectionStatus(ctx, nil); return err },
		"status": func() error {
			_, err := c.UpdateCorrectionStatus(ctx, &UpdateCorrectionStatusRequest{ResellerID: 1, CorrectionID: 738, Status: CorrectionApprovalRequired})
			return err
		},
	} {
		var ie *InvalidRequestError
		require.ErrorAs(t, call(), &ie, field)
		assert.Equal(t, field, ie.Field)
	}
	_, err := c.UpdateCorrectionStatus(ctx, &UpdateCorrectionStatusRequest{ResellerID: 0, CorrectionID: 1, Status: CorrectionApproved})
	var ie *InvalidRequestError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "reseller_id", ie.Field)
	assert.ErrorIs(t, err, ErrInvalidRequest)
}
