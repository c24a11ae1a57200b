package perf

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/caravanpay/caravan/activeplatform"
	"github.com/caravanpay/caravan/inex"
	"github.com/caravanpay/caravan/payguest"
	"github.com/caravanpay/caravan/resid"
	"github.com/caravanpay/caravan/uapay"
	"github.com/hashicorp/go-cleanhttp"
)

// The documents' own replies.
const (
	inexReply     = `{"data":{"transactionId":123456}}`
	payguestReply = `{"DiscountSums":[{"type_ID":"60D367B5-15D2-D24D-8A74-A28F40C8CB9D","sum":20}],"AppliedDiscountSums":[{"type_ID":"0412C97B-AF11-2447-88D9-B40FA0EB996D","sum":20}]}`
	uapayReply    = `{"status":1,"data":{"id":"065f927e-f78f-4d9a-ad07-cef58c16ca96"}}`
	uapaySession  = `{"status":"1","id":"00684a7f-3d5c-43f4-b4d1-ea994226be9c"}`
	residPayment  = `{"merchant":{"display_name":"","display_image":"","display_biz_name":""},"description":"","payer":"0938*****25","created":"2017-05-14T14:01:50.632640+04:30","amount":10000,"paid":null,"token":"AsF42Sg53","outcome":{"rrn":"bank_reference_code","total_amount":10000,"tip":0,"state":"pending","state_error":null,"method":"asanpardakht"},"payload":""}`
	residReply    = `{"message":"OK","info":` + residPayment + `,"errors":[]}`
	apReply       = `{"data":{"id":"6475","type":"payments","attributes":{"created_at":"2019-11-01T04:30:47.797788+0300","updated_at":"2019-11-01T04:34:42.986099+0300","account_id":505,"discount_amount":"0.0","total":"99.0","currency_code":"USD","comment":"cash","status":"completed","document_id":"2005258","expiration_date":null,"payment_method_id":2,"requester_ip":"10.0.0.203","manager_id":234,"purpose":"","external_total":null,"external_currency":null,"due_date":null,"payment_method_name":"Cash","closed_at":"2019-11-01T04:34:42.986099+0300"},"relationships":{"orders":{"data":[]},"invoices":{"data":[]},"corrections":{"data":[]},"reseller":{"data":{"id":"1","type":"resellers"}},"account":{"data":{"id":"505","type":"accounts"}},"payment_method":{"data":{"id":"2","type":"payment_methods"}}}}}`
)

const (
	token   = "bench-token"
	signKey = "bench-sign-key"
)

