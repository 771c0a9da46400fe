package store

import (
	"context"
	"time"

	"tirkeu/internal/residence"
)

// Sessions and redeemed sign-in challenges (migration 0007). A session's
// row is what makes sign-out final (residence/session.go); the unique key
// of used_challenges is what makes an EDS sign-in challenge single-use.

// SessionByID returns the session, or ErrNotFound.
func (r reader) SessionByID(ctx context.Context, id string) (residence.Session, error) {
	return one(ctx, r, "session", `SELECT id, kind, created_at, expires_at, revoked_at, challenge FROM sessions WHERE id = $1`,
		[]any{id}, func(rs rows) (residence.Session, error) {
			var s residence.Session
			err := rs.Scan(&s.ID, &s.Kind, timeCol{&s.CreatedAt}, timeCol{&s.ExpiresAt}, timeCol{&s.RevokedAt}, textCol{&s.Challenge})
			return s, err
		})
}

// CreateSession inserts s; EConflict on a duplicate ID.
func (w writer) CreateSession(ctx context.Context, s residence.Session) error {
	_, err := w.exec(ctx, "insert session", "", `
		INSERT INTO sessions (id, kind, created_at, expires_at, revoked_at, challenge) VALUES ($1, $2, $3, $4, $5, $6)`,
		s.ID, s.Kind, w.d.ts(s.CreatedAt), w.d.ts(s.ExpiresAt), w.d.ts(s.RevokedAt), nullText(s.Challenge))
	return err
}

// RevokeSession sets revoked_at once (a second sign-out keeps the first
// time); ErrNotFound when no session has the id.
func (w writer) RevokeSession(ctx context.Context, id string, at time.Time) error {
	n, err := w.exec(ctx, "revoke session", "", `UPDATE sessions SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1`,
		id, w.d.ts(at))
	if err == nil && n == 0 {
		err = w.d.translate(errNoRows, "revoke session", "")
	}
	return err
}

// UseChallenge inserts the challenge's id; the primary key refuses a second
// insert with EConflict, also between concurrent transactions.
func (w writer) UseChallenge(ctx context.Context, id string, usedAt, expiresAt time.Time) error {
	_, err := w.exec(ctx, "use challenge", "", `INSERT INTO used_challenges (id, used_at, expires_at) VALUES ($1, $2, $3)`,
		id, w.d.ts(usedAt), w.d.ts(expiresAt))
	return err
}

// DeleteExpired removes up to limit expired rows of each table, oldest
// first (on the expires_at indexes of migration 0007).
func (w writer) DeleteExpired(ctx context.Context, before time.Time, limit int) (int, error) {
	total := 0
	for _, table := range []string{"sessions", "used_challenges"} {
		n, err := w.exec(ctx, "delete expired "+table, "", `DELETE FROM `+table+` WHERE id IN (
			SELECT id FROM `+table+` WHERE expires_at < $1 ORDER BY expires_at LIMIT $2)`, w.d.ts(before), limit)
		if err != nil {
			return total, err
		}
		total += int(n)
	}
	return total, nil
}
