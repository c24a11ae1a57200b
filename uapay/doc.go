// Package uapay is a client for UAPAY's invoicer API (Ukraine): invoices
// that customers pay on UAPAY's hosted page, the callbacks UAPAY sends
// about their payments, and the payments' lifecycle — reading a payment,
// capturing or voiding a HOLD, refunding in full or in part.
//
// # The payment lifecycle
//
// An invoice of type HOLD ([TypeHold]) blocks the payer's money when the
// payer pays it; its payment reads HOLDED. [Client.CompletePayment]
// captures it (all, or less with Amount) and it becomes FINISHED;
// [Client.CancelPayment] voids it and it becomes CANCELED. A PAY invoice's
// payment is FINISHED at once. [Client.ReversePayment] refunds a FINISHED
// payment, in full or in part; partial refunds add up to at most the
// payment's amount. [Client.ShowPayment] reads a payment's statuses,
// receipt and dates; [Client.ShowCommission] quotes the commission of
// paying an invoice; [Client.UpdateSubscription] changes a SUBSCRIBE
// invoice's interval or end; [Client.ShowInvoice] lists an invoice's payments and
// [Client.ShowInvoices] finds invoices by id or by your externalId.
//
// Not covered, on purpose: payments/create with a stored card and its
// payments/confirm and payments/checkStatus steps (they carry card data —
// a CVV — into the caller's PCI scope, and the hosted page already
// handles 3-D Secure), and invoices/cancel (UAPAY's page for it has a
// title and no body: it is not implemented from a guess).
//
// # Quick start
//
//	c, err := uapay.NewClient(clientID, uapay.Secret(signKey), uapay.WithBaseURL(uapay.DemoBaseURL))
//	if err != nil { … }
//	id, err := c.UpdateInvoice(ctx, invoiceID, &uapay.InvoiceUpdate{
//		Tag:         uapay.Ptr("Client 1"),
//		RedirectURL: uapay.Ptr("https://shop.example/thanks"),
//		ExtraInfo:   json.RawMessage(`{"origin":"invoicer"}`),
//	})
//
// Use WithBaseURL(ProductionBaseURL) for the live service. WithBaseURL is
// required: a client never talks to the sandbox or to production that its
// caller did not choose.
//
// # Signing and authentication
//
// UAPAY has no auth header. Every request body is
// {"params":{…},"data":{…},"iat":<Unix seconds>,"token":"<JWT>"}, where the
// token is an HS256 JWT over {params, data, iat} signed with the merchant's
// key. The client signs every request itself (crypto/hmac, no JWT library).
// UAPAY refuses an iat more than 20 seconds away from its clock with
// TIMELIMIT_ERROR (ErrTimeLimit): keep the machine's clock synchronised.
// A reply whose data holds a "token" is verified with the same key — the
// algorithm must be exactly HS256, the signature is compared in constant
// time — and read from its claims; otherwise the plain data is read.
//
// The key is a Secret, which redacts itself in every fmt verb, JSON and
// slog; a Client printed with %+v shows no key.
//
// # Sessions
//
// Every invoicer call needs a session id from api/sessions/create. Callers
// need not think about sessions: the client creates one on its first call,
// shares it between concurrent calls (one creation at a time), and when
// UAPAY answers that the session is no longer valid it creates a new one
// and repeats the call once. A reply counts as "session no longer valid"
// when its error code mentions SESSION (SESSION_EXPIRED, SESSION_NOT_FOUND,
// INVALID_SESSION…), its message says the session expired, is unknown or
// invalid, or it flags params.sessionId with anything but REQUIRED.
// CreateSession opens a session explicitly (the client then uses it).
//
// # Card numbers
//
// A card number is a PAN. Its String, every fmt verb, MarshalText, JSON
// and slog show only the first six and last four digits
// (413417******0886); the full number is written only into the signed body
// of UpdateInvoice. It is validated (13–19 digits, Luhn) before sending.
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
//	res, err := client.CreateInvoice(ctx, req)
//	switch {
//	case err == nil:
//		// applied, exactly once
//	case errors.Is(err, uapay.ErrOutcomeUnknown) && !uapay.SafeToRepeat(err):
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
// CreateInvoice is reconciled by ExternalID: it looks the invoice up
// ([Client.ShowInvoices]) before it sends and after any send whose outcome
// is unknown, inside your deadline, and returns the invoice it finds, so
// the same CreateInvoice sent again never makes a second invoice.
// UpdateInvoice and UpdateSubscription are idempotent. Sessions are
// opened, and reopened, as needed; a failure to open one fails the call as
// not applied.
//
// CompletePayment, CancelPayment and ReversePayment are reconciled by
// reading the payment ([Client.ShowPayment]): they read it before sending
// (refusing what its state forbids) and again after any send whose outcome
// is unknown, and return success when the read shows their effect. A
// capture or a void that did land makes a repeat fail with a
// [*PaymentStateError], so SafeToRepeat is true for them. A refund is
// different: UAPAY names no idempotency key and shows no refunded sum, so
// when the read cannot prove it (a payment refunded in part before, a
// send that may still land), ReversePayment returns ErrOutcomeUnknown with
// SafeToRepeat false — read the payment and decide yourself; it is never
// resent blindly.
//
// # Retry classes
//
// Failed attempts are retried with exponential backoff (WithRetry) as the
// call's class allows:
//
//   - UpdateInvoice, UpdateSubscription and CreateSession are idempotent,
//     and ShowInvoice, ShowInvoices, ShowPayment and ShowCommission are
//     reads: retried on connection
//     errors, 408, 429 and 5xx (but 501).
//   - CompletePayment, CancelPayment and ReversePayment are reconciled by
//     reading the payment: sent again only when the request surely never
//     arrived, on 429/503, or after a read proved it not applied.
//   - CreateInvoice is reconciled by ExternalID: sent again only when the
//     request surely never arrived, on 429/503, or after a look by
//     externalId proved it not created (see "Outcomes").
//
// Every retry is signed afresh with the current iat, so a retry after a
// long Retry-After wait still falls inside UAPAY's 20-second window.
//
// # Errors
//
// Requests are validated before any byte is sent (UUIDs, card numbers,
// absolute http(s) URLs, extraInfo being a JSON object, amounts); the error
// matches ErrInvalidRequest and names the field. Every error after sending
// is an *Error. UAPAY reports errors as
// {"status":0,"error":{"code","message","fields":{"params","data"}}}, with
// status possibly absent or a string and HTTP status 200 or 400; *Error
// keeps the code, message and field errors, and matches the shared
// sentinels (ErrValidation, ErrUnauthorized, ErrNotFound, ErrServer, …) and
// UAPAY's own: ErrTimeLimit, ErrFormat (also ErrValidation),
// ErrSessionExpired and ErrSignature.
//
// # Money
//
// Amounts are int64 kopecks (1 UAH = 100 kopecks), decoded exactly whether
// UAPAY sends a number or a string; they never pass through float64.
//
// # Callbacks
//
// UAPAY POSTs {"token":"<JWT>"} to an invoice's callbackUrl when a payment
// changes. Client.CallbackHandler verifies it (HS256 with the merchant key,
// "none" and other algorithms refused, body capped at MaxCallbackBytes) and
// hands a typed Callback to your function; Client.ParseCallback does the
// same for your own handler. UAPAY redelivers a callback until it gets
// HTTP 200 — after 5 s, 5 min, 1 h, 2 h and 24 h — so the handler answers
// 500 when your function fails, and your function must be idempotent:
// record Callback.DeliveryKey, derived from the verified claims, in the
// transaction that applies the payment, and skip a key already recorded
// (see the Callback.DeliveryKey example).
//
// # Testing
//
// Package uapaytest is a fake UAPAY server that checks signatures, iat
// skew, sessions and field formats, keeps invoices, injects faults and
// sends signed callbacks:
//
//	srv := uapaytest.NewServer()
//	defer srv.Close()
//	c, _ := uapay.NewClient(uapaytest.ClientID, uapaytest.SignKey, uapay.WithBaseURL(srv.URL))
package uapay
