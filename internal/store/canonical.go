package store

import "unicode/utf8"

// isCanonicalJSON reports whether b is already in the form canonicalJSON
// gives (sorted object keys, no white space, numbers as written, strings as
// encoding/json writes them), so that the chain can hash b as it is instead
// of decoding and re-encoding it: true only when canonicalJSON(b) would
// return b unchanged. It is conservative: a false answer only sends b the
// slow way (duplicate keys, escapes other than \" and \\, characters
// encoding/json escapes, nesting deeper than canonicalMaxDepth).
// TestCanonicalJSONFastPath and FuzzCanonicalJSON check it against the
// slow way.
func isCanonicalJSON(b []byte) bool {
	n, ok := canonicalValue(b, 0, 0)
	return ok && n == len(b)
}

// canonicalMaxDepth bounds the nesting the fast check follows.
const canonicalMaxDepth = 32

// canonicalValue checks the value at b[i:] and returns the index after it.
func canonicalValue(b []byte, i, depth int) (int, bool) {
	if i >= len(b) {
		return 0, false
	}
	switch c := b[i]; {
	case c == '{':
		if depth >= canonicalMaxDepth {
			return 0, false
		}
		i++
		if i < len(b) && b[i] == '}' {
			return i + 1, true
		}
		var prev []byte
		for first := true; ; first = false {
			start := i
			end, ok := canonicalString(b, i)
			if !ok {
				return 0, false
			}
			key := b[start+1 : end-1]
			// Keys compare as the decoded strings do; a key with an
			// escape is not taken (its bytes are not its string).
			if hasBackslash(key) || !first && string(key) <= string(prev) {
				return 0, false
			}
			prev = key
			i = end
			if i >= len(b) || b[i] != ':' {
				return 0, false
			}
			if i, ok = canonicalValue(b, i+1, depth+1); !ok || i >= len(b) {
				return 0, false
			}
			switch b[i] {
			case ',':
				i++
			case '}':
				return i + 1, true
			default:
				return 0, false
			}
		}
	case c == '[':
		if depth >= canonicalMaxDepth {
			return 0, false
		}
		i++
		if i < len(b) && b[i] == ']' {
			return i + 1, true
		}
		for {
			var ok bool
			if i, ok = canonicalValue(b, i, depth+1); !ok || i >= len(b) {
				return 0, false
			}
			switch b[i] {
			case ',':
				i++
			case ']':
				return i + 1, true
			default:
				return 0, false
			}
		}
	case c == '"':
		return canonicalString(b, i)
	case c == '-' || c >= '0' && c <= '9':
		return canonicalNumber(b, i)
	case c == 't':
		return literal(b, i, "true")
	case c == 'f':
		return literal(b, i, "false")
	case c == 'n':
		return literal(b, i, "null")
	}
	return 0, false
}

func literal(b []byte, i int, lit string) (int, bool) {
	if len(b)-i >= len(lit) && string(b[i:i+len(lit)]) == lit {
		return i + len(lit), true
	}
	return 0, false
}

func hasBackslash(b []byte) bool {
	for _, c := range b {
		if c == '\\' {
			return true
		}
	}
	return false
}

// canonicalString checks the string at b[i] (a quote) as encoding/json
// writes it: valid UTF-8, no control character, none of < > & U+2028
// U+2029 (which it escapes), and of the escapes only \" and \\.
func canonicalString(b []byte, i int) (int, bool) {
	if i >= len(b) || b[i] != '"' {
		return 0, false
	}
	for i++; i < len(b); {
		c := b[i]
		switch {
		case c == '"':
			return i + 1, true
		case c == '\\':
			if i+1 >= len(b) || b[i+1] != '"' && b[i+1] != '\\' {
				return 0, false
			}
			i += 2
		case c < 0x20 || c == '<' || c == '>' || c == '&':
			return 0, false
		case c < utf8.RuneSelf:
			i++
		default:
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
				return 0, false
			}
			i += size
		}
	}
	return 0, false
}

// canonicalNumber checks the number at b[i] against JSON's grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func canonicalNumber(b []byte, i int) (int, bool) {
	digits := func(i int) int {
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		return i
	}
	if b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		i = digits(i + 1)
	default:
		return 0, false
	}
	if i < len(b) && b[i] == '.' {
		j := digits(i + 1)
		if j == i+1 {
			return 0, false
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := digits(i)
		if j == i {
			return 0, false
		}
		i = j
	}
	return i, true
}
