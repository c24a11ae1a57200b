package uapay_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/caravanpay/caravan/uapay"
	"github.com/caravanpay/caravan/uapay/uapaytest"
)

// The ids of the documents' examples (LIFECYCLE §1.1–1.4).
const (
	docPaymentID = "08eff720-9432-4951-a698-94e24db59e66"
	docInvoiceID = "48cae638-2f4b-434c-aafa-a4b9ced4b486"
)

func testdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return string(b)
}

// paymentReply is a payments/show reply for the documents' payment.
func paymentReply(status, paymentStatus, more string) reply {
	return ok(`{"status":1,"data":{"invoiceId":"` + docInvoiceID + `","paymentId":"` + docPaymentID +
		`","status":"` + status + `","paymentStatus":"` + paymentStatus + `","amount":5000` + more + `}}`)
}

func TestShowPaymentDecodesTheDocumentsExample(t *testing.T) {
	m := newMock(t)
	m.on("api/sessions/create", ok(sessionReply))
	m.on("api/invoicer/payments/show", ok(testdata(t, "payments_show.json")))
	c := mockClient(t, m)
	p, err := c.ShowPayment(context.Background(), docPaymentID)
	require.NoError(t, err)
	at := time.Date(2018, 9, 11, 8, 21, 39, 0, time.UTC)
	assert.Equal(t, &uapay.Payment{ID: docPaymentID, InvoiceID: docInvoiceID, Number: "14", ReceiptID: "Q1URF9TQMKDE",
		ClientID: "1", SystemType: uapay.SystemP2P, Status: "FINISHED", PaymentStatus: uapay.PaymentFinished,
		Amount: 100, Email: "invoice_test@uapay.ua", CardFromID: "c0eb5ebd-99cb-4f98-9d1b-00eb320c18e6",
		CardFromMasked: "4444444444", CardToID: "c0eb5ebd-99cb-4f98-9d1b-00eb320c18e6", CardToMasked: "4444443333",
		ChequeLink: "api.uapay.ua/api/receipts/" + docPaymentID, CreatedAt: at, UpdatedAt: &at, PaidAt: &at, ReversedAt: &at}, p)
	assert.Equal(t, "https://api.uapay.ua/api/receipts/"+docPaymentID, p.ChequeURL(), "the document's link has no scheme")

	reqs := m.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, mockBase+"api/invoicer/payments/show", reqs[1].URL)
	tok, rest := splitBody(t, reqs[1].Body)
	want := `{"params":{"sessionId":"` + sessionID + `","paymentId":"` + docPaymentID + `"},"iat":1700000000`
	assert.Equal(t, want+`,"token":"T"}`, rest)
	_, claims := openJWT(t, tok)
	assert.Equal(t, want+`}`, claims)
}

// The table types the dates as integers: milliseconds are read too, and
// paymentNumber (older replies) when there is no number.
func TestShowPaymentReadsMillisecondDates(t *testing.T) {
	m := newMock(t)
	m.on("api/sessions/create", ok(sessionReply))
	m.on("api/invoicer/payments/show", ok(`{"status":1,"data":{"paymentId":"`+docPaymentID+`","paymentNumber":"UA1",
		"createdAt":1536654099000,"paidAt":"1536654099000","reversedAt":null,"amount":"100","commission":"2","status":"PAID","paymentStatus":"SOMETHING_NEW"}}`))
	c := mockClient(t, m)
	p, err := c.ShowPayment(context.Background(), docPaymentID)
	require.NoError(t, err)
	assert.Equal(t, "UA1", p.Number)
	assert.Equal(t, int64(1536654099), p.CreatedAt.Unix())
	require.NotNil(t, p.PaidAt)
	assert.Equal(t, int64(1536654099), p.PaidAt.Unix())
	assert.Nil(t, p.ReversedAt)
	assert.Equal(t, int64(2), p.Commission)
	assert.Equal(t, uapay.PaymentStatus("SOMETHING_NEW"), p.PaymentStatus, "statuses stay open")
	assert.Equal(t, "", (&uapay.Payment{}).ChequeURL())
	assert.Equal(t, "http://x.example/r", (&uapay.Payment{ChequeLink: "http://x.example/r"}).ChequeURL())
}

