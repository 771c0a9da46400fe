package gost

// Code for fixed limb counts; the generic versions in field.go stay as
// the reference the tests compare against.

import "math/bits"

func (f *field) add4(z, x, y *fe) {
	const n = 4
	var t, r [n]uint64
	var c, b uint64
	for j := 0; j < n; j++ {
		t[j], c = bits.Add64(x[j], y[j], c)
	}
	p := &f.p
	for j := 0; j < n; j++ {
		r[j], b = bits.Sub64(t[j], p[j], b)
	}
	_, b = bits.Sub64(c, 0, b)
	mask := -b
	for j := 0; j < n; j++ {
		z[j] = (t[j] & mask) | (r[j] &^ mask)
	}
}

func (f *field) sub4(z, x, y *fe) {
	const n = 4
	var t [n]uint64
	var b uint64
	for j := 0; j < n; j++ {
		t[j], b = bits.Sub64(x[j], y[j], b)
	}
	mask := -b
	p := &f.p
	var c uint64
	for j := 0; j < n; j++ {
		z[j], c = bits.Add64(t[j], p[j]&mask, c)
	}
}

// mul8 is mul for 8-limb fields, with constant loop bounds so the
// compiler drops the bounds checks.
func (f *field) mul8(z, x, y *fe) {
	const n = 8
	var t [n + 2]uint64
	p := &f.p
	for i := 0; i < n; i++ {
		yi := y[i]
		var c uint64
		for j := 0; j < n; j++ {
			hi, lo := bits.Mul64(x[j], yi)
			var cc uint64
			lo, cc = bits.Add64(lo, t[j], 0)
			hi += cc
			lo, cc = bits.Add64(lo, c, 0)
			hi += cc
			t[j], c = lo, hi
		}
		var cc uint64
		t[n], cc = bits.Add64(t[n], c, 0)
		t[n+1] = cc

		m := t[0] * f.pinv
		hi, lo := bits.Mul64(m, p[0])
		_, cc = bits.Add64(lo, t[0], 0)
		c = hi + cc
		for j := 1; j < n; j++ {
			hi, lo := bits.Mul64(m, p[j])
			lo, cc = bits.Add64(lo, t[j], 0)
			hi += cc
			lo, cc = bits.Add64(lo, c, 0)
			hi += cc
			t[j-1], c = lo, hi
		}
		t[n-1], cc = bits.Add64(t[n], c, 0)
		t[n] = t[n+1] + cc
	}
	var r [n]uint64
	var b uint64
	for j := 0; j < n; j++ {
		r[j], b = bits.Sub64(t[j], p[j], b)
	}
	_, b = bits.Sub64(t[n], 0, b)
	mask := -b
	for j := 0; j < n; j++ {
		z[j] = (t[j] & mask) | (r[j] &^ mask)
	}
}

func (f *field) add8(z, x, y *fe) {
	const n = 8
	var t, r [n]uint64
	var c, b uint64
	for j := 0; j < n; j++ {
		t[j], c = bits.Add64(x[j], y[j], c)
	}
	p := &f.p
	for j := 0; j < n; j++ {
		r[j], b = bits.Sub64(t[j], p[j], b)
	}
	_, b = bits.Sub64(c, 0, b)
	mask := -b
	for j := 0; j < n; j++ {
		z[j] = (t[j] & mask) | (r[j] &^ mask)
	}
}

func (f *field) sub8(z, x, y *fe) {
	const n = 8
	var t [n]uint64
	var b uint64
	for j := 0; j < n; j++ {
		t[j], b = bits.Sub64(x[j], y[j], b)
	}
	mask := -b
	p := &f.p
	var c uint64
	for j := 0; j < n; j++ {
		z[j], c = bits.Add64(t[j], p[j]&mask, c)
	}
}

// mulPM8 multiplies in a field with p = 2^(64·8) - c, c < 2^32, in plain
// (not Montgomery) form: the 2n-limb product H·2^(64n) + L is folded as
// L + c·H twice, then reduced below p once, all without branches.
func (f *field) mulPM8(z, x, y *fe) {
	const n = 8
	var t [2 * n]uint64
	for i := 0; i < n; i++ {
		xi := x[i]
		var carry uint64
		for j := 0; j < n; j++ {
			hi, lo := bits.Mul64(xi, y[j])
			var cc uint64
			lo, cc = bits.Add64(lo, t[i+j], 0)
			hi += cc
			lo, cc = bits.Add64(lo, carry, 0)
			hi += cc
			t[i+j], carry = lo, hi
		}
		t[i+n] = carry
	}
	f.reducePM8(z, &t)
}

// reducePM8 sets z = t mod p for a 16-limb t, p = 2^512 - c.
func (f *field) reducePM8(z *fe, t *[16]uint64) {
	const n = 8
	c := f.c
	var r [n]uint64
	var carry uint64
	for j := 0; j < n; j++ {
		hi, lo := bits.Mul64(t[n+j], c)
		var cc uint64
		lo, cc = bits.Add64(lo, t[j], 0)
		hi += cc
		lo, cc = bits.Add64(lo, carry, 0)
		hi += cc
		r[j], carry = lo, hi
	}
	// carry·2^(64n) ≡ carry·c; carry <= c, so carry·c < 2^64.
	var cc uint64
	r[0], cc = bits.Add64(r[0], carry*c, 0)
	for j := 1; j < n; j++ {
		r[j], cc = bits.Add64(r[j], 0, cc)
	}
	// A wrap past 2^(64n) is worth c more; r is small then, so no new wrap.
	r[0], cc = bits.Add64(r[0], c&-cc, 0)
	for j := 1; j < n; j++ {
		r[j], cc = bits.Add64(r[j], 0, cc)
	}
	// r < 2^(64n); subtract p = 2^(64n) - c once if r >= p, i.e. if r + c
	// carries out.
	var s [n]uint64
	s[0], cc = bits.Add64(r[0], c, 0)
	for j := 1; j < n; j++ {
		s[j], cc = bits.Add64(r[j], 0, cc)
	}
	mask := -cc
	for j := 0; j < n; j++ {
		z[j] = (s[j] & mask) | (r[j] &^ mask)
	}
}

// sqrPM8 is mulPM8(z, x, x) with the 28 cross products computed once and
// doubled.
func (f *field) sqrPM8(z, x *fe) {
	const n = 8
	var t [2 * n]uint64
	// Cross products x[i]·x[j], i < j.
	for i := 0; i < n-1; i++ {
		xi := x[i]
		var carry uint64
		for j := i + 1; j < n; j++ {
			hi, lo := bits.Mul64(xi, x[j])
			var cc uint64
			lo, cc = bits.Add64(lo, t[i+j], 0)
			hi += cc
			lo, cc = bits.Add64(lo, carry, 0)
			hi += cc
			t[i+j], carry = lo, hi
		}
		t[i+n] = carry
	}
	// Double them.
	var top uint64
	for j := 0; j < 2*n; j++ {
		v := t[j]
		t[j] = v<<1 | top
		top = v >> 63
	}
	// Add the squares x[i]² at position 2i.
	var cc uint64
	for i := 0; i < n; i++ {
		hi, lo := bits.Mul64(x[i], x[i])
		t[2*i], cc = bits.Add64(t[2*i], lo, cc)
		t[2*i+1], cc = bits.Add64(t[2*i+1], hi, cc)
	}
	f.reducePM8(z, &t)
}
