package uapay

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/caravanpay/caravan/internal/transport"
)

// MaxShowInvoices is how many ids one invoices/show/list request may carry;
// [Client.ShowInvoices] splits longer lists into several requests.
const MaxShowInvoices = 100

// ShowInvoicesRequest selects invoices by UAPAY's invoice id, by your own
// externalId, or both. At least one id is required.
type ShowInvoicesRequest struct {
	// IDs are UAPAY invoice ids (UUIDs), as CreateInvoice returned them.
	IDs []string
	// ExternalIDs are your own ids, as sent in CreateInvoiceRequest.ExternalID.
	ExternalIDs []string
}

type showListParams struct {
	SessionID   string   `json:"sessionId"`
	IDs         []string `json:"ids,omitempty"`
	ExternalIDs []string `json:"externalIds,omitempty"`
}

// ShowInvoices finds invoices by id or by externalId with UAPAY's "show
// invoices by ids" call, and returns those found (an id that matches no
// invoice is simply absent; an externalId may match several invoices,
// since UAPAY does not enforce its uniqueness). The invoices carry no
// payments: read one with [Client.ShowInvoice] for those.
//
// POST api/invoicer/invoices/show/list, params {sessionId, ids} or
// {sessionId, externalIds}. UAPAY takes at most 100 ids per request: a
// longer list is sent as several requests, ids and externalIds apart, and
// the results are joined in request order, each invoice once (an invoice
// found both by its id and by its externalId is listed at its first
// finding).
//
// Retry class: read — retried like an idempotent call, and it never fails
// with ErrOutcomeUnknown. Any error means nothing was found out: call it
// again.
func (c *Client) ShowInvoices(ctx context.Context, req *ShowInvoicesRequest) ([]*Invoice, error) {
	return c.showInvoices(ctx, transport.Read, req)
}

// showInvoices is ShowInvoices as a plain read, or as a look (class
// transport.Look) that settles an unknown outcome.
func (c *Client) showInvoices(ctx context.Context, class transport.Class, req *ShowInvoicesRequest) ([]*Invoice, error) {
	if req == nil {
		return nil, invalid("request", "is nil")
	}
	if len(req.IDs) == 0 && len(req.ExternalIDs) == 0 {
		return nil, invalid("ids", "ids or externalIds are required")
	}
	for _, id := range req.IDs {
		if err := checkUUID("ids", id); err != nil {
			return nil, err
		}
	}
	for _, id := range req.ExternalIDs {
		if id == "" {
			return nil, invalid("externalIds", "holds an empty id")
		}
		if err := checkText("externalIds", id, 0); err != nil {
			return nil, err
		}
	}
	var out []*Invoice
	seen := map[string]bool{}
	for _, batch := range batches(req.IDs, req.ExternalIDs) {
		found, err := c.showList(ctx, class, batch)
		if err != nil {
			return nil, err
		}
		for _, inv := range found {
			if !seen[inv.ID] { // found by its id and by its externalId: once
				seen[inv.ID] = true
				out = append(out, inv)
			}
		}
	}
	return out, nil
}

// batches splits ids and external ids into requests of at most
// MaxShowInvoices ids each, one kind per request.
func batches(ids, ext []string) []showListParams {
	var out []showListParams
	for len(ids) > 0 {
		n := min(len(ids), MaxShowInvoices)
		out = append(out, showListParams{IDs: ids[:n]})
		ids = ids[n:]
	}
	for len(ext) > 0 {
		n := min(len(ext), MaxShowInvoices)
		out = append(out, showListParams{ExternalIDs: ext[:n]})
		ext = ext[n:]
	}
	return out
}

func (c *Client) showList(ctx context.Context, class transport.Class, p showListParams) ([]*Invoice, error) {
	var out []*Invoice
	err := c.withSession(ctx, func(sid string) error {
		p.SessionID = sid
		r, err := c.call(ctx, "/api/invoicer/invoices/show/list", class, p, nil)
		if err != nil {
			return err
		}
		out, err = decodeInvoiceList(r)
		return err
	})
	return out, err
}

// decodeInvoiceList reads data.invoices of an invoices/show/list reply.
func decodeInvoiceList(r *reply) ([]*Invoice, error) {
	var w struct {
		Invoices []wireInvoice `json:"invoices"`
	}
	if err := r.decode(&w); err != nil {
		return nil, err
	}
	out := make([]*Invoice, 0, len(w.Invoices))
	for i := range w.Invoices {
		if w.Invoices[i].ID == "" {
			return nil, r.fail("an invoice in the reply has no id", errMissing)
		}
		out = append(out, w.Invoices[i].invoice())
	}
	return out, nil
}

// maxCreateSends is how many times CreateInvoice sends its create request
// at most: the first, and a resend after each look that proved the
// previous one not applied.
const maxCreateSends = 3

