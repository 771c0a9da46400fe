package eds

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

// TestPKCS12KDF checks the PKCS#12 KDF (RFC 7292 appendix B) against
// OpenSSL's PKCS12_key_gen_uni test vectors (SHA-1, password "smeg").
func TestPKCS12KDF(t *testing.T) {
	salt, _ := hex.DecodeString("0a58cf64530d823f")
	for _, tt := range []struct {
		id   byte
		n    int
		want string
	}{
		{1, 24, "8aaae6297b6cb04642ab5b077851284eb7128f1a2a7fbca3"},
		{2, 8, "79993dfe048d3b76"},
	} {
		got := pkcs12KDF(bmpPassword("smeg"), salt, 1, tt.id, tt.n)
		if hex.EncodeToString(got) != tt.want {
			t.Errorf("id %d: %x, want %s", tt.id, got, tt.want)
		}
	}
}

func TestBERToDER(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"3080020101020102" + "0000", "3006020101020102"}, // indefinite SEQUENCE
		{"2480040261620401630000", "0403616263"},          // constructed OCTET STRING, indefinite
		{"240704026162040163", "0403616263"},              // constructed OCTET STRING, definite
		{"3081030201 05", "3003020105"},                   // non-minimal length
		{"a080308004010000000000", "a0053003040100"},      // nested indefinite under a context tag
		{"2380030200aa030204b00000", "030304aab0"},        // constructed BIT STRING
	} {
		in, _ := hex.DecodeString(stripSpaces(tt.in))
		got, rest, err := berToDER(in)
		if err != nil || len(rest) != 0 {
			t.Errorf("%s: %v (rest %x)", tt.in, err, rest)
			continue
		}
		if hex.EncodeToString(got) != tt.want {
			t.Errorf("%s: %x, want %s", tt.in, got, tt.want)
		}
	}
	for _, bad := range []string{"3080020101", "0480", "30850000000001", "2480300000000000", "2380030201aa03020400" + "0000"} {
		in, _ := hex.DecodeString(bad)
		if _, _, err := berToDER(in); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
	deep := bytes.Repeat([]byte{0x30, 0x80}, 1000)
	if _, _, err := berToDER(deep); err == nil {
		t.Error("1000 nested indefinite SEQUENCEs accepted")
	}
}

func stripSpaces(s string) string { return string(bytes.ReplaceAll([]byte(s), []byte(" "), nil)) }

// TestPKCS12RoundTrip writes key stores in the NCA format for each demo key
// kind and reads them back.
func TestPKCS12RoundTrip(t *testing.T) {
	b := newBundle(t, "ecdsa")
	cert, key := b.inter.leaf(t, leafOpts{}, b.now)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	p12, err := writePKCS12(keyDER, cert, []*x509.Certificate{b.inter.cert}, "пароль")
	if err != nil {
		t.Fatal(err)
	}
	ks, err := OpenKeyStore(p12, "пароль")
	if err != nil {
		t.Fatal(err)
	}
	if !ks.Cert.Equal(cert) || len(ks.Chain) != 1 || !ks.Chain[0].Equal(b.inter.cert) {
		t.Fatal("certificates differ after the round trip")
	}
	if !ks.Key.(*ecdsa.PrivateKey).Equal(key) {
		t.Fatal("key differs after the round trip")
	}
	if _, err := OpenKeyStore(p12, "парол"); !errors.Is(err, ErrKeyStorePassword) {
		t.Fatalf("wrong password: %v", err)
	}
	bad := append([]byte(nil), p12...)
	bad[len(bad)/2] ^= 1
	if _, err := OpenKeyStore(bad, "пароль"); err == nil {
		t.Fatal("a damaged key store opened")
	}
}

// FuzzPKCS12 feeds arbitrary bytes to the key store reader (BER, PKCS#12,
// PKCS#8, RC2, 3DES): it must never panic.
func FuzzPKCS12(f *testing.F) {
	for _, name := range []string{"individual_valid_individual_valid.p12", "legal_valid_head.p12"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, "Qwerty12")
		f.Add(data[:len(data)/2], "Qwerty12")
	}
	f.Add([]byte{0x30, 0x80, 0x02, 0x01, 0x03, 0x30, 0x80}, "")
	f.Fuzz(func(t *testing.T, data []byte, password string) {
		ks, err := OpenKeyStore(data, password)
		if err == nil && (ks.Key == nil || ks.Cert == nil) {
			t.Fatal("opened without a key or a certificate")
		}
	})
}

