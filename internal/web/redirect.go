package web

import (
	"net/url"
	"strings"
)

// SafeRedirect returns next when it is a path on this site, and fallback
// otherwise, so that a sign-in link cannot send the person on to another
// site (an open redirect, the first step of phishing). A safe next starts
// with one "/" and is not followed by another "/" or a "\" (browsers read
// both "//evil" and "/\evil" as another host), has no control characters
// (browsers drop tabs and newlines, so "/\t/evil" is "//evil"), and stays so
// when percent-decoded, up to three times.
func SafeRedirect(next, fallback string) string {
	if len(next) > 2048 {
		return fallback
	}
	s := next
	for i := 0; ; i++ {
		if !safePath(s) {
			return fallback
		}
		d, err := url.PathUnescape(s)
		if err != nil {
			return fallback
		}
		if d == s {
			break
		}
		if i == 3 {
			return fallback // still encoded after three decodings: refuse
		}
		s = d
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return fallback
	}
	return next
}

func safePath(s string) bool {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") {
		return false
	}
	for _, c := range s {
		if c < 0x20 || c == 0x7f || c == '\\' {
			return false
		}
	}
	return true
}
