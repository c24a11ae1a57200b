package payguest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/caravanpay/caravan/internal/transport"
)

// LocalTimeLayout is how Tillypad writes a date and time: the
// restaurant's wall-clock time without a zone ("2020-10-12T12:00:00").
// PostGuest writes a time.Time's clock reading in its own location, so
// pass times in the restaurant's zone.
const LocalTimeLayout = "2006-01-02T15:04:05"

// PostGuestRequest is a new guest bill "in hierarchical form", the body of
// POST /post-guest. Tillypad publishes only an example of it, no field
// table: the fields are the example's (and the order items those public
// integrations send), named in comments by their wire keys, and each is
// sent with the JSON kind the example gives it — numbers for gest_gsst_ID,
// gsdlv_dlvrst_ID, gsdlv_dlvrmt_ID and the gsdlv_ flags, strings for
// gest_Count, gest_IsDelivery, gsdlv_CashAmount and gsdlv_GeoRegionID.
// Zero values are left out, except gest_gsst_ID, which is always sent.
type PostGuestRequest struct {
	// StatusID is the bill's status (gest_gsst_ID), a number: the
	// example sends 0, a public integration 3 ("preparing"). Tillypad's
	// table of statuses (tp_GuestStates) is not published with the API.
	StatusID int
	// Name is the bill's name or number (gest_Name), e.g. "S404095".
	Name string
	// Comment is free text (gest_Comment), e.g. ", Сдача с суммы:3000, К
	// 12-00 часам ".
	Comment string
	// DateOpen is when the bill opens (gest_DateOpen), written in
	// [LocalTimeLayout]; zero sends none.
	DateOpen time.Time
	// GuestCount is gest_Count, sent as a string ("20") as in the example;
	// presumably the number of guests. 0 sends none.
	GuestCount int
	// DivisionID is the division's GUID (gest_dvsn_ID), from
	// [Client.Divisions].
	DivisionID string
	// ClientPhone, ClientName are the customer's (gest_ClientPhone,
	// gest_ClientName).
	ClientPhone, ClientName string
	// ClientAddress is the delivery address (gest_ClientAddress): in
	// Tillypad an XML document in a string, such as
	// "<?xml version='1.0'?>\n<Address>…</Address>". It is sent unchanged
	// (only JSON-escaped), never parsed or rebuilt.
	ClientAddress string
	// IsDelivery marks a delivery bill (gest_IsDelivery), sent as the
	// string "1" as in the example; false sends none.
	IsDelivery bool
	// Delivery is the bill's delivery (guestDeliveries, one object
	// despite the plural); nil sends none.
	Delivery *GuestDelivery
	// Orders are the bill's orders (orders).
	Orders []GuestOrder
}

// GuestDelivery is the guestDeliveries object of a new bill.
type GuestDelivery struct {
	// StatusID is the delivery's status (gsdlv_dlvrst_ID), a number (the
	// example 0, a public integration 2).
	StatusID int
	// MethodID is the delivery method (gsdlv_dlvrmt_ID), a number (1 in
	// the example).
	MethodID int
	// PrepaidPayTypeID is the pay type's GUID (gsdlv_pytp_ID_Prepaid):
	// set it and [Client.PayGuest] may leave Payment.PayTypeID empty.
	PrepaidPayTypeID string
	// CashAmount is the note the courier must change (gsdlv_CashAmount,
	// "Сдача с суммы"), sent as a string ("3000") as in the example; ""
	// sends none.
	CashAmount Decimal
	// ConceptionID is the menu conception's GUID (gsdlv_cncpt_ID).
	ConceptionID string
	// Date is when to deliver (gsdlv_Date), in [LocalTimeLayout]; zero
	// sends none.
	Date time.Time
	// IsAutoStart, SendSooner and NeedConfirmation are the flags
	// gsdlv_IsAutoStart, gsdlv_SendSooner and gsdlv_NeedConfirmation,
	// sent as the numbers 0 or 1 as in the example (always sent).
	IsAutoStart, SendSooner, NeedConfirmation bool
	// GeoRegionID is gsdlv_GeoRegionID, sent as a string ("606").
	GeoRegionID string
	// GeoCoordinates is gsdlv_GeoCoordinates, "latitude, longitude" as
	// text ("59.892383, 30.421824"), sent as given.
	GeoCoordinates string
}

