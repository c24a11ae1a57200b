package resilience

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/caravanpay/caravan/activeplatform"
	"github.com/caravanpay/caravan/inex"
	"github.com/caravanpay/caravan/payguest"
	"github.com/caravanpay/caravan/resid"
	"github.com/caravanpay/caravan/uapay"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// subject is one provider's representative call, for hostile-server tests.
type subject struct {
	name string
	// seed is the document's own success body for the call.
	seed []byte
	// side answers the provider's other endpoints the call needs (UAPAY's
	// session); nil when there are none.
	side func(w http.ResponseWriter, r *http.Request) bool
	// build makes one client for base over hc (nil: the SDK's own pooled
	// transport) and returns its call.
	build func(base string, hc *http.Client) (func(ctx context.Context) error, error)
	// typed reports whether err is the provider's own error type.
	typed func(err error) bool
	// secrets are the credentials the call uses, for the redirect and
	// secrets tests.
	secrets []string
	// nullsTolerated is true when a success reply whose every field is null
	// still describes a done call: pay-guest's reply only reports the
	// points discount, and the payment is made either way.
	nullsTolerated bool
}

const (
	uapaySessionID = "00684a7f-3d5c-43f4-b4d1-ea994226be9c"
	uapayInvoiceID = "065f927e-f78f-4d9a-ad07-cef58c16ca96"
	hostileToken   = "hostile-secret-token-1234"
	hostileKey     = "hostile-sign-key-abcdef"
)

func subjects(t *testing.T) []subject {
	apSeed, err := os.ReadFile("../../activeplatform/testdata/complete_payment_response.json")
	require.NoError(t, err)
	fast := func() (int, time.Duration, time.Duration) { return 3, time.Millisecond, 2 * time.Millisecond } // the default count, short waits
	return []subject{
		{
			name: "activeplatform CompletePayment",
			seed: apSeed,
			build: func(base string, hc *http.Client) (func(ctx context.Context) error, error) {
				c, err := activeplatform.NewClient(hostileToken, activeplatform.WithBaseURL(base), activeplatform.WithHTTPClient(hc), activeplatform.WithRetry(fast()))
				if err != nil {
					return nil, err
				}
				return func(ctx context.Context) error {
					_, err := c.CompletePayment(ctx, &activeplatform.CompletePaymentRequest{ResellerID: 1, PaymentID: 6475, PaymentMethodID: 2})
					return err
				}, nil
			},
			typed:   func(err error) bool { var e *activeplatform.Error; return errors.As(err, &e) },
			secrets: []string{hostileToken},
		},
		{
			name: "inex PayDebt",
			seed: []byte(`{"data":{"transactionId":123456}}`),
			build: func(base string, hc *http.Client) (func(ctx context.Context) error, error) {
				c, err := inex.NewClient(hostileToken, inex.WithBaseURL(base), inex.WithHTTPClient(hc), inex.WithRetry(fast()))
				if err != nil {
					return nil, err
				}
				return func(ctx context.Context) error {
					_, err := c.PayDebt(ctx, &inex.PayDebtRequest{RoomNumber: "IG00001", PaymentID: "INV0001"})
					return err
				}, nil
			},
			typed:   func(err error) bool { var e *inex.Error; return errors.As(err, &e) },
			secrets: []string{hostileToken},
		},
		{
			name: "payguest PayGuest",
			seed: []byte(`{"DiscountSums":[{"type_ID":"60D367B5-15D2-D24D-8A74-A28F40C8CB9D","sum":20}],"AppliedDiscountSums":[{"type_ID":"0412C97B-AF11-2447-88D9-B40FA0EB996D","sum":20}]}`),
			build: func(base string, hc *http.Client) (func(ctx context.Context) error, error) {
				c, err := payguest.NewClient(payguest.WithBaseURL(base), payguest.WithHTTPClient(hc), payguest.WithRetry(fast()),
					payguest.WithHeader("X-Proxy-Key", hostileToken))
				if err != nil {
					return nil, err
				}
				return func(ctx context.Context) error {
					_, err := c.PayGuest(ctx, &payguest.PayGuestRequest{Payment: payguest.Payment{
						GuestID: "3F2504E0-4F89-11D3-9A0C-0305E82C3301", PaySum: payguest.MustDecimal("100")}})
					return err
				}, nil
			},
			typed:          func(err error) bool { var e *payguest.Error; return errors.As(err, &e) },
			secrets:        []string{hostileToken},
			nullsTolerated: true,
		},
		{
			name: "resid GetPayment",
			seed: []byte(`{"message":"OK","info":{"merchant":{"display_name":"","display_image":"","display_biz_name":""},` +
				`"description":"","payer":"0938*****25","created":"2017-05-14T14:01:50.632640+04:30","amount":10000,"paid":null,` +
				`"token":"AsF42Sg53","outcome":{"rrn":"bank_reference_code","total_amount":10000,"tip":0,"state":"pending",` +
				`"state_error":null,"method":"asanpardakht"},"payload":""},"errors":[]}`),
			build: func(base string, hc *http.Client) (func(ctx context.Context) error, error) {
				c, err := resid.NewClient(hostileToken, resid.WithBaseURL(base), resid.WithHTTPClient(hc), resid.WithRetry(fast()))
				if err != nil {
					return nil, err
				}
				return func(ctx context.Context) error {
					_, err := c.GetPayment(ctx, "AsF42Sg53")
					return err
				}, nil
			},
			typed:   func(err error) bool { var e *resid.Error; return errors.As(err, &e) },
			secrets: []string{hostileToken},
		},
		{
			name: "uapay UpdateInvoice",
			seed: []byte(`{"status":1,"data":{"id":"edacfce8-eb97-4f4f-8fa2-0fb044932ac3"}}`),
			side: func(w http.ResponseWriter, r *http.Request) bool {
				if !strings.HasSuffix(r.URL.Path, "/sessions/create") {
					return false
				}
				_, _ = io.WriteString(w, `{"status":"1","id":"`+uapaySessionID+`"}`)
				return true
			},
			build: func(base string, hc *http.Client) (func(ctx context.Context) error, error) {
				c, err := uapay.NewClient("client-1", uapay.Secret(hostileKey), uapay.WithBaseURL(base), uapay.WithHTTPClient(hc), uapay.WithRetry(fast()))
				if err != nil {
					return nil, err
				}
				return func(ctx context.Context) error {
					_, err := c.UpdateInvoice(ctx, uapayInvoiceID, &uapay.InvoiceUpdate{
						CardTo: &uapay.CardTo{PAN: "4134170000010886"}, Tag: uapay.Ptr("t")})
					return err
				}, nil
			},
			typed:   func(err error) bool { var e *uapay.Error; return errors.As(err, &e) },
			secrets: []string{hostileKey, "4134170000010886"},
		},
	}
}

