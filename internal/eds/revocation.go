package eds

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ocsp"
)

// Limits on what a CRL or OCSP server may send us.
const (
	maxCRLSize  = 64 << 20 // the NCA's full CRLs run to megabytes
	maxOCSPSize = 1 << 20
)

// checkRevocation asks OCSP, when the certificate names a responder, and
// then the CRL. OCSP good or revoked is final; unknown or unreachable falls
// back to the CRL. When nothing answers, the signature is refused with
// revocation_unavailable unless the configuration says to soft-fail.
func (v *Verifier) checkRevocation(ctx context.Context, cert, issuer *x509.Certificate) error {
	crlURLs := httpURLs(cert.CRLDistributionPoints)
	ocspURLs := httpURLs(cert.OCSPServer)
	if len(crlURLs) == 0 && len(ocspURLs) == 0 {
		if v.cfg.RevocationRequired {
			return fail(ERevocationUnavailable, "eds: the certificate names no CRL or OCSP responder")
		}
		return nil
	}
	var errs []error
	for _, u := range ocspURLs {
		status, err := v.askOCSP(ctx, u, cert, issuer)
		if err != nil {
			errs = append(errs, fmt.Errorf("ocsp %s: %w", u, err))
			continue
		}
		switch status {
		case ocsp.Good:
			return nil
		case ocsp.Revoked:
			return fail(ECertificateRevoked, "eds: OCSP %s: certificate %s is revoked", u, cert.SerialNumber)
		default:
			errs = append(errs, fmt.Errorf("ocsp %s: status unknown", u))
		}
	}
	for _, u := range crlURLs {
		l, err := v.crls.get(ctx, v, u, issuer)
		if err != nil {
			errs = append(errs, fmt.Errorf("crl %s: %w", u, err))
			continue
		}
		if l.revoked(cert) {
			return fail(ECertificateRevoked, "eds: CRL %s: certificate %s is revoked", u, cert.SerialNumber)
		}
		return nil
	}
	if v.cfg.RevocationSoftFail {
		return nil
	}
	return fail(ERevocationUnavailable, "eds: revocation: %w", errors.Join(errs...))
}

func httpURLs(urls []string) []string {
	var out []string
	for _, u := range urls {
		if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
			out = append(out, u)
		}
	}
	return out
}

// askOCSP returns the responder's status for cert. The response must be
// signed by the issuer or by a responder certificate the issuer delegated
// OCSP signing to, and must be current.
func (v *Verifier) askOCSP(ctx context.Context, url string, cert, issuer *x509.Certificate) (int, error) {
	reqDER, err := ocsp.CreateRequest(cert, issuer, nil)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(reqDER))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/ocsp-request")
	req.Header.Set("Accept", "application/ocsp-response")
	body, err := v.fetch(req, maxOCSPSize)
	if err != nil {
		return 0, err
	}
	var resp *ocsp.Response
	if isGOSTKey(issuer) {
		stripped, responder, err := verifyGOSTOCSP(body, issuer)
		if err != nil {
			return 0, err
		}
		if resp, err = ocsp.ParseResponseForCert(stripped, cert, nil); err != nil {
			return 0, err
		}
		resp.Certificate = responder
	} else if resp, err = ocsp.ParseResponseForCert(body, cert, issuer); err != nil {
		return 0, err
	}
	if resp.Certificate != nil && !hasEKU(resp.Certificate, x509.ExtKeyUsageOCSPSigning) {
		return 0, errors.New("responder certificate is not delegated to sign OCSP responses")
	}
	now := v.now()
	if resp.ThisUpdate.After(now.Add(clockSkew)) {
		return 0, errors.New("response is from the future")
	}
	if !resp.NextUpdate.IsZero() && now.After(resp.NextUpdate) {
		return 0, errors.New("response is stale")
	}
	return resp.Status, nil
}

func hasEKU(c *x509.Certificate, u x509.ExtKeyUsage) bool {
	for _, e := range c.ExtKeyUsage {
		if e == u {
			return true
		}
	}
	return false
}

// fetch does req and returns the body of a 200 response, at most limit bytes.
func (v *Verifier) fetch(req *http.Request, limit int64) ([]byte, error) {
	resp, err := v.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %s", resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("response larger than %d bytes", limit)
	}
	return body, nil
}

