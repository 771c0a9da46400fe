package eds

import (
	"bytes"
	"crypto/cipher"
	"crypto/des"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"unicode/utf16"
)

// A reader (and, for demo key stores, a writer) of PKCS#12 (RFC 7292) as the
// NCA's Kalkan writes it: BER with indefinite lengths, the key in a
// pkcs8ShroudedKeyBag under pbeWithSHA1And3-KeyTripleDES-CBC, the
// certificates in an EncryptedData under pbeWithSHA1And40BitRC2-CBC, and an
// HMAC-SHA1 MAC. The password-based keys come from the PKCS#12 KDF (RFC 7292
// appendix B) with SHA-1. go-pkcs12 refuses these files (it reads DER only).

var (
	oidPBEWithSHA1And3DES    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 3}
	oidPBEWithSHA1AndRC2_128 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 5}
	oidPBEWithSHA1AndRC2_40  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 6}
	oidEncryptedData         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 6}
	oidKeyBag                = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 1}
	oidShroudedKeyBag        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 2}
	oidCertBag               = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 3}
	oidX509CertType          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 22, 1}
	oidLocalKeyID            = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 21}
	oidSHA1                  = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
)

// ErrKeyStorePassword is returned when the key store's MAC does not verify:
// the password is wrong (or the file was altered).
var ErrKeyStorePassword = errors.New("eds: key store: wrong password or the file is damaged (MAC mismatch)")

// errPKCS12Unsupported marks a well-formed key store that uses a scheme this
// reader does not know (PBES2, say); Sign then falls back to go-pkcs12.
var errPKCS12Unsupported = errors.New("eds: key store: unsupported scheme")

// p12MaxIterations bounds the KDF's work, so that a crafted file cannot make
// us hash for minutes.
const p12MaxIterations = 1 << 20

type pfx struct {
	Version  int
	AuthSafe contentInfo
	MacData  macData `asn1:"optional"`
}

type macData struct {
	Mac        digestInfo
	MacSalt    []byte
	Iterations int `asn1:"optional,default:1"`
}

type digestInfo struct {
	Algorithm pkix.AlgorithmIdentifier
	Digest    []byte
}

type safeBag struct {
	ID         asn1.ObjectIdentifier
	Value      asn1.RawValue     `asn1:"explicit,tag:0"`
	Attributes []pkcs12Attribute `asn1:"set,optional"`
}

type pkcs12Attribute struct {
	ID     asn1.ObjectIdentifier
	Values asn1.RawValue `asn1:"set"`
}

type encryptedPrivateKeyInfo struct {
	Algorithm pkix.AlgorithmIdentifier
	Data      []byte
}

type pbeParams struct {
	Salt       []byte
	Iterations int
}

type certBag struct {
	ID   asn1.ObjectIdentifier
	Data []byte `asn1:"explicit,tag:0"`
}

type encryptedData struct {
	Version int
	Info    encryptedContentInfo
}

type encryptedContentInfo struct {
	ContentType asn1.ObjectIdentifier
	Algorithm   pkix.AlgorithmIdentifier
	Content     asn1.RawValue `asn1:"tag:0,optional"`
}

// keyStoreContents is what a key store holds: the decrypted PKCS#8 of its
// one private key and its certificates, with their localKeyIDs.
type keyStoreContents struct {
	keyDER     []byte
	keyID      []byte
	certs      []*x509.Certificate
	certKeyIDs [][]byte
}