func TestShowPaymentBadReplies(t *testing.T) {
	for name, body := range map[string]string{"no id": `{"status":1,"data":{"amount":1}}`, "html": `<html>`,
		"array": `{"status":1,"data":[1]}`} {
		m := newMock(t)
		m.on("api/sessions/create", ok(sessionReply))
		m.on("api/invoicer/payments/show", ok(body))
		c := mockClient(t, m)
		_, err := c.ShowPayment(context.Background(), docPaymentID)
		assert.ErrorIs(t, err, uapay.ErrUnexpectedResponse, name)
		assert.NotErrorIs(t, err, uapay.ErrOutcomeUnknown, name+": a read")
	}
}

func TestCompletePaymentWire(t *testing.T) {
	m := newMock(t)
	m.on("api/sessions/create", ok(sessionReply))
	m.on("api/invoicer/payments/show", paymentReply("PAID", "HOLDED", ""))
	m.on("api/invoicer/payments/complete", ok(testdata(t, "payments_operation.json")))
	c := mockClient(t, m)
	res, err := c.CompletePayment(context.Background(), &uapay.CompletePaymentRequest{PaymentID: docPaymentID, InvoiceID: docInvoiceID, Amount: 1200})
	require.NoError(t, err)
	assert.Equal(t, &uapay.PaymentOperation{PaymentID: docPaymentID}, res)
	reqs := m.requests()
	require.Len(t, reqs, 3, "session, the read before, the capture")
	assert.Equal(t, mockBase+"api/invoicer/payments/show", reqs[1].URL)
	assert.Equal(t, mockBase+"api/invoicer/payments/complete", reqs[2].URL)
	tok, rest := splitBody(t, reqs[2].Body)
	want := `{"params":{"sessionId":"` + sessionID + `","paymentId":"` + docPaymentID + `","invoiceId":"` + docInvoiceID +
		`","amount":1200},"iat":1700000000`
	assert.Equal(t, want+`,"token":"T"}`, rest, "amount in params, no data, as the document says")
	_, claims := openJWT(t, tok)
	assert.Equal(t, want+`}`, claims)
}

func TestCompletePaymentWholeAmountSendsNoAmount(t *testing.T) {
	m := newMock(t)
	m.on("api/sessions/create", ok(sessionReply))
	m.on("api/invoicer/payments/show", paymentReply("PAID", "HOLDED", ""))
	m.on("api/invoicer/payments/complete", ok(testdata(t, "payments_operation.json")))
	c := mockClient(t, m)
	_, err := c.CompletePayment(context.Background(), &uapay.CompletePaymentRequest{PaymentID: docPaymentID, InvoiceID: docInvoiceID})
	require.NoError(t, err)
	_, rest := splitBody(t, m.requests()[2].Body)
	assert.Equal(t, `{"params":{"sessionId":"`+sessionID+`","paymentId":"`+docPaymentID+`","invoiceId":"`+docInvoiceID+
		`"},"iat":1700000000,"token":"T"}`, rest)
}

func TestCancelPaymentWire(t *testing.T) {
	m := newMock(t)
	m.on("api/sessions/create", ok(sessionReply))
	m.on("api/invoicer/payments/show", paymentReply("PAID", "HOLDED", ""))
	m.on("api/invoicer/payments/cancel", ok(testdata(t, "payments_operation.json")))
	c := mockClient(t, m)
	res, err := c.CancelPayment(context.Background(), &uapay.CancelPaymentRequest{PaymentID: docPaymentID, InvoiceID: docInvoiceID})
	require.NoError(t, err)
	assert.Equal(t, docPaymentID, res.PaymentID)
	reqs := m.requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, mockBase+"api/invoicer/payments/cancel", reqs[2].URL)
	tok, rest := splitBody(t, reqs[2].Body)
	want := `{"params":{"sessionId":"` + sessionID + `","paymentId":"` + docPaymentID + `","invoiceId":"` + docInvoiceID + `"},"iat":1700000000`
	assert.Equal(t, want+`,"token":"T"}`, rest)
	_, claims := openJWT(t, tok)
	assert.Equal(t, want+`}`, claims)
}

