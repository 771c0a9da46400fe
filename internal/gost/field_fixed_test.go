package gost

import "math/bits"

// mul4 is mul for 4-limb fields in loop form: the reference that
// mul4Unrolled, which the service runs, must equal (TestFieldAgainstBig).
func (f *field) mul4(z, x, y *fe) {
	const n = 4
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
