package eds

import (
	"crypto/sha256"
	"crypto/x509"
	"sync"
)

// chainCacheMax bounds the chain cache; when full it is emptied. An entry
// holds the leaf and the intermediate parsed from the signer's CMS, 5.7 KB
// of heap (measured with demo certificates): 10 000 entries held 57 MB and
// pushed serve past 200 MB resident under a load of new signers; 1 000
// hold 6 MB and keep the signers who sign often (a hotel's
// representative, an operator) warm.
const chainCacheMax = 1000

// chainCache remembers the chain crypto/x509 built from a leaf certificate
// to a trust root, by the SHA-256 of the leaf. Building it costs a signature
// verification per certificate in the chain, two of the three a signed
// request needs; a citizen who signs twice, or an owner who consents to
// several applications, pays them once.
//
// What is cached is independent of time and of what a CMS bundles: the
// path's signatures, names and constraints, checked against the Verifier's
// fixed roots. What depends on time (each certificate's validity at the
// signing time) is checked on every use, as is revocation.
type chainCache struct {
	mu sync.Mutex
	m  map[[sha256.Size]byte][]*x509.Certificate
}

func (c *chainCache) get(leaf *x509.Certificate) ([]*x509.Certificate, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	chain, ok := c.m[sha256.Sum256(leaf.Raw)]
	return chain, ok
}

func (c *chainCache) put(leaf *x509.Certificate, chain []*x509.Certificate) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= chainCacheMax {
		c.m = map[[sha256.Size]byte][]*x509.Certificate{}
	}
	c.m[sha256.Sum256(leaf.Raw)] = chain
}
