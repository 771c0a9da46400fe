package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// stmtCacheMax bounds the statements a stmtCache keeps. The store's SQL is
// a few hundred fixed strings; statements built per call (IN lists of
// varying length) beyond the bound are prepared for the call, as without
// a cache, rather than evicting statements another reader may be using.
const stmtCacheMax = 512

// stmtCache runs the SQLite readers' queries as prepared statements kept by
// their SQL, as pgx's statement cache (QueryExecModeCacheStatement) does on
// PostgreSQL: SQLite otherwise parses and plans a statement on every call,
// which for the lookup's three-table join cost three times its execution
// (docs/PERFORMANCE.md, "Fifth session"). database/sql prepares a cached
// statement on each pooled connection the first time it runs there, and
// the driver keeps SQLite's compiled statement between runs, reset when
// the rows are closed (so no read transaction stays open). A statement
// prepared against an older schema is recompiled by SQLite itself. It is
// safe for concurrent use.
type stmtCache struct {
	db  *sql.DB
	max int // stmtCacheMax

	mu    sync.Mutex
	stmts map[string]*sql.Stmt // by the shared SQL ($N placeholders)
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, max: stmtCacheMax, stmts: map[string]*sql.Stmt{}}
}

// ExecContext runs a statement on the pool, uncached (readers do not write).
func (c *stmtCache) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return c.db.ExecContext(ctx, query, args...)
}

// QueryContext runs query, already in SQLite's form, uncached.
func (c *stmtCache) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return c.db.QueryContext(ctx, query, args...)
}

// query runs the shared SQL query as a cached prepared statement.
func (c *stmtCache) query(ctx context.Context, query string, args []any) (*sql.Rows, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return c.db.QueryContext(ctx, numbered(query), args...)
	}
	return st.QueryContext(ctx, args...)
}

// stmt returns the prepared statement of query, preparing it on first use;
// nil when the cache is full. The lock is not held while preparing, which
// waits for a connection.
func (c *stmtCache) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	st, ok := c.stmts[query]
	full := len(c.stmts) >= c.max
	c.mu.Unlock()
	if ok || full {
		return st, nil
	}
	st, err := c.db.PrepareContext(ctx, numbered(query))
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if won, ok := c.stmts[query]; ok { // prepared meanwhile by another reader
		st.Close()
		return won, nil
	}
	if len(c.stmts) >= c.max {
		st.Close()
		return nil, nil
	}
	c.stmts[query] = st
	return st, nil
}

// close closes the cached statements; call it before closing the pool.
func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for q, st := range c.stmts {
		errs = append(errs, st.Close())
		delete(c.stmts, q)
	}
	return errors.Join(errs...)
}
