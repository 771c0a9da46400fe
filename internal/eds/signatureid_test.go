package eds

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"math/big"
	"sort"
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

// TestClaimedSigningTime: Claimed is the signingTime attribute as signed,
// and zero for a signature without one (which the service refuses), while
// SigningTime falls back to the clock.
func TestClaimedSigningTime(t *testing.T) {
	b := newBundle(t, "ecdsa")
	cert, key := b.inter.leaf(t, leafOpts{}, b.now)
	cms, err := SignWith(key, cert, []*x509.Certificate{b.inter.cert}, body, b.now)
	if err != nil {
		t.Fatal(err)
	}
	// The same signature made without the signingTime attribute: the
	// attributes are rebuilt and signed again with the key.
	noTime := reencode(t, cms, func(sd *signedData) {
		si := &sd.SignerInfos[0]
		set := append([]byte(nil), si.SignedAttrs.FullBytes...)
		set[0] = 0x31
		var attrs []attribute
		if _, err := asn1.UnmarshalWithParams(set, &attrs, "set"); err != nil {
			t.Fatal(err)
		}
		var enc [][]byte
		for _, a := range attrs {
			if a.Type.Equal(oidSigningTime) {
				continue
			}
			e, err := asn1.Marshal(struct {
				Type   asn1.ObjectIdentifier
				Values asn1.RawValue
			}{a.Type, asn1.RawValue{FullBytes: a.Values.FullBytes}})
			if err != nil {
				t.Fatal(err)
			}
			enc = append(enc, e)
		}
		sort.Slice(enc, func(i, j int) bool { return bytes.Compare(enc[i], enc[j]) < 0 })
		der, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: bytes.Join(enc, nil)})
		if err != nil {
			t.Fatal(err)
		}
		d := sha256.Sum256(der)
		if si.Signature, err = key.Sign(rand.Reader, d[:], crypto.SHA256); err != nil {
			t.Fatal(err)
		}
		der[0] = 0xa0
		si.SignedAttrs = asn1.RawValue{FullBytes: der}
	})
	v := b.verifier(t, nil)
	s, err := v.Verify(context.Background(), noTime, body)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Claimed.IsZero() || s.SigningTime.IsZero() {
		t.Fatalf("without signingTime: claimed %v, signing time %v; want zero and the clock", s.Claimed, s.SigningTime)
	}
	info, err := v.VerifySignature(context.Background(), noTime, body)
	if err != nil || !info.SigningTime.IsZero() || len(info.Digest) != 32 {
		t.Fatalf("VerifySignature = %+v, %v", info, err)
	}
	if s, err := v.Verify(context.Background(), cms, body); err != nil || !s.Claimed.Equal(b.now) {
		t.Fatalf("with signingTime: claimed %v, %v", s.Claimed, err)
	}
}
