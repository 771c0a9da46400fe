package gost

import (
	"encoding/binary"
	"encoding/hex"
	"hash"
)

// streebogLPS holds the composition of the substitution π, the byte
// transposition τ and the linear map ℓ of RFC 6986 §5 as eight tables, one
// per input byte position within a 64-bit word: the word i of LPS(x) is the
// XOR over b of streebogLPS[b][byte i of word b of x].
var streebogLPS [8][256]uint64

// streebogC are the iteration constants as little-endian 64-bit words.
var streebogC [12][8]uint64

func init() {
	for b := 0; b < 8; b++ {
		for x := 0; x < 256; x++ {
			v := streebogPi[x]
			var w uint64
			for m := 0; m < 8; m++ {
				if v&(1<<m) != 0 {
					w ^= streebogA[63-(8*b+m)]
				}
			}
			streebogLPS[b][x] = w
		}
	}
	for i, s := range streebogCHex {
		be, err := hex.DecodeString(s)
		if err != nil || len(be) != 64 {
			panic("gost: bad Streebog constant")
		}
		var le [64]byte
		for j := range le {
			le[j] = be[63-j]
		}
		for j := 0; j < 8; j++ {
			streebogC[i][j] = binary.LittleEndian.Uint64(le[8*j:])
		}
	}
}

// lpsx sets y = LPS(a ⊕ b); y may alias a or b.
func lpsx(y, a, b *[8]uint64) {
	x0, x1, x2, x3 := a[0]^b[0], a[1]^b[1], a[2]^b[2], a[3]^b[3]
	x4, x5, x6, x7 := a[4]^b[4], a[5]^b[5], a[6]^b[6], a[7]^b[7]
	t0, t1, t2, t3 := &streebogLPS[0], &streebogLPS[1], &streebogLPS[2], &streebogLPS[3]
	t4, t5, t6, t7 := &streebogLPS[4], &streebogLPS[5], &streebogLPS[6], &streebogLPS[7]
	for i := 0; i < 8; i++ {
		sh := uint(8 * i)
		y[i] = t0[byte(x0>>sh)] ^ t1[byte(x1>>sh)] ^ t2[byte(x2>>sh)] ^ t3[byte(x3>>sh)] ^
			t4[byte(x4>>sh)] ^ t5[byte(x5>>sh)] ^ t6[byte(x6>>sh)] ^ t7[byte(x7>>sh)]
	}
}

// streebogG is the compression function g_N(h, m) of RFC 6986 §7:
// E(LPS(h ⊕ N), m) ⊕ h ⊕ m, with E(K, m) = X[K13]LPSX[K12]…LPSX[K1](m).
func streebogG(h *[8]uint64, n *[8]uint64, m *[8]uint64) {
	var k, st [8]uint64
	lpsx(&k, h, n)
	lpsx(&st, &k, m)
	for r := 0; r < 11; r++ {
		lpsx(&k, &k, &streebogC[r])
		lpsx(&st, &st, &k)
	}
	lpsx(&k, &k, &streebogC[11])
	for i := range h {
		h[i] ^= st[i] ^ k[i] ^ m[i]
	}
}

// add512 sets a = a + b mod 2^512 (little-endian words).
func add512(a *[8]uint64, b *[8]uint64) {
	var carry uint64
	for i := 0; i < 8; i++ {
		s := a[i] + b[i]
		c1 := uint64(0)
		if s < a[i] {
			c1 = 1
		}
		s2 := s + carry
		if s2 < s {
			c1 = 1
		}
		a[i] = s2
		carry = c1
	}
}

// streebog is the streaming GOST R 34.11-2012 state.
type streebog struct {
	size int // digest size in bytes: 32 or 64
	h    [8]uint64
	n    [8]uint64
	sum  [8]uint64
	buf  [64]byte
	nbuf int
}

// NewStreebog256 returns a GOST R 34.11-2012 hash with a 256-bit digest
// (RFC 6986). Sum appends the digest in the byte order of the hash's
// internal little-endian state, the order `openssl dgst -streebog256`
// prints and the order RFC 4491 and the NCA put into signatures and CMS.
func NewStreebog256() hash.Hash { s := &streebog{size: 32}; s.Reset(); return s }

// NewStreebog512 returns a GOST R 34.11-2012 hash with a 512-bit digest;
// see NewStreebog256 for the byte order.
func NewStreebog512() hash.Hash { s := &streebog{size: 64}; s.Reset(); return s }

func (s *streebog) Size() int      { return s.size }
func (s *streebog) BlockSize() int { return 64 }

func (s *streebog) Reset() {
	iv := uint64(0)
	if s.size == 32 {
		iv = 0x0101010101010101
	}
	for i := range s.h {
		s.h[i] = iv
	}
	s.n = [8]uint64{}
	s.sum = [8]uint64{}
	s.nbuf = 0
}

var streebog512Bits = [8]uint64{512}

func (s *streebog) block(b []byte) {
	var m [8]uint64
	for i := range m {
		m[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	streebogG(&s.h, &s.n, &m)
	add512(&s.n, &streebog512Bits)
	add512(&s.sum, &m)
}

func (s *streebog) Write(p []byte) (int, error) {
	total := len(p)
	if s.nbuf > 0 {
		c := copy(s.buf[s.nbuf:], p)
		s.nbuf += c
		p = p[c:]
		if s.nbuf < 64 {
			return total, nil
		}
		s.block(s.buf[:])
		s.nbuf = 0
	}
	for len(p) >= 64 {
		s.block(p[:64])
		p = p[64:]
	}
	s.nbuf = copy(s.buf[:], p)
	return total, nil
}

func (s *streebog) Sum(in []byte) []byte {
	d := *s // finalise a copy so the caller can keep writing
	var last [64]byte
	copy(last[:], d.buf[:d.nbuf])
	last[d.nbuf] = 1
	var m [8]uint64
	for i := range m {
		m[i] = binary.LittleEndian.Uint64(last[8*i:])
	}
	streebogG(&d.h, &d.n, &m)
	bits := [8]uint64{uint64(d.nbuf) * 8}
	add512(&d.n, &bits)
	add512(&d.sum, &m)
	var zero [8]uint64
	streebogG(&d.h, &zero, &d.n)
	streebogG(&d.h, &zero, &d.sum)
	var out [64]byte
	for i := range d.h {
		binary.LittleEndian.PutUint64(out[8*i:], d.h[i])
	}
	return append(in, out[64-d.size:]...)
}
