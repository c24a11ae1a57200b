package inex

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValidationBeforeSending(t *testing.T) {
	long := strings.Repeat("ჯ", 256) // 256 characters, 768 bytes
	ok255 := strings.Repeat("ჯ", 255)
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		call  func(c *Client) error
		field string
	}{
		{"pay nil", func(c *Client) error { _, err := c.PayDebt(ctx, nil); return err }, "request"},
		{"pay neither number", func(c *Client) error {
			_, err := c.PayDebt(ctx, &PayDebtRequest{PaymentID: "1"})
			return err
		}, "roomNumber"},
		{"pay blank numbers", func(c *Client) error {
			_, err := c.PayDebt(ctx, &PayDebtRequest{RoomNumber: " ", WaybillNumber: "\t", PaymentID: "1"})
			return err
		}, "roomNumber"},
		{"pay control char in waybill", func(c *Client) error {
			_, err := c.PayDebt(ctx, &PayDebtRequest{WaybillNumber: "TY\n1", PaymentID: "1"})
			return err
		}, "waybillNumber"},
		{"pay bad utf-8 room", func(c *Client) error {
			_, err := c.PayDebt(ctx, &PayDebtRequest{RoomNumber: "IG\xff", PaymentID: "1"})
			return err
		}, "roomNumber"},
		{"pay empty payment id", func(c *Client) error {
			_, err := c.PayDebt(ctx, &PayDebtRequest{RoomNumber: "IG00001"})
			return err
		}, "paymentId"},
		{"pay long payment id", func(c *Client) error {
			_, err := c.PayDebt(ctx, &PayDebtRequest{RoomNumber: "IG00001", PaymentID: long})
			return err
		}, "paymentId"},
		{"detail nil", func(c *Client) error { _, err := c.DebtDetail(ctx, nil); return err }, "request"},
		{"detail neither", func(c *Client) error { _, err := c.DebtDetail(ctx, &DebtDetailRequest{}); return err }, "roomNumber"},
		{"top-up nil", func(c *Client) error { _, err := c.TopUpBalance(ctx, nil); return err }, "request"},
		{"top-up no room", func(c *Client) error {
			_, err := c.TopUpBalance(ctx, &TopUpRequest{Amount: 1, PaymentID: "1"})
			return err
		}, "roomNumber"},
		{"top-up control room", func(c *Client) error {
			_, err := c.TopUpBalance(ctx, &TopUpRequest{RoomNumber: "IG\x00", Amount: 1, PaymentID: "1"})
			return err
		}, "roomNumber"},
		{"top-up zero", func(c *Client) error {
			_, err := c.TopUpBalance(ctx, &TopUpRequest{RoomNumber: "IG00001", PaymentID: "1"})
			return err
		}, "amount"},
		{"top-up negative", func(c *Client) error {
			_, err := c.TopUpBalance(ctx, &TopUpRequest{RoomNumber: "IG00001", Amount: -5, PaymentID: "1"})
			return err
		}, "amount"},
		{"top-up too much", func(c *Client) error {
			_, err := c.TopUpBalance(ctx, &TopUpRequest{RoomNumber: "IG00001", Amount: 1_000_001, PaymentID: "1"})
			return err
		}, "amount"},
		{"top-up long id", func(c *Client) error {
			_, err := c.TopUpBalance(ctx, &TopUpRequest{RoomNumber: "IG00001", Amount: 1, PaymentID: long})
			return err
		}, "paymentId"},
		{"customer empty", func(c *Client) error { _, err := c.Customer(ctx, ""); return err }, "roomNumber"},
		{"customer dot-dot", func(c *Client) error { _, err := c.Customer(ctx, ".."); return err }, "roomNumber"},
		{"customer slash", func(c *Client) error { _, err := c.Customer(ctx, "IG/../x"); return err }, "roomNumber"},
		{"wallet query", func(c *Client) error { _, err := c.Wallet(ctx, "IG?x=1"); return err }, "roomNumber"},
		{"wallet control", func(c *Client) error { _, err := c.Wallet(ctx, "IG\r\n"); return err }, "roomNumber"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := mockClient(t) // any request reaching the transport fails the test
			err := tc.call(c)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidRequest)
			assert.True(t, strings.HasPrefix(err.Error(), "inex: invalid request: "+tc.field+": "), err.Error())
			var e *Error
			assert.False(t, errors.As(err, &e), "nothing was sent")
		})
	}

	// The limits themselves are allowed.
	c, mt := mockClient(t)
	mt.RegisterResponder(http.MethodPost, testBase+"/integrators/payments/debts/pay", httpmock.NewStringResponder(200, seedPayReply))
	mt.RegisterResponder(http.MethodPost, testBase+"/integrators/payments/balance/top-up", httpmock.NewStringResponder(200, seedPayReply))
	_, err := c.PayDebt(ctx, &PayDebtRequest{WaybillNumber: "TY1", PaymentID: ok255})
	assert.NoError(t, err, "255 characters, more bytes")
	_, err = c.TopUpBalance(ctx, &TopUpRequest{RoomNumber: "IG00001", Amount: MaxTopUpAmount, PaymentID: "a"})
	assert.NoError(t, err)
	_, err = c.TopUpBalance(ctx, &TopUpRequest{RoomNumber: "IG00001", Amount: MinTopUpAmount, PaymentID: "b"})
	assert.NoError(t, err)
}

