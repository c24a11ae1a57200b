package uapay_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/caravanpay/caravan/uapay"
	"github.com/caravanpay/caravan/uapay/uapaytest"
)

const hs256 = `{"alg":"HS256","typ":"JWT"}`

func parse(t *testing.T, c *uapay.Client, tok string) (*uapay.Callback, error) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/cb", strings.NewReader(`{"token":"`+tok+`"}`))
	return c.ParseCallback(req)
}

func callbackClient(t *testing.T) *uapay.Client {
	t.Helper()
	c, err := uapay.NewClient(uapaytest.ClientID, uapaytest.SignKey, uapay.WithBaseURL("http://127.0.0.1:1"))
	require.NoError(t, err)
	return c
}

// TestCallbackTokenHasOneSpelling alters a signed token's encoding without
// the key — padding, unused trailing bits, line breaks, standard base64 —
// and expects only the original to verify.
func TestCallbackTokenHasOneSpelling(t *testing.T) {
	c := callbackClient(t)
	tok := token(hs256, `{"paymentId":"p-1","invoiceId":"i-1","amount":100}`, uapaytest.SignKey)
	parts := strings.Split(tok, ".")
	sig := parts[2] // 43 characters: the last carries 2 unused bits
	last := sig[len(sig)-1]
	alphabet := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	idx := strings.IndexByte(alphabet, last)
	var variants []string
	for bits := 1; bits < 4; bits++ { // the same 256 bits, other unused bits
		variants = append(variants, parts[0]+"."+parts[1]+"."+sig[:len(sig)-1]+string(alphabet[idx^bits]))
	}
	variants = append(variants,
		tok+"=",
		parts[0]+"."+parts[1]+"."+sig+"=",
		parts[0]+"=."+parts[1]+"."+sig,
		parts[0]+"."+parts[1]+`\n.`+sig,
		parts[0]+"."+parts[1]+"."+base64.StdEncoding.EncodeToString(mustDecode(t, sig)),
	)
	_, err := parse(t, c, tok)
	require.NoError(t, err)
	accepted := 0
	for _, v := range variants {
		if _, err := parse(t, c, v); err == nil {
			accepted++
			t.Errorf("accepted a second spelling: %s", v)
		}
	}
	t.Logf("%d altered spellings of one signed token: %d accepted", len(variants), accepted)
}

func mustDecode(t *testing.T, s string) []byte {
	b, err := base64.RawURLEncoding.DecodeString(s)
	require.NoError(t, err)
	return b
}

func TestCallbackClaimNamesAreExactAndUnique(t *testing.T) {
	c := callbackClient(t)
	sign := func(claims string) string { return token(hs256, claims, uapaytest.SignKey) }

	cb, err := parse(t, c, sign(`{"paymentId":"p","amount":100,"Amount":999999,"PAYMENTSTATUS":"PAYED"}`))
	require.NoError(t, err)
	assert.Equal(t, int64(100), cb.Amount, "a claim named Amount is not amount")
	assert.Empty(t, cb.PaymentStatus)

	cb, err = parse(t, c, sign(`{"paymentId":"p","Amount":999999}`))
	require.NoError(t, err)
	assert.Zero(t, cb.Amount)

	for name, claims := range map[string]string{
		"duplicate amount":         `{"paymentId":"p","amount":100,"amount":999999}`,
		"duplicate id":             `{"paymentId":"p","paymentId":"q"}`,
		"duplicate nested":         `{"paymentId":"p","extraInfo":{"a":1,"a":2}}`,
		"deep nesting":             `{"paymentId":"p","extraInfo":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`,
		"moderately deep":          `{"paymentId":"p","extraInfo":` + strings.Repeat(`{"a":`, 40) + `1` + strings.Repeat("}", 40) + `}`,
		"two documents":            `{"paymentId":"p"}{"paymentId":"q"}`,
		"trailing garbage":         `{"paymentId":"p"} x`,
		"amount text":              `{"paymentId":"p","amount":"lots"}`,
		"exp not seconds":          `{"paymentId":"p","exp":"soon"}`,
		"claims are an array":      `[{"paymentId":"p"}]`,
		"claims are a bare string": `"paymentId"`,
	} {
		_, err := parse(t, c, sign(claims))
		assert.ErrorIs(t, err, uapay.ErrCallback, name)
		assert.NotErrorIs(t, err, uapay.ErrSignature, "%s: the signature is valid", name)
	}
	_, err = parse(t, c, token(hs256, `{"paymentId":"p","amount":1}`, "another-key"))
	assert.ErrorIs(t, err, uapay.ErrSignature)
}