// GuestOrder is one order of a new bill.
type GuestOrder struct {
	// StatusID is the order's status (ordr_orst_ID), a number (0 in the
	// example); always sent.
	StatusID int
	// Date is the order's time (ordr_Date), in [LocalTimeLayout]; zero
	// sends none.
	Date time.Time
	// Name is the order's name (ordr_Name), e.g. "S404095".
	Name string
	// Items are the order's lines (orderItems), at least one.
	Items []GuestOrderItem
}

// GuestOrderItem is one line of an order. The example is cut inside it;
// the keys are those public integrations send.
type GuestOrderItem struct {
	// MenuItemID is the menu item's GUID (orit_mitm_ID), required.
	MenuItemID string
	// MenuTypeID is orit_mvtp_ID, a GUID; optional.
	MenuTypeID string
	// Volume is orit_Volume (1 in public code); "" sends none.
	Volume Decimal
	// Count is the quantity (orit_Count), required and positive.
	Count Decimal
	// Price is the unit price (orit_Price), required and not negative;
	// the line costs Count × Price.
	Price Decimal
	// VAT and PriceVat are orit_VAT and orit_PriceVat; "" sends none.
	VAT, PriceVat Decimal
}

// PostGuestResult is the new bill.
type PostGuestResult struct {
	// GuestID is the bill's id (gest_ID), the Payment.GuestID of
	// [Client.PayGuest], as the server wrote it.
	GuestID string
}

type numBool bool

func (b numBool) MarshalJSON() ([]byte, error) {
	if b {
		return []byte("1"), nil
	}
	return []byte("0"), nil
}

type wireGuest struct {
	StatusID      int           `json:"gest_gsst_ID"`
	Comment       string        `json:"gest_Comment,omitempty"`
	DateOpen      string        `json:"gest_DateOpen,omitempty"`
	Count         string        `json:"gest_Count,omitempty"`
	DivisionID    string        `json:"gest_dvsn_ID,omitempty"`
	ClientPhone   string        `json:"gest_ClientPhone,omitempty"`
	Name          string        `json:"gest_Name,omitempty"`
	ClientAddress string        `json:"gest_ClientAddress,omitempty"`
	ClientName    string        `json:"gest_ClientName,omitempty"`
	IsDelivery    string        `json:"gest_IsDelivery,omitempty"`
	Delivery      *wireDelivery `json:"guestDeliveries,omitempty"`
	Orders        []wireOrder   `json:"orders"`
}

type wireDelivery struct {
	StatusID         int     `json:"gsdlv_dlvrst_ID"`
	MethodID         int     `json:"gsdlv_dlvrmt_ID"`
	PrepaidPayTypeID string  `json:"gsdlv_pytp_ID_Prepaid,omitempty"`
	CashAmount       string  `json:"gsdlv_CashAmount,omitempty"`
	ConceptionID     string  `json:"gsdlv_cncpt_ID,omitempty"`
	Date             string  `json:"gsdlv_Date,omitempty"`
	IsAutoStart      numBool `json:"gsdlv_IsAutoStart"`
	SendSooner       numBool `json:"gsdlv_SendSooner"`
	NeedConfirmation numBool `json:"gsdlv_NeedConfirmation"`
	GeoRegionID      string  `json:"gsdlv_GeoRegionID,omitempty"`
	GeoCoordinates   string  `json:"gsdlv_GeoCoordinates,omitempty"`
}

type wireOrder struct {
	StatusID int        `json:"ordr_orst_ID"`
	Date     string     `json:"ordr_Date,omitempty"`
	Name     string     `json:"ordr_Name,omitempty"`
	Items    []wireItem `json:"orderItems"`
}

type wireItem struct {
	MenuItemID string  `json:"orit_mitm_ID"`
	MenuTypeID string  `json:"orit_mvtp_ID,omitempty"`
	Volume     Decimal `json:"orit_Volume,omitempty"`
	Count      Decimal `json:"orit_Count"`
	Price      Decimal `json:"orit_Price"`
	VAT        Decimal `json:"orit_VAT,omitempty"`
	PriceVat   Decimal `json:"orit_PriceVat,omitempty"`
}

func localTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(LocalTimeLayout)
}

// maxText bounds every text field: no bill field needs more, and a larger
// value is a bug.
const maxText = 64 << 10

