package uapaytest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// call sends a signed request and decodes the reply.
func call(t *testing.T, srv *Server, path, params, data string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(srv.URL+path, "application/json", bytes.NewReader(signed(params, data, srv.Now().Unix())))
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, out
}

func fields(m map[string]any) map[string]any {
	e, _ := m["error"].(map[string]any)
	f, _ := e["fields"].(map[string]any)
	return f
}

func TestStringFieldsMustBeStrings(t *testing.T) {
	srv := fx.start(t)
	inv := srv.AddInvoice(Invoice{ID: SeedInvoiceID, Tag: "kept", Description: "d"})
	params := `{"sessionId":"` + hookSession + `","id":"` + inv + `"}`
	for _, tc := range []struct{ path, params, data, field string }{
		{"/api/invoicer/invoices/update", params, `{"tag":5}`, "tag"},
		{"/api/invoicer/invoices/update", params, `{"tag":null}`, "tag"},
		{"/api/invoicer/invoices/update", params, `{"callbackUrl":7}`, "callbackUrl"},
		{"/api/invoicer/invoices/update", params, `{"redirectUrl":{"url":"https://x"}}`, "redirectUrl"},
		{"/api/invoicer/invoices/create", `{"sessionId":"` + hookSession + `","systemType":"ECOM"}`,
			`{"externalId":"o","type":"PAY","amount":1,"description":42}`, "description"},
		{"/api/invoicer/invoices/create", `{"sessionId":"` + hookSession + `","systemType":"ECOM"}`,
			`{"externalId":"o","type":"PAY","amount":1,"description":"d","email":true}`, "email"},
		{"/api/invoicer/invoices/create", `{"sessionId":"` + hookSession + `","systemType":1}`,
			`{"externalId":"o","type":"PAY","amount":1,"description":"d"}`, "systemType"},
		{"/api/invoicer/invoices/show", `{"sessionId":"` + hookSession + `","id":5}`, "", "id"},
		{"/api/invoicer/invoices/show", `{"sessionId":7,"id":"` + inv + `"}`, "", "sessionId"},
		{"/api/sessions/create", `{"clientId":1}`, "", "clientId"},
	} {
		st, out := call(t, srv, tc.path, tc.params, tc.data)
		assert.Equal(t, 400, st, tc.data)
		assert.Equal(t, "FORMAT_ERROR", code(out), tc.data)
		f := fields(out)
		part := "data"
		if !strings.Contains(tc.data, tc.field) {
			part = "params"
		}
		assert.Equal(t, map[string]any{tc.field: "MUST_BE_STRING"}, f[part], tc.data)
	}
	stored, _ := srv.Invoice(inv)
	assert.Equal(t, "kept", stored.Tag, "a refused update changes nothing")
	assert.Zero(t, srv.Updates(inv))
	assert.Equal(t, 1, srv.InvoiceCount(), "no invoice created")
}

func TestUnknownFieldsAreRefused(t *testing.T) {
	srv := fx.start(t)
	inv := srv.AddInvoice(Invoice{})
	st, out := call(t, srv, "/api/invoicer/invoices/update", `{"sessionId":"`+hookSession+`","id":"`+inv+`"}`,
		`{"cardToId":"c9cc0a38-c5f5-429d-89d6-e4be3656560c"}`)
	assert.Equal(t, 400, st)
	assert.Equal(t, map[string]any{"cardToId": "UNKNOWN_FIELD"}, fields(out)["data"], "the seed's flat cardToId")
	st, out = call(t, srv, "/api/invoicer/invoices/create", `{"sessionId":"`+hookSession+`","systemType":"ECOM"}`,
		`{"externalId":"o","type":"PAY","amount":1,"description":"d","colour":"red"}`)
	assert.Equal(t, 400, st)
	assert.Equal(t, map[string]any{"colour": "UNKNOWN_FIELD"}, fields(out)["data"])
}

