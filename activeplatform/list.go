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
	"time"

	"github.com/caravanpay/caravan/internal/transport"
)

// DefaultPageSize is the page size the installation uses when none is asked for.
const DefaultPageSize = 50

// ListOptions narrows and pages [Client.ListPayments]. The zero value asks
// for the first page of the installation's default size and order.
type ListOptions struct {
	// PageSize is page[size]: payments per page; 0 leaves the default (50).
	PageSize int `url:"page[size],omitempty"`
	// PageNumber is page[number], counted from 1; 0 means the first page.
	PageNumber int `url:"page[number],omitempty"`
	// Sort is a field name, ascending, or "-" and a field name, descending,
	// such as "-created_at"; several are joined with commas.
	Sort string `url:"sort,omitempty"`
	// CreatedAfter is filter[created_at][gt]: only payments created after
	// it. It is sent in RFC 3339 with its microseconds
	// ("2017-10-04T15:12:01.558009+03:00"), as the document's example does.
	CreatedAfter time.Time `url:"-"`
	// CreatedBefore is filter[created_at][lt]: only payments created before
	// it, sent like CreatedAfter (a time between two microseconds is
	// rounded up, so no payment before it is left out).
	CreatedBefore time.Time `url:"-"`
	// Status is filter[status]: only payments in this status.
	Status PaymentStatus `url:"filter[status],omitempty"`
	// Filter adds other filters: the key "account_id" is sent as
	// filter[account_id], "total][gt" as filter[total][gt].
	Filter map[string]string `url:"-"`
}

func (o *ListOptions) validate() error {
	if o.PageSize < 0 {
		return invalid("page[size]", "must not be negative, got %d", o.PageSize)
	}
	if o.PageNumber < 0 {
		return invalid("page[number]", "must not be negative, got %d", o.PageNumber)
	}
	for i := 0; i < len(o.Sort); i++ {
		if c := o.Sort[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == ',' || c == '-') {
			return invalid("sort", "%q is not a list of field names", o.Sort)
		}
	}
	for k := range o.Filter {
		if k == "" {
			return invalid("filter", "has an empty key")
		}
	}
	return nil
}

// query encodes the options; CreatedAfter and CreatedBefore go out in RFC
// 3339 with microseconds.
func (o *ListOptions) query() (url.Values, error) {
	q, err := transport.Values(o)
	if err != nil {
		return nil, err
	}
	if !o.CreatedAfter.IsZero() {
		q.Set("filter[created_at][gt]", filterTime(o.CreatedAfter, false))
	}
	if !o.CreatedBefore.IsZero() {
		q.Set("filter[created_at][lt]", filterTime(o.CreatedBefore, true))
	}
	for k, v := range o.Filter {
		q.Set("filter["+k+"]", v)
	}
	return q, nil
}

// Links are a page's JSON:API links; empty when the installation sent none.
type Links struct {
	Self  string // this page (links.self)
	First string // the first page, "" if not sent
	Prev  string // the previous page, "" on the first
	Next  string // the next page, "" on the last
	Last  string // the last page, "" if not sent
}

// paging reports whether the installation sent pagination links.
func (l Links) paging() bool { return l.First != "" || l.Last != "" || l.Prev != "" || l.Next != "" }

// PaymentPage is one page of payments.
type PaymentPage struct {
	Payments []*Payment // the page's payments, in the order sent
	Links    Links      // the document's pagination links
	// Meta is the document's meta member as sent (counts and the like), nil
	// when absent.
	Meta json.RawMessage
}

type wireLinks struct {
	Self  link `json:"self"`
	First link `json:"first"`
	Prev  link `json:"prev"`
	Next  link `json:"next"`
	Last  link `json:"last"`
}

// link is a JSON:API link: a URL string, a {"href": …} object, or null.
type link string

func (l *link) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var obj struct {
			Href string `json:"href"`
		}
		if err := json.Unmarshal(b, &obj); err != nil {
			return err
		}
		*l = link(obj.Href)
		return nil
	}
	return (*text)(l).UnmarshalJSON(b)
}

