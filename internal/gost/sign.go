package gost

import (
	"errors"
	"io"
	"math/big"
)

// PublicKey is a GOST R 34.10 public key: the point (X, Y) on Curve.
type PublicKey struct {
	Curve *Curve
	X, Y  *big.Int
}

// PrivateKey is a GOST R 34.10 signing key: the scalar D, 0 < D < Q, and
// its public point.
type PrivateKey struct {
	PublicKey
	D *big.Int
}

var (
	errBadScalar = errors.New("gost: private scalar out of range")
	errBadPoint  = errors.New("gost: public key is not a point of the curve's group")
	errBadLength = errors.New("gost: wrong encoding length")
	errNilCurve  = errors.New("gost: no usable curve")
)

// GenerateKey returns a new key on c with D drawn uniformly from [1, Q-1]
// by rejection sampling from rand.
func GenerateKey(c *Curve, rand io.Reader) (*PrivateKey, error) {
	if !c.usable() {
		return nil, errNilCurve
	}
	d, err := randScalar(c, rand)
	if err != nil {
		return nil, err
	}
	return NewPrivateKey(c, d)
}

// randScalar draws k uniformly from [1, Q-1].
func randScalar(c *Curve, rand io.Reader) (*big.Int, error) {
	c.init()
	bitLen := c.Q.BitLen()
	buf := make([]byte, (bitLen+7)/8)
	for i := 0; i < 1000; i++ {
		if _, err := io.ReadFull(rand, buf); err != nil {
			return nil, err
		}
		if extra := len(buf)*8 - bitLen; extra > 0 {
			buf[0] &= 0xff >> extra
		}
		k := new(big.Int).SetBytes(buf)
		if k.Sign() > 0 && k.Cmp(c.Q) < 0 {
			return k, nil
		}
	}
	return nil, errors.New("gost: random source keeps failing")
}

// NewPrivateKey returns the key with scalar d on c, computing the public
// point [d]G. It fails unless 0 < d < Q.
func NewPrivateKey(c *Curve, d *big.Int) (*PrivateKey, error) {
	if !c.usable() {
		return nil, errNilCurve
	}
	c.init()
	if d == nil || d.Sign() <= 0 || d.Cmp(c.Q) >= 0 {
		return nil, errBadScalar
	}
	p := c.scalarBaseMult(c.scalarBytes(d))
	x, y := c.toAffine(&p)
	return &PrivateKey{PublicKey: PublicKey{Curve: c, X: x, Y: y}, D: new(big.Int).Set(d)}, nil
}

// leToInt reads b as a little-endian unsigned integer.
func leToInt(b []byte) *big.Int {
	r := make([]byte, len(b))
	for i := range b {
		r[len(b)-1-i] = b[i]
	}
	return new(big.Int).SetBytes(r)
}

// intToLE writes 0 <= v < 2^(8*size) as size little-endian bytes.
func intToLE(v *big.Int, size int) []byte {
	b := make([]byte, size)
	v.FillBytes(b)
	for i, j := 0, size-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return b
}

// ParsePublicKey reads a public key encoded as LE(X)‖LE(Y), each
// coordinate c.Size() bytes: the content of the OCTET STRING that a
// certificate's subjectPublicKey BIT STRING holds (RFC 4491 §2.3.2), as the
// NCA writes it too. It checks that the point lies on the curve and, on
// curves with a cofactor, in the subgroup of order Q.
func ParsePublicKey(c *Curve, raw []byte) (*PublicKey, error) {
	if !c.usable() {
		return nil, errNilCurve
	}
	c.init()
	if len(raw) != 2*c.size {
		return nil, errBadLength
	}
	x := leToInt(raw[:c.size])
	y := leToInt(raw[c.size:])
	if x.Cmp(c.P) >= 0 || y.Cmp(c.P) >= 0 || !c.onCurve(x, y) {
		return nil, errBadPoint
	}
	if c.cofactor != 1 {
		p := c.affine(x, y)
		t := c.table(&p)
		if r := c.scalarMult(&t, c.scalarBytes(c.Q)); !c.isInfinity(&r) {
			return nil, errBadPoint
		}
	}
	return &PublicKey{Curve: c, X: x, Y: y}, nil
}

// Raw returns the key as LE(X)‖LE(Y), the inverse of ParsePublicKey.
func (k *PublicKey) Raw() []byte {
	size := k.Curve.Size()
	if size == 0 || k.X == nil || k.Y == nil {
		return nil
	}
	return append(intToLE(k.X, size), intToLE(k.Y, size)...)
}

// digestToInt turns a digest as Sum returns it into α (little-endian, as
// RFC 4491 and OpenSSL's gost engine read it) and then into e = α mod Q,
// or 1 if that is 0 (GOST R 34.10-2012 §6.1 step 2).
func digestToE(c *Curve, alpha *big.Int) *big.Int {
	e := new(big.Int).Mod(alpha, c.Q)
	if e.Sign() == 0 {
		e.SetInt64(1)
	}
	return e
}