func TestReversePaymentWire(t *testing.T) {
	for name, tc := range map[string]struct {
		amount int64
		data   string
	}{"partial": {100, `,"data":{"amount":100}`}, "full": {0, ``}} {
		m := newMock(t)
		m.on("api/sessions/create", ok(sessionReply))
		m.on("api/invoicer/payments/show", paymentReply("FINISHED", "FINISHED", ""))
		m.on("api/invoicer/payments/reverse", ok(testdata(t, "payments_operation.json")))
		c := mockClient(t, m)
		res, err := c.ReversePayment(context.Background(), &uapay.ReversePaymentRequest{PaymentID: docPaymentID, InvoiceID: docInvoiceID, Amount: tc.amount})
		require.NoError(t, err, name)
		assert.Equal(t, &uapay.PaymentOperation{PaymentID: docPaymentID}, res, name)
		reqs := m.requests()
		require.Len(t, reqs, 3, name)
		assert.Equal(t, mockBase+"api/invoicer/payments/reverse", reqs[2].URL)
		tok, rest := splitBody(t, reqs[2].Body)
		want := `{"params":{"sessionId":"` + sessionID + `","paymentId":"` + docPaymentID + `","invoiceId":"` + docInvoiceID + `"}` +
			tc.data + `,"iat":1700000000`
		assert.Equal(t, want+`,"token":"T"}`, rest, name+": amount in data, as the document says")
		_, claims := openJWT(t, tok)
		assert.Equal(t, want+`}`, claims, name)
	}
}

func TestPaymentCallsValidate(t *testing.T) {
	m := newMock(t) // no responders: nothing may be sent
	c := mockClient(t, m)
	ctx := context.Background()
	call := map[string]func() error{
		"show":         func() error { _, err := c.ShowPayment(ctx, "x"); return err },
		"complete nil": func() error { _, err := c.CompletePayment(ctx, nil); return err },
		"complete payment": func() error {
			_, err := c.CompletePayment(ctx, &uapay.CompletePaymentRequest{InvoiceID: docInvoiceID})
			return err
		},
		"complete invoice": func() error {
			_, err := c.CompletePayment(ctx, &uapay.CompletePaymentRequest{PaymentID: docPaymentID, InvoiceID: "nope"})
			return err
		},
		"complete amount": func() error {
			_, err := c.CompletePayment(ctx, &uapay.CompletePaymentRequest{PaymentID: docPaymentID, InvoiceID: docInvoiceID, Amount: -1})
			return err
		},
		"cancel nil": func() error { _, err := c.CancelPayment(ctx, nil); return err },
		"cancel invoice": func() error {
			_, err := c.CancelPayment(ctx, &uapay.CancelPaymentRequest{PaymentID: docPaymentID})
			return err
		},
		"reverse nil": func() error { _, err := c.ReversePayment(ctx, nil); return err },
		"reverse payment": func() error {
			_, err := c.ReversePayment(ctx, &uapay.ReversePaymentRequest{PaymentID: "08eff720", InvoiceID: docInvoiceID})
			return err
		},
		"reverse amount": func() error {
			_, err := c.ReversePayment(ctx, &uapay.ReversePaymentRequest{PaymentID: docPaymentID, InvoiceID: docInvoiceID, Amount: -5})
			return err
		},
	}
	want := map[string]string{"show": "paymentId", "complete nil": "request", "complete payment": "paymentId",
		"complete invoice": "invoiceId", "complete amount": "amount", "cancel nil": "request", "cancel invoice": "invoiceId",
		"reverse nil": "request", "reverse payment": "paymentId", "reverse amount": "amount"}
	for name, f := range call {
		err := f()
		var ie *uapay.InvalidRequestError
		require.ErrorAs(t, err, &ie, name)
		assert.Equal(t, want[name], ie.Field, name)
		assert.True(t, uapay.SafeToRepeat(err), name)
	}
	assert.Empty(t, m.requests())
}

