package gost

import (
	"math/big"
	"math/bits"
)

// maxLimbs is the number of 64-bit limbs of the largest field (512 bits).
const maxLimbs = 8

// fe is an element of a prime field in Montgomery form, little-endian
// limbs; only the first field.n limbs are used.
type fe [maxLimbs]uint64

// field is arithmetic modulo an odd prime p < 2^(64n) in Montgomery form
// (R = 2^(64n)). Every operation runs in time that depends only on n, not
// on the values: no branch or memory index depends on an operand.
type field struct {
	n    int
	p    fe
	pinv uint64 // -p^-1 mod 2^64
	r2   fe     // R^2 mod p (plain form)
	one  fe     // R mod p, i.e. 1 in Montgomery form
	pm2  []byte // p - 2, big-endian, for inversion by Fermat
	// pm is set when p = 2^512 - c with c < 2^32 (the TC26 512-bit A and
	// C curves): elements are then kept in plain form and multiplied with
	// a cheap special reduction. (For 256-bit p the unrolled Montgomery
	// code is faster.)
	pm bool
	c  uint64
	P  *big.Int
}

func newField(p *big.Int) *field {
	f := newMontField(p)
	r := new(big.Int).Lsh(big.NewInt(1), uint(64*f.n))
	if c := new(big.Int).Sub(r, p); f.n == 8 && c.Sign() > 0 && c.BitLen() <= 32 {
		f.pm, f.c = true, c.Uint64()
		f.one = fe{1}
	}
	return f
}

// newMontField returns the field in Montgomery form whatever p is.
func newMontField(p *big.Int) *field {
	n := (p.BitLen() + 63) / 64
	f := &field{n: n, P: new(big.Int).Set(p)}
	f.p = feFromBig(n, p)
	// Newton iteration for p^-1 mod 2^64.
	inv := uint64(1)
	for i := 0; i < 6; i++ {
		inv *= 2 - f.p[0]*inv
	}
	f.pinv = -inv
	r := new(big.Int).Lsh(big.NewInt(1), uint(64*n))
	f.one = feFromBig(n, new(big.Int).Mod(r, p))
	f.r2 = feFromBig(n, new(big.Int).Mod(new(big.Int).Mul(r, r), p))
	f.pm2 = new(big.Int).Sub(p, big.NewInt(2)).Bytes()
	return f
}

// feFromBig returns the limbs of 0 <= x < 2^(64n) (not converted).
func feFromBig(n int, x *big.Int) (z fe) {
	var buf [8 * maxLimbs]byte
	x.FillBytes(buf[:8*n])
	for i := 0; i < n; i++ {
		for j := 0; j < 8; j++ {
			z[i] |= uint64(buf[8*n-1-(8*i+j)]) << (8 * j)
		}
	}
	return z
}

// toMont returns x (0 <= x < p) in Montgomery form.
func (f *field) toMont(x *big.Int) fe {
	a := feFromBig(f.n, x)
	if f.pm {
		return a
	}
	var z fe
	f.mul(&z, &a, &f.r2)
	return z
}

// toBig returns the plain value of Montgomery-form x.
func (f *field) toBig(x *fe) *big.Int {
	var one, z fe
	one[0] = 1
	if f.pm {
		z = *x
	} else {
		f.mul(&z, x, &one)
	}
	var buf [8 * maxLimbs]byte
	n := f.n
	for i := 0; i < n; i++ {
		for j := 0; j < 8; j++ {
			buf[8*n-1-(8*i+j)] = byte(z[i] >> (8 * j))
		}
	}
	return new(big.Int).SetBytes(buf[:8*n])
}

// opCount, when set (by tests only), counts the field multiplications,
// additions and subtractions, so that a test can check that an operation
// on a secret performs the same sequence of them for every secret.
var opCount *int

// mul sets z = x*y/R mod p (CIOS Montgomery multiplication).
func (f *field) mul(z, x, y *fe) {
	if opCount != nil {
		*opCount++
	}
	switch {
	case f.pm && f.n == 8:
		f.mulPM8(z, x, y)
	case f.n == 4:
		f.mul4Unrolled(z, x, y)
	case f.n == 8:
		f.mul8(z, x, y)
	default:
		f.mulGeneric(z, x, y)
	}
}

