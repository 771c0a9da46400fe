package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"tirkeu/internal/residence"
)

// SQLite is the Store on an embedded SQLite database file, the single-node
// default. Writes go through one connection (InTx opens BEGIN IMMEDIATE
// transactions on it, so they never fail on lock upgrades); reads of View
// use a small pool of query-only connections, which WAL lets run beside the
// writer. River shares the writer connection, as its SQLite driver requires.
//
// InTx must not be called from inside fn of another InTx: the single writer
// connection is taken, and the inner call would wait for ever.
type SQLite struct {
	path string
	db   *sql.DB // the writer: one connection
	ro   *sql.DB // readers
	// reads runs the readers' queries as cached prepared statements.
	reads  *stmtCache
	river  *river.Client[*sql.Tx]
	logger *slog.Logger
	kick   chan struct{} // wakes the sealer after a commit that appended events
	// auditKey keys the event chain's HMAC links (WithAuditKey).
	auditKey []byte
}

var (
	_ residence.Store = (*SQLite)(nil)
	_ Store           = (*SQLite)(nil)
)

// sqliteDSN returns the DSN of a connection to path with the pragmas every
// connection needs. synchronous is FULL in the service: in WAL mode a commit
// then syncs the WAL before it returns, so a transaction acknowledged to a
// client (an application answered 201) survives a power loss or an OS
// crash; with NORMAL it survives a crash of the process but the last
// commits before a power loss may roll back (docs/PERFORMANCE.md measures
// the cost, docs/DECISIONS.md says why).
func sqliteDSN(path string, writer bool, synchronous string) string {
	if synchronous == "" {
		synchronous = "FULL"
	}
	dsn := path + "?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(" + synchronous + ")"
	if writer {
		return dsn + "&_txlock=immediate"
	}
	return dsn + "&_pragma=query_only(1)"
}

// OpenSQLite opens (creating it and its directory when missing) the SQLite
// database at path. It does not migrate; call Migrate.
func OpenSQLite(ctx context.Context, path string, logger *slog.Logger, opts ...Option) (*SQLite, error) {
	o := newOptions(opts)
	switch o.synchronous {
	case "FULL", "NORMAL":
	default:
		return nil, fmt.Errorf("store: open sqlite: synchronous must be FULL or NORMAL, not %q", o.synchronous)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("store: create database directory: %w", err)
		}
	}
	db, err := sql.Open("sqlite", sqliteDSN(path, true, o.synchronous))
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	ro, err := sql.Open("sqlite", sqliteDSN(path, false, o.synchronous))
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open sqlite readers: %w", err)
	}
	ro.SetMaxOpenConns(4)
	ro.SetMaxIdleConns(4)
	client, err := river.NewClient(riversqlite.New(db), &river.Config{Logger: logger})
	if err != nil {
		db.Close()
		ro.Close()
		return nil, fmt.Errorf("store: river client: %w", err)
	}
	return &SQLite{path: path, db: db, ro: ro, reads: newStmtCache(ro), river: client, logger: logger, kick: make(chan struct{}, 1),
		auditKey: o.auditKey}, nil
}

// sqliteDialect is the SQLite side of the shared SQL code.
var sqliteDialect = &dialect{
	name: "sqlite",
	ts: func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return normTime(t).Format(tsFormat)
	},
	date: func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return normDate(t).Format(dateFormat)
	},
	list: func(p string) string { return "SELECT value FROM json_each(" + p + ")" },
	// The single writer connection serialises sealing with every write;
	// AUTOINCREMENT keeps the highest ID ever given in sqlite_sequence.
	sealHead: `SELECT seq, hash FROM audit_head WHERE id = 1`,
	eventIDs: `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
		SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0) + i FROM n ORDER BY i`,
	// SQLite does not say which foreign key failed.
	constraint: func(error) string { return "" },
	classify: func(err error) errKind {
		// A request out of time (web.Deadline): the statement was stopped
		// or never ran; retry later, as on PostgreSQL.
		if errors.Is(err, context.DeadlineExceeded) {
			return errUnavailable
		}
		var e *sqlite.Error
		if !errors.As(err, &e) {
			return errOther
		}
		switch e.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return errUnique
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return errForeignKey
		case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL, sqlite3.SQLITE_CONSTRAINT_DATATYPE,
			sqlite3.SQLITE_CONSTRAINT_TRIGGER: // a trigger standing in for a CHECK (migration 0004)
			return errCheck
		}
		// Busy beyond busy_timeout (another process holds the write lock,
		// e.g. an import or a checkpoint): not the caller's fault, retry later.
		if e.Code()&0xff == sqlite3.SQLITE_BUSY {
			return errUnavailable
		}
		return errOther
	},
}

// sqlQ adapts database/sql handles to querier.
type sqlQ struct {
	x interface {
		ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
		QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	}
}

