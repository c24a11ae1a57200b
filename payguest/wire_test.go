package payguest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/caravanpay/caravan/internal/transport"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	billID   = "3F2504E0-4F89-11D3-9A0C-0305E82C3301"
	payType  = "7C9E6679-7425-40DE-944B-E07FC1F90AE7"
	declType = "60D367B5-15D2-D24D-8A74-A28F40C8CB9D"
	appType  = "0412C97B-AF11-2447-88D9-B40FA0EB996D"
)

// seedReply is the document's example reply.
const seedReply = `{ 
    "DiscountSums": [ 
        { 
            "type_ID": "60D367B5-15D2-D24D-8A74-A28F40C8CB9D", 
            "sum": 20 
        } 
    ], 
    "AppliedDiscountSums": [ 
        { 
            "type_ID": "0412C97B-AF11-2447-88D9-B40FA0EB996D", 
            "sum": 20 
        } 
    ] 
}`

type recorded struct {
	method, url string
	header      http.Header
	body        []byte
	calls       int
}

// mockClient returns a client on an httpmock transport whose single
// responder records the request and answers status and body.
func mockClient(t *testing.T, base string, status int, body string, opts ...Option) (*Client, *recorded) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Fatal))
	rec := &recorded{}
	mt.RegisterResponder(http.MethodPost, `=~^`+base+`/pay-guest`, func(r *http.Request) (*http.Response, error) {
		rec.calls++
		rec.method, rec.url, rec.header = r.Method, r.URL.String(), r.Header.Clone()
		rec.body, _ = io.ReadAll(r.Body)
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json; charset=utf-8")
		resp.Header.Set("X-Request-Id", "req-42")
		return resp, nil
	})
	opts = append([]Option{WithHTTPClient(&http.Client{Transport: mt}), WithRetry(3, time.Millisecond, 5*time.Millisecond)}, opts...)
	c, err := NewClient(append([]Option{WithBaseURL(base)}, opts...)...)
	require.NoError(t, err)
	return c, rec
}

func fullRequest() *PayGuestRequest {
	return &PayGuestRequest{
		Payment:         Payment{GuestID: billID, PaySum: MustDecimal("1220.50"), PayTypeID: payType},
		DiscountSum:     &DiscountSum{TypeID: declType, Sum: MustDecimal("20")},
		DeletePrechecks: Ptr(DeleteUnpaidPrechecks),
	}
}

func TestPayGuestWireRequestAndSeedReply(t *testing.T) {
	c, rec := mockClient(t, "http://tillypad.local:8090/api", 200, seedReply)
	res, err := c.PayGuest(context.Background(), fullRequest())
	require.NoError(t, err)

	assert.Equal(t, 1, rec.calls)
	assert.Equal(t, http.MethodPost, rec.method)
	assert.Equal(t, "http://tillypad.local:8090/api/pay-guest?delete-prechecks=2", rec.url)
	assert.Equal(t, "application/json", rec.header.Get("Content-Type"))
	assert.Equal(t, "application/json", rec.header.Get("Accept"))
	assert.True(t, strings.HasPrefix(rec.header.Get("User-Agent"), "caravan-go/"), rec.header.Get("User-Agent"))
	assert.Contains(t, rec.header.Get("User-Agent"), "(payguest)")
	assert.Empty(t, rec.header.Get("Authorization"))
	assert.Equal(t, `{"Payment":{"gest_ID":"3F2504E0-4F89-11D3-9A0C-0305E82C3301","paySum":1220.50,`+
		`"payType_ID":"7C9E6679-7425-40DE-944B-E07FC1F90AE7"},`+
		`"DiscountSum":{"type_ID":"60D367B5-15D2-D24D-8A74-A28F40C8CB9D","sum":20}}`, string(rec.body))

	require.Len(t, res.DiscountSums, 1)
	assert.Equal(t, declType, res.DiscountSums[0].TypeID)
	assert.Equal(t, Decimal("20"), res.DiscountSums[0].Sum)
	require.Len(t, res.AppliedDiscountSums, 1)
	assert.Equal(t, appType, res.AppliedDiscountSums[0].TypeID)
	assert.Equal(t, Decimal("20"), res.AppliedDiscountSums[0].Sum)
	assert.True(t, res.PointsConfigured())
}

