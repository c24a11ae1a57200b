package transport

// IsUUID reports whether s is a UUID (a GUID) in its canonical text form:
// 8-4-4-4-12 hexadecimal digits in either case, without braces. Providers
// validate ids with it before sending.
func IsUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}
