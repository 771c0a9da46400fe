package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"tirkeu/internal/residence"
)

// Backup writes a consistent copy of the database to path while the store
// stays in use. SQLite's VACUUM INTO runs in one read transaction on a
// connection of its own, so it sees a single committed snapshot (WAL lets
// writers go on meanwhile) and writes a compact file that opens as an
// ordinary database. The copy is written beside path and renamed into
// place only when complete and checked, so a crash never leaves a partial
// file at path. Backup refuses (EInvalid) to overwrite an existing file.
func (s *SQLite) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("store: backup: %w", residence.Errorf(residence.EInvalid, "%s already exists; choose a new file", path))
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("store: backup: %w", err)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return fmt.Errorf("store: backup: create directory: %w", err)
		}
	}
	tmp := path + ".partial"
	_ = os.Remove(tmp)
	// A connection of its own: the readers are query-only, and the single
	// writer must stay free for the running service.
	db, err := sql.Open("sqlite", s.path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("store: backup: open: %w", err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO `+sqlString(tmp)); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("store: backup: %w", sqliteDialect.unavailable(err))
	}
	if err := checkSQLiteFile(ctx, tmp); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("store: backup: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}

// checkSQLiteFile runs SQLite's quick integrity check on the file at path.
func checkSQLiteFile(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	defer db.Close()
	var res string
	if err := db.QueryRowContext(ctx, `PRAGMA quick_check`).Scan(&res); err != nil {
		return fmt.Errorf("check copy: %w", err)
	}
	if res != "ok" {
		return fmt.Errorf("check copy: %s", res)
	}
	return nil
}

// sqlString quotes s as an SQL string literal.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