// server answers every request with body, after reading the request.
func server(b *testing.B, body string, contentType string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", contentType)
		if r.URL.Path == "/api/sessions/create" {
			_, _ = io.WriteString(w, uapaySession)
			return
		}
		_, _ = io.WriteString(w, body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// pooled is the transport both sides of a loopback benchmark use: the
// SDK's own settings (go-cleanhttp's pooled transport with a larger idle
// pool).
func pooled() *http.Transport {
	t := cleanhttp.DefaultPooledTransport()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 128
	return t
}

// plainClient is a hand-written client's http.Client with those settings.
func plainClient() *http.Client { return &http.Client{Transport: pooled()} }

// memBase is the base URL of the in-memory benchmarks: no connection is
// made, so they measure the CPU and allocations of the client code alone.
const memBase = "https://provider.example"

// routes answers in memory by path suffix; "" is the default reply.
type routes map[string]string

func (rs routes) RoundTrip(r *http.Request) (*http.Response, error) {
	body, ok := rs[r.URL.Path]
	if !ok {
		body = rs[""]
	}
	return staticReply(body).RoundTrip(r)
}

// send is the hand-written request/response cycle: build, authenticate,
// send, read, check the status.
func send(hc *http.Client, method, url string, header map[string]string, body []byte) ([]byte, error) {
	return sendCtx(benchCtx, hc, method, url, header, body)
}

// benchCtx is the context of every measured call, on both sides: it has a
// deadline, as a payment call should, so the SDK adds no default timeout
// and net/http does the same cancellation bookkeeping for both.
// BenchmarkPayDebt/sdk-default-timeout shows the cost of the default.
var benchCtx, benchCancel = context.WithTimeout(context.Background(), 24*time.Hour)

func TestMain(m *testing.M) {
	code := m.Run()
	benchCancel()
	os.Exit(code)
}

func sendCtx(ctx context.Context, hc *http.Client, method, url string, header map[string]string, body []byte) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return nil, err
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	return data, nil
}

func must(b *testing.B, err error) {
	if err != nil {
		b.Fatal(err)
	}
}

func BenchmarkPayDebt(b *testing.B) {
	payDebt(b, server(b, inexReply, "application/json").URL, pooled())
}

func BenchmarkPayDebtInMemory(b *testing.B) { payDebt(b, memBase, staticReply(inexReply)) }

func payDebt(b *testing.B, base string, rt http.RoundTripper) {
	req := &inex.PayDebtRequest{RoomNumber: "IG00001", PaymentID: "INV0001"}
	b.Run("sdk", func(b *testing.B) {
		c, err := inex.NewClient(token, inex.WithBaseURL(base+"/api/v1"), inex.WithHTTPClient(&http.Client{Transport: rt}))
		must(b, err)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			_, err := c.PayDebt(benchCtx, req)
			must(b, err)
		}
	})
	b.Run("sdk-default-timeout", func(b *testing.B) {
		// the caller's context has no deadline: the SDK adds its 30 s one
		c, err := inex.NewClient(token, inex.WithBaseURL(base+"/api/v1"), inex.WithHTTPClient(&http.Client{Transport: rt}))
		must(b, err)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			_, err := c.PayDebt(context.Background(), req)
			must(b, err)
		}
	})
	b.Run("nethttp", func(b *testing.B) {
		hc := &http.Client{Transport: rt}
		hdr := map[string]string{"Authorization": "Bearer " + token, "Content-Type": "application/json", "Accept": "application/json"}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			body, err := json.Marshal(map[string]string{"roomNumber": req.RoomNumber, "paymentId": req.PaymentID})
			must(b, err)
			data, err := send(hc, "POST", base+"/api/v1/integrators/payments/debts/pay", hdr, body)
			must(b, err)
			var out struct {
				Data struct {
					TransactionID json.Number `json:"transactionId"`
				} `json:"data"`
			}
			must(b, json.Unmarshal(data, &out))
			_ = &inex.PayDebtResult{TransactionID: out.Data.TransactionID.String()}
		}
	})
}

func BenchmarkCompletePayment(b *testing.B) {
	completePayment(b, server(b, apReply, "application/vnd.api+json").URL, pooled())
}

func BenchmarkCompletePaymentInMemory(b *testing.B) {
	completePayment(b, memBase, staticReply(apReply))
}

func completePayment(b *testing.B, base string, rt http.RoundTripper) {
	b.Run("sdk", func(b *testing.B) {
		c, err := activeplatform.NewClient(token, activeplatform.WithBaseURL(base), activeplatform.WithHTTPClient(&http.Client{Transport: rt}))
		must(b, err)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			_, err := c.CompletePayment(benchCtx, &activeplatform.CompletePaymentRequest{ResellerID: 1, PaymentID: 6475, PaymentMethodID: 2})
			must(b, err)
		}
	})
	b.Run("nethttp", func(b *testing.B) {
		hc := &http.Client{Transport: rt}
		hdr := map[string]string{"X-Api-Token": token, "Content-Type": "application/vnd.api+json", "Accept": "application/vnd.api+json"}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			// the same valid JSON:API document the SDK sends: type, id, attributes
			body, err := json.Marshal(map[string]any{"data": map[string]any{"type": "payments", "id": "6475",
				"attributes": map[string]int64{"payment_method_id": 2}}})
			must(b, err)
			data, err := send(hc, "PATCH", base+"/api/v3/resellers/1/payments/6475", hdr, body)
			must(b, err)
			_, err = activeplatform.DecodePayment(data) // the same decoder
			must(b, err)
		}
	})
}

