package payguest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// docBill is the document's post-guest example as a request.
func docBill() *PostGuestRequest {
	at := func(s string) time.Time {
		t, err := time.Parse(LocalTimeLayout, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	return &PostGuestRequest{
		StatusID: 0, Comment: ", Сдача с суммы:3000, К 12-00 часам ", DateOpen: at("2020-10-12T12:00:00"),
		GuestCount: 20, DivisionID: "274013BE-AA55-294F-ADC6-99DE44BEA4E1", ClientPhone: "999999999", Name: "S404095",
		ClientAddress: "<?xml version='1.0'?>\n<Address>\n <Village Caption='Населенный пункт' Key='True'>Санкт-Петербург</Village>\n</Address>",
		ClientName:    "Евгения", IsDelivery: true,
		Delivery: &GuestDelivery{StatusID: 0, MethodID: 1, PrepaidPayTypeID: "0789C108-6C80-BC47-BB39-A13C7CDDD030",
			CashAmount: "3000", ConceptionID: "15761EEA-AD73-BA46-AE1E-5F288CB9BE97", Date: at("2020-10-12T10:20:14"),
			NeedConfirmation: true, GeoRegionID: "606", GeoCoordinates: "59.892383, 30.421824"},
		Orders: []GuestOrder{{StatusID: 0, Date: at("2020-10-12T10:20:14"), Name: "S404095", Items: []GuestOrderItem{{
			MenuItemID: "9C3D6192-9FFA-A848-8C6E-D5629F9128AD", MenuTypeID: "BFB3FB23-F0CB-644C-B441-E079109753F2",
			Volume: "1", Count: "2", Price: "650.50", VAT: "0", PriceVat: "0",
		}}}},
	}
}

func postMock(t *testing.T, status int, body string, opts ...Option) (*Client, *recorded) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Fatal))
	rec := &recorded{}
	mt.RegisterResponder(http.MethodPost, refBase+"/post-guest", func(r *http.Request) (*http.Response, error) {
		rec.calls++
		rec.method, rec.url, rec.header = r.Method, r.URL.String(), r.Header.Clone()
		rec.body, _ = io.ReadAll(r.Body)
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json; charset=utf-8")
		return resp, nil
	})
	opts = append([]Option{WithBaseURL(refBase), WithHTTPClient(&http.Client{Transport: mt}), WithRetry(3, time.Millisecond, time.Millisecond)}, opts...)
	c, err := NewClient(opts...)
	require.NoError(t, err)
	return c, rec
}

func TestPostGuestWire(t *testing.T) {
	c, rec := postMock(t, 200, readDoc(t, "post-guest-reply.json"))
	res, err := c.PostGuest(context.Background(), docBill())
	require.NoError(t, err)
	assert.Equal(t, "BFA83CA6-A5C9-8945-94FD-32CB40880933", res.GuestID)
	assert.Equal(t, 1, rec.calls)
	assert.Equal(t, http.MethodPost, rec.method)
	assert.Equal(t, refBase+"/post-guest", rec.url)
	assert.Equal(t, "application/json", rec.header.Get("Content-Type"))
	assert.Equal(t, "application/json", rec.header.Get("Accept"))
	assert.Equal(t, readDoc(t, "post-guest-request.json"), string(rec.body),
		"the example's kinds: gest_Count, gest_IsDelivery, gsdlv_CashAmount, gsdlv_GeoRegionID strings; the ids and flags numbers; the XML address unchanged")
}

func TestPostGuestMinimal(t *testing.T) {
	c, rec := postMock(t, 200, `{"gest_ID":"bfa83ca6-a5c9-8945-94fd-32cb40880933"}`)
	res, err := c.PostGuest(context.Background(), &PostGuestRequest{StatusID: 3, Orders: []GuestOrder{{Items: []GuestOrderItem{
		{MenuItemID: "9C3D6192-9FFA-A848-8C6E-D5629F9128AD", Count: "1", Price: "0"}}}}})
	require.NoError(t, err)
	assert.Equal(t, "bfa83ca6-a5c9-8945-94fd-32cb40880933", res.GuestID, "as the server wrote it")
	assert.Equal(t, `{"gest_gsst_ID":3,"orders":[{"ordr_orst_ID":0,"orderItems":[{"orit_mitm_ID":"9C3D6192-9FFA-A848-8C6E-D5629F9128AD","orit_Count":1,"orit_Price":0}]}]}`, string(rec.body))
}

