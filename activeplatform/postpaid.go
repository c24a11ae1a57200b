package activeplatform

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/caravanpay/caravan/internal/transport"
)

// ERPInvoice names the third-party (ERP) invoice a postpaid invoice is
// matched with: the ERP's invoice and the billing period it belongs to.
// [PostpaidAccountRequest] and [PostpaidInvoiceRequest] carry it.
type ERPInvoice struct {
	// DocumentID is document_id: the third-party (ERP) invoice's name, such
	// as "NS2000015"; for a completion or a revocation, as it was given on
	// approval. Required, valid UTF-8, at most 255 bytes.
	DocumentID string
	// BillingDate is billing_date: the start date (YYYY-MM-DD) of the
	// billing period the invoice belongs to; the platform matches the
	// invoice by it. Required.
	BillingDate Date
}

// PostpaidAccountRequest names the postpaid invoice of an account that
// matches a third-party (ERP) invoice by billing period; see
// [Client.ApproveInvoices] and [Client.CompleteInvoices].
type PostpaidAccountRequest struct {
	// ResellerID is reseller_id: the reseller the account belongs to.
	// Required, positive.
	ResellerID int64
	// AccountID is account_id: the account whose invoice is meant.
	// Required, positive.
	AccountID int64
	// ERPInvoice is the third-party invoice (document_id, billing_date)
	// sent as the body. Required.
	ERPInvoice
}

// PostpaidInvoiceRequest names a postpaid invoice by its id and the
// third-party (ERP) invoice it matches; see [Client.ApproveInvoice],
// [Client.CompleteInvoice] and [Client.RevokeInvoiceApproval].
type PostpaidInvoiceRequest struct {
	// ResellerID is reseller_id: the reseller the invoice belongs to.
	// Required, positive.
	ResellerID int64
	// InvoiceID is invoice_id: the postpaid invoice's id. Required,
	// positive.
	InvoiceID int64
	// ERPInvoice is the third-party invoice (document_id, billing_date)
	// sent as the body. Required.
	ERPInvoice
}

// postpaidBody is the flat body of the postpaid-invoice calls.
type postpaidBody struct {
	DocumentID  string `json:"document_id"`
	BillingDate Date   `json:"billing_date"`
}

func (r *ERPInvoice) body() (*transport.Body, error) {
	if strings.TrimSpace(r.DocumentID) == "" {
		return nil, invalid("document_id", "is empty")
	}
	if len(r.DocumentID) > 255 {
		return nil, invalid("document_id", "has more than 255 bytes")
	}
	if !utf8.ValidString(r.DocumentID) {
		// encoding/json would send U+FFFD instead: a completion could then
		// not name the document as it was approved.
		return nil, invalid("document_id", "is not valid UTF-8")
	}
	if _, ok := r.BillingDate.Time(); !ok {
		return nil, invalid("billing_date", "must be a date YYYY-MM-DD, got %q", clipID(string(r.BillingDate)))
	}
	return flatBody(postpaidBody{DocumentID: r.DocumentID, BillingDate: r.BillingDate})
}

// flatBody encodes v as the flat JSON object the postpaid-invoice pages
// document ({"document_id":"NS2000015","billing_date":"2020-04-01"}), not a
// JSON:API document, sent with the Content-Type their tables require,
// application/vnd.api+json. The transport sends any body with the media
// type it is given, so both forms travel the same way.
func flatBody(v any) (*transport.Body, error) {
	b, err := transport.JSON(v)
	if err != nil {
		return nil, err
	}
	b.ContentType = transport.MediaJSONAPI
	return &b, nil
}

// postpaid sends one postpaid-invoice call, on
// /resellers/{reseller_id}/{parent}/{parentID}/{action}, and decodes the
// invoice reply. parentField is parentID's name in the documents.
func (c *Client) postpaid(ctx context.Context, resellerID int64, parent, parentField string, parentID int64, action string,
	inv *ERPInvoice) (*Invoice, error) {
	if err := checkID("reseller_id", resellerID); err != nil {
		return nil, err
	}
	if err := checkID(parentField, parentID); err != nil {
		return nil, err
	}
	body, err := inv.body()
	if err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, &transport.Request{
		Method: http.MethodPost, Body: body, Class: transport.Idempotent,
		Path: transport.Path("/api/v3/resellers/%s/"+parent+"/%s/"+action,
			strconv.FormatInt(resellerID, 10), strconv.FormatInt(parentID, 10)),
	})
	if err != nil {
		return nil, err
	}
	return decodeReply(resp, DecodeInvoice)
}

// byAccount sends a postpaid-invoice call that names the account.
func (c *Client) byAccount(ctx context.Context, req *PostpaidAccountRequest, action string) (*Invoice, error) {
	if req == nil {
		return nil, invalid("request", "is nil")
	}
	return c.postpaid(ctx, req.ResellerID, "accounts", "account_id", req.AccountID, action, &req.ERPInvoice)
}

// byInvoice sends a postpaid-invoice call that names the invoice.
func (c *Client) byInvoice(ctx context.Context, req *PostpaidInvoiceRequest, action string) (*Invoice, error) {
	if req == nil {
		return nil, invalid("request", "is nil")
	}
	return c.postpaid(ctx, req.ResellerID, "invoices", "invoice_id", req.InvoiceID, action, &req.ERPInvoice)
}

