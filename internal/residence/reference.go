package residence

import (
	"context"
	"strings"
)

// crockford is Crockford's base32 alphabet: digits and letters without I,
// L, O and U, so a reference read aloud or typed from a phone is not
// mistaken (an O typed is read as 0, an I or L as 1).
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// Reference returns the short reference of an application: the last ten
// hex digits of its id (40 of the random bits of a UUIDv7) in Crockford
// base32, as two groups of four ("7K3M-9QXT"). The id stays the
// application's identifier; the reference is for people — short enough to
// read from a phone or over the counter — and an operator finds the
// application by it (Service.FindByReference). It is derived, not stored,
// so every application has one; two applications in a million share one
// with a chance of about one in two million, and the search then lists
// both. An id that is not a UUID has no reference ("").
func Reference(id string) string {
	if len(id) != 36 {
		return ""
	}
	var v uint64
	for _, c := range id[26:] {
		d := strings.IndexRune("0123456789abcdef", c)
		if d < 0 {
			return ""
		}
		v = v<<4 | uint64(d)
	}
	var b [9]byte
	for i := 8; i >= 0; i-- {
		if i == 4 {
			b[i] = '-'
			continue
		}
		b[i] = crockford[v&31]
		v >>= 5
	}
	return string(b[:])
}

// ReferenceSuffix returns the end of the id a reference stands for (the
// last ten hex digits), accepting what a person types: any case, spaces or
// dashes anywhere, O for 0 and I or L for 1. ok is false when s is not a
// reference.
func ReferenceSuffix(s string) (suffix string, ok bool) {
	var v uint64
	n := 0
	for _, c := range strings.ToUpper(s) {
		switch c {
		case ' ', '-':
			continue
		case 'O':
			c = '0'
		case 'I', 'L':
			c = '1'
		}
		d := strings.IndexRune(crockford, c)
		if d < 0 || n == 8 {
			return "", false
		}
		v = v<<5 | uint64(d)
		n++
	}
	if n != 8 {
		return "", false
	}
	const hexd = "0123456789abcdef"
	var b [10]byte
	for i := 9; i >= 0; i-- {
		b[i] = hexd[v&15]
		v >>= 4
	}
	return string(b[:]), true
}

// FindByReference returns the applications with the short reference ref
// (see Reference; usually one, newest first, at most 20), for staff at a
// service centre whom a person gives the reference. The applicants and
// subjects found see the read in their access logs. Errors:
// unauthenticated, forbidden, invalid (ref is not a reference, field "ref").
func (s *Service) FindByReference(ctx context.Context, actor Actor, ref string) ([]Application, error) {
	if actor.Role == "" {
		return nil, unauthenticated()
	}
	if !actor.IsStaff() {
		return nil, forbidden()
	}
	suffix, ok := ReferenceSuffix(ref)
	if !ok {
		return nil, &Error{Code: EInvalid, Field: "ref", Text: textBadReference}
	}
	var out []Application
	err := s.store.View(ctx, func(r Reader) error {
		var err error
		out, err = r.ApplicationsByReference(ctx, suffix, 20)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.staffApplications(ctx, actor, out)
}

var textBadReference = Text{
	KK: "Өтініштің қысқа нөмірі сызықшамен бөлінген 4+4 таңбадан тұрады, мысалы 7K3M-9QXT.",
	RU: "Короткий номер заявления — это 4+4 знака через дефис, например 7K3M-9QXT.",
	EN: "A reference is 4 and 4 characters with a dash between them, such as 7K3M-9QXT.",
}
