package uapay

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// maxClaimDepth bounds the nesting of a token's claims; UAPAY's are flat
// but for extraInfo.
const maxClaimDepth = 32

// checkedClaims are a token's claims after checkClaims: one JSON object,
// no key repeated in any object, at most maxClaimDepth deep.
type checkedClaims struct {
	doc      []byte
	exp, nbf []byte // the raw values of the exact top-level names, nil when absent
}

// checkClaims checks that claims are one JSON object whose keys, at every
// level, appear once, nested at most maxClaimDepth deep, and finds exp and
// nbf by their exact names. encoding/json alone would match names
// case-insensitively and let the last of two equal keys win — where JWT
// libraries read the first — so that a signed {"amount":100,"Amount":999}
// would read differently here than anywhere else. It allocates nothing for
// claims of ordinary size.
func checkClaims(claims []byte) (checkedClaims, error) {
	claims = bytes.Trim(claims, " \t\r\n") // JSON's white space, no other
	if len(claims) == 0 || claims[0] != '{' {
		return checkedClaims{}, fmt.Errorf("%w: token claims are not a JSON object", errMalformedClaims)
	}
	if !json.Valid(claims) {
		return checkedClaims{}, fmt.Errorf("%w: token claims are not one JSON object", errMalformedClaims)
	}
	s := claimScanner{b: claims}
	if err := s.object(1); err != nil {
		return checkedClaims{}, err
	}
	return checkedClaims{doc: claims, exp: s.exp, nbf: s.nbf}, nil
}

// fields returns the claims' top-level members by their exact names.
func (c checkedClaims) fields() (map[string]json.RawMessage, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(c.doc, &fields); err != nil {
		return nil, fmt.Errorf("%w: token claims are not a JSON object", errMalformedClaims)
	}
	return fields, nil
}

// claimScanner walks a document json.Valid accepted.
type claimScanner struct {
	b        []byte
	i        int
	exp, nbf []byte
}

func (s *claimScanner) ws() {
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\t' || s.b[s.i] == '\n' || s.b[s.i] == '\r') {
		s.i++
	}
}

// str skips a string starting at s.i and returns its raw content.
func (s *claimScanner) str() []byte {
	start := s.i + 1
	for s.i++; s.i < len(s.b); s.i++ {
		switch s.b[s.i] {
		case '\\':
			s.i++
		case '"':
			s.i++
			return s.b[start : s.i-1]
		}
	}
	return s.b[start:]
}

func (s *claimScanner) value(depth int) error {
	s.ws()
	switch s.b[s.i] {
	case '{':
		return s.object(depth + 1)
	case '[':
		return s.array(depth + 1)
	case '"':
		s.str()
	default: // number, true, false, null
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case ',', ']', '}', ' ', '\t', '\r', '\n':
				return nil
			}
			s.i++
		}
	}
	return nil
}

func (s *claimScanner) array(depth int) error {
	if depth > maxClaimDepth {
		return fmt.Errorf("%w: token claims nest deeper than %d levels", errMalformedClaims, maxClaimDepth)
	}
	s.i++ // [
	for {
		s.ws()
		if s.b[s.i] == ']' {
			s.i++
			return nil
		}
		if err := s.value(depth); err != nil {
			return err
		}
		s.ws()
		if s.b[s.i] == ',' {
			s.i++
		}
	}
}

func (s *claimScanner) object(depth int) error {
	if depth > maxClaimDepth {
		return fmt.Errorf("%w: token claims nest deeper than %d levels", errMalformedClaims, maxClaimDepth)
	}
	s.ws()
	s.i++ // {
	var small [16][]byte
	keys := small[:0]
	var many map[string]struct{}
	for {
		s.ws()
		if s.b[s.i] == '}' {
			s.i++
			return nil
		}
		key := s.str()
		if bytes.IndexByte(key, '\\') >= 0 { // compare keys as decoded
			var k string
			if json.Unmarshal(s.b[s.i-len(key)-2:s.i], &k) == nil {
				key = []byte(k)
			}
		}
		if many == nil && len(keys) < 64 {
			for _, k := range keys {
				if bytes.Equal(k, key) {
					return fmt.Errorf("%w: token claims repeat the key %q", errMalformedClaims, clip(string(key), 40))
				}
			}
			keys = append(keys, key)
		} else {
			if many == nil {
				many = make(map[string]struct{}, 2*len(keys))
				for _, k := range keys {
					many[string(k)] = struct{}{}
				}
			}
			if _, dup := many[string(key)]; dup {
				return fmt.Errorf("%w: token claims repeat the key %q", errMalformedClaims, clip(string(key), 40))
			}
			many[string(key)] = struct{}{}
		}
		s.ws()
		s.i++ // :
		s.ws()
		start := s.i
		if err := s.value(depth); err != nil {
			return err
		}
		if depth == 1 {
			switch string(key) {
			case "exp":
				s.exp = s.b[start:s.i]
			case "nbf":
				s.nbf = s.b[start:s.i]
			}
		}
		s.ws()
		if s.b[s.i] == ',' {
			s.i++
		}
	}
}
