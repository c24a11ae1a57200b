package residtest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type envelopeReply struct {
	status  int
	header  http.Header
	Message string          `json:"message"`
	Info    json.RawMessage `json:"info"`
	Errors  []string        `json:"errors"`
}

func do(t *testing.T, srv *Server, method, path, form string, hdr ...string) envelopeReply {
	t.Helper()
	var body io.Reader
	if form != "" {
		body = strings.NewReader(form)
	}
	req, err := http.NewRequest(method, srv.URL+path, body)
	require.NoError(t, err)
	req.Header.Set("Authorization", AuthorizationCode)
	if form != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out envelopeReply
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	out.status, out.header = resp.StatusCode, resp.Header
	return out
}

func create(t *testing.T, srv *Server, form string) string {
	t.Helper()
	r := do(t, srv, "POST", "/payments", form)
	require.Equal(t, 200, r.status, r.Errors)
	var info struct{ Token string }
	require.NoError(t, json.Unmarshal(r.Info, &info))
	return info.Token
}

func TestPendingPaymentShowsTheDocumentsFields(t *testing.T) {
	srv := Start(t, WithNow(time.Date(2017, 5, 14, 9, 31, 50, 632640000, time.UTC)))
	tok := create(t, srv, "merchant=faSDF42w3Fs&amount=10000")
	r := do(t, srv, "GET", "/payments/"+tok, "")
	require.Equal(t, 200, r.status)
	assert.JSONEq(t, `{"merchant":{"display_name":"Reza Ahmadi","display_image":"https://resid.ir/media/drivers/faSDF42w3Fs.png","display_biz_name":"Tehran Taxi 1234"},
		"description":"","payer":"0938*****25","created":"2017-05-14T13:01:50.632640+03:30","amount":10000,"paid":null,"token":"`+tok+`",
		"outcome":{"rrn":"100000000001","total_amount":10000,"tip":0,"state":"pending","state_error":null,"method":"asanpardakht"},"payload":""}`, string(r.Info))
}

func TestDefaultListIncludesNowOnAStoppedClock(t *testing.T) {
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	srv := Start(t, WithNow(now))
	tok := create(t, srv, "merchant=faSDF42w3Fs&amount=10000")
	r := do(t, srv, "GET", "/payments", "")
	require.Equal(t, 200, r.status)
	assert.Contains(t, string(r.Info), tok, "created now, listed by default")
	r = do(t, srv, "GET", "/payments?before="+url.QueryEscape(now.Format(listTimeLayout)), "")
	assert.Equal(t, "[]", string(r.Info), "an explicit before is exclusive")
	r = do(t, srv, "GET", "/payments?after="+url.QueryEscape(now.Add(-time.Second).Format(listTimeLayout))+"&size=1", "")
	assert.Contains(t, string(r.Info), tok)
}

func TestUncollectedPaymentIsRefundedAfter20MinutesOnTheClock(t *testing.T) {
	srv := Start(t, WithNow(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)))
	late := create(t, srv, "merchant=faSDF42w3Fs&amount=10000")
	onTime := create(t, srv, "merchant=faSDF42w3Fs&amount=5000&preferred_method=sep")
	require.NoError(t, srv.Pay(late))
	require.NoError(t, srv.PayWithTip(onTime, 500))
	assert.Error(t, srv.Pay(late), "not pending any more")
	srv.Advance(19 * time.Minute)
	r := do(t, srv, "POST", "/payments/"+onTime+"/collect", "")
	assert.Equal(t, 200, r.status)
	assert.Equal(t, "{}", string(r.Info))
	r = do(t, srv, "POST", "/payments/"+onTime+"/collect", "")
	assert.Equal(t, 200, r.status, "collecting twice answers OK")
	assert.Equal(t, 2, srv.Collects(onTime))
	assert.True(t, srv.Collected(onTime))

	srv.Advance(2 * time.Minute)
	r = do(t, srv, "GET", "/payments/"+late, "")
	assert.Contains(t, string(r.Info), `"state":"refunded"`)
	r = do(t, srv, "POST", "/payments/"+late+"/collect", "")
	assert.Equal(t, 400, r.status)
	assert.Equal(t, MessageCollectWindowClosed, r.Message)
	assert.False(t, srv.Collected(late))
	p, _ := srv.Payment(onTime)
	assert.Equal(t, StateCollected, p.Outcome.State)
	assert.Equal(t, int64(5500), p.Outcome.TotalAmount)
	assert.Equal(t, "sep", p.Outcome.Method)
}

