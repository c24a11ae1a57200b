package activeplatform

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/caravanpay/caravan/internal/tolerant"
	"github.com/caravanpay/caravan/internal/transport"
)

// InvoiceStatus is an invoice's status ("closed" in the documents'
// example). The documents do not list the values; every value is kept as
// received.
type InvoiceStatus string

// PaymentModel says whether an invoice is paid before or after the period
// it bills.
type PaymentModel string

// The documented payment models.
const (
	PaymentModelPrepay  PaymentModel = "prepay"  // paid in advance
	PaymentModelPostpay PaymentModel = "postpay" // paid after the period
)

// The further includes an invoice documents ([Client.GetInvoice]); it also
// takes [IncludePayments]' siblings [IncludeCharges] and
// [IncludeCorrections].
const (
	IncludeSubscriptions Include = "subscriptions"
	IncludePayments      Include = "payments"
	IncludeTaxes         Include = "taxes"
)

// Date is a calendar date as the installation writes it, "2019-04-17"
// (YYYY-MM-DD), kept as text; "" when null or absent.
type Date string

// Time returns the date at midnight UTC; ok is false when the text is not
// YYYY-MM-DD.
func (d Date) Time() (t time.Time, ok bool) {
	t, err := time.Parse(time.DateOnly, string(d))
	return t, err == nil
}

// String returns the date's text.
func (d Date) String() string { return string(d) }

// Invoice is ActivePlatform's invoice resource ("type": "invoices"), the
// object a payment settles (a payment's Relationships.Invoices).
type Invoice struct {
	ID           int64         // the invoice id, 2046 (sent as the text "2046", or as a number by the 6.0 guide)
	DocumentID   string        // the invoice number, "NS2000015"
	Status       InvoiceStatus // "closed"…, as sent
	Total        Decimal       // exact decimal text, "987.65" (a number is kept as its literal)
	AccountID    int64         // the billed account
	FromDate     Date          // start of the billed period, "2019-04-17"
	ToDate       Date          // end of the billed period
	PaymentModel PaymentModel  // prepay or postpay
	// Approved says whether a postpaid invoice is approved. The page types
	// it a boolean; the complete-invoice example sends the string "true":
	// both are read, and null or absent is false.
	Approved  bool
	CreatedAt time.Time // created_at, with the installation's offset
	UpdatedAt time.Time // updated_at

	Relationships InvoiceRelationships // ids of related resources

	// Included holds the related resources a [Client.GetInvoice] call
	// asked for with includes, as the installation sent them.
	Included []Resource
}

// InvoiceRelationships are the ids of an invoice's related resources; an
// absent relationship is nil.
type InvoiceRelationships struct {
	Subscriptions []string // ids of the billed subscriptions
	Payments      []string // ids of the payments that settle it
	Charges       []string // ids of its charges
	Corrections   []string // ids of its corrections
}

// flexBool reads a boolean sent as true/false, as the text "true"/"false",
// or null (false).
type flexBool bool

func (b *flexBool) UnmarshalJSON(raw []byte) error {
	switch string(bytes.TrimSpace(raw)) {
	case "true", `"true"`:
		*b = true
	case "false", `"false"`, "null", `""`:
		*b = false
	default:
		return fmt.Errorf("want a boolean, got %s", clipID(string(raw)))
	}
	return nil
}

type wireInvoice struct {
	ID         text   `json:"id"`
	Type       string `json:"type"`
	Attributes struct {
		CreatedAt    stamp          `json:"created_at"`
		UpdatedAt    stamp          `json:"updated_at"`
		DocumentID   text           `json:"document_id"`
		Status       text           `json:"status"`
		Total        Decimal        `json:"total"`
		AccountID    tolerant.Int64 `json:"account_id"`
		FromDate     text           `json:"from_date"`
		ToDate       text           `json:"to_date"`
		PaymentModel text           `json:"payment_model"`
		Approved     flexBool       `json:"approved"`
	} `json:"attributes"`
	Relationships struct {
		Subscriptions toMany `json:"subscriptions"`
		Payments      toMany `json:"payments"`
		Charges       toMany `json:"charges"`
		Corrections   toMany `json:"corrections"`
	} `json:"relationships"`
}

