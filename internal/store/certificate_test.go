package store_test

import (
	"bytes"
	"crypto/sha256"
	"testing"

	"tirkeu/internal/residence"
	"tirkeu/internal/store/storetest"
)

// TestCertificates stores an issued certificate and finds it by id and by
// its code's hash on both engines; the id and the code hash are unique,
// and a certificate names a registration and a person that exist.
func TestCertificates(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		seed(t, s)
		mustTx(t, s, func(tx residence.Tx) error {
			if err := tx.CreateApplication(ctx(t), application("app-c", iinTenant, iinTenant, rkaFlat, residence.Permanent)); err != nil {
				return err
			}
			return tx.CreateRegistration(ctx(t), registration("reg-c", iinTenant, rkaFlat, "app-c", residence.Permanent, day0))
		})
		hash := func(s string) []byte { h := sha256.Sum256([]byte(s)); return h[:] }
		c := residence.Certificate{ID: "cert-1", CodeHash: hash("code-1"), RegistrationID: "reg-c", IIN: iinTenant,
			IssuedAt: t0, PDF: []byte("%PDF-1.3 test"), Signature: []byte{0x30, 0x82, 0x01}}
		mustTx(t, s, func(tx residence.Tx) error { return tx.CreateCertificate(ctx(t), c) })
		mustView(t, s, func(r residence.Reader) error {
			for _, got := range []func() (residence.Certificate, error){
				func() (residence.Certificate, error) { return r.Certificate(ctx(t), "cert-1") },
				func() (residence.Certificate, error) { return r.CertificateByCodeHash(ctx(t), hash("code-1")) },
			} {
				g, err := got()
				if err != nil || g.ID != c.ID || g.IIN != c.IIN || g.RegistrationID != c.RegistrationID || !g.IssuedAt.Equal(t0) ||
					!bytes.Equal(g.PDF, c.PDF) || !bytes.Equal(g.Signature, c.Signature) || !bytes.Equal(g.CodeHash, c.CodeHash) {
					t.Errorf("read back %+v, %v; want %+v", g, err, c)
				}
			}
			_, err := r.Certificate(ctx(t), "nope")
			wantCode(t, err, residence.ENotFound)
			_, err = r.CertificateByCodeHash(ctx(t), hash("other"))
			wantCode(t, err, residence.ENotFound)
			return nil
		})
		dupID := c
		dupID.CodeHash = hash("code-2")
		err := s.InTx(ctx(t), func(tx residence.Tx) error { return tx.CreateCertificate(ctx(t), dupID) })
		wantCode(t, err, residence.EConflict)
		dupCode := c
		dupCode.ID = "cert-2"
		err = s.InTx(ctx(t), func(tx residence.Tx) error { return tx.CreateCertificate(ctx(t), dupCode) })
		wantCode(t, err, residence.EConflict)
		orphan := c
		orphan.ID, orphan.CodeHash, orphan.RegistrationID = "cert-3", hash("code-3"), "missing"
		if err := s.InTx(ctx(t), func(tx residence.Tx) error { return tx.CreateCertificate(ctx(t), orphan) }); err == nil {
			t.Error("a certificate of an unknown registration was stored")
		}
	})
}
