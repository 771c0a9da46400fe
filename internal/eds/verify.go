// Package eds verifies the electronic digital signatures (EDS, ЭЦП) that
// citizens put on their applications: a detached CMS (PKCS#7) SignedData over
// the exact request bytes, made with a key whose certificate follows the
// profile of Kazakhstan's National Certification Authority (NCA RK).
//
// A Verifier checks the signature and content digest, the chain to the
// configured trust roots, validity at signing time, key usage (signing keys
// only) and revocation (OCSP first, then the CRL, cached). Every refusal is a
// *residence.Error with one of the codes declared in errors.go and a message
// in Kazakh, Russian and English.
//
// RSA, ECDSA and GOST (the NCA's GOST 34.10-2015 and 34.310-2004, and the
// Russian OIDs of the same algorithms) are supported; the algorithms are
// tables keyed by OID (algorithm.go, gostalg.go).
//
// The package also signs (Sign, SignWith: the demo tools and the service's
// seal on certificates), reads and writes PKCS#12 key stores, and keeps the
// demo CA that issues the demo cast's keys in demo mode (democa.go,
// demokey.go).
package eds

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"tirkeu/internal/iin"
)

// clockSkew is how far in the future a signing time may lie before the
// signature is refused: signers' clocks are not ours.
const clockSkew = 5 * time.Minute

// Config configures a Verifier. Roots is required; the rest have defaults.
type Config struct {
	// Roots are the trust anchors (TIRKEU_TRUST_ROOTS). A certificate here
	// need not be self-signed: an NCA intermediate may be trusted directly.
	Roots []*x509.Certificate
	// Intermediates complete chains when the CMS does not carry them.
	Intermediates []*x509.Certificate
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// HTTPClient fetches CRLs and asks OCSP responders; a client with a
	// 10-second timeout when nil.
	HTTPClient *http.Client
	// CRLRefresh is how long a fetched CRL is used before it is fetched
	// again (sooner if its nextUpdate passes); 1 hour when zero.
	CRLRefresh time.Duration
	// AllowUnverifiableIIN accepts IINs and BINs in certificates that fail
	// the check digit, as the NCA test certificates' do. Never in production.
	AllowUnverifiableIIN bool
	// RevocationRequired refuses (revocation_unavailable) a certificate that
	// names neither a CRL distribution point nor an OCSP responder. When
	// false such a certificate (a demo one, say) is not checked for
	// revocation.
	RevocationRequired bool
	// RevocationSoftFail accepts a certificate whose OCSP responder and CRL
	// are all unreachable. By default (false) it is refused with
	// revocation_unavailable.
	RevocationSoftFail bool
	// MaxSigningAge refuses signatures whose signingTime is older than this
	// (signature_invalid: sign again). Zero means 24 hours; negative means no
	// limit. A signing time is the signer's claim, so an old one must not let
	// an expired key sign today.
	MaxSigningAge time.Duration
}

// Verifier verifies detached CMS signatures. It is safe for concurrent use;
// it caches CRLs per URL.
type Verifier struct {
	cfg    Config
	roots  *x509.CertPool
	inter  []*x509.Certificate
	now    func() time.Time
	client *http.Client
	crls   *crlCache
	chains chainCache
	// rootSigs remembers whether each self-signed root's own signature
	// verifies (GOST chains, chain.go).
	rootSigs sync.Map
	// caLinks remembers the CA-to-CA signatures that verified
	// (linkSignature); caLinkCount bounds it.
	caLinks     sync.Map
	caLinkCount atomic.Int64
}

// NewVerifier returns a Verifier for cfg. It fails when there is no root.
func NewVerifier(cfg Config) (*Verifier, error) {
	if len(cfg.Roots) == 0 {
		return nil, errors.New("eds: no trust roots configured (TIRKEU_TRUST_ROOTS)")
	}
	v := &Verifier{cfg: cfg, roots: x509.NewCertPool(), inter: cfg.Intermediates,
		now: cfg.Now, client: cfg.HTTPClient}
	for _, c := range cfg.Roots {
		v.roots.AddCert(c)
	}
	if v.now == nil {
		v.now = time.Now
	}
	if v.client == nil {
		v.client = &http.Client{Timeout: 10 * time.Second}
	}
	refresh := cfg.CRLRefresh
	if refresh <= 0 {
		refresh = time.Hour
	}
	if v.cfg.MaxSigningAge == 0 {
		v.cfg.MaxSigningAge = 24 * time.Hour
	}
	v.crls = newCRLCache(refresh)
	return v, nil
}