func (w *wireInvoice) invoice() (*Invoice, error) {
	if w.Type != "" && w.Type != "invoices" {
		return nil, fmt.Errorf("want an invoices resource, got type %q", w.Type)
	}
	id, err := parseID("invoice", w.ID)
	if err != nil {
		return nil, err
	}
	a, r := &w.Attributes, &w.Relationships
	return &Invoice{
		ID: id, DocumentID: string(a.DocumentID), Status: InvoiceStatus(a.Status), Total: a.Total,
		AccountID: int64(a.AccountID), FromDate: Date(a.FromDate), ToDate: Date(a.ToDate),
		PaymentModel: PaymentModel(a.PaymentModel), Approved: bool(a.Approved),
		CreatedAt: a.CreatedAt.Time, UpdatedAt: a.UpdatedAt.Time,
		Relationships: InvoiceRelationships{Subscriptions: r.Subscriptions.ids(), Payments: r.Payments.ids(),
			Charges: r.Charges.ids(), Corrections: r.Corrections.ids()},
	}, nil
}

// DecodeInvoice decodes a JSON:API document whose primary data is one
// invoice, such as the reply to [Client.GetInvoice]. The 6.0 guide's form,
// data as a one-element array, is read too. Its errors match
// [ErrUnexpectedResponse].
func DecodeInvoice(body []byte) (*Invoice, error) {
	inv, err := decodeInvoice(body)
	if err != nil {
		return nil, &decodeError{what: "invoice document", err: err}
	}
	return inv, nil
}

func decodeInvoice(body []byte) (*Invoice, error) {
	var doc struct {
		Data     json.RawMessage `json:"data"`
		Included []wireResource  `json:"included"`
		Errors   json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("decode invoice document: %w", err)
	}
	if hasErrors(doc.Errors) {
		return nil, errors.New("the document holds errors, not an invoice")
	}
	data := bytes.TrimSpace(doc.Data)
	if !present(data) {
		return nil, errors.New("the document has no invoice data")
	}
	var w wireInvoice
	if data[0] == '[' {
		var list []wireInvoice
		if err := json.Unmarshal(data, &list); err != nil {
			return nil, fmt.Errorf("invoice data: %w", err)
		}
		if len(list) != 1 {
			return nil, fmt.Errorf("want one invoice, got %d", len(list))
		}
		w = list[0]
	} else if err := json.Unmarshal(data, &w); err != nil {
		return nil, fmt.Errorf("invoice data: %w", err)
	}
	inv, err := w.invoice()
	if err != nil {
		return nil, err
	}
	inv.Included = resources(doc.Included)
	return inv, nil
}

// InvoicePage is one page of invoices.
type InvoicePage struct {
	Invoices []*Invoice // the page's invoices, in the order sent
	Links    Links      // the document's pagination links
	// Meta is the document's meta member as sent, nil when absent.
	Meta json.RawMessage
}

// DecodeInvoicePage decodes a JSON:API document whose primary data is a
// list of invoices, with its links and meta. Its errors match
// [ErrUnexpectedResponse].
func DecodeInvoicePage(body []byte) (*InvoicePage, error) {
	p, err := decodeInvoicePage(body)
	if err != nil {
		return nil, &decodeError{what: "invoice list", err: err}
	}
	return p, nil
}

func decodeInvoicePage(body []byte) (*InvoicePage, error) {
	invoices, links, meta, err := decodeList(body, "invoice", (*wireInvoice).invoice)
	if err != nil {
		return nil, err
	}
	return &InvoicePage{Invoices: invoices, Links: links, Meta: meta}, nil
}

func invoicesPath(resellerID int64) string {
	return transport.Path("/api/v3/resellers/%s/invoices", strconv.FormatInt(resellerID, 10))
}

