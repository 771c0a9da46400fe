package store

import (
	"context"

	"tirkeu/internal/residence"
)

const certificateColumns = `id, code_hash, registration_id, iin, issued_at, pdf, signature`

func scanCertificate(rs rows) (residence.Certificate, error) {
	var c residence.Certificate
	err := rs.Scan(&c.ID, &c.CodeHash, &c.RegistrationID, &c.IIN, timeCol{&c.IssuedAt}, &c.PDF, &c.Signature)
	return c, err
}

// Certificate returns an issued certificate, or ErrNotFound.
func (r reader) Certificate(ctx context.Context, id string) (residence.Certificate, error) {
	return one(ctx, r, "certificate", `SELECT `+certificateColumns+` FROM certificates WHERE id = $1`,
		[]any{id}, scanCertificate)
}

// CertificateByCodeHash finds a certificate by the hash of its verification
// code (the unique index of migration 0011), or ErrNotFound.
func (r reader) CertificateByCodeHash(ctx context.Context, hash []byte) (residence.Certificate, error) {
	return one(ctx, r, "certificate", `SELECT `+certificateColumns+` FROM certificates WHERE code_hash = $1`,
		[]any{nonNilBytes(hash)}, scanCertificate)
}

// CreateCertificate inserts c; EConflict on a duplicate ID or code hash.
func (w writer) CreateCertificate(ctx context.Context, c residence.Certificate) error {
	_, err := w.exec(ctx, "insert certificate", "", `
		INSERT INTO certificates (`+certificateColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		c.ID, nonNilBytes(c.CodeHash), c.RegistrationID, c.IIN, w.d.ts(c.IssuedAt), nonNilBytes(c.PDF), nonNilBytes(c.Signature))
	return err
}
