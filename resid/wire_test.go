package resid_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/caravanpay/caravan/resid"
)

const (
	mockBase = "https://resid.example/api/v1"
	mockCode = "AUTH-code-42"
)

// The seed's example replies, with its curly quotes straightened and the
// trailing comma after display_biz_name removed (documentation slips).
const (
	seedCreate  = `{"message": "OK", "info": {"token": "AsF42Sg53"}, "errors": []}`
	seedCollect = `{"message": "OK", "info": {}, "errors": []}`
	seedPayment = `{
  "merchant": {"display_name": "", "display_image": "", "display_biz_name": ""},
  "description": "",
  "payer": "0938*****25",
  "created": "2017-05-14T14:01:50.632640+04:30",
  "amount": 10000,
  "paid": null,
  "token": "AsF42Sg53",
  "outcome": {"rrn": "bank_reference_code", "total_amount": 10000, "tip": 0, "state": "pending",
    "state_error": null, "method": "asanpardakht"},
  "payload": ""
}`
	seedGet  = `{"message": "OK", "info": ` + seedPayment + `, "errors": []}`
	seedList = `{"message": "OK", "info": [` + seedPayment + `], "errors": []}`
)

// captured is what a responder saw, asserted after the call.
type captured struct {
	method, url, body string
	header            http.Header
	n                 int
}

func respond(c *captured, status int, body string, headers ...string) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		c.n++
		c.method, c.url, c.header = req.Method, req.URL.String(), req.Header.Clone()
		if req.Body != nil {
			b, _ := io.ReadAll(req.Body)
			c.body = string(b)
		}
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		for i := 0; i+1 < len(headers); i += 2 {
			resp.Header.Set(headers[i], headers[i+1])
		}
		return resp, nil
	}
}

func newMock(t *testing.T, opts ...resid.Option) (*httpmock.MockTransport, *resid.Client) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Fatal))
	opts = append([]resid.Option{resid.WithBaseURL(mockBase), resid.WithHTTPClient(&http.Client{Transport: mt}),
		resid.WithRetry(3, time.Millisecond, 5*time.Millisecond)}, opts...)
	c, err := resid.NewClient(mockCode, opts...)
	require.NoError(t, err)
	return mt, c
}

func assertHeaders(t *testing.T, c *captured, contentType string) {
	t.Helper()
	assert.Equal(t, []string{mockCode}, c.header.Values("Authorization"), "raw code, no Bearer")
	assert.Equal(t, "application/json", c.header.Get("Accept"))
	assert.True(t, strings.HasPrefix(c.header.Get("User-Agent"), "caravan-go/"), c.header.Get("User-Agent"))
	assert.Equal(t, contentType, c.header.Get("Content-Type"))
}

func TestCreatePaymentWire(t *testing.T) {
	mt, c := newMock(t)
	var got captured
	mt.RegisterResponder("POST", mockBase+"/payments", respond(&got, 200, seedCreate))

	token, err := tokenOf(c.CreatePayment(context.Background(), &resid.CreatePaymentRequest{
		Amount: 10000, Merchant: "faSDF42w3Fs", Description: "fare & tip", Payload: "ride=7",
		AutoCollect: resid.Ptr(false), PreferredMethod: "asanpardakht",
	}))
	require.NoError(t, err)
	assert.Equal(t, "AsF42Sg53", token)
	assert.Equal(t, "POST", got.method)
	assert.Equal(t, mockBase+"/payments", got.url)
	assertHeaders(t, &got, "application/x-www-form-urlencoded")
	assert.Equal(t, "amount=10000&auto_collect=false&description=fare+%26+tip&merchant=faSDF42w3Fs&payload=ride%3D7&preferred_method=asanpardakht", got.body)

	// the document's curl: only merchant and amount; auto_collect unset is not sent
	_, err = tokenOf(c.CreatePayment(context.Background(), &resid.CreatePaymentRequest{Amount: 10000, Merchant: "faSDF42w3Fs"}))
	require.NoError(t, err)
	assert.Equal(t, "amount=10000&merchant=faSDF42w3Fs", got.body)

	_, err = tokenOf(c.CreatePayment(context.Background(), &resid.CreatePaymentRequest{Amount: 1, Merchant: "m", AutoCollect: resid.Ptr(true)}))
	require.NoError(t, err)
	assert.Equal(t, "amount=1&auto_collect=true&merchant=m", got.body)
}

