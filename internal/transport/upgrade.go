package transport

import (
	"crypto/tls"
	"errors"
	"net/http"
	"strconv"
	"strings"
)

// errUpgrade is a 1xx final reply: a server (or a broken proxy) that
// switches protocols although no request of the SDK asks it to. net/http
// would hand over the raw connection, which no context governs, and the
// call would hang until the server closes it.
var errUpgrade = errors.New("refused an unrequested protocol switch")

// upgradeError is errUpgrade with the status that carried it.
type upgradeError struct{ status int }

func (e *upgradeError) Error() string {
	return errUpgrade.Error() + " (HTTP " + strconv.Itoa(e.status) + ")"
}
func (e *upgradeError) Is(target error) bool { return target == errUpgrade }

// send sends req through the wrapped transport and refuses a final
// reply with a 1xx status (101 Switching Protocols above all): its body is
// closed at once — which closes the hijacked connection — so the call ends
// now instead of when the server chooses.
func (k keepIdle) send(req *http.Request) (*http.Response, error) {
	resp, err := k.RoundTripper.RoundTrip(req)
	if err == nil && resp != nil && resp.StatusCode < 200 {
		if resp.Body != nil {
			resp.Body.Close()
		}
		return nil, &upgradeError{status: resp.StatusCode}
	}
	return resp, err
}

// permanentNetErr is true for failures a retry cannot mend, beyond those
// transientNetErr names: any TLS handshake failure (a wrong certificate, a
// protocol or cipher mismatch, a TLS alert — a handshake that merely timed
// out is retried), an unparsable redirect Location and an unrequested
// protocol switch.
func permanentNetErr(err error) bool {
	if errors.Is(err, errUpgrade) || errors.Is(err, errBadLocation) {
		return true
	}
	var recHdr tls.RecordHeaderError
	var verify *tls.CertificateVerificationError
	var alert tls.AlertError
	if errors.As(err, &recHdr) || errors.As(err, &verify) || errors.As(err, &alert) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "tls: ") || strings.Contains(msg, "x509: ") ||
		strings.Contains(msg, "server gave HTTP response to HTTPS client") ||
		strings.Contains(msg, "failed to parse Location header")
}
