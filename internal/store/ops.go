package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// PoolStats is the use of a store's database connections, for the
// operator's metrics: how many are open, busy and idle against the limit,
// and how often and how long requests waited for one.
type PoolStats struct {
	Max      int           // the most connections the pool opens
	Open     int           // connections open now
	InUse    int           // open connections serving a query or a transaction
	Idle     int           // open connections waiting for work
	Waits    int64         // acquisitions that had to wait, since the start
	WaitTime time.Duration // the time they waited, in all
}

// PoolStats returns the PostgreSQL pool's use (pgxpool).
func (s *Postgres) PoolStats() PoolStats {
	st := s.pool.Stat()
	return PoolStats{Max: int(st.MaxConns()), Open: int(st.TotalConns()), InUse: int(st.AcquiredConns()), Idle: int(st.IdleConns()),
		Waits: st.EmptyAcquireCount(), WaitTime: st.EmptyAcquireWaitTime()}
}

// PoolStats returns the use of the SQLite writer connection (the readers
// wait on file locks, not on the pool).
func (s *SQLite) PoolStats() PoolStats { return sqlPoolStats(s.db.Stats()) }

func sqlPoolStats(st sql.DBStats) PoolStats {
	return PoolStats{Max: st.MaxOpenConnections, Open: st.OpenConnections, InUse: st.InUse, Idle: st.Idle,
		Waits: st.WaitCount, WaitTime: st.WaitDuration}
}

// JobCount is how many durable jobs of one kind are in one River state
// (available, scheduled, running, retryable, completed, cancelled,
// discarded).
type JobCount struct {
	Kind  string
	State string
	N     int64
}

const jobCountsSQL = `SELECT kind, state, count(*) FROM %sriver_job GROUP BY kind, state ORDER BY kind, state`

// JobCounts returns the number of jobs by kind and state: the queue's depth
// (available, scheduled, retryable) and its failures (retryable: an attempt
// failed and another is due; discarded: no attempt is left).
func (s *Postgres) JobCounts(ctx context.Context) ([]JobCount, error) {
	prefix := ""
	if s.schema != "" {
		prefix = pgx.Identifier{s.schema}.Sanitize() + "."
	}
	rows, err := s.pool.Query(ctx, fmt.Sprintf(jobCountsSQL, prefix))
	if err != nil {
		return nil, fmt.Errorf("store: job counts: %w", err)
	}
	defer rows.Close()
	return scanJobCounts(rows)
}

// JobCounts returns the number of jobs by kind and state (see Postgres).
func (s *SQLite) JobCounts(ctx context.Context) ([]JobCount, error) {
	rows, err := s.ro.QueryContext(ctx, fmt.Sprintf(jobCountsSQL, ""))
	if err != nil {
		return nil, fmt.Errorf("store: job counts: %w", err)
	}
	defer rows.Close()
	return scanJobCounts(rows)
}

// scanJobCounts reads JobCounts' rows, from either engine's driver.
func scanJobCounts(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
}) ([]JobCount, error) {
	var out []JobCount
	for rows.Next() {
		var c JobCount
		if err := rows.Scan(&c.Kind, &c.State, &c.N); err != nil {
			return nil, fmt.Errorf("store: job counts: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
