package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// TestTokenPurposesMigration: migration 0006 gives agency tokens issued
// before purposes existed the three reads they had, and staff tokens none.
func TestTokenPurposesMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "old.db"))
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
			if mg.version == 6 {
				// A database of an earlier release, with its tokens.
				if _, err := db.ExecContext(ctx, `INSERT INTO tokens (id, name, role, hash, created_at) VALUES
					('a', 'tax', 'agency', x'01', '2026-01-01T00:00:00Z'),
					('o', 'psc', 'operator', x'02', '2026-01-01T00:00:00Z')`); err != nil {
					return err
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
	for id, want := range map[string]string{"a": "address:read,residents:read,events:read", "o": ""} {
		var got string
		if err := db.QueryRowContext(ctx, `SELECT purposes FROM tokens WHERE id = $1`, id).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("token %s: purposes %q, want %q", id, got, want)
		}
	}
}
