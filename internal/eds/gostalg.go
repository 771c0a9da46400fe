package eds

import (
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"
	"io"
	"math/big"

	"tirkeu/internal/gost"
)

// GOST signatures: Kazakhstan's GOST 34.10-2015 (GOST R 34.10-2012 on the
// TC26 curves, with Streebog) and the older GOST 34.310-2004 (GOST R
// 34.10-2001 with GOST 34.311-95), under the NCA's OIDs (1.2.398.3.10.…), and
// the Russian OIDs of the same algorithms (1.2.643.…), which OpenSSL's GOST
// engine writes. crypto/x509 parses such certificates but cannot check their
// signatures: gostCheckSignature does, and chain.go builds their chains.
//
// Byte orders, as the NCA's own certificates show them (see
// TestNCAChain): the public key is the OCTET STRING LE(X)‖LE(Y) (RFC 4491),
// the digest is read little-endian (RFC 4491), and the signature value under
// the NCA's OIDs is LE(r)‖LE(s) — the exact byte reversal of RFC 4491's
// BE(s)‖BE(r), which the Russian OIDs use.

var (
	// NCA RK (KNCA) algorithms.
	oidKZGOST2004Key    = asn1.ObjectIdentifier{1, 2, 398, 3, 10, 1, 1, 1, 1}
	oidKZGOST2004Sig    = asn1.ObjectIdentifier{1, 2, 398, 3, 10, 1, 1, 1, 2}
	oidKZGOST2015Key    = asn1.ObjectIdentifier{1, 2, 398, 3, 10, 1, 1, 2, 2}
	oidKZGOST2015Sig256 = asn1.ObjectIdentifier{1, 2, 398, 3, 10, 1, 1, 2, 3, 1}
	oidKZGOST2015Sig512 = asn1.ObjectIdentifier{1, 2, 398, 3, 10, 1, 1, 2, 3, 2}
	oidKZGOST34311      = asn1.ObjectIdentifier{1, 2, 398, 3, 10, 1, 3, 1}
	oidKZStreebog256    = asn1.ObjectIdentifier{1, 2, 398, 3, 10, 1, 3, 2}
	oidKZStreebog512    = asn1.ObjectIdentifier{1, 2, 398, 3, 10, 1, 3, 3}
	// The curve the NCA's GOST 34.10-2015 512-bit keys name (TC26 512 paramSetA).
	oidKZCurve512A = asn1.ObjectIdentifier{1, 2, 398, 3, 10, 1, 1, 2, 2, 1}

	// Russian (TC26, CryptoPro) algorithms.
	oidGOST2001Key    = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 19}
	oidGOST2001Sig    = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 3}
	oidGOST2012Key256 = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 1, 1}
	oidGOST2012Key512 = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 1, 2}
	oidGOST2012Sig256 = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 3, 2}
	oidGOST2012Sig512 = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 3, 3}
	oidStreebog256    = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 2, 2}
	oidStreebog512    = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 2, 3}
)

// gostScheme is one GOST signature algorithm.
type gostScheme struct {
	name    string // as `tirkeu eds verify-cert` reports it
	newHash func() hash.Hash
	digest  asn1.ObjectIdentifier // the digest OID that goes with it
	nca     bool                  // signature value LE(r)‖LE(s); else RFC 4491 BE(s)‖BE(r)
}

var (
	schemeKZ2015_512 = &gostScheme{"gost2015-512", gost.NewStreebog512, oidKZStreebog512, true}
	schemeKZ2015_256 = &gostScheme{"gost2015-256", gost.NewStreebog256, oidKZStreebog256, true}
	schemeKZ2004     = &gostScheme{"gost2004", gost.New341194, oidKZGOST34311, true}
	schemeRU2012_512 = &gostScheme{"gost2015-512", gost.NewStreebog512, oidStreebog512, false}
	schemeRU2012_256 = &gostScheme{"gost2015-256", gost.NewStreebog256, oidStreebog256, false}
	schemeRU2001     = &gostScheme{"gost2004", gost.New341194CryptoPro, nil, false} // OpenSSL: GOST R 34.11-94 with the CryptoPro S-boxes
)

// gostSchemes maps a signature algorithm OID to its scheme.
var gostSchemes = map[string]*gostScheme{
	oidKZGOST2015Sig512.String(): schemeKZ2015_512,
	oidKZGOST2015Sig256.String(): schemeKZ2015_256,
	oidKZGOST2004Sig.String():    schemeKZ2004,
	oidGOST2012Sig512.String():   schemeRU2012_512,
	oidGOST2012Sig256.String():   schemeRU2012_256,
	oidGOST2001Sig.String():      schemeRU2001,
}

// gostKeyAlgorithms are the public key algorithm OIDs of GOST keys.
var gostKeyAlgorithms = map[string]bool{
	oidKZGOST2004Key.String(): true, oidKZGOST2015Key.String(): true,
	oidGOST2001Key.String(): true, oidGOST2012Key256.String(): true, oidGOST2012Key512.String(): true,
}

