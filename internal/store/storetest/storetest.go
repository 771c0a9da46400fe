// Package storetest opens fresh, migrated stores for tests: SQLite always,
// PostgreSQL when TIRKEU_TEST_DATABASE_URL is set (each store in its own
// schema, dropped when the test ends).
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"tirkeu/internal/residence"
	"tirkeu/internal/store"

	"tirkeu/internal/needtest"
)

// Engines that Open accepts.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// EnvDatabaseURL names the variable holding the PostgreSQL URL for tests.
const EnvDatabaseURL = "TIRKEU_TEST_DATABASE_URL"

// Each runs fn as a subtest against a fresh migrated store of each engine:
// "sqlite" always, "postgres" when TIRKEU_TEST_DATABASE_URL is set. Without
// the variable the PostgreSQL subtest is skipped, or fails when CI=true.
func Each(t *testing.T, fn func(t *testing.T, s residence.Store)) {
	t.Helper()
	for _, engine := range []string{SQLite, Postgres} {
		t.Run(engine, func(t *testing.T) {
			fn(t, Open(t, engine))
		})
	}
}

// Open returns a fresh migrated store of the engine ("sqlite" or
// "postgres"), closed when the test ends. For "postgres" without
// TIRKEU_TEST_DATABASE_URL it skips the test (fails it when CI=true).
func Open(tb testing.TB, engine string) store.Store {
	tb.Helper()
	switch engine {
	case SQLite:
		return openSQLite(tb)
	case Postgres:
		return openPostgres(tb)
	}
	tb.Fatalf("storetest: unknown engine %q", engine)
	return nil
}

func logger() *slog.Logger {
	if os.Getenv("TIRKEU_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

var (
	templateOnce sync.Once
	templatePath string
	templateErr  error
)

// sqliteTemplate returns a migrated database file, made once per set of
// migrations and shared by test processes through the temporary directory;
// each test copies it instead of migrating.
func sqliteTemplate() (string, error) {
	templateOnce.Do(func() {
		dir := filepath.Join(os.TempDir(), "tirkeu-storetest")
		templatePath = filepath.Join(dir, "template-"+store.MigrationsDigest()+".db")
		if _, err := os.Stat(templatePath); err == nil {
			return
		}
		if templateErr = os.MkdirAll(dir, 0o755); templateErr != nil {
			return
		}
		work, err := os.MkdirTemp(dir, "build-")
		if err != nil {
			templateErr = err
			return
		}
		defer os.RemoveAll(work)
		path := filepath.Join(work, "t.db")
		ctx := context.Background()
		s, err := store.OpenSQLite(ctx, path, logger())
		if err != nil {
			templateErr = err
			return
		}
		if err := s.Migrate(ctx); err != nil {
			s.Close()
			templateErr = err
			return
		}
		if templateErr = s.Close(); templateErr != nil {
			return
		}
		// Closing the last connection checkpoints the WAL into the file.
		if _, err := os.Stat(path + "-wal"); err == nil {
			templateErr = fmt.Errorf("storetest: template WAL was not checkpointed")
			return
		}
		templateErr = os.Rename(path, templatePath)
	})
	return templatePath, templateErr
}

func openSQLite(tb testing.TB) store.Store {
	tb.Helper()
	tpl, err := sqliteTemplate()
	if err != nil {
		tb.Fatalf("storetest: sqlite template: %v", err)
	}
	path := filepath.Join(tb.TempDir(), "tirkeu.db")
	if err := copyFile(tpl, path); err != nil {
		tb.Fatalf("storetest: copy template: %v", err)
	}
	s, err := store.OpenSQLite(context.Background(), path, logger())
	if err != nil {
		tb.Fatalf("storetest: open sqlite: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	// Migrating an up-to-date copy is a cheap check that it is complete.
	if err := s.Migrate(context.Background()); err != nil {
		tb.Fatalf("storetest: migrate sqlite: %v", err)
	}
	return s
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// PostgresURL returns the URL of a fresh, empty schema in the database of
// TIRKEU_TEST_DATABASE_URL (search_path set), dropped when the test ends.
// Without the variable it skips the test, or fails it when CI=true.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(EnvDatabaseURL)
	if base == "" {
		needtest.Missing(tb, "PostgreSQL: "+EnvDatabaseURL+" is not set", "see the README's set-up")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)

	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		tb.Fatalf("storetest: connect: %v", err)
	}
	defer admin.Close(context.Background())
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatalf("storetest: create schema: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, base)
		if err != nil {
			tb.Errorf("storetest: drop schema: %v", err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Errorf("storetest: drop schema: %v", err)
		}
	})

	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("storetest: parse %s: %v", EnvDatabaseURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func openPostgres(tb testing.TB) store.Store {
	tb.Helper()
	u, err := url.Parse(PostgresURL(tb))
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	// Tests need no durability; this halves the time of a migration.
	q.Set("synchronous_commit", "off")
	u.RawQuery = q.Encode()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := store.OpenPostgres(ctx, u.String(), logger())
	if err != nil {
		tb.Fatalf("storetest: open postgres: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		tb.Fatalf("storetest: migrate postgres: %v", err)
	}
	return s
}