func BenchmarkPayGuest(b *testing.B) {
	payGuest(b, server(b, payguestReply, "application/json").URL, pooled())
}

func BenchmarkPayGuestInMemory(b *testing.B) { payGuest(b, memBase, staticReply(payguestReply)) }

func payGuest(b *testing.B, base string, rt http.RoundTripper) {
	req := &payguest.PayGuestRequest{Payment: payguest.Payment{GuestID: "3F2504E0-4F89-11D3-9A0C-0305E82C3301",
		PaySum: payguest.MustDecimal("1240.50"), PayTypeID: "7C9E6679-7425-40DE-944B-E07FC1F90AE7"}}
	b.Run("sdk", func(b *testing.B) {
		c, err := payguest.NewClient(payguest.WithBaseURL(base), payguest.WithHTTPClient(&http.Client{Transport: rt}))
		must(b, err)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			_, err := c.PayGuest(benchCtx, req)
			must(b, err)
		}
	})
	b.Run("nethttp", func(b *testing.B) {
		hc := &http.Client{Transport: rt}
		hdr := map[string]string{"Content-Type": "application/json", "Accept": "application/json"}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			body, err := json.Marshal(map[string]any{"Payment": map[string]any{"gest_ID": req.Payment.GuestID,
				"paySum": json.Number(req.Payment.PaySum), "payType_ID": req.Payment.PayTypeID}})
			must(b, err)
			data, err := send(hc, "POST", base+"/pay-guest", hdr, body)
			must(b, err)
			var out payguest.PayGuestResult
			must(b, json.Unmarshal(data, &out))
		}
	})
}

// hs256 is a hand-written JWT signature, the work the nethttp side must do
// too.
func hs256(claims []byte) string {
	head := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	unsigned := head + "." + base64.RawURLEncoding.EncodeToString(claims)
	m := hmac.New(sha256.New, []byte(signKey))
	m.Write([]byte(unsigned))
	return unsigned + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func BenchmarkUpdateInvoice(b *testing.B) {
	updateInvoice(b, server(b, uapayReply, "application/json").URL, pooled())
}

func BenchmarkUpdateInvoiceInMemory(b *testing.B) {
	updateInvoice(b, memBase, routes{"/api/sessions/create": uapaySession, "": uapayReply})
}

func updateInvoice(b *testing.B, base string, rt http.RoundTripper) {
	const invoice = "065f927e-f78f-4d9a-ad07-cef58c16ca96"
	upd := &uapay.InvoiceUpdate{Tag: uapay.Ptr("Клиент 1"), RedirectURL: uapay.Ptr("https://uapay.ua"),
		ExtraInfo: json.RawMessage(`{"base":true,"origin":"invoicer","email":"test@ukr.net"}`)}
	b.Run("sdk", func(b *testing.B) {
		c, err := uapay.NewClient("client", uapay.Secret(signKey), uapay.WithBaseURL(base), uapay.WithHTTPClient(&http.Client{Transport: rt}))
		must(b, err)
		_, err = c.UpdateInvoice(benchCtx, invoice, upd) // creates the session
		must(b, err)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			_, err := c.UpdateInvoice(benchCtx, invoice, upd)
			must(b, err)
		}
	})
	b.Run("nethttp", func(b *testing.B) {
		hc := &http.Client{Transport: rt}
		hdr := map[string]string{"Content-Type": "application/json", "Accept": "application/json"}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			type signed struct {
				Params map[string]string `json:"params"`
				Data   map[string]string `json:"data"`
				Iat    int64             `json:"iat"`
				Token  string            `json:"token,omitempty"`
			}
			s := signed{Params: map[string]string{"sessionId": "00684a7f-3d5c-43f4-b4d1-ea994226be9c", "id": invoice},
				Data: map[string]string{"tag": *upd.Tag, "redirectUrl": *upd.RedirectURL, "extraInfo": string(upd.ExtraInfo)},
				Iat:  time.Now().Unix()}
			claims, err := json.Marshal(s)
			must(b, err)
			s.Token = hs256(claims)
			body, err := json.Marshal(s)
			must(b, err)
			data, err := send(hc, "POST", base+"/api/invoicer/invoices/update", hdr, body)
			must(b, err)
			var out struct {
				Status json.Number `json:"status"`
				Data   struct {
					ID string `json:"id"`
				} `json:"data"`
			}
			must(b, json.Unmarshal(data, &out))
		}
	})
}

