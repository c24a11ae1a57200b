package uapay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/caravanpay/caravan/uapay"
	"github.com/caravanpay/caravan/uapay/uapaytest"
)

var verbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%20s", "%-8v", "%T"}

func TestPANRedaction(t *testing.T) {
	pan := uapay.PAN(seedPAN)
	upd := &uapay.InvoiceUpdate{CardTo: &uapay.CardTo{PAN: pan, ID: cardID}, Tag: uapay.Ptr("t")}
	values := []any{pan, &pan, *upd.CardTo, upd.CardTo, upd, *upd, []uapay.PAN{pan}, map[string]uapay.PAN{"p": pan}}
	for _, v := range values {
		for _, verb := range verbs {
			out := fmt.Sprintf(verb, v)
			assert.NotContains(t, out, "0000010", "%s of %T: %s", verb, v, out)
		}
		b, err := json.Marshal(v)
		require.NoError(t, err)
		assert.NotContains(t, string(b), seedPAN)
	}
	assert.Equal(t, "413417******0886", pan.String())
	assert.Equal(t, "413417******0886", fmt.Sprintf("%v", pan))
	assert.Equal(t, `"413417******0886"`, fmt.Sprintf("%q", pan))
	assert.Equal(t, `uapay.PAN("413417******0886")`, fmt.Sprintf("%#v", pan))
	txt, _ := pan.MarshalText()
	assert.Equal(t, "413417******0886", string(txt))
	assert.Equal(t, "0886", pan.Last4())
	assert.Equal(t, "", uapay.PAN("1234").Last4())
	assert.Equal(t, "****", uapay.PAN("1234").Masked())
	assert.Equal(t, "*************", uapay.PAN("41341700000a8").Masked())
	assert.NoError(t, pan.Validate())
	assert.Error(t, uapay.PAN("").Validate())

	var buf bytes.Buffer
	for _, h := range []slog.Handler{slog.NewTextHandler(&buf, nil), slog.NewJSONHandler(&buf, nil)} {
		l := slog.New(h)
		l.Info("card", "pan", pan, "card", upd.CardTo, "update", upd, slog.Any("ptr", &pan))
		l.Info("group", slog.Group("g", "pan", pan))
	}
	assert.Contains(t, buf.String(), "413417******0886")
	assert.NotContains(t, buf.String(), seedPAN)
}

func TestSecretRedaction(t *testing.T) {
	key := uapay.Secret("super-secret-key")
	for _, verb := range verbs {
		assert.NotContains(t, fmt.Sprintf(verb, key), "super", verb)
		assert.NotContains(t, fmt.Sprintf(verb, struct{ K uapay.Secret }{key}), "super", verb)
	}
	b, _ := json.Marshal(struct{ K uapay.Secret }{key})
	assert.Equal(t, `{"K":"[redacted]"}`, string(b))
	txt, _ := key.MarshalText()
	assert.Equal(t, "[redacted]", string(txt))
	assert.Equal(t, "", uapay.Secret("").String())
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("k", "key", key)
	assert.NotContains(t, buf.String(), "super")

	c, err := uapay.NewClient("id", key, uapay.WithBaseURL(uapay.DemoBaseURL))
	require.NoError(t, err)
	for _, verb := range verbs {
		assert.NotContains(t, fmt.Sprintf(verb, c), "super", verb)
		assert.NotContains(t, fmt.Sprintf(verb, *c), "super", verb)
	}
}

// TestNoPANInLogsOrErrors runs calls with a debug logger and checks that
// neither the log records nor the errors hold the card number.
func TestNoPANInLogsOrErrors(t *testing.T) {
	srv := uapaytest.NewServer()
	defer srv.Close()
	id := srv.AddInvoice(uapaytest.Invoice{Amount: 100})
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := fakeClient(t, srv, uapay.WithLogger(logger))
	ctx := context.Background()
	srv.FailNext(1, 503, `{"status":0}`)
	_, err := c.UpdateInvoice(ctx, id, &uapay.InvoiceUpdate{CardTo: &uapay.CardTo{PAN: seedPAN}})
	require.NoError(t, err)
	_, err = c.UpdateInvoice(ctx, "6e391161-94ff-41a3-bd22-c6d77509bff6", &uapay.InvoiceUpdate{CardTo: &uapay.CardTo{PAN: seedPAN}})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), seedPAN)
	assert.NotContains(t, fmt.Sprintf("%+v", err), seedPAN)
	_, err = c.UpdateInvoice(ctx, id, &uapay.InvoiceUpdate{CardTo: &uapay.CardTo{PAN: "4134170000010887"}})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "413417000001088")
	assert.Contains(t, buf.String(), "caravan http attempt")
	assert.NotContains(t, buf.String(), seedPAN)
	inv, _ := srv.Invoice(id)
	assert.Equal(t, "413417******0886", inv.CardToMasked)
}
