package gost

import (
	"bytes"
	"encoding/hex"
	"hash"
	"math/rand/v2"
	"strings"
	"testing"
)

func hexRev(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return b
}

func TestHashVectors(t *testing.T) {
	// RFC 6986 §10 writes messages and digests most significant byte
	// first; hexRev turns them into the byte strings a caller hashes and
	// Sum returns. M1 is "012345678901234567890123456789012345678901234567890123456789012".
	m1 := hexRev("323130393837363534333231303938373635343332313039383736353433323130393837363534333231303938373635343332313039383736353433323130")
	m2 := hexRev("fbe2e5f0eee3c820fbeafaebef20fffbf0e1e0f0f520e0ed20e8ece0ebe5f0f2f120fff0eeec20f120faf2fee5e2202ce8f6f3ede220e8e6eee1e8f0f2d1202ce8f0f2e5e220e5d1")
	tests := []struct {
		name string
		h    func() hash.Hash
		msg  []byte
		want []byte
	}{
		{"streebog512 M1", NewStreebog512, m1, hexRev("486f64c1917879417fef082b3381a4e211c324f074654c38823a7b76f830ad00fa1fbae42b1285c0352f227524bc9ab16254288dd6863dccd5b9f54a1ad0541b")},
		{"streebog256 M1", NewStreebog256, m1, hexRev("00557be5e584fd52a449b16b0251d05d27f94ab76cbaa6da890b59d8ef1e159d")},
		{"streebog512 M2", NewStreebog512, m2, hexRev("28fbc9bada033b1460642bdcddb90c3fb3e56c497ccd0f62b8a2ad4935e85f037613966de4ee00531ae60f3b5a47f8dae06915d5f2f194996fcabf2622e6881e")},
		{"streebog256 M2", NewStreebog256, m2, hexRev("508f7e553c06501d749a66fc28c6cac0b005746d97537fa85d9e40904efed29d")},
		// RFC 5831 §7.3 (test parameter set), messages and digests as the
		// RFC writes them, most significant byte first.
		{"34.11-94 test 32 bytes", New341194, hexRev("73657479622032333D6874676E656C202C6567617373656D2073692073696854"), hexRev("FAFF37A615A816691CFF3EF8B68CA247E09525F39F8119832EB81975D366C4B1")},
		{"34.11-94 test 50 bytes", New341194, hexRev("7365747962203035203D206874676E656C2073616820656761737365" + "6D206C616E696769726F206568742065736F70707553"), hexRev("0852F5623B89DD57AEB4781FE54DF14EEAFBC1350613763A0D770AA657BA1A47")},
		{"34.11-94 test 32 bytes, as text", New341194, []byte("This is message, length=32 bytes"), mustHex("b1c466d37519b82e8319819ff32595e047a28cb6f83eff1c6916a815a637fffa")},
		// The digests of the empty message as commonly published (no block
		// is processed for an empty message; OpenSSL's engine differs here,
		// see TestOpenSSLHash).
		{"34.11-94 test empty", New341194, nil, mustHex("ce85b99cc46752fffee35cab9a7b0278abb4c2d2055cff685af4912c49490f8d")},
		{"34.11-94 cryptopro empty", New341194CryptoPro, nil, mustHex("981e5f3ca30c841487830f84fb433e13ac1101569b9c13584ac483234cd656c0")},
		{"34.11-94 cryptopro 32 bytes", New341194CryptoPro, []byte("This is message, length=32 bytes"), mustHex("2cefc2f7b7bdc514e18ea57fa74ff357e7fa17d652c75f69cb1be7893ede48eb")},
		{"34.11-94 cryptopro 50 bytes", New341194CryptoPro, []byte("Suppose the original message has length = 50 bytes"), mustHex("c3730c5cbccacf915ac292676f21e8bd4ef75331d9405e5f1a61dc3130a65011")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := tt.h()
			h.Write(tt.msg)
			if got := h.Sum(nil); !bytes.Equal(got, tt.want) {
				t.Errorf("got  %x\nwant %x", got, tt.want)
			}
		})
	}
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// TestHashStreaming checks that writing in pieces of any size gives the
// one-Write digest, and that Sum does not disturb the running state, for
// lengths around every block boundary.
func TestHashStreaming(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, 1000)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	for name, newHash := range map[string]func() hash.Hash{
		"streebog256": NewStreebog256, "streebog512": NewStreebog512,
		"gost94": New341194, "gost94cp": New341194CryptoPro,
	} {
		t.Run(name, func(t *testing.T) {
			for _, n := range []int{0, 1, 31, 32, 33, 63, 64, 65, 127, 128, 129, 500, 1000} {
				msg := data[:n]
				one := newHash()
				one.Write(msg)
				want := one.Sum(nil)
				pieces := newHash()
				for rest := msg; len(rest) > 0; {
					k := 1 + rng.IntN(70)
					if k > len(rest) {
						k = len(rest)
					}
					pieces.Write(rest[:k])
					pieces.Sum(nil) // must not change the state
					rest = rest[k:]
				}
				if got := pieces.Sum(nil); !bytes.Equal(got, want) {
					t.Fatalf("len %d: pieces %x != one write %x", n, got, want)
				}
				one.Reset()
				one.Write(msg)
				if got := one.Sum([]byte{7}); got[0] != 7 || !bytes.Equal(got[1:], want) {
					t.Fatalf("len %d: after Reset %x", n, got)
				}
			}
		})
	}
}
