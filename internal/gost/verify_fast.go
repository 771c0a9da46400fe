package gost

import "math/big"

// Variable-time arithmetic for verification, where every input is public:
// Jacobian coordinates (x = X/Z², y = Y/Z³), width-w NAF scalars, a
// precomputed table of odd multiples of the base point in affine form, and
// a = -3 doubling where the curve allows it.

// jpoint is a point in Jacobian coordinates, Montgomery form; Z = 0 is
// the point at infinity.
type jpoint struct{ x, y, z fe }

// apoint is an affine point in Montgomery form (never infinity).
type apoint struct{ x, y fe }

const (
	wG = 7 // NAF width for the base point (table of 2^(wG-2) = 32 points)
	wQ = 5 // NAF width for the public key (8 points, built per call)
)

// verifyInit precomputes what verification needs on c.
func (c *Curve) verifyInit() {
	c.vOnce.Do(func() {
		c.init()
		am3 := new(big.Int).Sub(c.P, big.NewInt(3))
		c.aIsMinus3 = new(big.Int).Mod(c.A, c.P).Cmp(am3) == 0
		// Odd multiples G, 3G, …, (2^(wG-1)-1)G with the complete formulas,
		// then to affine.
		n := 1 << (wG - 2)
		c.gOdd = make([]apoint, n)
		var g2 point
		c.add(&g2, &c.g, &c.g)
		cur := c.g
		for i := 0; i < n; i++ {
			x, y := c.toAffine(&cur)
			c.gOdd[i] = apoint{x: c.f.toMont(x), y: c.f.toMont(y)}
			c.add(&cur, &cur, &g2)
		}
	})
}

func (c *Curve) jdouble(r, p *jpoint) {
	f := c.f
	if c.aIsMinus3 {
		// dbl-2001-b: 3M + 5S.
		var delta, gamma, beta, alpha, t, u fe
		f.sqr(&delta, &p.z)
		f.sqr(&gamma, &p.y)
		f.mul(&beta, &p.x, &gamma)
		f.sub(&t, &p.x, &delta)
		f.add(&u, &p.x, &delta)
		f.mul(&alpha, &t, &u)
		f.add(&t, &alpha, &alpha)
		f.add(&alpha, &t, &alpha) // alpha = 3(X-δ)(X+δ)
		var x3, y3, z3, b4, b8 fe
		f.add(&b4, &beta, &beta)
		f.add(&b4, &b4, &b4)
		f.add(&b8, &b4, &b4)
		f.sqr(&x3, &alpha)
		f.sub(&x3, &x3, &b8)
		f.add(&z3, &p.y, &p.z)
		f.sqr(&z3, &z3)
		f.sub(&z3, &z3, &gamma)
		f.sub(&z3, &z3, &delta)
		f.sub(&t, &b4, &x3)
		f.mul(&y3, &alpha, &t)
		f.sqr(&u, &gamma)
		f.add(&u, &u, &u)
		f.add(&u, &u, &u)
		f.add(&u, &u, &u)
		f.sub(&y3, &y3, &u)
		r.x, r.y, r.z = x3, y3, z3
		return
	}
	// dbl-2007-bl: 1M + 8S + 1·a.
	var xx, yy, yyyy, zz, s, m, t, x3, y3, z3 fe
	f.sqr(&xx, &p.x)
	f.sqr(&yy, &p.y)
	f.sqr(&yyyy, &yy)
	f.sqr(&zz, &p.z)
	f.add(&s, &p.x, &yy)
	f.sqr(&s, &s)
	f.sub(&s, &s, &xx)
	f.sub(&s, &s, &yyyy)
	f.add(&s, &s, &s)
	f.sqr(&t, &zz)
	f.mul(&m, &c.a, &t)
	f.add(&m, &m, &xx)
	f.add(&m, &m, &xx)
	f.add(&m, &m, &xx)
	f.sqr(&x3, &m)
	f.sub(&x3, &x3, &s)
	f.sub(&x3, &x3, &s)
	f.sub(&t, &s, &x3)
	f.mul(&y3, &m, &t)
	f.add(&t, &yyyy, &yyyy)
	f.add(&t, &t, &t)
	f.add(&t, &t, &t)
	f.sub(&y3, &y3, &t)
	f.add(&z3, &p.y, &p.z)
	f.sqr(&z3, &z3)
	f.sub(&z3, &z3, &yy)
	f.sub(&z3, &z3, &zz)
	r.x, r.y, r.z = x3, y3, z3
}

