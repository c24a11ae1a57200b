package payguest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/caravanpay/caravan/internal/tolerant"
	"github.com/caravanpay/caravan/internal/transport"
)

// flexBool is a flag that arrives as true/false, 0/1, or the same in a
// string; null and "" are false. The Tillypad documents mix these kinds
// for like fields.
type flexBool bool

func (b *flexBool) UnmarshalJSON(data []byte) error {
	t := bytes.TrimSpace(data)
	if len(t) > 0 && t[0] == '"' {
		var s string
		if err := json.Unmarshal(t, &s); err != nil {
			return err
		}
		t = []byte(strings.ToLower(strings.TrimSpace(s)))
	}
	switch string(t) {
	case "true", "1":
		*b = true
	case "false", "0", "null", "":
		*b = false
	default:
		return fmt.Errorf("flag %.20q: not true, false, 0 or 1", t)
	}
	return nil
}

// getList reads a GET route whose reply is a JSON array of T. A bare JSON
// string is the server's error text, whatever the status.
func getList[T any](ctx context.Context, c *Client, path string) ([]T, error) {
	resp, err := c.t.Do(ctx, &transport.Request{Method: http.MethodGet, Path: path, Class: transport.Idempotent})
	if err != nil {
		return nil, newError(err)
	}
	body := trimBody(resp.Body)
	if len(body) > 0 && body[0] == '"' {
		if _, ok := errorText(body); ok {
			return nil, newError(resp.Fail(transport.ErrValidation, "", nil))
		}
	}
	if len(body) == 0 || body[0] != '[' {
		return nil, newError(resp.Fail(transport.ErrUnexpectedResponse, "want a JSON array, got "+describe(body), nil))
	}
	var out []T
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, newError(resp.Fail(transport.ErrUnexpectedResponse, "the list cannot be read", err))
	}
	if out == nil {
		out = []T{}
	}
	return out, nil
}

// DiscountPointType is a kind of loyalty points (tp_DiscountPointTypes):
// its ID is what [DiscountSum].TypeID takes.
type DiscountPointType struct {
	// ID is the type's GUID (dspt_ID), as the server wrote it.
	ID string
	// Name is the type's name (dspt_Name), e.g. "баллы 1".
	Name string
	// Description is its description (dspt_Description).
	Description string
	// IsPermanent is dspt_IsPermanent; the document does not say what it
	// means (presumably points that do not expire). It is read from
	// true/false, 0/1 or the same in a string.
	IsPermanent bool
}

type wireDiscountPointType struct {
	ID          tolerant.String `json:"dspt_ID"`
	Name        tolerant.String `json:"dspt_Name"`
	Description tolerant.String `json:"dspt_Description"`
	IsPermanent flexBool        `json:"dspt_IsPermanent"`
}

// DiscountPointTypes lists the restaurant's kinds of loyalty points, with
// GET /get-discount-point-types: where PayGuest's DiscountSum.type_ID
// comes from.
//
// Outcome: a read, which changes nothing — it never returns
// [ErrOutcomeUnknown], and it may always be sent again (the client retries
// it on network errors, 429 and 5xx). An error text from the server is an
// [*Error] matching [ErrValidation] (or the status's sentinel); a reply
// that is not a list is [ErrUnexpectedResponse].
func (c *Client) DiscountPointTypes(ctx context.Context) ([]DiscountPointType, error) {
	list, err := getList[wireDiscountPointType](ctx, c, "/get-discount-point-types")
	if err != nil {
		return nil, err
	}
	out := make([]DiscountPointType, len(list))
	for i, w := range list {
		out[i] = DiscountPointType{ID: string(w.ID), Name: string(w.Name), Description: string(w.Description),
			IsPermanent: bool(w.IsPermanent)}
	}
	return out, nil
}

// Division is a restaurant division, such as a delivery kitchen: its ID is
// a bill's gest_dvsn_ID.
type Division struct {
	// ID is the division's GUID (dvsn_ID), as the server wrote it.
	ID string
	// Name is its name (dvsn_Name), e.g. "OZR_Доставка_Энгельса 124".
	Name string
	// GeoIdentifier is its geographic identifier (dvsn_GeoIdentifier),
	// e.g. "OZR_Энгельса_124".
	GeoIdentifier string
}

type wireDivision struct {
	ID            tolerant.String `json:"dvsn_ID"`
	Name          tolerant.String `json:"dvsn_Name"`
	GeoIdentifier tolerant.String `json:"dvsn_GeoIdentifier"`
}

// Divisions lists the restaurant's divisions, with GET /get-divisions:
// where a new bill's gest_dvsn_ID comes from.
//
// Outcome: a read, which changes nothing — it never returns
// [ErrOutcomeUnknown], and it may always be sent again (the client retries
// it on network errors, 429 and 5xx). Errors are as for
// [Client.DiscountPointTypes].
func (c *Client) Divisions(ctx context.Context) ([]Division, error) {
	list, err := getList[wireDivision](ctx, c, "/get-divisions")
	if err != nil {
		return nil, err
	}
	out := make([]Division, len(list))
	for i, w := range list {
		out[i] = Division{ID: string(w.ID), Name: string(w.Name), GeoIdentifier: string(w.GeoIdentifier)}
	}
	return out, nil
}

// PurseType is a kind of client purse, a stored-value account
// (tp_ClientPurseTypes). The documents name no call that pays from a
// purse.
type PurseType struct {
	// ID is the type's GUID (cptp_ID), as the server wrote it.
	ID string
	// Name is its name (cptp_Name), e.g. "местные счета".
	Name string
	// Description is its description (cptp_Description).
	Description string
}

type wirePurseType struct {
	ID          tolerant.String `json:"cptp_ID"`
	Name        tolerant.String `json:"cptp_Name"`
	Description tolerant.String `json:"cptp_Description"`
}

// PurseTypes lists the kinds of client purses, with GET /get-purse-types.
//
// Outcome: a read, which changes nothing — it never returns
// [ErrOutcomeUnknown], and it may always be sent again (the client retries
// it on network errors, 429 and 5xx). Errors are as for
// [Client.DiscountPointTypes].
func (c *Client) PurseTypes(ctx context.Context) ([]PurseType, error) {
	list, err := getList[wirePurseType](ctx, c, "/get-purse-types")
	if err != nil {
		return nil, err
	}
	out := make([]PurseType, len(list))
	for i, w := range list {
		out[i] = PurseType{ID: string(w.ID), Name: string(w.Name), Description: string(w.Description)}
	}
	return out, nil
}