func TestGetPaymentWireAndSeedDecode(t *testing.T) {
	mt, c := newMock(t)
	var got captured
	mt.RegisterResponder("GET", mockBase+"/payments/AsF42Sg53", respond(&got, 200, seedGet))

	p, err := c.GetPayment(context.Background(), "AsF42Sg53")
	require.NoError(t, err)
	assert.Equal(t, "GET", got.method)
	assert.Equal(t, mockBase+"/payments/AsF42Sg53", got.url)
	assertHeaders(t, &got, "")
	assert.Empty(t, got.body)
	assertSeedPayment(t, p)
}

func assertSeedPayment(t *testing.T, p *resid.Payment) {
	t.Helper()
	assert.Equal(t, resid.Merchant{}, p.Merchant)
	assert.Equal(t, "", p.Description)
	assert.Equal(t, "0938*****25", p.Payer)
	want := time.Date(2017, 5, 14, 9, 31, 50, 632640000, time.UTC)
	assert.True(t, p.Created.Equal(want), p.Created)
	_, off := p.Created.Zone()
	assert.Equal(t, 4*3600+1800, off, "keeps +04:30")
	assert.Equal(t, int64(10000), p.Amount)
	assert.Nil(t, p.Paid)
	assert.Equal(t, "AsF42Sg53", p.Token)
	assert.Equal(t, resid.Outcome{RRN: "bank_reference_code", TotalAmount: 10000, Tip: 0, State: resid.StatePending,
		StateError: "", Method: "asanpardakht"}, p.Outcome)
	assert.Equal(t, "", p.Payload)
	assert.True(t, p.CollectDeadline().Equal(want.Add(20*time.Minute)))
}

func TestCollectPaymentWire(t *testing.T) {
	mt, c := newMock(t)
	var got captured
	mt.RegisterResponder("POST", mockBase+"/payments/AsF42Sg53/collect", respond(&got, 200, seedCollect))
	require.NoError(t, c.CollectPayment(context.Background(), "AsF42Sg53"))
	assert.Equal(t, "POST", got.method)
	assert.Equal(t, mockBase+"/payments/AsF42Sg53/collect", got.url)
	assertHeaders(t, &got, "")
	assert.Empty(t, got.body)
}

func TestListPaymentsWire(t *testing.T) {
	mt, c := newMock(t)
	var got captured
	mt.RegisterResponder("GET", mockBase+"/payments", respond(&got, 200, seedList))

	after := time.Date(2017, 5, 9, 4, 58, 51, 309004000, time.FixedZone("", 4*3600+1800))
	list, err := c.ListPayments(context.Background(), &resid.ListOptions{After: after, Size: 1})
	require.NoError(t, err)
	assert.Equal(t, mockBase+"/payments?after=2017-05-09T00%3A28%3A51.309004Z&size=1", got.url)
	assertHeaders(t, &got, "")
	require.Len(t, list, 1)
	assertSeedPayment(t, list[0])

	_, err = c.ListPayments(context.Background(), &resid.ListOptions{Before: time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)})
	require.NoError(t, err)
	assert.Equal(t, mockBase+"/payments?before=2020-01-02T03%3A04%3A05.000000Z", got.url)

	_, err = c.ListPayments(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, mockBase+"/payments", got.url)
	assert.Equal(t, 3, got.n)
}

func TestListPaymentsEmptyInfo(t *testing.T) {
	for _, body := range []string{
		`{"message":"OK","info":[],"errors":[]}`,
		`{"message":"OK","info":null,"errors":[]}`,
		`{"message":"OK","errors":[]}`,
	} {
		mt, c := newMock(t)
		mt.RegisterResponder("GET", mockBase+"/payments", respond(&captured{}, 200, body))
		list, err := c.ListPayments(context.Background(), &resid.ListOptions{})
		require.NoError(t, err, body)
		assert.NotNil(t, list)
		assert.Empty(t, list)
	}
}