// Verify reports whether (r, s) is a valid GOST R 34.10-2012 (or -2001)
// signature of digest by pub. digest is the hash output exactly as Sum
// returns it; it is read as a little-endian integer α. Verify never
// panics on any input: a nil or malformed key or out-of-range r, s just
// make it false.
func Verify(pub *PublicKey, digest []byte, r, s *big.Int) bool {
	return VerifyInt(pub, leToInt(digest), r, s)
}

// VerifyInt is Verify with α given as an integer, the form in which the
// standard's own examples state it.
func VerifyInt(pub *PublicKey, alpha *big.Int, r, s *big.Int) bool {
	if pub == nil || !pub.Curve.usable() || pub.X == nil || pub.Y == nil || alpha == nil || r == nil || s == nil {
		return false
	}
	c := pub.Curve
	c.init()
	if r.Sign() <= 0 || r.Cmp(c.Q) >= 0 || s.Sign() <= 0 || s.Cmp(c.Q) >= 0 {
		return false
	}
	if pub.X.Sign() < 0 || pub.Y.Sign() < 0 || pub.X.Cmp(c.P) >= 0 || pub.Y.Cmp(c.P) >= 0 || !c.onCurve(pub.X, pub.Y) {
		return false
	}
	e := digestToE(c, alpha)
	v := new(big.Int).ModInverse(e, c.Q)
	z1 := new(big.Int).Mul(s, v)
	z1.Mod(z1, c.Q)
	z2 := new(big.Int).Mul(r, v)
	z2.Neg(z2).Mod(z2, c.Q)

	c.verifyInit()
	p := c.mulBaseAndPoint(z1, z2, pub.X, pub.Y)
	if c.f.isZero(&p.z) {
		return false
	}
	// x(C) mod Q == r  ⟺  X == x'·Z² for some x' ≡ r (mod Q), 0 <= x' < P:
	// this avoids an inversion.
	var zz fe
	c.f.sqr(&zz, &p.z)
	for cand := new(big.Int).Set(r); cand.Cmp(c.P) < 0; cand.Add(cand, c.Q) {
		cm := c.f.toMont(cand)
		var t fe
		c.f.mul(&t, &cm, &zz)
		if c.f.equal(&t, &p.x) {
			return true
		}
	}
	return false
}

// Sign signs digest (the hash output exactly as Sum returns it, read
// little-endian as in Verify) with priv, drawing the nonce k from rand.
func Sign(rand io.Reader, priv *PrivateKey, digest []byte) (r, s *big.Int, err error) {
	if priv == nil || !priv.Curve.usable() || priv.D == nil {
		return nil, nil, errBadScalar
	}
	c := priv.Curve
	c.init()
	if priv.D.Sign() <= 0 || priv.D.Cmp(c.Q) >= 0 {
		return nil, nil, errBadScalar
	}
	e := digestToE(c, leToInt(digest))
	for {
		k, err := randScalar(c, rand)
		if err != nil {
			return nil, nil, err
		}
		r, s, ok := signWithK(priv, e, k)
		if ok {
			return r, s, nil
		}
	}
}

// signWithK computes the signature for e (already reduced, non-zero) with
// the nonce k; ok is false when r or s comes out 0 and k must be redrawn.
// [k]G uses the constant-time scalarBaseMult and s = r·d + k·e mod Q the
// constant-time Montgomery arithmetic modulo Q.
func signWithK(priv *PrivateKey, e, k *big.Int) (r, s *big.Int, ok bool) {
	c := priv.Curve
	c.init()
	p := c.scalarBaseMult(c.scalarBytes(k))
	x, _ := c.toAffine(&p)
	r = x.Mod(x, c.Q)
	if r.Sign() == 0 {
		return nil, nil, false
	}
	sf := c.sf
	rm, dm, km, em := sf.toMont(r), sf.toMont(priv.D), sf.toMont(k), sf.toMont(e)
	var rd, ke fe
	sf.mul(&rd, &rm, &dm)
	sf.mul(&ke, &km, &em)
	sf.add(&rd, &rd, &ke)
	s = sf.toBig(&rd)
	if s.Sign() == 0 {
		return nil, nil, false
	}
	return r, s, true
}

// ParseSignatureRFC4491 decodes BE(s)‖BE(r); b must be 2·size bytes.
func ParseSignatureRFC4491(size int, b []byte) (r, s *big.Int, err error) {
	if size <= 0 || len(b) != 2*size {
		return nil, nil, errBadLength
	}
	return new(big.Int).SetBytes(b[size:]), new(big.Int).SetBytes(b[:size]), nil
}

// SignatureNCA encodes (r, s) as the NCA of Kazakhstan writes signature
// values in its certificates, CRLs and CMS: the exact byte reversal of
// RFC 4491's BE(s)‖BE(r), that is LE(r)‖LE(s).
func SignatureNCA(size int, r, s *big.Int) []byte {
	return append(intToLE(r, size), intToLE(s, size)...)
}

// ParseSignatureNCA decodes LE(r)‖LE(s); b must be 2·size bytes.
func ParseSignatureNCA(size int, b []byte) (r, s *big.Int, err error) {
	if size <= 0 || len(b) != 2*size {
		return nil, nil, errBadLength
	}
	return leToInt(b[:size]), leToInt(b[size:]), nil
}