// The read before sending refuses what the payment's state forbids, and
// sends nothing.
func TestPaymentCallsRefuseByState(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name   string
		status string
		call   func(c *uapay.Client) error
		field  string // an InvalidRequestError's field, "" for a PaymentStateError
	}{
		{"capture a finished payment", "FINISHED", func(c *uapay.Client) error {
			_, err := c.CompletePayment(ctx, &uapay.CompletePaymentRequest{PaymentID: docPaymentID, InvoiceID: docInvoiceID})
			return err
		}, ""},
		{"capture more than held", "HOLDED", func(c *uapay.Client) error {
			_, err := c.CompletePayment(ctx, &uapay.CompletePaymentRequest{PaymentID: docPaymentID, InvoiceID: docInvoiceID, Amount: 5001})
			return err
		}, "amount"},
		{"void a cancelled payment", "CANCELED", func(c *uapay.Client) error {
			_, err := c.CancelPayment(ctx, &uapay.CancelPaymentRequest{PaymentID: docPaymentID, InvoiceID: docInvoiceID})
			return err
		}, ""},
		{"refund a held payment", "HOLDED", func(c *uapay.Client) error {
			_, err := c.ReversePayment(ctx, &uapay.ReversePaymentRequest{PaymentID: docPaymentID, InvoiceID: docInvoiceID})
			return err
		}, ""},
		{"refund a rejected payment", "REJECTED", func(c *uapay.Client) error {
			_, err := c.ReversePayment(ctx, &uapay.ReversePaymentRequest{PaymentID: docPaymentID, InvoiceID: docInvoiceID})
			return err
		}, ""},
		{"refund above the paid amount", "FINISHED", func(c *uapay.Client) error {
			_, err := c.ReversePayment(ctx, &uapay.ReversePaymentRequest{PaymentID: docPaymentID, InvoiceID: docInvoiceID, Amount: 5001})
			return err
		}, "amount"},
		{"another invoice's payment", "FINISHED", func(c *uapay.Client) error {
			_, err := c.ReversePayment(ctx, &uapay.ReversePaymentRequest{PaymentID: docPaymentID, InvoiceID: invoiceID})
			return err
		}, "invoiceId"},
	}
	for _, tc := range cases {
		m := newMock(t)
		m.on("api/sessions/create", ok(sessionReply))
		m.on("api/invoicer/payments/show", paymentReply("X", tc.status, ""))
		err := tc.call(mockClient(t, m))
		require.Error(t, err, tc.name)
		assert.NotErrorIs(t, err, uapay.ErrOutcomeUnknown, tc.name)
		if tc.field != "" {
			var ie *uapay.InvalidRequestError
			require.ErrorAs(t, err, &ie, tc.name)
			assert.Equal(t, tc.field, ie.Field, tc.name)
		} else {
			var se *uapay.PaymentStateError
			require.ErrorAs(t, err, &se, tc.name)
			assert.ErrorIs(t, err, uapay.ErrConflict, tc.name)
			assert.Equal(t, uapay.PaymentStatus(tc.status), se.Payment.PaymentStatus, tc.name)
			assert.Contains(t, err.Error(), tc.status, tc.name)
		}
		assert.Len(t, m.requests(), 2, tc.name+": only the session and the read were sent")
	}
}

// A lost reply is settled by reading the payment: the capture is sent
// once.
func TestCompletePaymentLostReplySettledByLook(t *testing.T) {
	m := newMock(t)
	m.on("api/sessions/create", ok(sessionReply))
	m.on("api/invoicer/payments/show", paymentReply("PAID", "HOLDED", ""), paymentReply("FINISHED", "FINISHED", ""))
	sends := 0
	m.RegisterResponder(http.MethodPost, mockBase+"api/invoicer/payments/complete", func(*http.Request) (*http.Response, error) {
		sends++
		return nil, fmt.Errorf("connection reset by peer")
	})
	c := mockClient(t, m)
	res, err := c.CompletePayment(context.Background(), &uapay.CompletePaymentRequest{PaymentID: docPaymentID, InvoiceID: docInvoiceID})
	require.NoError(t, err)
	assert.True(t, res.Looked)
	assert.Equal(t, uapay.PaymentFinished, res.Payment.PaymentStatus)
	assert.Equal(t, 1, sends)
}

// A 500 after which the payment still reads HOLDED was not applied: it is
// sent again, and the second reply counts.
func TestCompletePaymentNotAppliedIsSentAgain(t *testing.T) {
	m := newMock(t)
	m.on("api/sessions/create", ok(sessionReply))
	m.on("api/invoicer/payments/show", paymentReply("PAID", "HOLDED", ""))
	m.on("api/invoicer/payments/complete", reply{500, "oops"}, ok(testdata(t, "payments_operation.json")))
	c := mockClient(t, m)
	res, err := c.CompletePayment(context.Background(), &uapay.CompletePaymentRequest{PaymentID: docPaymentID, InvoiceID: docInvoiceID})
	require.NoError(t, err)
	assert.False(t, res.Looked)
}

