package eds

import (
	"context"
	"crypto/x509"
	"testing"
	"time"
)

// TestCALinksRemembered checks that the intermediate's signature by the
// root is verified once for all signers (linkSignature), that each signer's
// own certificate is still checked, and that a signer under an
// intermediate with the same name but other bytes gains nothing from it.
func TestCALinksRemembered(t *testing.T) {
	p := newGOSTPKI(t)
	cfg := Config{Roots: []*x509.Certificate{p.root.cert}, Intermediates: []*x509.Certificate{p.inter.cert},
		Now: func() time.Time { return p.now.Add(time.Minute) }}
	v, err := NewVerifier(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		cert, key := p.leaf(t, "", "")
		cms, err := SignWith(key, cert, nil, body, p.now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := v.Verify(context.Background(), cms, body); err != nil {
			t.Fatalf("signer %d: %v", i, err)
		}
		if n := v.caLinkCount.Load(); n != 1 {
			t.Fatalf("after signer %d: %d CA links verified, want 1 (the intermediate's, once)", i, n)
		}
	}
	// A leaf whose own signature is not the intermediate's is refused even
	// though the intermediate's link is remembered.
	cert, _ := p.leaf(t, "", "")
	bad := *cert
	bad.RawTBSCertificate = append([]byte(nil), cert.RawTBSCertificate...)
	bad.RawTBSCertificate[len(bad.RawTBSCertificate)-1] ^= 1
	if err := v.linkSignature(&bad, p.inter.cert); err == nil {
		t.Fatal("a leaf with a broken signature passed linkSignature")
	}
}
