package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"tirkeu/internal/residence"
)

// TestSQLiteSynchronousFull checks the pragmas of a database opened as the
// service opens it: WAL with synchronous FULL on the writer connection (the
// one every commit goes through) and on the readers, so that a commit, and
// the 201 that follows it, survives a power loss.
func TestSQLiteSynchronousFull(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "tirkeu.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := st.(*SQLite)
	for _, c := range []struct {
		name string
		db   *sql.DB
	}{{"writer", s.db}, {"readers", s.ro}} {
		var journal string
		var synchronous int
		if err := c.db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&journal); err != nil {
			t.Fatal(err)
		}
		if err := c.db.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&synchronous); err != nil {
			t.Fatal(err)
		}
		// PRAGMA synchronous answers 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA.
		if journal != "wal" || synchronous != 2 {
			t.Errorf("%s: journal_mode %s, synchronous %d; want wal and 2 (FULL)", c.name, journal, synchronous)
		}
	}
	if _, err := OpenSQLite(ctx, filepath.Join(t.TempDir(), "x.db"), nil, WithSQLiteSynchronous("OFF")); err == nil {
		t.Error("synchronous OFF was accepted")
	}
}

// benchDir is where the durability benchmarks write: the disk the service's
// data directory is on (not a tmpfs), TIRKEU_BENCH_DIR or the package
// directory.
func benchDir(b *testing.B) string {
	dir := os.Getenv("TIRKEU_BENCH_DIR")
	if dir == "" {
		dir = "."
	}
	d, err := os.MkdirTemp(dir, "bench-durability-")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(d) })
	return d
}

// BenchmarkFsync is the raw limit of the disk for a commit: append 200
// bytes to a file and fdatasync it, once per op, on the same disk as the
// SQLite benchmarks.
func BenchmarkFsync(b *testing.B) {
	f, err := os.OpenFile(filepath.Join(benchDir(b), "fsync"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	rec := make([]byte, 200)
	for b.Loop() {
		if _, err := f.Write(rec); err != nil {
			b.Fatal(err)
		}
		if err := f.Sync(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
}

// BenchmarkSQLiteCommit measures one small transaction per op with each
// synchronous mode: "raw", an INSERT and COMMIT on a plain connection with
// the store's pragmas (SQLite's own speed), and "store", an event appended
// through InTx (BEGIN IMMEDIATE, the store's statement, COMMIT).
func BenchmarkSQLiteCommit(b *testing.B) {
	for _, mode := range []string{"NORMAL", "FULL"} {
		b.Run("raw/"+mode, func(b *testing.B) {
			path := filepath.Join(benchDir(b), "raw.db")
			db, err := sql.Open("sqlite", sqliteDSN(path, true, mode))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			db.SetMaxOpenConns(1)
			if _, err := db.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)`); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				tx, err := db.Begin()
				if err != nil {
					b.Fatal(err)
				}
				if _, err := tx.Exec(`INSERT INTO t (v) VALUES ($1)`, "a record of about two hundred bytes"); err != nil {
					b.Fatal(err)
				}
				if err := tx.Commit(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
		})
		b.Run("store/"+mode, func(b *testing.B) {
			ctx := context.Background()
			s, err := OpenSQLite(ctx, filepath.Join(benchDir(b), "store.db"), nil, WithSQLiteSynchronous(mode))
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			if err := s.Migrate(ctx); err != nil {
				b.Fatal(err)
			}
			at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
			i := 0
			for b.Loop() {
				i++
				err := s.InTx(ctx, func(tx residence.Tx) error {
					return tx.AppendEvents(ctx, residence.Event{Type: "bench.commit", At: at, PersonIIN: "800101300001",
						Message: residence.Text{EN: fmt.Sprintf("commit %d", i)}})
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
		})
	}
}