func BenchmarkGetPayment(b *testing.B) {
	getPayment(b, server(b, residReply, "application/json").URL, pooled())
}

func BenchmarkGetPaymentInMemory(b *testing.B) { getPayment(b, memBase, staticReply(residReply)) }

func getPayment(b *testing.B, base string, rt http.RoundTripper) {
	b.Run("sdk", func(b *testing.B) {
		c, err := resid.NewClient(token, resid.WithBaseURL(base+"/api/v1"), resid.WithHTTPClient(&http.Client{Transport: rt}))
		must(b, err)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			_, err := c.GetPayment(benchCtx, "AsF42Sg53")
			must(b, err)
		}
	})
	b.Run("nethttp", func(b *testing.B) {
		hc := &http.Client{Transport: rt}
		hdr := map[string]string{"Authorization": token, "Accept": "application/json"}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			data, err := send(hc, "GET", base+"/api/v1/payments/AsF42Sg53", hdr, nil)
			must(b, err)
			var env struct {
				Message string          `json:"message"`
				Info    *resid.Payment  `json:"info"`
				Errors  json.RawMessage `json:"errors"`
			}
			must(b, json.Unmarshal(data, &env))
		}
	})
}

// BenchmarkConcurrent sends b.N GetPayment calls from 64 goroutines through
// one client and reports the TCP connections the server accepted ("conns")
// and the calls per second. Run it as in the README: -benchtime 320000x is
// 64 goroutines × 5 000 calls.
func BenchmarkConcurrent(b *testing.B) {
	const workers = 64
	run := func(b *testing.B, call func() error) {
		var conns atomic.Int64
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, residReply)
		}))
		srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
			if s == http.StateNew {
				conns.Add(1)
			}
		}
		srv.Start()
		defer srv.Close()
		base = srv.URL
		setup()
		b.ReportAllocs()
		b.ResetTimer()
		var next atomic.Int64
		var wg sync.WaitGroup
		start := time.Now()
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for next.Add(1) <= int64(b.N) {
					if err := call(); err != nil {
						b.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		b.ReportMetric(float64(conns.Load()), "conns")
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "calls/s")
	}
	var c *resid.Client
	var hc *http.Client
	b.Run("sdk", func(b *testing.B) {
		setup = func() {
			var err error
			c, err = resid.NewClient(token, resid.WithBaseURL(base+"/api/v1"))
			must(b, err)
		}
		run(b, func() error {
			_, err := c.GetPayment(benchCtx, "AsF42Sg53")
			return err
		})
	})
	b.Run("nethttp", func(b *testing.B) {
		setup = func() { hc = plainClient() }
		hdr := map[string]string{"Authorization": token, "Accept": "application/json"}
		run(b, func() error {
			data, err := send(hc, "GET", base+"/api/v1/payments/AsF42Sg53", hdr, nil)
			if err != nil {
				return err
			}
			var env struct {
				Info *resid.Payment `json:"info"`
			}
			return json.Unmarshal(data, &env)
		})
	})
}

var (
	base  string
	setup func()
)