func TestCreateShowUpdateRoundTrip(t *testing.T) {
	srv := fx.start(t)
	sp := `{"sessionId":"` + hookSession + `","systemType":"P2P"}`
	st, out := call(t, srv, "/api/invoicer/invoices/create", sp, `{"externalId":"o-1","type":"HOLD","amount":500,"cardTo":{"id":"b8220f46-8c28-4068-9488-2e1b37359b06"},`+
		`"description":"d","email":"a@b.c","redirectUrl":"https://r","callbackUrl":"https://c","extraInfo":"{\"a\":1}","expiresAt":1893456000000}`)
	require.Equal(t, 200, st, out)
	data := out["data"].(map[string]any)
	id := data["id"].(string)
	assert.Equal(t, srv.URL+"/invoice/"+id, data["paymentPageUrl"])
	assert.Equal(t, 1, srv.InvoicesByExternalID("o-1"))

	st, out = call(t, srv, "/api/invoicer/invoices/update", `{"sessionId":"`+hookSession+`","id":"`+id+`"}`,
		`{"cardTo":{"pan":"4134170000010886","id":"c9cc0a38-c5f5-429d-89d6-e4be3656560c"},"tag":"t","redirectUrl":"https://r2","callbackUrl":"https://c2","extraInfo":"{\"b\":2}"}`)
	require.Equal(t, 200, st, out)
	st, out = call(t, srv, "/api/invoicer/invoices/show", `{"sessionId":"`+hookSession+`","id":"`+id+`"}`, "")
	require.Equal(t, 200, st)
	inv := out["data"].(map[string]any)
	assert.Equal(t, "t", inv["tag"])
	assert.Equal(t, "https://r2", inv["redirectUrl"])
	assert.Equal(t, "https://c2", inv["callbackUrl"])
	assert.Equal(t, map[string]any{"b": float64(2)}, inv["extraInfo"], "extraInfo comes back as an object")
	assert.Equal(t, map[string]any{"id": "c9cc0a38-c5f5-429d-89d6-e4be3656560c", "panMasked": "413417******0886"}, inv["cardTo"])
	assert.Equal(t, float64(1893456000000), inv["expiresAt"])
	assert.Equal(t, "HOLD", inv["type"])

	for _, tc := range []struct{ params, data, want string }{
		{`{"sessionId":"` + hookSession + `","id":"` + id + `"}`, `{"cardTo":{}}`, "cardTo"},
		{`{"sessionId":"` + hookSession + `","id":"` + id + `"}`, `{"cardTo":{"id":"x"}}`, "cardTo.id"},
		{`{"sessionId":"` + hookSession + `","id":"` + id + `"}`, `{"extraInfo":"[1"}`, "extraInfo"},
		{`{"sessionId":"` + hookSession + `","id":"x"}`, `{}`, "id"},
		{`{"sessionId":"` + hookSession + `"}`, `{}`, "id"},
		{`{"id":"` + id + `"}`, `{}`, "sessionId"},
		{`{"sessionId":"x","id":"` + id + `"}`, `{}`, "sessionId"},
	} {
		st, out = call(t, srv, "/api/invoicer/invoices/update", tc.params, tc.data)
		assert.Equal(t, 400, st, tc.data)
		assert.Equal(t, "FORMAT_ERROR", code(out), tc.data)
	}
	st, out = call(t, srv, "/api/invoicer/invoices/update", `{"sessionId":"`+hookSession+`","id":"6e391161-94ff-41a3-bd22-c6d77509bff6"}`, `{}`)
	assert.Equal(t, "INVOICE_NOT_FOUND", code(out))
	assert.Equal(t, 400, st)
	for _, data := range []string{`{"type":"PAY","amount":1}`, `{"externalId":"o","type":"X","amount":1}`,
		`{"externalId":"o","type":"PAY","amount":1,"expiresAt":-1}`, `{"externalId":"o","type":"PAY","amount":1,"callbackUrl":"ftp://x"}`,
		`{"externalId":"o","type":"PAY","amount":1,"extraInfo":{}}`} {
		st, out = call(t, srv, "/api/invoicer/invoices/create", sp, data)
		assert.Equal(t, 400, st, data)
		assert.Equal(t, "FORMAT_ERROR", code(out), data)
	}
	st, out = call(t, srv, "/api/invoicer/invoices/create", `{"sessionId":"`+hookSession+`","systemType":"X"}`, `{}`)
	assert.Equal(t, "FORMAT_ERROR", code(out))
	assert.Equal(t, 400, st)
	st, out = call(t, srv, "/api/sessions/create", `{"clientId":"stranger"}`, "")
	assert.Equal(t, "AUTH_ERROR", code(out))
	assert.Equal(t, 400, st)
	st, _ = call(t, srv, "/api/nothing", `{}`, "")
	assert.Equal(t, 404, st)
}

// TestIatIsCheckedWhenTheRequestArrives: the clock moves 60 s between the
// request's arrival and its processing (as under an injected delay); the
// request signed at arrival is still on time.
func TestIatIsCheckedWhenTheRequestArrives(t *testing.T) {
	srv := fx.start(t)
	inv := srv.AddInvoice(Invoice{})
	t0 := time.Now()
	var mu sync.Mutex
	calls := 0
	srv.SetClock(func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls == 1 {
			return t0
		}
		return t0.Add(60 * time.Second)
	})
	body := signed(`{"sessionId":"`+hookSession+`","id":"`+inv+`"}`, "", t0.Unix())
	resp, err := http.Post(srv.URL+"/api/invoicer/invoices/show", "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode, string(b))
}

