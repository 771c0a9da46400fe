package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"tirkeu/internal/residence"
)

func TestPostgresUnavailable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"refused", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, residence.EUnavailable},
		{"eof mid-query", fmt.Errorf("read: %w", io.ErrUnexpectedEOF), residence.EUnavailable},
		{"conn closed", fmt.Errorf("begin: %w", pgconn.ErrConnClosed), residence.EUnavailable},
		{"acquire deadline", fmt.Errorf("acquire: %w", context.DeadlineExceeded), residence.EUnavailable},
		{"admin shutdown", &pgconn.PgError{Code: "57P01"}, residence.EUnavailable},
		{"crash shutdown", &pgconn.PgError{Code: "57P02"}, residence.EUnavailable},
		{"starting up", &pgconn.PgError{Code: "57P03"}, residence.EUnavailable},
		{"connection failure", &pgconn.PgError{Code: "08006"}, residence.EUnavailable},
		{"too many connections", &pgconn.PgError{Code: "53300"}, residence.EUnavailable},
		{"query canceled", &pgconn.PgError{Code: "57014"}, residence.EUnavailable},
		{"unique", &pgconn.PgError{Code: "23505"}, residence.EConflict},
		{"syntax", &pgconn.PgError{Code: "42601"}, residence.EInternal},
		{"other", errors.New("boom"), residence.EInternal},
		{"already coded", residence.Errorf(residence.ENotFound, "x"), residence.ENotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := residence.ErrorCode(postgresDialect.translate(tt.err, "op", "")); got != tt.want {
				t.Errorf("translate: code %q, want %q", got, tt.want)
			}
			want := tt.want
			if want == residence.EConflict { // unavailable leaves other kinds to translate
				want = residence.EInternal
			}
			err := postgresDialect.unavailable(fmt.Errorf("store: begin: %w", tt.err))
			if got := residence.ErrorCode(err); got != want {
				t.Errorf("unavailable: code %q, want %q", got, want)
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("unavailable lost the cause: %v", err)
			}
		})
	}
}

// TestSQLiteBusyUnavailable holds the write lock from another connection
// and checks that a writer that gives up waiting is told to retry later.
func TestSQLiteBusyUnavailable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "busy.db")
	holder, err := sql.Open("sqlite", sqliteDSN(path, true, "FULL"))
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	holder.SetMaxOpenConns(1)
	if _, err := holder.ExecContext(ctx, `CREATE TABLE t (x INTEGER)`); err != nil {
		t.Fatal(err)
	}
	tx, err := holder.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO t VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	// A second writer that does not wait at all.
	other, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(0)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	_, busy := other.BeginTx(ctx, nil)
	if busy == nil {
		t.Fatal("second writer began a transaction while the first held the lock")
	}
	if got := residence.ErrorCode(sqliteDialect.unavailable(busy)); got != residence.EUnavailable {
		t.Errorf("busy: code %q, want %q (%v)", got, residence.EUnavailable, busy)
	}
	if got := residence.ErrorCode(sqliteDialect.translate(busy, "insert", "")); got != residence.EUnavailable {
		t.Errorf("busy through translate: code %q, want %q", got, residence.EUnavailable)
	}
}
