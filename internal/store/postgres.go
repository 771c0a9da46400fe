package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"tirkeu/internal/residence"
)

// Postgres is the Store on PostgreSQL, shared by any number of nodes.
// Concurrent writers to one person are serialised by LockPerson's row lock;
// InTx retries a transaction that fails on a serialisation failure or a
// deadlock.
type Postgres struct {
	pool   *pgxpool.Pool
	schema string // River's schema; "" for the default search_path
	river  *river.Client[pgx.Tx]
	logger *slog.Logger
	kick   chan struct{} // wakes the sealer after a commit that appended events
	// auditKey keys the event chain's HMAC links (WithAuditKey).
	auditKey []byte
}

var (
	_ residence.Store = (*Postgres)(nil)
	_ Store           = (*Postgres)(nil)
)

// defaultConnectTimeout bounds a connection attempt when the URL sets no
// connect_timeout.
const defaultConnectTimeout = 5 * time.Second

// maxRetries is how many times InTx reruns fn after a serialisation failure
// or a deadlock.
const maxRetries = 3

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// OpenPostgres connects to the database at url (a postgres:// URL). A
// search_path parameter in the URL puts every table, River's too, in that
// schema. It does not migrate; call Migrate.
func OpenPostgres(ctx context.Context, url string, logger *slog.Logger, opts ...Option) (*Postgres, error) {
	o := newOptions(opts)
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("store: parse database url: %w", err)
	}
	schema := ""
	if sp := strings.TrimSpace(cfg.ConnConfig.RuntimeParams["search_path"]); sp != "" {
		first, _, _ := strings.Cut(sp, ",")
		first = strings.Trim(strings.TrimSpace(first), `"`)
		if identRE.MatchString(first) {
			schema = first
		}
	}
	if !strings.Contains(url, "pool_max_conns") {
		// pgxpool's default is max(4, CPUs): on a 2-core machine four
		// connections, so sixteen clients queue for one (p99 submit 2.6 s in
		// bench/run.sh) while PostgreSQL waits on fsync and could commit
		// their transactions together. pool_max_conns in the URL overrides it.
		cfg.MaxConns = max(cfg.MaxConns, 32)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		// Without a timeout a connection attempt to a server that does not
		// answer (a dead host, a cut link) waits as long as the request's
		// context, which has no deadline; bound it so the caller gets a
		// prompt 503. connect_timeout in the URL overrides it.
		cfg.ConnConfig.ConnectTimeout = defaultConnectTimeout
	}
	if o.pgConfig != nil {
		o.pgConfig(cfg)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: connect: %w", err)
	}
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{Logger: logger, Schema: schema})
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: river client: %w", err)
	}
	return &Postgres{pool: pool, schema: schema, river: client, logger: logger, kick: make(chan struct{}, 1),
		auditKey: o.auditKey}, nil
}

// postgresDialect is the PostgreSQL side of the shared SQL code.
var postgresDialect = &dialect{
	name: "postgres",
	ts: func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return normTime(t)
	},
	date: func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return normDate(t)
	},
	list:       func(p string) string { return "SELECT jsonb_array_elements_text(" + p + "::jsonb)" },
	sealHead:   `SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE`,
	eventIDs:   `SELECT nextval(pg_get_serial_sequence('events', 'id')) FROM generate_series(1, $1)`,
	overriding: ` OVERRIDING SYSTEM VALUE`,
	forUpdate:  ` FOR UPDATE`,
	constraint: func(err error) string {
		var e *pgconn.PgError
		if errors.As(err, &e) {
			return e.ConstraintName
		}
		return ""
	},
	classify: func(err error) errKind {
		if pgUnreachable(err) {
			return errUnavailable
		}
		var e *pgconn.PgError
		if !errors.As(err, &e) {
			return errOther
		}
		switch {
		case strings.HasPrefix(e.Code, "08"), // connection_exception and its subclasses
			e.Code == "57P01", e.Code == "57P02", e.Code == "57P03", // admin_shutdown, crash_shutdown, cannot_connect_now
			e.Code == "53300", // too_many_connections
			e.Code == "57014": // query_canceled: a statement_timeout, or a cancel request (a request out of time)
			return errUnavailable
		}
		if strings.HasPrefix(e.Code, "22") {
			// data_exception: a value the column cannot hold (bad text
			// representation, a NUL or invalid UTF-8 byte, an out-of-range
			// date, a string too long) is the caller's mistake, never a 500.
			return errCheck
		}
		switch e.Code {
		case "23505", "23P01": // unique_violation, exclusion_violation
			return errUnique
		case "23503": // foreign_key_violation
			return errForeignKey
		case "23514", "23502": // check, not null
			return errCheck
		case "40001", "40P01": // serialization_failure, deadlock_detected
			return errRetry
		}
		return errOther
	},
}

// pgUnreachable reports whether err says that the server could not be
// reached or the connection broke: a failed connection attempt, a network
// error, a connection closed under the driver, or a context deadline (on a
// pool that cannot hand out a connection in time). Errors reported by the
// server itself are classified by SQLSTATE instead.
func pgUnreachable(err error) bool {
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return false
	}
	var ne net.Error
	return errors.As(err, &ne) || pgconn.Timeout(err) ||
		errors.Is(err, pgconn.ErrConnClosed) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, context.DeadlineExceeded)
}

// pgQ adapts a pgx pool or transaction to querier.
type pgQ struct {
	x interface {
		Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
		Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	}
}

func (q pgQ) exec(ctx context.Context, sql string, args ...any) (int64, error) {
	tag, err := q.x.Exec(ctx, sql, args...)
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}