func checkText(field, v string) error {
	if !utf8.ValidString(v) {
		return invalid(field, "is not valid UTF-8")
	}
	if len(v) > maxText {
		return invalid(field, "is longer than %d bytes", maxText)
	}
	return nil
}

func checkGUID(field, v string, required bool) error {
	if v == "" {
		if required {
			return invalid(field, "is required")
		}
		return nil
	}
	if !transport.IsUUID(v) {
		return invalid(field, "must be a GUID (8-4-4-4-12 hex digits), got %q", clip(v))
	}
	return nil
}

func checkDecimal(field string, d Decimal, required, positive bool) error {
	if d == "" {
		if required {
			return invalid(field, "is required")
		}
		return nil
	}
	if err := checkAmount(d); err != nil {
		return invalid(field, "%v", err)
	}
	if positive && d.Cmp("0") <= 0 {
		return invalid(field, "must be positive, got %s", d)
	}
	return nil
}

func encodePostGuest(req *PostGuestRequest) (transport.Body, error) {
	if req == nil {
		return transport.Body{}, invalid("request", "is nil")
	}
	for _, f := range []struct{ name, v string }{
		{"gest_Name", req.Name}, {"gest_Comment", req.Comment}, {"gest_ClientPhone", req.ClientPhone},
		{"gest_ClientName", req.ClientName}, {"gest_ClientAddress", req.ClientAddress},
	} {
		if err := checkText(f.name, f.v); err != nil {
			return transport.Body{}, err
		}
	}
	if req.GuestCount < 0 {
		return transport.Body{}, invalid("gest_Count", "must not be negative")
	}
	if err := checkGUID("gest_dvsn_ID", req.DivisionID, false); err != nil {
		return transport.Body{}, err
	}
	w := wireGuest{
		StatusID: req.StatusID, Comment: req.Comment, DateOpen: localTime(req.DateOpen), DivisionID: req.DivisionID,
		ClientPhone: req.ClientPhone, Name: req.Name, ClientAddress: req.ClientAddress, ClientName: req.ClientName,
		Orders: make([]wireOrder, 0, len(req.Orders)),
	}
	if req.GuestCount > 0 {
		w.Count = strconv.Itoa(req.GuestCount)
	}
	if req.IsDelivery {
		w.IsDelivery = "1"
	}
	if d := req.Delivery; d != nil {
		if err := checkGUID("guestDeliveries.gsdlv_pytp_ID_Prepaid", d.PrepaidPayTypeID, false); err != nil {
			return transport.Body{}, err
		}
		if err := checkGUID("guestDeliveries.gsdlv_cncpt_ID", d.ConceptionID, false); err != nil {
			return transport.Body{}, err
		}
		if err := checkDecimal("guestDeliveries.gsdlv_CashAmount", d.CashAmount, false, false); err != nil {
			return transport.Body{}, err
		}
		for _, f := range []struct{ name, v string }{
			{"guestDeliveries.gsdlv_GeoRegionID", d.GeoRegionID}, {"guestDeliveries.gsdlv_GeoCoordinates", d.GeoCoordinates},
		} {
			if err := checkText(f.name, f.v); err != nil {
				return transport.Body{}, err
			}
		}
		w.Delivery = &wireDelivery{
			StatusID: d.StatusID, MethodID: d.MethodID, PrepaidPayTypeID: d.PrepaidPayTypeID,
			CashAmount: string(d.CashAmount), ConceptionID: d.ConceptionID, Date: localTime(d.Date),
			IsAutoStart: numBool(d.IsAutoStart), SendSooner: numBool(d.SendSooner), NeedConfirmation: numBool(d.NeedConfirmation),
			GeoRegionID: d.GeoRegionID, GeoCoordinates: d.GeoCoordinates,
		}
	}
	if len(req.Orders) == 0 {
		return transport.Body{}, invalid("orders", "at least one order is required")
	}
	for i, o := range req.Orders {
		at := fmt.Sprintf("orders[%d]", i)
		if err := checkText(at+".ordr_Name", o.Name); err != nil {
			return transport.Body{}, err
		}
		if len(o.Items) == 0 {
			return transport.Body{}, invalid(at+".orderItems", "at least one item is required")
		}
		wo := wireOrder{StatusID: o.StatusID, Date: localTime(o.Date), Name: o.Name, Items: make([]wireItem, 0, len(o.Items))}
		for j, it := range o.Items {
			at := fmt.Sprintf("%s.orderItems[%d]", at, j)
			if err := checkGUID(at+".orit_mitm_ID", it.MenuItemID, true); err != nil {
				return transport.Body{}, err
			}
			if err := checkGUID(at+".orit_mvtp_ID", it.MenuTypeID, false); err != nil {
				return transport.Body{}, err
			}
			for _, f := range []struct {
				name               string
				v                  Decimal
				required, positive bool
			}{
				{".orit_Volume", it.Volume, false, true}, {".orit_Count", it.Count, true, true},
				{".orit_Price", it.Price, true, false}, {".orit_VAT", it.VAT, false, false},
				{".orit_PriceVat", it.PriceVat, false, false},
			} {
				if err := checkDecimal(at+f.name, f.v, f.required, f.positive); err != nil {
					return transport.Body{}, err
				}
			}
			wo.Items = append(wo.Items, wireItem(it))
		}
		w.Orders = append(w.Orders, wo)
	}
	body, err := transport.JSON(w)
	if err != nil {
		return transport.Body{}, invalid("request", "cannot be encoded: %v", err)
	}
	return body, nil
}