// serve answers the subject's side endpoints and hands the rest to h.
func serve(s subject, h http.HandlerFunc) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.side != nil && s.side(w, r) {
			return
		}
		h(w, r)
	}))
}

func replyWith(status int, contentType string, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}
}

// call runs s against srv and fails the test on a panic.
func callSubject(t *testing.T, s subject, base string, timeout time.Duration) (err error) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("%s panicked: %v", s.name, p)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	call, err := s.build(base, &http.Client{})
	if err != nil {
		return err
	}
	return call(ctx)
}

func TestHostileBodiesAreTypedErrors(t *testing.T) {
	for _, s := range subjects(t) {
		cases := []struct {
			name     string
			h        http.HandlerFunc
			mustFail bool
		}{
			{"html error page", replyWith(502, "text/html", []byte("<html><body><h1>502 Bad Gateway</h1></body></html>")), true},
			{"html with 200", replyWith(200, "text/html", []byte("<!DOCTYPE html><html>maintenance</html>")), true},
			{"empty 200", replyWith(200, "application/json", nil), true},
			{"truncated json", replyWith(200, "application/json", s.seed[:len(s.seed)/2]), true},
			{"bare json string", replyWith(200, "application/json", []byte(`"something went wrong"`)), true},
			{"bare string on 500", replyWith(500, "application/json", []byte(`"Internal error"`)), true},
			{"deeply nested", replyWith(200, "application/json", deepNest(100000)), true},
			{"json array", replyWith(200, "application/json", []byte(`[1,2,3]`)), true},
			{"xml", replyWith(200, "application/xml", []byte(`<?xml version="1.0"?><error/>`)), true},
			{"wrong content type, right body", replyWith(200, "text/plain", s.seed), false},
			{"invalid utf-8", replyWith(200, "application/json", bytes.ReplaceAll(s.seed, []byte(`"`), []byte("\"\xff\xfe"))), false},
			{"null everywhere", replyWith(200, "application/json", mutate(s.seed, allNull)), !s.nullsTolerated},
			{"kinds swapped", replyWith(200, "application/json", mutate(s.seed, swapKinds)), false},
			{"binary garbage", replyWith(200, "application/octet-stream", []byte{0, 1, 2, 0xff, 0xfe, '{'}), true},
		}
		for _, tc := range cases {
			t.Run(s.name+"/"+tc.name, func(t *testing.T) {
				srv := serve(s, tc.h)
				defer srv.Close()
				err := callSubject(t, s, srv.URL, 5*time.Second)
				if tc.mustFail {
					require.Error(t, err)
				}
				if err != nil {
					assert.True(t, s.typed(err), "untyped error %T: %v", err, err)
					assert.LessOrEqual(t, len(err.Error()), 2048, "error text stays short")
					for _, secret := range s.secrets {
						assert.NotContains(t, fmt.Sprintf("%v %+v %#v", err, err, err), secret)
					}
				}
			})
		}
	}
}

func TestHugeBodyStopsAtTheCap(t *testing.T) {
	for _, s := range subjects(t) {
		t.Run(s.name, func(t *testing.T) {
			srv := serve(s, func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, `{"data":"`)
				chunk := bytes.Repeat([]byte("a"), 1<<20)
				for i := 0; i < 1024; i++ { // 1 GiB, streamed
					if _, err := w.Write(chunk); err != nil {
						return
					}
				}
			})
			defer srv.Close()
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			err := callSubject(t, s, srv.URL, 30*time.Second)
			runtime.ReadMemStats(&after)
			require.Error(t, err)
			assert.True(t, s.typed(err), "untyped error %T: %v", err, err)
			assert.ErrorIs(t, err, errUnexpectedResponse)
			assert.Contains(t, err.Error(), "exceeds the size limit")
			assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(128<<20), "the body must not be held whole")
		})
	}
}

func TestSilentServerHonoursTheDeadline(t *testing.T) {
	for _, s := range subjects(t) {
		t.Run(s.name, func(t *testing.T) {
			release := make(chan struct{})
			srv := serve(s, func(w http.ResponseWriter, r *http.Request) {
				select {
				case <-release:
				case <-r.Context().Done():
				}
			})
			defer srv.Close()
			defer close(release)
			const deadline = 300 * time.Millisecond
			start := time.Now()
			err := callSubject(t, s, srv.URL, deadline)
			elapsed := time.Since(start)
			require.Error(t, err)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.True(t, s.typed(err), "untyped error %T: %v", err, err)
			assert.Less(t, elapsed, deadline+100*time.Millisecond, "deadline honoured to within 100 ms")
		})
	}
}
