package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// The event chain makes the event log tamper-evident without serialising
// the transactions that write events. Writers insert events with seq NULL.
// A single sealer at a time (the row lock on audit_head on PostgreSQL, the
// single writer connection on SQLite) takes the committed unsealed events in
// id order, gives them seq = head+1, head+2, ..., chains them with
// hash = SHA-256(prev_hash || canonical encoding) and advances the head, all
// in one transaction. Because sealing transactions run one after the other
// and each commits a contiguous run of seqs, a reader that sees seq N has
// already been able to see every seq below it: the feed, which reads sealed
// events by seq, never skips one. An event that commits late (a smaller id
// committing after a larger one on PostgreSQL) is simply sealed later with
// a later seq; sealed events are never reordered.

// genesisHash is the prev_hash of the first sealed event.
const genesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// advanceHead records the chain's new head: $1 seq, $2 hash.
const advanceHead = `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`

// sealBatch bounds the events one sealing transaction takes.
const sealBatch = 1000

// chainVersion is the version of the canonical encoding, hashed with each
// event so that the encoding can change without ambiguity.
const chainVersion = 1

// ChainReport is the result of VerifyChain. When OK, Events is the number of
// sealed events and Head the hash of the last one (genesisHash for an empty
// chain). Otherwise FirstBadSeq is the first position where the chain is
// broken, EventID the event found there (0 when none was) and Reason says
// what is wrong.
type ChainReport struct {
	OK          bool   `json:"ok"`
	Events      int64  `json:"events"`
	Head        string `json:"head,omitempty"`
	FirstBadSeq int64  `json:"first_bad_seq,omitempty"`
	EventID     int64  `json:"event_id,omitempty"`
	Reason      string `json:"reason,omitempty"`
}

// Reasons a chain fails verification.
const (
	ReasonHashMismatch = "hash mismatch"  // the event's fields no longer give its stored hash: changed
	ReasonBrokenLink   = "broken link"    // prev_hash is not the previous event's hash: inserted or reordered
	ReasonGap          = "gap in seq"     // a seq is missing: deleted
	ReasonDuplicateSeq = "duplicate seq"  // two events share a seq
	ReasonBeyondHead   = "beyond head"    // a sealed event after the recorded head: inserted
	ReasonMissingTail  = "missing tail"   // the chain ends before the recorded head: deleted
	ReasonHeadMismatch = "head mismatch"  // the last event's hash is not the recorded head
	ReasonBadHash      = "malformed hash" // a stored hash is not 64 hex digits
)

// chainEvent is an event as the chain sees it: the raw columns.
type chainEvent struct {
	seq            int64
	prevHash, hash string
	id             int64
	typ            string
	at             time.Time
	personIIN      string
	actorIIN       string
	actorRole      string
	rka            string
	applicationID  string
	registrationID string
	message, data  []byte
}

// chainCols are the columns hashed, in the order scanChainEvent reads them.
// JSON columns are read as text so that both engines hand over the bytes.
const chainCols = `id, type, at, person_iin, actor_iin, actor_role, rka, application_id, registration_id,
	CAST(message AS TEXT), CAST(data AS TEXT)`

func scanChainEvent(rs rows, e *chainEvent, extra ...any) error {
	var message, data *string
	dest := append(extra, &e.id, &e.typ, timeCol{&e.at}, &e.personIIN, &e.actorIIN, &e.actorRole, &e.rka,
		&e.applicationID, &e.registrationID, &message, &data)
	if err := rs.Scan(dest...); err != nil {
		return err
	}
	e.message, e.data = nil, nil
	if message != nil {
		e.message = []byte(*message)
	}
	if data != nil {
		e.data = []byte(*data)
	}
	return nil
}