func TestPayGuestWireMinimalRequest(t *testing.T) {
	c, rec := mockClient(t, "http://10.0.0.5:8090", 200, `{"DiscountSums":[]}`)
	res, err := c.PayGuest(context.Background(), &PayGuestRequest{Payment: Payment{GuestID: strings.ToLower(billID)}})
	require.NoError(t, err)
	assert.Equal(t, "http://10.0.0.5:8090/pay-guest", rec.url, "no query without a mode")
	assert.Equal(t, `{"Payment":{"gest_ID":"3f2504e0-4f89-11d3-9a0c-0305e82c3301"}}`, string(rec.body))
	assert.Empty(t, res.DiscountSums)
	assert.Nil(t, res.AppliedDiscountSums)
	assert.False(t, res.PointsConfigured(), "AppliedDiscountSums absent: points not configured")
}

func TestPayGuestModeQuery(t *testing.T) {
	for _, m := range []Mode{KeepPrechecks, DeleteAllPrechecks, DeleteUnpaidPrechecks} {
		c, rec := mockClient(t, "http://h", 200, `{}`)
		_, err := c.PayGuest(context.Background(), &PayGuestRequest{Payment: Payment{GuestID: billID}, DeletePrechecks: &m})
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprintf("http://h/pay-guest?delete-prechecks=%d", int(m)), rec.url)
	}
}

func TestPayGuestAppliedEmptyVersusAbsent(t *testing.T) {
	for body, want := range map[string]bool{
		`{"DiscountSums":[],"AppliedDiscountSums":[]}`:     true,
		`{"DiscountSums":[]}`:                              false,
		`{"DiscountSums":null,"AppliedDiscountSums":null}`: false,
		`{"discountsums":[{"type_ID":12,"sum":"20.00"}],"appliedDiscountSums":[{"type_ID":null,"sum":null}]}`: true,
	} {
		c, _ := mockClient(t, "http://h", 200, body)
		res, err := c.PayGuest(context.Background(), &PayGuestRequest{Payment: Payment{GuestID: billID}})
		require.NoError(t, err, body)
		assert.Equal(t, want, res.PointsConfigured(), body)
		if want {
			assert.NotNil(t, res.AppliedDiscountSums)
		}
	}
	c, _ := mockClient(t, "http://h", 200, `{"DiscountSums":[{"type_ID":12,"sum":"20.00"}]}`)
	res, err := c.PayGuest(context.Background(), &PayGuestRequest{Payment: Payment{GuestID: billID}})
	require.NoError(t, err)
	assert.Equal(t, []DiscountSumResult{{TypeID: "12", Sum: "20.00"}}, res.DiscountSums, "number for a string id, string for a number")
	var nilRes *PayGuestResult
	assert.False(t, nilRes.PointsConfigured())
}