// createReconciled creates the invoice d, looking it up by its externalId
// before the first send and after any send whose outcome is unknown.
func (c *Client) createReconciled(ctx context.Context, sys SystemType, d *createData) (*CreatedInvoice, error) {
	start := time.Now()
	if out, err := c.existing(ctx, d); out != nil || err != nil {
		return out, err
	}
	look := time.Since(start) // what a look costs now
	inflight := false
	for sends := 1; ; sends++ {
		if !timeToLook(ctx, look) {
			// A send now could not be followed by a look before the
			// deadline: do not send (nothing was created by this call).
			return nil, notSent(ctx, "too little time left before the deadline to create the invoice and look for it")
		}
		out, err := c.createOnce(ctx, sys, d)
		if err == nil || !errors.Is(err, ErrOutcomeUnknown) {
			return out, err
		}
		inflight = inflight || transport.InFlight(err)
		found, lerr := c.existing(ctx, d)
		// A send given up without a reply may land a moment later: look
		// again after short pauses, while time remains, before concluding.
		for again := 0; lerr == nil && found == nil && inflight && again < 4; again++ {
			pause := lookPause(ctx)
			if pause <= 0 {
				break
			}
			t := time.NewTimer(pause)
			select {
			case <-t.C:
				found, lerr = c.existing(ctx, d)
			case <-ctx.Done():
				t.Stop()
			}
		}
		switch {
		case found != nil:
			return found, nil
		case lerr != nil:
			return nil, withLookError(err, lerr)
		case inflight || sends >= maxCreateSends || ctx.Err() != nil:
			if inflight {
				return nil, withNote(err, "no invoice with this externalId yet, but a request may still be in flight")
			}
			var te *transport.Error
			if errors.As(err, &te) {
				return nil, newError(te.NotApplied("no invoice with this externalId exists: not created"))
			}
			return nil, err
		}
		// not found and nothing in flight: not applied; send again
	}
}

// lookPause is how long to wait before another look: a little, and never
// more than a quarter of the time left.
func lookPause(ctx context.Context) time.Duration {
	d := 25 * time.Millisecond
	if dl, ok := ctx.Deadline(); ok {
		d = min(d, time.Until(dl)/4)
	}
	return d
}

// timeToLook reports whether ctx leaves time for a send and a look after
// it, judged by what a look took: a send may use two thirds of what
// remains, so a third must hold at least one look.
func timeToLook(ctx context.Context, look time.Duration) bool {
	dl, ok := ctx.Deadline()
	return !ok || time.Until(dl) >= 3*look
}

// notSent is the error of a create the client chose not to send.
func notSent(ctx context.Context, why string) error {
	cause := ctx.Err()
	if cause == nil {
		cause = context.DeadlineExceeded
	}
	return newError(&transport.Error{Kind: transport.ErrNetwork, Method: "POST",
		Path: "/api/invoicer/invoices/create", Cause: cause, Message: "not sent: " + why})
}

// existing looks for an invoice with d's externalId. It returns the
// invoice as created when there is one with the same amount, an error
// matching ErrConflict when the externalId is taken by an invoice of
// another amount, and nil, nil when there is none.
func (c *Client) existing(ctx context.Context, d *createData) (*CreatedInvoice, error) {
	found, err := c.showInvoices(ctx, transport.Look, &ShowInvoicesRequest{ExternalIDs: []string{d.ExternalID}})
	if err != nil {
		return nil, err
	}
	for _, inv := range found {
		if inv.ExternalID != d.ExternalID {
			continue
		}
		if inv.Amount != d.Amount {
			return nil, &ExternalIDTakenError{ExternalID: d.ExternalID, InvoiceID: inv.ID, Amount: inv.Amount}
		}
		return &CreatedInvoice{ID: inv.ID, PaymentPageURL: inv.PaymentPageURL}, nil
	}
	return nil, nil
}

// ExternalIDTakenError is CreateInvoice's refusal to create an invoice
// whose externalId an invoice of another amount already has. Nothing was
// created. It matches [ErrConflict].
type ExternalIDTakenError struct {
	ExternalID string // the externalId asked for
	InvoiceID  string // the existing invoice's id
	Amount     int64  // the existing invoice's amount, in kopecks
}

// Error names the externalId and the existing invoice.
func (e *ExternalIDTakenError) Error() string {
	return fmt.Sprintf("uapay: invoice %s already has externalId %q with amount %d: not created",
		e.InvoiceID, clip(e.ExternalID, 64), e.Amount)
}

// Is makes errors.Is(err, ErrConflict) true.
func (e *ExternalIDTakenError) Is(target error) bool { return target == ErrConflict }

func withLookError(err, lerr error) error {
	var e *Error
	if errors.As(err, &e) {
		e.extra = append(e.extra, lookError{lerr})
	}
	return err
}

func withNote(err error, note string) error {
	var e *Error
	if errors.As(err, &e) {
		e.extra = append(e.extra, lookNote(note))
	}
	return err
}

// lookError is why a look after an unknown outcome could not settle it.
type lookError struct{ err error }

func (l lookError) Error() string { return "the look for the invoice failed: " + l.err.Error() }
func (l lookError) Unwrap() error { return l.err }

// lookNote is what a look that ran saw, when that could not settle the
// outcome.
type lookNote string

func (n lookNote) Error() string { return string(n) }
