package payguesttest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func post(t *testing.T, srv *Server, query, body string, hdr ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/pay-guest"+query, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func text(s string) string {
	var v string
	_ = json.Unmarshal([]byte(s), &v)
	return v
}

const payExample = `{"Payment":{"gest_ID":"` + ExampleBillID + `","paySum":1240.50,"payType_ID":"` + ExamplePayTypeID + `"}}`

func TestKeysMustBeSpelledExactly(t *testing.T) {
	srv := Start(t)
	srv.AddExampleBill()
	for body, want := range map[string]string{
		`{"payment":{"gest_ID":"` + ExampleBillID + `","paySum":1240.50}}`:                                         "Неизвестное поле: payment",
		`{"Payment":{"GEST_ID":"` + ExampleBillID + `","PAYSUM":1240.50,"payType_ID":"` + ExamplePayTypeID + `"}}`: "Неизвестное поле: Payment.",
		`{"Payment":{"gest_ID":"` + ExampleBillID + `","paysum":1240.50,"payType_ID":"` + ExamplePayTypeID + `"}}`: "Неизвестное поле: Payment.paysum",
		`{"Payment":{"gest_ID":"` + ExampleBillID + `"},"DiscountSum":{"Sum":1}}`:                                  "Неизвестное поле: DiscountSum.Sum",
		`{"Payment":[1]}`:           "Некорректный JSON: Payment должен быть объектом",
		payExample + `{}`:           "Некорректный JSON: лишние данные после объекта",
		payExample + `x`:            "Некорректный JSON: лишние данные после объекта",
		`null`:                      "Некорректный JSON: ожидается объект",
		`{`:                         "Некорректный JSON: unexpected EOF",
		`{"Payment":{"gest_ID":5}}`: "Некорректный JSON: json: cannot unmarshal number into Go struct field .Payment.gest_ID of type string",
	} {
		st, out := post(t, srv, "", body)
		assert.Equal(t, 400, st, body)
		assert.True(t, strings.HasPrefix(text(out), want), "%s: %s", body, text(out))
	}
	assert.Zero(t, srv.PaidCount(ExampleBillID), "nothing paid")
	st, out := post(t, srv, "", payExample+"\n")
	assert.Equal(t, 200, st, "trailing white space is fine: %s", out)
	assert.Equal(t, 1, srv.PaidCount(strings.ToLower(ExampleBillID)))
}

func TestPayGuestRules(t *testing.T) {
	srv := Start(t)
	const bill = "6F9619FF-8B86-D011-B42D-00CF4FC964FF"
	srv.AddBill(Bill{ID: bill, Open: "100", Prechecks: []Precheck{{Sum: "50", State: PrecheckPrinted},
		{Sum: "25", State: PrecheckPaymentStarted}}})
	pay := func(sum, extra string) string {
		return `{"Payment":{"gest_ID":"` + strings.ToLower(bill) + `"` + sum + `}` + extra + `}`
	}
	for _, tc := range []struct{ query, body, want string }{
		{"?delete-prechecks=3", pay("", ""), "Некорректное значение delete-prechecks"},
		{"", `{"Payment":{}}`, "Не указан Payment.gest_ID"},
		{"", `{"Payment":{"gest_ID":"x"}}`, "Некорректный gest_ID"},
		{"", pay(`,"paySum":"100"`, ""), "Некорректная сумма paySum"},
		{"", pay(`,"payType_ID":"x"`, ""), "Некорректный payType_ID"},
		{"", pay("", `,"DiscountSum":{"sum":-1}`), "Некорректная сумма DiscountSum.sum"},
		{"", pay("", `,"DiscountSum":{"sum":1,"type_ID":"x"}`), "Некорректный DiscountSum.type_ID"},
		{"", `{"Payment":{"gest_ID":"` + ExampleBillID + `"}}`, TextBillNotFound},
		{"", pay(`,"paySum":100`, ""), TextNoPayType},
		{"", pay(`,"paySum":99,"payType_ID":"`+ExamplePayTypeID+`"`, ""), TextAmountMismatch},
	} {
		st, out := post(t, srv, tc.query, tc.body)
		assert.Equal(t, 400, st, tc.body)
		assert.Equal(t, tc.want, text(out), tc.body)
	}
	// points noted without paying, then mode 2 pays open + prechecks not paid less the points
	st, out := post(t, srv, "", pay(`,"payType_ID":"`+ExamplePayTypeID+`"`, `,"DiscountSum":{"sum":20,"type_ID":"`+DeclaredPointsTypeID+`"}`))
	require.Equal(t, 200, st, out)
	assert.JSONEq(t, `{"DiscountSums":[{"type_ID":"`+DeclaredPointsTypeID+`","sum":20}],"AppliedDiscountSums":[{"type_ID":"`+PointsTypeID+`","sum":20}]}`, out)
	st, out = post(t, srv, "?delete-prechecks=2", pay(`,"paySum":155,"payType_ID":"`+ExamplePayTypeID+`"`, ""))
	require.Equal(t, 200, st, out)
	b, _ := srv.Bill(bill)
	assert.Equal(t, "0", b.Open)
	require.Len(t, b.Prechecks, 1)
	assert.Equal(t, PrecheckPaid, b.Prechecks[0].State)
	assert.Equal(t, "175", b.Prechecks[0].Sum)
	assert.Equal(t, []Payment{{BillID: bill, Sum: "155", PayTypeID: ExamplePayTypeID, PointsApplied: "20"}}, srv.Payments())
	for query, want := range map[string]string{"": TextAlreadySentForPayment, "?delete-prechecks=1": TextAlreadyPaid, "?delete-prechecks=2": TextAlreadyPaid} {
		_, out = post(t, srv, query, pay(`,"paySum":0`, ""))
		assert.Equal(t, want, text(out), query)
	}
	srv.AddBill(Bill{ID: bill, Prechecks: []Precheck{{Sum: "5", State: PrecheckPrinted}}, PrepaidPayTypeID: ExamplePayTypeID})
	_, out = post(t, srv, "?delete-prechecks=0", pay("", ""))
	assert.Equal(t, TextAlreadySentForPayment, text(out))
	st, _ = post(t, srv, "?delete-prechecks=1", pay(`,"paySum":5`, ""))
	assert.Equal(t, 200, st, "mode 1 brings the printed precheck back and pays it with the prepaid type")
	srv.AddBill(Bill{ID: bill, Prechecks: []Precheck{{Sum: "5", State: PrecheckPrinted}}})
	_, out = post(t, srv, "?delete-prechecks=2", pay("", ""))
	assert.Equal(t, TextNoPayType, text(out))
}