// numbered rewrites the shared SQL's $N placeholders for SQLite. SQLite
// resolves named and numbered parameters ($N, ?N) through a list searched
// linearly, which made large multi-row statements quadratic; when the
// placeholders run $1, $2, ... in order, each used once (every bulk
// statement), they become anonymous ? parameters, bound by position.
// Otherwise $N becomes ?N. The shared SQL has no $ anywhere else.
func numbered(query string) string {
	if !strings.Contains(query, "$") {
		return query
	}
	var sb strings.Builder
	sb.Grow(len(query))
	next := 1
	sequential := true
	for i := 0; i < len(query); i++ {
		c := query[i]
		if c != '$' {
			sb.WriteByte(c)
			continue
		}
		j := i + 1
		for j < len(query) && query[j] >= '0' && query[j] <= '9' {
			j++
		}
		if n, err := strconv.Atoi(query[i+1 : j]); err != nil || n != next {
			sequential = false
			break
		}
		next++
		sb.WriteByte('?')
		i = j - 1
	}
	if sequential {
		return sb.String()
	}
	return strings.ReplaceAll(query, "$", "?")
}

func (q sqlQ) exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := q.x.ExecContext(ctx, numbered(query), args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (q sqlQ) query(ctx context.Context, query string, args ...any) (rows, error) {
	var rs *sql.Rows
	var err error
	if c, ok := q.x.(*stmtCache); ok {
		rs, err = c.query(ctx, query, args)
	} else {
		rs, err = q.x.QueryContext(ctx, numbered(query), args...)
	}
	if err != nil {
		return nil, err
	}
	return sqlRows{rs}, nil
}

type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { r.Rows.Close() }

// sqliteTx is a write transaction on the writer connection.
type sqliteTx struct {
	registry
	tx *sql.Tx
	s  *SQLite
}

// LockPerson checks that the person exists; SQLite transactions are already
// serialised by the single writer connection.
func (t *sqliteTx) LockPerson(ctx context.Context, iin string) error {
	return queryOneErr(ctx, t.reader, "lock person", `SELECT 1 FROM persons WHERE iin = $1`, iin)
}

// Enqueue inserts a River job in the transaction.
func (t *sqliteTx) Enqueue(ctx context.Context, j residence.Job) error {
	args, opts := jobInsert(j)
	if _, err := t.s.river.InsertTx(ctx, t.tx, args, opts); err != nil {
		return fmt.Errorf("store: enqueue %s: %w", j.Kind, err)
	}
	return nil
}

// queryOneErr runs a query and reports only whether it found a row.
func queryOneErr(ctx context.Context, r reader, op, query string, args ...any) error {
	var one int
	if err := queryOne(ctx, r.q, query, args, &one); err != nil {
		return r.d.translate(err, op, "")
	}
	return nil
}

// InTx runs fn in a BEGIN IMMEDIATE transaction on the writer connection.
func (s *SQLite) InTx(ctx context.Context, fn func(tx residence.Tx) error) error {
	return sqliteDialect.unavailable(s.inTx(ctx, fn))
}

func (s *SQLite) inTx(ctx context.Context, fn func(tx residence.Tx) error) (err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
	}()
	var appended bool
	w := writer{reader: reader{q: sqlQ{tx}, d: sqliteDialect}, appended: &appended, auditKey: s.auditKey}
	t := &sqliteTx{registry: registry{writer: w}, tx: tx, s: s}
	t.bulk = t.valuesBulk
	if err := fn(t); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return sqliteDialect.translate(err, "commit", "")
	}
	if appended {
		notify(s.kick)
	}
	return nil
}

// View runs fn on the query-only reader pool.
func (s *SQLite) View(ctx context.Context, fn func(r residence.Reader) error) error {
	return sqliteDialect.unavailable(fn(reader{q: sqlQ{s.reads}, d: sqliteDialect}))
}

// Ping checks that both the writer and the readers answer.
func (s *SQLite) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", residence.Unavailable(err))
	}
	if err := s.ro.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping readers: %w", residence.Unavailable(err))
	}
	return nil
}

// Close closes the connections. Stop the job client first.
func (s *SQLite) Close() error {
	return errors.Join(s.reads.close(), s.ro.Close(), s.db.Close())
}

// Path returns the database file.
func (s *SQLite) Path() string { return s.path }

// Migrate applies the store's and River's migrations, then checks that
// the audit key is the one the event chain was keyed with (ErrAuditKey).
func (s *SQLite) Migrate(ctx context.Context) error {
	if err := migrate(ctx, sqlMigrator{s.db}, "sqlite", s.logger, migrationSteps(s.auditKey)); err != nil {
		return err
	}
	if err := checkAuditKey(ctx, sqlQ{s.db}, s.auditKey); err != nil {
		return err
	}
	return migrateRiverSQLite(ctx, s.db)
}

// StartJobs starts a River client that works the default queue with the
// given workers, polling often enough for prompt jobs on SQLite. The
// returned stop waits for running jobs (until its context ends).
func (s *SQLite) StartJobs(ctx context.Context, workers *river.Workers) (func(context.Context) error, error) {
	client, err := river.NewClient(riversqlite.New(s.db), jobConfig(workers, "", s.logger, 100*time.Millisecond))
	if err != nil {
		return nil, fmt.Errorf("store: job client: %w", err)
	}
	if err := client.Start(ctx); err != nil {
		return nil, fmt.Errorf("store: start jobs: %w", err)
	}
	return client.Stop, nil
}
