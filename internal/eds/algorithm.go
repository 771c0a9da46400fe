package eds

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"
)

// The algorithms a signature may use are two tables keyed by OID: digests and
// signature schemes. The GOST entries (gostalg.go) are added to both at
// init; their verify functions read the key from
// cert.RawSubjectPublicKeyInfo, since crypto/x509 leaves GOST keys unparsed.

// digestAlgorithm is a message digest usable in a SignerInfo.
type digestAlgorithm struct {
	name string
	hash crypto.Hash // the crypto.Hash, or 0 for a hash the standard library lacks
	new  func() hash.Hash
}

// signatureAlgorithm verifies a signature over a digest made with d.
type signatureAlgorithm struct {
	name string
	// digest, when set, is the digest OID the scheme implies (e.g.
	// sha256WithRSAEncryption); the SignerInfo's digest must then match it.
	digest string
	verify func(cert *x509.Certificate, d digestAlgorithm, digest, sig []byte) error
}

var (
	oidSHA256 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidSHA384 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	oidSHA512 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}

	oidRSAEncryption   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidSHA256WithRSA   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	oidSHA384WithRSA   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 12}
	oidSHA512WithRSA   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 13}
	oidECPublicKey     = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidECDSAWithSHA256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidECDSAWithSHA384 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	oidECDSAWithSHA512 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
)

// digestAlgorithms maps a digest OID to the digest. SHA-1 is deliberately
// absent: a new signature over it is not accepted.
var digestAlgorithms = map[string]digestAlgorithm{
	oidSHA256.String(): {"SHA-256", crypto.SHA256, sha256.New},
	oidSHA384.String(): {"SHA-384", crypto.SHA384, sha512.New384},
	oidSHA512.String(): {"SHA-512", crypto.SHA512, sha512.New},
	// Streebog and GOST 34.311-95: see gostalg.go.
}

// signatureAlgorithms maps a SignerInfo signature algorithm OID to its scheme.
var signatureAlgorithms = map[string]signatureAlgorithm{
	oidRSAEncryption.String():   {name: "RSA", verify: verifyRSA},
	oidSHA256WithRSA.String():   {name: "SHA256-RSA", digest: oidSHA256.String(), verify: verifyRSA},
	oidSHA384WithRSA.String():   {name: "SHA384-RSA", digest: oidSHA384.String(), verify: verifyRSA},
	oidSHA512WithRSA.String():   {name: "SHA512-RSA", digest: oidSHA512.String(), verify: verifyRSA},
	oidECPublicKey.String():     {name: "ECDSA", verify: verifyECDSA},
	oidECDSAWithSHA256.String(): {name: "ECDSA-SHA256", digest: oidSHA256.String(), verify: verifyECDSA},
	oidECDSAWithSHA384.String(): {name: "ECDSA-SHA384", digest: oidSHA384.String(), verify: verifyECDSA},
	oidECDSAWithSHA512.String(): {name: "ECDSA-SHA512", digest: oidSHA512.String(), verify: verifyECDSA},
	// GOST 34.10-2015 and 34.310-2004: see gostalg.go.
}

func verifyRSA(cert *x509.Certificate, d digestAlgorithm, digest, sig []byte) error {
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return fmt.Errorf("RSA signature but the certificate key is %T", cert.PublicKey)
	}
	if d.hash == 0 {
		return fmt.Errorf("RSA with %s is not supported", d.name)
	}
	return rsa.VerifyPKCS1v15(pub, d.hash, digest, sig)
}

func verifyECDSA(cert *x509.Certificate, _ digestAlgorithm, digest, sig []byte) error {
	pub, ok := cert.PublicKey.(*ecdsa.PublicKey)
	if !ok {
		return fmt.Errorf("ECDSA signature but the certificate key is %T", cert.PublicKey)
	}
	if !ecdsa.VerifyASN1(pub, digest, sig) {
		return errors.New("ECDSA signature does not verify")
	}
	return nil
}

// lookupAlgorithms returns the digest and scheme a SignerInfo names.
func lookupAlgorithms(si signerInfo) (digestAlgorithm, signatureAlgorithm, error) {
	dOID := si.DigestAlgorithm.Algorithm.String()
	d, ok := digestAlgorithms[dOID]
	if !ok {
		return d, signatureAlgorithm{}, fmt.Errorf("unsupported digest algorithm %s", dOID)
	}
	sOID := si.SignatureAlgorithm.Algorithm.String()
	s, ok := signatureAlgorithms[sOID]
	if !ok {
		return d, s, fmt.Errorf("unsupported signature algorithm %s", sOID)
	}
	if s.digest != "" && s.digest != dOID {
		return d, s, fmt.Errorf("signature algorithm %s does not go with digest %s", s.name, d.name)
	}
	return d, s, nil
}