// FuzzBER: berToDER never panics, and what it returns is DER-shaped: it
// converts to itself.
func FuzzBER(f *testing.F) {
	data, _ := os.ReadFile(filepath.Join("testdata", "individual_valid_individual_valid.p12"))
	f.Add(data)
	f.Add([]byte{0x24, 0x80, 0x04, 0x01, 0x61, 0x00, 0x00})
	f.Fuzz(func(t *testing.T, in []byte) {
		der, _, err := berToDER(in)
		if err != nil {
			return
		}
		again, rest, err := berToDER(der)
		if err != nil || len(rest) != 0 || !bytes.Equal(again, der) {
			t.Fatalf("not stable: %x -> %x -> %x (%v)", in, der, again, err)
		}
	})
}

// TestDemoKeyStoreFormat checks that the demo CA writes key stores as the
// NCA does (read by readPKCS12 itself, not the go-pkcs12 fallback), with a
// GOST 2015 key.
func TestDemoKeyStoreFormat(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	if err := DemoCA(dir, []DemoSubject{{IIN: "880101300516"}}, now); err != nil {
		t.Fatal(err)
	}
	p12, err := os.ReadFile(filepath.Join(dir, "880101300516.p12"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := readPKCS12(p12, DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	ks, err := c.keyStore()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ks.Key.(*GOSTSigner); !ok || ks.KeyEncoding != "octets-le" {
		t.Fatalf("key %T encoded %q", ks.Key, ks.KeyEncoding)
	}
	if got := SignatureAlgorithmName(ks.Cert); got != "gost2015-512" {
		t.Fatalf("certificate signed with %s", got)
	}
	if len(ks.Chain) != 2 {
		t.Fatalf("chain of %d", len(ks.Chain))
	}
}

// TestModernKeyStoreStillOpens: key stores written by go-pkcs12 (PBES2 with
// AES, as the demo CA wrote them before it wrote the NCA's format) still
// sign.
func TestModernKeyStoreStillOpens(t *testing.T) {
	b := newBundle(t, "ecdsa")
	cert, key := b.inter.leaf(t, leafOpts{}, b.now)
	p12, err := pkcs12.Modern.Encode(key, cert, []*x509.Certificate{b.inter.cert}, DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	cms, err := Sign(p12, DemoPassword, body, b.now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.verifier(t, func(c *Config) { c.Now = func() time.Time { return b.now.Add(time.Minute) } }).Verify(context.Background(), cms, body); err != nil {
		t.Fatal(err)
	}
}

// TestOldECDSADemoCA: a demo CA made before the GOST one (ECDSA root and
// intermediate on disk) still loads, and issues GOST key stores under its
// ECDSA intermediate that verify.
func TestOldECDSADemoCA(t *testing.T) {
	dir := t.TempDir()
	b := newBundle(t, "ecdsa")
	for _, f := range []struct {
		ca   *testCA
		name string
	}{{b.root, DemoRootFile}, {b.inter, DemoIntermediateFile}} {
		if err := (&demoAuthority{cert: f.ca.cert, key: f.ca.key}).save(dir, f.name); err != nil {
			t.Fatal(err)
		}
	}
	roots, err := EnsureDemoCA(dir, []DemoSubject{{IIN: "880101300516"}}, b.now)
	if err != nil {
		t.Fatal(err)
	}
	if !roots[0].Equal(b.root.cert) {
		t.Fatal("EnsureDemoCA replaced the existing demo CA")
	}
	p12, err := os.ReadFile(filepath.Join(dir, "880101300516.p12"))
	if err != nil {
		t.Fatal(err)
	}
	cms, err := Sign(p12, DemoPassword, body, b.now)
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVerifier(Config{Roots: roots, Now: func() time.Time { return b.now.Add(time.Minute) }})
	if err != nil {
		t.Fatal(err)
	}
	s, err := v.Verify(context.Background(), cms, body)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Certificate.PublicKey.(*ecdsa.PublicKey); ok || SignatureAlgorithmName(s.Certificate) != "ecdsa-sha256" {
		t.Fatalf("leaf key %T signed with %s, want a GOST key under ECDSA", s.Certificate.PublicKey, SignatureAlgorithmName(s.Certificate))
	}
}
