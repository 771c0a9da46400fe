// Package iin validates Kazakhstan's individual and business identification
// numbers (IIN and BIN).
//
// Both are twelve digits whose last digit is a check digit. The check digit is
// the weighted sum of the first eleven digits modulo 11, first with the weights
// 1..11 and, when that gives 10, again with the weights 3..11,1,2. When the
// second pass also gives 10 the number is never issued: it is invalid, and it
// does not map to a check digit of 0.
//
// The birth date and sex encoded in an IIN are not decoded here: Government
// Resolution No. 853 of 2013 decoupled them from the person, so the
// authoritative birth date always comes from the persons registry and
// nothing may decide on the digits.
package iin

import (
	"errors"
	"fmt"
	"time"
)

// Errors returned by Validate. They are sentinel values so callers can tell
// the cause apart with errors.Is.
var (
	ErrLength      = errors.New("must be exactly 12 digits")
	ErrNotDigits   = errors.New("must contain only digits 0-9")
	ErrCheckDigit  = errors.New("check digit does not match")
	ErrNeverIssued = errors.New("check digit is undefined (both weight passes give 10): never issued")
)

var (
	weights1 = [11]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	weights2 = [11]int{3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2}
)

// CheckDigit computes the check digit for the first eleven digits of s. It
// returns ok=false when both weight passes give 10, which means no number with
// these eleven digits is ever issued. s must hold at least eleven ASCII digits.
func CheckDigit(s string) (digit int, ok bool) {
	sum := func(w [11]int) int {
		t := 0
		for i := range 11 {
			t += int(s[i]-'0') * w[i]
		}
		return t % 11
	}
	if d := sum(weights1); d != 10 {
		return d, true
	}
	if d := sum(weights2); d != 10 {
		return d, true
	}
	return 0, false
}

// Validate reports whether s is a well-formed IIN or BIN: twelve ASCII digits
// whose last digit is the check digit. It returns one of the package's
// sentinel errors, wrapped with no extra context, or nil.
func Validate(s string) error {
	if len(s) != 12 {
		return ErrLength
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return ErrNotDigits
		}
	}
	d, ok := CheckDigit(s)
	if !ok {
		return ErrNeverIssued
	}
	if int(s[11]-'0') != d {
		return ErrCheckDigit
	}
	return nil
}

// Valid reports whether Validate(s) returns nil.
func Valid(s string) bool { return Validate(s) == nil }

// Complete returns the twelve-digit number made of the eleven digits in
// prefix and their check digit. It fails when prefix is not eleven digits or
// when no check digit exists for it. Generators of synthetic registries use it.
func Complete(prefix string) (string, error) {
	if len(prefix) != 11 {
		return "", fmt.Errorf("iin: prefix must be 11 digits, got %d", len(prefix))
	}
	for i := range 11 {
		if prefix[i] < '0' || prefix[i] > '9' {
			return "", ErrNotDigits
		}
	}
	d, ok := CheckDigit(prefix)
	if !ok {
		return "", ErrNeverIssued
	}
	return prefix + string(rune('0'+d)), nil
}

// BirthDate decodes the birth date (YYMMDD, the century from the seventh
// digit) an IIN suggests. It is a hint only — the persons registry is
// authoritative, and since 2013 the encoded values need not match it — so
// nothing may be decided by it. ok is false when s is not a valid IIN or
// its digits do not form a date (a BIN, or a number issued after the
// decoupling).
func BirthDate(s string) (d time.Time, ok bool) {
	if !Valid(s) {
		return time.Time{}, false
	}
	var century int
	switch s[6] {
	case '1', '2':
		century = 1800
	case '3', '4':
		century = 1900
	case '5', '6':
		century = 2000
	default:
		return time.Time{}, false
	}
	yy := int(s[0]-'0')*10 + int(s[1]-'0')
	mm := int(s[2]-'0')*10 + int(s[3]-'0')
	dd := int(s[4]-'0')*10 + int(s[5]-'0')
	d = time.Date(century+yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if d.Year() != century+yy || int(d.Month()) != mm || d.Day() != dd {
		return time.Time{}, false
	}
	return d, true
}
