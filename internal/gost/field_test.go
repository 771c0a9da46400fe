package gost

import (
	"math/big"
	"math/rand/v2"
	"testing"
)

// fieldValues returns values that stress carries and the final
// subtraction: 0, 1, 2, p-1, p-2, 2^64-1, 2^(64k) and random ones.
func fieldValues(p *big.Int, rng *rand.Rand) []*big.Int {
	one := big.NewInt(1)
	vs := []*big.Int{new(big.Int), big.NewInt(1), big.NewInt(2),
		new(big.Int).Sub(p, one), new(big.Int).Sub(p, big.NewInt(2)),
		new(big.Int).SetUint64(^uint64(0)), new(big.Int).Rsh(p, 1)}
	for k := 1; 64*k < p.BitLen(); k++ {
		vs = append(vs, new(big.Int).Lsh(one, uint(64*k)), new(big.Int).Sub(new(big.Int).Lsh(one, uint(64*k)), one))
	}
	buf := make([]byte, (p.BitLen()+7)/8)
	for i := 0; i < 40; i++ {
		for j := range buf {
			buf[j] = byte(rng.Uint32())
		}
		vs = append(vs, new(big.Int).Mod(new(big.Int).SetBytes(buf), p))
	}
	return vs
}

// TestFieldAgainstBig compares the Montgomery arithmetic (fixed-limb and
// generic) with math/big on every curve's p and q.
func TestFieldAgainstBig(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, c := range allCurves {
		for _, m := range []*big.Int{c.P, c.Q} {
			f := newField(m)
			vs := fieldValues(m, rng)
			for _, x := range vs {
				for _, y := range vs[:20] {
					xm, ym := f.toMont(x), f.toMont(y)
					var z, zg fe
					check := func(op string, want *big.Int) {
						t.Helper()
						want.Mod(want, m)
						if got := f.toBig(&z); got.Cmp(want) != 0 {
							t.Fatalf("%s %s: %x %x = %x, want %x", c.Name, op, x, y, got, want)
						}
						if got := f.toBig(&zg); got.Cmp(want) != 0 {
							t.Fatalf("%s generic %s: %x %x = %x, want %x", c.Name, op, x, y, got, want)
						}
					}
					f.mul(&z, &xm, &ym)
					// The generic Montgomery code is the reference for every
					// field, including the plain-form pseudo-Mersenne ones.
					mf := newMontField(m)
					xmm, ymm := mf.toMont(x), mf.toMont(y)
					mf.mulGeneric(&zg, &xmm, &ymm)
					zg = f.toMont(mf.toBig(&zg))
					check("mul", new(big.Int).Mul(x, y))
					if !f.pm {
						switch f.n {
						case 4:
							f.mul4(&z, &xm, &ym)
							check("mul loop", new(big.Int).Mul(x, y))
						case 8:
							f.mul8(&z, &xm, &ym)
							check("mul loop", new(big.Int).Mul(x, y))
						}
					}
					f.sqr(&z, &xm)
					zg = f.toMont(new(big.Int).Mod(new(big.Int).Mul(x, x), m))
					check("sqr", new(big.Int).Mul(x, x))
					f.add(&z, &xm, &ym)
					f.addGeneric(&zg, &xm, &ym)
					check("add", new(big.Int).Add(x, y))
					f.sub(&z, &xm, &ym)
					f.subGeneric(&zg, &xm, &ym)
					check("sub", new(big.Int).Sub(x, y))
				}
				if x.Sign() != 0 {
					xm := f.toMont(x)
					var z fe
					f.inv(&z, &xm)
					if got := f.toBig(&z); got.Cmp(new(big.Int).ModInverse(x, m)) != 0 {
						t.Fatalf("%s inv %x", c.Name, x)
					}
				}
			}
		}
	}
}

// TestPointArithmetic checks the complete (constant-time) formulas
// against the Jacobian (verification) ones and both against math/big
// scalar arithmetic: [a]G + [b]Q computed both ways, doubling, P + (-P).
func TestPointArithmetic(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, c := range allCurves {
		t.Run(c.Name, func(t *testing.T) {
			c.verifyInit()
			buf := make([]byte, c.Size())
			randScalarT := func() *big.Int {
				for j := range buf {
					buf[j] = byte(rng.Uint32())
				}
				return new(big.Int).Mod(new(big.Int).SetBytes(buf), c.Q)
			}
			for i := 0; i < 8; i++ {
				a, b, d := randScalarT(), randScalarT(), randScalarT()
				if i == 0 {
					a, b = big.NewInt(1), big.NewInt(1) // G + G through the exceptional path
					d = big.NewInt(1)
				}
				if i == 1 {
					// [a]G + [b]Q with Q = G and b = q - a: the sum is O.
					d = big.NewInt(1)
					b = new(big.Int).Sub(c.Q, a)
				}
				if d.Sign() == 0 {
					continue
				}
				priv, err := NewPrivateKey(c, d)
				if err != nil {
					t.Fatal(err)
				}
				j := c.mulBaseAndPoint(a, b, priv.X, priv.Y)
				want := new(big.Int).Mul(b, d)
				want.Add(want, a).Mod(want, c.Q)
				if want.Sign() == 0 {
					if !c.f.isZero(&j.z) {
						t.Fatal("expected infinity")
					}
					continue
				}
				p := c.scalarMult(&c.gTable, c.scalarBytes(want))
				wx, wy := c.toAffine(&p)
				pb := c.scalarBaseMult(c.scalarBytes(want))
				if bx, by := c.toAffine(&pb); bx.Cmp(wx) != 0 || by.Cmp(wy) != 0 {
					t.Fatal("fixed-base comb and window multiplication differ")
				}
				var zi, zi2, zi3, x, y fe
				c.f.inv(&zi, &j.z)
				c.f.sqr(&zi2, &zi)
				c.f.mul(&zi3, &zi2, &zi)
				c.f.mul(&x, &j.x, &zi2)
				c.f.mul(&y, &j.y, &zi3)
				if c.f.toBig(&x).Cmp(wx) != 0 || c.f.toBig(&y).Cmp(wy) != 0 {
					t.Fatalf("[%x]G + [%x]Q differs", a, b)
				}
				if !c.onCurve(wx, wy) {
					t.Fatal("result off the curve")
				}
			}
		})
	}
}

func TestWNAF(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	for i := 0; i < 200; i++ {
		k := new(big.Int).SetUint64(rng.Uint64())
		k.Lsh(k, uint(rng.IntN(200))).Add(k, big.NewInt(int64(rng.IntN(1000))))
		for _, w := range []uint{wG, wQ} {
			sum := new(big.Int)
			for i := len(wnaf(k, w)) - 1; i >= 0; i-- {
				d := wnaf(k, w)[i]
				sum.Lsh(sum, 1).Add(sum, big.NewInt(int64(d)))
				if d != 0 && (d%2 == 0 || d >= 1<<(w-1) || d <= -(1<<(w-1))) {
					t.Fatalf("bad digit %d", d)
				}
			}
			if sum.Cmp(k) != 0 {
				t.Fatalf("wnaf(%x) sums to %x", k, sum)
			}
		}
	}
}