// A look that sees the payment voided by someone else: not captured by
// this call, ErrConflict, not unknown.
func TestCompletePaymentLookSeesAnotherState(t *testing.T) {
	m := newMock(t)
	m.on("api/sessions/create", ok(sessionReply))
	m.on("api/invoicer/payments/show", paymentReply("PAID", "HOLDED", ""), paymentReply("CANCELED", "CANCELED", ""))
	m.on("api/invoicer/payments/complete", reply{500, "oops"})
	c := mockClient(t, m, uapay.WithRetry(0, 0, 0))
	_, err := c.CompletePayment(context.Background(), &uapay.CompletePaymentRequest{PaymentID: docPaymentID, InvoiceID: docInvoiceID})
	require.Error(t, err)
	assert.NotErrorIs(t, err, uapay.ErrOutcomeUnknown)
	assert.ErrorIs(t, err, uapay.ErrConflict)
	var se *uapay.PaymentStateError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, uapay.PaymentCanceled, se.Payment.PaymentStatus)
}

// When the look fails, the outcome stays unknown; a capture may be
// repeated (it reads first), a refund may not.
func TestPaymentCallsLookFails(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status string
		call   func(c *uapay.Client) error
		path   string
		safe   bool
	}{
		{"complete", "HOLDED", func(c *uapay.Client) error {
			_, err := c.CompletePayment(context.Background(), &uapay.CompletePaymentRequest{PaymentID: docPaymentID, InvoiceID: docInvoiceID})
			return err
		}, "api/invoicer/payments/complete", true},
		{"cancel", "HOLDED", func(c *uapay.Client) error {
			_, err := c.CancelPayment(context.Background(), &uapay.CancelPaymentRequest{PaymentID: docPaymentID, InvoiceID: docInvoiceID})
			return err
		}, "api/invoicer/payments/cancel", true},
		{"reverse", "FINISHED", func(c *uapay.Client) error {
			_, err := c.ReversePayment(context.Background(), &uapay.ReversePaymentRequest{PaymentID: docPaymentID, InvoiceID: docInvoiceID, Amount: 10})
			return err
		}, "api/invoicer/payments/reverse", false},
	} {
		m := newMock(t)
		m.on("api/sessions/create", ok(sessionReply))
		m.on("api/invoicer/payments/show", paymentReply("X", tc.status, ""), reply{500, "down"})
		m.on(tc.path, ok(`<html>proxy</html>`))
		err := tc.call(mockClient(t, m, uapay.WithRetry(1, 0, 0)))
		require.Error(t, err, tc.name)
		assert.ErrorIs(t, err, uapay.ErrOutcomeUnknown, tc.name)
		assert.Equal(t, tc.safe, uapay.SafeToRepeat(err), tc.name)
		assert.Contains(t, err.Error(), "reading the payment to find out failed", tc.name)
		var e *uapay.Error
		require.ErrorAs(t, err, &e, tc.name)
	}
}

// A refund whose reply is lost, on a payment already partly refunded and
// whose reversedAt did not move: the look cannot tell, so the outcome
// stays unknown and must not be repeated.
func TestReversePaymentUndecidableLook(t *testing.T) {
	m := newMock(t)
	m.on("api/sessions/create", ok(sessionReply))
	m.on("api/invoicer/payments/show", paymentReply("REVERSED", "REVERSED", `,"reversedAt":"2018-09-11T08:21:39.000Z"`))
	m.on("api/invoicer/payments/reverse", reply{504, "gateway timeout"})
	c := mockClient(t, m, uapay.WithRetry(0, 0, 0))
	_, err := c.ReversePayment(context.Background(), &uapay.ReversePaymentRequest{PaymentID: docPaymentID, InvoiceID: docInvoiceID, Amount: 10})
	require.Error(t, err)
	assert.ErrorIs(t, err, uapay.ErrOutcomeUnknown)
	assert.False(t, uapay.SafeToRepeat(err), "a refund is never repeated blindly")
	var n int
	for _, r := range m.requests() {
		if r.URL == mockBase+"api/invoicer/payments/reverse" {
			n++
		}
	}
	assert.Equal(t, 1, n)
}

