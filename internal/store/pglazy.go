package store

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// lazyTx is a write transaction on one pooled connection whose BEGIN is
// not a round trip of its own: it is sent at the head of the
// transaction's first batch (pgx's Batch.BeginTx: pgx sends a batch as one
// pipeline ending in one Sync, and a BEGIN before the Sync opens a real
// transaction block that outlives it), or alone just before the first
// statement that is not a batch. A transaction that runs no statement sends
// nothing.
//
// Its COMMIT may likewise end the last batch (pgTxQ.commit). Whatever fails
// — a statement in the middle of a batch, which leaves the block aborted,
// a broken connection, a cancelled context — InTx rolls back; and the pool
// never takes back a connection that is still in a transaction or busy
// (pgxpool.Conn.Release destroys it), so a failure here cannot leak a
// transaction to the next user of the connection.
//
// Once begun it is pgx's own transaction (River's InsertTx takes it as a
// pgx.Tx).
type lazyTx struct {
	conn *pgxpool.Conn
	tx   pgx.Tx // once BEGIN was sent
	done bool   // committed or rolled back
}

var _ pgx.Tx = (*lazyTx)(nil)

// begun reports whether BEGIN was sent.
func (t *lazyTx) begun() bool { return t.tx != nil }

// begin sends BEGIN alone, if it was not sent yet.
func (t *lazyTx) begin(ctx context.Context) error {
	switch {
	case t.done:
		return pgx.ErrTxClosed
	case t.tx != nil:
		return nil
	}
	tx, err := t.conn.Begin(ctx)
	if err != nil {
		return err
	}
	t.tx = tx
	return nil
}

// SendBatch sends b; the transaction's first batch carries BEGIN at its
// head, whose result the returned BatchResults reads first.
func (t *lazyTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	switch {
	case t.done:
		return pgx.FailedBatchResults(b, pgx.ErrTxClosed)
	case t.tx != nil:
		return t.tx.SendBatch(ctx, b)
	}
	withBegin := &pgx.Batch{}
	withBegin.BeginTx(pgx.TxOptions{})
	withBegin.QueuedQueries = append(withBegin.QueuedQueries, b.QueuedQueries...)
	br := t.conn.SendBatch(ctx, withBegin)
	t.tx = br.Tx()
	return &begunBatch{BatchResults: br}
}

// Commit commits the transaction (nothing to do when nothing was sent).
func (t *lazyTx) Commit(ctx context.Context) error {
	if t.done {
		return pgx.ErrTxClosed
	}
	t.done = true
	if t.tx == nil {
		return nil
	}
	return t.tx.Commit(ctx)
}

// committed records that the transaction's last batch committed it.
func (t *lazyTx) committed() { t.done = true }

// Rollback rolls the transaction back, if one was begun; a failure closes
// the connection, which the pool then destroys.
func (t *lazyTx) Rollback(ctx context.Context) error {
	if t.done {
		return pgx.ErrTxClosed
	}
	t.done = true
	if t.tx == nil {
		return nil
	}
	err := t.tx.Rollback(ctx)
	if errors.Is(err, pgx.ErrTxClosed) {
		return nil // the batch that was to begin it failed first
	}
	return err
}

// Begin begins the transaction if need be and a nested one (a savepoint).
func (t *lazyTx) Begin(ctx context.Context) (pgx.Tx, error) {
	if err := t.begin(ctx); err != nil {
		return nil, err
	}
	return t.tx.Begin(ctx)
}

// LargeObjects is the transaction's, once begun; the store uses none.
func (t *lazyTx) LargeObjects() pgx.LargeObjects {
	if t.tx == nil {
		return pgx.LargeObjects{}
	}
	return t.tx.LargeObjects()
}

// Conn returns the underlying connection.
func (t *lazyTx) Conn() *pgx.Conn { return t.conn.Conn() }

// CopyFrom begins the transaction if need be and copies.
func (t *lazyTx) CopyFrom(ctx context.Context, table pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error) {
	if err := t.begin(ctx); err != nil {
		return 0, err
	}
	return t.tx.CopyFrom(ctx, table, cols, src)
}

// Prepare begins the transaction if need be and prepares.
func (t *lazyTx) Prepare(ctx context.Context, name, sql string) (*pgconn.StatementDescription, error) {
	if err := t.begin(ctx); err != nil {
		return nil, err
	}
	return t.tx.Prepare(ctx, name, sql)
}

// Exec begins the transaction if need be and executes.
func (t *lazyTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if err := t.begin(ctx); err != nil {
		return pgconn.CommandTag{}, err
	}
	return t.tx.Exec(ctx, sql, args...)
}

// Query begins the transaction if need be and queries.
func (t *lazyTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if err := t.begin(ctx); err != nil {
		return nil, err
	}
	return t.tx.Query(ctx, sql, args...)
}

// QueryRow begins the transaction if need be and queries one row.
func (t *lazyTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if err := t.begin(ctx); err != nil {
		return errRow{err}
	}
	return t.tx.QueryRow(ctx, sql, args...)
}

// begunBatch is the results of a batch that lazyTx sent with BEGIN at its
// head: BEGIN's result is read before the caller's first.
type begunBatch struct {
	pgx.BatchResults
	read bool
	err  error
}

func (b *begunBatch) skipBegin() error {
	if !b.read {
		b.read = true
		_, b.err = b.BatchResults.Exec()
	}
	return b.err
}

func (b *begunBatch) Exec() (pgconn.CommandTag, error) {
	if err := b.skipBegin(); err != nil {
		return pgconn.CommandTag{}, err
	}
	return b.BatchResults.Exec()
}

func (b *begunBatch) Query() (pgx.Rows, error) {
	if err := b.skipBegin(); err != nil {
		return nil, err
	}
	return b.BatchResults.Query()
}

func (b *begunBatch) QueryRow() pgx.Row {
	if err := b.skipBegin(); err != nil {
		return errRow{err}
	}
	return b.BatchResults.QueryRow()
}

// Close reads what is left, BEGIN's result included, running the queued
// queries' callbacks, and returns the first error.
func (b *begunBatch) Close() error {
	if b.read && b.err != nil {
		_ = b.BatchResults.Close()
		return b.err
	}
	return b.BatchResults.Close()
}

// errRow is a row that was not read.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
