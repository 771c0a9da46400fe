package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"tirkeu/internal/iin"
	"tirkeu/internal/residence"
)

// pgTxQ is the querier of a PostgreSQL write transaction. In pipeline mode
// (residence.Pipeliner) it holds back the writes whose only result is an
// error and sends them in one batch — one round trip — before the next
// statement that needs an answer, or at commit. Every statement still runs
// in the order the use case issued it.
type pgTxQ struct {
	tx      *lazyTx
	pipe    bool
	pending []pendingWrite
}

// pendingWrite is a queued write and how to judge its result.
type pendingWrite struct {
	op, ref string
	needRow bool
	sql     string
	args    []any
}

func (q *pgTxQ) exec(ctx context.Context, sql string, args ...any) (int64, error) {
	if err := q.flush(ctx); err != nil {
		return 0, err
	}
	return pgQ{q.tx}.exec(ctx, sql, args...)
}

func (q *pgTxQ) query(ctx context.Context, sql string, args ...any) (rows, error) {
	if len(q.pending) == 0 && q.tx.begun() {
		return pgQ{q.tx}.query(ctx, sql, args...)
	}
	// The queued writes and this read go in one batch — one round trip —
	// which carries the transaction's BEGIN when it is the first.
	b, pending := q.batch()
	b.Queue(sql, args...)
	br := q.tx.SendBatch(ctx, b)
	if err := results(br, pending); err != nil {
		_ = br.Close()
		return nil, err
	}
	rs, err := br.Query()
	if err != nil {
		_ = br.Close()
		return nil, err
	}
	return &batchRows{Rows: rs, br: br}, nil
}

// batchRows are the rows of the last statement of a batch; closing them
// closes the batch.
type batchRows struct {
	pgx.Rows
	br  pgx.BatchResults
	err error
}

func (r *batchRows) Close() {
	r.Rows.Close()
	r.err = r.br.Close()
}

func (r *batchRows) Err() error {
	if err := r.Rows.Err(); err != nil {
		return err
	}
	return r.err
}

// batch takes the queued writes into a new batch.
func (q *pgTxQ) batch() (*pgx.Batch, []pendingWrite) {
	b := &pgx.Batch{}
	for _, w := range q.pending {
		b.Queue(w.sql, w.args...)
	}
	pending := q.pending
	q.pending = nil
	return b, pending
}

// results reads the results of the queued writes at the head of a batch
// and returns the first one's error, translated as the write itself would
// have been.
func results(br pgx.BatchResults, pending []pendingWrite) error {
	for _, w := range pending {
		tag, err := br.Exec()
		switch {
		case err != nil:
			return postgresDialect.translate(err, w.op, w.ref)
		case w.needRow && tag.RowsAffected() == 0:
			return postgresDialect.translate(errNoRows, w.op, "")
		}
	}
	return nil
}

func (q *pgTxQ) deferExec(op, ref string, needRow bool, sql string, args []any) bool {
	if !q.pipe {
		return false
	}
	q.pending = append(q.pending, pendingWrite{op: op, ref: ref, needRow: needRow, sql: sql, args: args})
	return true
}

// flush sends the queued writes in one batch and returns the first one's
// error.
func (q *pgTxQ) flush(ctx context.Context) error {
	if len(q.pending) == 0 {
		return nil
	}
	b, pending := q.batch()
	br := q.tx.SendBatch(ctx, b)
	first := results(br, pending)
	if err := br.Close(); err != nil && first == nil {
		first = postgresDialect.translate(err, "pipelined writes", "")
	}
	return first
}

