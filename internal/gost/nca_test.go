package gost

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"hash"
	"os"
	"path/filepath"
	"testing"
)

// readCert reads a certificate from testdata, PEM or DER.
func readCert(tb testing.TB, name string) *x509.Certificate {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	if blk, _ := pem.Decode(b); blk != nil {
		b = blk.Bytes
	}
	c, err := x509.ParseCertificate(b)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// ncaKey returns the GOST public key of a certificate: the curve from the
// parameter-set OID in the algorithm parameters and the point from the
// OCTET STRING inside the subjectPublicKey BIT STRING.
func ncaKey(tb testing.TB, c *x509.Certificate) *PublicKey {
	tb.Helper()
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(c.RawSubjectPublicKeyInfo, &spki); err != nil {
		tb.Fatal(err)
	}
	var params struct {
		PublicKeyParamSet asn1.ObjectIdentifier
		DigestParamSet    asn1.ObjectIdentifier `asn1:"optional"`
	}
	if _, err := asn1.Unmarshal(spki.Algorithm.Parameters.FullBytes, &params); err != nil {
		tb.Fatal(err)
	}
	curve, ok := CurveByOID(params.PublicKeyParamSet)
	if !ok {
		tb.Fatalf("unknown parameter set %v", params.PublicKeyParamSet)
	}
	var raw []byte
	if _, err := asn1.Unmarshal(spki.PublicKey.Bytes, &raw); err != nil {
		tb.Fatal(err)
	}
	pub, err := ParsePublicKey(curve, raw)
	if err != nil {
		tb.Fatalf("%s: %v", c.Subject.CommonName, err)
	}
	return pub
}

// ncaChain lists every NCA test certificate with its issuer and hash: the
// 2022 GOST 34.10-2015 (512-bit, Streebog-512) chain and the 2004 GOST
// 34.310-2004 one (GOST 34.311-95 = GOST R 34.11-94 with the test S-boxes).
var ncaChain = []struct {
	cert, issuer string
	h            func() hash.Hash
	curve        *Curve
}{
	{"root_test_gost_2022.cer", "root_test_gost_2022.cer", NewStreebog512, CurveTC26_512A},
	{"nca_gost2022_test.cer", "root_test_gost_2022.cer", NewStreebog512, CurveTC26_512A},
	{"individual_valid_individual_valid.der", "nca_gost2022_test.cer", NewStreebog512, CurveTC26_512A},
	{"legal_valid_head.der", "nca_gost2022_test.cer", NewStreebog512, CurveTC26_512A},
	// the certificate inside legal_valid_employee.p12 (openssl pkcs12 -legacy -nokeys)
	{"legal_valid_employee.der", "nca_gost2022_test.cer", NewStreebog512, CurveTC26_512A},
	{"ceo_valid_sign_2004_gost.cer", "nca_gost_test.crt", New341194, CurveCryptoProA},
}

func digestOf(h func() hash.Hash, b []byte) []byte {
	d := h()
	d.Write(b)
	return d.Sum(nil)
}

func reversed(b []byte) []byte {
	r := make([]byte, len(b))
	for i := range b {
		r[len(b)-1-i] = b[i]
	}
	return r
}

// TestNCACertificates verifies the NCA's own certificate signatures, which
// settles the byte orders: the digest read little-endian, the signature
// value LE(r)‖LE(s). Every other reading fails, and so does any flipped
// byte in the signed part or the signature.
func TestNCACertificates(t *testing.T) {
	for _, tc := range ncaChain {
		t.Run(tc.cert, func(t *testing.T) {
			cert, iss := readCert(t, tc.cert), readCert(t, tc.issuer)
			pub := ncaKey(t, iss)
			if pub.Curve != tc.curve {
				t.Fatalf("issuer key on %s, want %s", pub.Curve.Name, tc.curve.Name)
			}
			size := pub.Curve.Size()
			if len(cert.Signature) != 2*size {
				t.Fatalf("signature is %d bytes", len(cert.Signature))
			}
			digest := digestOf(tc.h, cert.RawTBSCertificate)
			r, s, err := ParseSignatureNCA(size, cert.Signature)
			if err != nil {
				t.Fatal(err)
			}
			if !Verify(pub, digest, r, s) {
				t.Fatal("the NCA's signature does not verify")
			}
			if got := SignatureNCA(size, r, s); string(got) != string(cert.Signature) {
				t.Fatal("SignatureNCA does not re-encode the certificate's signature")
			}
			// The other readings of the bytes must all fail.
			rr, rs, _ := ParseSignatureRFC4491(size, cert.Signature)
			if Verify(pub, digest, rr, rs) || Verify(pub, reversed(digest), r, s) || Verify(pub, digest, s, r) {
				t.Fatal("a wrong byte order verifies")
			}
			if tc.curve == CurveCryptoProA {
				if Verify(pub, digestOf(New341194CryptoPro, cert.RawTBSCertificate), r, s) {
					t.Fatal("verifies with the CryptoPro S-boxes")
				}
			}
			// A flipped byte anywhere in the signed part fails (every byte
			// for the root, every 5th elsewhere to keep the test fast).
			step := 5
			if tc.cert == tc.issuer {
				step = 1
			}
			tbs := append([]byte(nil), cert.RawTBSCertificate...)
			for i := 0; i < len(tbs); i += step {
				tbs[i] ^= 0x01
				if Verify(pub, digestOf(tc.h, tbs), r, s) {
					t.Fatalf("verifies with TBS byte %d flipped", i)
				}
				tbs[i] ^= 0x01
			}
			sig := append([]byte(nil), cert.Signature...)
			for i := range sig {
				sig[i] ^= 0x80
				fr, fs, _ := ParseSignatureNCA(size, sig)
				if Verify(pub, digest, fr, fs) {
					t.Fatalf("verifies with signature byte %d flipped", i)
				}
				sig[i] ^= 0x80
			}
		})
	}
}

// TestNCAKeysRoundTrip checks that Raw gives back the certificate's key
// bytes (LE(X)‖LE(Y)) for every NCA key, and that a point off the curve
// is refused.
func TestNCAKeysRoundTrip(t *testing.T) {
	for _, tc := range ncaChain {
		cert := readCert(t, tc.cert)
		pub := ncaKey(t, cert)
		var spki struct {
			Algorithm pkix.AlgorithmIdentifier
			PublicKey asn1.BitString
		}
		asn1.Unmarshal(cert.RawSubjectPublicKeyInfo, &spki)
		var raw []byte
		asn1.Unmarshal(spki.PublicKey.Bytes, &raw)
		if string(pub.Raw()) != string(raw) {
			t.Errorf("%s: Raw differs from the certificate", tc.cert)
		}
		raw[0] ^= 1
		if _, err := ParsePublicKey(pub.Curve, raw); err == nil {
			t.Errorf("%s: a point off the curve is accepted", tc.cert)
		}
	}
}