// readPKCS12 decrypts a key store. It never panics on malformed input.
func readPKCS12(data []byte, password string) (*keyStoreContents, error) {
	der, _, err := berToDER(data)
	if err != nil {
		return nil, fmt.Errorf("eds: key store: %w", err)
	}
	var p pfx
	if _, err := asn1.Unmarshal(der, &p); err != nil {
		return nil, fmt.Errorf("eds: key store: %w", err)
	}
	if p.Version != 3 {
		return nil, fmt.Errorf("eds: key store: version %d, want 3", p.Version)
	}
	if !p.AuthSafe.ContentType.Equal(oidData) {
		return nil, fmt.Errorf("%w: authSafe content type %v (public-key integrity mode)", errPKCS12Unsupported, p.AuthSafe.ContentType)
	}
	var authSafe []byte
	if _, err := asn1.Unmarshal(p.AuthSafe.Content.Bytes, &authSafe); err != nil {
		return nil, fmt.Errorf("eds: key store: authSafe: %w", err)
	}
	pw := bmpPassword(password)
	if len(p.MacData.Mac.Digest) == 0 {
		return nil, errors.New("eds: key store: no MAC (refusing an unauthenticated key store)")
	}
	if !p.MacData.Mac.Algorithm.Algorithm.Equal(oidSHA1) {
		return nil, fmt.Errorf("%w: MAC digest %v", errPKCS12Unsupported, p.MacData.Mac.Algorithm.Algorithm)
	}
	if p.MacData.Iterations < 1 || p.MacData.Iterations > p12MaxIterations {
		return nil, fmt.Errorf("eds: key store: MAC iteration count %d out of range", p.MacData.Iterations)
	}
	macKey := pkcs12KDF(pw, p.MacData.MacSalt, p.MacData.Iterations, 3, sha1.Size)
	m := hmac.New(sha1.New, macKey)
	m.Write(authSafe)
	if subtle.ConstantTimeCompare(m.Sum(nil), p.MacData.Mac.Digest) != 1 {
		return nil, ErrKeyStorePassword
	}

	authDER, _, err := berToDER(authSafe)
	if err != nil {
		return nil, fmt.Errorf("eds: key store: authSafe: %w", err)
	}
	var infos []contentInfo
	if _, err := asn1.Unmarshal(authDER, &infos); err != nil {
		return nil, fmt.Errorf("eds: key store: authSafe: %w", err)
	}
	out := &keyStoreContents{}
	for _, ci := range infos {
		var safe []byte
		switch {
		case ci.ContentType.Equal(oidData):
			if _, err := asn1.Unmarshal(ci.Content.Bytes, &safe); err != nil {
				return nil, fmt.Errorf("eds: key store: safe contents: %w", err)
			}
		case ci.ContentType.Equal(oidEncryptedData):
			var ed encryptedData
			if _, err := asn1.Unmarshal(ci.Content.Bytes, &ed); err != nil {
				return nil, fmt.Errorf("eds: key store: encrypted data: %w", err)
			}
			ct, err := implicitOctets(ed.Info.Content)
			if err != nil {
				return nil, err
			}
			if safe, err = pbeDecrypt(ed.Info.Algorithm, pw, ct); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("%w: authSafe part of type %v", errPKCS12Unsupported, ci.ContentType)
		}
		if err := out.readSafeContents(safe, pw); err != nil {
			return nil, err
		}
	}
	if out.keyDER == nil {
		return nil, errors.New("eds: key store: no private key")
	}
	if len(out.certs) == 0 {
		return nil, errors.New("eds: key store: no certificate")
	}
	return out, nil
}

// implicitOctets returns the contents of an [0] IMPLICIT OCTET STRING,
// primitive or (as BER allows, and berToDER leaves context tags alone)
// constructed of OCTET STRING pieces.
func implicitOctets(v asn1.RawValue) ([]byte, error) {
	if !v.IsCompound {
		return v.Bytes, nil
	}
	var out []byte
	rest := v.Bytes
	for len(rest) > 0 {
		var piece []byte
		var err error
		if rest, err = asn1.Unmarshal(rest, &piece); err != nil {
			return nil, fmt.Errorf("eds: key store: encrypted content: %w", err)
		}
		out = append(out, piece...)
	}
	return out, nil
}

func (out *keyStoreContents) readSafeContents(safe []byte, pw []byte) error {
	der, _, err := berToDER(safe)
	if err != nil {
		return fmt.Errorf("eds: key store: safe contents: %w", err)
	}
	var bags []safeBag
	if _, err := asn1.Unmarshal(der, &bags); err != nil {
		return fmt.Errorf("eds: key store: safe contents: %w", err)
	}
	for _, bag := range bags {
		id := localKeyID(bag.Attributes)
		switch {
		case bag.ID.Equal(oidShroudedKeyBag), bag.ID.Equal(oidKeyBag):
			if out.keyDER != nil {
				return errors.New("eds: key store: more than one private key")
			}
			key := bag.Value.Bytes
			if bag.ID.Equal(oidShroudedKeyBag) {
				var epki encryptedPrivateKeyInfo
				if _, err := asn1.Unmarshal(bag.Value.Bytes, &epki); err != nil {
					return fmt.Errorf("eds: key store: key bag: %w", err)
				}
				if key, err = pbeDecrypt(epki.Algorithm, pw, epki.Data); err != nil {
					return err
				}
			}
			if key, _, err = berToDER(key); err != nil {
				return fmt.Errorf("eds: key store: private key: %w", err)
			}
			out.keyDER, out.keyID = key, id
		case bag.ID.Equal(oidCertBag):
			var cb certBag
			if _, err := asn1.Unmarshal(bag.Value.Bytes, &cb); err != nil {
				return fmt.Errorf("eds: key store: cert bag: %w", err)
			}
			if !cb.ID.Equal(oidX509CertType) {
				continue
			}
			c, err := x509.ParseCertificate(cb.Data)
			if err != nil {
				return fmt.Errorf("eds: key store: certificate: %w", err)
			}
			out.certs = append(out.certs, c)
			out.certKeyIDs = append(out.certKeyIDs, id)
		}
	}
	return nil
}

func localKeyID(attrs []pkcs12Attribute) []byte {
	for _, a := range attrs {
		if a.ID.Equal(oidLocalKeyID) {
			var id []byte
			if _, err := asn1.Unmarshal(a.Values.Bytes, &id); err == nil {
				return id
			}
		}
	}
	return nil
}

