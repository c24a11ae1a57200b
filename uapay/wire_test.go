package uapay_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/caravanpay/caravan/uapay"
	"github.com/caravanpay/caravan/uapay/uapaytest"
)

func TestUpdateInvoiceWire(t *testing.T) {
	m := newMock(t)
	m.on("api/sessions/create", ok(sessionReply))
	// the seed's example answer
	m.on("api/invoicer/invoices/update", ok(`{
    "status": 1,
    "data": {
        "id": "edacfce8-eb97-4f4f-8fa2-0fb044932ac3"
    }
}`))
	c := mockClient(t, m)
	id, err := c.UpdateInvoice(context.Background(), invoiceID, &uapay.InvoiceUpdate{
		CardTo:      &uapay.CardTo{PAN: seedPAN, ID: cardID},
		Tag:         uapay.Ptr("Клиент 1"),
		RedirectURL: uapay.Ptr("https://uapay.ua"),
		CallbackURL: uapay.Ptr("http://ptsv2.com/t/test_server/post"),
		ExtraInfo:   json.RawMessage(`{"base":true, "origin":"invoicer","email":"test@ukr.net"}`),
	})
	require.NoError(t, err)
	assert.Equal(t, "edacfce8-eb97-4f4f-8fa2-0fb044932ac3", id)

	reqs := m.requests()
	require.Len(t, reqs, 2)
	s := reqs[0]
	assert.Equal(t, "POST", s.Method)
	assert.Equal(t, mockBase+"api/sessions/create", s.URL)
	tok, rest := splitBody(t, s.Body)
	assert.Equal(t, `{"params":{"clientId":"caravan-test-client"},"iat":1700000000,"token":"T"}`, rest)
	h, claims := openJWT(t, tok)
	assert.Equal(t, `{"alg":"HS256","typ":"JWT"}`, h)
	assert.Equal(t, `{"params":{"clientId":"caravan-test-client"},"iat":1700000000}`, claims)

	u := reqs[1]
	assert.Equal(t, "POST", u.Method)
	assert.Equal(t, mockBase+"api/invoicer/invoices/update", u.URL)
	assert.Equal(t, "application/json", u.Header.Get("Content-Type"))
	assert.Equal(t, "application/json", u.Header.Get("Accept"))
	assert.True(t, strings.HasPrefix(u.Header.Get("User-Agent"), "caravan-go/"), u.Header.Get("User-Agent"))
	assert.Empty(t, u.Header.Get("Authorization"))
	tok, rest = splitBody(t, u.Body)
	wantPD := `"params":{"sessionId":"` + sessionID + `","id":"` + invoiceID + `"},` +
		`"data":{"cardTo":{"pan":"4134170000010886","id":"` + cardID + `"},"tag":"Клиент 1",` +
		`"redirectUrl":"https://uapay.ua","callbackUrl":"http://ptsv2.com/t/test_server/post",` +
		`"extraInfo":"{\"base\":true,\"origin\":\"invoicer\",\"email\":\"test@ukr.net\"}"}`
	assert.Equal(t, `{`+wantPD+`,"iat":1700000000,"token":"T"}`, rest)
	_, claims = openJWT(t, tok)
	assert.Equal(t, `{`+wantPD+`,"iat":1700000000}`, claims)
}