// canonicalJSON re-encodes a JSON value with sorted object keys, no
// insignificant white space and numbers as written, so that the engines'
// storage forms (jsonb, text) hash alike. Empty input is null.
func canonicalJSON(b []byte) (json.RawMessage, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return json.RawMessage("null"), nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	out, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// encode is the canonical encoding of the event at seq: a JSON object with
// a fixed field order. It covers every column of the event and its seq, so
// that a changed field, a moved event or a renumbered one changes its hash.
func (e *chainEvent) encode(seq int64) ([]byte, error) {
	message, err := canonicalJSON(e.message)
	if err != nil {
		return nil, fmt.Errorf("event %d message: %w", e.id, err)
	}
	data, err := canonicalJSON(e.data)
	if err != nil {
		return nil, fmt.Errorf("event %d data: %w", e.id, err)
	}
	return json.Marshal(struct {
		V              int             `json:"v"`
		Seq            int64           `json:"seq"`
		ID             int64           `json:"id"`
		Type           string          `json:"type"`
		At             string          `json:"at"`
		PersonIIN      string          `json:"person_iin"`
		ActorIIN       string          `json:"actor_iin"`
		ActorRole      string          `json:"actor_role"`
		RKA            string          `json:"rka"`
		ApplicationID  string          `json:"application_id"`
		RegistrationID string          `json:"registration_id"`
		Message        json.RawMessage `json:"message"`
		Data           json.RawMessage `json:"data"`
	}{chainVersion, seq, e.id, e.typ, normTime(e.at).Format(tsFormat), e.personIIN, e.actorIIN, e.actorRole, e.rka,
		e.applicationID, e.registrationID, message, data})
}

// chainHash returns hex(SHA-256(prev || encoding of e at seq)), prev being
// the previous hash in hex.
func chainHash(prev string, e *chainEvent, seq int64) (string, error) {
	p, err := hex.DecodeString(prev)
	if err != nil || len(p) != sha256.Size {
		return "", fmt.Errorf("%s: %q", ReasonBadHash, prev)
	}
	enc, err := e.encode(seq)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	h.Write(p)
	h.Write(enc)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// errSealerBusy reports that another sealer holds the head.
var errSealerBusy = errors.New("another sealer holds the chain head")

// sealOnce seals up to sealBatch committed unsealed events in q, which must
// be a transaction; headSQL reads (and on PostgreSQL locks) the head row,
// returning no row when it is locked elsewhere and the caller chose not to
// wait. It returns how many events it sealed.
func sealOnce(ctx context.Context, q querier, headSQL string) (int, error) {
	var headSeq int64
	var headHash string
	if err := queryOne(ctx, q, headSQL, nil, &headSeq, &headHash); err != nil {
		if errors.Is(err, errNoRows) {
			return 0, errSealerBusy
		}
		return 0, fmt.Errorf("read chain head: %w", err)
	}
	var evs []chainEvent
	err := queryAll(ctx, q, `SELECT `+chainCols+` FROM events WHERE seq IS NULL ORDER BY id LIMIT $1`,
		[]any{sealBatch}, func(rs rows) error {
			var e chainEvent
			if err := scanChainEvent(rs, &e); err != nil {
				return err
			}
			evs = append(evs, e)
			return nil
		})
	if err != nil {
		return 0, fmt.Errorf("read unsealed events: %w", err)
	}
	if len(evs) == 0 {
		return 0, nil
	}
	var sb strings.Builder
	sb.WriteString(`WITH v (id, seq, prev_hash, hash) AS (VALUES `)
	args := make([]any, 0, 4*len(evs))
	prev, seq := headHash, headSeq
	for i := range evs {
		seq++
		h, err := chainHash(prev, &evs[i], seq)
		if err != nil {
			return 0, fmt.Errorf("hash event %d: %w", evs[i].id, err)
		}
		if i > 0 {
			sb.WriteString(", ")
		}
		n := len(args)
		fmt.Fprintf(&sb, "(CAST($%d AS BIGINT), CAST($%d AS BIGINT), CAST($%d AS TEXT), CAST($%d AS TEXT))", n+1, n+2, n+3, n+4)
		args = append(args, evs[i].id, seq, prev, h)
		prev = h
	}
	sb.WriteString(`) UPDATE events SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
		FROM v WHERE events.id = v.id AND events.seq IS NULL`)
	n, err := q.exec(ctx, sb.String(), args...)
	if err != nil {
		return 0, fmt.Errorf("seal events: %w", err)
	}
	if n != int64(len(evs)) {
		return 0, fmt.Errorf("seal events: sealed %d of %d: a concurrent sealer?", n, len(evs))
	}
	if _, err := q.exec(ctx, advanceHead, seq, prev); err != nil {
		return 0, fmt.Errorf("advance chain head: %w", err)
	}
	return len(evs), nil
}

// verifyChain walks the sealed events of q (a consistent snapshot) from seq
// 1, recomputing every hash, and compares the end with the recorded head.
func verifyChain(ctx context.Context, q querier) (ChainReport, error) {
	var headSeq int64
	var headHash string
	if err := queryOne(ctx, q, `SELECT seq, hash FROM audit_head WHERE id = 1`, nil, &headSeq, &headHash); err != nil {
		return ChainReport{}, fmt.Errorf("store: read chain head: %w", err)
	}
	rep := ChainReport{OK: true}
	expect, prev := int64(1), genesisHash
	fail := func(seq, id int64, reason string, args ...any) error {
		rep = ChainReport{FirstBadSeq: seq, EventID: id, Reason: reason, Events: rep.Events}
		if len(args) > 0 {
			rep.Reason += ": " + fmt.Sprintf(args[0].(string), args[1:]...)
		}
		return errStopWalk
	}
	err := queryAll(ctx, q, `SELECT seq, prev_hash, hash, `+chainCols+` FROM events WHERE seq IS NOT NULL ORDER BY seq, id`,
		nil, func(rs rows) error {
			var e chainEvent
			var prevHash, hash *string
			if err := scanChainEvent(rs, &e, &e.seq, &prevHash, &hash); err != nil {
				return err
			}
			if prevHash != nil {
				e.prevHash = *prevHash
			}
			if hash != nil {
				e.hash = *hash
			}
			switch {
			case e.seq < expect:
				return fail(e.seq, e.id, ReasonDuplicateSeq)
			case e.seq > expect:
				return fail(expect, e.id, ReasonGap, "seq %d missing, next is %d", expect, e.seq)
			case e.seq > headSeq:
				return fail(e.seq, e.id, ReasonBeyondHead, "the head is seq %d", headSeq)
			case e.prevHash != prev:
				return fail(e.seq, e.id, ReasonBrokenLink)
			}
			h, err := chainHash(prev, &e, e.seq)
			if err != nil {
				return fail(e.seq, e.id, ReasonHashMismatch, "%v", err)
			}
			if h != e.hash {
				return fail(e.seq, e.id, ReasonHashMismatch)
			}
			rep.Events++
			expect++
			prev = e.hash
			return nil
		})
	if err != nil && !errors.Is(err, errStopWalk) {
		return ChainReport{}, fmt.Errorf("store: verify chain: %w", err)
	}
	if err != nil {
		return rep, nil
	}
	switch {
	case rep.Events < headSeq:
		return ChainReport{FirstBadSeq: rep.Events + 1, Reason: ReasonMissingTail + fmt.Sprintf(": the head is seq %d", headSeq), Events: rep.Events}, nil
	case prev != headHash:
		return ChainReport{FirstBadSeq: headSeq, Reason: ReasonHeadMismatch, Events: rep.Events}, nil
	}
	rep.Head = headHash
	return rep, nil
}

var errStopWalk = errors.New("stop")

// sealer runs seal in the background: every interval, and at once when
// kicked after a commit that appended events.
type sealer struct {
	seal     func(ctx context.Context) (int, error)
	kick     <-chan struct{}
	interval time.Duration
	logger   *slog.Logger
}

// start runs the loop until stop is called or ctx ends; stop waits for a
// seal in progress to finish.
func (sl sealer) start(ctx context.Context) (stop func()) {
	if sl.interval <= 0 {
		sl.interval = 100 * time.Millisecond
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(sl.interval)
		defer t.Stop()
		failing := false
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			case <-sl.kick:
			}
			n, err := sl.seal(ctx)
			switch {
			case err != nil && ctx.Err() == nil:
				if !failing {
					sl.logger.Warn("event sealer", "error", err.Error())
				}
				failing = true
			case err == nil:
				if failing {
					sl.logger.Info("event sealer recovered")
				}
				failing = false
				if n > 0 {
					sl.logger.Debug("events sealed", "events", n)
				}
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			cancel()
			wg.Wait()
		})
	}
}

