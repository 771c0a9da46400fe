package eds

import (
	"context"
	"crypto/x509"
	"testing"
	"time"
)

// BenchmarkVerify measures a full verification with the CRL cached: parse,
// digest, signature, chain, profile and a CRL lookup.
func BenchmarkVerify(b *testing.B) {
	for _, keyKind := range []string{"rsa", "ecdsa"} {
		name := map[string]string{"rsa": "RSA-2048", "ecdsa": "ECDSA-P256"}[keyKind]
		b.Run(name, func(b *testing.B) {
			pki := newBundle(b, keyKind)
			srv := newCRLServer(b)
			cert, key := pki.inter.leaf(b, leafOpts{key: keyKind, crl: srv.URL + "/crl"}, pki.now)
			srv.set(pki.inter.crl(b, pki.now))
			cms, err := SignWith(key, cert, []*x509.Certificate{pki.inter.cert}, body, pki.now)
			if err != nil {
				b.Fatal(err)
			}
			v := pki.verifier(b, func(c *Config) { c.Now = func() time.Time { return pki.now.Add(time.Minute) } })
			ctx := context.Background()
			if _, err := v.Verify(ctx, cms, body); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			withCPUTime(b, func() {
				if _, err := v.Verify(ctx, cms, body); err != nil {
					b.Fatal(err)
				}
			})
			b.StopTimer()
			if n := srv.hits.Load(); n != 1 {
				b.Fatalf("CRL fetched %d times", n)
			}
		})
	}
}

// BenchmarkVerifyGOST measures the same full verification for a GOST
// 34.10-2015 512-bit signer under a GOST CA (the NCA's shape today), with
// the CRL (GOST-signed) cached: the chain is cached too, so a run costs the
// Streebog digests and one GOST signature verification.
func BenchmarkVerifyGOST(b *testing.B) {
	p := newGOSTPKI(b)
	srv := newCRLServer(b)
	cert, key := p.leaf(b, srv.URL+"/crl", "")
	srv.set(p.gostCRL(b, p.inter, p.inter.key.(*GOSTSigner)))
	cms, err := SignWith(key, cert, nil, body, p.now)
	if err != nil {
		b.Fatal(err)
	}
	v, err := NewVerifier(Config{Roots: []*x509.Certificate{p.root.cert}, Intermediates: []*x509.Certificate{p.inter.cert},
		Now: func() time.Time { return p.now.Add(time.Minute) }})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := v.Verify(ctx, cms, body); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	withCPUTime(b, func() {
		if _, err := v.Verify(ctx, cms, body); err != nil {
			b.Fatal(err)
		}
	})
	b.StopTimer()
	if n := srv.hits.Load(); n != 1 {
		b.Fatalf("CRL fetched %d times", n)
	}
}

// BenchmarkVerifyGOSTColdChain is BenchmarkVerifyGOST with the chain cache
// emptied each time: the chain (two more GOST verifications, the leaf's and
// the intermediate's certificates) is built every time, as for a signer seen
// for the first time.
func BenchmarkVerifyGOSTColdChain(b *testing.B) {
	p := newGOSTPKI(b)
	cert, key := p.leaf(b, "", "")
	cms, err := SignWith(key, cert, nil, body, p.now)
	if err != nil {
		b.Fatal(err)
	}
	cfg := Config{Roots: []*x509.Certificate{p.root.cert}, Intermediates: []*x509.Certificate{p.inter.cert},
		Now: func() time.Time { return p.now.Add(time.Minute) }}
	ctx := context.Background()
	v, _ := NewVerifier(cfg)
	b.ReportAllocs()
	withCPUTime(b, func() {
		v.chains.mu.Lock()
		v.chains.m = nil
		v.chains.mu.Unlock()
		if _, err := v.Verify(ctx, cms, body); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkSignGOST measures signing with a GOST 512-bit key (CMS with
// Streebog-512 signed attributes), as `tirkeu sign` and the bench do.
func BenchmarkSignGOST(b *testing.B) {
	p := newGOSTPKI(b)
	cert, key := p.leaf(b, "", "")
	b.ReportAllocs()
	withCPUTime(b, func() {
		if _, err := SignWith(key, cert, nil, body, p.now); err != nil {
			b.Fatal(err)
		}
	})
}
