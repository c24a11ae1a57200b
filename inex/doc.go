// Package inex is a client for the Inex integrator API: shops, banks and
// payment kiosks pay the debts of customers of Inex, the Georgian parcel
// forwarding service, top up their balances, and read their debts,
// details and foreign-currency wallets.
//
// # Quick start
//
//	client, err := inex.NewClient(token, inex.WithBaseURL(inex.StagingBaseURL)) // or production's URL
//	if err != nil { … }
//	res, err := client.PayDebt(ctx, &inex.PayDebtRequest{
//		RoomNumber: "IG00001", // or WaybillNumber: "TY7200934421231", or both
//		PaymentID:  "INV0001", // your own payment number, at most 255 characters
//	})
//	if err != nil { … }
//	fmt.Println(res.TransactionID)
//
// The calls, each named for Inex's endpoint in its documentation:
//
//	PayDebt         POST /integrators/payments/debts/pay
//	DebtDetail      GET  /integrators/payments/debts/detail
//	TopUpBalance    POST /integrators/payments/balance/top-up
//	Customer        GET  /integrators/users/detail/{roomNumber}
//	Wallet          GET  /integrators/payments/wallet/{roomNumber}
//	ParcelDetail    GET  /integrators/parcels/detail/{waybillNumber}
//	LogisticHistory GET  /integrators/logistics/history/{waybillNumber}
//	PickupLocations GET  /integrators/locations/pickup-locations (AllPickupLocations: every page)
//	CreateParcel    POST /integrators/parcels/create
//
// # Hosts and authentication
//
// Inex publishes one host, its staging API, [StagingBaseURL]
// ("https://api-staging.inex.ge/api/v1"). There is no default: pass it, or
// the production base URL Inex gives you, path included, with [WithBaseURL],
// which is required, so that a client never talks to staging or to
// production by accident.
// Every request carries "Authorization: Bearer <token>" and
// "Accept: application/json" (without it Inex's Laravel server answers a
// validation error with a redirect to an HTML page). The token is sent
// only to the base URL's host, and never appears in an error, a log record
// or fmt output of a Client.
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
//	res, err := client.PayDebt(ctx, req)
//	switch {
//	case err == nil:
//		// applied, exactly once
//	case errors.Is(err, inex.ErrOutcomeUnknown) && !inex.SafeToRepeat(err):
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
// PayDebt and TopUpBalance are idempotent (Inex deduplicates PaymentID):
// after ErrOutcomeUnknown send the same request, same PaymentID, again.
//
// # Retries and idempotency
//
// Every call is idempotent, and retried on connection errors, 408, 429
// (honouring Retry-After) and 5xx except 501 — 3 retries by default,
// see [WithRetry]. The two calls that move money are safe to retry
// because Inex deduplicates the payment id: a second request with the same
// PaymentID applies nothing and answers the first request's transaction
// id. So when a reply is lost (a cut connection, a timeout), repeat the
// call with the same PaymentID — never a new one — until you have an
// answer. Use a new PaymentID only for a new payment. CreateParcel is
// idempotent by its waybill numbers in the same way: Inex answers an
// existing parcel of yours instead of creating a second one.
//
// # Errors
//
// A request that breaks a documented rule is refused before any byte is
// sent, with an error that matches [ErrInvalidRequest] and names the
// field: neither room nor waybill number, a payment id empty or over 255
// characters, a top-up amount outside 1..1 000 000 tetri, a room number
// that cannot be a URL path segment.
//
// Every error after sending is an [*Error]: the HTTP status, Inex's
// messages as Inex gives them ([Error.General] for its
// {"errors":{"general":[…]},"message":"error"} replies, [Error.Fields] for
// Laravel's field errors), the request id, the attempt count and an
// excerpt of the body. errors.Is matches the shared sentinels:
// 403 [ErrUnauthorized], 404 [ErrNotFound] (unknown customer or parcel),
// 422 [ErrValidation], 429 [ErrRateLimited], 5xx [ErrServer], an HTML,
// empty or truncated reply [ErrUnexpectedResponse], no reply
// [ErrNetwork]; context.Canceled and context.DeadlineExceeded stay
// reachable.
//
// # Money
//
// Amounts are int64 minor units as Inex sends them: tetri for GEL (100
// tetri = 1 GEL), cents for the wallet's USD, EUR and GBP. They never pass
// through float64; a fractional amount in a reply is an error, not a
// rounding.
//
// # Documentation slips
//
// Inex's documentation has a few mistakes this package corrects: its curl
// example for paying a debt says "-X GET" and ends its JSON with a trailing
// comma (PayDebt sends a POST with valid JSON); its debt-detail example
// sends a JSON body on a GET (DebtDetail sends query parameters, which
// Laravel reads the same way); transactionId is documented as a string and
// sent as a number (both decode to a string); wallet amounts are
// documented as strings and sent as numbers (both decode); the service
// type is capitalised in an example (decoding maps any capitalisation of a
// documented value to its [ServiceType] constant).
//
// # Testing without credentials
//
// Package inextest is a fake Inex server that enforces the documented
// rules — the bearer token, methods, JSON bodies, Laravel's 422 replies,
// 404 for unknown customers and parcels, payment id deduplication — with
// seedable customers, parcels, debts and balances, counters of what was
// paid, recorded requests and fault injection:
//
//	srv := inextest.NewServer()
//	defer srv.Close()
//	srv.SeedExamples()
//	srv.CutAfterNext(1) // pay, then drop the connection
//	client, _ := inex.NewClient(inextest.Token, inex.WithBaseURL(srv.URL))
//	res, err := client.PayDebt(ctx, &inex.PayDebtRequest{RoomNumber: "IG00001", PaymentID: "P1"})
//	// the retry got the same transaction id; srv.DebtPayments("IG00001") == 1
package inex