// ApproveInvoices approves the postpaid invoice of an account that matches
// a third-party (ERP) invoice by billing period, for installations whose
// postpaid invoices an ERP system manages, and returns the invoice. For an
// account with several invoices in one billing period use
// [Client.ApproveInvoice] with the invoice's id. The page's optional
// members (the third-party amount and currency, a receipt file or link, a
// due date) are not sent: their wire names are not in the documents this
// client follows.
//
// Endpoint: POST /api/v3/resellers/{reseller_id}/accounts/{account_id}/approve_invoices,
// flat JSON body {"document_id":"NS2000015","billing_date":"2020-04-01"}
// (not JSON:API, as the pages document it), Content-Type
// application/vnd.api+json. The reply is read as the invoice (Get invoice).
//
// Retry class: idempotent by nature (see [Client.CompleteInvoices]).
//
// What to do with the outcome:
//   - nil: approved by this call.
//   - errors.Is(err, ErrOutcomeUnknown): it may have been approved (a
//     retry may have met the refusal of an approval that landed).
//     [SafeToRepeat] is true; [Client.GetInvoice] shows Approved.
//   - any other error: not applied; the installation's code is in
//     [Error].Errors ("INVOICE-0001": required parameters missing).
func (c *Client) ApproveInvoices(ctx context.Context, req *PostpaidAccountRequest) (*Invoice, error) {
	return c.byAccount(ctx, req, "approve_invoices")
}

// ApproveInvoice approves the postpaid invoice req.InvoiceID against a
// third-party (ERP) invoice, and returns it; see [Client.ApproveInvoices]
// for what approval does and what is not sent.
//
// Endpoint: POST /api/v3/resellers/{reseller_id}/invoices/{invoice_id}/approve,
// flat JSON body {"document_id":…,"billing_date":…}.
//
// Retry class and outcome: as [Client.ApproveInvoices].
func (c *Client) ApproveInvoice(ctx context.Context, req *PostpaidInvoiceRequest) (*Invoice, error) {
	return c.byInvoice(ctx, req, "approve")
}

// CompleteInvoices completes the approved postpaid invoice of an account
// that matches a third-party invoice by billing period — it completes the
// payment linked to it, once the ERP has received the money — and returns
// the invoice (status "closed" in the documents' example). For an account
// with several invoices in one billing period use [Client.CompleteInvoice].
//
// Endpoint: POST /api/v3/resellers/{reseller_id}/accounts/{account_id}/complete_invoices,
// flat JSON body {"document_id":"NS2000015","billing_date":"2020-04-01"}
// (not JSON:API), Content-Type application/vnd.api+json.
//
// Retry class: idempotent by nature. Every postpaid-invoice call moves the
// invoice one step (approved, completed, approval revoked); a second
// identical request finds the step taken and is refused (400 with an
// INVOICE-… code) rather than applied again, so the transport retries them
// on connection errors, 408, 429 and 5xx like reads. (An approval revoked
// by someone else between a lost reply and a retry would be approved
// again: the state the caller asked for.)
//
// What to do with the outcome:
//   - nil: completed by this call.
//   - errors.Is(err, ErrOutcomeUnknown): it may have been completed (for
//     example a retry met the refusal after the first attempt landed).
//     [SafeToRepeat] is true; [Client.GetInvoice] shows the status.
//   - any other error: not applied; codes in [Error].Errors:
//     "INVOICE-0001" required parameters missing, "INVOICE-0017" the
//     linked payment was cancelled (completion impossible); 404 no such
//     invoice.
func (c *Client) CompleteInvoices(ctx context.Context, req *PostpaidAccountRequest) (*Invoice, error) {
	return c.byAccount(ctx, req, "complete_invoices")
}

// CompleteInvoice completes the approved postpaid invoice req.InvoiceID
// (and so its linked payment), and returns it; see
// [Client.CompleteInvoices].
//
// Endpoint: POST /api/v3/resellers/{reseller_id}/invoices/{invoice_id}/complete,
// flat JSON body {"document_id":…,"billing_date":…}.
//
// Retry class and outcome: as [Client.CompleteInvoices].
func (c *Client) CompleteInvoice(ctx context.Context, req *PostpaidInvoiceRequest) (*Invoice, error) {
	return c.byInvoice(ctx, req, "complete")
}

// RevokeInvoiceApproval revokes the approval of the postpaid invoice
// req.InvoiceID: the invoice, its payment and subscriptions return to their
// state before approval, the third-party invoice's data is removed, and
// the invoice can be approved again. It is refused once the linked payment
// is completed or cancelled. req.ERPInvoice names the third-party invoice
// as it was given on approval. The pages document a revocation by invoice id only.
//
// Endpoint: POST /api/v3/resellers/{reseller_id}/invoices/{invoice_id}/revoke,
// flat JSON body {"document_id":…,"billing_date":…}; the reply is the
// invoice.
//
// Retry class: idempotent by nature (see [Client.CompleteInvoices]).
//
// What to do with the outcome:
//   - nil: revoked by this call.
//   - errors.Is(err, ErrOutcomeUnknown): it may have been revoked;
//     [SafeToRepeat] is true; [Client.GetInvoice] shows Approved.
//   - any other error: not applied; codes in [Error].Errors:
//     "INVOICE-0001" required parameters missing, "INVOICE-0005" the
//     parameters do not match (or the payment is closed).
func (c *Client) RevokeInvoiceApproval(ctx context.Context, req *PostpaidInvoiceRequest) (*Invoice, error) {
	return c.byInvoice(ctx, req, "revoke")
}
