package gost

import (
	"encoding/binary"
	"encoding/hex"
	"hash"
	"math/bits"
)

// sbox is a GOST 28147-89 substitution: eight 4-bit S-boxes, sbox[0]
// applied to the least significant nibble (K1 of RFC 4357 §11.2).
type sbox [8][16]byte

// sboxTest is id-GostR3411-94-TestParamSet (RFC 5831 §10; OID
// 1.2.643.2.2.30.0), the S-box of KZ GOST 34.311-95 in the NCA's
// certificates (their digest parameter is 1.2.398.3.10.1.3.1.1.0).
var sboxTest = sbox{
	{4, 10, 9, 2, 13, 8, 0, 14, 6, 11, 1, 12, 7, 15, 5, 3},
	{14, 11, 4, 12, 6, 13, 15, 10, 2, 3, 8, 1, 0, 7, 5, 9},
	{5, 8, 1, 13, 10, 3, 4, 2, 14, 15, 12, 7, 6, 0, 9, 11},
	{7, 13, 10, 1, 0, 8, 9, 15, 14, 4, 6, 12, 11, 2, 5, 3},
	{6, 12, 7, 1, 5, 15, 13, 8, 4, 10, 9, 14, 0, 3, 11, 2},
	{4, 11, 10, 0, 7, 2, 1, 13, 3, 6, 8, 5, 9, 12, 15, 14},
	{13, 11, 4, 1, 3, 15, 5, 9, 0, 10, 14, 7, 6, 8, 2, 12},
	{1, 15, 13, 0, 5, 7, 10, 4, 9, 2, 3, 14, 6, 11, 8, 12},
}

// sboxCryptoPro is id-GostR3411-94-CryptoProParamSet (RFC 4357 §11.2;
// OID 1.2.643.2.2.30.1), the default of OpenSSL's gost engine.
var sboxCryptoPro = sbox{
	{10, 4, 5, 6, 8, 1, 3, 7, 13, 12, 14, 0, 9, 2, 11, 15},
	{5, 15, 4, 0, 2, 13, 11, 9, 1, 7, 6, 3, 12, 14, 10, 8},
	{7, 15, 12, 14, 9, 4, 1, 0, 3, 11, 5, 2, 6, 10, 8, 13},
	{4, 10, 7, 12, 0, 15, 2, 8, 14, 1, 6, 5, 13, 11, 9, 3},
	{7, 6, 4, 11, 9, 12, 2, 10, 1, 8, 0, 14, 15, 13, 3, 5},
	{7, 6, 2, 4, 13, 9, 15, 0, 10, 1, 5, 11, 8, 14, 12, 3},
	{13, 14, 4, 1, 7, 0, 5, 10, 3, 12, 8, 15, 6, 2, 9, 11},
	{1, 3, 10, 9, 5, 11, 4, 15, 8, 6, 7, 14, 13, 0, 2, 12},
}

// gost28147 holds the S-box folded with the 11-bit rotation: four tables,
// one per byte of the 32-bit round input.
type gost28147 [4][256]uint32

func newGost28147(s *sbox) *gost28147 {
	var t gost28147
	for b := 0; b < 4; b++ {
		for x := 0; x < 256; x++ {
			v := uint32(s[2*b][x&15]) | uint32(s[2*b+1][x>>4])<<4
			t[b][x] = bits.RotateLeft32(v<<(8*b), 11)
		}
	}
	return &t
}

func (t *gost28147) f(x uint32) uint32 {
	return t[0][byte(x)] ^ t[1][byte(x>>8)] ^ t[2][byte(x>>16)] ^ t[3][byte(x>>24)]
}

// encrypt enciphers one 64-bit block (little-endian: N1 is bytes 0..3) in
// the simple substitution mode of GOST 28147-89 under the 256-bit key.
func (t *gost28147) encrypt(key *[32]byte, dst, src []byte) {
	var k [8]uint32
	for i := range k {
		k[i] = binary.LittleEndian.Uint32(key[4*i:])
	}
	n1 := binary.LittleEndian.Uint32(src[0:])
	n2 := binary.LittleEndian.Uint32(src[4:])
	for i := 0; i < 32; i++ {
		j := i & 7
		if i >= 24 {
			j = 7 - j
		}
		n1, n2 = n2^t.f(n1+k[j]), n1
	}
	binary.LittleEndian.PutUint32(dst[0:], n2)
	binary.LittleEndian.PutUint32(dst[4:], n1)
}

var (
	cipherTest      = newGost28147(&sboxTest)
	cipherCryptoPro = newGost28147(&sboxCryptoPro)
	gost94C3        = func() (c [32]byte) {
		be, _ := hex.DecodeString("ff00ffff000000ffff0000ff00ffff0000ff00ff00ff00ffff00ff00ff00ff00")
		for i := range c {
			c[i] = be[31-i]
		}
		return c
	}()
)

// gost94A is the transformation A of GOST R 34.11-94 (RFC 5831 §6.1) on a
// little-endian 256-bit value y4‖y3‖y2‖y1: (y1⊕y2)‖y4‖y3‖y2.
func gost94A(y [32]byte) (z [32]byte) {
	copy(z[0:24], y[8:32])
	for i := 0; i < 8; i++ {
		z[24+i] = y[i] ^ y[8+i]
	}
	return z
}

