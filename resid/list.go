package resid

import (
	"bytes"
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"strconv"
	"time"

	"github.com/caravanpay/caravan/internal/transport"
)

// Page sizes of the payments list.
const (
	// DefaultListSize is the page size Resid uses when ListOptions.Size is 0.
	DefaultListSize = 50
	// MaxListSize is the largest page Resid returns.
	MaxListSize = 200
)

// TimeLayout is how list times are sent: ISO-8601 in UTC with
// microseconds, as in 2017-05-09T00:28:51.309004Z.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// ListOptions selects a page of payments. Before and After are exclusive
// bounds on a payment's creation time; at most one may be set. With
// neither, Resid lists the newest payments (before now).
type ListOptions struct {
	// Size is the page size, 1..200; 0 leaves Resid's default (50), in
	// [Client.ListPayments] and [Client.All] alike. Resid rate-limits the
	// list: to read many payments with fewer calls, set [MaxListSize].
	Size int
	// Before lists payments created strictly before this time, newest
	// first.
	Before time.Time
	// After lists payments created strictly after this time, oldest first
	// (when paging forwards with [Client.All]).
	After time.Time
}

// listQuery is the wire form of ListOptions.
type listQuery struct {
	Size   int    `url:"size,omitempty"`
	Before string `url:"before,omitempty"`
	After  string `url:"after,omitempty"`
}

func (o *ListOptions) validate() error {
	if o == nil {
		return nil
	}
	if o.Size < 0 || o.Size > MaxListSize {
		return invalid("size", "must be between 1 and %d (0 for the default %d), got %d",
			MaxListSize, DefaultListSize, o.Size)
	}
	if !o.Before.IsZero() && !o.After.IsZero() {
		return invalid("before", "cannot be combined with after: set one of them")
	}
	return nil
}

func (o *ListOptions) query() listQuery {
	var q listQuery
	if o == nil {
		return q
	}
	q.Size = o.Size
	if !o.Before.IsZero() {
		q.Before = o.Before.UTC().Format(TimeLayout)
	}
	if !o.After.IsZero() {
		q.After = o.After.UTC().Format(TimeLayout)
	}
	return q
}

// ListPayments returns one page of payments, failed ones included. Resid
// meant it for reporting and rate-limits it; a 429 is waited out per its
// Retry-After when the call's deadline leaves time for it, else the call
// ends at once with [ErrRateLimited]. To read every payment, use
// [Client.All].
//
// Endpoint: GET /payments?size=&before=|after=.
//
// Retry class: idempotent — a read, retried on connection errors, 408, 429
// and 5xx.
func (c *Client) ListPayments(ctx context.Context, opts *ListOptions) ([]*Payment, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	q, err := transport.Values(opts.query())
	if err != nil {
		return nil, invalid("options", "cannot be encoded: %v", err)
	}
	resp, err := c.t.Do(ctx, &transport.Request{Method: http.MethodGet, Path: "/payments", Query: q,
		Class: transport.Idempotent})
	if err != nil {
		return nil, wrapError(err)
	}
	if strict, ok := decodeOK[[]strictPayment](resp.Body); ok && strict != nil {
		out := make([]*Payment, len(strict))
		for i := range strict {
			out[i] = (*Payment)(&strict[i])
		}
		return out, nil
	}
	if wire, ok := decodeOK[[]wirePayment](resp.Body); ok && wire != nil {
		all := make([]Payment, len(wire))
		out := make([]*Payment, len(wire))
		for i := range wire {
			all[i] = wire[i].payment()
			out[i] = &all[i]
		}
		return out, nil
	}
	info, err := checkEnvelope(resp, false)
	if err != nil {
		return nil, err
	}
	t := bytes.TrimSpace(info)
	if len(t) == 0 || bytes.Equal(t, []byte("null")) {
		return []*Payment{}, nil
	}
	if t[0] != '[' {
		return nil, unexpected(resp, "info is not a list of payments", nil)
	}
	out := []*Payment{}
	if err := json.Unmarshal(t, &out); err != nil {
		return nil, unexpected(resp, "cannot decode the payments", err)
	}
	for _, p := range out {
		if p == nil {
			return nil, unexpected(resp, "the list holds a null payment", nil)
		}
	}
	return out, nil
}