// TestCallbackLegacyClaimNames reads the claim names UAPAY's own 1C-Bitrix
// handler still accepts, with millisecond dates in strings, and prefers the
// documented names when both are present.
func TestCallbackLegacyClaimNames(t *testing.T) {
	c := callbackClient(t)
	claims := `{"id":"legacy-pay","orderId":"legacy-inv","number":"N-7","cardPanMasked":"413417******0886",` +
		`"amount":"10050","paymentStatus":"FINISHED","createDate":"1572571847797","payDate":"1572571860000"}`
	cb, err := parse(t, c, token(hs256, claims, uapaytest.SignKey))
	require.NoError(t, err)
	assert.Equal(t, "legacy-pay", cb.PaymentID)
	assert.Equal(t, "legacy-inv", cb.InvoiceID)
	assert.Equal(t, "N-7", cb.PaymentNumber)
	assert.Equal(t, "413417******0886", cb.CardFromMasked)
	assert.Equal(t, int64(10050), cb.Amount)
	assert.Equal(t, time.UnixMilli(1572571847797).UTC(), cb.CreateDate)
	require.NotNil(t, cb.PayDate)
	assert.Equal(t, time.UnixMilli(1572571860000).UTC(), *cb.PayDate)

	both := `{"paymentId":"new","id":"old","invoiceId":"inv-new","orderId":"inv-old","paymentNumber":"P","number":"old-n"}`
	cb, err = parse(t, c, token(hs256, both, uapaytest.SignKey))
	require.NoError(t, err)
	assert.Equal(t, "new", cb.PaymentID, "the documented name first")
	assert.Equal(t, "inv-new", cb.InvoiceID)
	assert.Equal(t, "P", cb.PaymentNumber)
}

func TestDeliveryKey(t *testing.T) {
	c := callbackClient(t)
	base := `{"paymentId":"p","invoiceId":"i","amount":100,"paymentStatus":"FINISHED","status":"PAID","payDate":"1572571860000"`
	first, err := parse(t, c, token(hs256, base+`,"iat":1}`, uapaytest.SignKey))
	require.NoError(t, err)
	again, err := parse(t, c, token(hs256, base+`,"iat":2}`, uapaytest.SignKey))
	require.NoError(t, err)
	assert.Equal(t, first.DeliveryKey(), again.DeliveryKey(), "a redelivery (fresh iat) has the same key")
	assert.Len(t, first.DeliveryKey(), 32)
	reversed, err := parse(t, c, token(hs256, strings.Replace(base, "FINISHED", "REVERSED", 1)+`}`, uapaytest.SignKey))
	require.NoError(t, err)
	assert.NotEqual(t, first.DeliveryKey(), reversed.DeliveryKey(), "a new status is a new event")
	other, err := parse(t, c, token(hs256, strings.Replace(base, `"amount":100`, `"amount":101`, 1)+`}`, uapaytest.SignKey))
	require.NoError(t, err)
	assert.NotEqual(t, first.DeliveryKey(), other.DeliveryKey())
}

// TestRedeliveriesApplyOnce delivers one callback 1 000 times, concurrently,
// to a handler that deduplicates on DeliveryKey.
func TestRedeliveriesApplyOnce(t *testing.T) {
	srv := uapaytest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv)
	store := newPaymentStore()
	var calls atomic.Int32
	h := httptest.NewServer(c.CallbackHandler(func(ctx context.Context, cb *uapay.Callback) error {
		calls.Add(1)
		store.applyOnce(cb.DeliveryKey(), cb.Amount)
		return nil
	}))
	defer h.Close()
	cb := uapaytest.Callback{PaymentID: "p-9", InvoiceID: uapaytest.SeedInvoiceID, Amount: 500, PaymentStatus: "FINISHED"}
	errs := make(chan error, 1000)
	for i := 0; i < 1000; i++ {
		go func() { errs <- srv.SendCallback(context.Background(), h.URL, cb) }()
	}
	for i := 0; i < 1000; i++ {
		require.NoError(t, <-errs)
	}
	assert.Equal(t, int32(1000), calls.Load(), "every delivery is answered")
	assert.Equal(t, int64(500), store.total(), "applied once")
}