func TestCreateAndShowInvoiceWire(t *testing.T) {
	m := newMock(t)
	m.on("api/sessions/create", ok(`{"status":1,"data":{"id":"`+sessionID+`"}}`))
	m.on("api/invoicer/invoices/create", ok(`{"status":1,"data":{"id":"`+invoiceID+`","paymentPageUrl":"https://pay.example/p","paymentPageUrlQR":"https://pay.example/qr"}}`))
	m.on("api/invoicer/invoices/show", ok(`{"status":1,"data":{"id":"`+invoiceID+`","externalId":"order-7",
		"systemType":"ECOM","type":"PAY","invoiceStatus":"ACTIVE","amount":"10050","description":"d",
		"extraInfo":{"base":true},"createdAt":"2019-11-01T04:30:47.797+0300","expiresAt":1700003600000,
		"payments":[{"paymentId":"p-1","paymentNumber":"N1","paymentStatus":"PAYED","status":"FINISHED",
		"amount":10050,"cardFromMasked":"413417******0886","createdAt":"2019-11-01T04:31:00Z","payDate":null},
		{"id":"p-2","paymentStatus":"SOMETHING_NEW","amount":1,"createDate":1572571860}]}}`))
	m.on("api/invoicer/invoices/show/list", ok(`{"status":1,"data":{"invoices":[]}}`))
	c := mockClient(t, m)
	ctx := context.Background()
	created, err := c.CreateInvoice(ctx, &uapay.CreateInvoiceRequest{
		ExternalID: "order-7", Amount: 10050, Description: "Замовлення 7", Email: "a@b.ua",
		RedirectURL: "https://shop.example/ok", CallbackURL: "https://shop.example/cb",
		ExtraInfo: json.RawMessage(`{"a": 1}`), PayExpiresAt: fixedNow.Add(600e9), ExpiresAt: fixedNow.Add(3600e9),
	})
	require.NoError(t, err)
	assert.Equal(t, &uapay.CreatedInvoice{ID: invoiceID, PaymentPageURL: "https://pay.example/p",
		PaymentPageURLQR: "https://pay.example/qr"}, created)

	inv, err := c.ShowInvoice(ctx, invoiceID)
	require.NoError(t, err)
	assert.Equal(t, "order-7", inv.ExternalID)
	assert.Equal(t, uapay.InvoiceActive, inv.InvoiceStatus)
	assert.Equal(t, uapay.SystemECOM, inv.SystemType)
	assert.Equal(t, uapay.TypePay, inv.Type)
	assert.Equal(t, int64(10050), inv.Amount)
	assert.JSONEq(t, `{"base":true}`, string(inv.ExtraInfo))
	assert.Equal(t, "2019-11-01T01:30:47.797Z", inv.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z07:00"))
	require.NotNil(t, inv.ExpiresAt)
	assert.Equal(t, fixedNow.Add(3600e9).Unix(), inv.ExpiresAt.Unix())
	require.Len(t, inv.Payments, 2)
	assert.Equal(t, uapay.Payment{ID: "p-1", InvoiceID: invoiceID, Number: "N1", Status: "FINISHED", PaymentStatus: uapay.PaymentPayed,
		Amount: 10050, CardFromMasked: "413417******0886", CreatedAt: inv.Payments[0].CreatedAt}, inv.Payments[0])
	assert.Equal(t, "p-2", inv.Payments[1].ID)
	assert.Equal(t, uapay.PaymentStatus("SOMETHING_NEW"), inv.Payments[1].PaymentStatus)
	assert.Equal(t, int64(1572571860), inv.Payments[1].CreatedAt.Unix())

	reqs := m.requests()
	require.Len(t, reqs, 4)
	// CreateInvoice first looks for an invoice with the same externalId
	_, rest := splitBody(t, reqs[1].Body)
	assert.Equal(t, `{"params":{"sessionId":"`+sessionID+`","externalIds":["order-7"]},"iat":1700000000,"token":"T"}`, rest)
	_, rest = splitBody(t, reqs[2].Body)
	assert.Equal(t, `{"params":{"sessionId":"`+sessionID+`","systemType":"ECOM"},"data":{"externalId":"order-7",`+
		`"type":"PAY","amount":10050,"description":"Замовлення 7","email":"a@b.ua","redirectUrl":"https://shop.example/ok",`+
		`"callbackUrl":"https://shop.example/cb","extraInfo":"{\"a\":1}","payExpiresAt":1700000600000,"expiresAt":1700003600000},`+
		`"iat":1700000000,"token":"T"}`, rest, "payExpiresAt is the invoice's deadline, expiresAt the end of recurring payments")
	_, rest = splitBody(t, reqs[3].Body)
	assert.Equal(t, `{"params":{"sessionId":"`+sessionID+`","id":"`+invoiceID+`"},"iat":1700000000,"token":"T"}`, rest)
}

func TestSessionReplyShapes(t *testing.T) {
	signed := uapaytest.Sign([]byte(`{"id":"` + sessionID + `","iat":1700000000}`))
	for name, body := range map[string]string{
		"documented":    `{"status":"1","id":"` + sessionID + `"}`,
		"data":          `{"status":1,"data":{"id":"` + sessionID + `"}}`,
		"signed data":   `{"status":1,"data":{"token":"` + signed + `"}}`,
		"numeric id":    `{"status":1,"id":12345}`,
		"status absent": `{"id":"` + sessionID + `"}`,
	} {
		t.Run(name, func(t *testing.T) {
			m := newMock(t)
			m.on("api/sessions/create", ok(body))
			id, err := mockClient(t, m).CreateSession(context.Background())
			require.NoError(t, err)
			want := sessionID
			if name == "numeric id" {
				want = "12345"
			}
			assert.Equal(t, want, id)
		})
	}
	m := newMock(t)
	m.on("api/sessions/create", ok(`{"status":1}`))
	_, err := mockClient(t, m).CreateSession(context.Background())
	assert.ErrorIs(t, err, uapay.ErrUnexpectedResponse)
}

func TestSignedReplies(t *testing.T) {
	good := uapaytest.Sign([]byte(`{"id":"` + invoiceID + `"}`))
	cases := map[string]struct {
		tok  string
		want error
	}{
		"good":      {good, nil},
		"wrong key": {token(`{"alg":"HS256","typ":"JWT"}`, `{"id":"x"}`, "other"), uapay.ErrSignature},
		"alg none":  {strings.Join(strings.Split(token(`{"alg":"none"}`, `{"id":"x"}`, ""), ".")[:2], ".") + ".", uapay.ErrSignature},
		"HS512":     {token(`{"alg":"HS512"}`, `{"id":"x"}`, uapaytest.SignKey), uapay.ErrSignature},
		"garbage":   {"abc", uapay.ErrSignature},
		"expired":   {token(`{"alg":"HS256"}`, `{"id":"x","exp":1600000000}`, uapaytest.SignKey), uapay.ErrSignature},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			m := newMock(t)
			m.on("api/sessions/create", ok(sessionReply))
			m.on("api/invoicer/invoices/update", ok(`{"status":1,"data":{"token":"`+tc.tok+`"}}`))
			id, err := mockClient(t, m).UpdateInvoice(context.Background(), invoiceID, &uapay.InvoiceUpdate{Tag: uapay.Ptr("t")})
			if tc.want == nil {
				require.NoError(t, err)
				assert.Equal(t, invoiceID, id)
				return
			}
			assert.ErrorIs(t, err, tc.want)
			assert.ErrorIs(t, err, uapay.ErrUnexpectedResponse)
			var e *uapay.Error
			assert.ErrorAs(t, err, &e)
		})
	}
}