func TestPayGuestErrorReplies(t *testing.T) {
	type want struct {
		kinds   []error
		not     []error
		text    string
		excerpt string
	}
	cases := []struct {
		name   string
		status int
		body   string
		want   want
	}{
		{"sent for payment 400", 400, `"Счет уже передан в оплату"`, want{kinds: []error{ErrValidation, ErrAlreadySentForPayment}, text: "Счет уже передан в оплату"}},
		{"amount mismatch 400", 400, `"Сумма интернет-оплаты не может отличаться от итоговой суммы счета"`, want{kinds: []error{ErrValidation, ErrAmountMismatch}, text: "Сумма интернет-оплаты не может отличаться от итоговой суммы счета"}},
		{"no pay type 400", 400, `"Для проведения оплаты должен присутствовать либо payType_ID, либо gsdlv_pytp_ID_Prepaid"`, want{kinds: []error{ErrValidation, ErrNoPayType}, text: "Для проведения оплаты должен присутствовать либо payType_ID, либо gsdlv_pytp_ID_Prepaid"}},
		{"already paid 400", 400, `"Счёт уже оплачен"`, want{kinds: []error{ErrValidation, ErrAlreadyPaid}, text: "Счёт уже оплачен"}},
		{"paid precheck", 400, `"Есть ОПЛАЧЕННЫЙ пречек"`, want{kinds: []error{ErrAlreadyPaid}}},
		{"unpaid is not paid", 400, `"Нет неоплаченных позиций"`, want{kinds: []error{ErrValidation}, not: []error{ErrAlreadyPaid}}},
		{"not paid is not paid", 400, `"Счет не оплачен"`, want{kinds: []error{ErrValidation}, not: []error{ErrAlreadyPaid}}},
		{"english paid", 400, `"Bill already paid"`, want{kinds: []error{ErrAlreadyPaid}}},
		{"error with 200", 200, "\ufeff\"Счет уже передан в оплату\"\n", want{kinds: []error{ErrValidation, ErrAlreadySentForPayment}, not: []error{ErrOutcomeUnknown}, text: "Счет уже передан в оплату"}},
		{"unknown text with 200", 200, `"Что-то пошло не так"`, want{kinds: []error{ErrValidation}, not: []error{ErrOutcomeUnknown, ErrAlreadyPaid}, text: "Что-то пошло не так"}},
		{"known text with 500 is a decision", 500, `"Счет уже передан в оплату"`, want{kinds: []error{ErrServer, ErrAlreadySentForPayment}, not: []error{ErrOutcomeUnknown}}},
		{"unknown text with 500", 500, `"Deadlock"`, want{kinds: []error{ErrServer, ErrOutcomeUnknown}, text: "Deadlock"}},
		{"aspnet object", 500, `{"Message":"An error has occurred."}`, want{kinds: []error{ErrServer, ErrOutcomeUnknown}, text: "An error has occurred."}},
		{"html 502", 502, `<html><body>Bad Gateway</body></html>`, want{kinds: []error{ErrServer, ErrOutcomeUnknown}, excerpt: "<html><body>Bad Gateway</body></html>"}},
		{"html 400", 400, `<html>nope</html>`, want{kinds: []error{ErrValidation}, not: []error{ErrOutcomeUnknown}, excerpt: "<html>nope</html>"}},
		{"empty 404", 404, ``, want{kinds: []error{ErrNotFound}}},
		{"plain 401", 401, `401 Unauthorized`, want{kinds: []error{ErrUnauthorized}, excerpt: "401 Unauthorized"}},
		{"html 200", 200, `<html>captive portal</html>`, want{kinds: []error{ErrUnexpectedResponse, ErrOutcomeUnknown}, excerpt: "<html>captive portal</html>"}},
		{"empty 200", 200, ``, want{kinds: []error{ErrUnexpectedResponse, ErrOutcomeUnknown}}},
		{"truncated 200", 200, `{"DiscountSums":[{"type_ID":"6`, want{kinds: []error{ErrUnexpectedResponse, ErrOutcomeUnknown}}},
		{"null 200", 200, `null`, want{kinds: []error{ErrUnexpectedResponse}}},
		{"array 200", 200, `[]`, want{kinds: []error{ErrUnexpectedResponse}}},
		{"number 200", 200, `42`, want{kinds: []error{ErrUnexpectedResponse}}},
		{"bad sum 200", 200, `{"DiscountSums":[{"sum":"twenty"}]}`, want{kinds: []error{ErrUnexpectedResponse, ErrOutcomeUnknown}}},
		{"bad list 200", 200, `{"AppliedDiscountSums":"none"}`, want{kinds: []error{ErrUnexpectedResponse}}},
		{"broken string 200", 200, `"unterminated`, want{kinds: []error{ErrUnexpectedResponse}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, rec := mockClient(t, "http://h", tc.status, tc.body, WithRetry(0, 0, 0))
			res, err := c.PayGuest(context.Background(), fullRequest())
			require.Error(t, err)
			assert.Nil(t, res)
			assert.Equal(t, 1, rec.calls, "an unsafe call is never repeated after a reply")
			var pe *Error
			require.True(t, errors.As(err, &pe), "%T", err)
			assert.Equal(t, tc.status, pe.StatusCode)
			assert.Equal(t, "req-42", pe.RequestID)
			assert.Equal(t, 1, pe.Attempts)
			for _, k := range tc.want.kinds {
				assert.ErrorIs(t, err, k)
			}
			for _, k := range tc.want.not {
				assert.NotErrorIs(t, err, k)
			}
			if tc.want.text != "" {
				assert.Equal(t, tc.want.text, pe.Text)
				assert.Contains(t, err.Error(), tc.want.text)
			}
			if tc.want.excerpt != "" {
				assert.Equal(t, tc.want.excerpt, pe.Body)
			}
			assert.True(t, strings.HasPrefix(err.Error(), "payguest: "), err.Error())
			assert.Contains(t, err.Error(), "POST /pay-guest")
			if tc.status != 0 {
				assert.Contains(t, err.Error(), fmt.Sprint(tc.status))
			}
		})
	}
}

