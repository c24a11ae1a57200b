package uapay

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// The JWT code is written with crypto/hmac rather than a JWT library: UAPAY
// uses one algorithm (HS256) and a handful of lines keep go.mod lean.

// jwtHeader is the encoded header of every token the client signs.
var jwtHeader = base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))

// maxTokenLen bounds the tokens the client is willing to decode.
const maxTokenLen = 1 << 20

// signer holds the merchant key. Client keeps it behind a pointer, so that
// printing a Client with %+v shows an address, never the key.
type signer struct{ key []byte }

// sign returns a compact HS256 JWT whose payload is claims (JSON).
func (s *signer) sign(claims []byte) string {
	unsigned := jwtHeader + "." + base64.RawURLEncoding.EncodeToString(claims)
	return unsigned + "." + base64.RawURLEncoding.EncodeToString(s.mac(unsigned))
}

func (s *signer) mac(unsigned string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(unsigned))
	return m.Sum(nil)
}

// verify checks token's HS256 signature and returns its claims, which must
// be a JSON object. The header's alg must be exactly HS256: "none" and every
// other algorithm are refused before the signature is looked at. When the
// claims hold exp or nbf (seconds), now must fall inside them, with a minute
// of leeway for clock skew.
func (s *signer) verify(token string, now time.Time) (json.RawMessage, error) {
	if len(token) > maxTokenLen {
		return nil, fmt.Errorf("%w: token longer than %d bytes", ErrSignature, maxTokenLen)
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("%w: token is not a compact JWT (want 3 parts, got %d)", ErrSignature, len(parts))
	}
	head, err := decodeSegment(parts[0])
	if err != nil {
		return nil, fmt.Errorf("%w: token header: %v", ErrSignature, err)
	}
	var h struct {
		Alg string `json:"alg"`
	}
	if err := json.Unmarshal(head, &h); err != nil {
		return nil, fmt.Errorf("%w: token header is not a JSON object", ErrSignature)
	}
	if h.Alg != "HS256" {
		return nil, fmt.Errorf("%w: token algorithm %q is not HS256", ErrSignature, clip(h.Alg, 20))
	}
	sig, err := decodeSegment(parts[2])
	if err != nil {
		return nil, fmt.Errorf("%w: token signature: %v", ErrSignature, err)
	}
	if !hmac.Equal(sig, s.mac(parts[0]+"."+parts[1])) {
		return nil, fmt.Errorf("%w: token signature does not match the key", ErrSignature)
	}
	claims, err := decodeSegment(parts[1])
	if err != nil {
		return nil, fmt.Errorf("%w: token claims: %v", errMalformedClaims, err)
	}
	// The signature holds: whatever is wrong from here on is a malformed
	// token, not a forged one.
	checked, err := checkClaims(claims)
	if err != nil {
		return nil, err
	}
	const leeway = time.Minute
	if raw := checked.exp; raw != nil {
		exp, err := wholeSeconds(raw)
		if err != nil {
			return nil, fmt.Errorf("%w: token exp is not whole seconds", errMalformedClaims)
		}
		if now.After(time.Unix(exp, 0).Add(leeway)) {
			return nil, fmt.Errorf("%w: token expired at %s", ErrSignature, time.Unix(exp, 0).UTC().Format(time.RFC3339))
		}
	}
	if raw := checked.nbf; raw != nil {
		nbf, err := wholeSeconds(raw)
		if err != nil {
			return nil, fmt.Errorf("%w: token nbf is not whole seconds", errMalformedClaims)
		}
		if now.Add(leeway).Before(time.Unix(nbf, 0)) {
			return nil, fmt.Errorf("%w: token not valid before %s", ErrSignature, time.Unix(nbf, 0).UTC().Format(time.RFC3339))
		}
	}
	return json.RawMessage(checked.doc), nil
}

// errMalformedClaims marks a token whose signature verified but whose
// claims are not a plain JSON object: ParseCallback reports it as
// ErrCallback, never as ErrSignature.
var errMalformedClaims = errors.New("uapay: malformed token claims")

// wholeSeconds reads a JSON number holding whole seconds.
func wholeSeconds(raw []byte) (int64, error) {
	if len(raw) == 0 || raw[0] == '"' || raw[0] == '{' || raw[0] == '[' || raw[0] == 't' || raw[0] == 'f' || raw[0] == 'n' {
		return 0, fmt.Errorf("not a number")
	}
	return json.Number(raw).Int64()
}

// decodeSegment decodes one segment of a compact JWT. Only the canonical
// form is accepted — unpadded base64url, no other character, zero unused
// bits — so that a token has exactly one spelling: padding, line breaks
// or altered trailing bits would otherwise make several distinct strings
// of one signed token.
func decodeSegment(seg string) ([]byte, error) {
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return nil, fmt.Errorf("not canonical base64url: byte %d is %q", i, c)
		}
	}
	return base64.RawURLEncoding.Strict().DecodeString(seg)
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
