package eds

import (
	"context"
	"crypto/x509"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"tirkeu/internal/gost"
)

// The NCA's own test certificates and key stores (testdata, see
// NCA-README.md) are the oracle for the GOST code: its chains must verify,
// its key stores must open, and their keys must sign what verifies.

func ncaCert(t testing.TB, name string) *x509.Certificate {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseCertificate(data)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var (
	ncaRoot2022  = "root_test_gost_2022.cer"
	ncaInter2022 = "nca_gost2022_test.cer"
	ncaInter2004 = "nca_gost_test.crt"
)

// ncaVerifier trusts the NCA's 2022 GOST root (with the 2022 intermediate
// configured) and the 2004 GOST intermediate directly, at time at.
func ncaVerifier(t testing.TB, at time.Time) *Verifier {
	t.Helper()
	v, err := NewVerifier(Config{
		Roots:                []*x509.Certificate{ncaCert(t, ncaRoot2022), ncaCert(t, ncaInter2004)},
		Intermediates:        []*x509.Certificate{ncaCert(t, ncaInter2022)},
		Now:                  func() time.Time { return at },
		AllowUnverifiableIIN: true,
		RevocationSoftFail:   true,
		HTTPClient:           noNetwork(),
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestNCAChain(t *testing.T) {
	for _, tt := range []struct {
		leaf string
		at   time.Time
		alg  string
		want []string // subjects' files, leaf first
	}{
		{"individual_valid_individual_valid.der", time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), "gost2015-512",
			[]string{"individual_valid_individual_valid.der", ncaInter2022, ncaRoot2022}},
		{"legal_valid_head.der", time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), "gost2015-512",
			[]string{"legal_valid_head.der", ncaInter2022, ncaRoot2022}},
		{"ceo_valid_sign_2004_gost.cer", time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC), "gost2004",
			[]string{"ceo_valid_sign_2004_gost.cer", ncaInter2004}},
		{ncaInter2022, time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), "gost2015-512",
			[]string{ncaInter2022, ncaRoot2022}},
	} {
		t.Run(tt.leaf, func(t *testing.T) {
			leaf := ncaCert(t, tt.leaf)
			if got := SignatureAlgorithmName(leaf); got != tt.alg {
				t.Errorf("algorithm %q, want %q", got, tt.alg)
			}
			v := ncaVerifier(t, tt.at)
			chain, err := v.VerifyCertificate(context.Background(), leaf, nil, tt.at, false)
			if err != nil {
				t.Fatalf("chain: %v", err)
			}
			if len(chain) != len(tt.want) {
				t.Fatalf("chain of %d certificates, want %d", len(chain), len(tt.want))
			}
			for i, f := range tt.want {
				if !chain[i].Equal(ncaCert(t, f)) {
					t.Errorf("chain[%d] is %q, want %s", i, chain[i].Subject.CommonName, f)
				}
			}
		})
	}
}

// TestNCAChainTampered flips each byte of the signed part of every
// certificate of the chain in turn (a sample of positions, to keep it fast):
// the chain must then fail.
func TestNCAChainTampered(t *testing.T) {
	at := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	for _, name := range []string{"individual_valid_individual_valid.der", ncaInter2022, ncaRoot2022} {
		t.Run(name, func(t *testing.T) {
			orig := ncaCert(t, name)
			tbs := orig.RawTBSCertificate
			off := indexOf(orig.Raw, tbs)
			for i := 0; i < len(tbs); i += 7 {
				raw := append([]byte(nil), orig.Raw...)
				raw[off+i] ^= 0x01
				c, err := x509.ParseCertificate(raw)
				if err != nil {
					continue // no longer a certificate: refused anyway
				}
				roots := []*x509.Certificate{ncaCert(t, ncaRoot2022)}
				inter := []*x509.Certificate{ncaCert(t, ncaInter2022)}
				leaf := ncaCert(t, "individual_valid_individual_valid.der")
				switch name {
				case ncaRoot2022:
					roots = []*x509.Certificate{c}
				case ncaInter2022:
					inter = []*x509.Certificate{c}
				default:
					leaf = c
				}
				v, err := NewVerifier(Config{Roots: roots, Intermediates: inter, Now: func() time.Time { return at }, AllowUnverifiableIIN: true})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := v.VerifyCertificate(context.Background(), leaf, nil, at, false); err == nil {
					t.Fatalf("flipping byte %d of the TBS still verifies", i)
				}
			}
		})
	}
}