func (q pgQ) query(ctx context.Context, sql string, args ...any) (rows, error) {
	rs, err := q.x.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return rs, nil
}

// pgTx is a write transaction on PostgreSQL.
type pgTx struct {
	registry
	tx *lazyTx
	pq *pgTxQ // the querier of registry: pipelines writes after Pipeline
	s  *Postgres
}

// LockPerson takes the person's row lock until the transaction ends.
func (t *pgTx) LockPerson(ctx context.Context, iin string) error {
	return queryOneErr(ctx, t.reader, "lock person", `SELECT 1 FROM persons WHERE iin = $1 FOR UPDATE`, iin)
}

// Enqueue inserts a River job in the transaction.
func (t *pgTx) Enqueue(ctx context.Context, j residence.Job) error {
	args, opts := jobInsert(j)
	if _, err := t.s.river.InsertTx(ctx, t.tx, args, opts); err != nil {
		return fmt.Errorf("store: enqueue %s: %w", j.Kind, err)
	}
	return nil
}

// copyBulk writes rows with COPY into a temporary table and one
// INSERT ... SELECT ... ON CONFLICT from it.
func (t *pgTx) copyBulk(ctx context.Context, u upsert, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if len(rows) < 64 {
		return t.valuesBulk(ctx, u, rows)
	}
	tmp := "tmp_upsert_" + u.table
	if _, err := t.tx.Exec(ctx, `CREATE TEMP TABLE IF NOT EXISTS `+tmp+` (LIKE `+u.table+` INCLUDING DEFAULTS) ON COMMIT DROP`); err != nil {
		return postgresDialect.translate(err, u.op, u.ref)
	}
	if _, err := t.tx.CopyFrom(ctx, pgx.Identifier{tmp}, u.cols, pgx.CopyFromRows(rows)); err != nil {
		return postgresDialect.translate(err, u.op, u.ref)
	}
	cols := strings.Join(u.cols, ", ")
	if _, err := t.tx.Exec(ctx, u.sql(`SELECT `+cols+` FROM `+tmp)); err != nil {
		return postgresDialect.translate(err, u.op, u.ref)
	}
	if _, err := t.tx.Exec(ctx, `TRUNCATE `+tmp); err != nil {
		return postgresDialect.translate(err, u.op, u.ref)
	}
	return nil
}

// InTx runs fn in a read-committed transaction, retrying it on a
// serialisation failure or a deadlock.
func (s *Postgres) InTx(ctx context.Context, fn func(tx residence.Tx) error) error {
	var err error
	for attempt := 0; ; attempt++ {
		err = s.inTx(ctx, fn)
		if err == nil || attempt >= maxRetries || postgresDialect.classify(err) != errRetry || ctx.Err() != nil {
			break
		}
		s.logger.Debug("transaction retried", "attempt", attempt+1, "error", err)
	}
	if err != nil && postgresDialect.classify(err) == errRetry {
		e := residence.Errorf(residence.EConflict, "concurrent update, please retry")
		e.Err = err
		return fmt.Errorf("store: %w", e)
	}
	return postgresDialect.unavailable(err)
}

func (s *Postgres) inTx(ctx context.Context, fn func(tx residence.Tx) error) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	// Release destroys a connection left in a transaction or busy.
	defer conn.Release()
	tx := &lazyTx{conn: conn}
	rollback := func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }
	defer func() {
		if p := recover(); p != nil {
			rollback()
			panic(p)
		}
	}()
	t := &pgTx{tx: tx, pq: &pgTxQ{tx: tx}, s: s}
	var appended bool
	t.registry = registry{writer: writer{reader: reader{q: t.pq, d: postgresDialect}, appended: &appended, auditKey: s.auditKey}}
	t.bulk = t.copyBulk
	if err := fn(t); err != nil {
		rollback()
		return err
	}
	if err := t.pq.commit(ctx); err != nil {
		rollback()
		return err
	}
	if appended {
		notify(s.kick)
	}
	return nil
}

// View runs fn on the pool, outside any transaction.
func (s *Postgres) View(ctx context.Context, fn func(r residence.Reader) error) error {
	return postgresDialect.unavailable(fn(&pgView{reader: reader{q: pgQ{s.pool}, d: postgresDialect}, pool: s.pool}))
}

// Ping checks that the database answers.
func (s *Postgres) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", residence.Unavailable(err))
	}
	return nil
}

// Close closes the pool. Stop the job client first.
func (s *Postgres) Close() error {
	s.pool.Close()
	return nil
}

// Migrate applies the store's and River's migrations, then checks that
// the audit key is the one the event chain was keyed with (ErrAuditKey).
func (s *Postgres) Migrate(ctx context.Context) error {
	if err := migrate(ctx, &pgMigrator{pool: s.pool}, "postgres", s.logger, migrationSteps(s.auditKey)); err != nil {
		return err
	}
	if err := checkAuditKey(ctx, pgQ{s.pool}, s.auditKey); err != nil {
		return err
	}
	return migrateRiverPostgres(ctx, s.pool, s.schema)
}

// StartJobs starts a River client that works the default queue with the
// given workers. The returned stop waits for running jobs (until its context
// ends).
func (s *Postgres) StartJobs(ctx context.Context, workers *river.Workers) (func(context.Context) error, error) {
	client, err := river.NewClient(riverpgxv5.New(s.pool), jobConfig(workers, s.schema, s.logger, 0))
	if err != nil {
		return nil, fmt.Errorf("store: job client: %w", err)
	}
	if err := client.Start(ctx); err != nil {
		return nil, fmt.Errorf("store: start jobs: %w", err)
	}
	return client.Stop, nil
}
