package store

import (
	"bytes"
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
)

// The event chain makes the event log tamper-evident without serialising
// the transactions that write events. Writers insert events with seq NULL.
// A single sealer at a time (the row lock on audit_head on PostgreSQL, the
// single writer connection on SQLite) takes the committed unsealed events in
// id order, gives them seq = head+1, head+2, ..., chains them with
// hash = HMAC-SHA-256(key, prev_hash || canonical encoding) and advances
// the head, all in one transaction. Because sealing transactions run one
// after the other and each commits a contiguous run of seqs, a reader that
// sees seq N has already been able to see every seq below it: the feed,
// which reads sealed events by seq, never skips one. An event that commits
// late (a smaller id committing after a larger one on PostgreSQL) is simply
// sealed later with a later seq; sealed events are never reordered.
//
// The key (TIRKEU_AUDIT_KEY, WithAuditKey) is never stored in the database:
// one who can write the database but does not hold the key can change an
// event and recompute plain hashes, or truncate the chain, but cannot make
// a rewritten chain verify, nor one that still holds a head published
// earlier (VerifyOptions.Expect).
//
// Chains started before the links were keyed (migration 0008) continue:
// audit_head.keyed_from is the first keyed seq, every seq below it is a
// plain SHA-256 link of encoding version 1, and audit_head.epoch_mac, an
// HMAC under the key of keyed_from and the hash just below it written by
// that migration, keeps one without the key from moving the boundary (and
// so from passing a recomputed chain off as an old unkeyed one).

// genesisHash is the prev_hash of the first sealed event.
const genesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// advanceHead records the chain's new head: $1 seq, $2 hash.
const advanceHead = `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`

// startChain records the new head of a chain that was empty, and its epoch:
// $1 seq, $2 hash, $3 the epoch MAC of a chain keyed from seq 1. A chain
// is stamped when its first events are sealed, with the sealer's key, so
// that a database migrated empty (a test's template) takes the key of its
// first sealer.
const startChain = `UPDATE audit_head SET seq = $1, hash = $2, keyed_from = 1, epoch_mac = $3 WHERE id = 1`

// advance returns the statement and arguments that move the head from
// headSeq to seq and hash.
func advance(key []byte, headSeq, seq int64, hash string) (string, []any) {
	if headSeq == 0 {
		return startChain, []any{seq, hash, epochMAC(key, 1, genesisHash)}
	}
	return advanceHead, []any{seq, hash}
}

// sealBatch bounds the events one sealing transaction takes.
const sealBatch = 1000

// Versions of the canonical encoding, hashed with each event so that the
// encoding can change without ambiguity: 1 for plain SHA-256 links (the
// chain before migration 0008), 2 for HMAC links.
const (
	chainVersionPlain = 1
	chainVersionKeyed = 2
)

// epochMAC authenticates the start of the keyed chain: HMAC(key, a label,
// keyed_from and the hash of the link just below it), in hex.
func epochMAC(key []byte, keyedFrom int64, anchor string) string {
	m := hmac.New(sha256.New, key)
	fmt.Fprintf(m, "tirkeu audit chain epoch\x00keyed_from=%d\x00anchor=%s", keyedFrom, anchor)
	return hex.EncodeToString(m.Sum(nil))
}

// ChainReport is the result of VerifyChain. When OK, Events is the number of
// sealed events and Head the hash of the last one (genesisHash for an empty
// chain). Otherwise FirstBadSeq is the first position where the chain is
// broken, EventID the event found there (0 when none was) and Reason says
// what is wrong. KeyedFrom is the first seq whose link is keyed (seqs below
// it were sealed before the chain was keyed). Unsealed counts the events not
// yet sealed and OldestUnsealed is the time of the oldest of them (zero
// when none); they are reported whether or not the chain is OK.
type ChainReport struct {
	OK             bool      `json:"ok"`
	Events         int64     `json:"events"`
	Head           string    `json:"head,omitempty"`
	KeyedFrom      int64     `json:"keyed_from,omitempty"`
	FirstBadSeq    int64     `json:"first_bad_seq,omitempty"`
	EventID        int64     `json:"event_id,omitempty"`
	Reason         string    `json:"reason,omitempty"`
	Unsealed       int64     `json:"unsealed"`
	OldestUnsealed time.Time `json:"oldest_unsealed,omitzero"`
}

// ChainHead is a position of the chain: the hash of the event at Seq. An
// operator publishes the head regularly (tirkeu audit head) and later
// verifies that the chain still holds it (VerifyOptions.Expect).
type ChainHead struct {
	Seq  int64
	Hash string
}

