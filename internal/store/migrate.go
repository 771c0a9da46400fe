package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// migrations holds the forward-only numbered SQL migrations of each engine.
// A shipped migration is never edited: add a new file instead.
//
//go:embed migrations/postgres/*.sql migrations/sqlite/*.sql
var migrations embed.FS

// migration is one numbered SQL file.
type migration struct {
	version int
	name    string
	sql     string
	// step, when set, runs after sql in the same transaction: the part of
	// a migration that needs Go (migrationSteps).
	step func(ctx context.Context, q querier) error
}

// loadMigrations reads the migrations of the engine in version order. File
// names are NNNN_name.sql.
func loadMigrations(engine string) ([]migration, error) {
	dir := "migrations/" + engine
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return nil, fmt.Errorf("store: read migrations: %w", err)
	}
	var ms []migration
	seen := map[int]string{}
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("store: migration %s: name must be NNNN_name.sql", e.Name())
		}
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("store: migrations %s and %s share version %d", prev, e.Name(), v)
		}
		seen[v] = e.Name()
		b, err := migrations.ReadFile(path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("store: read migration %s: %w", e.Name(), err)
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// migrator is the engine side of the migration runner. run holds whatever
// lock keeps two migrating processes apart while fn runs; apply runs one
// migration and records it in one transaction.
type migrator interface {
	run(ctx context.Context, fn func() error) error
	applied(ctx context.Context) (map[int]bool, error)
	apply(ctx context.Context, m migration) error
}

// migrationSteps returns the Go steps of migrations, by version, for a
// store whose audit key is key.
func migrationSteps(key []byte) map[int]func(ctx context.Context, q querier) error {
	return map[int]func(ctx context.Context, q querier) error{
		8: func(ctx context.Context, q querier) error { return stampEpoch(ctx, q, key) },
	}
}

// migrate applies the engine's pending migrations in order, each with its
// Go step (migrationSteps) if it has one.
func migrate(ctx context.Context, m migrator, engine string, logger *slog.Logger, steps map[int]func(context.Context, querier) error) error {
	ms, err := loadMigrations(engine)
	if err != nil {
		return err
	}
	for i := range ms {
		ms[i].step = steps[ms[i].version]
	}
	return m.run(ctx, func() error {
		done, err := m.applied(ctx)
		if err != nil {
			return fmt.Errorf("store: read applied migrations: %w", err)
		}
		for _, mg := range ms {
			if done[mg.version] {
				continue
			}
			start := time.Now()
			if err := m.apply(ctx, mg); err != nil {
				return fmt.Errorf("store: migration %s: %w", mg.name, err)
			}
			logger.Info("migration applied", "engine", engine, "migration", mg.name, "duration", time.Since(start))
		}
		return nil
	})
}

const schemaMigrationsDDL = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	applied_at TEXT NOT NULL
)`

// sqlMigrator migrates SQLite through the writer connection, whose
// BEGIN IMMEDIATE transactions already exclude other writers.
type sqlMigrator struct{ db *sql.DB }

func (m sqlMigrator) run(ctx context.Context, fn func() error) error {
	if _, err := m.db.ExecContext(ctx, schemaMigrationsDDL); err != nil {
		return fmt.Errorf("store: create schema_migrations: %w", err)
	}
	return fn()
}

func (m sqlMigrator) applied(ctx context.Context) (map[int]bool, error) {
	rs, err := m.db.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	done := map[int]bool{}
	for rs.Next() {
		var v int
		if err := rs.Scan(&v); err != nil {
			return nil, err
		}
		done[v] = true
	}
	return done, rs.Err()
}

func (m sqlMigrator) apply(ctx context.Context, mg migration) error {
	tx, err := m.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// A concurrent migrator may have applied it while this one waited.
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = $1`, mg.version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, mg.sql); err != nil {
		return err
	}
	if mg.step != nil {
		if err := mg.step(ctx, sqlQ{tx}); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
		mg.version, mg.name, time.Now().UTC().Format(tsFormat)); err != nil {
		return err
	}
	return tx.Commit()
}

// migrateRiverSQLite applies River's own migrations on SQLite.
func migrateRiverSQLite(ctx context.Context, db *sql.DB) error {
	m, err := rivermigrate.New(riversqlite.New(db), nil)
	if err != nil {
		return fmt.Errorf("store: river migrator: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("store: river migrations: %w", err)
	}
	return nil
}

// pgMigrator migrates PostgreSQL under a session advisory lock, so that
// several nodes starting at once apply each migration once.
type pgMigrator struct {
	pool *pgxpool.Pool
	conn *pgxpool.Conn
}

// migrationLockID is the advisory lock key of the migration runner.
const migrationLockID = 7_341_190_215

func (m *pgMigrator) run(ctx context.Context, fn func() error) error {
	conn, err := m.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("store: acquire connection: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(migrationLockID)); err != nil {
		return fmt.Errorf("store: migration lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(migrationLockID))
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    integer PRIMARY KEY,
		name       text NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now()
	)`); err != nil {
		return fmt.Errorf("store: create schema_migrations: %w", err)
	}
	m.conn = conn
	return fn()
}

func (m *pgMigrator) applied(ctx context.Context) (map[int]bool, error) {
	rs, err := m.conn.Query(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, err
	}
	vs, err := pgx.CollectRows(rs, pgx.RowTo[int32])
	if err != nil {
		return nil, err
	}
	done := map[int]bool{}
	for _, v := range vs {
		done[int(v)] = true
	}
	return done, nil
}

func (m *pgMigrator) apply(ctx context.Context, mg migration) error {
	return pgx.BeginFunc(ctx, m.conn, func(tx pgx.Tx) error {
		// The simple protocol runs a file of several statements.
		if _, err := tx.Exec(ctx, mg.sql, pgx.QueryExecModeSimpleProtocol); err != nil {
			return err
		}
		if mg.step != nil {
			if err := mg.step(ctx, pgQ{tx}); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, mg.version, mg.name)
		return err
	})
}

// migrateRiverPostgres applies River's own migrations on PostgreSQL in the
// schema (the search_path's first one when empty).
func migrateRiverPostgres(ctx context.Context, pool *pgxpool.Pool, schema string) error {
	m, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Schema: schema})
	if err != nil {
		return fmt.Errorf("store: river migrator: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("store: river migrations: %w", err)
	}
	return nil
}

// MigrationsDigest identifies the embedded migrations of both engines and
// River's, so that tests can cache a migrated database template and know
// when it is stale.
func MigrationsDigest() string {
	h := sha256.New()
	for _, engine := range []string{"postgres", "sqlite"} {
		ms, _ := loadMigrations(engine)
		for _, m := range ms {
			fmt.Fprintf(h, "%s\x00%s\x00", m.name, m.sql)
		}
	}
	if m, err := rivermigrate.New(riversqlite.New(nil), nil); err == nil {
		for _, v := range m.AllVersions() {
			fmt.Fprintf(h, "river %d %s\x00", v.Version, v.SQLUp)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
