package transport

import (
	"errors"
	"net"
	"net/http"
	"sync/atomic"
)

// The retry budget, in the spirit of the AWS SDKs' retry token bucket:
// every client holds RetryBudgetCapacity tokens; a retry costs RetryCost
// tokens (RetryTimeoutCost after a timeout); a call whose last reply the
// server answered for itself (a status below 500 other than 408 and 429)
// gives back what its retries cost, or one token when it needed none. When
// the bucket is empty a failed attempt is not retried: during an outage a
// client sends each call about once instead of 1 + RetryMax times, and the
// first successes fill the bucket again.
const (
	RetryBudgetCapacity = 500
	RetryCost           = 5
	RetryTimeoutCost    = 10
	noRetryIncrement    = 1
)

// retryBudget is one client's token bucket, shared by its concurrent calls.
type retryBudget struct{ tokens atomic.Int64 }

func newRetryBudget() *retryBudget {
	b := &retryBudget{}
	b.tokens.Store(RetryBudgetCapacity)
	return b
}

// take spends n tokens, or reports false and spends nothing when fewer are
// left.
func (b *retryBudget) take(n int64) bool {
	for {
		have := b.tokens.Load()
		if have < n {
			return false
		}
		if b.tokens.CompareAndSwap(have, have-n) {
			return true
		}
	}
}

// give returns n tokens, never filling past the capacity.
func (b *retryBudget) give(n int64) {
	for {
		have := b.tokens.Load()
		if have >= RetryBudgetCapacity {
			return
		}
		if b.tokens.CompareAndSwap(have, min(have+n, RetryBudgetCapacity)) {
			return
		}
	}
}

// retryCost is what retrying after err costs.
func retryCost(err error) int64 {
	var ne net.Error
	if err != nil && errors.As(err, &ne) && ne.Timeout() {
		return RetryTimeoutCost
	}
	return RetryCost
}

// spendRetry takes the cost of one more retry of st from the budget.
func (b *retryBudget) spendRetry(st *call, err error) bool {
	cost := retryCost(err)
	if !b.take(cost) {
		return false
	}
	st.budgetSpent += cost
	return true
}

// answered refills the budget once per call, when the server answered
// for itself (a status below 500 other than 408 and 429; a 5xx an unsafe
// call does not retry says nothing good about the server): the retries'
// cost comes back, or one token for a call that needed none.
func (b *retryBudget) answered(st *call, status int) {
	if st.budgetDone || status == 0 || status >= 500 ||
		status == http.StatusRequestTimeout || status == http.StatusTooManyRequests {
		return
	}
	st.budgetDone = true
	if st.budgetSpent > 0 {
		b.give(st.budgetSpent)
		return
	}
	b.give(noRetryIncrement)
}