// String returns "SEQ:HASH", the form ParseChainHead reads.
func (h ChainHead) String() string { return fmt.Sprintf("%d:%s", h.Seq, h.Hash) }

// ParseChainHead parses "SEQ:HASH" (SEQ >= 0, HASH 64 hex digits; the head
// of an empty chain is 0 and the genesis hash, 64 zeros).
func ParseChainHead(s string) (ChainHead, error) {
	seqText, hash, ok := strings.Cut(strings.TrimSpace(s), ":")
	seq, err := strconv.ParseInt(seqText, 10, 64)
	if !ok || err != nil || seq < 0 {
		return ChainHead{}, fmt.Errorf("chain head %q: want SEQ:HASH with SEQ a number", s)
	}
	hash = strings.ToLower(hash)
	if b, err := hex.DecodeString(hash); err != nil || len(b) != sha256.Size {
		return ChainHead{}, fmt.Errorf("chain head %q: the hash must be 64 hex digits", s)
	}
	return ChainHead{Seq: seq, Hash: hash}, nil
}

// VerifyOptions are what VerifyChain checks besides the chain itself.
type VerifyOptions struct {
	// Expect lists heads published earlier: the chain must still hold each
	// (the event at Seq with Hash), else it was truncated or rewritten.
	Expect []ChainHead
	// Now, when set, is the time against which unsealed events are judged:
	// one older than MaxUnsealedAge fails the verification.
	Now time.Time
	// MaxUnsealedAge defaults to DefaultMaxUnsealedAge.
	MaxUnsealedAge time.Duration
}

// DefaultMaxUnsealedAge is how long an event may wait to be sealed before
// it is reported: the sealers run every 50–100 ms, so an older one means
// that no sealer runs, or that it fails (a wrong key, a broken database),
// and meanwhile the event can be changed undetected.
const DefaultMaxUnsealedAge = time.Minute

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
	// ReasonEpoch: the start of the keyed chain (audit_head.keyed_from)
	// does not verify with the key: a wrong TIRKEU_AUDIT_KEY, or a chain
	// recomputed and passed off as unkeyed by one without the key.
	ReasonEpoch = "keyed epoch not authenticated"
	// ReasonTruncated: the chain ends below a head published earlier.
	ReasonTruncated = "truncated below an expected head"
	// ReasonExpectedHash: the event at an expected head's seq has another
	// hash: the chain was rewritten from there or below.
	ReasonExpectedHash = "expected head not in the chain"
	// ReasonUnsealed: events have waited longer than MaxUnsealedAge.
	ReasonUnsealed = "events left unsealed"
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
// storage forms (jsonb, text) hash alike. Empty input is null. Input
// already in that form (what the writers encode) is returned as it is.
func canonicalJSON(b []byte) (json.RawMessage, error) {
	if isCanonicalJSON(b) {
		return b, nil
	}
	return slowCanonicalJSON(b)
}

// slowCanonicalJSON is canonicalJSON by decoding and re-encoding.
func slowCanonicalJSON(b []byte) (json.RawMessage, error) {
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

// appendEncoding appends the canonical encoding of the event at seq (see
// encode) to b. It writes the object itself when no field needs an escape
// (the events the service writes), else appends what encode gives;
// TestChainEncodingFastPath and FuzzChainEncoding check that both agree.
func (e *chainEvent) appendEncoding(b []byte, seq int64, keyed bool) ([]byte, error) {
	message, data := e.message, e.data
	if len(message) > 0 && !isCanonicalJSON(message) || len(data) > 0 && !isCanonicalJSON(data) || !plainJSONStrings(e) {
		enc, err := e.encode(seq, keyed)
		return append(b, enc...), err
	}
	if len(message) == 0 {
		message = []byte("null")
	}
	if len(data) == 0 {
		data = []byte("null")
	}
	v := chainVersionPlain
	if keyed {
		v = chainVersionKeyed
	}
	b = append(b, `{"v":`...)
	b = strconv.AppendInt(b, int64(v), 10)
	b = append(b, `,"seq":`...)
	b = strconv.AppendInt(b, seq, 10)
	b = append(b, `,"id":`...)
	b = strconv.AppendInt(b, e.id, 10)
	b = appendField(b, `,"type":"`, e.typ)
	b = append(b, `","at":"`...)
	b = normTime(e.at).AppendFormat(b, tsFormat)
	b = appendField(b, `","person_iin":"`, e.personIIN)
	b = appendField(b, `","actor_iin":"`, e.actorIIN)
	b = appendField(b, `","actor_role":"`, e.actorRole)
	b = appendField(b, `","rka":"`, e.rka)
	b = appendField(b, `","application_id":"`, e.applicationID)
	b = appendField(b, `","registration_id":"`, e.registrationID)
	b = append(b, `","message":`...)
	b = append(b, message...)
	b = append(b, `,"data":`...)
	b = append(b, data...)
	return append(b, '}'), nil
}

func appendField(b []byte, name, value string) []byte { return append(append(b, name...), value...) }

// plainJSONStrings reports whether encoding/json writes each of e's string
// fields as it is between quotes (the time, formatted with tsFormat,
// always is).
func plainJSONStrings(e *chainEvent) bool {
	for _, s := range [...]string{e.typ, e.personIIN, e.actorIIN, e.actorRole, e.rka, e.applicationID, e.registrationID} {
		if !plainJSONString(s) {
			return false
		}
	}
	return true
}

func plainJSONString(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			return false
		}
		i += size
	}
	return true
}