func TestAnswerShapeOptions(t *testing.T) {
	srv := fx.start(t, WithSessionIDInData(), WithSignedReplies(), WithErrorStatus(200))
	st, out := call(t, srv, "/api/sessions/create", `{"clientId":"`+ClientID+`"}`, "")
	require.Equal(t, 200, st)
	assert.Equal(t, float64(1), out["status"])
	tok := out["data"].(map[string]any)["token"].(string)
	claims, ok := verify(tok)
	require.True(t, ok)
	var c map[string]any
	require.NoError(t, json.Unmarshal(claims, &c))
	assert.True(t, transportUUID(c["id"]), "the session id inside the signed data")
	assert.Equal(t, 1, srv.SessionsCreated())
	st, out = call(t, srv, "/api/sessions/create", `{}`, "")
	assert.Equal(t, 200, st, "errors with HTTP 200")
	assert.Equal(t, "FORMAT_ERROR", code(out))

	plain := fx.start(t)
	st, out = call(t, plain, "/api/sessions/create", `{"clientId":"`+ClientID+`"}`, "")
	require.Equal(t, 200, st)
	assert.Equal(t, "1", out["status"], "the documented shape: status a string, id at the top")
	assert.NotEmpty(t, out["id"])
	plain.SignReplies(true)
	plain.SessionReplyInData(true)
	plain.SetErrorStatus(200)
	st, out = call(t, plain, "/api/sessions/create", `{"clientId":"`+ClientID+`"}`, "")
	assert.Equal(t, 200, st)
	assert.NotNil(t, out["data"])
}

func transportUUID(v any) bool { s, _ := v.(string); return len(s) == 36 }

func TestSessionsExpire(t *testing.T) {
	srv := fx.start(t, WithNow(time.Now()))
	srv.SetSessionTTL(time.Minute)
	_, out := call(t, srv, "/api/sessions/create", `{"clientId":"`+ClientID+`"}`, "")
	sid := out["id"].(string)
	inv := srv.AddInvoice(Invoice{})
	st, _ := call(t, srv, "/api/invoicer/invoices/show", `{"sessionId":"`+sid+`","id":"`+inv+`"}`, "")
	assert.Equal(t, 200, st)
	srv.Advance(2 * time.Minute)
	_, out = call(t, srv, "/api/invoicer/invoices/show", `{"sessionId":"`+sid+`","id":"`+inv+`"}`, "")
	assert.Equal(t, "SESSION_EXPIRED", code(out))
	srv.ExpireSessions()
	_, out = call(t, srv, "/api/invoicer/invoices/show", `{"sessionId":"`+hookSession+`","id":"`+inv+`"}`, "")
	assert.Equal(t, "SESSION_EXPIRED", code(out))
}

