package inex

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/caravanpay/caravan/internal/tolerant"
	"github.com/caravanpay/caravan/internal/transport"
)

// ParcelStatus is where a parcel is in Inex's process. The set is open:
// Inex's table was cut after "disposed", so a value not listed here is
// kept as sent. Compare with == against the constants; [ParcelStatus.Known]
// says whether the value is one of the documented ones.
type ParcelStatus string

// The documented parcel statuses, with Inex's descriptions.
const (
	ParcelCreated                    ParcelStatus = "created"                    // added to the system
	ParcelReceived                   ParcelStatus = "received"                   // received at the warehouse
	ParcelPending                    ParcelStatus = "pending"                    // dispatched
	ParcelArrived                    ParcelStatus = "arrived"                    // arrived
	ParcelTakeout                    ParcelStatus = "takeout"                    // picked up
	ParcelReturned                   ParcelStatus = "returned"                   // returned
	ParcelConfiscated                ParcelStatus = "confiscated"                // confiscated
	ParcelLost                       ParcelStatus = "lost"                       // lost
	ParcelDropOfDate                 ParcelStatus = "dropOfDate"                 // "Unknown" in Inex's table
	ParcelDamaged                    ParcelStatus = "damaged"                    // damaged
	ParcelCompensated                ParcelStatus = "compensated"                // compensated
	ParcelNotCompensated             ParcelStatus = "notCompensated"             // not compensated
	ParcelReturnToSellerIsInProgress ParcelStatus = "returnToSellerIsInProgress" // return to seller is in progress
	ParcelDisposed                   ParcelStatus = "disposed"                   // disposed of
)

var parcelStatuses = []ParcelStatus{
	ParcelCreated, ParcelReceived, ParcelPending, ParcelArrived, ParcelTakeout, ParcelReturned,
	ParcelConfiscated, ParcelLost, ParcelDropOfDate, ParcelDamaged, ParcelCompensated,
	ParcelNotCompensated, ParcelReturnToSellerIsInProgress, ParcelDisposed,
}

// Known reports whether s is one of the documented statuses.
func (s ParcelStatus) Known() bool {
	for _, t := range parcelStatuses {
		if s == t {
			return true
		}
	}
	return false
}

// Country is a country as Inex names it.
type Country struct {
	// Name is the country's name, e.g. "United States".
	Name string
	// Code is its ISO 3166-1 alpha-2 code, e.g. "US".
	Code string
}

// Parcel is a parcel as [Client.ParcelDetail] reads it.
type Parcel struct {
	// WaybillNumbers are the parcel's tracking numbers.
	WaybillNumbers []string
	// Status is where the parcel is; see [ParcelStatus].
	Status ParcelStatus
	// Weight is in grams (1551 is 1.551 kg); 0 when Inex has not weighed
	// the parcel.
	Weight int64
	// Length, Height and Width are in millimetres, as Inex's fields name
	// them. Inex's table describes "length" as the width and "width" as
	// the length (a slip); the values are passed on under the wire names.
	Length, Height, Width int64
	// SenderCountry is the country the parcel comes from.
	SenderCountry Country
	// ReceiverCity is the name of the city the parcel goes to, e.g.
	// "Tbilisi".
	ReceiverCity string
	// ReceiverPickupLocation is the branch or locker the parcel is
	// picked up at; nil when the reply names none (home delivery). Its
	// LocationCode, Country and City are empty: this reply does not carry
	// them.
	ReceiverPickupLocation *PickupLocation
}

// nameOnly is an object of which Inex sends a name (and maybe a code).
type nameOnly struct {
	Name tolerant.String `json:"name"`
	Code tolerant.String `json:"code"`
}

// coordinate is a latitude or longitude: a JSON number, a number in a
// string, or null.
type coordinate float64

func (c *coordinate) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if strings.TrimSpace(s) == "" {
			return nil
		}
		b = []byte(strings.TrimSpace(s))
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("coordinate %.20q: not a number", b)
	}
	if f < -180 || f > 180 {
		return fmt.Errorf("coordinate %v out of range", f)
	}
	*c = coordinate(f)
	return nil
}

