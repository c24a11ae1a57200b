package uapay

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"

	"github.com/caravanpay/caravan/internal/transport"
)

// sessionCache holds the current session id. lock is a one-slot semaphore
// rather than a mutex so that a caller waiting for another's session
// creation can give up when its context ends.
type sessionCache struct {
	lock chan struct{}
	mu   sync.Mutex
	id   string
}

func newSessionCache() *sessionCache { return &sessionCache{lock: make(chan struct{}, 1)} }

func (s *sessionCache) get() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.id
}

func (s *sessionCache) set(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.id = id
}

// drop forgets id if it is still the current session.
func (s *sessionCache) drop(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.id == id {
		s.id = ""
	}
}

// CreateSession opens a new UAPAY session and returns its id; the client
// also keeps it for its following calls. Callers need not call it: every
// other method creates a session on first use and renews it when UAPAY
// says it expired.
//
// POST api/sessions/create with params {clientId}. Both documented reply
// shapes are accepted: {"status":"1","id":…} and {"status":1,"data":{"id":…}}.
//
// Retry class: idempotent in effect — a retry after a lost reply may open a
// second session, which is harmless (no money moves, an unused session
// expires), so it is retried like a read. An error matching
// ErrOutcomeUnknown means a session may have been opened; SafeToRepeat is
// true.
func (c *Client) CreateSession(ctx context.Context) (string, error) {
	id, err := c.createSession(ctx)
	if err != nil {
		return "", err
	}
	c.sess.set(id)
	return id, nil
}

func (c *Client) createSession(ctx context.Context) (string, error) {
	params := struct {
		ClientID string `json:"clientId"`
	}{c.clientID}
	r, err := c.call(ctx, sessionPath, transport.Idempotent, params, nil)
	if err != nil {
		return "", err
	}
	id := r.topID
	if id == "" {
		var d struct {
			ID json.RawMessage `json:"id"`
		}
		if r.decode(&d) == nil {
			id = jsonText(d.ID)
		}
	}
	if id == "" {
		return "", r.fail("session reply has no id", errMissing)
	}
	c.t.Redact(id) // a session id in an error reply is masked like the key
	return id, nil
}

// session returns the cached session id, creating one if there is none.
// Concurrent callers share one creation.
func (c *Client) session(ctx context.Context) (string, error) {
	if id := c.sess.get(); id != "" {
		return id, nil
	}
	select {
	case c.sess.lock <- struct{}{}:
	case <-ctx.Done():
		// nothing was sent: the call ended while another one created the
		// session; a typed error like any other, reaching ctx.Err()
		return "", newError(&transport.Error{Kind: transport.ErrNetwork, Method: http.MethodPost,
			Path: sessionPath, Cause: ctx.Err(), Message: "ended while waiting for the session another call is creating"})
	}
	defer func() { <-c.sess.lock }()
	if id := c.sess.get(); id != "" { // created while we waited
		return id, nil
	}
	id, err := c.createSession(ctx)
	if err != nil {
		return "", err
	}
	c.sess.set(id)
	return id, nil
}

// withSession runs fn with the current session; when UAPAY answers that the
// session expired (see ErrSessionExpired), it creates a new session and runs
// fn once more.
//
// A failure to get a session means the call itself was never sent: its
// error never matches ErrOutcomeUnknown (a session applied twice harms
// nothing), see sessionFailed.
func (c *Client) withSession(ctx context.Context, fn func(sessionID string) error) error {
	id, err := c.session(ctx)
	if err != nil {
		return sessionFailed(err)
	}
	err = fn(id)
	if !errors.Is(err, ErrSessionExpired) {
		return err
	}
	c.sess.drop(id)
	if id, err = c.session(ctx); err != nil {
		return sessionFailed(err)
	}
	return fn(id)
}

// sessionPath is the session method's path.
const sessionPath = "/api/sessions/create"

// sessionFailed is the error of a call that could not get a session: the
// call was not sent, whatever became of the session request.
func sessionFailed(err error) error {
	var e *Error
	if errors.As(err, &e) && e.err != nil && e.err.Unknown {
		ne := newError(e.err.NotApplied("no session could be created: the call was not sent"))
		return ne
	}
	return err
}