// receiver is a callback endpoint that fails its first n deliveries.
type receiver struct {
	mu     sync.Mutex
	fail   int
	tokens []string
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	var body struct{ Token string }
	_ = json.NewDecoder(req.Body).Decode(&body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tokens = append(r.tokens, body.Token)
	if r.fail > 0 {
		r.fail--
		w.WriteHeader(http.StatusInternalServerError)
	}
}

func TestPayInvoiceDeliversCallbacksOnTheRetrySchedule(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	srv := fx.start(t, WithNow(t0))
	rcv := &receiver{fail: 3}
	hs := httptest.NewServer(rcv)
	defer hs.Close()
	id := srv.AddInvoice(Invoice{ExternalID: "order-9", Amount: 2500, CallbackURL: hs.URL, ExtraInfo: json.RawMessage(`{"a":1}`)})

	p, err := srv.PayInvoice(id)
	require.NoError(t, err)
	assert.Equal(t, "FINISHED", p.PaymentStatus)
	assert.Equal(t, int64(2500), p.Amount)
	require.Len(t, srv.Deliveries(), 1)
	assert.Equal(t, 500, srv.Deliveries()[0].Status)
	assert.Equal(t, 1, srv.PendingCallbacks())

	srv.Advance(4 * time.Second)
	assert.Len(t, srv.Deliveries(), 1, "not yet 5 s")
	srv.Advance(time.Second)
	assert.Len(t, srv.Deliveries(), 2)
	srv.Advance(5*time.Minute + time.Hour) // two retries due in one move, sent in order
	ds := srv.Deliveries()
	require.Len(t, ds, 4)
	for i, at := range []time.Duration{0, 5 * time.Second, 5*time.Second + 5*time.Minute, 5*time.Second + 5*time.Minute + time.Hour} {
		assert.Equal(t, t0.Add(at), ds[i].At, "attempt %d", i+1)
		assert.Equal(t, i+1, ds[i].Attempt)
	}
	assert.True(t, ds[3].Delivered)
	assert.Zero(t, srv.PendingCallbacks())
	assert.Equal(t, t0.Add(5*time.Second+5*time.Minute+time.Hour), srv.Now())

	claims, ok := verify(rcv.tokens[0])
	require.True(t, ok, "signed with SignKey")
	var cb Callback
	require.NoError(t, json.Unmarshal(claims, &cb))
	assert.Equal(t, Callback{PaymentID: p.PaymentID, InvoiceID: id, ExternalID: "order-9", PaymentNumber: p.PaymentNumber,
		CardFromMasked: p.CardFromMasked, Amount: 2500, Status: "PAID", Type: "PAY", SystemType: "ECOM",
		PaymentStatus: "FINISHED", ExtraInfo: json.RawMessage(`{"a":1}`), CreateDate: t0.Format(time.RFC3339Nano),
		PayDate: t0.Format(time.RFC3339Nano)}, cb)

	inv, _ := srv.Invoice(id)
	require.Len(t, inv.Payments, 1)
	_, err = srv.PayInvoice(id)
	assert.Error(t, err, "paid already")
	_, err = srv.PayInvoice("nope")
	assert.Error(t, err)
	closed := srv.AddInvoice(Invoice{InvoiceStatus: "INACTIVE"})
	_, err = srv.PayInvoice(closed)
	assert.Error(t, err)
	expired := srv.AddInvoice(Invoice{ExpiresAt: srv.Now()})
	_, err = srv.PayInvoice(expired)
	assert.Error(t, err, "expired")
}

func TestCallbacksStopAfterTheLastRetry(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	srv := fx.start(t, WithNow(t0))
	rcv := &receiver{fail: 100}
	hs := httptest.NewServer(rcv)
	defer hs.Close()
	hold := srv.AddInvoice(Invoice{Type: "HOLD", Amount: 1, CallbackURL: hs.URL})
	p, err := srv.PayInvoice(hold)
	require.NoError(t, err)
	assert.Equal(t, "HOLDED", p.PaymentStatus)
	srv.SetNow(t0.Add(72 * time.Hour))
	ds := srv.Deliveries()
	require.Len(t, ds, 6, "the first attempt and five retries")
	assert.Equal(t, t0.Add(5*time.Second+5*time.Minute+3*time.Hour+24*time.Hour), ds[5].At)
	assert.Zero(t, srv.PendingCallbacks())
	assert.Equal(t, t0.Add(72*time.Hour), srv.Now())

	// An unreachable receiver counts as a failed attempt too.
	gone := srv.AddInvoice(Invoice{CallbackURL: "http://127.0.0.1:1/cb"})
	_, err = srv.PayInvoice(gone)
	require.NoError(t, err)
	last := srv.Deliveries()[len(srv.Deliveries())-1]
	assert.NotEmpty(t, last.Err)
	assert.Equal(t, 1, srv.PendingCallbacks())
	srv.Close()
	srv.Advance(time.Hour)
	assert.Len(t, srv.Deliveries(), 7, "no delivery after Close")
	none := srv.AddInvoice(Invoice{})
	_, err = srv.PayInvoice(none)
	assert.NoError(t, err, "no callbackUrl: paid without a callback")
}

func TestSendCallback(t *testing.T) {
	srv := fx.start(t)
	rcv := &receiver{fail: 1}
	hs := httptest.NewServer(rcv)
	defer hs.Close()
	ctx := context.Background()
	assert.Error(t, srv.SendCallback(ctx, hs.URL, Callback{PaymentID: "p"}), "500: UAPAY would retry")
	assert.NoError(t, srv.SendCallback(ctx, hs.URL, Callback{PaymentID: "p"}))
	assert.Error(t, srv.SendCallback(ctx, "http://127.0.0.1:1/", Callback{}))
	assert.Error(t, srv.SendCallback(ctx, "::", Callback{}))
	_, ok := verify(SignWith("other", []byte(`{}`)))
	assert.False(t, ok)
	_, ok = verify("a.b")
	assert.False(t, ok)
}