// Signer is who signed, as the verified certificate says.
type Signer struct {
	IIN         string   // "" when the certificate names none
	BIN         string   // "" unless the certificate is an organisation's
	Roles       []string // RoleIndividual, RoleOrganisation, RoleHead, …
	Certificate *x509.Certificate
	// SigningTime is the signingTime attribute, or the verifier's clock when
	// the signature has none; validity was checked at this time.
	SigningTime time.Time
	// Claimed is the signingTime attribute as signed; zero when the
	// signature has none (SigningTime is then the clock).
	Claimed time.Time
	// ID identifies the act of signing (see signatureID): a copy of the
	// signature, however re-encoded, has the same ID.
	ID []byte
}

// Verify checks that cmsDER is a valid detached signature over content and
// returns its signer. Errors are *residence.Error with code
// signature_invalid, certificate_untrusted, certificate_expired, key_usage,
// certificate_revoked or revocation_unavailable. It does not check who the
// signer is: the domain decides that (the applicant's IIN, the petition
// rule for an organisation's representative).
func (v *Verifier) Verify(ctx context.Context, cmsDER, content []byte) (Signer, error) {
	p, err := parseCMS(cmsDER)
	if err != nil {
		return Signer{}, fail(ESignatureInvalid, "eds: %w", err)
	}
	d, alg, err := lookupAlgorithms(p.signer)
	if err != nil {
		return Signer{}, fail(ESignatureInvalid, "eds: %w", err)
	}
	leaf, err := p.signerCert(p.certs)
	if err != nil {
		return Signer{}, fail(ESignatureInvalid, "eds: %w", err)
	}

	h := d.new()
	h.Write(content)
	digest := h.Sum(nil)
	if p.signedAttrs != nil {
		if !bytes.Equal(digest, p.messageDigest) {
			return Signer{}, fail(ESignatureInvalid, "eds: the signature is over other content (message digest mismatch)")
		}
		h = d.new()
		h.Write(p.signedAttrs)
		digest = h.Sum(nil)
	}
	if err := alg.verify(leaf, d, digest, p.signer.Signature); err != nil {
		return Signer{}, fail(ESignatureInvalid, "eds: %s signature: %w", alg.name, err)
	}

	now := v.now()
	at := now
	if !p.signingTime.IsZero() {
		at = p.signingTime
		if at.After(now.Add(clockSkew)) {
			return Signer{}, fail(ESignatureInvalid, "eds: signing time %s is in the future", at.UTC().Format(time.RFC3339))
		}
		if v.cfg.MaxSigningAge > 0 && at.Before(now.Add(-v.cfg.MaxSigningAge)) {
			return Signer{}, fail(ESignatureInvalid, "eds: signing time %s is older than %s", at.UTC().Format(time.RFC3339), v.cfg.MaxSigningAge)
		}
	}

	chain, err := v.chain(leaf, p.certs, at)
	if err != nil {
		return Signer{}, err
	}
	info := Inspect(leaf)
	if err := v.checkProfile(leaf, info); err != nil {
		return Signer{}, err
	}
	if len(chain) > 1 {
		if err := v.checkRevocation(ctx, leaf, chain[1]); err != nil {
			return Signer{}, err
		}
	} else if v.cfg.RevocationRequired {
		return Signer{}, fail(ERevocationUnavailable, "eds: the signer certificate is itself a trust root")
	}
	return Signer{IIN: info.IIN, BIN: info.BIN, Roles: info.Roles, Certificate: leaf, SigningTime: at,
		Claimed: p.signingTime, ID: signatureID(leaf, p, content)}, nil
}

// chain builds a chain from leaf to a root and checks that every certificate
// in it was valid at time at. An untrusted certificate is reported as such
// even when it is also expired.
func (v *Verifier) chain(leaf *x509.Certificate, bundled []*x509.Certificate, at time.Time) ([]*x509.Certificate, error) {
	if chain, ok := v.chains.get(leaf); ok {
		return chain, validAt(chain, at)
	}
	chain, err := v.buildChain(leaf, bundled, at)
	if err != nil {
		return nil, err
	}
	if err := validAt(chain, at); err != nil {
		return nil, err
	}
	v.chains.put(leaf, chain)
	return chain, nil
}