// notify wakes the sealer without blocking.
func notify(kick chan struct{}) {
	select {
	case kick <- struct{}{}:
	default:
	}
}

// Seal seals every event committed before the call, waiting for a sealer
// of another node to finish first, and returns how many it sealed.
func (s *Postgres) Seal(ctx context.Context) (int, error) {
	return s.seal(ctx, true)
}

// seal seals in batches until none is left. Without wait it returns at
// once, sealing nothing, when another sealer holds the head.
func (s *Postgres) seal(ctx context.Context, wait bool) (int, error) {
	headSQL := postgresDialect.sealHead
	if !wait {
		headSQL += ` SKIP LOCKED`
	}
	total := 0
	for {
		var n int
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			var err error
			n, err = sealOnce(ctx, pgQ{tx}, headSQL)
			return err
		})
		if errors.Is(err, errSealerBusy) {
			return total, nil
		}
		if err != nil {
			return total, postgresDialect.translate(err, "seal events", "")
		}
		total += n
		if n < sealBatch {
			return total, nil
		}
	}
}

// StartSealer seals events in the background, every interval and soon
// after a transaction of this process appends events, until stop is called
// or ctx ends. Sealers of several nodes take turns on the head's row lock;
// one that finds the head locked skips its turn.
func (s *Postgres) StartSealer(ctx context.Context, interval time.Duration) (stop func()) {
	return sealer{
		seal:     func(ctx context.Context) (int, error) { return s.seal(ctx, false) },
		kick:     s.kick,
		interval: interval,
		logger:   s.logger,
	}.start(ctx)
}