// End to end against the fake: a HOLD invoice paid, part captured, part
// refunded, with lost replies on the capture and the refund.
func TestPaymentLifecycleOnTheFake(t *testing.T) {
	clock := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	srv := uapaytest.Start(t, uapaytest.WithNow(clock))
	c := fakeClient(t, srv, uapay.WithClock(srv.Now))
	ctx := context.Background()
	id := srv.AddInvoice(uapaytest.Invoice{Type: "HOLD", ExternalID: "order-h", Amount: 10000, Description: "hold"})
	paid, err := srv.PayInvoice(id)
	require.NoError(t, err)

	p, err := c.ShowPayment(ctx, paid.PaymentID)
	require.NoError(t, err)
	assert.Equal(t, uapay.PaymentHolded, p.PaymentStatus)
	assert.Equal(t, id, p.InvoiceID)
	assert.Nil(t, p.PaidAt, "a hold takes no money yet")

	// capture 7000 of 10000; the reply is lost after the capture
	srv.Advance(time.Minute)
	srv.Route("payments/complete").CutAfterNext(1)
	res, err := c.CompletePayment(ctx, &uapay.CompletePaymentRequest{PaymentID: paid.PaymentID, InvoiceID: id, Amount: 7000})
	require.NoError(t, err)
	assert.True(t, res.Looked)
	got, _ := srv.Payment(paid.PaymentID)
	assert.Equal(t, 1, got.Completions)
	assert.Equal(t, int64(7000), got.Amount)
	assert.Equal(t, "FINISHED", got.PaymentStatus)

	// capturing twice is refused before sending
	_, err = c.CompletePayment(ctx, &uapay.CompletePaymentRequest{PaymentID: paid.PaymentID, InvoiceID: id})
	assert.ErrorIs(t, err, uapay.ErrConflict)
	_, err = c.CancelPayment(ctx, &uapay.CancelPaymentRequest{PaymentID: paid.PaymentID, InvoiceID: id})
	assert.ErrorIs(t, err, uapay.ErrConflict)

	// refund 2000; the reply is lost after the refund
	srv.Advance(time.Minute)
	srv.Route("payments/reverse").CutAfterNext(1)
	res, err = c.ReversePayment(ctx, &uapay.ReversePaymentRequest{PaymentID: paid.PaymentID, InvoiceID: id, Amount: 2000})
	require.NoError(t, err)
	assert.True(t, res.Looked)
	got, _ = srv.Payment(paid.PaymentID)
	assert.Equal(t, int64(2000), got.Reversed)
	assert.Equal(t, 1, got.Reversals, "refunded once")

	// a second partial refund, lost before UAPAY saw it: the payment was
	// refunded before and reversedAt did not move, which the documents do
	// not say proves anything, so the outcome stays unknown and is not
	// repeated by the client
	srv.Advance(time.Minute)
	srv.Route("payments/reverse").CutNext(1)
	_, err = c.ReversePayment(ctx, &uapay.ReversePaymentRequest{PaymentID: paid.PaymentID, InvoiceID: id, Amount: 3000})
	require.ErrorIs(t, err, uapay.ErrOutcomeUnknown)
	assert.False(t, uapay.SafeToRepeat(err))
	got, _ = srv.Payment(paid.PaymentID)
	assert.Equal(t, 1, got.Reversals, "the lost request was not applied, and not resent")
	// the caller checked its records and UAPAY's: it sends the refund again
	_, err = c.ReversePayment(ctx, &uapay.ReversePaymentRequest{PaymentID: paid.PaymentID, InvoiceID: id, Amount: 3000})
	require.NoError(t, err)
	got, _ = srv.Payment(paid.PaymentID)
	assert.Equal(t, int64(5000), got.Reversed, "partial refunds are summed")
	assert.Equal(t, 2, got.Reversals)

	// a refund above what is left is refused by UAPAY (the client knows
	// only the payment's amount)
	srv.Advance(time.Minute)
	_, err = c.ReversePayment(ctx, &uapay.ReversePaymentRequest{PaymentID: paid.PaymentID, InvoiceID: id, Amount: 2001})
	require.Error(t, err)
	assert.NotErrorIs(t, err, uapay.ErrOutcomeUnknown)
	var e *uapay.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "AMOUNT_ERROR", e.Code)

	p, err = c.ShowPayment(ctx, paid.PaymentID)
	require.NoError(t, err)
	assert.Equal(t, "REVERSED", p.Status)
	require.NotNil(t, p.ReversedAt)
	assert.Equal(t, clock.Add(3*time.Minute), *p.ReversedAt)
	require.NotNil(t, p.PaidAt)
	assert.Equal(t, clock.Add(time.Minute), *p.PaidAt)
}

