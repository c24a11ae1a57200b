package demo

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/caravanpay/caravan/activeplatform/activeplatformtest"
	"github.com/caravanpay/caravan/inex/inextest"
	"github.com/caravanpay/caravan/payguest/payguesttest"
	"github.com/caravanpay/caravan/resid/residtest"
	"github.com/caravanpay/caravan/uapay/uapaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// secrets are the credentials the flows use against their fakes, and the
// full card number the UAPAY flow may carry.
var secrets = []string{inextest.Token, activeplatformtest.Token, string(uapaytest.SignKey), residtest.AuthorizationCode, "4134170000010886"}

// TestFlowsLeakNoSecret runs every example flow against its fake with a
// debug-level logger and checks that no credential appears in what the
// flow printed or in any log record.
func TestFlowsLeakNoSecret(t *testing.T) {
	flows := All()
	require.Len(t, flows, 5, "every provider registers its flow")
	for _, f := range flows {
		t.Run(f.Name, func(t *testing.T) {
			var out, logs bytes.Buffer
			l := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			ctx, cancel := context.WithTimeout(WithLogger(context.Background(), l), 30*time.Second)
			defer cancel()
			require.NoError(t, f.Run(ctx, &out, NoEnv))
			first, _, _ := strings.Cut(out.String(), "\n")
			assert.Contains(t, first, "fake server", "the first line says the fake is used")
			assert.Contains(t, logs.String(), `"msg":"caravan http attempt"`, "the logger saw the calls")
			assert.NotContains(t, out.String(), "%!", "every printed value has the right verb")
			for _, s := range secrets {
				assert.NotContains(t, out.String(), s)
				assert.NotContains(t, logs.String(), s)
			}
		})
	}
}

// TestFlowsFailWithTheProviderMessage points each flow at a server that is
// not there and checks that the flow fails with an error.
func TestFlowsFailOnABadServer(t *testing.T) {
	for _, f := range All() {
		t.Run(f.Name, func(t *testing.T) {
			env := func(name string) string {
				if strings.HasSuffix(name, "_BASE_URL") {
					return "http://127.0.0.1:1"
				}
				return map[string]string{
					"PAYGUEST_BILL_ID": "3F2504E0-4F89-11D3-9A0C-0305E82C3301", "PAYGUEST_PAY_SUM": "10",
					"UAPAY_CLIENT_ID": "c", "UAPAY_SIGN_KEY": "k", "UAPAY_INVOICE_ID": "065f927e-f78f-4d9a-ad07-cef58c16ca96",
					"RESID_AUTHORIZATION": "code", "INEX_TOKEN": "t", "ACTIVEPLATFORM_API_TOKEN": "t",
				}[name]
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			var out bytes.Buffer
			err := f.Run(ctx, &out, env)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "connection refused")
		})
	}
}

// TestFlowsFollowTheEnvironmentContract runs every flow the way an outside
// program does: against a server named by <PROVIDER>_BASE_URL (here the
// fakes, started apart from the flow) with the provider's variables.
func TestFlowsFollowTheEnvironmentContract(t *testing.T) {
	inexSrv := inextest.NewServer()
	defer inexSrv.Close()
	inexSrv.SeedExamples()
	apSrv := activeplatformtest.NewServer()
	defer apSrv.Close()
	apSrv.SeedExample()
	pgSrv := payguesttest.NewServer()
	defer pgSrv.Close()
	pgSrv.AddExampleBill()
	uaSrv := uapaytest.NewServer()
	defer uaSrv.Close()
	invoice := uaSrv.AddInvoice(uapaytest.Invoice{Amount: 100})
	rdSrv := residtest.NewServer()
	defer rdSrv.Close()

	envs := map[string]map[string]string{
		"inex": {"INEX_BASE_URL": inexSrv.URL, "INEX_TOKEN": inextest.Token, "INEX_PAYMENT_ID": "contract-1"},
		"activeplatform": {"ACTIVEPLATFORM_BASE_URL": apSrv.URL, "ACTIVEPLATFORM_API_TOKEN": activeplatformtest.Token,
			"ACTIVEPLATFORM_RESELLER_ID": "1", "ACTIVEPLATFORM_PAYMENT_ID": "6475", "ACTIVEPLATFORM_PAYMENT_METHOD_ID": "2"},
		"payguest": {"PAYGUEST_BASE_URL": pgSrv.URL, "PAYGUEST_BILL_ID": payguesttest.ExampleBillID,
			"PAYGUEST_PAY_TYPE_ID": payguesttest.ExamplePayTypeID, "PAYGUEST_PAY_SUM": payguesttest.ExampleBillTotal},
		"uapay": {"UAPAY_BASE_URL": uaSrv.URL, "UAPAY_CLIENT_ID": uapaytest.ClientID, "UAPAY_SIGN_KEY": string(uapaytest.SignKey),
			"UAPAY_INVOICE_ID": invoice},
		"resid": {"RESID_BASE_URL": rdSrv.URL, "RESID_AUTHORIZATION": residtest.AuthorizationCode, "RESID_AMOUNT": "25000"},
	}
	for _, f := range All() {
		t.Run(f.Name, func(t *testing.T) {
			vars, ok := envs[f.Name]
			require.True(t, ok)
			var out bytes.Buffer
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			require.NoError(t, f.Run(ctx, &out, func(name string) string { return vars[name] }), out.String())
			assert.NotContains(t, out.String(), "fake server", "a flow with a base URL must not start its fake")
		})
	}
	assert.Equal(t, 1, inexSrv.DebtPayments("IG00001"), "paid once, repeated with the same payment id")
	assert.Equal(t, 1, apSrv.Completions(6475))
	assert.Equal(t, 1, pgSrv.PaidCount(payguesttest.ExampleBillID))
	assert.Equal(t, 1, uaSrv.Updates(invoice))
	assert.Equal(t, 1, rdSrv.Count(), "one payment request of 25000 rials")
}

// TestActivePlatformCancelFlow runs the second ActivePlatform flow
// (ACTIVEPLATFORM_FLOW=cancel) against its built-in fake and against a fake
// named by ACTIVEPLATFORM_BASE_URL.
func TestActivePlatformCancelFlow(t *testing.T) {
	var out bytes.Buffer
	ctx := context.Background()
	require.NoError(t, runActivePlatform(ctx, &out, func(name string) string {
		return map[string]string{"ACTIVEPLATFORM_FLOW": "cancel"}[name]
	}))
	assert.Contains(t, out.String(), "fake server")
	assert.Contains(t, out.String(), "status cancelled, total 199.99 USD")

	srv := activeplatformtest.NewServer()
	defer srv.Close()
	srv.SeedExample()
	out.Reset()
	vars := map[string]string{"ACTIVEPLATFORM_BASE_URL": srv.URL, "ACTIVEPLATFORM_API_TOKEN": activeplatformtest.Token,
		"ACTIVEPLATFORM_FLOW": "cancel", "ACTIVEPLATFORM_ACCOUNT_ID": "505"}
	require.NoError(t, runActivePlatform(ctx, &out, func(name string) string { return vars[name] }), out.String())
	assert.Equal(t, 1, srv.Cancellations(6476), out.String())
	assert.Zero(t, srv.Completions(6475), "the cancel flow completes nothing")

	vars["ACTIVEPLATFORM_FLOW"] = "refund"
	assert.Error(t, runActivePlatform(ctx, &out, func(name string) string { return vars[name] }))
}
