package eds

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/binary"
)

// signatureID returns the identity of a verified signature, by which the
// service refuses to accept one signature twice: SHA-256 over the signer's
// public key (SubjectPublicKeyInfo) and what the key signed — the DER of the
// signed attributes, or, for a signature without them, the content's
// SHA-256. Each part is length-prefixed.
//
// Neither the CMS bytes nor the signature value would do: a CMS can be
// re-encoded without the key (another certificate set, unsigned attributes)
// and still verify, and an ECDSA signature (r, s) has a twin (r, n−s) that
// verifies too. What the key signed cannot be changed without the key, and
// the signed attributes hold both the content's digest and the signing
// time, so two signings of one body are two signatures unless they fall in
// the same second. Keying by the public key rather than the certificate
// keeps a copy wrapped in another certificate of the same key the same.
func signatureID(leaf *x509.Certificate, p *parsedCMS, content []byte) []byte {
	signed := p.signedAttrs
	if signed == nil {
		d := sha256.Sum256(content)
		signed = d[:]
	}
	h := sha256.New()
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(leaf.RawSubjectPublicKeyInfo)))
	h.Write(n[:])
	h.Write(leaf.RawSubjectPublicKeyInfo)
	binary.BigEndian.PutUint64(n[:], uint64(len(signed)))
	h.Write(n[:])
	h.Write(signed)
	return h.Sum(nil)
}