// residPage is a list reply of 200 payments.
func residPage() []byte {
	var buf bytes.Buffer
	buf.WriteString(`{"message":"OK","info":[`)
	for i := 0; i < 200; i++ {
		if i > 0 {
			buf.WriteByte(',')
		}
		fmt.Fprintf(&buf, `{"merchant":{"display_name":"Taxi %d","display_image":"","display_biz_name":"Line 7"},"description":"ride %d","payer":"0938*****25","created":"2017-05-14T14:01:50.%06d+04:30","amount":%d,"paid":"2017-05-14T14:02:10.000000+04:30","token":"Tok%06d","outcome":{"rrn":"rrn-%d","total_amount":%d,"tip":0,"state":"paid","state_error":null,"method":"asanpardakht"},"payload":"ride-%d"}`,
			i, i, i, 10000+i, i, i, 10000+i, i)
	}
	buf.WriteString(`],"errors":[]}`)
	return buf.Bytes()
}

// plainResidPayment is what a hand-written client would decode into.
type plainResidPayment struct {
	Merchant struct {
		DisplayName    string `json:"display_name"`
		DisplayImage   string `json:"display_image"`
		DisplayBizName string `json:"display_biz_name"`
	} `json:"merchant"`
	Description string     `json:"description"`
	Payer       string     `json:"payer"`
	Created     time.Time  `json:"created"`
	Amount      int64      `json:"amount"`
	Paid        *time.Time `json:"paid"`
	Token       string     `json:"token"`
	Outcome     struct {
		RRN         string  `json:"rrn"`
		TotalAmount int64   `json:"total_amount"`
		Tip         int64   `json:"tip"`
		State       string  `json:"state"`
		StateError  *string `json:"state_error"`
		Method      string  `json:"method"`
	} `json:"outcome"`
	Payload string `json:"payload"`
}

// BenchmarkDecodeResidPage decodes a list page of 200 payments through the
// SDK (over an in-memory transport, so no network) and with plain
// encoding/json into equivalent structs.
func BenchmarkDecodeResidPage(b *testing.B) {
	page := string(residPage())
	b.Run("sdk", func(b *testing.B) {
		c, err := resid.NewClient(token, resid.WithBaseURL(resid.ProductionBaseURL), resid.WithHTTPClient(&http.Client{Transport: staticReply(page)}))
		must(b, err)
		b.SetBytes(int64(len(page)))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			ps, err := c.ListPayments(benchCtx, &resid.ListOptions{Size: 200})
			must(b, err)
			if len(ps) != 200 {
				b.Fatal(len(ps))
			}
		}
	})
	b.Run("plain", func(b *testing.B) {
		hc := &http.Client{Transport: staticReply(page)}
		b.SetBytes(int64(len(page)))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			data, err := send(hc, "GET", "https://resid.ir/api/v1/payments?size=200", nil, nil)
			must(b, err)
			var env struct {
				Message string              `json:"message"`
				Info    []plainResidPayment `json:"info"`
				Errors  []json.RawMessage   `json:"errors"`
			}
			must(b, json.Unmarshal(data, &env))
			if len(env.Info) != 200 {
				b.Fatal(len(env.Info))
			}
		}
	})
}

// staticReply is an in-memory RoundTripper answering every request with
// its text, so decode benchmarks measure no network. It reads the request
// body, as a server would.
type staticReply string

func (s staticReply) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(string(s))), ContentLength: int64(len(s)), Request: r}, nil
}

