package transport

import (
	"context"
	"errors"
	"time"
)

// CallInfo describes the last HTTP exchange of a call: what a support
// ticket needs about a call that succeeded as much as one that failed.
// Provider packages declare a struct with the same fields and convert a
// pointer to it, so no internal type appears in their API.
type CallInfo struct {
	RequestID  string
	Attempts   int
	Elapsed    time.Duration
	StatusCode int
}

type callInfoKey struct{}

// WithCallInfo returns a context under which every Do fills *info when it
// returns, successful or not. A nil info returns ctx unchanged.
func WithCallInfo(ctx context.Context, info *CallInfo) context.Context {
	if info == nil {
		return ctx
	}
	return context.WithValue(ctx, callInfoKey{}, info)
}

// Do sends the request with retries and returns the 2xx reply. Any other
// outcome is an *Error: for a non-2xx reply it carries the status and body
// so the provider can decode its own error shape. When ctx carries a
// CallInfo (WithCallInfo), it is filled before Do returns.
func (c *Client) Do(ctx context.Context, r *Request) (*Response, error) {
	resp, err := c.do(ctx, r)
	if ctx != nil {
		if info, ok := ctx.Value(callInfoKey{}).(*CallInfo); ok {
			fillCallInfo(info, resp, err)
		}
	}
	return resp, err
}

func fillCallInfo(info *CallInfo, resp *Response, err error) {
	if resp != nil {
		*info = CallInfo{RequestID: resp.RequestID, Attempts: resp.Attempts, Elapsed: resp.Elapsed, StatusCode: resp.Status}
		return
	}
	var te *Error
	if errors.As(err, &te) {
		*info = CallInfo{RequestID: te.RequestID, Attempts: te.Attempts, Elapsed: te.Elapsed, StatusCode: te.Status}
		return
	}
	*info = CallInfo{}
}

// Close releases what New opened: the idle connections of the pooled
// transport it built. A caller-supplied *http.Client (WithHTTPClient) is
// left alone. The client stays usable; a later call opens new connections.
func (c *Client) Close() error {
	if c.owned != nil {
		c.owned.CloseIdleConnections()
	}
	return nil
}
