package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"tirkeu/internal/residence"
)

// WithPoolConfigForTest lets a test adjust the PostgreSQL pool's
// configuration (its dialer, a tracer) before the pool is made.
func WithPoolConfigForTest(f func(*pgxpool.Config)) Option {
	return func(o *options) { o.pgConfig = f }
}

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

// Rechain says how RechainForTest recomputes links, as one with SQL access
// would after changing an event.
type Rechain int

const (
	RechainPlainV1 Rechain = iota // plain SHA-256 and encoding v1: the unkeyed chain's links
	RechainPlainV2                // plain SHA-256 of the keyed links' encoding
	RechainKeyed                  // HMAC under a key: what only a key holder can do
)

// RechainForTest recomputes the links of every sealed event from seq from
// on (with key for RechainKeyed) and moves the head to the last, directly
// in SQL: a rewrite of the chain after a change to an event.
func RechainForTest(ctx context.Context, s residence.Store, mode Rechain, key []byte, from int64) error {
	var q querier
	switch s := s.(type) {
	case *SQLite:
		q = sqlQ{s.db}
	case *Postgres:
		q = pgQ{s.pool}
	default:
		panic("unknown store")
	}
	prev := genesisHash
	if from > 1 {
		if err := queryOne(ctx, q, `SELECT hash FROM events WHERE seq = $1`, []any{from - 1}, &prev); err != nil {
			return err
		}
	}
	var evs []chainEvent
	err := queryAll(ctx, q, `SELECT seq, `+chainCols+` FROM events WHERE seq >= $1 ORDER BY seq`, []any{from},
		func(rs rows) error {
			var e chainEvent
			if err := scanChainEvent(rs, &e, &e.seq); err != nil {
				return err
			}
			evs = append(evs, e)
			return nil
		})
	if err != nil {
		return err
	}
	l := newLinker(key)
	for i := range evs {
		e := &evs[i]
		var h string
		switch mode {
		case RechainKeyed:
			h, err = l.link(prev, e, e.seq, true)
		case RechainPlainV1:
			h, err = l.link(prev, e, e.seq, false)
		case RechainPlainV2:
			var enc []byte
			p, _ := hex.DecodeString(prev)
			if enc, err = e.encode(e.seq, true); err == nil {
				sum := sha256.Sum256(append(p, enc...))
				h = hex.EncodeToString(sum[:])
			}
		}
		if err != nil {
			return err
		}
		if _, err := q.exec(ctx, `UPDATE events SET prev_hash = $1, hash = $2 WHERE id = $3`, prev, h, e.id); err != nil {
			return err
		}
		prev = h
	}
	_, err = q.exec(ctx, `UPDATE audit_head SET hash = $1 WHERE id = 1`, prev)
	return err
}

// UnkeyedChainForTest puts the store's database back in the state of a
// database of the version before the chain was keyed, with its unsealed
// events sealed as that version sealed them: migration 0008 is undone
// (its columns dropped, its record deleted), then the events get plain
// links. Migrate then upgrades it as it upgrades an existing database.
func UnkeyedChainForTest(ctx context.Context, s residence.Store) error {
	for _, q := range []string{
		`ALTER TABLE audit_head DROP COLUMN epoch_mac`,
		`ALTER TABLE audit_head DROP COLUMN keyed_from`,
		`DELETE FROM schema_migrations WHERE version = 8`,
	} {
		if err := ExecForTest(ctx, s, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return s.InTx(ctx, func(tx residence.Tx) error {
		var w writer
		switch t := tx.(type) {
		case *sqliteTx:
			w = t.writer
		case *pgTx:
			w = t.writer
		}
		var seq int64
		var prev string
		if err := queryOne(ctx, w.q, w.d.sealHead, nil, &seq, &prev); err != nil {
			return err
		}
		var evs []chainEvent
		err := queryAll(ctx, w.q, `SELECT `+chainCols+` FROM events WHERE seq IS NULL ORDER BY id`, nil, func(rs rows) error {
			var e chainEvent
			if err := scanChainEvent(rs, &e); err != nil {
				return err
			}
			evs = append(evs, e)
			return nil
		})
		if err != nil {
			return err
		}
		l := newLinker(nil)
		for i := range evs {
			seq++
			h, err := l.link(prev, &evs[i], seq, false)
			if err != nil {
				return err
			}
			if _, err := w.q.exec(ctx, `UPDATE events SET seq = $1, prev_hash = $2, hash = $3 WHERE id = $4`, seq, prev, h, evs[i].id); err != nil {
				return err
			}
			prev = h
		}
		_, err = w.q.exec(ctx, advanceHead, seq, prev)
		return err
	})
}

// VerifyWithKeyForTest verifies the store's chain as a store keyed with key
// would.
func VerifyWithKeyForTest(ctx context.Context, s residence.Store, key []byte, opts VerifyOptions) (ChainReport, error) {
	switch s := s.(type) {
	case *SQLite:
		return verifyChain(ctx, sqlQ{s.db}, key, opts)
	case *Postgres:
		return verifyChain(ctx, pgQ{s.pool}, key, opts)
	}
	panic("unknown store")
}

// CheckAuditKeyForTest runs Migrate's check of the audit key with key.
func CheckAuditKeyForTest(ctx context.Context, s residence.Store, key []byte) error {
	switch s := s.(type) {
	case *SQLite:
		return checkAuditKey(ctx, sqlQ{s.db}, key)
	case *Postgres:
		return checkAuditKey(ctx, pgQ{s.pool}, key)
	}
	panic("unknown store")
}

// WithSQLiteSynchronous sets SQLite's synchronous pragma ("FULL", the
// default, or "NORMAL") for tests and benchmarks that trade durability on
// power loss for speed, as the PostgreSQL tests set synchronous_commit off.
// Only tests use it: the service always runs FULL.
func WithSQLiteSynchronous(mode string) Option {
	return func(o *options) { o.synchronous = mode }
}
