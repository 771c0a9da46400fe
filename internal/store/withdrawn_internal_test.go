package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
)

// TestWithdrawnMigration: migration 0013 rebuilds SQLite's applications
// table (for the status withdrawn) with foreign keys enforced, keeping every
// row and every reference to it from registrations and consent tasks.
func TestWithdrawnMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := sql.Open("sqlite", sqliteDSN(filepath.Join(t.TempDir(), "old.db"), true, "FULL"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	ms, err := loadMigrations("sqlite")
	if err != nil {
		t.Fatal(err)
	}
	m := sqlMigrator{db: db}
	err = m.run(ctx, func() error {
		for _, mg := range ms {
			if mg.version == 13 {
				// A database of an earlier release: an application with a
				// consent task and the registration it made.
				for _, q := range []string{
					`INSERT INTO persons (iin, last_name, first_name, birth_date, citizenship, capacity)
						VALUES ('900101300017', 'Ахметов', 'Ерлан', '1990-01-01', 'KZ', 'full')`,
					`INSERT INTO premises (rka, region, locality, building, kind) VALUES ('R1', 'Astana', 'Astana', '1', 'apartment')`,
					`INSERT INTO applications (id, action, kind, applicant_iin, subject_iin, rka, channel, status,
						created_at, updated_at, idempotency_hash)
						VALUES ('0190a0b0-c0d0-7000-8000-00000000abcd', 'register', 'permanent', '900101300017',
						'900101300017', 'R1', 'portal', 'registered', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', x'0102')`,
					`INSERT INTO registrations (id, iin, rka, kind, since, status, application_id)
						VALUES ('g1', '900101300017', 'R1', 'permanent', '2026-01-01', 'active', '0190a0b0-c0d0-7000-8000-00000000abcd')`,
					`INSERT INTO consent_tasks (id, application_id, owner_iin, channel, status, created_at, expires_at)
						VALUES ('c1', '0190a0b0-c0d0-7000-8000-00000000abcd', '900101300017', 'sms', 'confirmed',
						'2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z')`,
					`UPDATE applications SET registration_id = 'g1'`,
				} {
					if _, err := db.ExecContext(ctx, q); err != nil {
						return fmt.Errorf("%s: %w", q, err)
					}
				}
			}
			if err := m.apply(ctx, mg); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM applications a
		JOIN registrations r ON r.application_id = a.id AND a.registration_id = r.id
		JOIN consent_tasks c ON c.application_id = a.id
		WHERE a.idempotency_hash = x'0102' AND substr(a.id, 27) = '000000abcd'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("after the rebuild the application and its references: %d rows, want 1", n)
	}
	rs, err := db.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		t.Fatal(err)
	}
	if rs.Next() {
		t.Error("foreign_key_check reports a violation after the rebuild")
	}
	rs.Close()
	if _, err := db.ExecContext(ctx, `UPDATE applications SET status = 'withdrawn'`); err != nil {
		t.Errorf("status withdrawn: %v", err)
	}
	if _, err := db.ExecContext(ctx, `UPDATE applications SET status = 'gone'`); err == nil {
		t.Error("the status check is gone")
	}
	// Foreign keys are enforced again: a task naming no application is refused.
	if _, err := db.ExecContext(ctx, `INSERT INTO consent_tasks (id, application_id, owner_iin, channel, status, created_at, expires_at)
		VALUES ('c2', 'none', '900101300017', 'sms', 'pending', '2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z')`); err == nil {
		t.Error("a consent task of no application was accepted")
	}
}