func TestErrorShapes(t *testing.T) {
	cases := []struct {
		name    string
		rep     reply
		is      []error
		code    string
		message string
		fields  uapay.FieldErrors
	}{
		{"format 400", reply{400, `{"status":0,"error":{"code":"FORMAT_ERROR","message":"Bad format","fields":{"params":{"clientId":"REQUIRED"},"data":{"cardTo":{"pan":"INVALID"}}}}}`},
			[]error{uapay.ErrFormat, uapay.ErrValidation}, "FORMAT_ERROR", "Bad format",
			uapay.FieldErrors{Params: map[string]string{"clientId": "REQUIRED"}, Data: map[string]string{"cardTo.pan": "INVALID"}}},
		{"timelimit 200 no status", ok(`{"error":{"code":"TIMELIMIT_ERROR"}}`),
			[]error{uapay.ErrTimeLimit, uapay.ErrValidation}, "TIMELIMIT_ERROR", "", uapay.FieldErrors{}},
		{"status string 0", ok(`{"status":"0"}`), []error{uapay.ErrValidation}, "", "", uapay.FieldErrors{}},
		{"status false", ok(`{"status":false,"message":"nope"}`), []error{uapay.ErrValidation}, "", "nope", uapay.FieldErrors{}},
		{"error string", ok(`{"status":0,"error":"SOMETHING"}`), []error{uapay.ErrValidation}, "SOMETHING", "", uapay.FieldErrors{}},
		{"not found 400", reply{400, `{"status":0,"error":{"code":"INVOICE_NOT_FOUND","message":"no"}}`},
			[]error{uapay.ErrNotFound, uapay.ErrValidation}, "INVOICE_NOT_FOUND", "no", uapay.FieldErrors{}},
		{"signature 401", reply{401, `{"error":{"code":"SIGNATURE_ERROR","message":123}}`},
			[]error{uapay.ErrSignature, uapay.ErrUnauthorized}, "SIGNATURE_ERROR", "123", uapay.FieldErrors{}},
		{"auth 200", ok(`{"status":0,"error":{"code":"AUTH_ERROR"}}`), []error{uapay.ErrUnauthorized}, "AUTH_ERROR", "", uapay.FieldErrors{}},
		{"odd fields", reply{400, `{"status":0,"error":{"code":"FORMAT_ERROR","fields":"oops"}}`},
			[]error{uapay.ErrFormat, uapay.ErrValidation}, "FORMAT_ERROR", "", uapay.FieldErrors{}},
		{"html 502", reply{502, `<html><body>Bad gateway</body></html>`}, []error{uapay.ErrServer}, "", "", uapay.FieldErrors{}},
		{"html 400", reply{400, `<html>bad</html>`}, []error{uapay.ErrValidation}, "", "", uapay.FieldErrors{}},
		{"empty", ok(``), []error{uapay.ErrUnexpectedResponse}, "", "", uapay.FieldErrors{}},
		{"truncated", ok(`{"status":1,"data":{"id":`), []error{uapay.ErrUnexpectedResponse}, "", "", uapay.FieldErrors{}},
		{"bare string", ok(`"oops"`), []error{uapay.ErrUnexpectedResponse}, "", "", uapay.FieldErrors{}},
		{"null data", ok(`{"status":1,"data":null}`), []error{uapay.ErrUnexpectedResponse}, "", "", uapay.FieldErrors{}},
		{"null id", ok(`{"status":1,"data":{"id":null}}`), []error{uapay.ErrUnexpectedResponse}, "", "", uapay.FieldErrors{}},
		{"data wrong type", ok(`{"status":1,"data":[1]}`), []error{uapay.ErrUnexpectedResponse}, "", "", uapay.FieldErrors{}},
		{"html 200", ok(`<html>hi</html>`), []error{uapay.ErrUnexpectedResponse}, "", "", uapay.FieldErrors{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMock(t)
			m.on("api/sessions/create", ok(sessionReply))
			m.on("api/invoicer/invoices/update", tc.rep)
			_, err := mockClient(t, m).UpdateInvoice(context.Background(), invoiceID, &uapay.InvoiceUpdate{Tag: uapay.Ptr("t")})
			require.Error(t, err)
			var e *uapay.Error
			require.ErrorAs(t, err, &e)
			for _, s := range tc.is {
				assert.ErrorIs(t, err, s)
			}
			assert.Equal(t, tc.rep.status, e.StatusCode)
			assert.Equal(t, tc.code, e.Code)
			assert.Equal(t, tc.message, e.Message)
			assert.Equal(t, tc.fields, e.Fields)
			assert.True(t, strings.HasPrefix(err.Error(), "uapay: "), err.Error())
			assert.Contains(t, err.Error(), "/api/invoicer/invoices/update")
			if tc.rep.body != "" {
				assert.NotEmpty(t, e.Body)
			}
			if tc.code == "TIMELIMIT_ERROR" {
				assert.Contains(t, err.Error(), "clock")
			}
			if tc.code == "FORMAT_ERROR" && tc.fields.Params != nil {
				assert.Contains(t, err.Error(), "params.clientId=REQUIRED, data.cardTo.pan=INVALID")
			}
		})
	}
}

