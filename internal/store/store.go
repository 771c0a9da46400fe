// Package store implements residence.Store on PostgreSQL (pgx) and on
// SQLite (modernc.org/sqlite, pure Go), with embedded forward-only
// migrations and durable jobs on River. Besides the residence.Store it
// holds the sealed event chain (chain.go), single use of signatures
// (once.go), sessions and rate-limit counters, certificates, backups and the
// operational figures (pool use) the metrics read.
//
// Both engines run the same SQL, written once with $1-style placeholders;
// the few differences (argument forms of dates and times, lists, error
// codes, locking, bulk loading) live in a dialect and in each engine's file.
// Driver errors are translated at the boundary: no rows is
// residence.ErrNotFound, a unique violation is EConflict, a foreign key
// violation EInvalid naming the reference. No driver type leaves the
// package.
package store

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"tirkeu/internal/residence"
)

// Store is a residence.Store that can also migrate its schema and work
// durable jobs.
type Store interface {
	residence.Store

	// Migrate applies the pending migrations of the store and of River. It
	// is safe to run from several processes at once.
	Migrate(ctx context.Context) error

	// StartJobs starts working jobs of the default queue with workers, whose
	// kinds match the residence.Job kinds enqueued by Tx.Enqueue. The
	// returned stop function stops fetching and waits for running jobs until
	// its context ends.
	StartJobs(ctx context.Context, workers *river.Workers) (stop func(context.Context) error, err error)

	// Seal seals every event committed before the call into the
	// tamper-evident chain, in id order after the events already sealed,
	// and returns how many it sealed. Only one sealer works at a time across
	// every process of the database; Seal waits for another to finish.
	Seal(ctx context.Context) (n int, err error)

	// StartSealer seals events in the background every interval (about
	// 50–100 ms) and soon after a transaction of this process appends
	// events, until stop is called or ctx ends. stop waits for a seal in
	// progress. Errors are logged and retried at the next turn.
	StartSealer(ctx context.Context, interval time.Duration) (stop func())

	// VerifyChain walks the sealed events from seq 1 in one consistent
	// snapshot, recomputes every link with the store's audit key and
	// compares the end with the recorded head; it also checks the heads in
	// opts.Expect and, when opts.Now is set, that no event has waited
	// longer than opts.MaxUnsealedAge to be sealed. A broken chain is a
	// report with OK false, not an error; the error is for a database that
	// cannot be read.
	VerifyChain(ctx context.Context, opts VerifyOptions) (ChainReport, error)

	// Unsealed returns how many events are not yet sealed and the time
	// (Event.At) of the oldest of them, zero when there is none.
	Unsealed(ctx context.Context) (n int64, oldest time.Time, err error)
}

// Open opens the store at url: "sqlite:PATH" (the file and its directory
// are created when missing) or "postgres://..." (also "postgresql://").
// It does not migrate.
func Open(ctx context.Context, url string, logger *slog.Logger, opts ...Option) (Store, error) {
	switch {
	case strings.HasPrefix(url, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(url, "sqlite:"), "//")
		if path == "" {
			return nil, fmt.Errorf("store: open: %w", residence.Errorf(residence.EInvalid, "sqlite URL needs a path"))
		}
		return OpenSQLite(ctx, path, logger, opts...)
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		return OpenPostgres(ctx, url, logger, opts...)
	}
	return nil, fmt.Errorf("store: open: %w", residence.Errorf(residence.EInvalid, "database URL must start with sqlite: or postgres://"))
}

// Option configures a store when it is opened.
type Option func(*options)

type options struct {
	auditKey    []byte
	synchronous string
	// pgConfig, when set, adjusts the PostgreSQL pool's configuration
	// before the pool is made (tests: a counting dialer, a tracer).
	pgConfig func(*pgxpool.Config)
}

func newOptions(opts []Option) options {
	o := options{auditKey: DemoAuditKey, synchronous: "FULL"}
	for _, f := range opts {
		f(&o)
	}
	return o
}

// DemoAuditKey keys the audit chain when no key is given (WithAuditKey):
// the documented demo key, public and never acceptable in production.
var DemoAuditKey = []byte("tirkeu demo audit key: public, not for production")

// WithAuditKey keys the tamper-evident event chain (chain.go) with key:
// every link is an HMAC-SHA-256 under it, so that one who can write the
// database but does not hold the key cannot recompute a chain that
// verifies. The key is never stored in the database. Every process that
// seals, migrates or verifies a database must use the same key.
func WithAuditKey(key []byte) Option {
	return func(o *options) {
		if len(key) > 0 {
			o.auditKey = append([]byte(nil), key...)
		}
	}
}