// PostGuest creates a guest bill, with POST /post-guest, and returns its
// id (gest_ID): the bill [Client.PayGuest] then pays. With
// Delivery.PrepaidPayTypeID set, PayGuest may leave Payment.PayTypeID
// empty.
//
// Outcome: unsafe — the call creates a bill and carries no idempotency
// key, so sending it again after it went through creates a second bill.
// It is retried only when the request provably never reached the server
// (the connection failed to open) or the server answered 429 or 503. A
// nil error means one bill was created. When the connection breaks after
// the request was sent, a timeout ends the call, the server answers a 5xx
// other than 501 and 503 (a 500 or a gateway's 502/504), or a 2xx reply
// cannot be read, the error is [ErrOutcomeUnknown]: a bill may exist. Do not post again blindly; look for the bill in Tillypad
// (by gest_Name, gest_ClientPhone) first. Any other error (a validation
// error, the server's error text) means no bill was created, and the
// same call may be sent again.
//
// The request is checked before sending (GUIDs, plain non-negative
// decimals, at least one order with one item); a refused request matches
// [ErrInvalidRequest] and names the field by its wire key
// ("orders[0].orderItems[1].orit_Count").
func (c *Client) PostGuest(ctx context.Context, req *PostGuestRequest) (*PostGuestResult, error) {
	body, err := encodePostGuest(req)
	if err != nil {
		return nil, err
	}
	resp, err := c.t.Do(ctx, &transport.Request{Method: http.MethodPost, Path: "/post-guest", Body: &body, Class: transport.Unsafe})
	if err != nil {
		return nil, newError(err)
	}
	return decodePostGuest(resp)
}

// decodePostGuest reads a 2xx reply: a bare JSON string is the server's
// error text (nothing was created; an empty one names no reason and is
// unreadable); {"gest_ID":"<GUID>"} is the new bill;
// anything else cannot be read, and since a bill may have been created it
// is also ErrOutcomeUnknown.
func decodePostGuest(resp *transport.Response) (*PostGuestResult, error) {
	body := trimBody(resp.Body)
	if len(body) > 0 && body[0] == '"' {
		// an empty text names no reason: it cannot say nothing was created
		if text, ok := errorText(body); ok && text != "" {
			return nil, newError(resp.Fail(transport.ErrValidation, "", nil))
		}
	}
	var w struct {
		GestID *string `json:"gest_ID"`
	}
	var err error
	switch {
	case len(body) == 0 || body[0] != '{':
		err = fmt.Errorf("want a JSON object, got %s", describe(body))
	default:
		err = json.Unmarshal(body, &w)
		if err == nil && (w.GestID == nil || !transport.IsUUID(*w.GestID)) {
			err = fmt.Errorf("the reply has no gest_ID GUID")
		}
	}
	if err != nil {
		return nil, newError(resp.Fail(transport.ErrUnexpectedResponse,
			"the reply cannot be read and the bill may have been created",
			fmt.Errorf("%w: %w", ErrOutcomeUnknown, err)))
	}
	return &PostGuestResult{GuestID: *w.GestID}, nil
}
