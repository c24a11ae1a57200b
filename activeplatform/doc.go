// Package activeplatform is the caravan client for the reseller API (v3)
// of ActivePlatform, a cloud-services billing platform. It completes
// payments received outside the platform — by payment id or by document
// number — cancels unpaid ones, reads, creates and lists payments, reads
// and lists invoices, approves, completes and revokes ERP-managed postpaid
// invoices, records corrections (the platform's refunds and adjustments)
// and approves or declines them, and reads accounts (with their balances)
// and resellers.
//
// # Quick start
//
// Each operator runs its own installation, so there is no default host:
//
//	client, err := activeplatform.NewClient(os.Getenv("ACTIVEPLATFORM_API_TOKEN"),
//		activeplatform.WithBaseURL("https://test.activeplatform.com"))
//	if err != nil { … }
//	p, err := client.CompletePayment(ctx, &activeplatform.CompletePaymentRequest{ResellerID: 1, PaymentID: 6475, PaymentMethodID: 2}) // reseller, payment, payment method
//	if err != nil { … }
//	fmt.Println(p.Status, p.Total, p.CurrencyCode) // completed 99.0 USD
//
// No call that changes state takes two ids side by side as arguments, so
// a reseller id and a payment id cannot be swapped by accident: a call on
// one object takes one request struct carrying its ids
// ([CompletePaymentRequest], [CancelPaymentRequest],
// [UpdateCorrectionStatusRequest], [PostpaidAccountRequest],
// [PostpaidInvoiceRequest]), a call that creates takes the reseller id and
// its request. A nil request is refused with an [InvalidRequestError]
// naming "request". Reads, which change nothing, take the reseller id and
// the object's id as arguments.
//
// # Authentication
//
// Every call carries a manager's (employee's) API token in the X-Api-Token
// header, from the operator's control panel. The token decides which
// reseller is "current": a call may address that reseller or any of its
// downstream resellers. The token is never logged, never part of an error,
// and never sent to another host when the installation redirects. Every
// call sends Accept and Content-Type: application/vnd.api+json (GETs too:
// every method table marks both required), and every body is a valid
// JSON:API 1.0 request document: data with its type, its id when the
// request updates a resource, and an attributes object. The documents'
// examples leave type and id out; the installation accepts both forms. The
// postpaid-invoice calls are the exception the documents make: their body
// is a flat JSON object ({"document_id":…,"billing_date":…}), sent with
// the same Content-Type.
// Amounts the tables type as numbers (total, amount) go out as JSON
// numbers with the exact decimal text, never through float64.
//
// # Outcomes
//
// After any call you know one of three things, the same in every caravan
// package:
//
//   - nil error: the call was applied, exactly once;
//   - errors.Is(err, ErrOutcomeUnknown): the call changes state and may
//     have been applied — a cut, timed-out or cancelled reply after the
//     request may have left, a 5xx other than 501/503 after the last retry,
//     an unreadable, empty, oversized or odd-status reply, or an earlier
//     attempt that may have been applied before a later one failed — and
//     the client could not find out. Reads never return it;
//   - any other error: the call was NOT applied.
//
// [SafeToRepeat] says, for any error, whether sending the same call again
// can apply it twice. The whole decision a caller writes:
//
//	res, err := client.CompletePayment(ctx, req)
//	switch {
//	case err == nil:
//		// applied, exactly once
//	case errors.Is(err, activeplatform.ErrOutcomeUnknown) && !activeplatform.SafeToRepeat(err):
//		// may have been applied: look before sending it again
//	default:
//		// not applied, or applied at most once whatever you do:
//		// sending the same call again is safe (if it makes sense)
//	}
//
// A request is sent again after an error only when the error proves it
// never left (a dial or DNS failure) or the reply says nothing was done
// (429, 503) — unless the call is idempotent. That is decided from the
// error, never from an httptrace hook, so a RoundTripper passed with
// [WithHTTPClient] that wraps another (otelhttp and the like), mocks the
// network or fires no trace keeps every guarantee. [WithAttemptTimeout]
// bounds each attempt, reply body included.
//
// CompletePayment and CancelPayment are reconciled: after a reply that
// leaves its outcome unknown they read the payment inside your deadline (each attempt may use
// only two thirds of the time left, to keep time for the read) and returns
// success, not-applied or — only when the read could not run —
// ErrOutcomeUnknown. CreatePayment and CompletePaymentByDocument are
// unsafe: after ErrOutcomeUnknown read or list the payments first.
//
// # Retries and idempotency
//
// Each method's documentation names its retry class:
//
//   - Reads (GetPayment, ListPayments, All, GetInvoice, ListInvoices,
//     AllInvoices, GetAccount, GetReseller) are reads:
//     retried on connection errors, 408, 429 and 5xx (not 501); they never
//     return ErrOutcomeUnknown.
//   - CompletePayment is reconciled: the PATCH is resent by the transport
//     only when it surely never arrived (a dial error, 429, 503). After a
//     reply that leaves the outcome unknown the client reads the payment:
//     completed with the requested method is a success, still waiting is
//     sent again (at most three sends), anything else is an error. A 422
//     to the first send is always an error ([ErrNotCompletable]).
//   - CancelPayment is reconciled the same way: a payment read cancelled
//     after an unknown outcome is a success ([ErrNotCancellable] otherwise).
//   - UpdateCorrectionStatus and the postpaid-invoice calls
//     (ApproveInvoice(s), CompleteInvoice(s), RevokeInvoiceApproval) are
//     idempotent by nature (each moves its object one step, once): retried
//     like a read; after ErrOutcomeUnknown they are safe to repeat.
//   - CreatePayment, CompletePaymentByDocument and CreateCorrection are
//     unsafe: retried only
//     when the request never left, or on 429/503. A failure after it may
//     have arrived matches [ErrOutcomeUnknown]: look before sending again.
//
// Tune retries with [WithRetry]; bound calls with a context deadline or
// [WithTimeout].
//
// # Errors
//
// A request that breaks a documented rule (a non-positive id, a currency
// code that is not three letters, an external transaction id outside 2..255
// characters, a non-positive amount) is refused before anything is sent,
// with an error matching [ErrInvalidRequest] that names the field. Every
// failure after sending is an [*Error]: HTTP status, the installation's
// error objects (JSON:API "errors" as an array, or as a single object as
// the completion endpoint sends it), request id, attempts and a body
// excerpt. Test it with errors.Is against the shared sentinels
// ([ErrUnauthorized], [ErrNotFound], [ErrValidation], [ErrServer],
// [ErrNetwork], [ErrUnexpectedResponse], …), against [ErrNotCompletable],
// and against context.Canceled or context.DeadlineExceeded.
//
// # Money and data
//
// Amounts are [Decimal]: the installation's exact text ("99.0" stays
// "99.0"), never a float64; use [Decimal.Rat] for arithmetic. Timestamps
// such as "2019-11-01T04:30:47.797788+0300" keep their offset; null ones are
// nil. document_id is a string that may be zero-padded ("002018"): should an
// installation send it as a JSON number, its digits are kept, but leading
// zeros are already lost on the wire. Statuses the documents do not name are
// kept as received in [PaymentStatus].
//
// # Testing with the fake installation
//
// Package activeplatformtest runs a fake installation in-process with the
// documented rules (token, media types, the completable-status rule and its
// exact 422 body), request recording, completion counts and fault
// injection; see the examples here.
package activeplatform
