package eds

import (
	"context"
	"crypto/x509"
	"encoding/asn1"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"

	"tirkeu/internal/residence"
)

var body = []byte(`{"kind":"permanent","applicant_iin":"880101300516","subject_iin":"880101300516","rka":"0201300012345678"}`)

// bundle is a test PKI: a root, an intermediate under it, and a verifier
// trusting the root with the clock at now.
type bundle struct {
	now   time.Time
	root  *testCA
	inter *testCA
}

func newBundle(tb testing.TB, keyKind string) *bundle {
	tb.Helper()
	now := time.Now().Truncate(time.Second)
	root := newRoot(tb, "Test Root "+keyKind, keyKind, now)
	return &bundle{now: now, root: root, inter: root.intermediate(tb, "Test NCA "+keyKind, keyKind, now)}
}

func (b *bundle) verifier(tb testing.TB, mod func(*Config)) *Verifier {
	tb.Helper()
	cfg := Config{Roots: []*x509.Certificate{b.root.cert}, Now: func() time.Time { return b.now.Add(time.Minute) }}
	if mod != nil {
		mod(&cfg)
	}
	v, err := NewVerifier(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

func wantCode(tb testing.TB, err error, code string) {
	tb.Helper()
	if got := residence.ErrorCode(err); got != code {
		tb.Fatalf("error code = %q, want %q (err: %v)", got, code, err)
	}
	if code == "" {
		return
	}
	var e *residence.Error
	if !errorsAs(err, &e) || e.Text.KK == "" || e.Text.RU == "" || e.Text.EN == "" {
		tb.Fatalf("error %v is not a fully translated *residence.Error", err)
	}
}

func TestVerifyOpenSSL(t *testing.T) {
	opensslPath(t)
	for _, keyKind := range []string{"rsa", "ecdsa"} {
		t.Run(keyKind, func(t *testing.T) {
			b := newBundle(t, keyKind)
			other := newRoot(t, "Other Root", keyKind, b.now).intermediate(t, "Other NCA", keyKind, b.now)
			tests := []struct {
				name    string
				opts    leafOpts
				ca      *testCA
				content []byte // what the server received; body when nil
				code    string
			}{
				{name: "valid", opts: leafOpts{key: keyKind}},
				{name: "tampered body", opts: leafOpts{key: keyKind}, content: append([]byte(body[:len(body)-1]), ' ', '}'), code: ESignatureInvalid},
				{name: "empty body", opts: leafOpts{key: keyKind}, content: []byte{}, code: ESignatureInvalid},
				{name: "expired", opts: leafOpts{key: keyKind, notBefore: b.now.Add(-48 * time.Hour), notAfter: b.now.Add(-time.Hour)}, code: ECertificateExpired},
				{name: "not yet valid", opts: leafOpts{key: keyKind, notBefore: b.now.Add(time.Hour), notAfter: b.now.Add(48 * time.Hour)}, code: ECertificateExpired},
				{name: "untrusted root", opts: leafOpts{key: keyKind}, ca: other, code: ECertificateUntrusted},
				{name: "authentication key", opts: leafOpts{key: keyKind,
					keyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
					extUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
					policies: []asn1.ObjectIdentifier{oidPolicyAuth}}, code: EKeyUsage},
				{name: "encryption only", opts: leafOpts{key: keyKind, keyUsage: x509.KeyUsageKeyEncipherment}, code: EKeyUsage},
				{name: "bad IIN check digit", opts: leafOpts{key: keyKind, iin: "123456789011"}, code: ECertificateUntrusted},
			}
			v := b.verifier(t, nil)
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					ca := tt.ca
					if ca == nil {
						ca = b.inter
					}
					cert, key := ca.leaf(t, tt.opts, b.now)
					cms := opensslSign(t, body, cert, key, ca.cert)
					content := tt.content
					if content == nil {
						content = body
					}
					s, err := v.Verify(context.Background(), cms, content)
					wantCode(t, err, tt.code)
					if err != nil {
						return
					}
					if s.IIN != "880101300516" || len(s.Roles) != 1 || s.Roles[0] != RoleIndividual {
						t.Errorf("signer = %+v", s)
					}
					if s.SigningTime.Before(b.now.Add(-time.Minute)) || s.SigningTime.After(time.Now().Add(time.Minute)) {
						t.Errorf("signing time %v not the openssl signing time", s.SigningTime)
					}
				})
			}
		})
	}
}

// TestVerifyIntermediateFromConfig: the CMS carries only the signer; the
// intermediate comes from the configured bundle.
func TestVerifyIntermediateFromConfig(t *testing.T) {
	b := newBundle(t, "ecdsa")
	cert, key := b.inter.leaf(t, leafOpts{}, b.now)
	cms, err := SignWith(key, cert, nil, body, b.now)
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.verifier(t, nil).Verify(context.Background(), cms, body)
	wantCode(t, err, ECertificateUntrusted)
	_, err = b.verifier(t, func(c *Config) { c.Intermediates = []*x509.Certificate{b.inter.cert} }).Verify(context.Background(), cms, body)
	wantCode(t, err, "")
}

