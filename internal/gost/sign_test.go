package gost

import (
	"crypto/rand"
	"math/big"
	"testing"
)

var allCurves = []*Curve{CurveTC26_256A, CurveTC26_512A, CurveTC26_512B, CurveTC26_512C,
	CurveCryptoProA, CurveCryptoProB, CurveCryptoProC, CurveCryptoProXchA, CurveCryptoProXchB,
	curveTest2001, curveTest512}

// TestCurveParameters checks every parameter set for internal consistency,
// which a mistyped digit breaks: G is on the curve and [Q]G = O.
func TestCurveParameters(t *testing.T) {
	for _, c := range allCurves {
		t.Run(c.Name, func(t *testing.T) {
			c.init()
			if !c.P.ProbablyPrime(20) || !c.Q.ProbablyPrime(20) {
				t.Fatal("P or Q not prime")
			}
			if !c.onCurve(c.X, c.Y) {
				t.Fatal("G not on the curve")
			}
			if r := c.scalarMult(&c.gTable, c.scalarBytes(c.Q)); !c.isInfinity(&r) {
				t.Fatal("[Q]G != O")
			}
			if r := c.scalarBaseMult(c.scalarBytes(c.Q)); !c.isInfinity(&r) {
				t.Fatal("[Q]G != O (comb)")
			}
			if r := c.scalarMult(&c.gTable, c.scalarBytes(new(big.Int).Sub(c.Q, big.NewInt(1)))); c.isInfinity(&r) {
				t.Fatal("[Q-1]G = O")
			}
			if c.Size() != 32 && c.Size() != 64 {
				t.Fatalf("size %d", c.Size())
			}
		})
	}
}

func TestRFCExamples(t *testing.T) {
	tests := []struct {
		name                  string
		c                     *Curve
		d, qx, qy, e, k, r, s string
	}{
		{"RFC 5832 §7 / RFC 7091 A.1 (256)", curveTest2001,
			"7A929ADE789BB9BE10ED359DD39A72C11B60961F49397EEE1D19CE9891EC3B28",
			"7F2B49E270DB6D90D8595BEC458B50C58585BA1D4E9B788F6689DBD8E56FD80B",
			"26F1B489D6701DD185C8413A977B3CBBAF64D1C593D26627DFFB101A87FF77DA",
			"2DFBC1B372D89A1188C09C52E0EEC61FCE52032AB1022E8E67ECE6672B043EE5",
			"77105C9B20BCD3122823C8CF6FCC7B956DE33814E95B7FE64FED924594DCEAB3",
			"41AA28D2F1AB148280CD9ED56FEDA41974053554A42767B83AD043FD39DC0493",
			"01456C64BA4642A1653C235A98A60249BCD6D3F746B631DF928014F6C5BF9C40"},
		{"RFC 7091 A.2 (512)", curveTest512,
			"0BA6048AADAE241BA40936D47756D7C93091A0E8514669700EE7508E508B102072E8123B2200A0563322DAD2827E2714A2636B7BFD18AADFC62967821FA18DD4",
			"115DC5BC96760C7B48598D8AB9E740D4C4A85A65BE33C1815B5C320C854621DD5A515856D13314AF69BC5B924C8B4DDFF75C45415C1D9DD9DD33612CD530EFE1",
			"37C7C90CD40B0F5621DC3AC1B751CFA0E2634FA0503B3D52639F5D7FB72AFD61EA199441D943FFE7F0C70A2759A3CDB84C114E1F9339FDF27F35ECA93677BEEC",
			"3754F3CFACC9E0615C4F4A7C4D8DAB531B09B6F9C170C533A71D147035B0C5917184EE536593F4414339976C647C5D5A407ADEDB1D560C4FC6777D2972075B8C",
			"0359E7F4B1410FEACC570456C6801496946312120B39D019D455986E364F365886748ED7A44B3E794434006011842286212273A6D14CF70EA3AF71BB1AE679F1",
			"2F86FA60A081091A23DD795E1E3C689EE512A3C82EE0DCC2643C78EEA8FCACD35492558486B20F1C9EC197C90699850260C93BCBCD9C5C3317E19344E173AE36",
			"1081B394696FFE8E6585E7A9362D26B6325F56778AADBC081C0BFBE933D52FF5823CE288E8C4F362526080DF7F70CE406A6EEB1F56919CB92A9853BDE73E5B4A"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			priv, err := NewPrivateKey(tt.c, mustBig(tt.d))
			if err != nil {
				t.Fatal(err)
			}
			if priv.X.Cmp(mustBig(tt.qx)) != 0 || priv.Y.Cmp(mustBig(tt.qy)) != 0 {
				t.Fatalf("Q = (%X, %X)", priv.X, priv.Y)
			}
			e, r, s := mustBig(tt.e), mustBig(tt.r), mustBig(tt.s)
			gr, gs, ok := signWithK(priv, e, mustBig(tt.k))
			if !ok || gr.Cmp(r) != 0 || gs.Cmp(s) != 0 {
				t.Fatalf("sign: r=%X s=%X", gr, gs)
			}
			if !VerifyInt(&priv.PublicKey, e, r, s) {
				t.Fatal("the standard's signature does not verify")
			}
			one := big.NewInt(1)
			for name, bad := range map[string][3]*big.Int{
				"e+1": {new(big.Int).Add(e, one), r, s},
				"r+1": {e, new(big.Int).Add(r, one), s},
				"s+1": {e, r, new(big.Int).Add(s, one)},
				"r=0": {e, new(big.Int), s},
				"s=q": {e, r, tt.c.Q},
			} {
				if VerifyInt(&priv.PublicKey, bad[0], bad[1], bad[2]) {
					t.Errorf("%s verifies", name)
				}
			}
		})
	}
}

