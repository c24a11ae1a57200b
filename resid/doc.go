// Package resid is the caravan client for Resid (resid.ir), the Iranian
// taxi-fare payment service: a driver's app creates a payment request, the
// passenger pays it at a bank gateway, and the app collects it.
//
// # Quick start
//
//	client, err := resid.NewClient(os.Getenv("RESID_AUTHORIZATION"),
//		resid.WithBaseURL(resid.ProductionBaseURL))
//	if err != nil { … }
//	created, err := client.CreatePayment(ctx, &resid.CreatePaymentRequest{
//		Amount:   10000, // rials
//		Merchant: "faSDF42w3Fs",
//		Payload:  "ride-42", // comes back in Payment.Payload
//	})
//	// … the passenger pays; later:
//	p, err := client.GetPayment(ctx, created.Token)
//	if p.Paid != nil && p.CheckCollectWindow(time.Now()) == nil {
//		err = client.CollectPayment(ctx, p.Token) // within 20 minutes of p.Created!
//	}
//
// # The 20-minute collect window
//
// Collecting tells Resid you will deliver the service: the money then goes
// to the merchant. A successful payment that is NOT collected within 20
// minutes ([CollectWindow]) of its creation is refunded to the passenger
// automatically, and collecting it later fails. [Payment.CollectDeadline]
// says when the window closes, and [Payment.CheckCollectWindow] returns
// [ErrCollectWindowClosed] when a clock is more than [ClockSkewAllowance]
// past it — the service must not be delivered. [Client.CollectPayment]
// takes the token and lets Resid decide. Call it only when you will
// deliver; or create the request with AutoCollect and Resid collects by
// itself.
//
// # Authentication
//
// Resid issues an authorization code, sent as the raw Authorization
// header ("Authorization: <code>", no "Bearer"). The code is never printed
// by the client (fmt verbs, slog) nor in errors or logs, and it is not
// sent on a redirect to another host.
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
//	res, err := client.CreatePayment(ctx, req)
//	switch {
//	case err == nil:
//		// applied, exactly once
//	case errors.Is(err, resid.ErrOutcomeUnknown) && !resid.SafeToRepeat(err):
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
// CollectPayment and Collect are idempotent: after ErrOutcomeUnknown send
// them again. CreatePayment is unsafe: after ErrOutcomeUnknown look for the
// payment (by your Payload) before creating another.
//
// # Retries and idempotency
//
// Every method's documentation states its retry class:
//   - CreatePayment is unsafe: Resid has no idempotency key, and a
//     duplicate leaves an orphan payment request. It is retried only when
//     the request never left, or on 429/503. A cut connection, a timeout or
//     a gateway error after sending returns [ErrOutcomeUnknown]: list recent
//     payments (ListPayments, or All with After) to look for it before
//     creating another.
//   - CollectPayment is idempotent: collecting twice moves the
//     money once.
//   - GetPayment and ListPayments are idempotent reads.
//   - CreateMerchant is unsafe, like CreatePayment, and Resid publishes no
//     way to read or list merchants: after [ErrOutcomeUnknown] ask Resid
//     before registering the SHEBA again.
//
// # Merchants
//
// [Client.CreateMerchant] (POST /merchants) registers a payee with a
// SHEBA; its id is what CreatePaymentRequest.Merchant takes. The fields
// travel form-encoded, or all as multipart/form-data when a [Logo] is
// attached. Resid's document shows the reply only up to info.first_name:
// the rest, the id included, is kept in [CreatedMerchant].Info.
//
// Idempotent calls retry on connection errors, 408, 429 and 5xx (not 501)
// with exponential backoff (waits bounded by [WithRetry], default 5s),
// honouring a Retry-After in full when the call's deadline allows it and
// otherwise ending at once with [ErrRateLimited].
//
// # Listing payments
//
// [Client.ListPayments] returns one page (failed payments included; Resid
// rate-limits the list and means it for reporting). [Client.All] is a Go
// 1.23 iterator over every payment, backwards from ListOptions.Before (or
// now) or forwards from ListOptions.After, that yields each payment exactly
// once even when many share a created timestamp; see its documentation
// for the one limit (more than 200 payments created at the same
// microsecond: [ErrTooManyTies]). For a long report against the rate
// limit, give the context a deadline long enough for Resid's Retry-After.
//
// # Errors
//
// Every Resid reply is an envelope {"message", "info", "errors"}. A reply
// is an error when its status is not 2xx, or when its errors are not empty
// or its message is not "OK" — whatever the status. Every error returned
// after a request was sent is an [*Error] carrying the status, Resid's
// message and errors, the request id, the attempts and an excerpt of the
// body; errors.Is matches the shared sentinels ([ErrUnauthorized] for
// 401/403, [ErrNotFound] for 404, [ErrValidation] for 400/422 and for a 2xx
// error envelope, [ErrConflict], [ErrRateLimited], [ErrServer],
// [ErrUnexpectedResponse] for a body that is not an envelope,
// [ErrOutcomeUnknown], [ErrNetwork]) and context.Canceled or
// context.DeadlineExceeded. A request that breaks a documented rule
// (amount ≤ 0, empty merchant, a token that is empty or not path-safe, a
// size outside 0..200, both before and after) is refused before sending
// with an error that is [ErrInvalidRequest] and names the field.
//
// # Money and times
//
// Amounts are whole rials in int64 and never pass through float64; they
// are accepted as JSON numbers or numeric strings. Times keep Resid's
// offset (+04:30, +03:30); "paid" is nil until the passenger pays; a null
// state_error is "". Unknown outcome states are kept as [State] values.
//
// # Testing with the fake server
//
// Package [github.com/caravanpay/caravan/resid/residtest] is a fake Resid
// that enforces the documented protocol, simulates the passenger
// (Pay, Fail), has a settable clock for the collect window and refunds,
// pages the list with strict before/after, can rate-limit it, records
// requests and injects faults:
//
//	srv := residtest.NewServer()
//	defer srv.Close()
//	client, _ := resid.NewClient(residtest.AuthorizationCode, resid.WithBaseURL(srv.URL))
package resid