// VerifyChain checks the event chain in one consistent snapshot.
func (s *Postgres) VerifyChain(ctx context.Context) (ChainReport, error) {
	var rep ChainReport
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly},
		func(tx pgx.Tx) error {
			var err error
			rep, err = verifyChain(ctx, pgQ{tx})
			return err
		})
	return rep, err
}

// Seal seals every committed event and returns how many it sealed. The
// single writer connection serialises it with every other write.
func (s *SQLite) Seal(ctx context.Context) (int, error) {
	total := 0
	for {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return total, fmt.Errorf("store: seal events: begin: %w", err)
		}
		n, err := sealOnce(ctx, sqlQ{tx}, sqliteDialect.sealHead)
		if err == nil {
			err = tx.Commit()
		}
		if err != nil {
			_ = tx.Rollback()
			return total, sqliteDialect.translate(err, "seal events", "")
		}
		total += n
		if n < sealBatch {
			return total, nil
		}
	}
}

// StartSealer seals events in the background, every interval and soon
// after a transaction appends events, until stop is called or ctx ends.
func (s *SQLite) StartSealer(ctx context.Context, interval time.Duration) (stop func()) {
	return sealer{seal: s.Seal, kick: s.kick, interval: interval, logger: s.logger}.start(ctx)
}

// VerifyChain checks the event chain in one read transaction, a consistent
// snapshot under WAL.
func (s *SQLite) VerifyChain(ctx context.Context) (ChainReport, error) {
	tx, err := s.ro.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return ChainReport{}, fmt.Errorf("store: verify chain: begin: %w", err)
	}
	defer tx.Rollback()
	return verifyChain(ctx, sqlQ{tx})
}
