package activeplatform

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/caravanpay/caravan/internal/transport"
)

// Reseller is ActivePlatform's reseller resource ("type": "resellers").
type Reseller struct {
	// ID is the reseller's id (JSON:API sends it as text), the int64 the
	// client's methods take.
	ID int64
	// ParentID is the upstream reseller's id, 0 for the top one.
	ParentID int64
	// General holds the reseller's general settings.
	General ResellerGeneral
	// Company is the legal entity's details, as sent (their fields vary
	// between installations); nil when absent.
	Company json.RawMessage
	// Attributes is the whole attributes object as sent, for the members
	// this type does not name.
	Attributes json.RawMessage
}

// ResellerGeneral is a reseller's general settings. Members that are not a
// string or number in the reply are left empty; Raw keeps them all.
type ResellerGeneral struct {
	Name     string          // general.name
	Domain   string          // general.domain
	Manager  string          // general.manager
	Currency string          // general.currency, ISO 4217
	Raw      json.RawMessage // the whole general object as sent
}

type wireReseller struct {
	ID         text            `json:"id"`
	Type       string          `json:"type"`
	Attributes json.RawMessage `json:"attributes"`
}

type wireResellerAttrs struct {
	ParentID text            `json:"parent_id"`
	General  json.RawMessage `json:"general"`
	Company  json.RawMessage `json:"company"`
}

// decodeReseller decodes a JSON:API document whose primary data is one reseller.
func decodeReseller(body []byte) (*Reseller, error) {
	data, err := decodeOne[wireReseller](body, "reseller", "a reseller")
	if err != nil {
		return nil, err
	}
	if data.ID == "" {
		return nil, errors.New("the document has no reseller data")
	}
	if data.Type != "" && data.Type != "resellers" {
		return nil, fmt.Errorf("want a resellers resource, got type %q", data.Type)
	}
	var a wireResellerAttrs
	if present(data.Attributes) {
		if err := json.Unmarshal(data.Attributes, &a); err != nil {
			return nil, fmt.Errorf("reseller attributes: %w", err)
		}
	}
	id, err := parseID("reseller", data.ID)
	if err != nil {
		return nil, err
	}
	r := &Reseller{ID: id}
	if strings.TrimSpace(string(a.ParentID)) != "" {
		if r.ParentID, err = parseID("parent reseller", a.ParentID); err != nil {
			return nil, err
		}
	}
	if present(data.Attributes) {
		r.Attributes = data.Attributes
	}
	if present(a.Company) {
		r.Company = a.Company
	}
	if present(a.General) {
		var g map[string]json.RawMessage
		if err := json.Unmarshal(a.General, &g); err != nil {
			return nil, fmt.Errorf("reseller general: %w", err)
		}
		r.General = ResellerGeneral{Name: textOf(g["name"]), Domain: textOf(g["domain"]),
			Manager: textOf(g["manager"]), Currency: textOf(g["currency"]), Raw: a.General}
	}
	return r, nil
}

// present reports whether a raw member was sent and is not null.
func present(raw json.RawMessage) bool {
	return len(raw) > 0 && string(raw) != "null"
}

// GetReseller reads the reseller, or one of its downstream resellers.
//
// Endpoint: GET /api/v3/resellers/{reseller_id}.
// Retry class: read — retried on connection errors, 408, 429 and 5xx;
// never ErrOutcomeUnknown.
func (c *Client) GetReseller(ctx context.Context, resellerID int64) (*Reseller, error) {
	if err := checkID("reseller_id", resellerID); err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, &transport.Request{
		Method: http.MethodGet, Path: transport.Path("/api/v3/resellers/%s", strconv.FormatInt(resellerID, 10)),
		Class: transport.Read,
	})
	if err != nil {
		return nil, err
	}
	return decodeReply(resp, DecodeReseller)
}
