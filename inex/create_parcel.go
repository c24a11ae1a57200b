package inex

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/mail"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/caravanpay/caravan/internal/transport"
)

// ShipmentType is how a parcel travels.
type ShipmentType string

// The documented shipment types.
const (
	ByAir   ShipmentType = "byAir"
	BySea   ShipmentType = "bySea"
	ByTrain ShipmentType = "byTrain"
	ByRoad  ShipmentType = "byRoad"
)

// DeliveryType is how a parcel reaches its receiver.
type DeliveryType string

// The documented delivery types.
const (
	// PickupInStore: the receiver collects the parcel at a pickup
	// location (PickupLocationID is required).
	PickupInStore DeliveryType = "pickupInStore"
	// Delivery: a courier brings it (DeliveryDetail is required).
	Delivery DeliveryType = "delivery"
)

// MaxDeliveryAddressLength is the most characters deliveryDetail.address
// may have; the other text fields of [CreateParcelRequest] allow
// [MaxPaymentIDLength] (255).
const MaxDeliveryAddressLength = 1000

// CreateParcelRequest registers a parcel with Inex. Field comments name
// the wire fields; the rules are Inex's.
type CreateParcelRequest struct {
	// ClientReferenceID is your own reference (clientReferenceId,
	// optional, at most 255 characters).
	ClientReferenceID string `json:"clientReferenceId,omitempty"`
	// WaybillNumbers are the parcel's tracking numbers (waybillNumbers,
	// at least one, each at most 255 characters). They make the call
	// idempotent: see [Client.CreateParcel].
	WaybillNumbers []string `json:"waybillNumbers"`
	// Status is the parcel's status (required): only [ParcelCreated],
	// [ParcelReceived] or [ParcelPending].
	Status ParcelStatus `json:"status"`
	// Weight is in grams, required (positive) when Status is received or
	// pending; 0 sends none.
	Weight int64 `json:"weight,omitempty"`
	// Width, Height and Length are in millimetres, optional; 0 sends none.
	// Inex's table describes "length" as the width and "width" as the
	// length (a slip); they travel under the wire names.
	Width int64 `json:"width,omitempty"`
	// Height is in millimetres, optional; 0 sends none.
	Height int64 `json:"height,omitempty"`
	// Length is in millimetres, optional; 0 sends none.
	Length int64 `json:"length,omitempty"`
	// ShipmentType is how the parcel travels (required).
	ShipmentType ShipmentType `json:"shipmentType"`
	// DeliveryType is how it reaches the receiver (required).
	DeliveryType DeliveryType `json:"deliveryType"`
	// PickupLocationID is the pickup location (pickupLocationId), required
	// when DeliveryType is [PickupInStore], else it must be empty. Inex
	// says "see branches service"; presumably a [PickupLocation]'s
	// LocationCode, such as "200058".
	PickupLocationID string `json:"pickupLocationId,omitempty"`
	// Receiver is who receives the parcel (required).
	Receiver Receiver `json:"receiver"`
	// DeliveryDetail is where a courier brings it: required when
	// DeliveryType is [Delivery], else it must be nil.
	DeliveryDetail *DeliveryDetail `json:"deliveryDetail,omitempty"`
	// Declaration is the customs declaration (required).
	Declaration Declaration `json:"declaration"`
}

// Receiver is a parcel's receiver; every field but Email is required, at
// most 255 characters.
type Receiver struct {
	// PersonalID is the receiver's personal (national id) number
	// (receiver.personalId).
	PersonalID string `json:"personalId"`
	// Firstname is the receiver's first name (receiver.firstname).
	Firstname string `json:"firstname"`
	// Lastname is the receiver's last name (receiver.lastname).
	Lastname string `json:"lastname"`
	// PhoneNumber is the receiver's phone (receiver.phoneNumber).
	PhoneNumber string `json:"phoneNumber"`
	// Email is optional (receiver.email).
	Email string `json:"email,omitempty"`
}

// DeliveryDetail is a courier delivery's address.
type DeliveryDetail struct {
	// City is required, at most 255 characters (deliveryDetail.city).
	City string `json:"city"`
	// Address is required, at most 1000 characters
	// (deliveryDetail.address).
	Address string `json:"address"`
	// District is optional (deliveryDetail.district).
	District string `json:"district,omitempty"`
}

