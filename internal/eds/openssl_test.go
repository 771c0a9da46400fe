package eds

import (
	"context"
	"crypto/x509"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestOpenSSLGOSTOracle verifies certificates and CMS made by OpenSSL's GOST
// engine (testdata/openssl-gost): the Russian OIDs, the RFC 4491 signature
// encoding, Streebog-256 and -512, a signer named by issuer and serial
// number and one named by subject key identifier.
func TestOpenSSLGOSTOracle(t *testing.T) {
	dir := filepath.Join("testdata", "openssl-gost")
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	ca, err := ParseCertificate(read("ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	content := read("body.json")
	at := time.Date(2026, 12, 1, 10, 30, 0, 0, time.UTC)
	v, err := NewVerifier(Config{Roots: []*x509.Certificate{ca}, Now: func() time.Time { return at }, MaxSigningAge: -1})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ cms, leaf, alg string }{
		{"body.cms", "leaf.pem", "gost2015-512"}, // the CA's key is 512-bit
		{"body512.cms", "leaf512.pem", "gost2015-512"},
	} {
		t.Run(tt.cms, func(t *testing.T) {
			leaf, err := ParseCertificate(read(tt.leaf))
			if err != nil {
				t.Fatal(err)
			}
			if got := SignatureAlgorithmName(leaf); got != tt.alg {
				t.Errorf("algorithm %s, want %s", got, tt.alg)
			}
			cms := read(tt.cms)
			s, err := v.Verify(context.Background(), cms, content)
			if err != nil {
				t.Fatal(err)
			}
			if s.IIN != "880101300516" || !s.Certificate.Equal(leaf) {
				t.Errorf("signer %+v", s)
			}
			wantCode(t, second(v.Verify(context.Background(), cms, append(content, ' '))), ESignatureInvalid)
			// The signature value is the last 64 or 128 bytes of the
			// SignerInfo (it has no unsigned attributes).
			bad := append([]byte(nil), cms...)
			bad[len(bad)-5] ^= 0x80
			wantCode(t, second(v.Verify(context.Background(), bad, content)), ESignatureInvalid)
		})
	}
}

func second[T any](_ T, err error) error { return err }

// TestOpenSSLGOST2001: a self-signed GOST R 34.10-2001 certificate by
// OpenSSL verifies (its self-signature is checked when it is the root), and
// fails when a byte of its signed part changes.
func TestOpenSSLGOST2001(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "openssl-gost", "ca2001.pem"))
	if err != nil {
		t.Fatal(err)
	}
	ca, err := ParseCertificate(data)
	if err != nil {
		t.Fatal(err)
	}
	if got := SignatureAlgorithmName(ca); got != "gost2004" {
		t.Errorf("algorithm %s", got)
	}
	at := ca.NotBefore.Add(time.Hour)
	check := func(c *x509.Certificate) error {
		v, err := NewVerifier(Config{Roots: []*x509.Certificate{c}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = v.VerifyCertificate(context.Background(), c, nil, at, false)
		return err
	}
	if err := check(ca); err != nil {
		t.Fatal(err)
	}
	raw := append([]byte(nil), ca.Raw...)
	raw[indexOf(raw, ca.RawSubjectPublicKeyInfo)+40] ^= 1 // the key itself
	bad, err := x509.ParseCertificate(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := check(bad); err == nil {
		t.Fatal("a 2001 certificate with an altered key still verifies")
	}
}