// All iterates over every payment matching opts, page by page: backwards
// from opts.Before (or now), newest first, or — when opts.After is set —
// forwards from opts.After, oldest first. Each payment is yielded once.
// The iteration stops at the end of the list, when the loop breaks, or
// after yielding an error (a page that failed, or [ErrTooManyTies]).
//
//	for p, err := range client.All(ctx, &resid.ListOptions{}) {
//		if err != nil { return err }
//		fmt.Println(p.Token, p.Amount)
//	}
//
// Resid's before and after are strict, so paging with before = the
// oldest created seen would skip payments that share that timestamp but
// did not fit in the page. All instead asks for before = oldest + 1µs (or
// after = newest − 1µs) and drops the payments it has already yielded
// (by token). This works as long as fewer payments share one creation
// time than a page holds: when a full page holds a single timestamp, All
// retries with the largest page (200), and if that page is full of one
// timestamp as well it yields [ErrTooManyTies] rather than skip payments.
// opts.Size 0 means Resid's default page (50), as in ListPayments; set
// [MaxListSize] for fewer calls to a rate-limited list.
//
// Each page is a ListPayments call (idempotent; a 429 is waited out per
// its Retry-After when the context's deadline allows). Payments created while
// paging backwards, newer than the first page, are not included.
func (c *Client) All(ctx context.Context, opts *ListOptions) iter.Seq2[*Payment, error] {
	return func(yield func(*Payment, error) bool) {
		var o ListOptions
		if opts != nil {
			o = *opts
		}
		if err := o.validate(); err != nil {
			yield(nil, err)
			return
		}
		if o.Size == 0 {
			o.Size = DefaultListSize // what Resid does with no size: the same pages as ListPayments
		}
		forward := !o.After.IsZero()
		var (
			boundary time.Time            // oldest (newest, forwards) created yielded so far
			seen     map[string]time.Time // tokens yielded near the boundary
			started  bool
		)
		for {
			page := o
			if started {
				if forward {
					page.After = boundary.Add(-time.Microsecond)
				} else {
					page.Before = boundary.Add(time.Microsecond)
				}
			}
			list, err := c.ListPayments(ctx, &page)
			if err != nil {
				yield(nil, err)
				return
			}
			if len(list) == 0 {
				return
			}
			if len(list) >= page.Size && oneTimestamp(list) {
				// The payments created at this instant may not all fit:
				// a bigger page, or give up rather than skip some.
				if page.Size < MaxListSize {
					o.Size = MaxListSize
					continue
				}
				yield(nil, &tiesError{at: list[0].Created, size: page.Size})
				return
			}
			fresh := 0
			for _, p := range list {
				if _, dup := seen[p.Token]; dup {
					continue
				}
				fresh++
				if !yield(p, nil) {
					return
				}
			}
			if fresh == 0 {
				return // only payments already yielded: the end of the list
			}
			// Move the boundary to the page's far edge and keep the tokens
			// within a microsecond of it, which the next page returns again.
			edge := list[0].Created
			for _, p := range list[1:] {
				if forward && p.Created.After(edge) || !forward && p.Created.Before(edge) {
					edge = p.Created
				}
			}
			next := make(map[string]time.Time)
			for tok, at := range seen {
				if near(at, edge) {
					next[tok] = at
				}
			}
			for _, p := range list {
				if near(p.Created, edge) {
					next[p.Token] = p.Created
				}
			}
			boundary, seen, started = edge, next, true
		}
	}
}

// near reports whether a is within a microsecond of b, on either side.
func near(a, b time.Time) bool {
	d := a.Sub(b)
	return d > -time.Microsecond && d < time.Microsecond
}

// oneTimestamp reports whether every payment in list was created at the
// same instant.
func oneTimestamp(list []*Payment) bool {
	for _, p := range list[1:] {
		if !p.Created.Equal(list[0].Created) {
			return false
		}
	}
	return true
}

// tiesError is ErrTooManyTies with the instant and page size.
type tiesError struct {
	at   time.Time
	size int
}

func (e *tiesError) Error() string {
	return ErrTooManyTies.Error() + ": a page of " + strconv.Itoa(e.size) + " payments all created at " +
		e.at.Format(time.RFC3339Nano)
}

func (e *tiesError) Unwrap() error { return ErrTooManyTies }
