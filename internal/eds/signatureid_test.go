package eds

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/asn1"
	"math/big"
	"testing"
	"time"
)

// reencode rewrites a SignedData without the key: edit changes its parsed
// form, which is marshalled again.
func reencode(t *testing.T, der []byte, edit func(sd *signedData)) []byte {
	t.Helper()
	var ci contentInfo
	if _, err := asn1.Unmarshal(der, &ci); err != nil {
		t.Fatal(err)
	}
	var sd signedData
	if _, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil {
		t.Fatal(err)
	}
	edit(&sd)
	inner, err := asn1.Marshal(sd)
	if err != nil {
		t.Fatal(err)
	}
	out, err := asn1.Marshal(contentInfo{ContentType: oidSignedData,
		Content: asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: inner}})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSignatureID: the ID names the act of signing. A copy re-encoded
// without the key (another certificate set, the ECDSA twin (r, n−s) of the
// signature value) keeps it, so a replay cannot pass as new; another signing
// of the same body gets another.
func TestSignatureID(t *testing.T) {
	b := newBundle(t, "ecdsa")
	cert, key := b.inter.leaf(t, leafOpts{}, b.now)
	v := b.verifier(t, nil)
	verify := func(cms []byte) Signer {
		t.Helper()
		s, err := v.Verify(context.Background(), cms, body)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	cms, err := SignWith(key, cert, []*x509.Certificate{b.inter.cert}, body, b.now)
	if err != nil {
		t.Fatal(err)
	}
	s := verify(cms)
	if len(s.ID) != 32 || !s.Claimed.Equal(b.now) {
		t.Fatalf("ID %x, claimed %v; want 32 bytes and %v", s.ID, s.Claimed, b.now)
	}
	if again := verify(cms); !bytes.Equal(again.ID, s.ID) {
		t.Fatal("the same CMS got another ID")
	}

	more := reencode(t, cms, func(sd *signedData) {
		sd.Certificates.Bytes = append(append([]byte(nil), sd.Certificates.Bytes...), b.root.cert.Raw...)
		sd.Certificates.FullBytes = nil
	})
	twin := reencode(t, cms, func(sd *signedData) {
		var sig struct{ R, S *big.Int }
		if _, err := asn1.Unmarshal(sd.SignerInfos[0].Signature, &sig); err != nil {
			t.Fatal(err)
		}
		n := cert.PublicKey.(*ecdsa.PublicKey).Curve.Params().N
		sig.S = new(big.Int).Sub(n, sig.S)
		raw, err := asn1.Marshal(sig)
		if err != nil {
			t.Fatal(err)
		}
		sd.SignerInfos[0].Signature = raw
	})
	for name, c := range map[string][]byte{"another certificate set": more, "the ECDSA twin": twin} {
		if bytes.Equal(c, cms) {
			t.Fatalf("%s: not re-encoded", name)
		}
		if got := verify(c); !bytes.Equal(got.ID, s.ID) {
			t.Errorf("%s: the copy got another ID", name)
		}
	}

	later, err := SignWith(key, cert, []*x509.Certificate{b.inter.cert}, body, b.now.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(verify(later).ID, s.ID) {
		t.Error("a second signing of the body got the same ID")
	}
}