type locationData struct {
	LocationCode tolerant.String `json:"locationCode"`
	Name         tolerant.String `json:"name"`
	Address      tolerant.String `json:"address"`
	Phone        tolerant.String `json:"phone"`
	Latitude     coordinate      `json:"latitude"`
	Longitude    coordinate      `json:"longitude"`
	PostalCode   tolerant.String `json:"postalCode"`
	Country      *nameOnly       `json:"country"`
	City         *nameOnly       `json:"city"`
}

func (d *locationData) location() *PickupLocation {
	l := &PickupLocation{
		LocationCode: string(d.LocationCode), Name: string(d.Name), Address: string(d.Address),
		Phone: string(d.Phone), Latitude: float64(d.Latitude), Longitude: float64(d.Longitude),
		PostalCode: string(d.PostalCode),
	}
	if d.Country != nil {
		l.Country = Country{Name: string(d.Country.Name), Code: string(d.Country.Code)}
	}
	if d.City != nil {
		l.City = string(d.City.Name)
	}
	return l
}

type parcelData struct {
	Weight                 tolerant.Int64    `json:"weight"`
	Length                 tolerant.Int64    `json:"length"`
	Height                 tolerant.Int64    `json:"height"`
	Width                  tolerant.Int64    `json:"width"`
	Status                 tolerant.String   `json:"status"`
	SenderCountry          *nameOnly         `json:"senderCountry"`
	ReceiverCity           *nameOnly         `json:"receiverCity"`
	ReceiverPickupLocation *locationData     `json:"receiverPickupLocation"`
	WaybillNumbers         []tolerant.String `json:"waybillNumbers"`
}

func (d *parcelData) parcel() *Parcel {
	p := &Parcel{
		Status: ParcelStatus(d.Status), Weight: int64(d.Weight),
		Length: int64(d.Length), Height: int64(d.Height), Width: int64(d.Width),
		WaybillNumbers: make([]string, 0, len(d.WaybillNumbers)),
	}
	for _, w := range d.WaybillNumbers {
		p.WaybillNumbers = append(p.WaybillNumbers, string(w))
	}
	if d.SenderCountry != nil {
		p.SenderCountry = Country{Name: string(d.SenderCountry.Name), Code: string(d.SenderCountry.Code)}
	}
	if d.ReceiverCity != nil {
		p.ReceiverCity = string(d.ReceiverCity.Name)
	}
	if d.ReceiverPickupLocation != nil {
		p.ReceiverPickupLocation = d.ReceiverPickupLocation.location()
	}
	return p
}

// ParcelDetail reads a parcel by one of its waybill numbers, with
// GET /integrators/parcels/detail/{waybillNumber}: a payment kiosk shows
// it before the customer pays the parcel's debt ([Client.DebtDetail] with
// the same WaybillNumber).
//
// Outcome: a read, which changes nothing — it never returns
// [ErrOutcomeUnknown], and it may always be sent again (the client retries
// it on network errors, 429 and 5xx). An unknown waybill number is
// [ErrNotFound]; a parcel Inex does not let this integrator see is
// [ErrUnauthorized] (403).
func (c *Client) ParcelDetail(ctx context.Context, waybillNumber string) (*Parcel, error) {
	if err := checkPathParam("waybillNumber", waybillNumber); err != nil {
		return nil, err
	}
	d, _, err := do[parcelData](ctx, c, &transport.Request{
		Method: http.MethodGet, Path: transport.Path("/integrators/parcels/detail/%s", waybillNumber), Class: transport.Idempotent,
	})
	if err != nil {
		return nil, err
	}
	return d.parcel(), nil
}

// PickupLocation is a branch, locker or person where parcels are picked
// up.
type PickupLocation struct {
	// LocationCode identifies the location, e.g. "200058". Inex's
	// create-parcel call asks for a pickupLocationId "see branches
	// service"; the documents do not say it is this code, though it
	// presumably is.
	LocationCode string
	// Name is the location's name, e.g. "Isani".
	Name string
	// Address is its street address, e.g. "Isani, Atskuri Street #45".
	Address string
	// Phone is its phone number as Inex writes it, e.g. "(0322) 2222222".
	Phone string
	// Latitude and Longitude are its coordinates in degrees.
	Latitude, Longitude float64
	// PostalCode is its postal code as Inex sends it (one example says
	// "Isani").
	PostalCode string
	// Country is the location's country.
	Country Country
	// City is the name of the location's city.
	City string
}
