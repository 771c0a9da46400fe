package store

import (
	"context"

	"tirkeu/internal/residence"
)

// ExecForTest runs raw SQL on the store's writer, bypassing the Go code, and
// translates the error like every store method.
func ExecForTest(ctx context.Context, s residence.Store, sql string) error {
	switch s := s.(type) {
	case *SQLite:
		_, err := s.db.ExecContext(ctx, sql)
		return sqliteDialect.translate(err, "exec", "")
	case *Postgres:
		_, err := s.pool.Exec(ctx, sql)
		return postgresDialect.translate(err, "exec", "")
	}
	panic("unknown store")
}