// noNetwork is an HTTP client that reaches nothing: the NCA's test CRL and
// OCSP responder are not for tests to call.
func noNetwork() *http.Client {
	return &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
		return nil, errors.New("no network in tests")
	})}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestNCA2004Tampered flips bytes of the 2004 GOST leaf's signed part (GOST
// R 34.11-94 digest, GOST 34.310-2004 signature).
func TestNCA2004Tampered(t *testing.T) {
	at := time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC)
	orig := ncaCert(t, "ceo_valid_sign_2004_gost.cer")
	v, err := NewVerifier(Config{Roots: []*x509.Certificate{ncaCert(t, ncaInter2004)}, Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.VerifyCertificate(context.Background(), orig, nil, at, false); err != nil {
		t.Fatal(err)
	}
	off := indexOf(orig.Raw, orig.RawTBSCertificate)
	for i := 0; i < len(orig.RawTBSCertificate); i += 11 {
		raw := append([]byte(nil), orig.Raw...)
		raw[off+i] ^= 0x10
		c, err := x509.ParseCertificate(raw)
		if err != nil {
			continue
		}
		if _, err := v.VerifyCertificate(context.Background(), c, nil, at, false); err == nil {
			t.Fatalf("flipping byte %d of the TBS still verifies", i)
		}
	}
}

func indexOf(b, sub []byte) int {
	for i := 0; i+len(sub) <= len(b); i++ {
		if string(b[i:i+len(sub)]) == string(sub) {
			return i
		}
	}
	return -1
}

func TestNCAKeyStores(t *testing.T) {
	for _, tt := range []struct {
		file, iin, bin string
	}{
		{"individual_valid_individual_valid.p12", "123456789011", ""},
		{"legal_valid_head.p12", "123456789011", "123456789021"},
		{"legal_valid_employee.p12", "123456789012", "123456789021"},
	} {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := OpenKeyStore(data, "Qwerty13"); err != ErrKeyStorePassword {
				t.Fatalf("wrong password: %v, want ErrKeyStorePassword", err)
			}
			ks, err := OpenKeyStore(data, "Qwerty12")
			if err != nil {
				t.Fatal(err)
			}
			// D·G equal to the certificate's key proves the reading of the
			// private key: an OCTET STRING of the scalar, little-endian.
			if ks.KeyEncoding != "octets-le" {
				t.Errorf("key encoding %q", ks.KeyEncoding)
			}
			g, ok := ks.Key.(*GOSTSigner)
			if !ok || g.Key.Curve != gost.CurveTC26_512A {
				t.Fatalf("key %T, want a GOST 512 paramSetA key", ks.Key)
			}
			info := Inspect(ks.Cert)
			if info.IIN != tt.iin || info.BIN != tt.bin {
				t.Errorf("IIN %q BIN %q, want %q %q", info.IIN, info.BIN, tt.iin, tt.bin)
			}
			// The real NCA key signs a CMS that verifies up to the NCA root.
			at := ks.Cert.NotBefore.Add(24 * time.Hour)
			cms, err := Sign(data, "Qwerty12", body, at)
			if err != nil {
				t.Fatal(err)
			}
			s, err := ncaVerifier(t, at.Add(time.Minute)).Verify(context.Background(), cms, body)
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			if s.IIN != tt.iin {
				t.Errorf("signer IIN %q", s.IIN)
			}
			if _, err := ncaVerifier(t, at.Add(time.Minute)).Verify(context.Background(), cms, append([]byte("x"), body...)); codeOfErr(err) != ESignatureInvalid {
				t.Errorf("other content: %v, want signature_invalid", err)
			}
		})
	}
}

// TestSplitTrust: in a roots bundle, a certificate whose issuer is in the
// bundle too is an intermediate; one whose issuer is not (an NCA
// intermediate configured alone) stays a trust anchor.
func TestSplitTrust(t *testing.T) {
	root, inter, inter2004 := ncaCert(t, ncaRoot2022), ncaCert(t, ncaInter2022), ncaCert(t, ncaInter2004)
	roots, inters := SplitTrust([]*x509.Certificate{inter, root, inter2004})
	if len(roots) != 2 || !roots[0].Equal(root) || !roots[1].Equal(inter2004) || len(inters) != 1 || !inters[0].Equal(inter) {
		t.Fatalf("roots %d, intermediates %d", len(roots), len(inters))
	}
	// The chain then goes through the intermediate to the root.
	at := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	v, err := NewVerifier(Config{Roots: roots, Intermediates: inters, Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	chain, err := v.VerifyCertificate(context.Background(), ncaCert(t, "legal_valid_head.der"), nil, at, false)
	if err != nil || len(chain) != 3 {
		t.Fatalf("chain of %d: %v", len(chain), err)
	}
}
