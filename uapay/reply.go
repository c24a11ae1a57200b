package uapay

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/caravanpay/caravan/internal/transport"
)

// reply is a successful reply: its data object (from the verified
// data.token when there was one) and a top-level id, which the documented
// session reply uses.
type reply struct {
	resp  *transport.Response
	data  json.RawMessage
	topID string
}

// decodeReply reads UAPAY's envelope {"status":…,"data":{…}}. An error
// object or status 0 (number, string or false) is an error whatever the
// HTTP status; a data.token is verified and its claims replace data.
func (c *Client) decodeReply(resp *transport.Response) (*reply, error) {
	var env struct {
		Status json.RawMessage `json:"status"`
		ID     json.RawMessage `json:"id"`
		Data   json.RawMessage `json:"data"`
		Error  json.RawMessage `json:"error"`
	}
	body := bytes.TrimSpace(resp.Body)
	if len(body) == 0 || body[0] != '{' {
		return nil, newError(resp.Fail(ErrUnexpectedResponse, "reply is not a JSON object", nil))
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, newError(resp.Fail(ErrUnexpectedResponse, "reply cannot be decoded", err))
	}
	status := jsonText(env.Status)
	errObj := bytes.TrimSpace(env.Error)
	if (len(errObj) > 0 && !bytes.Equal(errObj, []byte("null"))) || status == "0" || status == "false" {
		kind := ErrValidation
		if w := parseWireError(body); w != nil {
			_, kind = codeKinds(w)
		}
		msg := ""
		if parseWireError(body) == nil {
			msg = "status 0 without an error object"
		}
		return nil, newError(resp.Fail(kind, msg, nil))
	}
	out := &reply{resp: resp, data: env.Data, topID: jsonText(env.ID)}
	var signed struct {
		Token *string `json:"token"`
	}
	if d := bytes.TrimSpace(env.Data); len(d) > 0 && d[0] == '{' && json.Unmarshal(d, &signed) == nil && signed.Token != nil {
		claims, err := c.keys.verify(*signed.Token, c.now())
		if err != nil {
			return nil, newError(resp.Fail(ErrUnexpectedResponse, "reply token rejected", err))
		}
		out.data = claims
	}
	return out, nil
}

// decode unmarshals the reply's data into v, or fails with
// ErrUnexpectedResponse naming what was wrong.
func (r *reply) decode(v any) error {
	d := bytes.TrimSpace(r.data)
	if len(d) == 0 || bytes.Equal(d, []byte("null")) {
		return r.fail("reply has no data", nil)
	}
	if err := json.Unmarshal(d, v); err != nil {
		return r.fail("reply data cannot be decoded", err)
	}
	return nil
}

// fail makes the *Error for a 2xx reply that cannot be used.
func (r *reply) fail(msg string, cause error) error {
	return newError(r.resp.Fail(ErrUnexpectedResponse, msg, cause))
}

// errMissing is the cause for a reply that lacks a required field.
var errMissing = errors.New("required field missing")