// encode is the canonical encoding of the event at seq: a JSON object with
// a fixed field order. It covers every column of the event and its seq, so
// that a changed field, a moved event or a renumbered one changes its hash.
func (e *chainEvent) encode(seq int64, keyed bool) ([]byte, error) {
	message, err := canonicalJSON(e.message)
	if err != nil {
		return nil, fmt.Errorf("event %d message: %w", e.id, err)
	}
	data, err := canonicalJSON(e.data)
	if err != nil {
		return nil, fmt.Errorf("event %d data: %w", e.id, err)
	}
	v := chainVersionPlain
	if keyed {
		v = chainVersionKeyed
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
	}{v, seq, e.id, e.typ, normTime(e.at).Format(tsFormat), e.personIIN, e.actorIIN, e.actorRole, e.rka,
		e.applicationID, e.registrationID, message, data})
}

// linker computes links: HMAC-SHA-256 under the key for keyed links,
// plain SHA-256 for the links of the chain before it was keyed. One linker
// serves one goroutine (it reuses its HMAC state and its buffers).
type linker struct {
	mac hash.Hash
	enc []byte
	sum [sha256.Size]byte
}

func newLinker(key []byte) *linker { return &linker{mac: hmac.New(sha256.New, key)} }

// link returns the hash of e at seq after prev (hex): keyed, hex(HMAC(key,
// prev || encoding v2)); plain, hex(SHA-256(prev || encoding v1)).
func (l *linker) link(prev string, e *chainEvent, seq int64, keyed bool) (string, error) {
	var p [sha256.Size]byte
	if len(prev) != 2*sha256.Size {
		return "", fmt.Errorf("%s: %q", ReasonBadHash, prev)
	}
	if _, err := hex.Decode(p[:], []byte(prev)); err != nil {
		return "", fmt.Errorf("%s: %q", ReasonBadHash, prev)
	}
	enc, err := e.appendEncoding(l.enc[:0], seq, keyed)
	if err != nil {
		return "", err
	}
	l.enc = enc
	var h hash.Hash
	if keyed {
		l.mac.Reset()
		h = l.mac
	} else {
		h = sha256.New()
	}
	h.Write(p[:])
	h.Write(enc)
	var out [2 * sha256.Size]byte
	hex.Encode(out[:], h.Sum(l.sum[:0]))
	return string(out[:]), nil
}

// errSealerBusy reports that another sealer holds the head.
var errSealerBusy = errors.New("another sealer holds the chain head")