func TestErrorMessages(t *testing.T) {
	c, _ := mockClient(t, "http://h", 400, `"Счет уже передан в оплату"`, WithRetry(0, 0, 0))
	_, err := c.PayGuest(context.Background(), fullRequest())
	assert.Equal(t, `payguest: POST /pay-guest: bill already sent for payment (HTTP 400): "Счет уже передан в оплату" (request id req-42)`, err.Error())

	c, _ = mockClient(t, "http://h", 500, `"Deadlock"`, WithRetry(0, 0, 0))
	_, err = c.PayGuest(context.Background(), fullRequest())
	assert.Equal(t, `payguest: POST /pay-guest: provider server error (HTTP 500): "Deadlock": outcome unknown: the request may have been applied (request id req-42)`, err.Error())

	plain := &Error{Method: "POST", Path: "/pay-guest"}
	assert.Equal(t, "payguest: POST /pay-guest: failed", plain.Error())
	assert.Empty(t, plain.Unwrap())
	odd := newError(errors.New("boom"))
	assert.ErrorContains(t, odd, "boom")
	withText := &Error{Text: "x", Method: "POST", Path: "/p", err: errors.New("boom"), Attempts: 3}
	assert.Equal(t, `payguest: POST /p: failed: "x": boom after 3 attempts`, withText.Error())
}

func TestPayGuestRetriesOn503ThenSucceeds(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Fatal))
	mt.RegisterResponder(http.MethodPost, "http://h/pay-guest", httpmock.ResponderFromMultipleResponses([]*http.Response{
		httpmock.NewStringResponse(503, "busy"),
		httpmock.NewStringResponse(200, seedReply),
	}))
	c, err := NewClient(WithBaseURL("http://h"), WithHTTPClient(&http.Client{Transport: mt}), WithRetry(3, time.Millisecond, 5*time.Millisecond))
	require.NoError(t, err)
	res, err := c.PayGuest(context.Background(), fullRequest())
	require.NoError(t, err)
	assert.True(t, res.PointsConfigured())
	assert.Equal(t, 2, mt.GetTotalCallCount())
}

func TestWithHeaderSentAndNeverPrinted(t *testing.T) {
	const secret = "s3cr3t-proxy-token"
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, rec := mockClient(t, "http://h", 400, `"Счет уже передан в оплату"`, WithHeader("X-Proxy-Token", secret), WithLogger(logger))
	_, err := c.PayGuest(context.Background(), fullRequest())
	require.Error(t, err)
	assert.Equal(t, secret, rec.header.Get("X-Proxy-Token"))
	for _, s := range []string{err.Error(), fmt.Sprintf("%v %+v %#v", c, c, c), fmt.Sprintf("%+v %#v", err, err), logs.String()} {
		assert.NotContains(t, s, secret)
	}
	assert.Contains(t, logs.String(), "caravan http attempt")
	assert.Equal(t, "http://h", c.BaseURL())
}

func TestWithHeaderStrippedFromForeignRedirect(t *testing.T) {
	const secret = "proxy-secret"
	seen := make(chan string, 1)
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- r.Header.Get("X-Proxy-Token")
		_, _ = io.WriteString(w, `{}`)
	}))
	defer other.Close()
	first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status := http.StatusSeeOther
		if r.URL.Query().Get("delete-prechecks") == "1" {
			status = http.StatusTemporaryRedirect
		}
		http.Redirect(w, r, strings.Replace(other.URL, "127.0.0.1", "localhost", 1)+"/pay-guest", status)
	}))
	defer first.Close()
	c, err := NewClient(WithBaseURL(first.URL), WithHeader("X-Proxy-Token", secret), WithRetry(0, 0, 0))
	require.NoError(t, err)
	_, err = c.PayGuest(context.Background(), fullRequest())
	require.NoError(t, err)
	assert.Empty(t, <-seen, "the proxy header must not follow a redirect to another host")

	// a 307 would resend the payment itself to the other host: refused
	req := fullRequest()
	req.DeletePrechecks = Ptr(DeleteAllPrechecks)
	_, err = c.PayGuest(context.Background(), req)
	assert.ErrorContains(t, err, "refused a redirect that would resend the request body to another host")
	assert.Empty(t, seen, "nothing reached the other host")
}

func TestNewClientOptions(t *testing.T) {
	_, err := NewClient()
	var ie *InvalidRequestError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "WithBaseURL", ie.Field)
	_, err = NewClient(WithBaseURL("ftp://h"))
	assert.ErrorIs(t, err, ErrInvalidRequest)
	c, err := NewClient(WithBaseURL(""), WithBaseURL("http://h:8090/"))
	require.NoError(t, err)
	assert.Equal(t, "http://h:8090", c.BaseURL())
	_, err = NewClient(WithBaseURL("http://h"), WithUserAgent("mine/1"), WithTimeout(time.Second), WithMaxBodyBytes(1024), WithLogger(nil))
	require.NoError(t, err)

	for _, o := range []struct{ name, value, field string }{
		{"", "value-one", "header name"},
		{"Bad Name", "value-two", "header name"},
		{"X-Ok", "", "empty"},
		{"X-Ok", "line\r\nInjected: 1", "control"},
		{"content-type", "text/plain", "set by the client"},
		{"Accept", "x", "set by the client"},
	} {
		_, err := NewClient(WithBaseURL("http://h"), WithHeader(o.name, o.value))
		assert.ErrorIs(t, err, ErrInvalidRequest, o.name)
		assert.ErrorContains(t, err, o.field)
		if o.value != "" {
			assert.NotContains(t, err.Error(), o.value, "a header value may be secret")
		}
	}
}

