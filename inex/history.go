package inex

import (
	"context"
	"net/http"
	"time"

	"github.com/caravanpay/caravan/internal/tolerant"
	"github.com/caravanpay/caravan/internal/transport"
)

// Language is a language Inex translates its texts into, sent as the
// Accept-Language header.
type Language string

// The languages Inex documents.
const (
	Georgian Language = "ka"
	English  Language = "en"
	Russian  Language = "ru"
)

// LogisticHistoryRequest selects a parcel's history and the language of
// its texts.
type LogisticHistoryRequest struct {
	// WaybillNumber is one of the parcel's tracking numbers (required).
	WaybillNumber string
	// AcceptLanguage is the language of the events' names and
	// descriptions ("Determines enum translations"): [Georgian], [English]
	// or [Russian]. Empty sends no Accept-Language header, and Inex
	// chooses.
	AcceptLanguage Language
}

// LogisticEvent is one step of a parcel's way, as Inex records it.
type LogisticEvent struct {
	// UID identifies the event, e.g. "391b6da0-17b1-11f1-9b88-00155d4cfe58".
	UID string
	// EventID is the event's id in camelCase, e.g. "received". Inex's
	// catalogue of events is on a page that is not published with the
	// API, so the set is open.
	EventID string
	// EventName and EventDescription are the event's texts in the
	// requested language, e.g. "Received" and "Parcel received at the
	// overseas warehouse".
	EventName, EventDescription string
	// ReasonID is the reason's id, e.g. "extraLarge"; "" when Inex sends
	// no reason (null).
	ReasonID string
	// Message is the event's message; "" when Inex sends none (null).
	Message string
	// Country and City name where the event happened.
	Country, City string
	// HappenedAt is when the event happened, with the offset Inex wrote
	// ("2026-03-04T14:02:15+04:00"). When the text is missing, it is read
	// from happenedAtTimeStamp (milliseconds since 1970, in UTC); zero
	// when both are missing.
	HappenedAt time.Time
}

type historyData struct {
	UID   tolerant.String `json:"uid"`
	Event *struct {
		EventID     tolerant.String `json:"eventId"`
		Name        tolerant.String `json:"name"`
		Description tolerant.String `json:"description"`
	} `json:"event"`
	Reason *struct {
		ReasonID tolerant.String `json:"reasonId"`
	} `json:"reason"`
	Message  tolerant.String `json:"message"`
	Location *struct {
		Country *nameOnly `json:"country"`
		City    *nameOnly `json:"city"`
	} `json:"location"`
	HappenedAt          tolerant.Time  `json:"happenedAt"`
	HappenedAtTimeStamp tolerant.Int64 `json:"happenedAtTimeStamp"`
}

func (d *historyData) event() LogisticEvent {
	e := LogisticEvent{UID: string(d.UID), Message: string(d.Message), HappenedAt: d.HappenedAt.Time}
	if d.Event != nil {
		e.EventID, e.EventName, e.EventDescription = string(d.Event.EventID), string(d.Event.Name), string(d.Event.Description)
	}
	if d.Reason != nil {
		e.ReasonID = string(d.Reason.ReasonID)
	}
	if d.Location != nil {
		if d.Location.Country != nil {
			e.Country = string(d.Location.Country.Name)
		}
		if d.Location.City != nil {
			e.City = string(d.Location.City.Name)
		}
	}
	if e.HappenedAt.IsZero() && d.HappenedAtTimeStamp != 0 {
		e.HappenedAt = time.UnixMilli(int64(d.HappenedAtTimeStamp)).UTC()
	}
	return e
}

// LogisticHistory reads the steps of a parcel's way, oldest first as
// Inex sends them, with GET /integrators/logistics/history/{waybillNumber}
// and, when req.AcceptLanguage is set, an Accept-Language header.
//
// Outcome: a read, which changes nothing — it never returns
// [ErrOutcomeUnknown], and it may always be sent again (the client retries
// it on network errors, 429 and 5xx). Inex documents 200 and 403 for it:
// a parcel this integrator may not see is [ErrUnauthorized]; an unknown
// waybill number is probably [ErrNotFound].
func (c *Client) LogisticHistory(ctx context.Context, req *LogisticHistoryRequest) ([]LogisticEvent, error) {
	if req == nil {
		return nil, invalid("request", "is nil")
	}
	if err := checkPathParam("waybillNumber", req.WaybillNumber); err != nil {
		return nil, err
	}
	var h http.Header
	switch req.AcceptLanguage {
	case "":
	case Georgian, English, Russian:
		h = http.Header{"Accept-Language": {string(req.AcceptLanguage)}}
	default:
		return nil, invalid("Accept-Language", "%q is not one of ka, en, ru", string(req.AcceptLanguage))
	}
	d, _, err := do[[]historyData](ctx, c, &transport.Request{
		Method: http.MethodGet, Path: transport.Path("/integrators/logistics/history/%s", req.WaybillNumber),
		Header: h, Class: transport.Idempotent,
	})
	if err != nil {
		return nil, err
	}
	out := make([]LogisticEvent, 0, len(*d))
	for i := range *d {
		out = append(out, (*d)[i].event())
	}
	return out, nil
}