func TestCollectRefusals(t *testing.T) {
	srv := Start(t)
	pending := create(t, srv, "merchant=faSDF42w3Fs&amount=1")
	failed := create(t, srv, "merchant=faSDF42w3Fs&amount=1")
	auto := create(t, srv, "merchant=faSDF42w3Fs&amount=1&auto_collect=true")
	require.NoError(t, srv.Fail(failed, "card declined"))
	assert.Error(t, srv.Fail("nope", "x"))
	require.NoError(t, srv.Pay(auto))
	assert.True(t, srv.Collected(auto), "auto_collect")
	for tok, msg := range map[string]string{pending: MessageNotPaid, failed: MessagePaymentFailed} {
		r := do(t, srv, "POST", "/payments/"+tok+"/collect", "")
		assert.Equal(t, 400, r.status)
		assert.Equal(t, msg, r.Message)
	}
	r := do(t, srv, "POST", "/payments/nope/collect", "")
	assert.Equal(t, 404, r.status)
	r = do(t, srv, "GET", "/payments/nope", "")
	assert.Equal(t, 404, r.status)
}

func TestProtocolErrors(t *testing.T) {
	srv := Start(t)
	srv.AddMerchant("m2", MerchantDisplay)
	for _, tc := range []struct {
		method, path, form string
		hdr                []string
		status             int
		message            string
	}{
		{"GET", "/payments", "", []string{"Authorization", ""}, 401, MessageUnauthorized},
		{"GET", "/payments", "", []string{"Authorization", "Bearer " + AuthorizationCode}, 401, MessageUnauthorized},
		{"GET", "/nothing", "", nil, 404, MessageNotFound},
		{"DELETE", "/payments", "", nil, 405, MessageMethodNotAllowed},
		{"POST", "/payments/x", "", nil, 405, MessageMethodNotAllowed},
		{"GET", "/payments/x/collect", "", nil, 405, MessageMethodNotAllowed},
		{"POST", "/payments", "amount=1&merchant=m2", []string{"Content-Type", "application/json"}, 415, MessageUnsupportedMedia},
		{"POST", "/payments", "merchant=m2", nil, 400, MessageInvalid},
		{"POST", "/payments", "amount=x&merchant=m2", nil, 400, MessageInvalid},
		{"POST", "/payments", "amount=0", nil, 400, MessageInvalid},
		{"POST", "/payments", "amount=1&merchant=who", nil, 400, MessageInvalid},
		{"POST", "/payments", "amount=1&merchant=m2&auto_collect=maybe", nil, 400, MessageInvalid},
		{"POST", "/payments", "amount=%zz", nil, 400, MessageInvalid},
		{"GET", "/payments?size=0", "", nil, 400, MessageInvalid},
		{"GET", "/payments?size=201", "", nil, 400, MessageInvalid},
		{"GET", "/payments?before=yesterday", "", nil, 400, MessageInvalid},
		{"GET", "/payments?before=2017-05-09T00:28:51Z&after=2017-05-09T00:28:51Z", "", nil, 400, MessageInvalid},
	} {
		r := do(t, srv, tc.method, tc.path, tc.form, tc.hdr...)
		assert.Equal(t, tc.status, r.status, "%s %s %s", tc.method, tc.path, tc.form)
		assert.Equal(t, tc.message, r.Message, "%s %s %s", tc.method, tc.path, tc.form)
		assert.NotEmpty(t, r.Errors)
	}
	assert.Zero(t, srv.Count())
	create(t, srv, "amount=1&merchant=m2&auto_collect=0&description=d&payload=p")
	assert.Equal(t, 1, srv.Count())
}

func TestListRateLimit(t *testing.T) {
	srv := Start(t)
	srv.SetListRateLimit(1, time.Hour)
	r := do(t, srv, "GET", "/payments", "")
	assert.Equal(t, 200, r.status)
	r = do(t, srv, "GET", "/payments", "")
	assert.Equal(t, 429, r.status)
	assert.Equal(t, MessageThrottled, r.Message)
	assert.NotEmpty(t, r.header.Get("Retry-After"))
	srv.SetListRateLimit(0, 0)
	r = do(t, srv, "GET", "/payments", "")
	assert.Equal(t, 200, r.status)
}

// TestFormPastTheDefaultLimitIsRefused: a form whose amount=10000 lies
// just past 10 MiB used to be cut to amount=10 and create a payment.
func TestFormPastTheDefaultLimitIsRefused(t *testing.T) {
	srv := Start(t)
	prefix := "merchant=" + Merchant + "&description="
	form := prefix + strings.Repeat("x", 10<<20-len(prefix)-len("&amount=10")) + "&amount=10000"
	r := do(t, srv, "POST", "/payments", form)
	assert.Equal(t, 413, r.status)
	assert.Equal(t, MessageTooLarge, r.Message)
	assert.Zero(t, srv.Count(), "no payment of 10")
}