func TestSignVerifyRoundTrip(t *testing.T) {
	for _, c := range allCurves {
		t.Run(c.Name, func(t *testing.T) {
			priv, err := GenerateKey(c, rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			pub, err := ParsePublicKey(c, priv.Raw())
			if err != nil {
				t.Fatal(err)
			}
			digest := make([]byte, c.Size())
			rand.Read(digest)
			r, s, err := Sign(rand.Reader, priv, digest)
			if err != nil {
				t.Fatal(err)
			}
			if !Verify(pub, digest, r, s) {
				t.Fatal("own signature does not verify")
			}
			digest[0] ^= 1
			if Verify(pub, digest, r, s) {
				t.Fatal("signature verifies for another digest")
			}
			digest[0] ^= 1
			for name, enc := range map[string]struct {
				enc   func(int, *big.Int, *big.Int) []byte
				parse func(int, []byte) (*big.Int, *big.Int, error)
			}{"rfc4491": {SignatureRFC4491, ParseSignatureRFC4491}, "nca": {SignatureNCA, ParseSignatureNCA}} {
				b := enc.enc(c.Size(), r, s)
				r2, s2, err := enc.parse(c.Size(), b)
				if err != nil || r2.Cmp(r) != 0 || s2.Cmp(s) != 0 {
					t.Fatalf("%s encoding does not round-trip", name)
				}
			}
			rfc, nca := SignatureRFC4491(c.Size(), r, s), SignatureNCA(c.Size(), r, s)
			for i := range rfc {
				if rfc[i] != nca[len(nca)-1-i] {
					t.Fatal("NCA encoding is not the byte reversal of RFC 4491's")
				}
			}
		})
	}
}

// SignatureRFC4491 encodes (r, s) as RFC 4491 §2.2.2 does: BE(s)‖BE(r),
// each size bytes (the curve's Size). Only the tests encode this form:
// the service reads it (ParseSignatureRFC4491) and writes the NCA's.
func SignatureRFC4491(size int, r, s *big.Int) []byte {
	out := make([]byte, 2*size)
	s.FillBytes(out[:size])
	r.FillBytes(out[size:])
	return out
}