// Declaration is a parcel's customs declaration. Inex's page was cut
// after declaration.currencyCode, so only two of its fields are known:
// put the others, as Inex names them, in Extra.
type Declaration struct {
	// SourceURL is where the goods were bought (declaration.sourceUrl,
	// required, an http or https URL).
	SourceURL string
	// CurrencyCode is the ISO 4217 code of the declared values
	// (declaration.currencyCode), e.g. "USD"; its rules are past the
	// document's cut, so it is only checked to be three letters when set.
	CurrencyCode string
	// Extra holds the declaration's other fields, sent as given (each
	// value encoded with encoding/json: pass amounts as strings or
	// json.Number, never float64). A key may not be sourceUrl or
	// currencyCode.
	Extra map[string]any
}

// MarshalJSON writes the declaration's fields and Extra as one object.
func (d Declaration) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, len(d.Extra)+2)
	for k, v := range d.Extra {
		m[k] = v
	}
	m["sourceUrl"] = d.SourceURL
	if d.CurrencyCode != "" {
		m["currencyCode"] = d.CurrencyCode
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

func checkMax(field, v string, max int) error {
	if err := checkText(field, v); err != nil {
		return err
	}
	if n := utf8.RuneCountInString(v); n > max {
		return invalid(field, "has %d characters; at most %d are allowed", n, max)
	}
	return nil
}

func required(field, v string, max int) error {
	if blank(v) {
		return invalid(field, "is required")
	}
	return checkMax(field, v, max)
}

func (r *CreateParcelRequest) validate() error {
	if err := checkMax("clientReferenceId", r.ClientReferenceID, 255); err != nil {
		return err
	}
	if len(r.WaybillNumbers) == 0 {
		return invalid("waybillNumbers", "is required")
	}
	seen := make(map[string]bool, len(r.WaybillNumbers))
	for _, w := range r.WaybillNumbers {
		if err := required("waybillNumbers", w, 255); err != nil {
			return err
		}
		if seen[w] {
			return invalid("waybillNumbers", "%q is given twice", w)
		}
		seen[w] = true
	}
	switch r.Status {
	case ParcelCreated:
	case ParcelReceived, ParcelPending:
		if r.Weight <= 0 {
			return invalid("weight", "is required (grams, positive) when status is %s", r.Status)
		}
	case "":
		return invalid("status", "is required")
	default:
		return invalid("status", "%q is not one of created, received, pending", string(r.Status))
	}
	for _, f := range []struct {
		name string
		v    int64
	}{{"weight", r.Weight}, {"width", r.Width}, {"height", r.Height}, {"length", r.Length}} {
		if f.v < 0 {
			return invalid(f.name, "must not be negative")
		}
	}
	switch r.ShipmentType {
	case ByAir, BySea, ByTrain, ByRoad:
	case "":
		return invalid("shipmentType", "is required")
	default:
		return invalid("shipmentType", "%q is not one of byAir, bySea, byTrain, byRoad", string(r.ShipmentType))
	}
	switch r.DeliveryType {
	case PickupInStore:
		if err := required("pickupLocationId", r.PickupLocationID, 255); err != nil {
			return invalid("pickupLocationId", "is required when deliveryType is pickupInStore")
		}
		if r.DeliveryDetail != nil {
			return invalid("deliveryDetail", "is only for deliveryType delivery")
		}
	case Delivery:
		if r.PickupLocationID != "" {
			return invalid("pickupLocationId", "is only for deliveryType pickupInStore")
		}
		if r.DeliveryDetail == nil {
			return invalid("deliveryDetail", "is required when deliveryType is delivery")
		}
		if err := required("deliveryDetail.city", r.DeliveryDetail.City, 255); err != nil {
			return err
		}
		if err := required("deliveryDetail.address", r.DeliveryDetail.Address, MaxDeliveryAddressLength); err != nil {
			return err
		}
		if err := checkMax("deliveryDetail.district", r.DeliveryDetail.District, 255); err != nil {
			return err
		}
	case "":
		return invalid("deliveryType", "is required")
	default:
		return invalid("deliveryType", "%q is not one of pickupInStore, delivery", string(r.DeliveryType))
	}
	for _, f := range []struct{ name, v string }{
		{"receiver.personalId", r.Receiver.PersonalID}, {"receiver.firstname", r.Receiver.Firstname},
		{"receiver.lastname", r.Receiver.Lastname}, {"receiver.phoneNumber", r.Receiver.PhoneNumber},
	} {
		if err := required(f.name, f.v, 255); err != nil {
			return err
		}
	}
	if r.Receiver.Email != "" {
		if err := checkMax("receiver.email", r.Receiver.Email, 255); err != nil {
			return err
		}
		if a, err := mail.ParseAddress(r.Receiver.Email); err != nil || a.Address != r.Receiver.Email {
			return invalid("receiver.email", "is not an e-mail address")
		}
	}
	return r.Declaration.validate()
}

func (d *Declaration) validate() error {
	if blank(d.SourceURL) {
		return invalid("declaration.sourceUrl", "is required")
	}
	if err := checkText("declaration.sourceUrl", d.SourceURL); err != nil {
		return err
	}
	u, err := url.Parse(d.SourceURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return invalid("declaration.sourceUrl", "is not an http or https URL")
	}
	if c := d.CurrencyCode; c != "" && (len(c) != 3 || strings.ToUpper(c) != c || !isLetter(c[0]) || !isLetter(c[1]) || !isLetter(c[2])) {
		return invalid("declaration.currencyCode", "must be three capital letters (ISO 4217), such as USD")
	}
	for k := range d.Extra {
		if k == "sourceUrl" || k == "currencyCode" {
			return invalid("declaration."+k, "is set by its own field, not in Extra")
		}
		if k == "" {
			return invalid("declaration", "Extra holds an empty key")
		}
	}
	return nil
}

// CreatedParcel is Inex's answer to [Client.CreateParcel].
type CreatedParcel struct {
	// StatusCode is the reply's HTTP status: Inex documents 200 for a
	// parcel of yours that already existed with one of the waybill
	// numbers; the status of a new parcel is past the document's cut
	// (presumably 201).
	StatusCode int
	// Parcel is the reply's data read as [Client.ParcelDetail] reads a
	// parcel. The document's reply example is cut, so fields it does not
	// send stay zero.
	Parcel *Parcel
	// Data is the reply's "data" as sent, for the fields past the
	// document's cut.
	Data json.RawMessage
}

// CreateParcel registers a parcel, with POST /integrators/parcels/create.
//
// Outcome: idempotent by tracking code. Inex looks the waybill numbers
// up first: a parcel of yours that already has one of them is answered
// with 200 and that parcel, and nothing is created or changed (so a
// second call with other fields does not update it — compare what comes
// back); another integrator's parcel with one of them is
// [ErrUnauthorized] (403), and nothing is created. So a nil error means
// the parcel exists, once, and the client retries a lost reply or a 5xx
// itself.
//
// What to do with the outcome:
//   - nil: the parcel exists, exactly once.
//   - errors.Is(err, ErrOutcomeUnknown): the retries ran out (or the reply
//     was unreadable) after a request that may have created the parcel.
//     [SafeToRepeat] is true: send the same call again — it answers the
//     existing parcel with 200 — or read it with [Client.ParcelDetail].
//   - any other error: nothing was created. A field Inex refuses is
//     [ErrValidation].
//
// The request is checked first, field by field as Inex's page names the
// fields (receiver.firstname, deliveryDetail.address…), so nothing is
// sent that Inex would refuse for a documented rule.
func (c *Client) CreateParcel(ctx context.Context, req *CreateParcelRequest) (*CreatedParcel, error) {
	if req == nil {
		return nil, invalid("request", "is nil")
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	body, err := transport.JSON(req)
	if err != nil {
		return nil, invalid("request", "%v", err)
	}
	d, resp, err := do[json.RawMessage](ctx, c, &transport.Request{
		Method: http.MethodPost, Path: "/integrators/parcels/create", Body: &body, Class: transport.Idempotent,
	})
	if err != nil {
		return nil, err
	}
	var pd parcelData
	if err := json.Unmarshal(*d, &pd); err != nil {
		return nil, newError(resp.Fail(transport.ErrUnexpectedResponse, "undecodable parcel", err))
	}
	return &CreatedParcel{StatusCode: resp.Status, Parcel: pd.parcel(), Data: *d}, nil
}
