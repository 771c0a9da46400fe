package main

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"math"
	"strings"

	"tirkeu/internal/residence"
)

// Production secrets.
//
// TIRKEU_SECRET keys the hashes of codes and signs every session and
// challenge, so it must be a machine-made key, not a pass phrase: length
// alone is not strength ("aaaa…", a phrase or a key repeated twice are long
// and guessable). In production it must be the hex (64 or more hex digits)
// or base64 (standard or URL alphabet, padded or not) encoding of at least
// 32 random bytes, as `openssl rand -base64 32` or `openssl rand -hex 32`
// print, and its text must look random:
//
//   - its characters are spread as random ones are (Shannon entropy of the
//     text of at least 3.35 bits per character for hex, 4.3 for base64: a
//     word, a repeat or a short alphabet falls below it);
//   - for base64, no more than 70 % lowercase or uppercase letters (words
//     and CamelCase phrases are mostly lowercase; random base64 is 41 %);
//   - no run of six characters appears twice (a repeated key), and fewer
//     than half of neighbours are successive ("abcd…", "0123…").
//
// The demo secret is refused by name. About one random key in ten thousand
// is refused too (measured: 6 to 12 in 100 000 of each encoding): generate
// another.

// secretStrength returns why s is not a strong production secret, or nil.
func secretStrength(s string) error {
	if s == "" {
		return errors.New("TIRKEU_SECRET must be set: the base64 of 32 random bytes (openssl rand -base64 32)")
	}
	if s == string(residence.DefaultConfig().Secret) {
		return errors.New("TIRKEU_SECRET is the demo secret, which is public")
	}
	var minH float64
	switch {
	case isHexKey(s):
		minH = 3.35
	case isBase64Key(s):
		minH = 4.3
		if lower, upper := caseShares(s); lower > 0.7 || upper > 0.7 {
			return errors.New("TIRKEU_SECRET looks like words, not random bytes: use openssl rand -base64 32")
		}
	default:
		return errors.New("TIRKEU_SECRET must be the hex or base64 encoding of at least 32 random bytes (openssl rand -base64 32)")
	}
	if shannon(s) < minH {
		return errors.New("TIRKEU_SECRET has too little entropy (repeated or few distinct characters): use openssl rand -base64 32")
	}
	if repeatsBlock(s, 6) || successive(s) {
		return errors.New("TIRKEU_SECRET has a repeated or sequential pattern: use openssl rand -base64 32")
	}
	return nil
}

func isHexKey(s string) bool {
	if len(s) < 64 || len(s)%2 != 0 || strings.ToLower(s) != s && strings.ToUpper(s) != s {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

func isBase64Key(s string) bool {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) >= 32 {
			return true
		}
	}
	return false
}

// shannon returns the entropy of s's characters, in bits per character.
func shannon(s string) float64 {
	s = strings.TrimRight(s, "=")
	counts := map[rune]int{}
	n := 0
	for _, c := range s {
		counts[c]++
		n++
	}
	h := 0.0
	for _, k := range counts {
		p := float64(k) / float64(n)
		h -= p * math.Log2(p)
	}
	return h
}

func caseShares(s string) (lower, upper float64) {
	var l, u int
	for _, c := range s {
		switch {
		case 'a' <= c && c <= 'z':
			l++
		case 'A' <= c && c <= 'Z':
			u++
		}
	}
	return float64(l) / float64(len(s)), float64(u) / float64(len(s))
}

// repeatsBlock reports whether some n characters of s appear twice.
func repeatsBlock(s string, n int) bool {
	seen := map[string]bool{}
	for i := 0; i+n <= len(s); i++ {
		if seen[s[i:i+n]] {
			return true
		}
		seen[s[i:i+n]] = true
	}
	return false
}

// successive reports whether half or more of neighbouring characters
// follow each other up or down ("abcd", "9876"). In random hex about one
// pair in nine does, so the bar is high enough never to refuse one.
func successive(s string) bool {
	k := 0
	for i := 1; i < len(s); i++ {
		if d := int(s[i]) - int(s[i-1]); d == 1 || d == -1 {
			k++
		}
	}
	return len(s) > 1 && k*2 >= len(s)-1
}