func TestVerifySigningTime(t *testing.T) {
	b := newBundle(t, "ecdsa")
	cert, key := b.inter.leaf(t, leafOpts{}, b.now)
	for _, tt := range []struct {
		name string
		at   time.Time
		code string
	}{
		{"now", b.now, ""},
		{"in the future", b.now.Add(time.Hour), ESignatureInvalid},
		{"two days old", b.now.Add(-48 * time.Hour), ESignatureInvalid},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cms, err := SignWith(key, cert, []*x509.Certificate{b.inter.cert}, body, tt.at)
			if err != nil {
				t.Fatal(err)
			}
			s, err := b.verifier(t, nil).Verify(context.Background(), cms, body)
			wantCode(t, err, tt.code)
			if err == nil && !s.SigningTime.Equal(tt.at) {
				t.Errorf("signing time = %v, want %v", s.SigningTime, tt.at)
			}
		})
	}
}

// crlServer serves the CRL returned by crl() at /crl and counts requests.
type crlServer struct {
	*httptest.Server
	hits atomic.Int64
	crl  atomic.Pointer[[]byte]
}

func newCRLServer(tb testing.TB) *crlServer {
	s := &crlServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		p := s.crl.Load()
		if p == nil {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/pkix-crl")
		w.Write(*p)
	}))
	tb.Cleanup(s.Close)
	return s
}

func (s *crlServer) set(der []byte) { s.crl.Store(&der) }

func TestVerifyCRL(t *testing.T) {
	opensslPath(t)
	b := newBundle(t, "rsa")
	srv := newCRLServer(t)
	revoked, rkey := b.inter.leaf(t, leafOpts{key: "rsa", crl: srv.URL + "/crl"}, b.now)
	good, gkey := b.inter.leaf(t, leafOpts{key: "rsa", crl: srv.URL + "/crl"}, b.now)
	srv.set(b.inter.crl(t, b.now, revoked))

	clock := b.now.Add(time.Minute)
	v := b.verifier(t, func(c *Config) { c.Now = func() time.Time { return clock }; c.CRLRefresh = time.Hour })
	ctx := context.Background()

	_, err := v.Verify(ctx, opensslSign(t, body, revoked, rkey, b.inter.cert), body)
	wantCode(t, err, ECertificateRevoked)
	goodCMS := opensslSign(t, body, good, gkey, b.inter.cert)
	_, err = v.Verify(ctx, goodCMS, body)
	wantCode(t, err, "")
	if n := srv.hits.Load(); n != 1 {
		t.Errorf("CRL fetched %d times, want 1 (cached)", n)
	}

	// After the refresh interval the CRL is fetched again and now lists the
	// good certificate too.
	srv.set(b.inter.crl(t, b.now, revoked, good))
	clock = clock.Add(2 * time.Hour)
	_, err = v.Verify(ctx, goodCMS, body)
	wantCode(t, err, ECertificateRevoked)
	if n := srv.hits.Load(); n != 2 {
		t.Errorf("CRL fetched %d times, want 2", n)
	}

	// A CRL signed by someone else is not believed.
	srv.set(newRoot(t, "Forger", "rsa", b.now).crl(t, b.now))
	v2 := b.verifier(t, nil)
	_, err = v2.Verify(ctx, goodCMS, body)
	wantCode(t, err, ERevocationUnavailable)

	// Nothing reachable: refused by default, accepted when soft-failing.
	srv.crl.Store(nil)
	_, err = b.verifier(t, nil).Verify(ctx, goodCMS, body)
	wantCode(t, err, ERevocationUnavailable)
	_, err = b.verifier(t, func(c *Config) { c.RevocationSoftFail = true }).Verify(ctx, goodCMS, body)
	wantCode(t, err, "")
}

func TestVerifyRevocationRequired(t *testing.T) {
	b := newBundle(t, "ecdsa")
	cert, key := b.inter.leaf(t, leafOpts{}, b.now)
	cms, err := SignWith(key, cert, []*x509.Certificate{b.inter.cert}, body, b.now)
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.verifier(t, nil).Verify(context.Background(), cms, body)
	wantCode(t, err, "")
	_, err = b.verifier(t, func(c *Config) { c.RevocationRequired = true }).Verify(context.Background(), cms, body)
	wantCode(t, err, ERevocationUnavailable)
}

// ocspResponder answers OCSP requests with status() signed by the issuer.
func ocspResponder(tb testing.TB, ca *testCA, now time.Time, status func() int) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		der := make([]byte, r.ContentLength)
		if _, err := r.Body.Read(der); err != nil && int64(len(der)) != r.ContentLength {
			http.Error(w, err.Error(), 400)
			return
		}
		req, err := ocsp.ParseRequest(der)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		st := status()
		if st < 0 {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		tmpl := ocsp.Response{Status: st, SerialNumber: req.SerialNumber,
			ThisUpdate: now.Add(-time.Minute), NextUpdate: now.Add(time.Hour)}
		if st == ocsp.Revoked {
			tmpl.RevokedAt = now.Add(-time.Minute)
			tmpl.RevocationReason = ocsp.KeyCompromise
		}
		resp, err := ocsp.CreateResponse(ca.cert, ca.cert, tmpl, ca.key)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Header().Set("Content-Type", "application/ocsp-response")
		w.Write(resp)
	}))
	tb.Cleanup(srv.Close)
	return srv
}