func TestValidation(t *testing.T) {
	mutate := func(f func(r *PayGuestRequest)) *PayGuestRequest {
		r := fullRequest()
		f(r)
		return r
	}
	cases := map[string]*PayGuestRequest{
		"request":             nil,
		"Payment.gest_ID":     mutate(func(r *PayGuestRequest) { r.Payment.GuestID = "" }),
		"Payment.paySum":      mutate(func(r *PayGuestRequest) { r.Payment.PaySum = "-1" }),
		"Payment.payType_ID":  mutate(func(r *PayGuestRequest) { r.Payment.PayTypeID = "cash" }),
		"DiscountSum.type_ID": mutate(func(r *PayGuestRequest) { r.DiscountSum.TypeID = "{" + declType + "}" }),
		"DiscountSum.sum":     mutate(func(r *PayGuestRequest) { r.DiscountSum.Sum = "" }),
		"delete-prechecks":    mutate(func(r *PayGuestRequest) { r.DeletePrechecks = Ptr(Mode(3)) }),
	}
	more := map[string]*PayGuestRequest{
		"Payment.gest_ID": mutate(func(r *PayGuestRequest) { r.Payment.GuestID = "3F2504E0-4F89-11D3-9A0C-0305E82C330G" }),
		"Payment.paySum":  mutate(func(r *PayGuestRequest) { r.Payment.PaySum = "1e3" }),
		"DiscountSum.sum": mutate(func(r *PayGuestRequest) { r.DiscountSum.Sum = "-0.01" }),
	}
	neg := mutate(func(r *PayGuestRequest) { r.DeletePrechecks = Ptr(Mode(-1)) })
	c, rec := mockClient(t, "http://h", 200, `{}`)
	check := func(field string, req *PayGuestRequest) {
		_, err := c.PayGuest(context.Background(), req)
		assert.ErrorIs(t, err, ErrInvalidRequest, field)
		var ie *InvalidRequestError
		if assert.ErrorAs(t, err, &ie, field) {
			assert.Equal(t, field, ie.Field)
		}
	}
	for f, r := range cases {
		check(f, r)
	}
	for f, r := range more {
		check(f, r)
	}
	check("delete-prechecks", neg)
	assert.Zero(t, rec.calls, "nothing is sent for an invalid request")

	ok := mutate(func(r *PayGuestRequest) {
		r.Payment.GuestID = strings.ToLower(billID)
		r.Payment.PaySum = "0"
		r.DiscountSum.TypeID = ""
		r.DiscountSum.Sum = "-0"
	})
	_, err := c.PayGuest(context.Background(), ok)
	require.NoError(t, err)
	assert.Contains(t, string(rec.body), `"DiscountSum":{"sum":-0}`)
	assert.Contains(t, string(rec.body), `"paySum":0`)
}

func TestIsGUID(t *testing.T) {
	assert.True(t, transport.IsUUID(billID))
	assert.True(t, transport.IsUUID(strings.ToLower(billID)))
	for _, s := range []string{"", "{" + billID + "}", billID[:35], strings.ReplaceAll(billID, "-", "_"), "3F2504E0-4F89-11D3-9A0C-0305E82C330Z"} {
		assert.False(t, transport.IsUUID(s), s)
	}
}

func TestModeString(t *testing.T) {
	assert.Equal(t, "KeepPrechecks(0)", KeepPrechecks.String())
	assert.Equal(t, "DeleteAllPrechecks(1)", DeleteAllPrechecks.String())
	assert.Equal(t, "DeleteUnpaidPrechecks(2)", DeleteUnpaidPrechecks.String())
	assert.Equal(t, "Mode(7)", Mode(7).String())
	assert.Equal(t, DeleteAllPrechecks, *Ptr(DeleteAllPrechecks))
}

func TestContextCanceledStaysReachable(t *testing.T) {
	srv, c := fakeClient(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.PayGuest(ctx, fullRequest())
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	var pe *Error
	assert.True(t, errors.As(err, &pe))
	assert.Empty(t, srv.Requests())
}