func TestTokenIsEscapedAndValidated(t *testing.T) {
	_, c := newMock(t) // no responder: any request fails the test
	for _, tok := range []string{"", "a/b", "a?b", "a#b", "..", "a..b", "a b", "a\nb", "a\x00", "a%2F", `a\b`, ".",
		strings.Repeat("x", 257), "bad\xffutf8"} {
		_, err := c.GetPayment(context.Background(), tok)
		require.Error(t, err, "%q", tok)
		assert.ErrorIs(t, err, resid.ErrInvalidRequest, "%q", tok)
		assert.Contains(t, err.Error(), "token", "%q", tok)
		assert.ErrorIs(t, c.CollectPayment(context.Background(), tok), resid.ErrInvalidRequest, "%q", tok)
	}
	mt, c := newMock(t)
	var got captured
	mt.RegisterResponder("GET", mockBase+"/payments/%D8%B1%D8%B3%DB%8C%D8%AF", respond(&got, 200, seedGet))
	_, err := c.GetPayment(context.Background(), "رسید")
	require.NoError(t, err)
	assert.Equal(t, 1, got.n)
}

func TestValidation(t *testing.T) {
	_, c := newMock(t)
	ctx := context.Background()
	cases := []struct {
		field string
		err   error
	}{
		{"amount", func() error {
			_, err := tokenOf(c.CreatePayment(ctx, &resid.CreatePaymentRequest{Amount: 0, Merchant: "m"}))
			return err
		}()},
		{"amount", func() error {
			_, err := tokenOf(c.CreatePayment(ctx, &resid.CreatePaymentRequest{Amount: -5, Merchant: "m"}))
			return err
		}()},
		{"merchant", func() error {
			_, err := tokenOf(c.CreatePayment(ctx, &resid.CreatePaymentRequest{Amount: 5, Merchant: "  "}))
			return err
		}()},
		{"request", func() error { _, err := tokenOf(c.CreatePayment(ctx, nil)); return err }()},
		{"size", func() error { _, err := c.ListPayments(ctx, &resid.ListOptions{Size: 201}); return err }()},
		{"size", func() error { _, err := c.ListPayments(ctx, &resid.ListOptions{Size: -1}); return err }()},
		{"before", func() error {
			_, err := c.ListPayments(ctx, &resid.ListOptions{Before: time.Now(), After: time.Now()})
			return err
		}()},
		{"token", c.CollectPayment(ctx, "")},
		{"token", c.CollectPayment(ctx, "a/b")},
	}
	for _, tc := range cases {
		require.Error(t, tc.err, tc.field)
		assert.ErrorIs(t, tc.err, resid.ErrInvalidRequest, tc.field)
		assert.Contains(t, tc.err.Error(), tc.field)
		var re *resid.Error
		assert.False(t, errors.As(tc.err, &re), "nothing was sent")
	}
	for p, err := range c.All(ctx, &resid.ListOptions{Size: 500}) {
		assert.Nil(t, p)
		assert.ErrorIs(t, err, resid.ErrInvalidRequest)
	}
}

func TestNewClient(t *testing.T) {
	for _, code := range []string{"", "   ", "a\r\nX-Evil: 1"} {
		_, err := resid.NewClient(code, resid.WithBaseURL(resid.ProductionBaseURL))
		var ie *resid.InvalidRequestError
		require.ErrorAs(t, err, &ie)
		assert.Equal(t, "authorizationCode", ie.Field)
	}
	_, err0 := resid.NewClient("code")
	var ie *resid.InvalidRequestError
	require.ErrorAs(t, err0, &ie, "no default host")
	assert.Equal(t, "WithBaseURL", ie.Field)
	_, err := resid.NewClient("code", resid.WithBaseURL("ftp://x"))
	assert.ErrorIs(t, err, resid.ErrInvalidRequest)

	c, err := resid.NewClient("super-secret-code", resid.WithBaseURL(resid.ProductionBaseURL), resid.WithUserAgent("mine/1"), resid.WithTimeout(time.Second),
		resid.WithMaxBodyBytes(1<<20), resid.WithLogger(nil))
	require.NoError(t, err)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		assert.NotContains(t, fmt.Sprintf(verb, c), "super-secret-code", verb)
		assert.NotContains(t, fmt.Sprintf(verb, *c), "super-secret-code", verb)
	}
}

