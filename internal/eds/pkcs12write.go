package eds

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
)

// writePKCS12 writes a key store in the NCA's format, which readPKCS12 (and
// OpenSSL with -legacy) reads: the PKCS#8 key keyDER in a shrouded key bag
// under pbeWithSHA1And3-KeyTripleDES-CBC, the certificates (cert first) in
// an EncryptedData under pbeWithSHA1And40BitRC2-CBC, an HMAC-SHA1 MAC. It is
// for demo key stores only: 40-bit RC2 protects nothing, which does not
// matter for certificates but is why the key is under 3DES.
func writePKCS12(keyDER []byte, cert *x509.Certificate, chain []*x509.Certificate, password string) ([]byte, error) {
	const iterations = 2048
	pw := bmpPassword(password)
	keyID := sha1.Sum(cert.RawSubjectPublicKeyInfo)
	idAttr, err := localKeyIDAttr(keyID[:])
	if err != nil {
		return nil, err
	}

	keyAlg, err := newPBEAlg(oidPBEWithSHA1And3DES, iterations)
	if err != nil {
		return nil, err
	}
	encKey, err := pbeEncrypt(keyAlg, pw, keyDER)
	if err != nil {
		return nil, err
	}
	epki, err := asn1.Marshal(encryptedPrivateKeyInfo{Algorithm: keyAlg, Data: encKey})
	if err != nil {
		return nil, err
	}
	keyBags, err := marshalBags([]bagOut{{oidShroudedKeyBag, epki, idAttr}})
	if err != nil {
		return nil, err
	}

	var certBags []bagOut
	for i, c := range append([]*x509.Certificate{cert}, chain...) {
		inner, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true,
			Bytes: mustMarshal(c.Raw)})
		if err != nil {
			return nil, err
		}
		oid, _ := asn1.Marshal(oidX509CertType)
		cb, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSequence, IsCompound: true,
			Bytes: append(oid, inner...)})
		if err != nil {
			return nil, err
		}
		var attrs []byte
		if i == 0 {
			attrs = idAttr
		}
		certBags = append(certBags, bagOut{oidCertBag, cb, attrs})
	}
	certSafe, err := marshalBags(certBags)
	if err != nil {
		return nil, err
	}
	certAlg, err := newPBEAlg(oidPBEWithSHA1AndRC2_40, iterations)
	if err != nil {
		return nil, err
	}
	encCerts, err := pbeEncrypt(certAlg, pw, certSafe)
	if err != nil {
		return nil, err
	}
	ed, err := asn1.Marshal(struct {
		Version int
		Info    struct {
			ContentType asn1.ObjectIdentifier
			Algorithm   pkix.AlgorithmIdentifier
			Content     asn1.RawValue
		}
	}{Version: 0, Info: struct {
		ContentType asn1.ObjectIdentifier
		Algorithm   pkix.AlgorithmIdentifier
		Content     asn1.RawValue
	}{oidData, certAlg, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, Bytes: encCerts}}})
	if err != nil {
		return nil, err
	}

	authSafe, err := asn1.Marshal([]contentInfo{
		{ContentType: oidData, Content: explicit0(mustMarshal(keyBags))},
		{ContentType: oidEncryptedData, Content: explicit0(ed)},
	})
	if err != nil {
		return nil, err
	}
	salt := make([]byte, 20)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	m := hmac.New(sha1.New, pkcs12KDF(pw, salt, iterations, 3, sha1.Size))
	m.Write(authSafe)
	out, err := asn1.Marshal(pfx{
		Version:  3,
		AuthSafe: contentInfo{ContentType: oidData, Content: explicit0(mustMarshal(authSafe))},
		MacData: macData{Mac: digestInfo{Algorithm: pkix.AlgorithmIdentifier{Algorithm: oidSHA1, Parameters: asn1.NullRawValue},
			Digest: m.Sum(nil)}, MacSalt: salt, Iterations: iterations},
	})
	if err != nil {
		return nil, fmt.Errorf("eds: key store: %w", err)
	}
	return out, nil
}

type bagOut struct {
	id    asn1.ObjectIdentifier
	value []byte // DER of the bag value
	attrs []byte // DER of SET OF Attribute, or nil
}

func marshalBags(bags []bagOut) ([]byte, error) {
	var body []byte
	for _, b := range bags {
		oid, err := asn1.Marshal(b.id)
		if err != nil {
			return nil, err
		}
		v, err := asn1.Marshal(explicit0(b.value))
		if err != nil {
			return nil, err
		}
		bag, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSequence, IsCompound: true,
			Bytes: append(append(oid, v...), b.attrs...)})
		if err != nil {
			return nil, err
		}
		body = append(body, bag...)
	}
	return asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSequence, IsCompound: true, Bytes: body})
}

func localKeyIDAttr(id []byte) ([]byte, error) {
	v, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: mustMarshal(id)})
	if err != nil {
		return nil, err
	}
	oid, _ := asn1.Marshal(oidLocalKeyID)
	attr, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSequence, IsCompound: true, Bytes: append(oid, v...)})
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: attr})
}

func newPBEAlg(oid asn1.ObjectIdentifier, iterations int) (pkix.AlgorithmIdentifier, error) {
	salt := make([]byte, 20)
	if _, err := rand.Read(salt); err != nil {
		return pkix.AlgorithmIdentifier{}, err
	}
	params, err := asn1.Marshal(pbeParams{Salt: salt, Iterations: iterations})
	if err != nil {
		return pkix.AlgorithmIdentifier{}, err
	}
	return pkix.AlgorithmIdentifier{Algorithm: oid, Parameters: asn1.RawValue{FullBytes: params}}, nil
}

// explicit0 wraps DER in a [0] EXPLICIT tag.
func explicit0(der []byte) asn1.RawValue {
	return asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: der}
}

// mustMarshal encodes an OCTET STRING (which cannot fail).
func mustMarshal(b []byte) []byte {
	out, err := asn1.Marshal(b)
	if err != nil {
		panic(err)
	}
	return out
}