// apFull is a payment with every relationship filled.
func apFull() []byte {
	rel := func(typ string, n int) string {
		var buf bytes.Buffer
		buf.WriteString(`{"data":[`)
		for i := 0; i < n; i++ {
			if i > 0 {
				buf.WriteByte(',')
			}
			fmt.Fprintf(&buf, `{"id":"%d","type":"%s"}`, 1000+i, typ)
		}
		buf.WriteString(`]}`)
		return buf.String()
	}
	return []byte(`{"data":{"id":"6475","type":"payments","attributes":{"created_at":"2019-11-01T04:30:47.797788+0300","updated_at":"2019-11-01T04:34:42.986099+0300","account_id":505,"discount_amount":"0.0","total":"99.0","initial_total":"99.0","amount_paid_from_balance":"0.0","currency_code":"USD","comment":"cash","status":"completed","document_id":"2005258","expiration_date":"2019-12-01T04:30:47.797788+0300","payment_method_id":2,"requester_ip":"10.0.0.203","manager_id":234,"purpose":"renewal","external_total":"99.0","external_currency":"USD","due_date":"2019-11-15T00:00:00.000000+0300","payment_method_name":"Cash","closed_at":"2019-11-01T04:34:42.986099+0300"},"relationships":{` +
		`"orders":` + rel("orders", 10) + `,"invoices":` + rel("invoices", 10) + `,"corrections":` + rel("corrections", 5) + `,"charges":` + rel("charges", 20) +
		`,"reseller":{"data":{"id":"1","type":"resellers"}},"account":{"data":{"id":"505","type":"accounts"}},"payment_method":{"data":{"id":"2","type":"payment_methods"}}}}}`)
}

// plainAPPayment is what a hand-written client would decode into (times as
// text: encoding/json cannot parse +0300).
type plainAPPayment struct {
	Data struct {
		ID         string `json:"id"`
		Type       string `json:"type"`
		Attributes struct {
			CreatedAt             string  `json:"created_at"`
			UpdatedAt             string  `json:"updated_at"`
			AccountID             int64   `json:"account_id"`
			DiscountAmount        *string `json:"discount_amount"`
			Total                 *string `json:"total"`
			InitialTotal          *string `json:"initial_total"`
			AmountPaidFromBalance *string `json:"amount_paid_from_balance"`
			CurrencyCode          string  `json:"currency_code"`
			Comment               string  `json:"comment"`
			Status                string  `json:"status"`
			DocumentID            string  `json:"document_id"`
			ExpirationDate        *string `json:"expiration_date"`
			PaymentMethodID       int64   `json:"payment_method_id"`
			RequesterIP           string  `json:"requester_ip"`
			ManagerID             int64   `json:"manager_id"`
			Purpose               string  `json:"purpose"`
			ExternalTotal         *string `json:"external_total"`
			ExternalCurrency      *string `json:"external_currency"`
			DueDate               *string `json:"due_date"`
			PaymentMethodName     string  `json:"payment_method_name"`
			ClosedAt              *string `json:"closed_at"`
		} `json:"attributes"`
		Relationships struct {
			Orders        struct{ Data []plainRef } `json:"orders"`
			Invoices      struct{ Data []plainRef } `json:"invoices"`
			Corrections   struct{ Data []plainRef } `json:"corrections"`
			Charges       struct{ Data []plainRef } `json:"charges"`
			Reseller      struct{ Data *plainRef }  `json:"reseller"`
			Account       struct{ Data *plainRef }  `json:"account"`
			PaymentMethod struct{ Data *plainRef }  `json:"payment_method"`
		} `json:"relationships"`
	} `json:"data"`
}

type plainRef struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// apLayout parses ActivePlatform's timestamps, which time.RFC3339 rejects.
const apLayout = "2006-01-02T15:04:05.999999-0700"

func BenchmarkDecodeActivePlatformPayment(b *testing.B) {
	doc := apFull()
	b.Run("sdk", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			p, err := activeplatform.DecodePayment(doc)
			must(b, err)
			if len(p.Relationships.Charges) != 20 {
				b.Fatal(len(p.Relationships.Charges))
			}
		}
	})
	b.Run("plain", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var p plainAPPayment
			must(b, json.Unmarshal(doc, &p))
			if len(p.Data.Relationships.Charges.Data) != 20 {
				b.Fatal(len(p.Data.Relationships.Charges.Data))
			}
			a := &p.Data.Attributes
			for _, s := range []*string{&a.CreatedAt, &a.UpdatedAt, a.ClosedAt, a.ExpirationDate, a.DueDate} {
				if s != nil {
					_, err := time.Parse(apLayout, *s)
					must(b, err)
				}
			}
		}
	})
}
