package gost

import (
	"math/big"
	"testing"
)

// The parsers and Verify take bytes from certificates, CRLs and CMS that
// anyone can send: they must never panic, whatever the input.

func fuzzCurve(sel byte) *Curve {
	curves := []*Curve{CurveTC26_512A, CurveTC26_256A, CurveCryptoProA, CurveTC26_512C}
	return curves[int(sel)%len(curves)]
}

func FuzzParsePublicKey(f *testing.F) {
	for _, tc := range ncaChain {
		f.Add(byte(0), readCert(f, tc.cert).Signature) // 128 bytes, mostly off-curve
	}
	f.Add(byte(1), make([]byte, 64))
	f.Fuzz(func(t *testing.T, sel byte, raw []byte) {
		c := fuzzCurve(sel)
		pub, err := ParsePublicKey(c, raw)
		if err != nil {
			return
		}
		if !c.onCurve(pub.X, pub.Y) || string(pub.Raw()) != string(raw) {
			t.Fatal("accepted key is off the curve or does not round-trip")
		}
	})
}

func FuzzParseSignature(f *testing.F) {
	f.Add(64, make([]byte, 128))
	f.Add(32, []byte{1, 2, 3})
	f.Add(-1, []byte{})
	f.Fuzz(func(t *testing.T, size int, b []byte) {
		if r, s, err := ParseSignatureRFC4491(size, b); err == nil {
			if string(SignatureRFC4491(size, r, s)) != string(b) {
				t.Fatal("RFC 4491 encoding does not round-trip")
			}
		}
		if r, s, err := ParseSignatureNCA(size, b); err == nil {
			if string(SignatureNCA(size, r, s)) != string(b) {
				t.Fatal("NCA encoding does not round-trip")
			}
		}
	})
}

func FuzzVerify(f *testing.F) {
	root := readCert(f, "root_test_gost_2022.cer")
	pub := ncaKey(f, root)
	f.Add(byte(0), pub.Raw(), digestOf(NewStreebog512, root.RawTBSCertificate), root.Signature)
	f.Add(byte(1), make([]byte, 64), []byte{}, make([]byte, 64))
	f.Fuzz(func(t *testing.T, sel byte, key, digest, sig []byte) {
		c := fuzzCurve(sel)
		if len(key) < 2 {
			return
		}
		// Verify must reject, not panic on, a key that was never parsed:
		// coordinates off the curve, negative or too large.
		half := len(key) / 2
		k := &PublicKey{Curve: c, X: new(big.Int).SetBytes(key[:half]), Y: new(big.Int).SetBytes(key[half:])}
		if sel&0x80 != 0 {
			k.X.Neg(k.X)
		}
		if r, s, err := ParseSignatureNCA(c.Size(), sig); err == nil {
			Verify(k, digest, r, s)
		}
		if p, err := ParsePublicKey(c, key); err == nil {
			r, s := new(big.Int).SetBytes(sig), new(big.Int).SetBytes(digest)
			Verify(p, digest, r, s)
			Verify(p, digest, new(big.Int).Neg(r), s)
		}
	})
}

// TestVerifyOddInputs covers the nil and out-of-range cases directly.
func TestVerifyOddInputs(t *testing.T) {
	root := readCert(t, "root_test_gost_2022.cer")
	pub := ncaKey(t, root)
	digest := digestOf(NewStreebog512, root.RawTBSCertificate)
	r, s, _ := ParseSignatureNCA(64, root.Signature)
	q := pub.Curve.Q
	cases := map[string]func() bool{
		"nil key":   func() bool { return Verify(nil, digest, r, s) },
		"nil curve": func() bool { return Verify(&PublicKey{X: pub.X, Y: pub.Y}, digest, r, s) },
		"nil r":     func() bool { return Verify(pub, digest, nil, s) },
		"r = q":     func() bool { return Verify(pub, digest, q, s) },
		"s = -s":    func() bool { return Verify(pub, digest, r, new(big.Int).Neg(s)) },
		"r + q":     func() bool { return Verify(pub, digest, new(big.Int).Add(r, q), s) },
		"key off curve": func() bool {
			return Verify(&PublicKey{Curve: pub.Curve, X: pub.X, Y: new(big.Int).Add(pub.Y, big.NewInt(1))}, digest, r, s)
		},
		"empty digest": func() bool { return Verify(pub, nil, r, s) },
		"empty curve": func() bool {
			return Verify(&PublicKey{Curve: &Curve{}, X: pub.X, Y: pub.Y}, digest, r, s)
		},
		"huge curve": func() bool {
			huge := new(big.Int).Lsh(pub.Curve.P, 8)
			huge.SetBit(huge, 0, 1)
			return Verify(&PublicKey{Curve: &Curve{P: huge, A: huge, B: huge, Q: huge, X: pub.X, Y: pub.Y}, X: pub.X, Y: pub.Y}, digest, r, s)
		},
	}
	for name, f := range cases {
		if f() {
			t.Errorf("%s verifies", name)
		}
	}
	if _, err := ParsePublicKey(nil, nil); err == nil {
		t.Error("nil curve parses")
	}
	if _, err := GenerateKey(&Curve{}, nil); err == nil {
		t.Error("key generated on an empty curve")
	}
	if _, err := NewPrivateKey(CurveTC26_512A, q); err == nil {
		t.Error("d = q accepted")
	}
	if _, err := NewPrivateKey(CurveTC26_512A, new(big.Int)); err == nil {
		t.Error("d = 0 accepted")
	}
}

// TestParsePublicKeySubgroup: on the curves with cofactor 4 a point can lie
// on the curve outside the subgroup of order Q; ParsePublicKey refuses it.
func TestParsePublicKeySubgroup(t *testing.T) {
	for _, c := range []*Curve{CurveTC26_256A, CurveTC26_512C} {
		t.Run(c.Name, func(t *testing.T) {
			c.init()
			if c.P.Bit(0) != 1 || c.P.Bit(1) != 1 {
				t.Fatal("p ≢ 3 (mod 4); the square root below needs it")
			}
			exp := new(big.Int).Add(c.P, big.NewInt(1))
			exp.Rsh(exp, 2)
			found := 0
			for x := big.NewInt(1); found < 2 && x.Cmp(big.NewInt(200)) < 0; x.Add(x, big.NewInt(1)) {
				rhs := new(big.Int).Mul(x, x)
				rhs.Add(rhs, c.A).Mul(rhs, x).Add(rhs, c.B).Mod(rhs, c.P)
				y := new(big.Int).Exp(rhs, exp, c.P)
				if !c.onCurve(x, y) {
					continue
				}
				p := c.affine(x, y)
				tab := c.table(&p)
				inSubgroup := c.isInfinity(ptr(c.scalarMult(&tab, c.scalarBytes(c.Q))))
				raw := (&PublicKey{Curve: c, X: x, Y: y}).Raw()
				_, err := ParsePublicKey(c, raw)
				if inSubgroup != (err == nil) {
					t.Fatalf("x=%d: in subgroup %v, ParsePublicKey error %v", x, inSubgroup, err)
				}
				if !inSubgroup {
					found++
				}
			}
			if found == 0 {
				t.Fatal("no point outside the subgroup found to test with")
			}
		})
	}
}

func ptr(p point) *point { return &p }