// commit commits the transaction. When every queued write reports its
// failure as an error of the server (no write that must find a row, which
// only the client can judge), the writes and COMMIT go in one batch: a
// write that fails aborts the transaction block, the server skips the
// COMMIT, and the caller rolls back; otherwise the writes are flushed and
// COMMIT sent after them.
func (q *pgTxQ) commit(ctx context.Context) error {
	fold := len(q.pending) > 0
	for _, w := range q.pending {
		fold = fold && !w.needRow
	}
	if !fold {
		if err := q.flush(ctx); err != nil {
			return err
		}
		if err := q.tx.Commit(ctx); err != nil {
			return postgresDialect.translate(err, "commit", "")
		}
		return nil
	}
	b, pending := q.batch()
	b.Queue("commit")
	br := q.tx.SendBatch(ctx, b)
	if err := results(br, pending); err != nil {
		_ = br.Close()
		return err
	}
	tag, err := br.Exec()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return postgresDialect.translate(err, "commit", "")
	}
	if tag.String() == "ROLLBACK" {
		return postgresDialect.translate(pgx.ErrTxCommitRollback, "commit", "")
	}
	q.tx.committed()
	return nil
}

// Pipeline queues the transaction's later error-only writes (see
// residence.Pipeliner).
func (t *pgTx) Pipeline() { t.pq.pipe = true }

// Facts reads what the rules need about one application in one round trip:
// the statements of LockPerson (when q.Lock, as SELECT … FOR UPDATE of the
// subject's row), Person, Relations, Premises, Owners with the owning
// persons and organisations, Registrations and OrganisationsRepresentedBy,
// sent as one pipeline. They run in that order, so every read after the
// lock sees what the lock's holder before committed.
func (t *pgTx) Facts(ctx context.Context, q residence.FactsQuery) (residence.Facts, error) {
	if err := t.pq.flush(ctx); err != nil {
		return residence.Facts{}, err
	}
	return readFactsBatch(ctx, t.tx, q)
}