func TestVerifyOCSP(t *testing.T) {
	opensslPath(t)
	b := newBundle(t, "ecdsa")
	var status atomic.Int64
	responder := ocspResponder(t, b.inter, b.now, func() int { return int(status.Load()) })
	crlSrv := newCRLServer(t)
	cert, key := b.inter.leaf(t, leafOpts{ocsp: responder.URL, crl: crlSrv.URL + "/crl"}, b.now)
	cms := opensslSign(t, body, cert, key, b.inter.cert)
	ctx := context.Background()

	tests := []struct {
		name   string
		status int
		crl    []byte // nil: CRL unreachable
		code   string
	}{
		{"good", ocsp.Good, nil, ""},
		{"good is authoritative over the CRL", ocsp.Good, b.inter.crl(t, b.now, cert), ""},
		{"revoked", ocsp.Revoked, b.inter.crl(t, b.now), ECertificateRevoked},
		{"unknown falls back to the CRL: good", ocsp.Unknown, b.inter.crl(t, b.now), ""},
		{"unknown falls back to the CRL: revoked", ocsp.Unknown, b.inter.crl(t, b.now, cert), ECertificateRevoked},
		{"unreachable falls back to the CRL", -1, b.inter.crl(t, b.now, cert), ECertificateRevoked},
		{"nothing reachable", -1, nil, ERevocationUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status.Store(int64(tt.status))
			if tt.crl == nil {
				crlSrv.crl.Store(nil)
			} else {
				crlSrv.set(tt.crl)
			}
			_, err := b.verifier(t, nil).Verify(ctx, cms, body)
			wantCode(t, err, tt.code)
		})
	}
}

// TestOpenSSLVerifiesSign checks our Sign against OpenSSL's verifier.
func TestOpenSSLVerifiesSign(t *testing.T) {
	bin := opensslPath(t)
	for _, keyKind := range []string{"rsa", "ecdsa"} {
		t.Run(keyKind, func(t *testing.T) {
			b := newBundle(t, keyKind)
			cert, key := b.inter.leaf(t, leafOpts{key: keyKind}, b.now)
			cms, err := SignWith(key, cert, []*x509.Certificate{b.inter.cert}, body, b.now)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			root := writePEM(t, filepath.Join(dir, "root.pem"), "CERTIFICATE", b.root.cert.Raw)
			sig := filepath.Join(dir, "body.cms")
			content := filepath.Join(dir, "body")
			os.WriteFile(sig, cms, 0o600)
			os.WriteFile(content, body, 0o600)
			out, err := exec.Command(bin, "cms", "-verify", "-binary", "-inform", "DER", "-in", sig,
				"-content", content, "-CAfile", root, "-purpose", "any", "-out", os.DevNull).CombinedOutput()
			if err != nil {
				t.Fatalf("openssl cms -verify: %v\n%s", err, out)
			}
		})
	}
}

// The chain of a signer verified once is remembered, but validity at each
// signature's signing time is still checked, and an untrusted chain is
// never remembered.
func TestVerifyCachedChain(t *testing.T) {
	b := newBundle(t, "ecdsa")
	cert, key := b.inter.leaf(t, leafOpts{notBefore: b.now.Add(-time.Hour), notAfter: b.now.Add(time.Hour)}, b.now)
	v := b.verifier(t, func(c *Config) { c.MaxSigningAge = -1 })
	ctx := context.Background()
	sign := func(at time.Time, chain ...*x509.Certificate) []byte {
		t.Helper()
		cms, err := SignWith(key, cert, chain, body, at)
		if err != nil {
			t.Fatal(err)
		}
		return cms
	}
	_, err := v.Verify(ctx, sign(b.now, b.inter.cert), body)
	wantCode(t, err, "")
	if _, ok := v.chains.get(cert); !ok {
		t.Fatal("the verified chain was not cached")
	}
	// From the cache: signed before the certificate was valid.
	_, err = v.Verify(ctx, sign(b.now.Add(-2*time.Hour), b.inter.cert), body)
	wantCode(t, err, ECertificateExpired)
	// From the cache: a signature made now, still fine.
	s, err := v.Verify(ctx, sign(b.now.Add(30*time.Second)), body)
	wantCode(t, err, "")
	if s.IIN != "880101300516" {
		t.Errorf("signer IIN = %q", s.IIN)
	}

	// A certificate of an untrusted CA is refused every time, not cached.
	other := newRoot(t, "Other Root", "ecdsa", b.now)
	ocert, okey := other.leaf(t, leafOpts{}, b.now)
	for range 2 {
		cms, err := SignWith(okey, ocert, nil, body, b.now)
		if err != nil {
			t.Fatal(err)
		}
		_, err = v.Verify(ctx, cms, body)
		wantCode(t, err, ECertificateUntrusted)
		if _, ok := v.chains.get(ocert); ok {
			t.Fatal("an untrusted chain was cached")
		}
	}
}