func TestCancelPaymentOnTheFake(t *testing.T) {
	srv := uapaytest.Start(t)
	c := fakeClient(t, srv)
	ctx := context.Background()
	id := srv.AddInvoice(uapaytest.Invoice{Type: "HOLD", Amount: 500})
	paid, err := srv.PayInvoice(id)
	require.NoError(t, err)
	srv.Route("payments/cancel").CutAfterNext(1)
	res, err := c.CancelPayment(ctx, &uapay.CancelPaymentRequest{PaymentID: paid.PaymentID, InvoiceID: id})
	require.NoError(t, err)
	assert.True(t, res.Looked)
	got, _ := srv.Payment(paid.PaymentID)
	assert.Equal(t, 1, got.Cancellations)
	assert.Equal(t, "CANCELED", got.PaymentStatus)
	// voided: neither captured nor refunded
	_, err = c.CompletePayment(ctx, &uapay.CompletePaymentRequest{PaymentID: paid.PaymentID, InvoiceID: id})
	assert.ErrorIs(t, err, uapay.ErrConflict)
	_, err = c.ReversePayment(ctx, &uapay.ReversePaymentRequest{PaymentID: paid.PaymentID, InvoiceID: id})
	assert.ErrorIs(t, err, uapay.ErrConflict)
	_, err = c.ShowPayment(ctx, "00000000-0000-4000-8000-000000000000")
	assert.ErrorIs(t, err, uapay.ErrNotFound)
	assert.False(t, errors.Is(err, uapay.ErrOutcomeUnknown))
}

// ShowInvoices refuses bad ids with the package's own InvalidRequestError.
func TestShowInvoicesInvalidIsTyped(t *testing.T) {
	m := newMock(t)
	c := mockClient(t, m)
	for name, req := range map[string]*uapay.ShowInvoicesRequest{"nil": nil, "none": {}, "empty external": {ExternalIDs: []string{""}}} {
		_, err := c.ShowInvoices(context.Background(), req)
		var ie *uapay.InvalidRequestError
		require.ErrorAs(t, err, &ie, name)
	}
	assert.Empty(t, m.requests())
}

// A gateway's 504 may hide a request UAPAY is still processing:
// a read that shows no refund yet proves nothing, so the refund is not
// sent again and the outcome stays unknown.
func TestReversePaymentGatewayTimeoutIsNotResent(t *testing.T) {
	for _, status := range []int{504} {
		m := newMock(t)
		m.on("api/sessions/create", ok(sessionReply))
		m.on("api/invoicer/payments/show", paymentReply("FINISHED", "FINISHED", ""))
		m.on("api/invoicer/payments/reverse", reply{status, "<html>gateway</html>"}, ok(testdata(t, "payments_operation.json")))
		c := mockClient(t, m, uapay.WithRetry(3, 0, 0))
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_, err := c.ReversePayment(ctx, &uapay.ReversePaymentRequest{PaymentID: docPaymentID, InvoiceID: docInvoiceID, Amount: 10})
		cancel()
		require.ErrorIs(t, err, uapay.ErrOutcomeUnknown, status)
		assert.False(t, uapay.SafeToRepeat(err), status)
		n := 0
		for _, r := range m.requests() {
			if r.URL == mockBase+"api/invoicer/payments/reverse" {
				n++
			}
		}
		assert.Equal(t, 1, n, "%d: sent once", status)
	}
}

// A resend refused outright by UAPAY, while the payment still shows no
// capture, returns UAPAY's refusal: not applied, and not sent a third time.
func TestCompletePaymentResendRefused(t *testing.T) {
	m := newMock(t)
	m.on("api/sessions/create", ok(sessionReply))
	m.on("api/invoicer/payments/show", paymentReply("PAID", "HOLDED", ""))
	m.on("api/invoicer/payments/complete", reply{500, "oops"},
		reply{400, `{"status":0,"error":{"code":"PAYMENT_STATUS_ERROR","message":"no"}}`})
	c := mockClient(t, m, uapay.WithRetry(0, 0, 0))
	_, err := c.CompletePayment(context.Background(), &uapay.CompletePaymentRequest{PaymentID: docPaymentID, InvoiceID: docInvoiceID})
	require.Error(t, err)
	assert.NotErrorIs(t, err, uapay.ErrOutcomeUnknown)
	var e *uapay.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "PAYMENT_STATUS_ERROR", e.Code)
	n := 0
	for _, r := range m.requests() {
		if r.URL == mockBase+"api/invoicer/payments/complete" {
			n++
		}
	}
	assert.Equal(t, 2, n)
}
