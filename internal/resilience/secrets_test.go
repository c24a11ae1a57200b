package resilience

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/caravanpay/caravan/activeplatform"
	"github.com/caravanpay/caravan/inex"
	"github.com/caravanpay/caravan/payguest"
	"github.com/caravanpay/caravan/uapay"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// formatted renders v with every fmt verb a log line might use and through
// slog's text and JSON handlers.
func formatted(v any) string {
	var buf bytes.Buffer
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		fmt.Fprintf(&buf, verb+"\n", v)
	}
	slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})).Debug("value", "v", v)
	slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})).Debug("value", "v", v)
	return buf.String()
}

// TestNoSecretInFormattedValues formats every client, request, response and
// error value that holds or saw a credential or a card number.
func TestNoSecretInFormattedValues(t *testing.T) {
	const pan = "4134170000010886"
	// a server that rejects everything, so that errors exist to format
	srv := serve(subject{}, replyWith(http.StatusUnauthorized, "application/json",
		[]byte(`{"errors":{"general":["You are not authorized to perform this action. Contact administrator."]},"message":"error"}`)))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var values []any

	ic, err := inex.NewClient(hostileToken, inex.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, ierr := ic.PayDebt(ctx, &inex.PayDebtRequest{RoomNumber: "IG00001", PaymentID: "INV0001"})
	require.Error(t, ierr)
	values = append(values, ic, *ic, ierr)

	ac, err := activeplatform.NewClient(hostileToken, activeplatform.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, aerr := ac.CompletePayment(ctx, &activeplatform.CompletePaymentRequest{ResellerID: 1, PaymentID: 6475, PaymentMethodID: 2})
	require.Error(t, aerr)
	values = append(values, ac, *ac, aerr)

	pc, err := payguest.NewClient(payguest.WithBaseURL(srv.URL), payguest.WithHeader("X-Proxy-Key", hostileToken))
	require.NoError(t, err)
	_, perr := pc.PayGuest(ctx, &payguest.PayGuestRequest{Payment: payguest.Payment{GuestID: "3F2504E0-4F89-11D3-9A0C-0305E82C3301"}})
	require.Error(t, perr)
	values = append(values, pc, *pc, perr)

	uc, err := uapay.NewClient("client-1", uapay.Secret(hostileKey), uapay.WithBaseURL(srv.URL))
	require.NoError(t, err)
	update := &uapay.InvoiceUpdate{CardTo: &uapay.CardTo{PAN: pan, ID: "b8220f46-8c28-4068-9488-2e1b37359b06"}, Tag: uapay.Ptr("t")}
	_, uerr := uc.UpdateInvoice(ctx, uapayInvoiceID, update)
	require.Error(t, uerr)
	values = append(values, uc, *uc, uerr, update, *update, update.CardTo, *update.CardTo, update.CardTo.PAN,
		uapay.Secret(hostileKey))

	values = append(values, residValues(t, ctx, srv.URL)...)

	for i, v := range values {
		out := formatted(v)
		for _, secret := range []string{hostileToken, hostileKey, pan} {
			assert.NotContains(t, out, secret, "value %d (%T) shows a secret", i, v)
		}
	}
}
