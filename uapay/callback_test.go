package uapay_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/caravanpay/caravan/uapay"
	"github.com/caravanpay/caravan/uapay/uapaytest"
)

func TestCallbackHandler(t *testing.T) {
	srv := uapaytest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv)
	var mu sync.Mutex
	var got []*uapay.Callback
	fail := false
	h := httptest.NewServer(c.CallbackHandler(func(ctx context.Context, cb *uapay.Callback) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, cb)
		if fail {
			return errors.New("db down")
		}
		return nil
	}))
	defer h.Close()
	ctx := context.Background()
	cb := uapaytest.Callback{PaymentID: "a1b2", InvoiceID: invoiceID, ExternalID: "order-7", PaymentNumber: "N-1",
		CardFromMasked: "413417******0886", CardToMasked: "516875******1234", Amount: 10050, Status: "FINISHED",
		Type: "PAY", SystemType: "ECOM", PaymentStatus: "PAYED", ReceiptPath: "https://r.example/1",
		ExtraInfo: []byte(`"{\"a\":1}"`), CreateDate: "2019-11-01T04:30:47.797+0300", PayDate: "2019-11-01T04:31:00Z"}
	require.NoError(t, srv.SendCallback(ctx, h.URL, cb))
	require.Len(t, got, 1)
	g := got[0]
	assert.Equal(t, "a1b2", g.PaymentID)
	assert.Equal(t, invoiceID, g.InvoiceID)
	assert.Equal(t, "order-7", g.ExternalID)
	assert.Equal(t, "N-1", g.PaymentNumber)
	assert.Equal(t, "413417******0886", g.CardFromMasked)
	assert.Equal(t, "516875******1234", g.CardToMasked)
	assert.Equal(t, int64(10050), g.Amount)
	assert.Equal(t, "FINISHED", g.Status)
	assert.Equal(t, uapay.TypePay, g.Type)
	assert.Equal(t, uapay.SystemECOM, g.SystemType)
	assert.Equal(t, uapay.PaymentPayed, g.PaymentStatus)
	assert.Equal(t, "https://r.example/1", g.ReceiptPath)
	assert.JSONEq(t, `{"a":1}`, string(g.ExtraInfo))
	assert.Equal(t, int64(1572571847), g.CreateDate.Unix())
	require.NotNil(t, g.PayDate)
	assert.Equal(t, int64(1572582660), g.PayDate.Unix())

	// fn fails: 500, so UAPAY would retry
	fail = true
	err := srv.SendCallback(ctx, h.URL, uapaytest.Callback{PaymentID: "x", PaymentStatus: "NEW_STATUS"})
	assert.ErrorContains(t, err, "HTTP 500")
	assert.Equal(t, uapay.PaymentStatus("NEW_STATUS"), got[1].PaymentStatus)

	post := func(body string) int {
		resp, err := http.Post(h.URL, "application/json", strings.NewReader(body))
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	claims := `{"paymentId":"p","invoiceId":"i","amount":1}`
	hs := `{"alg":"HS256","typ":"JWT"}`
	badSig := token(hs, claims, uapaytest.SignKey)
	badSig = badSig[:len(badSig)-2] + "AA"
	none := strings.Join(strings.Split(token(`{"alg":"none"}`, claims, ""), ".")[:2], ".") + "."
	cases := map[string]struct {
		body string
		want int
	}{
		"wrong key":     {`{"token":"` + token(hs, claims, "other-key") + `"}`, 401},
		"bad signature": {`{"token":"` + badSig + `"}`, 401},
		"alg none":      {`{"token":"` + none + `"}`, 401},
		"alg HS512":     {`{"token":"` + token(`{"alg":"HS512"}`, claims, uapaytest.SignKey) + `"}`, 401},
		"alg RS256":     {`{"token":"` + token(`{"alg":"RS256"}`, claims, uapaytest.SignKey) + `"}`, 401},
		"expired":       {`{"token":"` + token(hs, `{"paymentId":"p","exp":1000}`, uapaytest.SignKey) + `"}`, 401},
		"not yet":       {`{"token":"` + token(hs, `{"paymentId":"p","nbf":99999999999}`, uapaytest.SignKey) + `"}`, 401},
		"exp text":      {`{"token":"` + token(hs, `{"paymentId":"p","exp":"soon"}`, uapaytest.SignKey) + `"}`, 400}, // signed, malformed
		"claims array":  {`{"token":"` + token(hs, `[1]`, uapaytest.SignKey) + `"}`, 400},
		"header junk":   {`{"token":"!!!.e30.AA"}`, 401},
		"header text":   {`{"token":"` + token(`nope`, claims, uapaytest.SignKey) + `"}`, 401},
		"two parts":     {`{"token":"a.b"}`, 401},
		"sig junk":      {`{"token":"eyJhbGciOiJIUzI1NiJ9.e30.!!"}`, 401},
		"no ids":        {`{"token":"` + token(hs, `{"amount":1}`, uapaytest.SignKey) + `"}`, 400},
		"amount float":  {`{"token":"` + token(hs, `{"paymentId":"p","amount":1.5}`, uapaytest.SignKey) + `"}`, 400},
		"not json":      {`token=abc`, 400},
		"no token":      {`{"data":{}}`, 400},
		"token number":  {`{"token":5}`, 400},
		"too large":     {`{"token":"` + strings.Repeat("a", uapay.MaxCallbackBytes) + `"}`, 400},
	}
	for name, tc := range cases {
		assert.Equal(t, tc.want, post(tc.body), name)
	}
	resp, err := http.Get(h.URL)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	assert.Len(t, got, 2, "fn ran only for verified callbacks")

	// ParseCallback reports the sentinel
	req := httptest.NewRequest(http.MethodPost, "/cb", strings.NewReader(`{"token":"`+none+`"}`))
	_, err = c.ParseCallback(req)
	assert.ErrorIs(t, err, uapay.ErrSignature)
	req = httptest.NewRequest(http.MethodPost, "/cb", strings.NewReader(`[`))
	_, err = c.ParseCallback(req)
	assert.ErrorIs(t, err, uapay.ErrCallback)
	req = httptest.NewRequest(http.MethodPost, "/cb", errReader{})
	_, err = c.ParseCallback(req)
	assert.ErrorIs(t, err, uapay.ErrCallback)
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("boom") }
