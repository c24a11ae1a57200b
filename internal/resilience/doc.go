// Package resilience holds the cross-provider tests that prove caravan
// keeps its promises when the network and the servers misbehave: the chaos
// run against every fake with injected faults, hostile servers (huge,
// malformed, silent), redirects to other hosts, and secrets in logs and
// formatted values. It has no non-test code besides this comment.
package resilience
