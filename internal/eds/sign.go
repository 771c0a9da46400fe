package eds

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"sort"
	"time"

	"tirkeu/internal/gost"
)

// Sign makes a detached CMS SignedData (DER) over content with the key and
// certificate in a PKCS#12 key store (the NCA's, the demo CA's or a modern
// one): signed attributes contentType, signingTime (now) and messageDigest,
// the signer certificate and the key store's CA certificates included. RSA
// and ECDSA keys sign with SHA-256; GOST keys as NCALayer does, GOST
// 34.10-2015 with Streebog (512 or 256 as the key) under the NCA's OIDs.
func Sign(p12 []byte, password string, content []byte, now time.Time) ([]byte, error) {
	ks, err := OpenKeyStore(p12, password)
	if err != nil {
		return nil, fmt.Errorf("eds: sign: read key store: %w", err)
	}
	return SignWith(ks.Key, ks.Cert, ks.Chain, content, now)
}

// SignWith is Sign with the key and certificates already in hand.
func SignWith(key crypto.Signer, cert *x509.Certificate, chain []*x509.Certificate, content []byte, now time.Time) ([]byte, error) {
	var sigAlg, digestAlg pkix.AlgorithmIdentifier
	var opts crypto.SignerOpts = crypto.SHA256
	newHash := sha256.New
	switch pub := key.Public().(type) {
	case *rsa.PublicKey:
		sigAlg = pkix.AlgorithmIdentifier{Algorithm: oidRSAEncryption, Parameters: asn1.NullRawValue}
		digestAlg = pkix.AlgorithmIdentifier{Algorithm: oidSHA256}
	case *ecdsa.PublicKey:
		sigAlg = pkix.AlgorithmIdentifier{Algorithm: oidECDSAWithSHA256}
		digestAlg = pkix.AlgorithmIdentifier{Algorithm: oidSHA256}
	case *gost.PublicKey:
		s := schemeKZ2015_512
		sigAlg = pkix.AlgorithmIdentifier{Algorithm: oidKZGOST2015Sig512}
		if pub.Curve.Size() == 32 {
			s = schemeKZ2015_256
			sigAlg = pkix.AlgorithmIdentifier{Algorithm: oidKZGOST2015Sig256}
		}
		digestAlg = pkix.AlgorithmIdentifier{Algorithm: s.digest}
		newHash, opts = s.newHash, crypto.Hash(0)
	default:
		return nil, fmt.Errorf("eds: sign: unsupported key type %T", key.Public())
	}
	h := newHash()
	h.Write(content)
	md := h.Sum(nil)

	attrs, err := signedAttributes(md, now)
	if err != nil {
		return nil, fmt.Errorf("eds: sign: %w", err)
	}
	h = newHash()
	h.Write(attrs)
	attrsDigest := h.Sum(nil)
	sig, err := key.Sign(rand.Reader, attrsDigest, opts)
	if err != nil {
		return nil, fmt.Errorf("eds: sign: %w", err)
	}
	// In the SignerInfo the attributes are [0] IMPLICIT, not SET.
	implicitAttrs := append([]byte(nil), attrs...)
	implicitAttrs[0] = 0xa0

	sid, err := asn1.Marshal(issuerAndSerial{Issuer: asn1.RawValue{FullBytes: cert.RawIssuer}, Serial: cert.SerialNumber})
	if err != nil {
		return nil, fmt.Errorf("eds: sign: %w", err)
	}
	var certs bytes.Buffer
	certs.Write(cert.Raw)
	for _, c := range chain {
		certs.Write(c.Raw)
	}
	sd := signedData{
		Version:          1,
		DigestAlgorithms: []pkix.AlgorithmIdentifier{digestAlg},
		EncapContentInfo: encapContentInfo{EContentType: oidData},
		Certificates:     asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: certs.Bytes()},
		SignerInfos: []signerInfo{{
			Version:            1,
			SID:                asn1.RawValue{FullBytes: sid},
			DigestAlgorithm:    digestAlg,
			SignedAttrs:        asn1.RawValue{FullBytes: implicitAttrs},
			SignatureAlgorithm: sigAlg,
			Signature:          sig,
		}},
	}
	inner, err := asn1.Marshal(sd)
	if err != nil {
		return nil, fmt.Errorf("eds: sign: %w", err)
	}
	out, err := asn1.Marshal(contentInfo{ContentType: oidSignedData,
		Content: asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: inner}})
	if err != nil {
		return nil, fmt.Errorf("eds: sign: %w", err)
	}
	return out, nil
}

// signedAttributes returns the DER SET OF the signed attributes, sorted as
// DER requires.
func signedAttributes(digest []byte, now time.Time) ([]byte, error) {
	values := []struct {
		oid asn1.ObjectIdentifier
		v   any
	}{
		{oidContentType, oidData},
		{oidSigningTime, now.UTC().Truncate(time.Second)},
		{oidMessageDigest, digest},
	}
	var encoded [][]byte
	for _, a := range values {
		v, err := asn1.Marshal(a.v)
		if err != nil {
			return nil, err
		}
		set, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: v})
		if err != nil {
			return nil, err
		}
		b, err := asn1.Marshal(struct {
			Type   asn1.ObjectIdentifier
			Values asn1.RawValue
		}{a.oid, asn1.RawValue{FullBytes: set}})
		if err != nil {
			return nil, err
		}
		encoded = append(encoded, b)
	}
	sort.Slice(encoded, func(i, j int) bool { return bytes.Compare(encoded[i], encoded[j]) < 0 })
	return asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: bytes.Join(encoded, nil)})
}
