package eds

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"time"
)

// crypto/x509 cannot check GOST signatures, so the chains of GOST
// certificates are built here. What is checked is what x509.Verify checks
// for the RSA path: each certificate's issuer name is its parent's subject
// name (byte for byte) and, when both carry one, its authority key
// identifier is the parent's subject key identifier; the parent's signature
// over it verifies; every parent is a CA (basic constraints), may sign
// certificates (key usage keyCertSign when it has a key usage) and allows the
// path length below it; no certificate has a critical extension we do not
// understand; the path ends at a configured root (which, like
// x509.Verify's roots, need not be self-signed; a self-signed root's own
// signature is checked too). Validity in time is checked apart, at signing
// time (validAt). Name constraints are not supported: a CA certificate with
// them is refused.

// maxChainDepth bounds the path search.
const maxChainDepth = 8

var errNoPath = errors.New("no path to a trusted root")

// buildOwnChain returns the chain leaf, …, root. Where a certificate has
// several possible issuers (a renewed CA with the same name and key), those
// valid at time at are tried first.
func (v *Verifier) buildOwnChain(leaf *x509.Certificate, bundled []*x509.Certificate, at time.Time) ([]*x509.Certificate, error) {
	all := make([]*x509.Certificate, 0, len(v.cfg.Roots)+len(v.inter)+len(bundled))
	all = append(all, v.cfg.Roots...)
	all = append(all, v.inter...)
	all = append(all, bundled...)
	pool := make([]*x509.Certificate, 0, len(all))
	for _, valid := range []bool{true, false} {
		for _, c := range all {
			if (!at.Before(c.NotBefore) && !at.After(c.NotAfter)) == valid {
				pool = append(pool, c)
			}
		}
	}
	chain, err := v.extend([]*x509.Certificate{leaf}, pool)
	if err != nil {
		return nil, fail(ECertificateUntrusted, "eds: chain: %w", err)
	}
	return chain, nil
}

func (v *Verifier) isRoot(c *x509.Certificate) bool {
	for _, r := range v.cfg.Roots {
		if bytes.Equal(r.Raw, c.Raw) {
			return true
		}
	}
	return false
}

// extend completes chain (whose last certificate is not yet trusted) with
// parents from pool, depth first.
func (v *Verifier) extend(chain, pool []*x509.Certificate) ([]*x509.Certificate, error) {
	c := chain[len(chain)-1]
	if len(c.UnhandledCriticalExtensions) > 0 {
		return nil, fmt.Errorf("certificate %q has an unhandled critical extension %v", c.Subject.CommonName, c.UnhandledCriticalExtensions[0])
	}
	if v.isRoot(c) {
		if err := v.rootSelfSignature(c); err != nil {
			return nil, err
		}
		return chain, nil
	}
	if len(chain) >= maxChainDepth {
		return nil, errNoPath
	}
	var lastErr error = fmt.Errorf("%w: no issuer of %q (%s) is known", errNoPath, c.Subject.CommonName, c.Issuer)
	for _, p := range pool {
		if !bytes.Equal(p.RawSubject, c.RawIssuer) || bytes.Equal(p.Raw, c.Raw) || inChain(chain, p) {
			continue
		}
		if len(c.AuthorityKeyId) > 0 && len(p.SubjectKeyId) > 0 && !bytes.Equal(c.AuthorityKeyId, p.SubjectKeyId) {
			continue
		}
		if err := canIssue(p, len(chain)-1); err != nil {
			lastErr = err
			continue
		}
		if err := v.linkSignature(c, p); err != nil {
			lastErr = fmt.Errorf("certificate %q: signature by %q: %w", c.Subject.CommonName, p.Subject.CommonName, err)
			continue
		}
		next := append(append([]*x509.Certificate(nil), chain...), p)
		full, err := v.extend(next, pool)
		if err == nil {
			return full, nil
		}
		lastErr = err
	}
	return nil, lastErr
}

// rootSelfSignature checks a self-signed root's own signature, once per
// root: the result is remembered, since the roots never change.
func (v *Verifier) rootSelfSignature(root *x509.Certificate) error {
	if !selfSigned(root) {
		return nil
	}
	key := string(root.Raw)
	if err, ok := v.rootSigs.Load(key); ok {
		return err.(rootSigResult).err
	}
	var res rootSigResult
	if err := checkSignatureFrom(root, root); err != nil {
		res.err = fmt.Errorf("root %q: self-signature: %w", root.Subject.CommonName, err)
	}
	v.rootSigs.Store(key, res)
	return res.err
}

type rootSigResult struct{ err error }

// maxCALinks bounds caLinks: a chain has one or two intermediates, and a
// signer cannot fill the cache with certificates of their own beyond it.
const maxCALinks = 256

// linkSignature checks that parent signed child. The links between CA
// certificates (an intermediate signed by a root or another intermediate)
// are the same for every signer of a CA, and a GOST verification costs
// about a millisecond: the ones that verified are remembered, by the two
// certificates' bytes, up to maxCALinks. A signer's own certificate is
// always checked (its chain is remembered whole, chainCache).
func (v *Verifier) linkSignature(child, parent *x509.Certificate) error {
	if !child.IsCA {
		return checkSignatureFrom(child, parent)
	}
	a, b := sha256.Sum256(child.Raw), sha256.Sum256(parent.Raw)
	key := string(a[:]) + string(b[:])
	if _, ok := v.caLinks.Load(key); ok {
		return nil
	}
	if err := checkSignatureFrom(child, parent); err != nil {
		return err
	}
	if v.caLinkCount.Add(1) <= maxCALinks {
		v.caLinks.Store(key, struct{}{})
	}
	return nil
}

func inChain(chain []*x509.Certificate, c *x509.Certificate) bool {
	for _, x := range chain {
		if bytes.Equal(x.Raw, c.Raw) {
			return true
		}
	}
	return false
}

// selfSigned reports whether c says it is self-signed: by its names, or by
// its key identifiers (so that a root whose issuer name was altered is still
// held to its own signature).
func selfSigned(c *x509.Certificate) bool {
	return bytes.Equal(c.RawIssuer, c.RawSubject) ||
		(len(c.AuthorityKeyId) > 0 && bytes.Equal(c.AuthorityKeyId, c.SubjectKeyId))
}

// canIssue checks that p may be the issuer of a certificate with below
// intermediate CA certificates under it (0 when it issues the leaf).
func canIssue(p *x509.Certificate, below int) error {
	if !p.BasicConstraintsValid || !p.IsCA {
		return fmt.Errorf("certificate %q is not a CA", p.Subject.CommonName)
	}
	if p.KeyUsage != 0 && p.KeyUsage&x509.KeyUsageCertSign == 0 {
		return fmt.Errorf("CA %q may not sign certificates (key usage)", p.Subject.CommonName)
	}
	if (p.MaxPathLen > 0 || p.MaxPathLenZero) && below > p.MaxPathLen {
		return fmt.Errorf("CA %q allows %d CAs below it, not %d", p.Subject.CommonName, p.MaxPathLen, below)
	}
	if len(p.PermittedDNSDomains)+len(p.ExcludedDNSDomains)+len(p.PermittedIPRanges)+len(p.ExcludedIPRanges)+
		len(p.PermittedEmailAddresses)+len(p.ExcludedEmailAddresses)+len(p.PermittedURIDomains)+len(p.ExcludedURIDomains) > 0 {
		return fmt.Errorf("CA %q has name constraints, which GOST chains do not support", p.Subject.CommonName)
	}
	return nil
}
