package demo

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/caravanpay/caravan/uapay/uapaytest"
)

func runWith(t *testing.T, vars map[string]string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := runUAPAY(ctx, &out, func(name string) string { return vars[name] })
	return out.String(), err
}

// UAPAY_FLOW=lifecycle on the built-in fake: a HOLD invoice, paid, part
// captured, part refunded, shown — one line per step.
func TestUAPAYLifecycleOnTheBuiltInFake(t *testing.T) {
	out, err := runWith(t, map[string]string{"UAPAY_FLOW": "lifecycle"})
	require.NoError(t, err, out)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 7, out)
	assert.Contains(t, lines[0], "built-in fake server")
	assert.Contains(t, lines[2], "HOLD invoice created")
	assert.Contains(t, lines[3], "is HOLDED, 10000 kopecks held")
	assert.Equal(t, "uapay: captured 1200 kopecks", lines[4])
	assert.Equal(t, "uapay: refunded 100 kopecks", lines[5])
	assert.Contains(t, lines[6], "status REVERSED, paymentStatus REVERSED, amount 1200, receipt https://api.uapay.ua/api/receipts/")
}

// Against a server (here a fake reached by URL), the lifecycle takes an
// existing held payment from UAPAY_PAYMENT_ID.
func TestUAPAYLifecycleWithAPayment(t *testing.T) {
	srv := uapaytest.Start(t)
	inv := srv.AddInvoice(uapaytest.Invoice{Type: "HOLD", Amount: 5000, Description: "d"})
	p, err := srv.PayInvoice(inv)
	require.NoError(t, err)
	vars := map[string]string{"UAPAY_BASE_URL": srv.URL, "UAPAY_CLIENT_ID": uapaytest.ClientID, "UAPAY_SIGN_KEY": uapaytest.SignKey,
		"UAPAY_INVOICE_ID": inv, "UAPAY_FLOW": "lifecycle", "UAPAY_CAPTURE_AMOUNT": "4000", "UAPAY_REFUND_AMOUNT": "1500"}
	_, err = runWith(t, map[string]string{"UAPAY_BASE_URL": srv.URL, "UAPAY_CLIENT_ID": uapaytest.ClientID,
		"UAPAY_SIGN_KEY": uapaytest.SignKey, "UAPAY_INVOICE_ID": inv, "UAPAY_FLOW": "lifecycle"})
	require.ErrorContains(t, err, "UAPAY_PAYMENT_ID is required")
	vars["UAPAY_PAYMENT_ID"] = p.PaymentID
	out, err := runWith(t, vars)
	require.NoError(t, err, out)
	assert.NotContains(t, out, "fake server")
	got, _ := srv.Payment(p.PaymentID)
	assert.Equal(t, int64(4000), got.Amount)
	assert.Equal(t, int64(1500), got.Reversed)
	assert.Equal(t, 1, got.Completions)
	assert.Equal(t, 1, got.Reversals)

	_, err = runWith(t, map[string]string{"UAPAY_FLOW": "refund"})
	require.ErrorContains(t, err, "UAPAY_FLOW")
	_, err = runWith(t, map[string]string{"UAPAY_FLOW": "lifecycle", "UAPAY_CAPTURE_AMOUNT": "x"})
	require.ErrorContains(t, err, "UAPAY_CAPTURE_AMOUNT")
	out, err = runWith(t, map[string]string{"UAPAY_FLOW": "lifecycle", "UAPAY_REFUND_AMOUNT": "1201"})
	require.Error(t, err, "a refund above the captured amount is refused: %s", out)
}