func TestUserAgentOption(t *testing.T) {
	mt, c := newMock(t, resid.WithUserAgent("driver-app/2.0"))
	var got captured
	mt.RegisterResponder("POST", mockBase+"/payments/T1/collect", respond(&got, 200, seedCollect))
	require.NoError(t, c.CollectPayment(context.Background(), "T1"))
	assert.Equal(t, "driver-app/2.0", got.header.Get("User-Agent"))
}

func TestErrorEnvelopes(t *testing.T) {
	cases := []struct {
		name     string
		status   int
		body     string
		kind     error
		message  string
		errs     []string
		contains string
	}{
		{"401", 401, `{"message":"Invalid authorization code.","info":null,"errors":["bad code"]}`,
			resid.ErrUnauthorized, "Invalid authorization code.", []string{"bad code"}, `(HTTP 401): "Invalid authorization code.: errors: bad code"`},
		{"404", 404, `{"message":"Not found.","info":null,"errors":["no payment"]}`,
			resid.ErrNotFound, "Not found.", []string{"no payment"}, "HTTP 404"},
		{"400 field object", 400, `{"message":"Invalid input.","info":null,"errors":{"amount":["required"],"merchant":"unknown"}}`,
			resid.ErrValidation, "Invalid input.", []string{"amount: required", "merchant: unknown"}, "amount: required; merchant: unknown"},
		{"400 object items", 400, `{"message":"Invalid input.","errors":[{"field":"amount","code":7},"plain"]}`,
			resid.ErrValidation, "Invalid input.", []string{`{"field":"amount","code":7}`, "plain"}, "plain"},
		{"409", 409, `{"message":"conflict","errors":"already"}`, resid.ErrConflict, "conflict", []string{"already"}, "already"},
		{"200 with errors", 200, `{"message":"OK","info":{},"errors":["payment not paid"]}`,
			resid.ErrValidation, "OK", []string{"payment not paid"}, "payment not paid"},
		{"200 not OK", 200, `{"message":"Payment failed","info":{},"errors":[]}`,
			resid.ErrValidation, "Payment failed", nil, "Payment failed"},
		{"200 number message", 200, `{"message":17,"info":{},"errors":[]}`,
			resid.ErrValidation, "17", nil, "17"},
		{"200 no message", 200, `{"info":{},"errors":[]}`,
			resid.ErrUnexpectedResponse, "", nil, "reply has no message"},
		{"200 wrongly typed message", 200, `{"message":{"x":1},"errors":["boom"]}`,
			resid.ErrValidation, "", []string{"boom"}, "boom"},
		{"500 html", 500, `<html><body>Bad Gateway</body></html>`, resid.ErrServer, "", nil, "Bad Gateway"},
		{"502 empty", 502, ``, resid.ErrServer, "", nil, "HTTP 502"},
		{"404 bare string", 404, `"nope"`, resid.ErrNotFound, "", nil, "nope"},
		{"400 truncated", 400, `{"message":"Inva`, resid.ErrValidation, "", nil, "Inva"},
		{"200 html", 200, `<html>maintenance</html>`, resid.ErrUnexpectedResponse, "", nil, "maintenance"},
		{"200 empty", 200, ``, resid.ErrUnexpectedResponse, "", nil, "envelope"},
		{"418", 418, `{"message":"teapot","errors":[]}`, resid.ErrUnexpectedResponse, "teapot", nil, "teapot"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mt, c := newMock(t, resid.WithRetry(0, 0, 0))
			var got captured
			mt.RegisterResponder("POST", mockBase+"/payments/T1/collect", respond(&got, tc.status, tc.body, "X-Request-Id", "req-9"))
			err := c.CollectPayment(context.Background(), "T1")
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.kind)
			var re *resid.Error
			require.True(t, errors.As(err, &re), "%T", err)
			assert.Equal(t, tc.status, re.StatusCode)
			assert.Equal(t, tc.message, re.Message)
			assert.Equal(t, tc.errs, re.Errors)
			assert.Equal(t, "POST", re.Method)
			assert.Equal(t, "/payments/T1/collect", re.Path)
			assert.Equal(t, "req-9", re.RequestID)
			assert.Equal(t, 1, re.Attempts)
			assert.LessOrEqual(t, len(re.Body), 512)
			assert.True(t, strings.HasPrefix(err.Error(), "resid: "), err.Error())
			assert.Contains(t, err.Error(), tc.contains)
			assert.NotContains(t, err.Error(), mockCode)
		})
	}
}