// sealOnce seals up to sealBatch committed unsealed events in q, which must
// be a transaction; headSQL reads (and on PostgreSQL locks) the head row,
// returning no row when it is locked elsewhere and the caller chose not to
// wait. It returns how many events it sealed.
func sealOnce(ctx context.Context, q querier, headSQL string, key []byte) (int, error) {
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
	l := newLinker(key)
	for i := range evs {
		seq++
		h, err := l.link(prev, &evs[i], seq, true)
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
	headUpdate, headArgs := advance(key, headSeq, seq, prev)
	if _, err := q.exec(ctx, headUpdate, headArgs...); err != nil {
		return 0, fmt.Errorf("advance chain head: %w", err)
	}
	return len(evs), nil
}

// verifyChain walks the sealed events of q (a consistent snapshot) from seq
// 1, recomputing every link with key, compares the end with the recorded
// head, authenticates the start of the keyed chain, and checks the heads
// expected and the age of the unsealed events (opts).
func verifyChain(ctx context.Context, q querier, key []byte, opts VerifyOptions) (ChainReport, error) {
	var headSeq, keyedFrom int64
	var headHash string
	var epoch *string
	if err := queryOne(ctx, q, `SELECT seq, hash, keyed_from, epoch_mac FROM audit_head WHERE id = 1`, nil,
		&headSeq, &headHash, &keyedFrom, &epoch); err != nil {
		return ChainReport{}, fmt.Errorf("store: read chain head: %w", err)
	}
	rep := ChainReport{OK: true, KeyedFrom: keyedFrom}
	if err := queryOne(ctx, q, unsealedSQL, nil, &rep.Unsealed, timeCol{&rep.OldestUnsealed}); err != nil {
		return ChainReport{}, fmt.Errorf("store: count unsealed events: %w", err)
	}
	fail := func(seq, id int64, reason string, args ...any) error {
		rep.OK, rep.FirstBadSeq, rep.EventID, rep.Reason = false, seq, id, reason
		if len(args) > 0 {
			rep.Reason += ": " + fmt.Sprintf(args[0].(string), args[1:]...)
		}
		return errStopWalk
	}
	// epochOK tells whether the stored epoch MAC authenticates keyed_from
	// with anchor, the hash of the link just below it.
	epochOK := func(anchor string) bool {
		return epoch != nil && hmac.Equal([]byte(*epoch), []byte(epochMAC(key, keyedFrom, anchor)))
	}
	const epochHint = "the chain is keyed from seq %d by its head record, which does not verify with this key: " +
		"a wrong TIRKEU_AUDIT_KEY, or a chain recomputed without the key"
	type found struct {
		hash string
		id   int64
	}
	expected := map[int64]found{}
	for _, h := range opts.Expect {
		expected[h.Seq] = found{}
	}
	l := newLinker(key)
	expect, prev := int64(1), genesisHash
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
			case e.seq == keyedFrom && !epochOK(prev):
				return fail(e.seq, e.id, ReasonEpoch, epochHint, keyedFrom)
			}
			h, err := l.link(prev, &e, e.seq, e.seq >= keyedFrom)
			if err != nil {
				return fail(e.seq, e.id, ReasonHashMismatch, "%v", err)
			}
			if h != e.hash {
				return fail(e.seq, e.id, ReasonHashMismatch)
			}
			if _, ok := expected[e.seq]; ok {
				expected[e.seq] = found{e.hash, e.id}
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
		_ = fail(rep.Events+1, 0, ReasonMissingTail, "the head is seq %d", headSeq)
		return rep, nil
	case prev != headHash:
		_ = fail(headSeq, 0, ReasonHeadMismatch)
		return rep, nil
	case headSeq > 0 && keyedFrom > headSeq && (keyedFrom != headSeq+1 || !epochOK(headHash)):
		// No keyed link yet (a chain migrated from unkeyed and not
		// extended since): the epoch still binds its last hash.
		_ = fail(min(keyedFrom, headSeq+1), 0, ReasonEpoch, epochHint, keyedFrom)
		return rep, nil
	}
	heads := slices.Clone(opts.Expect)
	slices.SortFunc(heads, func(a, b ChainHead) int { return cmp.Compare(a.Seq, b.Seq) })
	for _, h := range heads {
		f := expected[h.Seq]
		if h.Seq == 0 {
			f.hash = genesisHash
		}
		switch {
		case h.Seq > rep.Events:
			_ = fail(h.Seq, 0, ReasonTruncated, "%s was published, the chain ends at seq %d", h, rep.Events)
			return rep, nil
		case !strings.EqualFold(f.hash, h.Hash):
			_ = fail(h.Seq, f.id, ReasonExpectedHash, "%s was published, the chain has %s", h, ChainHead{h.Seq, f.hash})
			return rep, nil
		}
	}
	maxAge := opts.MaxUnsealedAge
	if maxAge <= 0 {
		maxAge = DefaultMaxUnsealedAge
	}
	if !opts.Now.IsZero() && rep.Unsealed > 0 && opts.Now.Sub(rep.OldestUnsealed) > maxAge {
		_ = fail(0, 0, ReasonUnsealed, "%d events, the oldest from %s (%s ago; at most %s expected)", rep.Unsealed,
			rep.OldestUnsealed.Format(time.RFC3339), opts.Now.Sub(rep.OldestUnsealed).Round(time.Second), maxAge)
		return rep, nil
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
			n, err = sealOnce(ctx, pgQ{tx}, headSQL, s.auditKey)
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
func (s *Postgres) VerifyChain(ctx context.Context, opts VerifyOptions) (ChainReport, error) {
	var rep ChainReport
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly},
		func(tx pgx.Tx) error {
			var err error
			rep, err = verifyChain(ctx, pgQ{tx}, s.auditKey, opts)
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
		n, err := sealOnce(ctx, sqlQ{tx}, sqliteDialect.sealHead, s.auditKey)
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
func (s *SQLite) VerifyChain(ctx context.Context, opts VerifyOptions) (ChainReport, error) {
	tx, err := s.ro.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return ChainReport{}, fmt.Errorf("store: verify chain: begin: %w", err)
	}
	defer tx.Rollback()
	return verifyChain(ctx, sqlQ{tx}, s.auditKey, opts)
}

// unsealedSQL counts the unsealed events (the partial index
// events_unsealed_idx holds them) and finds the oldest.
const unsealedSQL = `SELECT COUNT(*), MIN(at) FROM events WHERE seq IS NULL`

func unsealed(ctx context.Context, q querier, d *dialect) (int64, time.Time, error) {
	var n int64
	var oldest time.Time
	if err := queryOne(ctx, q, unsealedSQL, nil, &n, timeCol{&oldest}); err != nil {
		return 0, time.Time{}, d.translate(err, "count unsealed events", "")
	}
	return n, oldest, nil
}

// Unsealed returns how many events wait to be sealed and the oldest's time.
func (s *Postgres) Unsealed(ctx context.Context) (int64, time.Time, error) {
	return unsealed(ctx, pgQ{s.pool}, postgresDialect)
}

// Unsealed returns how many events wait to be sealed and the oldest's time.
func (s *SQLite) Unsealed(ctx context.Context) (int64, time.Time, error) {
	return unsealed(ctx, sqlQ{s.ro}, sqliteDialect)
}

// ErrAuditKey reports that the store's audit key is not the one the event
// chain was keyed with (or that the start of the keyed chain was changed):
// links sealed with it would not verify, so Migrate refuses.
var ErrAuditKey = errors.New("the audit key (TIRKEU_AUDIT_KEY) is not the key this database's event chain is keyed with")

// stampEpoch is the Go step of migration 0008: it authenticates keyed_from,
// just set to head + 1, and the head's hash with the key.
func stampEpoch(ctx context.Context, q querier, key []byte) error {
	var seq, keyedFrom int64
	var hash string
	if err := queryOne(ctx, q, `SELECT seq, hash, keyed_from FROM audit_head WHERE id = 1`, nil, &seq, &hash, &keyedFrom); err != nil {
		return fmt.Errorf("read chain head: %w", err)
	}
	if keyedFrom != seq+1 {
		return fmt.Errorf("chain head: keyed_from %d, want %d", keyedFrom, seq+1)
	}
	_, err := q.exec(ctx, `UPDATE audit_head SET epoch_mac = $1 WHERE id = 1`, epochMAC(key, keyedFrom, hash))
	return err
}

// checkAuditKey returns ErrAuditKey when the chain has links and its epoch
// does not verify with key. An empty chain takes the key of its first
// sealer.
func checkAuditKey(ctx context.Context, q querier, key []byte) error {
	var seq, keyedFrom int64
	var hash string
	var epoch *string
	if err := queryOne(ctx, q, `SELECT seq, hash, keyed_from, epoch_mac FROM audit_head WHERE id = 1`, nil,
		&seq, &hash, &keyedFrom, &epoch); err != nil {
		return fmt.Errorf("store: read chain head: %w", err)
	}
	if seq == 0 {
		return nil
	}
	anchor := genesisHash
	switch {
	case keyedFrom-1 == seq:
		anchor = hash
	case keyedFrom > 1 && keyedFrom-1 < seq:
		if err := queryOne(ctx, q, `SELECT hash FROM events WHERE seq = $1`, []any{keyedFrom - 1}, &anchor); err != nil {
			return fmt.Errorf("store: %w: no link at seq %d below the keyed chain", ErrAuditKey, keyedFrom-1)
		}
	case keyedFrom-1 > seq:
		return fmt.Errorf("store: %w: the keyed chain starts at seq %d after the head %d", ErrAuditKey, keyedFrom, seq)
	}
	if epoch == nil || !hmac.Equal([]byte(*epoch), []byte(epochMAC(key, keyedFrom, anchor))) {
		return fmt.Errorf("store: %w", ErrAuditKey)
	}
	return nil
}
