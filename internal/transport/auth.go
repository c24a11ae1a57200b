package transport

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
)

// Auth is a credential carried in one request header. The zero value sends
// nothing. Its value never appears in String, fmt verbs or slog output.
type Auth struct {
	header string
	value  string
}

// Bearer sends "Authorization: Bearer <token>".
func Bearer(token string) Auth { return Auth{header: "Authorization", value: "Bearer " + token} }

// HeaderAuth sends the credential as the value of the named header, such as
// ActivePlatform's X-Api-Token.
func HeaderAuth(name, value string) Auth {
	return Auth{header: http.CanonicalHeaderKey(name), value: value}
}

// RawAuthorization sends "Authorization: <value>" with no scheme.
func RawAuthorization(value string) Auth { return Auth{header: "Authorization", value: value} }

// NoAuth sends no credential.
func NoAuth() Auth { return Auth{} }

// HeaderName is the header the credential travels in, "" for none.
func (a Auth) HeaderName() string { return a.header }

// String hides the credential.
func (a Auth) String() string {
	if a.header == "" {
		return "none"
	}
	return a.header + ": [redacted]"
}

// Format hides the credential from every fmt verb.
func (a Auth) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, a.GoString())
		return
	}
	_, _ = io.WriteString(f, a.String())
}

// GoString hides the credential from %#v.
func (a Auth) GoString() string { return "transport.Auth{" + a.String() + "}" }

// LogValue hides the credential from slog.
func (a Auth) LogValue() slog.Value { return slog.StringValue(a.String()) }