// crlCache keeps the CRLs fetched per distribution point URL.
type crlCache struct {
	refresh time.Duration
	mu      sync.Mutex
	entries map[string]*crlEntry
}

// crlEntry is one URL's CRL. Its mutex makes concurrent verifiers wait for
// one fetch instead of each fetching.
type crlEntry struct {
	mu      sync.Mutex
	list    *crl
	fetched time.Time
}

// crl is a parsed CRL that has been checked against its issuer.
type crl struct {
	issuerRaw  []byte // RawSubject of the certificate it was verified with
	issuerKey  []byte // RawSubjectPublicKeyInfo of that certificate
	nextUpdate time.Time
	serials    map[string]struct{} // revoked serial numbers, as big-endian bytes
	parsed     *x509.RevocationList
}

func newCRLCache(refresh time.Duration) *crlCache {
	return &crlCache{refresh: refresh, entries: map[string]*crlEntry{}}
}

func (l *crl) revoked(cert *x509.Certificate) bool {
	_, ok := l.serials[string(cert.SerialNumber.Bytes())]
	return ok
}

func (l *crl) current(now time.Time) bool {
	return l.nextUpdate.IsZero() || !now.After(l.nextUpdate)
}

// get returns the CRL at url verified against issuer: the cached one while it
// is younger than the refresh interval and current, else a fresh one. When a
// refresh fails, a cached CRL that is still current is used.
func (c *crlCache) get(ctx context.Context, v *Verifier, url string, issuer *x509.Certificate) (*crl, error) {
	c.mu.Lock()
	e := c.entries[url]
	if e == nil {
		e = &crlEntry{}
		c.entries[url] = e
	}
	c.mu.Unlock()

	e.mu.Lock()
	defer e.mu.Unlock()
	now := v.now()
	if l := e.list; l != nil && now.Sub(e.fetched) < c.refresh && l.current(now) {
		if err := l.verifiedBy(issuer); err != nil {
			return nil, err
		}
		return l, nil
	}
	l, err := downloadCRL(ctx, v, url, issuer)
	if err == nil && !l.current(now) {
		err = fmt.Errorf("CRL is stale: next update was %s", l.nextUpdate.UTC().Format(time.RFC3339))
	}
	if err != nil {
		if old := e.list; old != nil && old.current(now) && old.verifiedBy(issuer) == nil {
			return old, nil
		}
		return nil, err
	}
	e.list, e.fetched = l, now
	return l, nil
}

// verifiedBy checks that l was verified against a certificate with the same
// name and key as issuer, and verifies it again when not.
func (l *crl) verifiedBy(issuer *x509.Certificate) error {
	if bytes.Equal(l.issuerRaw, issuer.RawSubject) && bytes.Equal(l.issuerKey, issuer.RawSubjectPublicKeyInfo) {
		return nil
	}
	if !bytes.Equal(l.parsed.RawIssuer, issuer.RawSubject) {
		return errors.New("CRL issuer is not the certificate's issuer")
	}
	return checkCRLSignature(l.parsed, issuer)
}

func downloadCRL(ctx context.Context, v *Verifier, url string, issuer *x509.Certificate) (*crl, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	body, err := v.fetch(req, maxCRLSize)
	if err != nil {
		return nil, err
	}
	if b, _ := pem.Decode(body); b != nil && b.Type == "X509 CRL" {
		body = b.Bytes
	}
	rl, err := x509.ParseRevocationList(body)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(rl.RawIssuer, issuer.RawSubject) {
		return nil, errors.New("CRL issuer is not the certificate's issuer")
	}
	if err := checkCRLSignature(rl, issuer); err != nil {
		return nil, fmt.Errorf("CRL signature: %w", err)
	}
	l := &crl{issuerRaw: issuer.RawSubject, issuerKey: issuer.RawSubjectPublicKeyInfo,
		nextUpdate: rl.NextUpdate, parsed: rl, serials: make(map[string]struct{}, len(rl.RevokedCertificateEntries))}
	for _, r := range rl.RevokedCertificateEntries {
		if r.SerialNumber != nil {
			l.serials[string(r.SerialNumber.Bytes())] = struct{}{}
		}
	}
	return l, nil
}
