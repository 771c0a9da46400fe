package eds

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"

	"tirkeu/internal/gost"
)

// A GOST PKI for revocation tests: the demo CA's GOST root and intermediate,
// a GOST leaf naming a CRL and an OCSP responder.
type gostPKI struct {
	root, inter *demoAuthority
	now         time.Time
}

func newGOSTPKI(t testing.TB) *gostPKI {
	t.Helper()
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	root, err := newDemoCA(nil, pkix.Name{CommonName: "GOST test root"}, now, demoCAValidity)
	if err != nil {
		t.Fatal(err)
	}
	inter, err := newDemoCA(root, pkix.Name{CommonName: "GOST test NCA"}, now, demoIntermediateValidity)
	if err != nil {
		t.Fatal(err)
	}
	return &gostPKI{root: root, inter: inter, now: now}
}

func (p *gostPKI) leaf(t testing.TB, crlURL, ocspURL string) (*x509.Certificate, *GOSTSigner) {
	t.Helper()
	k, err := gost.GenerateKey(gost.CurveTC26_512A, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serialCounter.Add(1) + 5000),
		Subject:      pkix.Name{CommonName: "ТЕСТОВ", SerialNumber: "IIN880101300516"},
		NotBefore:    p.now.Add(-time.Hour), NotAfter: p.now.Add(demoValidity),
		KeyUsage:          x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage:       []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
		PolicyIdentifiers: []asn1.ObjectIdentifier{oidPolicySign},
	}
	if crlURL != "" {
		tmpl.CRLDistributionPoints = []string{crlURL}
	}
	if ocspURL != "" {
		tmpl.OCSPServer = []string{ocspURL}
	}
	s := &GOSTSigner{Key: k}
	c, err := createCertificate(tmpl, p.inter.cert, s.Public(), p.inter.key)
	if err != nil {
		t.Fatal(err)
	}
	return c, s
}

// resignGOST replaces the signature of a signed structure (SEQUENCE {tbs,
// algorithm, signature, …}) made with a stand-in key by key's GOST one;
// inner, when >= 0, is the index in tbs of an algorithm identifier to
// replace too (a CRL's).
func resignGOST(t testing.TB, der []byte, inner int, key *GOSTSigner) []byte {
	t.Helper()
	var outer []asn1.RawValue
	if _, err := asn1.Unmarshal(der, &outer); err != nil {
		t.Fatal(err)
	}
	alg, _ := asn1.Marshal(pkix.AlgorithmIdentifier{Algorithm: oidKZGOST2015Sig512, Parameters: asn1.NullRawValue})
	tbs := outer[0].FullBytes
	if inner >= 0 {
		var fields []asn1.RawValue
		if _, err := asn1.Unmarshal(tbs, &fields); err != nil {
			t.Fatal(err)
		}
		fields[inner] = asn1.RawValue{FullBytes: alg}
		tbs = marshalSeq(t, fields)
	}
	h := gost.NewStreebog512()
	h.Write(tbs)
	sig, err := key.Sign(rand.Reader, h.Sum(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	bits, _ := asn1.Marshal(asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)})
	outer[0], outer[1], outer[2] = asn1.RawValue{FullBytes: tbs}, asn1.RawValue{FullBytes: alg}, asn1.RawValue{FullBytes: bits}
	return marshalSeq(t, outer)
}

func marshalSeq(t testing.TB, fields []asn1.RawValue) []byte {
	var body []byte
	for _, f := range fields {
		body = append(body, f.FullBytes...)
	}
	out, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSequence, IsCompound: true, Bytes: body})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var standIn, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)

// gostCRL is a CRL by ca (signed with signer's key) listing revoked.
func (p *gostPKI) gostCRL(t testing.TB, ca *demoAuthority, signer *GOSTSigner, revoked ...*x509.Certificate) []byte {
	t.Helper()
	tmpl := &x509.RevocationList{Number: big.NewInt(serialCounter.Add(1)), ThisUpdate: p.now.Add(-time.Hour), NextUpdate: p.now.Add(24 * time.Hour)}
	for _, c := range revoked {
		tmpl.RevokedCertificateEntries = append(tmpl.RevokedCertificateEntries,
			x509.RevocationListEntry{SerialNumber: c.SerialNumber, RevocationTime: p.now.Add(-time.Minute)})
	}
	issuer := *ca.cert
	issuer.PublicKey = standIn.Public()
	der, err := x509.CreateRevocationList(rand.Reader, tmpl, &issuer, standIn)
	if err != nil {
		t.Fatal(err)
	}
	return resignGOST(t, der, 1, signer) // tbsCertList: version, signature, …
}

