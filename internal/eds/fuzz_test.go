package eds

import (
	"context"
	"crypto/x509"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// FuzzVerify feeds arbitrary bytes to the CMS parser and verifier: it must
// never panic, and every refusal must carry one of the package's codes.
func FuzzVerify(f *testing.F) {
	b := newBundle(f, "ecdsa")
	cert, key := b.inter.leaf(f, leafOpts{}, b.now)
	good, err := SignWith(key, cert, []*x509.Certificate{b.inter.cert}, body, b.now)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good, body)
	// A GOST CMS as NCALayer makes it (only the signer's certificate), by
	// the NCA's test key.
	p12, err := os.ReadFile(filepath.Join("testdata", "individual_valid_individual_valid.p12"))
	if err != nil {
		f.Fatal(err)
	}
	gostCMS, err := Sign(p12, "Qwerty12", body, b.now)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(gostCMS, body)
	f.Add(good[:len(good)/2], body)
	f.Add([]byte{0x30, 0x80, 0x06, 0x09}, []byte("x"))
	f.Add([]byte{}, []byte{})
	v, err := NewVerifier(Config{Roots: []*x509.Certificate{b.root.cert}, Now: func() time.Time { return b.now }})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, cms, content []byte) {
		s, err := v.Verify(context.Background(), cms, content)
		if err == nil {
			if s.Certificate == nil {
				t.Fatal("accepted without a certificate")
			}
			return
		}
		if code := codeOfErr(err); !slices.Contains(verifyCodes, code) {
			t.Fatalf("error code %q not one of %v: %v", code, verifyCodes, err)
		}
	})
}

// verifyCodes are the codes Verify may return (its doc comment).
var verifyCodes = []string{ESignatureInvalid, ECertificateUntrusted, ECertificateExpired,
	ECertificateRevoked, EKeyUsage, ERevocationUnavailable}