// includeQuery checks includes and returns the include query, nil for none.
func includeQuery(includes []Include) (url.Values, error) {
	if len(includes) == 0 {
		return nil, nil
	}
	names := make([]string, len(includes))
	for i, inc := range includes {
		if !validInclude(string(inc)) {
			return nil, invalid("include", "%q is not a relationship name", string(inc))
		}
		names[i] = string(inc)
	}
	return url.Values{"include": {strings.Join(names, ",")}}, nil
}

// GetInvoice reads an invoice of the reseller (or of one of its downstream
// resellers). includes ask the installation to embed related resources —
// the page documents [IncludeSubscriptions], [IncludePayments],
// [IncludeCharges], [IncludeCorrections] and [IncludeTaxes] — returned in
// [Invoice.Included].
//
// Endpoint: GET /api/v3/resellers/{reseller_id}/invoices/{invoice_id}[?include=…].
//
// Retry class: read — retried on connection errors, 408, 429 and 5xx.
//
// What to do with the outcome: nil is the invoice; an error never matches
// ErrOutcomeUnknown (a read changes nothing) and the call may be repeated.
func (c *Client) GetInvoice(ctx context.Context, resellerID, invoiceID int64, includes ...Include) (*Invoice, error) {
	if err := checkID("reseller_id", resellerID); err != nil {
		return nil, err
	}
	if err := checkID("invoice_id", invoiceID); err != nil {
		return nil, err
	}
	q, err := includeQuery(includes)
	if err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, &transport.Request{
		Method: http.MethodGet, Query: q, Class: transport.Read,
		Path: transport.Path("/api/v3/resellers/%s/invoices/%s", strconv.FormatInt(resellerID, 10), strconv.FormatInt(invoiceID, 10)),
	})
	if err != nil {
		return nil, err
	}
	return decodeReply(resp, DecodeInvoice)
}

// InvoiceListOptions narrows and pages [Client.ListInvoices]. The zero
// value asks for the first page of the default size (50).
type InvoiceListOptions struct {
	// PageSize is page[size]: invoices per page; 0 leaves the default (50).
	PageSize int
	// PageNumber is page[number], counted from 1; 0 means the first page.
	PageNumber int
	// CreatedAt is filter[created_at], sent in RFC 3339 with microseconds.
	// The page names the filter without an operator and does not say how
	// it compares; for a bound with an operator use Filter, e.g. the key
	// "created_at][gt".
	CreatedAt time.Time
	// UpdatedAt is filter[updated_at], sent like CreatedAt.
	UpdatedAt time.Time
	// Status is filter[status].
	Status InvoiceStatus
	// AccountID is filter[account_id]; 0 leaves it out.
	AccountID int64
	// FromDate is filter[from_date], YYYY-MM-DD.
	FromDate Date
	// ToDate is filter[to_date], YYYY-MM-DD.
	ToDate Date
	// PaymentModel is filter[payment_model]: prepay or postpay.
	PaymentModel PaymentModel
	// Filter adds other filters: the key "total][gt" is sent as
	// filter[total][gt].
	Filter map[string]string
}