func TestServerErrorsAreRetriedForReads(t *testing.T) {
	mt, c := newMock(t)
	var got captured
	mt.RegisterResponder("GET", mockBase+"/payments/T1", respond(&got, 503, `{"message":"busy","errors":["try later"]}`))
	_, err := c.GetPayment(context.Background(), "T1")
	assert.ErrorIs(t, err, resid.ErrServer)
	var re *resid.Error
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 4, re.Attempts)
	assert.Equal(t, 4, got.n)
	assert.Contains(t, err.Error(), "after 4 attempts")
	assert.Contains(t, err.Error(), `"busy: errors: try later"`)
}

func TestCreateUndecodableSuccessIsOutcomeUnknown(t *testing.T) {
	for _, body := range []string{
		`<html>ok</html>`,
		`{"message":"OK","info":{},"errors":[]}`,
		`{"message":"OK","info":{"token":""},"errors":[]}`,
		`{"message":"OK","info":{"token":42},"errors":[]}`,
		`{"message":"OK","info":[1],"errors":[]}`,
		`{"info":{"token":"x"}}`,
	} {
		mt, c := newMock(t)
		var got captured
		mt.RegisterResponder("POST", mockBase+"/payments", respond(&got, 200, body))
		_, err := tokenOf(c.CreatePayment(context.Background(), &resid.CreatePaymentRequest{Amount: 1, Merchant: "m"}))
		assert.ErrorIs(t, err, resid.ErrUnexpectedResponse, body)
		assert.ErrorIs(t, err, resid.ErrOutcomeUnknown, body)
		assert.Equal(t, 1, got.n)
	}
	// an explicit refusal in a 2xx is not an unknown outcome
	mt, c := newMock(t)
	mt.RegisterResponder("POST", mockBase+"/payments", respond(&captured{}, 200, `{"message":"Invalid input.","errors":["merchant: unknown"]}`))
	_, err := tokenOf(c.CreatePayment(context.Background(), &resid.CreatePaymentRequest{Amount: 1, Merchant: "m"}))
	assert.ErrorIs(t, err, resid.ErrValidation)
	assert.NotErrorIs(t, err, resid.ErrOutcomeUnknown)
}

func TestCreateGatewayErrorIsOutcomeUnknown(t *testing.T) {
	mt, c := newMock(t)
	var got captured
	mt.RegisterResponder("POST", mockBase+"/payments", respond(&got, 502, `<html>bad gateway</html>`))
	_, err := tokenOf(c.CreatePayment(context.Background(), &resid.CreatePaymentRequest{Amount: 1, Merchant: "m"}))
	assert.ErrorIs(t, err, resid.ErrOutcomeUnknown)
	assert.ErrorIs(t, err, resid.ErrServer)
	assert.Equal(t, 1, got.n, "unsafe: never retried after a gateway error")
}