func TestSuccessTolerance(t *testing.T) {
	m := newMock(t)
	m.on("api/sessions/create", ok(sessionReply))
	m.on("api/invoicer/invoices/update", ok(`{"status":"1","data":{"id":123456}}`))
	id, err := mockClient(t, m).UpdateInvoice(context.Background(), invoiceID, &uapay.InvoiceUpdate{Tag: uapay.Ptr("t")})
	require.NoError(t, err)
	assert.Equal(t, "123456", id)
}

func TestSessionRenewal(t *testing.T) {
	expired := reply{400, `{"status":0,"error":{"code":"SESSION_EXPIRED","message":"session expired"}}`}
	m := newMock(t)
	m.on("api/sessions/create", ok(sessionReply), ok(`{"status":"1","id":"11111111-2222-4333-8444-555555555555"}`))
	m.on("api/invoicer/invoices/update", ok(`{"status":1,"data":{"id":"`+invoiceID+`"}}`), expired, ok(`{"status":1,"data":{"id":"`+invoiceID+`"}}`))
	c := mockClient(t, m)
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		_, err := c.UpdateInvoice(ctx, invoiceID, &uapay.InvoiceUpdate{Tag: uapay.Ptr("t")})
		require.NoError(t, err)
	}
	reqs := m.requests()
	var paths []string
	for _, r := range reqs {
		paths = append(paths, strings.TrimPrefix(r.URL, mockBase))
	}
	assert.Equal(t, []string{"api/sessions/create", "api/invoicer/invoices/update", "api/invoicer/invoices/update",
		"api/sessions/create", "api/invoicer/invoices/update"}, paths)
	assert.Contains(t, string(reqs[4].Body), "11111111-2222-4333-8444-555555555555")

	// a session that dies again right away: the error reaches the caller
	m2 := newMock(t)
	m2.on("api/sessions/create", ok(sessionReply))
	m2.on("api/invoicer/invoices/show", reply{200, `{"status":0,"error":{"code":"FORMAT_ERROR","message":"x","fields":{"params":{"sessionId":"NOT_FOUND"}}}}`})
	_, err := mockClient(t, m2).ShowInvoice(ctx, invoiceID)
	assert.ErrorIs(t, err, uapay.ErrSessionExpired)
	assert.Len(t, m2.requests(), 4)

	// a message alone can say the session is gone
	m3 := newMock(t)
	m3.on("api/sessions/create", ok(sessionReply))
	m3.on("api/invoicer/invoices/show", reply{400, `{"status":0,"error":{"code":"ERR","message":"Session not found"}}`})
	_, err = mockClient(t, m3).ShowInvoice(ctx, invoiceID)
	assert.ErrorIs(t, err, uapay.ErrSessionExpired)
	assert.ErrorIs(t, err, uapay.ErrUnauthorized)

	// session creation failing is returned as is
	m4 := newMock(t)
	m4.on("api/sessions/create", reply{400, `{"status":0,"error":{"code":"FORMAT_ERROR","fields":{"params":{"clientId":"REQUIRED"}}}}`})
	_, err = mockClient(t, m4).ShowInvoice(ctx, invoiceID)
	assert.ErrorIs(t, err, uapay.ErrFormat)
}