func (o *InvoiceListOptions) query() (url.Values, error) {
	if o.PageSize < 0 {
		return nil, invalid("page[size]", "must not be negative, got %d", o.PageSize)
	}
	if o.PageNumber < 0 {
		return nil, invalid("page[number]", "must not be negative, got %d", o.PageNumber)
	}
	if o.AccountID < 0 {
		return nil, invalid("filter[account_id]", "must not be negative, got %d", o.AccountID)
	}
	q := url.Values{}
	for _, f := range []struct {
		field string
		d     Date
	}{{"filter[from_date]", o.FromDate}, {"filter[to_date]", o.ToDate}} {
		field, d := f.field, f.d
		if d == "" {
			continue
		}
		if _, ok := d.Time(); !ok {
			return nil, invalid(field, "must be a date YYYY-MM-DD, got %q", clipID(string(d)))
		}
		q.Set(field, string(d))
	}
	switch o.PaymentModel {
	case "", PaymentModelPrepay, PaymentModelPostpay:
	default:
		return nil, invalid("filter[payment_model]", "must be prepay or postpay, got %q", clipID(string(o.PaymentModel)))
	}
	for k := range o.Filter {
		if k == "" {
			return nil, invalid("filter", "has an empty key")
		}
	}
	for k, v := range o.Filter {
		q.Set("filter["+k+"]", v)
	}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	if o.PageSize > 0 {
		set("page[size]", strconv.Itoa(o.PageSize))
	}
	if o.PageNumber > 0 {
		set("page[number]", strconv.Itoa(o.PageNumber))
	}
	if !o.CreatedAt.IsZero() {
		set("filter[created_at]", filterTime(o.CreatedAt, false))
	}
	if !o.UpdatedAt.IsZero() {
		set("filter[updated_at]", filterTime(o.UpdatedAt, false))
	}
	set("filter[status]", string(o.Status))
	if o.AccountID > 0 {
		set("filter[account_id]", strconv.FormatInt(o.AccountID, 10))
	}
	set("filter[payment_model]", string(o.PaymentModel))
	return q, nil
}

// ListInvoices returns one page of the reseller's invoices. opts may be nil.
//
// Endpoint: GET /api/v3/resellers/{reseller_id}/invoices?page[size]=…&page[number]=…&filter[…]=….
//
// Retry class: read — retried on connection errors, 408, 429 and 5xx.
//
// What to do with the outcome: nil is the page; an error never matches
// ErrOutcomeUnknown and the call may be repeated.
func (c *Client) ListInvoices(ctx context.Context, resellerID int64, opts *InvoiceListOptions) (*InvoicePage, error) {
	if err := checkID("reseller_id", resellerID); err != nil {
		return nil, err
	}
	if opts == nil {
		opts = &InvoiceListOptions{}
	}
	q, err := opts.query()
	if err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, &transport.Request{
		Method: http.MethodGet, Path: invoicesPath(resellerID), Query: q, Class: transport.Read,
	})
	if err != nil {
		return nil, err
	}
	return decodeReply(resp, DecodeInvoicePage)
}

// AllInvoices walks the reseller's invoices page by page from
// opts.PageNumber (or the first page), yielding each invoice, and stops as
// [Client.All] does: after an empty page, a page without a "next" link
// when the installation sends pagination links, or a short page. On an
// error it yields (nil, err) once and stops. Each page is one
// [Client.ListInvoices] call (read retry class).
//
//	for inv, err := range client.AllInvoices(ctx, 1, &activeplatform.InvoiceListOptions{AccountID: 505}) {
//		if err != nil { return err }
//		fmt.Println(inv.DocumentID, inv.Total)
//	}
func (c *Client) AllInvoices(ctx context.Context, resellerID int64, opts *InvoiceListOptions) iter.Seq2[*Invoice, error] {
	o := InvoiceListOptions{}
	if opts != nil {
		o = *opts
	}
	return walkPages(o.PageSize, o.PageNumber, func(number int) ([]*Invoice, Links, error) {
		o.PageNumber = number
		page, err := c.ListInvoices(ctx, resellerID, &o)
		if err != nil {
			return nil, Links{}, err
		}
		return page.Invoices, page.Links, nil
	})
}

// walkPages yields the items of the pages fetch returns, from page number
// (or 1) on, with [Client.All]'s stopping rules.
func walkPages[T any](size, number int, fetch func(number int) ([]T, Links, error)) iter.Seq2[T, error] {
	if size == 0 {
		size = DefaultPageSize
	}
	number = max(number, 1)
	return func(yield func(T, error) bool) {
		for n := number; ; n++ {
			items, links, err := fetch(n)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			switch {
			case len(items) == 0:
				return
			case links.paging():
				if links.Next == "" {
					return
				}
			case len(items) < size:
				return
			}
		}
	}
}