// pbeDecrypt decrypts data with a PKCS#12 password-based scheme (RFC 7292
// appendix C) and removes its PKCS#7 padding.
func pbeDecrypt(alg pkix.AlgorithmIdentifier, pw, data []byte) ([]byte, error) {
	block, iv, err := pbeCipher(alg, pw)
	if err != nil {
		return nil, err
	}
	bs := block.BlockSize()
	if len(data) == 0 || len(data)%bs != 0 {
		return nil, errors.New("eds: key store: encrypted data is not whole blocks")
	}
	out := make([]byte, len(data))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(out, data)
	n := int(out[len(out)-1])
	if n == 0 || n > bs || n > len(out) {
		return nil, ErrKeyStorePassword
	}
	for _, c := range out[len(out)-n:] {
		if int(c) != n {
			return nil, ErrKeyStorePassword
		}
	}
	return out[:len(out)-n], nil
}

// pbeEncrypt is pbeDecrypt's inverse, for writing demo key stores.
func pbeEncrypt(alg pkix.AlgorithmIdentifier, pw, data []byte) ([]byte, error) {
	block, iv, err := pbeCipher(alg, pw)
	if err != nil {
		return nil, err
	}
	bs := block.BlockSize()
	n := bs - len(data)%bs
	out := append(append([]byte(nil), data...), bytes.Repeat([]byte{byte(n)}, n)...)
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(out, out)
	return out, nil
}

func pbeCipher(alg pkix.AlgorithmIdentifier, pw []byte) (cipher.Block, []byte, error) {
	var params pbeParams
	if _, err := asn1.Unmarshal(alg.Parameters.FullBytes, &params); err != nil {
		return nil, nil, fmt.Errorf("%w: encryption %v: %v", errPKCS12Unsupported, alg.Algorithm, err)
	}
	if params.Iterations < 1 || params.Iterations > p12MaxIterations {
		return nil, nil, fmt.Errorf("eds: key store: iteration count %d out of range", params.Iterations)
	}
	var keyLen int
	var newBlock func(key []byte) (cipher.Block, error)
	switch {
	case alg.Algorithm.Equal(oidPBEWithSHA1And3DES):
		keyLen, newBlock = 24, des.NewTripleDESCipher
	case alg.Algorithm.Equal(oidPBEWithSHA1AndRC2_40):
		keyLen, newBlock = 5, func(k []byte) (cipher.Block, error) { return newRC2(k, 40) }
	case alg.Algorithm.Equal(oidPBEWithSHA1AndRC2_128):
		keyLen, newBlock = 16, func(k []byte) (cipher.Block, error) { return newRC2(k, 128) }
	default:
		return nil, nil, fmt.Errorf("%w: encryption %v", errPKCS12Unsupported, alg.Algorithm)
	}
	key := pkcs12KDF(pw, params.Salt, params.Iterations, 1, keyLen)
	iv := pkcs12KDF(pw, params.Salt, params.Iterations, 2, 8)
	block, err := newBlock(key)
	if err != nil {
		return nil, nil, err
	}
	return block, iv, nil
}

// bmpPassword is the password as PKCS#12 wants it: a BMPString (UTF-16
// big-endian) with two zero bytes at the end.
func bmpPassword(password string) []byte {
	u := utf16.Encode([]rune(password))
	out := make([]byte, 0, 2*len(u)+2)
	for _, c := range u {
		out = append(out, byte(c>>8), byte(c))
	}
	return append(out, 0, 0)
}

// pkcs12KDF derives n bytes of purpose id (1 key, 2 IV, 3 MAC key) from the
// password and salt, RFC 7292 appendix B.2, with SHA-1 (u = 20, v = 64).
func pkcs12KDF(pw, salt []byte, iterations int, id byte, n int) []byte {
	const u, v = sha1.Size, 64
	d := bytes.Repeat([]byte{id}, v)
	fill := func(b []byte) []byte {
		if len(b) == 0 {
			return nil
		}
		out := make([]byte, v*((len(b)+v-1)/v))
		for i := range out {
			out[i] = b[i%len(b)]
		}
		return out
	}
	in := append(fill(salt), fill(pw)...)
	var out []byte
	one := big.NewInt(1)
	for len(out) < n {
		h := sha1.New()
		h.Write(d)
		h.Write(in)
		a := h.Sum(nil)
		for range iterations - 1 {
			s := sha1.Sum(a)
			a = s[:]
		}
		out = append(out, a...)
		if len(out) >= n {
			break
		}
		// B is A repeated to v bytes; every v-byte block I_j of I becomes
		// (I_j + B + 1) mod 2^(8v).
		b := new(big.Int).SetBytes(fill(a)[:v])
		b.Add(b, one)
		mod := new(big.Int).Lsh(one, 8*v)
		for j := 0; j < len(in); j += v {
			x := new(big.Int).SetBytes(in[j : j+v])
			x.Add(x, b).Mod(x, mod)
			x.FillBytes(in[j : j+v])
		}
	}
	return out[:n]
}