func TestGetPaymentBadInfo(t *testing.T) {
	for _, body := range []string{
		`{"message":"OK","info":null,"errors":[]}`,
		`{"message":"OK","info":[],"errors":[]}`,
		`{"message":"OK","info":"x","errors":[]}`,
		`{"message":"OK","info":{"amount":"ten"},"errors":[]}`,
		`{"message":"OK","info":{"amount":10.5},"errors":[]}`,
		`{"message":"OK","info":{"created":"yesterday"},"errors":[]}`,
	} {
		mt, c := newMock(t)
		mt.RegisterResponder("GET", mockBase+"/payments/T", respond(&captured{}, 200, body))
		_, err := c.GetPayment(context.Background(), "T")
		assert.ErrorIs(t, err, resid.ErrUnexpectedResponse, body)
		var re *resid.Error
		assert.ErrorAs(t, err, &re, body)
	}
	mt, c := newMock(t)
	mt.RegisterResponder("GET", mockBase+"/payments", respond(&captured{}, 200, `{"message":"OK","info":{"a":1},"errors":[]}`))
	_, err := c.ListPayments(context.Background(), nil)
	assert.ErrorIs(t, err, resid.ErrUnexpectedResponse)
	mt.RegisterResponder("GET", mockBase+"/payments", respond(&captured{}, 200, `{"message":"OK","info":[{"amount":[]}],"errors":[]}`))
	_, err = c.ListPayments(context.Background(), nil)
	assert.ErrorIs(t, err, resid.ErrUnexpectedResponse)
}

func TestTolerantPaymentDecoding(t *testing.T) {
	mt, c := newMock(t)
	body := `{"message":"ok","info":{"merchant":null,"description":null,"payer":9381234,"created":"2017-05-14T14:01:50.632640+0430",
	  "amount":"10000","paid":"2017-05-14T14:03:00+04:30","token":"T","outcome":{"rrn":123456789012,"total_amount":"12000",
	  "tip":"2000","state":"settled-somehow","state_error":"","method":null},"payload":null,"extra":{"ignored":true}},"errors":null}`
	mt.RegisterResponder("GET", mockBase+"/payments/T", respond(&captured{}, 200, body))
	p, err := c.GetPayment(context.Background(), "T")
	require.NoError(t, err)
	assert.Equal(t, "9381234", p.Payer)
	assert.Equal(t, int64(10000), p.Amount)
	require.NotNil(t, p.Paid)
	assert.True(t, p.Paid.Equal(time.Date(2017, 5, 14, 9, 33, 0, 0, time.UTC)))
	assert.Equal(t, resid.Outcome{RRN: "123456789012", TotalAmount: 12000, Tip: 2000, State: "settled-somehow"}, p.Outcome)
	assert.Equal(t, resid.Merchant{}, p.Merchant)
}

func TestContextCancelled(t *testing.T) {
	mt, c := newMock(t)
	mt.RegisterResponder("GET", mockBase+"/payments/T", respond(&captured{}, 200, seedGet))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.GetPayment(ctx, "T")
	assert.ErrorIs(t, err, context.Canceled)
	var re *resid.Error
	assert.ErrorAs(t, err, &re)
}

func TestErrorZeroValue(t *testing.T) {
	e := &resid.Error{Message: "hand made"}
	assert.Equal(t, `resid: failed: "hand made"`, e.Error())
	assert.Nil(t, e.Unwrap())
}

func TestClientNeverPrintsCode(t *testing.T) {
	c, err := resid.NewClient("super-secret-code", resid.WithBaseURL(resid.ProductionBaseURL))
	require.NoError(t, err)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		assert.NotContains(t, fmt.Sprintf(verb, c), "super-secret-code", verb)
		assert.NotContains(t, fmt.Sprintf(verb, *c), "super-secret-code", verb)
		assert.NotContains(t, fmt.Sprintf(verb, []any{c, struct{ C *resid.Client }{c}}), "super-secret-code", verb)
	}
	assert.Equal(t, `resid.Client{baseURL: "https://resid.ir/api/v1"}`, fmt.Sprint(c))
	var buf strings.Builder
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "client", *c, "ptr", c)
	assert.NotContains(t, buf.String(), "super-secret-code")
	assert.Contains(t, buf.String(), "resid.ir")
}

// tokenOf is CreatePayment's token, for tests that only need that.
func tokenOf(p *resid.CreatedPayment, err error) (string, error) {
	if err != nil {
		return "", err
	}
	return p.Token, nil
}
