package activeplatform

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkJSONAPIRequest fails the test when a recorded request's body is not
// a valid JSON:API 1.0 request document (see jsonAPIRequestProblem).
func checkJSONAPIRequest(t *testing.T, r recorded) {
	t.Helper()
	assert.NoError(t, jsonAPIRequestProblem(r.Method, r.Body), r.Body)
}

// jsonAPIRequestProblem checks a request body against the rules of the
// JSON:API 1.0 schema for request documents: a top-level object whose
// members are only data, meta, jsonapi or links, with data present; data a
// resource object with a non-empty string type, a non-empty string id when
// the request updates an existing resource (PATCH) or sends one, an
// attributes object without the members the schema reserves
// (relationships, links), and no member but type, id, attributes,
// relationships, links and meta. Numbers must be exact plain JSON numbers
// (never an exponent, the mark of a float64 round trip), and a payment's
// total or amount a number, as the documents' tables type them.
func jsonAPIRequestProblem(method, body string) error {
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	var top map[string]any
	if err := dec.Decode(&top); err != nil {
		return fmt.Errorf("not one JSON object: %w", err)
	}
	for k := range top {
		if !slices.Contains([]string{"data", "meta", "jsonapi", "links"}, k) {
			return fmt.Errorf("top-level member %q", k)
		}
	}
	data, ok := top["data"].(map[string]any)
	if !ok {
		return errors.New("data is not a resource object")
	}
	for k := range data {
		if !slices.Contains([]string{"type", "id", "attributes", "relationships", "links", "meta"}, k) {
			return fmt.Errorf("resource member %q", k)
		}
	}
	typ, ok := data["type"].(string)
	if !ok || typ == "" {
		return errors.New("data.type is not a non-empty string")
	}
	if id, has := data["id"]; has || method == http.MethodPatch {
		if s, ok := id.(string); !ok || s == "" {
			return errors.New("data.id is not a non-empty string")
		}
	}
	attrs, ok := data["attributes"].(map[string]any)
	if !ok {
		return errors.New("data.attributes is not an object")
	}
	plain := regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?$`)
	for k, v := range attrs {
		if k == "relationships" || k == "links" {
			return fmt.Errorf("reserved attribute %q", k)
		}
		if n, isNum := v.(json.Number); isNum && !plain.MatchString(string(n)) {
			return fmt.Errorf("attribute %q is %s, not a plain number", k, n)
		}
		if _, isNum := v.(json.Number); typ == "payments" && (k == "total" || k == "amount") && !isNum {
			return fmt.Errorf("%s is not a JSON number", k)
		}
	}
	return nil
}

func TestJSONAPIRequestProblemCatchesInvalidDocuments(t *testing.T) {
	for name, body := range map[string]string{
		"no type":        `{"data":{"attributes":{"payment_method_id":2}}}`,
		"patch no id":    `{"data":{"type":"payments","attributes":{"payment_method_id":2}}}`,
		"numeric id":     `{"data":{"type":"payments","id":6475,"attributes":{}}}`,
		"float amount":   `{"data":{"type":"payments","id":"1","attributes":{"amount":9.9e+01}}}`,
		"string amount":  `{"data":{"type":"payments","id":"1","attributes":{"amount":"99.0"}}}`,
		"attrs not obj":  `{"data":{"type":"payments","id":"1","attributes":[]}}`,
		"flat":           `{"document_id":"NS2000015"}`,
		"extra top":      `{"data":{"type":"payments","id":"1","attributes":{}},"foo":1}`,
		"reserved attr":  `{"data":{"type":"payments","id":"1","attributes":{"links":1}}}`,
		"resource extra": `{"data":{"type":"payments","id":"1","attributes":{},"x":1}}`,
		"not json":       `{"data":`,
		"data list":      `{"data":[]}`,
	} {
		assert.Error(t, jsonAPIRequestProblem(http.MethodPatch, body), name)
	}
	assert.NoError(t, jsonAPIRequestProblem(http.MethodPatch,
		`{"data":{"type":"payments","id":"6475","attributes":{"payment_method_id":2,"amount":99.0}}}`))
	assert.NoError(t, jsonAPIRequestProblem(http.MethodPost,
		`{"data":{"type":"corrections","attributes":{"total":"-1.5"}}}`))
}

// TestRequestDocumentsAreValidJSONAPI sends every call that has a body and
// checks each request document against the JSON:API 1.0 request rules.
func TestRequestDocumentsAreValidJSONAPI(t *testing.T) {
	c, mt := newMocked(t)
	var rec recorder
	ok := rec.reply(reply{status: 200, body: fixture(t, "complete_payment_response.json")})
	mt.RegisterRegexpResponder("PATCH", regexp.MustCompile(`/payments/`), ok)
	mt.RegisterRegexpResponder("POST", regexp.MustCompile(`/payments`), ok)
	ctx := context.Background()
	_, err := c.CompletePayment(ctx, &CompletePaymentRequest{ResellerID: 1, PaymentID: 6475, PaymentMethodID: 2})
	require.NoError(t, err)
	_, err = c.CompletePaymentByDocument(ctx, 1, &CompleteByDocumentRequest{DocumentID: "2005259", PaymentMethodID: 2,
		Amount: "0099.50", CurrencyCode: "USD", ExternalTransactionID: "tx-1"})
	require.NoError(t, err)
	_, err = c.CompletePaymentByDocument(ctx, 1, &CompleteByDocumentRequest{DocumentID: "002018", PaymentMethodID: 2})
	require.NoError(t, err)
	_, err = c.CreatePayment(ctx, 1, &CreatePaymentRequest{AccountID: 505, Total: "123456789012345678901234567890.01", Comment: "c"})
	require.NoError(t, err)
	reqs := rec.all()
	require.Len(t, reqs, 4)
	for _, r := range reqs {
		checkJSONAPIRequest(t, r)
	}
	assert.Contains(t, reqs[1].Body, `"amount":99.50`, "leading zeros dropped, the fraction kept as written")
	assert.Equal(t, `{"data":{"type":"payments","attributes":{"payment_method_id":2}}}`, reqs[2].Body,
		"amount, currency_code and external_transaction_id are optional and left out")
	assert.True(t, bytes.Contains([]byte(reqs[3].Body), []byte(`"total":123456789012345678901234567890.01`)), "no float64 on the way")
}
