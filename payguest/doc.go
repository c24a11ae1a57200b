// Package payguest pays Tillypad XL guest bills through the restaurant
// back office's pay-guest API (my.tillypad.ru/tillypadapihelp), the call a
// delivery or ordering service makes to settle a bill, optionally with
// loyalty points.
//
// # Quick start
//
//	client, err := payguest.NewClient(payguest.WithBaseURL("http://89.22.216.169:8090"))
//	if err != nil { … }
//	res, err := client.PayGuest(ctx, &payguest.PayGuestRequest{
//		Payment: payguest.Payment{
//			GuestID:   "3F2504E0-4F89-11D3-9A0C-0305E82C3301", // the bill (gest_ID)
//			PaySum:    payguest.MustDecimal("1240.50"),
//			PayTypeID: "7C9E6679-7425-40DE-944B-E07FC1F90AE7",
//		},
//	})
//
// The base URL is the restaurant's own server; plain HTTP on a LAN is
// normal. A Client is safe for concurrent use.
//
// # Authentication
//
// The API has none. A server behind an authenticating proxy gets the
// proxy's header with [WithHeader]; the value is handled as a credential
// (sent only to the base URL's host, never printed).
//
// # Paying, points and prechecks
//
// [Client.PayGuest] sends POST /pay-guest with {"Payment":{…},"DiscountSum":{…}}.
// With PaySum set it pays: PaySum must be the bill's total less the points
// discount, and the server creates a precheck and a check «Оплачен». With
// PaySum "" nothing is paid: use that to apply a points discount
// ([DiscountSum]) first and read the applied amount, then pay the rest.
// [Mode] (delete-prechecks) says what happens to the bill's prechecks, the
// parts already sent for payment, before the discount is applied.
// [PayGuestResult.PointsConfigured] is false when the reply has no
// AppliedDiscountSums: points are not set up on that server.
//
// # Reference data and bills
//
// The calls besides PayGuest, each named for its route in Tillypad's
// documents:
//
//	DiscountPointTypes  GET  /get-discount-point-types  kinds of points (DiscountSum.TypeID)
//	Divisions           GET  /get-divisions             divisions (a bill's gest_dvsn_ID)
//	PurseTypes          GET  /get-purse-types           kinds of client purses
//	PostGuest           POST /post-guest                a new bill (its gest_ID for PayGuest)
//
// The reads change nothing, never return [ErrOutcomeUnknown] and are
// retried like any read. [Client.PostGuest] creates a bill and has no
// idempotency key: like PayGuest it is unsafe, and a lost reply is
// [ErrOutcomeUnknown] — look for the bill before posting it again, or a
// second bill is created.
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
//	res, err := client.PayGuest(ctx, req)
//	switch {
//	case err == nil:
//		// applied, exactly once
//	case errors.Is(err, payguest.ErrOutcomeUnknown) && !payguest.SafeToRepeat(err):
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
// PayGuest is unsafe and pay-guest offers no read: after ErrOutcomeUnknown
// see "Retries and ErrOutcomeUnknown" below.
//
// # Retries and ErrOutcomeUnknown
//
// PayGuest moves money and has no idempotency key, so its retry class is
// unsafe: it is sent again only when the connection never carried it or
// the server answered 429 or 503. A connection cut after the request went
// out, a timeout, a 502/504 or an unreadable 2xx reply is
// [ErrOutcomeUnknown]: the bill may be paid. Never pay again blindly. Look
// at the bill in Tillypad, or resend the same request with KeepPrechecks or
// DeleteAllPrechecks: if the first payment went through, the server
// answers [ErrAlreadySentForPayment] or [ErrAlreadyPaid] instead of paying
// twice.
//
// # Errors
//
// The server answers an error as a bare JSON string, "<текст ошибки>", with
// a status the document does not give; any string body is an error, even
// with status 200. Every failure after sending is an [*Error] carrying the
// status, the server's Text, the attempts and a body excerpt. errors.Is
// reaches the status's shared sentinel ([ErrValidation] for 400/422 and
// for a string answered with 2xx, [ErrServer] for 5xx, …) and, for the four
// texts the document names, [ErrAlreadySentForPayment], [ErrAlreadyPaid],
// [ErrAmountMismatch] and [ErrNoPayType]. A request that breaks a
// documented rule is refused before sending with [ErrInvalidRequest],
// naming the field. context.Canceled and DeadlineExceeded stay reachable.
//
// # Money
//
// Amounts are [Decimal]: decimal text sent as a JSON number with the same
// digits and never converted to float64. Build them with [ParseDecimal];
// [Decimal.Rat] gives the exact value.
//
// # GUIDs
//
// Ids are GUIDs, 8-4-4-4-12 hex digits, in either case and without braces
// (checked before sending); the client sends them as given. The server's replies may
// use another case: compare with strings.EqualFold.
//
// # Testing
//
// Package payguest/payguesttest is a fake server with bills, prechecks,
// points settings, the documented rules and errors, recorded requests,
// payment counts and fault injection, for your own tests.
package payguest