// jaddAffine sets r = p + q for affine q (madd-2007-bl), handling the
// exceptional cases by branching (public values only).
func (c *Curve) jaddAffine(r, p *jpoint, q *apoint) {
	f := c.f
	if f.isZero(&p.z) {
		r.x, r.y, r.z = q.x, q.y, f.one
		return
	}
	var z1z1, u2, s2, h, hh, i, j, rr, v fe
	f.sqr(&z1z1, &p.z)
	f.mul(&u2, &q.x, &z1z1)
	f.mul(&s2, &q.y, &p.z)
	f.mul(&s2, &s2, &z1z1)
	f.sub(&h, &u2, &p.x)
	f.sub(&rr, &s2, &p.y)
	if f.isZero(&h) {
		if f.isZero(&rr) {
			c.jdouble(r, p)
		} else {
			*r = jpoint{}
		}
		return
	}
	f.add(&rr, &rr, &rr)
	f.sqr(&hh, &h)
	f.add(&i, &hh, &hh)
	f.add(&i, &i, &i)
	f.mul(&j, &h, &i)
	f.mul(&v, &p.x, &i)
	var x3, y3, z3, t fe
	f.sqr(&x3, &rr)
	f.sub(&x3, &x3, &j)
	f.sub(&x3, &x3, &v)
	f.sub(&x3, &x3, &v)
	f.sub(&t, &v, &x3)
	f.mul(&y3, &rr, &t)
	f.mul(&t, &p.y, &j)
	f.add(&t, &t, &t)
	f.sub(&y3, &y3, &t)
	f.add(&z3, &p.z, &h)
	f.sqr(&z3, &z3)
	f.sub(&z3, &z3, &z1z1)
	f.sub(&z3, &z3, &hh)
	r.x, r.y, r.z = x3, y3, z3
}

// jadd sets r = p + q (add-2007-bl) with the exceptional cases handled by
// branching (public values only).
func (c *Curve) jadd(r, p, q *jpoint) {
	f := c.f
	if f.isZero(&p.z) {
		*r = *q
		return
	}
	if f.isZero(&q.z) {
		*r = *p
		return
	}
	var z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v fe
	f.sqr(&z1z1, &p.z)
	f.sqr(&z2z2, &q.z)
	f.mul(&u1, &p.x, &z2z2)
	f.mul(&u2, &q.x, &z1z1)
	f.mul(&s1, &p.y, &q.z)
	f.mul(&s1, &s1, &z2z2)
	f.mul(&s2, &q.y, &p.z)
	f.mul(&s2, &s2, &z1z1)
	f.sub(&h, &u2, &u1)
	f.sub(&rr, &s2, &s1)
	if f.isZero(&h) {
		if f.isZero(&rr) {
			c.jdouble(r, p)
		} else {
			*r = jpoint{}
		}
		return
	}
	f.add(&rr, &rr, &rr)
	f.add(&i, &h, &h)
	f.sqr(&i, &i)
	f.mul(&j, &h, &i)
	f.mul(&v, &u1, &i)
	var x3, y3, z3, t fe
	f.sqr(&x3, &rr)
	f.sub(&x3, &x3, &j)
	f.sub(&x3, &x3, &v)
	f.sub(&x3, &x3, &v)
	f.sub(&t, &v, &x3)
	f.mul(&y3, &rr, &t)
	f.mul(&t, &s1, &j)
	f.add(&t, &t, &t)
	f.sub(&y3, &y3, &t)
	f.add(&z3, &p.z, &q.z)
	f.sqr(&z3, &z3)
	f.sub(&z3, &z3, &z1z1)
	f.sub(&z3, &z3, &z2z2)
	f.mul(&z3, &z3, &h)
	r.x, r.y, r.z = x3, y3, z3
}

// wnaf returns the width-w NAF of k >= 0, least significant digit first.
func wnaf(k *big.Int, w uint) []int8 {
	d := new(big.Int).Set(k)
	out := make([]int8, 0, d.BitLen()+1)
	mod := int64(1) << w
	half := mod >> 1
	low := new(big.Int)
	for d.Sign() > 0 {
		var digit int64
		if d.Bit(0) == 1 {
			digit = low.And(d, big.NewInt(mod-1)).Int64()
			if digit >= half {
				digit -= mod
			}
			d.Sub(d, big.NewInt(digit))
		}
		out = append(out, int8(digit))
		d.Rsh(d, 1)
	}
	return out
}

// mulBaseAndPoint returns [a]G + [b]Q (Q affine, public) in Jacobian form.
func (c *Curve) mulBaseAndPoint(a, b *big.Int, qx, qy *big.Int) jpoint {
	f := c.f
	q := jpoint{x: f.toMont(qx), y: f.toMont(qy), z: f.one}
	// Odd multiples Q, 3Q, …, 15Q.
	var qOdd [1 << (wQ - 2)]jpoint
	var q2 jpoint
	c.jdouble(&q2, &q)
	qOdd[0] = q
	for i := 1; i < len(qOdd); i++ {
		c.jadd(&qOdd[i], &qOdd[i-1], &q2)
	}
	na, nb := wnaf(a, wG), wnaf(b, wQ)
	n := len(na)
	if len(nb) > n {
		n = len(nb)
	}
	var r jpoint
	for i := n - 1; i >= 0; i-- {
		c.jdouble(&r, &r)
		if i < len(na) && na[i] != 0 {
			d := na[i]
			if d > 0 {
				c.jaddAffine(&r, &r, &c.gOdd[d/2])
			} else {
				neg := c.gOdd[(-d)/2]
				var zero fe
				f.sub(&neg.y, &zero, &neg.y)
				c.jaddAffine(&r, &r, &neg)
			}
		}
		if i < len(nb) && nb[i] != 0 {
			d := nb[i]
			if d > 0 {
				c.jadd(&r, &r, &qOdd[d/2])
			} else {
				neg := qOdd[(-d)/2]
				var zero fe
				f.sub(&neg.y, &zero, &neg.y)
				c.jadd(&r, &r, &neg)
			}
		}
	}
	return r
}
