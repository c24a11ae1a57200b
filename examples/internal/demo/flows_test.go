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
