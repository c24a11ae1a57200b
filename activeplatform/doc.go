// Package activeplatform is the caravan client for the reseller API (v3)
// of ActivePlatform, a cloud-services billing platform. It completes
// payments received outside the platform — by payment id or by document
// number — and reads, creates and lists payments and resellers.
//
// # Quick start
//
// Each operator runs its own installation, so there is no default host:
//
//	client, err := activeplatform.NewClient("https://test.activeplatform.com", os.Getenv("ACTIVEPLATFORM_API_TOKEN"))
//	if err != nil { … }
//	p, err := client.CompletePayment(ctx, &CompletePaymentRequest{ResellerID: 1, PaymentID: 6475, PaymentMethodID: 2}) // reseller, payment, payment method
//	if err != nil { … }
//	fmt.Println(p.Status, p.Total, p.CurrencyCode) // completed 99.0 USD
//
// # Authentication
//
// Every call carries a manager's (employee's) API token in the X-Api-Token
// header, from the operator's control panel. The token decides which
// reseller is "current": a call may address that reseller or any of its
// downstream resellers. The token is never logged, never part of an error,
// and never sent to another host when the installation redirects. Every
// call sends Accept: application/vnd.api+json, and every body is a JSON:API
// document with Content-Type: application/vnd.api+json.
//
// # Retries and idempotency
//
// Each method's documentation names its retry class:
//
//   - Reads (GetPayment, ListPayments, All, GetReseller) are idempotent:
//     retried on connection errors, 408, 429 and 5xx (not 501).
//   - CompletePayment is reconciled: it retries like a read, since the
//     installation completes a payment at most once. If a retry is refused
//     with 422 "Only payments with … status can be completed", an earlier
//     attempt may have succeeded with its reply lost; the client reads the
//     payment and returns it as a success when it is completed with the
//     requested payment method. A 422 to the first attempt is always an
//     error ([ErrNotCompletable]).
//   - CreatePayment and CompletePaymentByDocument are unsafe: retried only
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
