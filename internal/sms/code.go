package sms

import (
	"strings"
	"unicode"
)

// CodeLength is the number of digits of a one-time code sent by the service.
const CodeLength = 6

// ExtractCode returns the one run of exactly six ASCII digits in text, the
// code an owner or applicant sends back to 1414. Runs of other lengths (a
// date, a time, a flat number) are ignored. ok is false when text holds no
// such run or more than one, because then the reply is ambiguous.
func ExtractCode(text string) (code string, ok bool) {
	found := 0
	for i := 0; i < len(text); {
		if !isDigit(text[i]) {
			i++
			continue
		}
		j := i
		for j < len(text) && isDigit(text[j]) {
			j++
		}
		if j-i == CodeLength {
			found++
			code = text[i:j]
		}
		i = j
	}
	if found != 1 {
		return "", false
	}
	return code, true
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// DefaultDeclineWords are the replies that decline a consent: "no" in Kazakh,
// Russian and English. ЖОК is ЖОҚ typed on a keyboard without Kazakh letters,
// which is how many phones send it.
var DefaultDeclineWords = []string{"ЖОҚ", "ЖОК", "НЕТ", "NO"}

// IsDeclineWord reports whether text, trimmed of spaces and punctuation, is
// one of words compared case-insensitively with Unicode case folding ("жоқ",
// "Нет", "no!" all match the defaults). A nil or empty words means
// DefaultDeclineWords.
func IsDeclineWord(text string, words []string) bool {
	if len(words) == 0 {
		words = DefaultDeclineWords
	}
	t := strings.TrimFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsControl(r)
	})
	if t == "" {
		return false
	}
	for _, w := range words {
		if strings.EqualFold(t, strings.TrimSpace(w)) {
			return true
		}
	}
	return false
}