// decodePaymentPage decodes a JSON:API document whose primary data is a
// list of payments, with its links and meta.
func decodePaymentPage(body []byte) (*PaymentPage, error) {
	payments, links, meta, err := decodeList(body, "payment", (*wirePayment).payment)
	if err != nil {
		return nil, err
	}
	return &PaymentPage{Payments: payments, Links: links, Meta: meta}, nil
}

// decodeList decodes a JSON:API document whose primary data is a list of
// resources of one type (what, for messages), each converted by conv, with
// the document's links and meta.
func decodeList[W, T any](body []byte, what string, conv func(*W) (T, error)) ([]T, Links, json.RawMessage, error) {
	var doc struct {
		Data   *[]W            `json:"data"`
		Links  *wireLinks      `json:"links"`
		Meta   json.RawMessage `json:"meta"`
		Errors json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, Links{}, nil, fmt.Errorf("decode %s list: %w", what, err)
	}
	if hasErrors(doc.Errors) {
		return nil, Links{}, nil, fmt.Errorf("the document holds errors, not %ss", what)
	}
	if doc.Data == nil {
		return nil, Links{}, nil, errors.New("the document has no data")
	}
	items := make([]T, 0, len(*doc.Data))
	for i := range *doc.Data {
		item, err := conv(&(*doc.Data)[i])
		if err != nil {
			return nil, Links{}, nil, fmt.Errorf("%s %d: %w", what, i, err)
		}
		items = append(items, item)
	}
	var links Links
	if l := doc.Links; l != nil {
		links = Links{Self: string(l.Self), First: string(l.First), Prev: string(l.Prev),
			Next: string(l.Next), Last: string(l.Last)}
	}
	var meta json.RawMessage
	if present(doc.Meta) {
		meta = doc.Meta
	}
	return items, links, meta, nil
}

// ListPayments returns one page of the reseller's payments. opts may be nil.
//
// Endpoint: GET /api/v3/resellers/{reseller_id}/payments?page[size]=…&page[number]=…&sort=…&filter[…]=….
// Retry class: read — retried on connection errors, 408, 429 and 5xx;
// never ErrOutcomeUnknown.
func (c *Client) ListPayments(ctx context.Context, resellerID int64, opts *ListOptions) (*PaymentPage, error) {
	if err := checkID("reseller_id", resellerID); err != nil {
		return nil, err
	}
	if opts == nil {
		opts = &ListOptions{}
	}
	if err := opts.validate(); err != nil {
		return nil, err
	}
	q, err := opts.query()
	if err != nil {
		return nil, invalid("opts", "%v", err)
	}
	resp, err := c.send(ctx, &transport.Request{
		Method: http.MethodGet, Path: paymentsPath(resellerID), Query: q, Class: transport.Read,
	})
	if err != nil {
		return nil, err
	}
	return decodeReply(resp, DecodePaymentPage)
}

// All walks the reseller's payments page by page from opts.PageNumber (or
// the first page), yielding each payment. It stops after an empty page; a
// page with no "next" link when the installation sends pagination links;
// or, without them, a page shorter than the page size. On an error it yields (nil,
// err) once and stops. Breaking out of the loop stops the walk.
//
//	for p, err := range client.All(ctx, 1, &activeplatform.ListOptions{Sort: "-created_at"}) {
//		if err != nil { return err }
//		fmt.Println(p.ID, p.Status)
//	}
//
// Each page is one [Client.ListPayments] call (read retry class).
func (c *Client) All(ctx context.Context, resellerID int64, opts *ListOptions) iter.Seq2[*Payment, error] {
	o := ListOptions{}
	if opts != nil {
		o = *opts
	}
	return func(yield func(*Payment, error) bool) {
		size := o.PageSize
		if size == 0 {
			size = DefaultPageSize
		}
		number := max(o.PageNumber, 1)
		for {
			o.PageNumber = number
			page, err := c.ListPayments(ctx, resellerID, &o)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, p := range page.Payments {
				if !yield(p, nil) {
					return
				}
			}
			n := len(page.Payments)
			switch {
			case n == 0:
				return
			case page.Links.paging():
				if page.Links.Next == "" {
					return
				}
			case n < size:
				return
			}
			number++
		}
	}
}
