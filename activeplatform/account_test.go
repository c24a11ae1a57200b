package activeplatform

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testdata/account_model.json is built from the get-account page's model
// (the page shows no reply example): an integer id as the model types it,
// balance and usable_balance strings, current_debt and
// subscription_credit_limit floats.
func TestAccountModelDecodes(t *testing.T) {
	a, err := DecodeAccount([]byte(fixture(t, "account_model.json")))
	require.NoError(t, err)
	assert.Equal(t, int64(505), a.ID)
	assert.Equal(t, int64(1), a.ResellerID)
	assert.Equal(t, int64(3), a.AccountClassID)
	assert.Equal(t, "Example Customer", a.Name)
	assert.Equal(t, "Example", a.PrimaryName)
	assert.Equal(t, []string{"Ivan", "I.", "Petrov"}, []string{a.FirstName, a.MiddleName, a.LastName})
	assert.Equal(t, []string{"RU", "Moscow", "Moscow", "Tverskaya", "1", "10", "125009"},
		[]string{a.Country, a.Region, a.City, a.Street, a.Building, a.Office, a.Zip})
	assert.Equal(t, "+74950000000", a.Phone)
	assert.Equal(t, "customer@example.com", a.Email)
	assert.Equal(t, "active", a.Status)
	assert.Equal(t, Decimal("150.00"), a.Balance)
	assert.Equal(t, Decimal("100.00"), a.UsableBalance)
	assert.Equal(t, Decimal("12.3400000000000001"), a.CurrentDebt, "a float's literal text, never through float64")
	assert.Equal(t, Decimal("500.0"), a.SubscriptionCreditLimit)
	assert.True(t, a.CreatedAt.Equal(time.Date(2019, 11, 1, 4, 30, 47, 797788000, time.FixedZone("", 3*60*60))))
	assert.Contains(t, string(a.Attributes), `"custom_field"`)

	for _, body := range []string{``, `<html>`, `{"data":null}`, `{"errors":[{"status":"404"}]}`,
		`{"data":{"id":"5","type":"payments"}}`, `{"data":{"id":"-5"}}`, `{"data":{"id":"5","attributes":[]}}`,
		`{"data":{"id":"5","attributes":{"balance":"a lot"}}}`, `{"data":{"id":"5","attributes":{"balance":1e400x}}}`} {
		_, err := DecodeAccount([]byte(body))
		assert.ErrorIs(t, err, ErrUnexpectedResponse, body)
	}
	a, err = DecodeAccount([]byte(`{"data":{"id":"7","type":"accounts"}}`))
	require.NoError(t, err)
	assert.Nil(t, a.Attributes)
}

func TestGetAccountWire(t *testing.T) {
	c, mt := newMocked(t)
	var rec recorder
	const u = "https://test.activeplatform.com/proxy/api/v3/resellers/1/accounts/505"
	mt.RegisterResponder("GET", u, rec.reply(reply{status: 200, body: fixture(t, "account_model.json")}))
	a, err := c.GetAccount(context.Background(), 1, 505)
	require.NoError(t, err)
	assert.Equal(t, Decimal("150.00"), a.Balance)
	reqs := rec.all()
	require.Len(t, reqs, 1)
	assert.Equal(t, u, reqs[0].URL)
	assertJSONAPIHeaders(t, reqs[0], false)

	for field, ids := range map[string][2]int64{"reseller_id": {0, 5}, "account_id": {1, 0}} {
		_, err := c.GetAccount(context.Background(), ids[0], ids[1])
		var ie *InvalidRequestError
		require.ErrorAs(t, err, &ie)
		assert.Equal(t, field, ie.Field)
	}
	mt.RegisterResponder("GET", strings.Replace(u, "505", "6", 1), rec.reply(reply{status: 200, body: `<html>ok</html>`}))
	_, err = c.GetAccount(context.Background(), 1, 6)
	assert.ErrorIs(t, err, ErrUnexpectedResponse)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a read never has an unknown outcome")
}
