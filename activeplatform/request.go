package activeplatform

import (
	"fmt"
	"net/http"
	"time"

	"github.com/caravanpay/caravan/internal/tolerant"
	"github.com/caravanpay/caravan/internal/transport"
)

// resourceDoc is a JSON:API 1.0 request document: top-level data, a
// resource object with its type, its id when the request addresses an
// existing resource (a PATCH), and an attributes object. ActivePlatform's
// own examples leave type and id out; its server accepts both forms, and a
// strict JSON:API server answers the short form with 400, so the client
// always sends the valid one.
type resourceDoc[T any] struct {
	Data struct {
		Type       string `json:"type"`
		ID         string `json:"id,omitempty"`
		Attributes T      `json:"attributes"`
	} `json:"data"`
}

// jsonAPIBody encodes attrs as the attributes of a resource of type typ,
// with the resource's id when id is not "".
func jsonAPIBody[T any](typ, id string, attrs T) (*transport.Body, error) {
	var doc resourceDoc[T]
	doc.Data.Type, doc.Data.ID, doc.Data.Attributes = typ, id, attrs
	b, err := transport.JSONAPI(doc)
	if err != nil {
		return nil, err
	}
	return &b, nil
}

// number is a decimal sent as a JSON number with its exact text ("99.0"
// goes out as 99.0, unquoted), as the documents' tables type total and
// amount; it never passes through float64. Leading zeros are dropped
// ("007.50" is 7.50), which JSON numbers cannot carry.
type number Decimal

// MarshalJSON writes the decimal's plain text as a JSON number.
func (n number) MarshalJSON() ([]byte, error) {
	s, err := tolerant.ParsePlainDecimal(string(n))
	if err != nil {
		return nil, fmt.Errorf("amount: %w", err)
	}
	return []byte(s), nil
}

// jsonAPIContentType is sent on requests without a body: every method
// table of the documents marks Content-Type application/vnd.api+json as
// required, GETs and the DELETE included. Shared and read-only: a request
// costs no allocation for it.
var jsonAPIContentType = http.Header{"Content-Type": {transport.MediaJSONAPI}}

// filterTime writes a list filter's time in RFC 3339 with up to six
// fraction digits, as the documents' example
// "2017-10-04T15:12:01.558009+03:00" does: the platform keeps timestamps
// to the microsecond, so a filter cut to whole seconds would drop the
// payments inside that second. A time between two microseconds is moved
// to the microsecond that keeps the filter exact: down for a "gt" bound,
// up for an "lt" bound (the stored times are whole microseconds).
func filterTime(t time.Time, upper bool) string {
	m := t.Truncate(time.Microsecond)
	if upper && !m.Equal(t) {
		m = m.Add(time.Microsecond)
	}
	return m.Format("2006-01-02T15:04:05.999999Z07:00")
}
