package transport

// SegmentProblem says why v cannot travel as one URL path segment, or ""
// when it can. Path escapes "/", "?" and "%", but "." and ".." are left as
// they are by every escaping, and a normalising proxy resolves them:
// ".../payments/." reaches ".../payments" — another endpoint. An empty
// value makes an empty segment ("//"), which proxies merge likewise.
// Provider packages check every path parameter with it before sending and
// report the field by its documented name.
func SegmentProblem(v string) string {
	switch v {
	case "":
		return "is empty"
	case ".", "..":
		return "cannot be \".\" or \"..\" in a URL path"
	}
	return ""
}

// checkPath refuses, before anything is sent, an escaped request path with
// an empty, "." or ".." segment (see SegmentProblem): the last line of
// defence for a parameter a provider package did not check itself.
func checkPath(p string) error {
	if p == "" || p == "/" {
		return nil
	}
	start := 0
	if p[0] == '/' {
		start = 1
	}
	for i := start; i <= len(p); i++ {
		if i < len(p) && p[i] != '/' {
			continue
		}
		seg := p[start:i]
		if seg == "" || seg == "." || seg == ".." {
			return &InvalidError{Field: "path", Reason: "has an empty, \".\" or \"..\" segment; a URL-normalising proxy would send it elsewhere"}
		}
		start = i + 1
	}
	return nil
}