func TestGOSTCRL(t *testing.T) {
	p := newGOSTPKI(t)
	srv := newCRLServer(t)
	revoked, rkey := p.leaf(t, srv.URL+"/crl", "")
	good, gkey := p.leaf(t, srv.URL+"/crl", "")
	v, err := NewVerifier(Config{Roots: []*x509.Certificate{p.root.cert}, Intermediates: []*x509.Certificate{p.inter.cert},
		Now: func() time.Time { return p.now.Add(time.Minute) }, RevocationRequired: true, CRLRefresh: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	sign := func(c *x509.Certificate, k *GOSTSigner) []byte {
		cms, err := SignWith(k, c, nil, body, p.now)
		if err != nil {
			t.Fatal(err)
		}
		return cms
	}
	interKey := p.inter.key.(*GOSTSigner)
	srv.set(p.gostCRL(t, p.inter, interKey, revoked))
	wantCode(t, second(v.Verify(ctx, sign(good, gkey), body)), "")
	wantCode(t, second(v.Verify(ctx, sign(revoked, rkey), body)), ECertificateRevoked)

	// A CRL in the issuer's name but signed by another key is not believed.
	other, _ := gost.GenerateKey(gost.CurveTC26_512A, rand.Reader)
	srv.set(p.gostCRL(t, p.inter, &GOSTSigner{Key: other}))
	v2, _ := NewVerifier(Config{Roots: []*x509.Certificate{p.root.cert}, Intermediates: []*x509.Certificate{p.inter.cert},
		Now: func() time.Time { return p.now.Add(time.Minute) }, RevocationRequired: true})
	wantCode(t, second(v2.Verify(ctx, sign(revoked, rkey), body)), ERevocationUnavailable)
}

func TestGOSTOCSP(t *testing.T) {
	p := newGOSTPKI(t)
	var status atomic.Int64
	var forge atomic.Bool
	interKey := p.inter.key.(*GOSTSigner)
	other, _ := gost.GenerateKey(gost.CurveTC26_512A, rand.Reader)
	responder := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		der, _ := io.ReadAll(r.Body)
		req, err := ocsp.ParseRequest(der)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		tmpl := ocsp.Response{Status: int(status.Load()), SerialNumber: req.SerialNumber,
			ThisUpdate: p.now.Add(-time.Hour), NextUpdate: p.now.Add(time.Hour)}
		if tmpl.Status == ocsp.Revoked {
			tmpl.RevokedAt = p.now.Add(-time.Minute)
		}
		issuer := *p.inter.cert
		issuer.PublicKey = standIn.Public()
		resp, err := ocsp.CreateResponse(&issuer, &issuer, tmpl, standIn)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		// OCSPResponse → responseBytes → BasicOCSPResponse, re-signed.
		var or ocspResponse
		asn1.Unmarshal(resp, &or)
		signer := interKey
		if forge.Load() {
			signer = &GOSTSigner{Key: other}
		}
		or.Response.Response = resignGOST(t, or.Response.Response, -1, signer)
		out, _ := asn1.Marshal(or)
		w.Header().Set("Content-Type", "application/ocsp-response")
		w.Write(out)
	}))
	t.Cleanup(responder.Close)
	leaf, key := p.leaf(t, "", responder.URL)
	cms, err := SignWith(key, leaf, nil, body, p.now)
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVerifier(Config{Roots: []*x509.Certificate{p.root.cert}, Intermediates: []*x509.Certificate{p.inter.cert},
		Now: func() time.Time { return p.now.Add(time.Minute) }, RevocationRequired: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	status.Store(ocsp.Good)
	wantCode(t, second(v.Verify(ctx, cms, body)), "")
	status.Store(ocsp.Revoked)
	wantCode(t, second(v.Verify(ctx, cms, body)), ECertificateRevoked)
	forge.Store(true) // "revoked" in a response the issuer did not sign: not believed
	wantCode(t, second(v.Verify(ctx, cms, body)), ERevocationUnavailable)
	status.Store(ocsp.Good) // nor "good"
	wantCode(t, second(v.Verify(ctx, cms, body)), ERevocationUnavailable)
}