func TestNewClient(t *testing.T) {
	for _, tok := range []string{"", "  ", "a b", "tok\r\nX-Evil: 1"} {
		_, err := NewClient(tok, WithBaseURL(StagingBaseURL))
		assert.ErrorIs(t, err, ErrInvalidRequest, "%q", tok)
		assert.ErrorContains(t, err, "token")
	}
	for _, u := range []string{"ftp://x", "https://user:pw@x/api", "::", "https:///nohost"} {
		_, err := NewClient("t", WithBaseURL(u))
		assert.ErrorIs(t, err, ErrInvalidRequest, u)
		assert.True(t, strings.HasPrefix(err.Error(), "inex: "), err.Error())
	}
	_, err := NewClient("t")
	var ie *InvalidRequestError
	require.ErrorAs(t, err, &ie, "no base URL: no default host")
	assert.Equal(t, "WithBaseURL", ie.Field)
	c, err := NewClient("t", WithBaseURL(StagingBaseURL))
	require.NoError(t, err)
	assert.Equal(t, StagingBaseURL, c.BaseURL())
	c, err = NewClient("t", WithBaseURL("https://api.example.ge/api/v1/"), Option{})
	require.NoError(t, err)
	assert.Equal(t, "https://api.example.ge/api/v1", c.BaseURL())
}

func TestTokenNeverPrinted(t *testing.T) {
	const token = "super-secret-token-42"
	var logs bytes.Buffer
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Fatal))
	mt.RegisterResponder(http.MethodPost, testBase+"/integrators/payments/debts/pay", httpmock.NewStringResponder(403, doc403))
	c, err := NewClient(token, WithBaseURL(testBase), WithHTTPClient(&http.Client{Transport: mt}),
		WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
		WithUserAgent("shop/1.0"), WithTimeout(time.Second), WithMaxBodyBytes(1<<16))
	require.NoError(t, err)
	_, err = c.PayDebt(context.Background(), &PayDebtRequest{RoomNumber: "IG00001", PaymentID: "1"})
	require.ErrorIs(t, err, ErrUnauthorized)
	for _, s := range []string{
		fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%+v", *c),
		fmt.Sprintf("%#v", *c), err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), logs.String(),
	} {
		assert.NotContains(t, s, token)
	}
	assert.Contains(t, logs.String(), "/integrators/payments/debts/pay", "the logger was used")
}

func TestUserAgentOption(t *testing.T) {
	c, mt := mockClient(t, WithUserAgent("caravan-go/test shop"))
	var got captured
	mt.RegisterResponder(http.MethodGet, testBase+"/integrators/payments/wallet/IG1", record(&got, 200, `{"data":[]}`))
	w, err := c.Wallet(context.Background(), "IG1")
	require.NoError(t, err)
	assert.Empty(t, w)
	assert.Equal(t, "caravan-go/test shop", got.header.Get("User-Agent"))
}

func TestMaxBodyBytes(t *testing.T) {
	c, mt := mockClient(t, WithMaxBodyBytes(64))
	mt.RegisterResponder(http.MethodGet, testBase+"/integrators/payments/wallet/IG1",
		httpmock.NewStringResponder(200, `{"data":[`+strings.Repeat(`{"amount":1,"currency":"USD"},`, 10)+`]}`))
	_, err := c.Wallet(context.Background(), "IG1")
	assert.ErrorIs(t, err, ErrUnexpectedResponse)
}

func TestRetryDisabled(t *testing.T) {
	c, mt := mockClient(t, WithRetry(0, 0, 0))
	calls := 0
	mt.RegisterResponder(http.MethodGet, testBase+"/integrators/users/detail/IG1", func(*http.Request) (*http.Response, error) {
		calls++
		return httpmock.NewStringResponse(500, `{"message":"Server Error"}`), nil
	})
	_, err := c.Customer(context.Background(), "IG1")
	assert.ErrorIs(t, err, ErrServer)
	assert.ErrorContains(t, err, "Server Error")
	assert.Equal(t, 1, calls)
}