func init() {
	for _, d := range []struct {
		oid  asn1.ObjectIdentifier
		name string
		new  func() hash.Hash
	}{
		{oidKZStreebog256, "Streebog-256", gost.NewStreebog256},
		{oidKZStreebog512, "Streebog-512", gost.NewStreebog512},
		{oidStreebog256, "Streebog-256", gost.NewStreebog256},
		{oidStreebog512, "Streebog-512", gost.NewStreebog512},
		{oidKZGOST34311, "GOST 34.311-95", gost.New341194},
	} {
		digestAlgorithms[d.oid.String()] = digestAlgorithm{name: d.name, new: d.new}
	}
	for oid, s := range gostSchemes {
		signatureAlgorithms[oid] = signatureAlgorithm{name: s.name, digest: oidString(s.digest), verify: s.verifyCMS}
	}
	// Kalkan names the key algorithm, not the signature algorithm, in some
	// SignerInfos: the digest then decides.
	signatureAlgorithms[oidKZGOST2015Key.String()] = signatureAlgorithm{name: "gost2015", verify: verifyGOSTByDigest}
	signatureAlgorithms[oidKZGOST2004Key.String()] = signatureAlgorithm{name: "gost2004", digest: oidKZGOST34311.String(), verify: schemeKZ2004.verifyCMS}
	// OpenSSL names the key algorithm too (RFC 4490 §3.2), with the RFC 4491
	// signature encoding.
	signatureAlgorithms[oidGOST2012Key512.String()] = signatureAlgorithm{name: "gost2015-512", digest: oidStreebog512.String(), verify: schemeRU2012_512.verifyCMS}
	signatureAlgorithms[oidGOST2012Key256.String()] = signatureAlgorithm{name: "gost2015-256", digest: oidStreebog256.String(), verify: schemeRU2012_256.verifyCMS}
}

func oidString(o asn1.ObjectIdentifier) string {
	if o == nil {
		return ""
	}
	return o.String()
}

// verifyGOSTByDigest verifies a SignerInfo that names the KZ GOST 2015 key
// algorithm: Streebog-256 or -512 as the digest says.
func verifyGOSTByDigest(cert *x509.Certificate, d digestAlgorithm, digest, sig []byte) error {
	switch len(digest) {
	case 64:
		return schemeKZ2015_512.verifyCMS(cert, d, digest, sig)
	case 32:
		return schemeKZ2015_256.verifyCMS(cert, d, digest, sig)
	}
	return fmt.Errorf("GOST 2015 with %s is not supported", d.name)
}

func (s *gostScheme) verifyCMS(cert *x509.Certificate, _ digestAlgorithm, digest, sig []byte) error {
	pub, err := gostPublicKey(cert)
	if err != nil {
		return err
	}
	return s.verifyDigest(pub, digest, sig)
}

func (s *gostScheme) verifyDigest(pub *gost.PublicKey, digest, sig []byte) error {
	size := pub.Curve.Size()
	var r, ss *big.Int
	var err error
	if s.nca {
		r, ss, err = gost.ParseSignatureNCA(size, sig)
	} else {
		r, ss, err = gost.ParseSignatureRFC4491(size, sig)
	}
	if err != nil {
		return err
	}
	if !gost.Verify(pub, digest, r, ss) {
		return errors.New("GOST signature does not verify")
	}
	return nil
}

// verifySigned hashes signed and verifies sig over it with pub.
func (s *gostScheme) verifySigned(pub *gost.PublicKey, signed, sig []byte) error {
	h := s.newHash()
	h.Write(signed)
	return s.verifyDigest(pub, h.Sum(nil), sig)
}

// isGOSTKey reports whether cert holds a GOST public key.
func isGOSTKey(cert *x509.Certificate) bool {
	var spki subjectPublicKeyInfo
	if _, err := asn1.Unmarshal(cert.RawSubjectPublicKeyInfo, &spki); err != nil {
		return false
	}
	return gostKeyAlgorithms[spki.Algorithm.Algorithm.String()]
}

type subjectPublicKeyInfo struct {
	Algorithm pkix.AlgorithmIdentifier
	PublicKey asn1.BitString
}

// gostKeyParams is the parameters of a GOST public key: the curve, then
// (optionally) the digest and cipher parameter sets.
type gostKeyParams struct {
	Curve  asn1.ObjectIdentifier
	Digest asn1.ObjectIdentifier `asn1:"optional"`
	Cipher asn1.ObjectIdentifier `asn1:"optional"`
}

// gostPublicKey reads the GOST public key of cert.
func gostPublicKey(cert *x509.Certificate) (*gost.PublicKey, error) {
	return parseGOSTSPKI(cert.RawSubjectPublicKeyInfo)
}

func parseGOSTSPKI(der []byte) (*gost.PublicKey, error) {
	var spki subjectPublicKeyInfo
	if rest, err := asn1.Unmarshal(der, &spki); err != nil {
		return nil, fmt.Errorf("public key: %w", err)
	} else if len(rest) != 0 {
		return nil, errors.New("public key: trailing data")
	}
	if !gostKeyAlgorithms[spki.Algorithm.Algorithm.String()] {
		return nil, fmt.Errorf("public key algorithm %v is not GOST", spki.Algorithm.Algorithm)
	}
	curve, err := gostCurve(spki.Algorithm.Parameters.FullBytes)
	if err != nil {
		return nil, err
	}
	var raw []byte
	if rest, err := asn1.Unmarshal(spki.PublicKey.RightAlign(), &raw); err != nil {
		return nil, fmt.Errorf("public key: %w", err)
	} else if len(rest) != 0 {
		return nil, errors.New("public key: trailing data")
	}
	return gost.ParsePublicKey(curve, raw)
}