func TestPostGuestValidation(t *testing.T) {
	c, rec := postMock(t, 200, `{}`)
	for _, tc := range []struct {
		field string
		edit  func(r *PostGuestRequest)
	}{
		{"gest_dvsn_ID", func(r *PostGuestRequest) { r.DivisionID = "274013BE" }},
		{"gest_Count", func(r *PostGuestRequest) { r.GuestCount = -1 }},
		{"gest_ClientAddress", func(r *PostGuestRequest) { r.ClientAddress = "\xff" }},
		{"gest_Name", func(r *PostGuestRequest) { r.Name = strings.Repeat("a", 64<<10+1) }},
		{"guestDeliveries.gsdlv_pytp_ID_Prepaid", func(r *PostGuestRequest) { r.Delivery.PrepaidPayTypeID = "x" }},
		{"guestDeliveries.gsdlv_cncpt_ID", func(r *PostGuestRequest) { r.Delivery.ConceptionID = "{15761EEA-AD73-BA46-AE1E-5F288CB9BE97}" }},
		{"guestDeliveries.gsdlv_CashAmount", func(r *PostGuestRequest) { r.Delivery.CashAmount = "3 000" }},
		{"guestDeliveries.gsdlv_CashAmount", func(r *PostGuestRequest) { r.Delivery.CashAmount = "-1" }},
		{"guestDeliveries.gsdlv_GeoCoordinates", func(r *PostGuestRequest) { r.Delivery.GeoCoordinates = "\xfe" }},
		{"orders", func(r *PostGuestRequest) { r.Orders = nil }},
		{"orders[0].ordr_Name", func(r *PostGuestRequest) { r.Orders[0].Name = "\xff" }},
		{"orders[0].orderItems", func(r *PostGuestRequest) { r.Orders[0].Items = nil }},
		{"orders[0].orderItems[0].orit_mitm_ID", func(r *PostGuestRequest) { r.Orders[0].Items[0].MenuItemID = "" }},
		{"orders[0].orderItems[0].orit_mitm_ID", func(r *PostGuestRequest) { r.Orders[0].Items[0].MenuItemID = "soup" }},
		{"orders[0].orderItems[0].orit_mvtp_ID", func(r *PostGuestRequest) { r.Orders[0].Items[0].MenuTypeID = "x" }},
		{"orders[0].orderItems[0].orit_Count", func(r *PostGuestRequest) { r.Orders[0].Items[0].Count = "" }},
		{"orders[0].orderItems[0].orit_Count", func(r *PostGuestRequest) { r.Orders[0].Items[0].Count = "0" }},
		{"orders[0].orderItems[0].orit_Count", func(r *PostGuestRequest) { r.Orders[0].Items[0].Count = "1e2" }},
		{"orders[0].orderItems[0].orit_Price", func(r *PostGuestRequest) { r.Orders[0].Items[0].Price = "" }},
		{"orders[0].orderItems[0].orit_Price", func(r *PostGuestRequest) { r.Orders[0].Items[0].Price = "-650.50" }},
		{"orders[0].orderItems[0].orit_Volume", func(r *PostGuestRequest) { r.Orders[0].Items[0].Volume = "0" }},
		{"orders[0].orderItems[0].orit_VAT", func(r *PostGuestRequest) { r.Orders[0].Items[0].VAT = "x" }},
		{"orders[0].orderItems[0].orit_PriceVat", func(r *PostGuestRequest) { r.Orders[0].Items[0].PriceVat = "-1" }},
		{"orders[1].orderItems[0].orit_Count", func(r *PostGuestRequest) {
			r.Orders = append(r.Orders, GuestOrder{Items: []GuestOrderItem{{MenuItemID: "9C3D6192-9FFA-A848-8C6E-D5629F9128AD", Price: "1"}}})
		}},
	} {
		r := docBill()
		tc.edit(r)
		_, err := c.PostGuest(context.Background(), r)
		var ie *InvalidRequestError
		require.True(t, errors.As(err, &ie), "%s: %v", tc.field, err)
		assert.Equal(t, tc.field, ie.Field, ie.Reason)
	}
	_, err := c.PostGuest(context.Background(), nil)
	assert.ErrorIs(t, err, ErrInvalidRequest)
	assert.Zero(t, rec.calls, "nothing sent")
}

func TestPostGuestReplies(t *testing.T) {
	for _, tc := range []struct {
		name    string
		status  int
		body    string
		kinds   []error
		unknown bool
		calls   int
	}{
		{"error text with 400", 400, `"Подразделение не найдено"`, []error{ErrValidation}, false, 1},
		{"error text with 200", 200, `"Подразделение не найдено"`, []error{ErrValidation}, false, 1},
		{"500 may have been applied", 500, `{"Message":"An error has occurred."}`, []error{ErrServer, ErrOutcomeUnknown}, true, 1},
		{"502 after sending", 502, `<html>bad gateway</html>`, []error{ErrOutcomeUnknown}, true, 1},
		{"503 says nothing was done", 503, `"занято"`, []error{ErrServer}, false, 4},
		{"html 200", 200, `<html>`, []error{ErrUnexpectedResponse, ErrOutcomeUnknown}, true, 1},
		{"empty 200", 200, ``, []error{ErrUnexpectedResponse, ErrOutcomeUnknown}, true, 1},
		{"no gest_ID", 200, `{"id":"BFA83CA6-A5C9-8945-94FD-32CB40880933"}`, []error{ErrUnexpectedResponse, ErrOutcomeUnknown}, true, 1},
		{"gest_ID not a GUID", 200, `{"gest_ID":"42"}`, []error{ErrUnexpectedResponse, ErrOutcomeUnknown}, true, 1},
		{"gest_ID a number", 200, `{"gest_ID":42}`, []error{ErrUnexpectedResponse, ErrOutcomeUnknown}, true, 1},
		{"truncated", 200, `{"gest_ID":"BFA83CA6-A5C9`, []error{ErrUnexpectedResponse, ErrOutcomeUnknown}, true, 1},
		{"empty error text", 200, `""`, []error{ErrUnexpectedResponse, ErrOutcomeUnknown}, true, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, rec := postMock(t, tc.status, tc.body)
			res, err := c.PostGuest(context.Background(), docBill())
			assert.Nil(t, res)
			for _, k := range tc.kinds {
				assert.ErrorIs(t, err, k)
			}
			assert.Equal(t, tc.unknown, errors.Is(err, ErrOutcomeUnknown), "%v", err)
			var e *Error
			require.True(t, errors.As(err, &e))
			assert.Equal(t, tc.status, e.StatusCode)
			assert.Equal(t, "/post-guest", e.Path)
			assert.Equal(t, tc.calls, rec.calls, "an unsafe call is resent only when nothing was done")
		})
	}
}
