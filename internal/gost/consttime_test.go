package gost

import (
	"math/big"
	"testing"
)

// TestSecretScalarFixedSequence checks that key generation's and
// signing's use of a secret scalar (the nonce k, the key d) runs the same
// number of field operations whatever the scalar: no window is skipped,
// no early exit is taken. Together with the branch-free field code and the
// constant-time table reads this is what "constant time" means here (see
// the package doc for what math/big still does with the scalar).
func TestSecretScalarFixedSequence(t *testing.T) {
	for _, c := range []*Curve{CurveTC26_512A, CurveTC26_512B, CurveTC26_256A, CurveCryptoProA} {
		t.Run(c.Name, func(t *testing.T) {
			c.combInit() // the one-time table is not part of the count
			one := big.NewInt(1)
			scalars := []*big.Int{
				one, big.NewInt(2), big.NewInt(15), big.NewInt(16),
				new(big.Int).Sub(c.Q, one),
				new(big.Int).Lsh(one, uint(c.Q.BitLen()-1)),
				new(big.Int).Rsh(c.Q, 3),
				mustBig("123456789ABCDEF"),
			}
			priv, err := NewPrivateKey(c, mustBig("1F"))
			if err != nil {
				t.Fatal(err)
			}
			e := mustBig("0102030405060708")
			counts := map[string]int{}
			for i, k := range scalars {
				var n int
				opCount = &n
				c.scalarMult(&c.gTable, c.scalarBytes(k))
				c.scalarBaseMult(c.scalarBytes(k))
				mult := n
				n = 0
				if _, _, ok := signWithK(priv, e, k); !ok {
					t.Fatal("sign failed")
				}
				sign := n
				n = 0
				if _, err := NewPrivateKey(c, k); err != nil {
					t.Fatal(err)
				}
				keygen := n
				opCount = nil
				if i == 0 {
					counts["mult"], counts["sign"], counts["keygen"] = mult, sign, keygen
					continue
				}
				if mult != counts["mult"] || sign != counts["sign"] || keygen != counts["keygen"] {
					t.Fatalf("k=%x: %d/%d/%d field operations, k=1: %v", k, mult, sign, keygen, counts)
				}
			}
			t.Cleanup(func() { opCount = nil })
		})
	}
}
