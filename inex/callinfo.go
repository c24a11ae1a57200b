package inex

import (
	"context"
	"time"

	"github.com/caravanpay/caravan/internal/transport"
)

// CallInfo describes the last HTTP exchange of a call, successful or not:
// what a support ticket to Inex needs. Pass one to [WithCallInfo]; a call
// made without it costs nothing extra.
type CallInfo struct {
	// RequestID is the reply's request id header (X-Request-Id and the
	// like), "" when Inex or its proxy sent none.
	RequestID string
	// Attempts is how many times the request was sent, retries included; 0
	// when the client refused to send it.
	Attempts int
	// Elapsed is the time from the first attempt to the end of the call.
	Elapsed time.Duration
	// StatusCode is the last reply's HTTP status, 0 when none arrived.
	StatusCode int
}

// WithCallInfo returns a context under which every call of a [Client]
// fills *info before it returns, whether it succeeded or failed. When a
// method sends more than one request (a list that pages, a look after an
// unknown outcome), info describes the last one. A nil info returns ctx
// unchanged. Use a fresh CallInfo per call when calls run concurrently.
func WithCallInfo(ctx context.Context, info *CallInfo) context.Context {
	return transport.WithCallInfo(ctx, (*transport.CallInfo)(info))
}
