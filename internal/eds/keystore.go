package eds

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"

	"software.sslmate.com/src/go-pkcs12"

	"tirkeu/internal/gost"
)

// KeyStore is a signing key with its certificate and the CA certificates
// stored beside it, read from a PKCS#12 file.
type KeyStore struct {
	Key   crypto.Signer // *rsa.PrivateKey, *ecdsa.PrivateKey or *GOSTSigner
	Cert  *x509.Certificate
	Chain []*x509.Certificate
	// KeyEncoding is how a GOST private key was written ("octets-le",
	// "octets-be" or "integer"); "" for other keys.
	KeyEncoding string
}

// OpenKeyStore reads a PKCS#12 key store: the NCA's (Kalkan's) as it writes
// them, the demo CA's, or (through go-pkcs12) a modern one (PBES2/AES).
func OpenKeyStore(p12 []byte, password string) (*KeyStore, error) {
	c, err := readPKCS12(p12, password)
	if errors.Is(err, errPKCS12Unsupported) {
		key, cert, chain, err := pkcs12.DecodeChain(p12, password)
		if err != nil {
			return nil, fmt.Errorf("eds: key store: %w", err)
		}
		signer, ok := key.(crypto.Signer)
		if !ok {
			return nil, fmt.Errorf("eds: key store: key of type %T cannot sign", key)
		}
		return &KeyStore{Key: signer, Cert: cert, Chain: chain}, nil
	}
	if err != nil {
		return nil, err
	}
	return c.keyStore()
}

type pkcs8 struct {
	Version    int
	Algorithm  pkix.AlgorithmIdentifier
	PrivateKey []byte
	Attributes asn1.RawValue `asn1:"optional,tag:0"`
}

// keyStore matches the key with its certificate: by localKeyID, else by
// public key.
func (c *keyStoreContents) keyStore() (*KeyStore, error) {
	var p pkcs8
	if _, err := asn1.Unmarshal(c.keyDER, &p); err != nil {
		return nil, fmt.Errorf("eds: key store: private key: %w", err)
	}
	ks := &KeyStore{}
	cert := -1
	if len(c.keyID) > 0 {
		for i, id := range c.certKeyIDs {
			if bytes.Equal(id, c.keyID) {
				cert = i
				break
			}
		}
	}
	if gostKeyAlgorithms[p.Algorithm.Algorithm.String()] {
		curve, err := gostCurve(p.Algorithm.Parameters.FullBytes)
		if err != nil {
			return nil, fmt.Errorf("eds: key store: %w", err)
		}
		var found *gost.PrivateKey
		for i, crt := range c.certs {
			if cert >= 0 && i != cert {
				continue
			}
			pub, err := gostPublicKey(crt)
			if err != nil {
				continue
			}
			if k, enc, err := gostPrivateKey(curve, p.PrivateKey, pub); err == nil {
				found, ks.KeyEncoding, cert = k, enc, i
				break
			}
		}
		if found == nil {
			return nil, errors.New("eds: key store: the GOST private key does not match any certificate in it")
		}
		ks.Key = &GOSTSigner{Key: found}
	} else {
		k, err := x509.ParsePKCS8PrivateKey(c.keyDER)
		if err != nil {
			return nil, fmt.Errorf("eds: key store: private key: %w", err)
		}
		signer, ok := k.(crypto.Signer)
		if !ok {
			return nil, fmt.Errorf("eds: key store: key of type %T cannot sign", k)
		}
		ks.Key = signer
		if cert < 0 {
			for i, crt := range c.certs {
				if pk, ok := crt.PublicKey.(interface{ Equal(crypto.PublicKey) bool }); ok && pk.Equal(signer.Public()) {
					cert = i
					break
				}
			}
		}
		if cert < 0 {
			return nil, errors.New("eds: key store: no certificate for the private key")
		}
	}
	ks.Cert = c.certs[cert]
	for i, crt := range c.certs {
		if i != cert {
			ks.Chain = append(ks.Chain, crt)
		}
	}
	return ks, nil
}

// gostPrivateKey reads the private scalar of a GOST PKCS#8 key, which
// writers encode differently (an OCTET STRING little- or big-endian, or an
// INTEGER), and returns the reading whose public key D·G is the
// certificate's — which proves the reading right.
func gostPrivateKey(curve *gost.Curve, field []byte, pub *gost.PublicKey) (*gost.PrivateKey, string, error) {
	type candidate struct {
		name string
		d    *big.Int
	}
	var cands []candidate
	var octets []byte
	if rest, err := asn1.Unmarshal(field, &octets); err == nil && len(rest) == 0 {
		cands = append(cands, candidate{"octets-le", new(big.Int).SetBytes(reversed(octets))},
			candidate{"octets-be", new(big.Int).SetBytes(octets)})
	} else {
		var d *big.Int
		if rest, err := asn1.Unmarshal(field, &d); err == nil && len(rest) == 0 && d.Sign() > 0 {
			cands = append(cands, candidate{"integer", d})
		} else {
			// A bare scalar, as some writers leave it.
			cands = append(cands, candidate{"raw-le", new(big.Int).SetBytes(reversed(field))},
				candidate{"raw-be", new(big.Int).SetBytes(field)})
		}
	}
	for _, c := range cands {
		k, err := gost.NewPrivateKey(curve, c.d)
		if err != nil {
			continue
		}
		if k.X.Cmp(pub.X) == 0 && k.Y.Cmp(pub.Y) == 0 {
			return k, c.name, nil
		}
	}
	return nil, "", errors.New("no reading of the private key matches the public key")
}

func reversed(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		out[len(b)-1-i] = c
	}
	return out
}
