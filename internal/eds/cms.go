package eds

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"time"
)

// CMS (RFC 5652) object identifiers.
var (
	oidData          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSignedData    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidContentType   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidMessageDigest = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidSigningTime   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
)

// The ASN.1 shapes below are what encoding/asn1 needs to read and write a
// SignedData. Fields kept as RawValue are those whose exact bytes matter
// (signed attributes are signed as encoded) or that take several forms.

type contentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"explicit,tag:0"`
}

type signedData struct {
	Version          int
	DigestAlgorithms []pkix.AlgorithmIdentifier `asn1:"set"`
	EncapContentInfo encapContentInfo
	Certificates     asn1.RawValue `asn1:"optional,tag:0"`
	CRLs             asn1.RawValue `asn1:"optional,tag:1"`
	SignerInfos      []signerInfo  `asn1:"set"`
}

type encapContentInfo struct {
	EContentType asn1.ObjectIdentifier
	EContent     asn1.RawValue `asn1:"optional,explicit,tag:0"`
}

type signerInfo struct {
	Version            int
	SID                asn1.RawValue // IssuerAndSerialNumber or [0] SubjectKeyIdentifier
	DigestAlgorithm    pkix.AlgorithmIdentifier
	SignedAttrs        asn1.RawValue `asn1:"optional,tag:0"`
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          []byte
	UnsignedAttrs      asn1.RawValue `asn1:"optional,tag:1"`
}

type issuerAndSerial struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

type attribute struct {
	Type   asn1.ObjectIdentifier
	Values asn1.RawValue `asn1:"set"`
}

// parsedCMS is a detached SignedData with one signer, read but not verified.
type parsedCMS struct {
	certs     []*x509.Certificate
	signer    signerInfo
	signerSID asn1.RawValue

	// signedAttrs is the DER of the signed attributes as a SET (the bytes the
	// signature covers); nil when the signer signed the content directly.
	signedAttrs   []byte
	messageDigest []byte
	signingTime   time.Time // zero when absent
}

var errNotSignedData = errors.New("not a CMS SignedData")

// parseCMS reads a detached CMS SignedData. Every error it returns is a
// malformation, reported by the caller as signature_invalid.
func parseCMS(der []byte) (*parsedCMS, error) {
	var ci contentInfo
	rest, err := asn1.Unmarshal(der, &ci)
	if err != nil {
		return nil, fmt.Errorf("content info: %w", err)
	}
	if len(bytes.TrimRight(rest, "\x00")) != 0 {
		return nil, errors.New("trailing data after content info")
	}
	if !ci.ContentType.Equal(oidSignedData) {
		return nil, errNotSignedData
	}
	var sd signedData
	if rest, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil {
		return nil, fmt.Errorf("signed data: %w", err)
	} else if len(rest) != 0 {
		return nil, errors.New("trailing data after signed data")
	}
	if !sd.EncapContentInfo.EContentType.Equal(oidData) {
		return nil, fmt.Errorf("encapsulated content type %v is not id-data", sd.EncapContentInfo.EContentType)
	}
	if len(sd.EncapContentInfo.EContent.FullBytes) != 0 {
		return nil, errors.New("signature is not detached: it carries its own content")
	}
	if len(sd.SignerInfos) != 1 {
		return nil, fmt.Errorf("want exactly one signer, got %d", len(sd.SignerInfos))
	}
	p := &parsedCMS{signer: sd.SignerInfos[0], signerSID: sd.SignerInfos[0].SID}
	if c := sd.Certificates; len(c.FullBytes) != 0 {
		if c.Class != asn1.ClassContextSpecific || !c.IsCompound {
			return nil, errors.New("certificates: bad tag")
		}
		p.certs, err = parseCertSet(c.Bytes)
		if err != nil {
			return nil, err
		}
	}
	if sa := p.signer.SignedAttrs; len(sa.FullBytes) != 0 {
		if !sa.IsCompound {
			return nil, errors.New("signed attributes: bad tag")
		}
		if err := p.readSignedAttrs(sa); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// parseCertSet parses the certificates of a SignedData. Other certificate
// choices (attribute certificates and the like) are skipped.
func parseCertSet(b []byte) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for len(b) > 0 {
		var raw asn1.RawValue
		var err error
		b, err = asn1.Unmarshal(b, &raw)
		if err != nil {
			return nil, fmt.Errorf("certificates: %w", err)
		}
		if raw.Class != asn1.ClassUniversal || raw.Tag != asn1.TagSequence {
			continue
		}
		c, err := x509.ParseCertificate(raw.FullBytes)
		if err != nil {
			return nil, fmt.Errorf("certificates: %w", err)
		}
		out = append(out, c)
	}
	return out, nil
}

// readSignedAttrs keeps the DER the signature covers (the [0] IMPLICIT tag
// replaced by the SET tag, RFC 5652 §5.4) and reads the attributes we use.
func (p *parsedCMS) readSignedAttrs(sa asn1.RawValue) error {
	set := append([]byte(nil), sa.FullBytes...)
	set[0] = 0x31 // SET, constructed
	p.signedAttrs = set
	var attrs []attribute
	if rest, err := asn1.UnmarshalWithParams(set, &attrs, "set"); err != nil {
		return fmt.Errorf("signed attributes: %w", err)
	} else if len(rest) != 0 {
		return errors.New("signed attributes: trailing data")
	}
	seen := map[string]bool{}
	var contentType asn1.ObjectIdentifier
	for _, a := range attrs {
		k := a.Type.String()
		if seen[k] {
			return fmt.Errorf("signed attributes: %s appears twice", k)
		}
		seen[k] = true
		switch {
		case a.Type.Equal(oidContentType):
			if err := singleValue(a, &contentType); err != nil {
				return err
			}
		case a.Type.Equal(oidMessageDigest):
			if err := singleValue(a, &p.messageDigest); err != nil {
				return err
			}
		case a.Type.Equal(oidSigningTime):
			if err := singleValue(a, &p.signingTime); err != nil {
				return err
			}
		}
	}
	if !contentType.Equal(oidData) {
		return errors.New("signed attributes: content type is missing or not id-data")
	}
	if p.messageDigest == nil {
		return errors.New("signed attributes: message digest is missing")
	}
	return nil
}

// singleValue decodes the one value of a single-valued attribute.
func singleValue(a attribute, out any) error {
	rest, err := asn1.Unmarshal(a.Values.Bytes, out)
	if err != nil {
		return fmt.Errorf("signed attribute %v: %w", a.Type, err)
	}
	if len(rest) != 0 {
		return fmt.Errorf("signed attribute %v: more than one value", a.Type)
	}
	return nil
}

// signerCert finds the certificate the signer identifier names among certs.
func (p *parsedCMS) signerCert(certs []*x509.Certificate) (*x509.Certificate, error) {
	sid := p.signerSID
	switch {
	case sid.Class == asn1.ClassUniversal && sid.Tag == asn1.TagSequence:
		var ias issuerAndSerial
		if _, err := asn1.Unmarshal(sid.FullBytes, &ias); err != nil {
			return nil, fmt.Errorf("signer identifier: %w", err)
		}
		if ias.Serial == nil {
			return nil, errors.New("signer identifier: no serial number")
		}
		for _, c := range certs {
			if c.SerialNumber.Cmp(ias.Serial) == 0 && bytes.Equal(c.RawIssuer, ias.Issuer.FullBytes) {
				return c, nil
			}
		}
	case sid.Class == asn1.ClassContextSpecific && sid.Tag == 0 && !sid.IsCompound:
		for _, c := range certs {
			if len(c.SubjectKeyId) > 0 && bytes.Equal(c.SubjectKeyId, sid.Bytes) {
				return c, nil
			}
		}
	default:
		return nil, errors.New("signer identifier: unknown form")
	}
	return nil, errors.New("the signer's certificate is not in the signature")
}