func TestValidation(t *testing.T) {
	m := newMock(t) // no responders: nothing may be sent
	c := mockClient(t, m)
	ctx := context.Background()
	upd := func(u *uapay.InvoiceUpdate) error { _, err := c.UpdateInvoice(ctx, invoiceID, u); return err }
	create := func(r uapay.CreateInvoiceRequest) error {
		if r.ExternalID == "" {
			r.ExternalID = "o-1"
		}
		if r.Amount == 0 {
			r.Amount = 100
		}
		if r.Description == "" {
			r.Description = "d"
		}
		_, err := c.CreateInvoice(ctx, &r)
		return err
	}
	cases := map[string]struct {
		err   error
		field string
	}{
		"invoice id": {func() error {
			_, err := c.UpdateInvoice(ctx, "nope", &uapay.InvoiceUpdate{Tag: uapay.Ptr("x")})
			return err
		}(), "id"},
		"empty id":        {func() error { _, err := c.ShowInvoice(ctx, ""); return err }(), "id"},
		"nil update":      {upd(nil), "update"},
		"nothing":         {upd(&uapay.InvoiceUpdate{}), "update"},
		"empty card":      {upd(&uapay.InvoiceUpdate{CardTo: &uapay.CardTo{}}), "cardTo"},
		"pan luhn":        {upd(&uapay.InvoiceUpdate{CardTo: &uapay.CardTo{PAN: "4134170000010887"}}), "cardTo.pan"},
		"pan letters":     {upd(&uapay.InvoiceUpdate{CardTo: &uapay.CardTo{PAN: "41341700000108a6"}}), "cardTo.pan"},
		"pan short":       {upd(&uapay.InvoiceUpdate{CardTo: &uapay.CardTo{PAN: "4134170000"}}), "cardTo.pan"},
		"pan long":        {upd(&uapay.InvoiceUpdate{CardTo: &uapay.CardTo{PAN: "41341700000108860000"}}), "cardTo.pan"},
		"card id":         {upd(&uapay.InvoiceUpdate{CardTo: &uapay.CardTo{ID: "b8220f46-8c28-4068-9488-2e1b37359b0g"}}), "cardTo.id"},
		"redirect":        {upd(&uapay.InvoiceUpdate{RedirectURL: uapay.Ptr("/relative")}), "redirectUrl"},
		"callback scheme": {upd(&uapay.InvoiceUpdate{CallbackURL: uapay.Ptr("ftp://x.example/")}), "callbackUrl"},
		"extra array":     {upd(&uapay.InvoiceUpdate{ExtraInfo: json.RawMessage(`[1]`)}), "extraInfo"},
		"extra broken":    {upd(&uapay.InvoiceUpdate{ExtraInfo: json.RawMessage(`{"a":`)}), "extraInfo"},
		"tag control":     {upd(&uapay.InvoiceUpdate{Tag: uapay.Ptr("a\x00b")}), "tag"},
		"nil create":      {func() error { _, err := c.CreateInvoice(ctx, nil); return err }(), "request"},
		"system":          {create(uapay.CreateInvoiceRequest{SystemType: "ATM"}), "systemType"},
		"type":            {create(uapay.CreateInvoiceRequest{Type: "GIFT"}), "type"},
		"external":        {create(uapay.CreateInvoiceRequest{ExternalID: " "}), "externalId"},
		"amount":          {create(uapay.CreateInvoiceRequest{Amount: -5}), "amount"},
		"email":           {create(uapay.CreateInvoiceRequest{Email: "no-at"}), "email"},
		"description":     {create(uapay.CreateInvoiceRequest{Description: "x\x07"}), "description"},
		"create redirect": {create(uapay.CreateInvoiceRequest{RedirectURL: "https://"}), "redirectUrl"},
		"create callback": {create(uapay.CreateInvoiceRequest{CallbackURL: "x"}), "callbackUrl"},
		"create extra":    {create(uapay.CreateInvoiceRequest{ExtraInfo: json.RawMessage(`"s"`)}), "extraInfo"},
		"expires":         {create(uapay.CreateInvoiceRequest{ExpiresAt: fixedNow.Add(-1)}), "expiresAt"},
		"pay expires":     {create(uapay.CreateInvoiceRequest{PayExpiresAt: fixedNow.Add(-1)}), "payExpiresAt"},
	}
	for name, tc := range cases {
		assert.ErrorIs(t, tc.err, uapay.ErrInvalidRequest, name)
		assert.Contains(t, fmt.Sprint(tc.err), tc.field+":", name)
		assert.NotContains(t, fmt.Sprint(tc.err), "413417000001088", name)
	}
	assert.Empty(t, m.requests())
}

