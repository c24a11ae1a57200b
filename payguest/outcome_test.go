package payguest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/caravanpay/caravan/payguest/payguesttest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const outcomeBill = "3F2504E0-4F89-11D3-9A0C-0305E82C3301"

// wrapping passes every request to the real transport, the way otelhttp
// does, and fires no httptrace hook of its own; lose makes it drop the
// reply after the server processed the request.
type wrapping struct {
	next  http.RoundTripper
	lose  atomic.Bool
	calls atomic.Int32
}

func (w *wrapping) RoundTrip(r *http.Request) (*http.Response, error) {
	w.calls.Add(1)
	resp, err := w.next.RoundTrip(r)
	if err == nil && w.lose.Load() {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return nil, errors.New("read: connection reset by peer")
	}
	return resp, err
}

func TestWrappingTransportKeepsTheOutcomeGuarantees(t *testing.T) {
	rt := &wrapping{next: http.DefaultTransport}
	srv, c := fakeClient(t, WithHTTPClient(&http.Client{Transport: rt}))
	srv.AddBill(payguesttest.Bill{ID: outcomeBill, Open: "1240.50", PrepaidPayTypeID: payguesttest.ExamplePayTypeID})
	rt.lose.Store(true)
	_, err := c.PayGuest(context.Background(), &PayGuestRequest{Payment: Payment{GuestID: outcomeBill, PaySum: MustDecimal("1240.50")}})
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.False(t, SafeToRepeat(err))
	assert.Equal(t, int32(1), rt.calls.Load(), "a payment whose reply was lost is never resent")
	assert.Len(t, srv.Payments(), 1)
}

func TestPayGuestOversizedOrUnreadable2xxIsOutcomeUnknown(t *testing.T) {
	for name, body := range map[string]string{
		"oversized": `{"DiscountSums":[` + strings.Repeat(`{"type_ID":"60D367B5-15D2-D24D-8A74-A28F40C8CB9D","sum":1},`, 100) + `{}]}`,
		"html":      "<html><body>OK</body></html>",
		"truncated": `{"DiscountSums":[{"type_ID":"60D3`,
	} {
		t.Run(name, func(t *testing.T) {
			hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
				return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
					Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
			})}
			c, err := NewClient(WithBaseURL("http://tillypad.example"), WithHTTPClient(hc), WithMaxBodyBytes(1024), WithRetry(0, 0, 0))
			require.NoError(t, err)
			_, err = c.PayGuest(context.Background(), &PayGuestRequest{Payment: Payment{GuestID: outcomeBill, PaySum: MustDecimal("1")}})
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrOutcomeUnknown)
			assert.False(t, SafeToRepeat(err))
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
