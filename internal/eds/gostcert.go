package eds

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"

	"tirkeu/internal/gost"
)

// Writing GOST keys and certificates, for the demo CA: the shapes the NCA
// uses (its GOST 34.10-2015 512-bit paramSetA keys with Streebog-512).

// gostKeyAlgID is the AlgorithmIdentifier of an NCA GOST 34.10-2015 512 key.
func gostKeyAlgID() (pkix.AlgorithmIdentifier, error) {
	params, err := asn1.Marshal(gostKeyParams{Curve: oidKZCurve512A, Digest: oidKZStreebog512})
	if err != nil {
		return pkix.AlgorithmIdentifier{}, err
	}
	return pkix.AlgorithmIdentifier{Algorithm: oidKZGOST2015Key, Parameters: asn1.RawValue{FullBytes: params}}, nil
}

// marshalGOSTSPKI encodes pub as the NCA does: the KZ key OID with curve and
// digest, and a BIT STRING holding OCTET STRING LE(X)‖LE(Y).
func marshalGOSTSPKI(pub *gost.PublicKey) ([]byte, error) {
	if pub.Curve.Size() != 64 {
		return nil, errors.New("eds: only 512-bit GOST keys are written")
	}
	alg, err := gostKeyAlgID()
	if err != nil {
		return nil, err
	}
	raw, err := asn1.Marshal(pub.Raw())
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(subjectPublicKeyInfo{Algorithm: alg, PublicKey: asn1.BitString{Bytes: raw, BitLength: 8 * len(raw)}})
}

// marshalGOSTPKCS8 encodes a GOST private key as the NCA's key stores hold
// it: PKCS#8 with the KZ key algorithm, the private key field an OCTET
// STRING of the scalar, little-endian (as found by TestNCAKeyStores).
func marshalGOSTPKCS8(k *gost.PrivateKey) ([]byte, error) {
	alg, err := gostKeyAlgID()
	if err != nil {
		return nil, err
	}
	d := make([]byte, k.Curve.Size())
	k.D.FillBytes(d)
	inner, err := asn1.Marshal(reversed(d))
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(pkcs8{Version: 0, Algorithm: alg, PrivateKey: inner})
}

// isGOSTPKCS8 reports whether der is a PKCS#8 key with a GOST algorithm.
func isGOSTPKCS8(der []byte) bool {
	var p pkcs8
	_, err := asn1.Unmarshal(der, &p)
	return err == nil && gostKeyAlgorithms[p.Algorithm.Algorithm.String()]
}

// parseGOSTPKCS8 reads what marshalGOSTPKCS8 writes.
func parseGOSTPKCS8(der []byte) (*gost.PrivateKey, error) {
	var p pkcs8
	if _, err := asn1.Unmarshal(der, &p); err != nil {
		return nil, err
	}
	curve, err := gostCurve(p.Algorithm.Parameters.FullBytes)
	if err != nil {
		return nil, err
	}
	var d []byte
	if _, err := asn1.Unmarshal(p.PrivateKey, &d); err != nil {
		return nil, err
	}
	return gost.NewPrivateKey(curve, new(big.Int).SetBytes(reversed(d)))
}

// createCertificate issues a certificate from tmpl for pub, signed by signer
// as parent (tmpl itself when parent is nil). crypto/x509 encodes the
// certificate; when a GOST key is involved it is made with a stand-in ECDSA
// key, and the subject key and signature are then replaced by the GOST ones.
func createCertificate(tmpl, parent *x509.Certificate, pub crypto.PublicKey, signer crypto.Signer) (*x509.Certificate, error) {
	gostPub, subjectGOST := pub.(*gost.PublicKey)
	gostSigner, issuerGOST := signer.(*GOSTSigner)
	if !subjectGOST && !issuerGOST {
		if parent == nil {
			parent = tmpl
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
		if err != nil {
			return nil, err
		}
		return x509.ParseCertificate(der)
	}
	stand, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	t := *tmpl
	x509Pub, x509Signer := pub, signer
	if subjectGOST {
		x509Pub = stand.Public()
		if t.SubjectKeyId == nil {
			id := sha1.Sum(gostPub.Raw())
			t.SubjectKeyId = id[:]
		}
	}
	if issuerGOST {
		x509Signer = stand
	}
	p := parent
	if p == nil {
		p = &t
		if subjectGOST {
			// A self-signed GOST certificate: x509 must not compare the
			// stand-in key with a parent key.
			p.PublicKey = nil
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, &t, p, x509Pub, x509Signer)
	if err != nil {
		return nil, err
	}
	var rc rawCertificate
	if _, err := asn1.Unmarshal(der, &rc); err != nil {
		return nil, err
	}
	var fields []asn1.RawValue
	for rest := rc.TBS.Bytes; len(rest) > 0; {
		var f asn1.RawValue
		if rest, err = asn1.Unmarshal(rest, &f); err != nil {
			return nil, err
		}
		fields = append(fields, f)
	}
	if len(fields) < 7 {
		return nil, errors.New("eds: unexpected TBS certificate shape")
	}
	// fields: 0 version, 1 serial, 2 signature, 3 issuer, 4 validity, 5 subject, 6 SPKI, 7 extensions
	sigAlg := rc.Algorithm
	if issuerGOST {
		sigAlg = pkix.AlgorithmIdentifier{Algorithm: oidKZGOST2015Sig512, Parameters: asn1.NullRawValue}
		b, err := asn1.Marshal(sigAlg)
		if err != nil {
			return nil, err
		}
		fields[2] = asn1.RawValue{FullBytes: b}
	}
	if subjectGOST {
		spki, err := marshalGOSTSPKI(gostPub)
		if err != nil {
			return nil, err
		}
		fields[6] = asn1.RawValue{FullBytes: spki}
	}
	var body []byte
	for _, f := range fields {
		body = append(body, f.FullBytes...)
	}
	tbs, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSequence, IsCompound: true, Bytes: body})
	if err != nil {
		return nil, err
	}
	var sig []byte
	if issuerGOST {
		h := gost.NewStreebog512()
		h.Write(tbs)
		if sig, err = gostSigner.Sign(rand.Reader, h.Sum(nil), nil); err != nil {
			return nil, err
		}
	} else {
		d := sha256.Sum256(tbs)
		if sig, err = signer.Sign(rand.Reader, d[:], crypto.SHA256); err != nil {
			return nil, err
		}
	}
	out, err := asn1.Marshal(rawCertificate{TBS: asn1.RawValue{FullBytes: tbs}, Algorithm: sigAlg,
		Signature: asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)}})
	if err != nil {
		return nil, err
	}
	c, err := x509.ParseCertificate(out)
	if err != nil {
		return nil, fmt.Errorf("eds: issued certificate does not parse: %w", err)
	}
	return c, nil
}