// batchSender is a transaction or the pool.
type batchSender interface {
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// readFactsBatch is Facts on a transaction or (without Lock and Signature,
// for Service.Check) on the pool.
func readFactsBatch(ctx context.Context, send batchSender, q residence.FactsQuery) (residence.Facts, error) {
	var f residence.Facts
	b := &pgx.Batch{}
	queue := func(sql string, args []any, scan func(rows) error) {
		b.Queue(sql, args...).Query(func(rs pgx.Rows) error {
			for rs.Next() {
				if err := scan(rs); err != nil {
					return err
				}
			}
			return rs.Err()
		})
	}
	person := func(dst **residence.Person) func(rows) error {
		return func(rs rows) error {
			p, err := scanPerson(rs)
			if err == nil {
				*dst = &p
			}
			return err
		}
	}
	relations := func(rs rows) error {
		r, err := scanRelation(rs)
		f.Relations = append(f.Relations, r)
		return err
	}
	subjectSQL := sqlPerson
	if q.Lock {
		subjectSQL += ` FOR UPDATE`
	}
	queue(subjectSQL, []any{q.SubjectIIN}, person(&f.Subject))
	if u := q.Signature; u != nil {
		// A used digest inserts nothing (its primary key): no error
		// aborts the pipeline, and the answer says which.
		f.SignatureReused = true
		queue(`INSERT INTO used_signatures (digest, purpose, signer_iin, used_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (digest) DO NOTHING RETURNING 1`, []any{nonNilBytes(u.Digest), u.Purpose, u.SignerIIN, postgresDialect.ts(u.UsedAt)},
			func(rs rows) error {
				f.SignatureReused = false
				var one int
				return rs.Scan(&one)
			})
	}
	if q.ApplicantIIN != q.SubjectIIN {
		queue(sqlPerson, []any{q.ApplicantIIN}, person(&f.Applicant))
	}
	queue(sqlRelations, []any{q.ApplicantIIN}, relations)
	if q.ApplicantIIN != q.SubjectIIN {
		queue(sqlRelations, []any{q.SubjectIIN}, relations)
	}
	var orgs, represented orgCollector
	if q.RKA != "" {
		queue(sqlPremises, []any{q.RKA}, func(rs rows) error {
			p, err := scanPremises(rs)
			f.Premises = &p
			return err
		})
		queue(sqlOwners, []any{q.RKA}, func(rs rows) error {
			o, err := scanOwnership(rs)
			f.Owners = append(f.Owners, o)
			return err
		})
		queue(`SELECT `+personCols+` FROM persons WHERE iin IN
			(SELECT owner_iin FROM ownerships WHERE rka = $1 AND owner_iin IS NOT NULL) ORDER BY iin`, []any{q.RKA},
			func(rs rows) error {
				p, err := scanPerson(rs)
				f.OwnerPersons = append(f.OwnerPersons, p)
				return err
			})
		queue(fmt.Sprintf(organisationsSQL, `o.bin IN (SELECT owner_bin FROM ownerships WHERE rka = $1 AND owner_bin IS NOT NULL)`),
			[]any{q.RKA}, orgs.scan)
	}
	queue(sqlRegistrations, []any{q.SubjectIIN}, func(rs rows) error {
		r, err := scanRegistration(rs)
		f.Registrations = append(f.Registrations, r)
		return err
	})
	queue(fmt.Sprintf(organisationsSQL, `o.bin IN (SELECT bin FROM organisation_representatives WHERE iin = $1)`),
		[]any{q.ApplicantIIN}, represented.scan)
	if err := send.SendBatch(ctx, b).Close(); err != nil {
		return residence.Facts{}, postgresDialect.translate(err, "facts", "")
	}
	if q.ApplicantIIN == q.SubjectIIN {
		f.Applicant = f.Subject
	}
	f.OwnerOrganisations, f.ApplicantOrganisations = orgs.out, represented.out
	return f, nil
}

// pgView is the Reader of View on PostgreSQL: the shared reader, plus
// reads that go to PostgreSQL as one pipeline.
type pgView struct {
	reader
	pool *pgxpool.Pool
	// rels are the relations of relIIN read with its addresses, kept for
	// the one Relations call that follows (relsOK).
	relIIN string
	rels   []residence.Relation
	relsOK bool
}

// Facts reads q in one round trip (Check's snapshot). A locking read or a
// signature needs a transaction.
func (v *pgView) Facts(ctx context.Context, q residence.FactsQuery) (residence.Facts, error) {
	if q.Lock || q.Signature != nil {
		return residence.Facts{}, fmt.Errorf("store: facts: a locking read needs a transaction")
	}
	return readFactsBatch(ctx, v.pool, q)
}

// Addresses is reader.Addresses; for a person who may be a child under 14
// it sends the person's relations in the same round trip, since the
// address of a child is derived from the parents' (the Service reads the
// relations next). Whether the person is a child is decided by the
// registry's birth date, read here; the IIN's own birth-date digits are
// only the hint for the prefetch.
func (v *pgView) Addresses(ctx context.Context, iin string) (residence.Addresses, error) {
	if !mayBeChild(iin) {
		return v.reader.Addresses(ctx, iin)
	}
	var c addressCollector
	var rels []residence.Relation
	b := &pgx.Batch{}
	b.Queue(sqlAddresses, iin).Query(eachRow(c.scan))
	b.Queue(sqlRelations, iin).Query(eachRow(func(rs rows) error {
		r, err := scanRelation(rs)
		rels = append(rels, r)
		return err
	}))
	ad, err := c.result(postgresDialect, v.pool.SendBatch(ctx, b).Close())
	if err == nil {
		v.relIIN, v.rels, v.relsOK = iin, rels, true
	}
	return ad, err
}

// Relations answers the relations read with Addresses once, then reads.
func (v *pgView) Relations(ctx context.Context, iin string) ([]residence.Relation, error) {
	if v.relsOK && v.relIIN == iin {
		v.relsOK = false
		return v.rels, nil
	}
	return v.reader.Relations(ctx, iin)
}

// mayBeChild tells from the IIN's birth-date digits whether its holder may
// be under 15 (a margin over 14) today, or the IIN does not say. It decides
// only whether the relations are read in the same round trip: a wrong guess
// (the registry, not the IIN, holds the birth date; the wall clock, not the
// service's) costs one more round trip, never a different answer.
func mayBeChild(s string) bool {
	d, ok := iin.BirthDate(s)
	return !ok || d.After(time.Now().AddDate(-15, 0, 0))
}

// eachRow adapts a row scanner to a batch's query callback.
func eachRow(scan func(rows) error) func(pgx.Rows) error {
	return func(rs pgx.Rows) error {
		for rs.Next() {
			if err := scan(rs); err != nil {
				return err
			}
		}
		return rs.Err()
	}
}