// buildChain finds a path from leaf to a trust root: with crypto/x509, or
// for a GOST certificate (which crypto/x509 cannot check) with chain.go.
func (v *Verifier) buildChain(leaf *x509.Certificate, bundled []*x509.Certificate, at time.Time) ([]*x509.Certificate, error) {
	if isGOSTSigned(leaf) {
		return v.buildOwnChain(leaf, bundled, at)
	}
	inter := x509.NewCertPool()
	for _, c := range v.inter {
		inter.AddCert(c)
	}
	for _, c := range bundled {
		if c != leaf {
			inter.AddCert(c)
		}
	}
	// Build the chain at a time inside the leaf's validity, so that trust is
	// judged apart from time; validity at signing time is checked below.
	buildAt := at
	if buildAt.Before(leaf.NotBefore) {
		buildAt = leaf.NotBefore
	}
	if buildAt.After(leaf.NotAfter) {
		buildAt = leaf.NotAfter
	}
	chains, err := leaf.Verify(x509.VerifyOptions{
		Roots:         v.roots,
		Intermediates: inter,
		CurrentTime:   buildAt,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if err != nil {
		var inv x509.CertificateInvalidError
		if errors.As(err, &inv) && inv.Reason == x509.Expired {
			return nil, fail(ECertificateExpired, "eds: chain: %w", err)
		}
		return nil, fail(ECertificateUntrusted, "eds: chain: %w", err)
	}
	return chains[0], nil
}

// VerifyCertificate checks cert on its own: its chain to the roots (with
// extra as further intermediates), each certificate's validity at time at,
// and, when revocation is true, its revocation status. It does not apply the
// signing profile (key usage, IIN check digit): `tirkeu eds verify-cert`
// reports those. It returns the chain, cert first.
func (v *Verifier) VerifyCertificate(ctx context.Context, cert *x509.Certificate, extra []*x509.Certificate, at time.Time, revocation bool) ([]*x509.Certificate, error) {
	chain, err := v.buildChain(cert, extra, at)
	if err != nil {
		return nil, err
	}
	if err := validAt(chain, at); err != nil {
		return nil, err
	}
	if revocation && len(chain) > 1 {
		if err := v.checkRevocation(ctx, cert, chain[1]); err != nil {
			return nil, err
		}
	}
	return chain, nil
}

// validAt checks that every certificate of chain was valid at time at.
func validAt(chain []*x509.Certificate, at time.Time) error {
	for _, c := range chain {
		if at.Before(c.NotBefore) {
			return fail(ECertificateExpired, "eds: certificate %q is not valid until %s (signed at %s)",
				c.Subject.CommonName, c.NotBefore.UTC().Format(time.RFC3339), at.UTC().Format(time.RFC3339))
		}
		if at.After(c.NotAfter) {
			return fail(ECertificateExpired, "eds: certificate %q expired at %s (signed at %s)",
				c.Subject.CommonName, c.NotAfter.UTC().Format(time.RFC3339), at.UTC().Format(time.RFC3339))
		}
	}
	return nil
}

// checkProfile checks the NCA profile: a signing key, and (unless allowed)
// well-formed IIN and BIN.
func (v *Verifier) checkProfile(leaf *x509.Certificate, info CertInfo) error {
	if leaf.KeyUsage&(x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment) == 0 {
		return fail(EKeyUsage, "eds: key usage %v allows no signing", info.KeyUsage)
	}
	if authOnly(leaf) {
		return fail(EKeyUsage, "eds: an authentication certificate cannot sign applications")
	}
	if !v.cfg.AllowUnverifiableIIN {
		if info.IIN != "" && !iin.Valid(info.IIN) {
			return fail(ECertificateUntrusted, "eds: certificate IIN fails the check digit")
		}
		if info.BIN != "" && !iin.Valid(info.BIN) {
			return fail(ECertificateUntrusted, "eds: certificate BIN fails the check digit")
		}
	}
	return nil
}

// authOnly reports whether cert is an authentication key: the NCA AUTH
// policy without the SIGN policy, or clientAuth as its only purpose with no
// non-repudiation.
func authOnly(cert *x509.Certificate) bool {
	if hasPolicy(cert, oidPolicyAuth) && !hasPolicy(cert, oidPolicySign) {
		return true
	}
	if cert.KeyUsage&x509.KeyUsageContentCommitment != 0 {
		return false
	}
	clientAuth, signing := false, false
	for _, u := range cert.ExtKeyUsage {
		switch u {
		case x509.ExtKeyUsageClientAuth:
			clientAuth = true
		case x509.ExtKeyUsageEmailProtection, x509.ExtKeyUsageAny, x509.ExtKeyUsageCodeSigning:
			signing = true
		}
	}
	return clientAuth && !signing
}