func TestPointsErrorsAndProtocol(t *testing.T) {
	srv := Start(t, WithoutPoints(), WithErrorStatus(200))
	srv.AddBill(Bill{ID: ExampleBillID, Open: "10", DiscountSum: "3", DiscountTypeID: DeclaredPointsTypeID})
	st, out := post(t, srv, "", `{"Payment":{"gest_ID":"`+ExampleBillID+`","paySum":10,"payType_ID":"`+ExamplePayTypeID+`"}}`)
	require.Equal(t, 200, st, out)
	assert.JSONEq(t, `{"DiscountSums":[{"type_ID":"`+DeclaredPointsTypeID+`","sum":3}]}`, out, "no AppliedDiscountSums when points are off")
	st, out = post(t, srv, "", `{"Payment":{"gest_ID":"`+ExampleBillID+`","paySum":10}}`)
	assert.Equal(t, 200, st, "errors with status 200")
	assert.Equal(t, TextAlreadySentForPayment, text(out))
	srv.SetPoints("")
	srv.DisablePoints()
	srv.SetPoints(DeclaredPointsTypeID)
	srv.SetErrorStatus(422)
	_, out = post(t, srv, "", `{"Payment":{"gest_ID":"`+ExampleBillID+`"}}`)
	assert.Equal(t, TextAlreadySentForPayment, text(out))

	resp, err := http.Get(srv.URL + "/pay-guest")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 405, resp.StatusCode)
	resp, err = http.Post(srv.URL+"/elsewhere", "application/json", strings.NewReader("{}"))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 404, resp.StatusCode)
	st, _ = post(t, srv, "", "{}", "Content-Type", "text/plain")
	assert.Equal(t, 415, st)
	srv.RequireHeader("X-Proxy", "secret")
	st, _ = post(t, srv, "", "{}")
	assert.Equal(t, 401, st)
	st, _ = post(t, srv, "", "{}", "X-Proxy", "secret")
	assert.Equal(t, 422, st)
}

func TestSeedingAndSnapshots(t *testing.T) {
	srv := Start(t)
	assert.Panics(t, func() { srv.AddBill(Bill{ID: "x"}) })
	assert.Panics(t, func() { srv.AddBill(Bill{ID: ExampleBillID, Open: "-1"}) })
	assert.Panics(t, func() { srv.AddBill(Bill{ID: ExampleBillID, DiscountSum: "abc"}) })
	assert.Panics(t, func() { srv.AddBill(Bill{ID: ExampleBillID, Prechecks: []Precheck{{Sum: "1"}}}) })
	srv.AddBill(Bill{ID: ExampleBillID, Open: "0.125", Prechecks: []Precheck{{Sum: "1", State: PrecheckPaid, PayTypeID: ExamplePayTypeID}}})
	b, ok := srv.Bill(strings.ToLower(ExampleBillID))
	require.True(t, ok)
	assert.Equal(t, "0.125", b.Open)
	assert.Equal(t, "1", b.Prechecks[0].Sum)
	_, ok = srv.Bill("nope")
	assert.False(t, ok)
	assert.Equal(t, "printed", PrecheckPrinted.String())
	assert.Equal(t, "payment started", PrecheckPaymentStarted.String())
	assert.Equal(t, "paid", PrecheckPaid.String())
	assert.Equal(t, "PrecheckState(9)", PrecheckState(9).String())
	assert.Equal(t, "0.333333333333333333333333333333", format(mustRat("1/3")))
}