func TestNewClient(t *testing.T) {
	_, err := uapay.NewClient("", "k")
	assert.ErrorIs(t, err, uapay.ErrInvalidRequest)
	assert.Contains(t, err.Error(), "clientID")
	_, err = uapay.NewClient("id", "")
	assert.ErrorIs(t, err, uapay.ErrInvalidRequest)
	assert.Contains(t, err.Error(), "signKey")
	_, err = uapay.NewClient("id", "k", uapay.WithBaseURL("ftp://x"))
	assert.ErrorIs(t, err, uapay.ErrInvalidRequest)
	var ie *uapay.InvalidRequestError
	_, err = uapay.NewClient("id", "k")
	require.ErrorAs(t, err, &ie, "no default host: neither the sandbox nor production by accident")
	assert.Equal(t, "WithBaseURL", ie.Field)
	_, err = uapay.NewClient("id\n", "k", uapay.WithBaseURL(uapay.DemoBaseURL))
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "clientID", ie.Field)
	c, err := uapay.NewClient("id", "k", uapay.WithBaseURL(uapay.ProductionBaseURL), uapay.WithUserAgent("ua"), uapay.WithTimeout(1e9), uapay.WithMaxBodyBytes(1<<20),
		uapay.WithLogger(nil), uapay.WithClock(nil))
	require.NoError(t, err)
	assert.NotNil(t, c)
	_ = errors.New
}

// The document's own example clears redirectUrl by sending "": a pointer to
// "" is sent as "", a nil field is not sent at all.
func TestUpdateInvoiceClearsAField(t *testing.T) {
	m := newMock(t)
	m.on("api/sessions/create", ok(sessionReply))
	m.on("api/invoicer/invoices/update", ok(`{"status":1,"data":{"id":"`+invoiceID+`"}}`))
	c := mockClient(t, m)
	_, err := c.UpdateInvoice(context.Background(), invoiceID, &uapay.InvoiceUpdate{
		RedirectURL: uapay.Ptr(""), Tag: uapay.Ptr("Клиент 1"),
	})
	require.NoError(t, err)
	reqs := m.requests()
	require.Len(t, reqs, 2)
	_, rest := splitBody(t, reqs[1].Body)
	assert.Equal(t, `{"params":{"sessionId":"`+sessionID+`","id":"`+invoiceID+`"},`+
		`"data":{"tag":"Клиент 1","redirectUrl":""},"iat":1700000000,"token":"T"}`, rest)
}