// gost94P is the byte permutation P: out[i+4k] = in[8i+k].
func gost94P(y [32]byte) (z [32]byte) {
	for i := 0; i < 4; i++ {
		for k := 0; k < 8; k++ {
			z[i+4*k] = y[8*i+k]
		}
	}
	return z
}

// psiWords is the shuffle ψ on sixteen 16-bit words y16‖…‖y1 (w[0] is
// y1): (y1⊕y2⊕y3⊕y4⊕y13⊕y16)‖y16‖…‖y2, applied times times.
func psiWords(w *[16]uint16, times int) {
	for ; times > 0; times-- {
		top := w[0] ^ w[1] ^ w[2] ^ w[3] ^ w[12] ^ w[15]
		copy(w[:15], w[1:])
		w[15] = top
	}
}

func toWords(b *[32]byte) (w [16]uint16) {
	for i := range w {
		w[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return w
}

// gost94Step is the step function f(H, M) of RFC 5831 §6.
func gost94Step(c *gost28147, h *[32]byte, m *[32]byte) {
	u, v := *h, *m
	var keys [4][32]byte
	for j := 0; j < 4; j++ {
		if j > 0 {
			u = gost94A(u)
			if j == 2 {
				for i := range u {
					u[i] ^= gost94C3[i]
				}
			}
			v = gost94A(gost94A(v))
		}
		var w [32]byte
		for i := range w {
			w[i] = u[i] ^ v[i]
		}
		keys[j] = gost94P(w)
	}
	var s [32]byte
	for j := 0; j < 4; j++ {
		c.encrypt(&keys[j], s[8*j:8*j+8], h[8*j:8*j+8])
	}
	w, mw, hw := toWords(&s), toWords(m), toWords(h)
	psiWords(&w, 12)
	for i := range w {
		w[i] ^= mw[i]
	}
	psiWords(&w, 1)
	for i := range w {
		w[i] ^= hw[i]
	}
	psiWords(&w, 61)
	for i := range w {
		binary.LittleEndian.PutUint16(h[2*i:], w[i])
	}
}

// add256 sets a = a + b mod 2^256 (little-endian bytes).
func add256(a *[32]byte, b *[32]byte) {
	var carry uint16
	for i := range a {
		s := uint16(a[i]) + uint16(b[i]) + carry
		a[i] = byte(s)
		carry = s >> 8
	}
}

// gost94 is the streaming GOST R 34.11-94 state.
type gost94 struct {
	c      *gost28147
	h, sum [32]byte
	length uint64 // message length in bytes
	buf    [32]byte
	nbuf   int
}

// New341194 returns a GOST R 34.11-94 hash (RFC 5831) with the test
// parameter set id-GostR3411-94-TestParamSet (1.2.643.2.2.30.0), which is
// KZ GOST 34.311-95 as the NCA uses it (digest parameter
// 1.2.398.3.10.1.3.1.1.0 in its certificates). Sum appends the 32-byte
// digest in the little-endian byte order OpenSSL's gost engine prints.
func New341194() hash.Hash { return &gost94{c: cipherTest} }

// New341194CryptoPro returns GOST R 34.11-94 with
// id-GostR3411-94-CryptoProParamSet (1.2.643.2.2.30.1), the variant
// OpenSSL's `md_gost94` computes.
func New341194CryptoPro() hash.Hash { return &gost94{c: cipherCryptoPro} }

func (g *gost94) Size() int      { return 32 }
func (g *gost94) BlockSize() int { return 32 }

func (g *gost94) Reset() {
	*g = gost94{c: g.c}
}

func (g *gost94) block(b []byte) {
	var m [32]byte
	copy(m[:], b)
	gost94Step(g.c, &g.h, &m)
	add256(&g.sum, &m)
}

func (g *gost94) Write(p []byte) (int, error) {
	total := len(p)
	g.length += uint64(total)
	if g.nbuf > 0 {
		c := copy(g.buf[g.nbuf:], p)
		g.nbuf += c
		p = p[c:]
		if g.nbuf < 32 {
			return total, nil
		}
		g.block(g.buf[:])
		g.nbuf = 0
	}
	for len(p) >= 32 {
		g.block(p[:32])
		p = p[32:]
	}
	g.nbuf = copy(g.buf[:], p)
	return total, nil
}

func (g *gost94) Sum(in []byte) []byte {
	d := *g
	if d.nbuf > 0 {
		var m [32]byte
		copy(m[:], d.buf[:d.nbuf])
		gost94Step(d.c, &d.h, &m)
		add256(&d.sum, &m)
	}
	var l [32]byte
	binary.LittleEndian.PutUint64(l[:], d.length<<3)
	binary.LittleEndian.PutUint64(l[8:], d.length>>61)
	gost94Step(d.c, &d.h, &l)
	gost94Step(d.c, &d.h, &d.sum)
	return append(in, d.h[:]...)
}