func (f *field) mulGeneric(z, x, y *fe) {
	n := f.n
	var t [maxLimbs + 2]uint64
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
		hi, lo := bits.Mul64(m, f.p[0])
		_, cc = bits.Add64(lo, t[0], 0)
		c = hi + cc
		for j := 1; j < n; j++ {
			hi, lo := bits.Mul64(m, f.p[j])
			lo, cc = bits.Add64(lo, t[j], 0)
			hi += cc
			lo, cc = bits.Add64(lo, c, 0)
			hi += cc
			t[j-1], c = lo, hi
		}
		t[n-1], cc = bits.Add64(t[n], c, 0)
		t[n] = t[n+1] + cc
	}
	f.reduceOnce(z, &t)
}

// reduceOnce sets z = t - p if t >= p else t, for t < 2p held in n+1 limbs.
func (f *field) reduceOnce(z *fe, t *[maxLimbs + 2]uint64) {
	n := f.n
	var r fe
	var b uint64
	for j := 0; j < n; j++ {
		r[j], b = bits.Sub64(t[j], f.p[j], b)
	}
	_, b = bits.Sub64(t[n], 0, b)
	mask := -b // all ones when t < p
	for j := 0; j < n; j++ {
		z[j] = (t[j] & mask) | (r[j] &^ mask)
	}
}

func (f *field) sqr(z, x *fe) {
	if f.pm {
		if opCount != nil {
			*opCount++
		}
		f.sqrPM8(z, x)
		return
	}
	f.mul(z, x, x)
}

// add sets z = x + y mod p.
func (f *field) add(z, x, y *fe) {
	if opCount != nil {
		*opCount++
	}
	switch f.n {
	case 4:
		f.add4(z, x, y)
	case 8:
		f.add8(z, x, y)
	default:
		f.addGeneric(z, x, y)
	}
}

func (f *field) addGeneric(z, x, y *fe) {
	n := f.n
	var t [maxLimbs + 2]uint64
	var c uint64
	for j := 0; j < n; j++ {
		t[j], c = bits.Add64(x[j], y[j], c)
	}
	t[n] = c
	f.reduceOnce(z, &t)
}

// sub sets z = x - y mod p.
func (f *field) sub(z, x, y *fe) {
	if opCount != nil {
		*opCount++
	}
	switch f.n {
	case 4:
		f.sub4(z, x, y)
	case 8:
		f.sub8(z, x, y)
	default:
		f.subGeneric(z, x, y)
	}
}

func (f *field) subGeneric(z, x, y *fe) {
	n := f.n
	var t fe
	var b uint64
	for j := 0; j < n; j++ {
		t[j], b = bits.Sub64(x[j], y[j], b)
	}
	mask := -b // add p back when it borrowed
	var c uint64
	for j := 0; j < n; j++ {
		z[j], c = bits.Add64(t[j], f.p[j]&mask, c)
	}
}

// inv sets z = x^-1 mod p (z = 0 for x = 0) by Fermat: x^(p-2), a fixed
// sequence of operations for a given p.
func (f *field) inv(z, x *fe) {
	r := f.one
	base := *x
	for _, byt := range f.pm2 {
		for i := 7; i >= 0; i-- {
			f.sqr(&r, &r)
			var t fe
			f.mul(&t, &r, &base)
			// p is public, so branching on its bits leaks nothing secret.
			if byt>>uint(i)&1 == 1 {
				r = t
			}
		}
	}
	*z = r
}

// isZero reports whether x == 0 (as a mask-free bool; callers use it on
// public values only).
func (f *field) isZero(x *fe) bool {
	var acc uint64
	for j := 0; j < f.n; j++ {
		acc |= x[j]
	}
	return acc == 0
}

func (f *field) equal(x, y *fe) bool {
	var acc uint64
	for j := 0; j < f.n; j++ {
		acc |= x[j] ^ y[j]
	}
	return acc == 0
}

// feSelect sets z = a if bit == 1 else z unchanged, without branching.
func feSelect(z, a *fe, bit uint64) {
	mask := -bit
	for j := range z {
		z[j] = (z[j] &^ mask) | (a[j] & mask)
	}
}
