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
			for b.Loop() {
				if _, err := v.Verify(ctx, cms, body); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			if n := srv.hits.Load(); n != 1 {
				b.Fatalf("CRL fetched %d times", n)
			}
		})
	}
}