func gostCurve(params []byte) (*gost.Curve, error) {
	var p gostKeyParams
	if _, err := asn1.Unmarshal(params, &p); err != nil {
		return nil, fmt.Errorf("GOST key parameters: %w", err)
	}
	c, ok := gost.CurveByOID(p.Curve)
	if !ok {
		return nil, fmt.Errorf("GOST curve %v is not supported", p.Curve)
	}
	return c, nil
}

// rawCertificate is a certificate as signed: the TBS bytes, the signature
// algorithm and the signature value.
type rawCertificate struct {
	TBS       asn1.RawValue
	Algorithm pkix.AlgorithmIdentifier
	Signature asn1.BitString
}

// certSignatureOID returns the OID of the algorithm cert is signed with and
// its signature value.
func certSignature(cert *x509.Certificate) (asn1.ObjectIdentifier, []byte, error) {
	var rc rawCertificate
	if _, err := asn1.Unmarshal(cert.Raw, &rc); err != nil {
		return nil, nil, err
	}
	return rc.Algorithm.Algorithm, rc.Signature.RightAlign(), nil
}

// checkSignatureFrom checks that parent signed child, with GOST or (through
// crypto/x509) anything else.
func checkSignatureFrom(child, parent *x509.Certificate) error {
	oid, sig, err := certSignature(child)
	if err != nil {
		return err
	}
	if gostSchemes[oid.String()] == nil {
		return parent.CheckSignature(child.SignatureAlgorithm, child.RawTBSCertificate, child.Signature)
	}
	return checkSignedBy(oid, child.RawTBSCertificate, sig, parent)
}

// checkSignedBy checks a signature made with algorithm oid over signed by the
// key of parent's certificate (a certificate, CRL or OCSP response).
func checkSignedBy(oid asn1.ObjectIdentifier, signed, sig []byte, parent *x509.Certificate) error {
	s, ok := gostSchemes[oid.String()]
	if !ok {
		return fmt.Errorf("signature algorithm %v is not GOST", oid)
	}
	pub, err := gostPublicKey(parent)
	if err != nil {
		return err
	}
	return s.verifySigned(pub, signed, sig)
}

// isGOSTSigned reports whether cert's own signature is GOST.
func isGOSTSigned(cert *x509.Certificate) bool {
	oid, _, err := certSignature(cert)
	return err == nil && gostSchemes[oid.String()] != nil
}

// SignatureAlgorithmName names the algorithm cert is signed with, as the
// published contract of `tirkeu eds verify-cert` and `eds inspect` does:
// gost2015-512, gost2015-256, gost2004, rsa-sha256, ecdsa-sha256 (and
// rsa-sha384 and the like for the rest crypto/x509 knows).
func SignatureAlgorithmName(cert *x509.Certificate) string {
	if oid, _, err := certSignature(cert); err == nil {
		if s, ok := gostSchemes[oid.String()]; ok {
			return s.name
		}
	}
	switch cert.SignatureAlgorithm {
	case x509.SHA256WithRSA:
		return "rsa-sha256"
	case x509.SHA384WithRSA:
		return "rsa-sha384"
	case x509.SHA512WithRSA:
		return "rsa-sha512"
	case x509.SHA1WithRSA:
		return "rsa-sha1"
	case x509.SHA256WithRSAPSS:
		return "rsapss-sha256"
	case x509.ECDSAWithSHA256:
		return "ecdsa-sha256"
	case x509.ECDSAWithSHA384:
		return "ecdsa-sha384"
	case x509.ECDSAWithSHA512:
		return "ecdsa-sha512"
	case x509.PureEd25519:
		return "ed25519"
	}
	if oid, _, err := certSignature(cert); err == nil {
		return oid.String()
	}
	return "unknown"
}

// GOSTSigner is a GOST private key that signs digests the way the NCA does:
// GOST R 34.10-2012 with the signature value LE(r)‖LE(s). It is a
// crypto.Signer; Sign wants the Streebog digest of the signed bytes.
type GOSTSigner struct {
	Key *gost.PrivateKey
}

// Public returns the *gost.PublicKey.
func (k *GOSTSigner) Public() crypto.PublicKey { return &k.Key.PublicKey }

// Sign signs a digest (Streebog-512 for a 512-bit key, Streebog-256 for a
// 256-bit one); opts is ignored.
func (k *GOSTSigner) Sign(rand io.Reader, digest []byte, _ crypto.SignerOpts) ([]byte, error) {
	r, s, err := gost.Sign(rand, k.Key, digest)
	if err != nil {
		return nil, err
	}
	return gost.SignatureNCA(k.Key.Curve.Size(), r, s), nil
}
