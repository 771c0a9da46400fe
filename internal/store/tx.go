package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"tirkeu/internal/residence"
)

// writer implements the writes of residence.Tx shared by both engines. The
// engines add LockPerson, Enqueue and their own bulk paths.
type writer struct {
	reader
	// appended, when set, records that the transaction appended events, so
	// that the engine wakes the sealer once it commits.
	appended *bool
	// auditKey keys the links AppendSealedEvents writes (chain.go).
	auditKey []byte
}

func (w writer) exec(ctx context.Context, op, ref, sql string, args ...any) (int64, error) {
	n, err := w.q.exec(ctx, sql, args...)
	if err != nil {
		return 0, w.d.translate(err, op, ref)
	}
	return n, nil
}

// deferrer is a querier that can hold writes back and send them together
// (the PostgreSQL transaction in pipeline mode, pgpipe.go): defer reports
// whether it queued the write; its error, translated with op and ref (and
// ErrNotFound when needRow and no row changed), then comes from the next
// read or the commit.
type deferrer interface {
	deferExec(op, ref string, needRow bool, sql string, args []any) bool
}

// write runs a write whose result is only its error: at once, or queued
// when the transaction pipelines its writes. needRow makes "no row
// changed" ErrNotFound.
func (w writer) write(ctx context.Context, op, ref string, needRow bool, sql string, args ...any) error {
	if d, ok := w.q.(deferrer); ok && d.deferExec(op, ref, needRow, sql, args) {
		return nil
	}
	n, err := w.exec(ctx, op, ref, sql, args...)
	if err == nil && needRow && n == 0 {
		err = w.d.translate(errNoRows, op, "")
	}
	return err
}

// CreateApplication inserts a; EConflict on a duplicate ID or idempotency key.
func (w writer) CreateApplication(ctx context.Context, a residence.Application) error {
	decision, err := residence.EncodeDecision(a.Decision)
	if err != nil {
		return fmt.Errorf("store: encode decision: %w", err)
	}
	return w.write(ctx, "insert application", "applicant or subject person, or registration", false, `
		INSERT INTO applications (id, action, kind, applicant_iin, subject_iin, rka, reason, stay_from, stay_until,
			arrived_on, channel, signature, signer_iin, operator_id, status, decision, registration_id,
			idempotency_key, created_at, decided_at, updated_at, idempotency_hash, otp_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`,
		a.ID, string(a.Action), string(a.Kind), a.ApplicantIIN, a.SubjectIIN, a.RKA, a.Reason,
		w.d.date(a.StayFrom), w.d.date(a.StayUntil), w.d.date(a.ArrivedOn), string(a.Channel), string(a.Signature),
		a.SignerIIN, a.OperatorID, string(a.Status), string(decision), nullText(a.RegistrationID), nullText(a.IdempotencyKey),
		w.d.ts(a.CreatedAt), w.d.ts(a.DecidedAt), w.d.ts(a.UpdatedAt), nullBytes(a.IdempotencyHash), nullText(a.OTPID))
}

// UpdateApplication rewrites the mutable fields of a; ErrNotFound when missing.
func (w writer) UpdateApplication(ctx context.Context, a residence.Application) error {
	decision, err := residence.EncodeDecision(a.Decision)
	if err != nil {
		return fmt.Errorf("store: encode decision: %w", err)
	}
	return w.write(ctx, "update application", "registration", true, `
		UPDATE applications SET action = $2, kind = $3, rka = $4, reason = $5, stay_from = $6, stay_until = $7,
			arrived_on = $8, channel = $9, signature = $10, signer_iin = $11, operator_id = $12, status = $13,
			decision = $14, registration_id = $15, decided_at = $16, updated_at = $17
		WHERE id = $1`,
		a.ID, string(a.Action), string(a.Kind), a.RKA, a.Reason, w.d.date(a.StayFrom), w.d.date(a.StayUntil),
		w.d.date(a.ArrivedOn), string(a.Channel), string(a.Signature), a.SignerIIN, a.OperatorID, string(a.Status),
		string(decision), nullText(a.RegistrationID), w.d.ts(a.DecidedAt), w.d.ts(a.UpdatedAt))
}

// CreateConsentTask inserts c; EConflict on a duplicate ID, EInvalid on an
// unknown application or owner.
func (w writer) CreateConsentTask(ctx context.Context, c residence.ConsentTask) error {
	return w.write(ctx, "insert consent task", "application, owner person or owner organisation", false, `
		INSERT INTO consent_tasks (id, application_id, owner_iin, owner_bin, channel, status, code_hash, attempts,
			created_at, expires_at, answered_at, answered_by, kind)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		c.ID, c.ApplicationID, nullText(c.OwnerIIN), nullText(c.OwnerBIN), string(c.Channel), string(c.Status),
		c.CodeHash, c.Attempts, w.d.ts(c.CreatedAt), w.d.ts(c.ExpiresAt), w.d.ts(c.AnsweredAt), c.AnsweredBy,
		string(consentKind(c)))
}

// consentKind is c's kind, or for a task built without one (tests, callers
// older than kinds) the kind its owner implies: a petition when it names an
// organisation, an owner's consent otherwise.
func consentKind(c residence.ConsentTask) residence.ConsentKind {
	return residence.ConsentRequirement{Kind: c.Kind, OwnerBIN: c.OwnerBIN}.KindOf()
}

// UpdateConsentTask rewrites the mutable fields of c; ErrNotFound when missing.
func (w writer) UpdateConsentTask(ctx context.Context, c residence.ConsentTask) error {
	n, err := w.exec(ctx, "update consent task", "", `
		UPDATE consent_tasks SET status = $2, code_hash = $3, attempts = $4, expires_at = $5, answered_at = $6,
			answered_by = $7, channel = $8
		WHERE id = $1`,
		c.ID, string(c.Status), c.CodeHash, c.Attempts, w.d.ts(c.ExpiresAt), w.d.ts(c.AnsweredAt), c.AnsweredBy,
		string(c.Channel))
	if err == nil && n == 0 {
		err = w.d.translate(errNoRows, "update consent task", "")
	}
	return err
}

// CreateRegistration inserts r; EConflict when the person already has an
// active registration of the kind, EInvalid on an unknown person, premises
// or application.
func (w writer) CreateRegistration(ctx context.Context, r residence.Registration) error {
	status := r.Status
	if status == "" {
		status = residence.RegistrationActive
	}
	return w.write(ctx, "insert registration", "person, premises or application", false, `
		INSERT INTO registrations (id, iin, rka, kind, since, until, status, ended_on, end_reason, application_id, imported)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		r.ID, r.IIN, r.RKA, string(r.Kind), w.d.date(r.Since), w.d.date(r.Until), string(status),
		w.d.date(r.EndedOn), nullText(string(r.EndReason)), nullText(r.ApplicationID), r.Imported)
}

// EndRegistration ends an active registration; ErrNotFound when no active
// registration has the id.
func (w writer) EndRegistration(ctx context.Context, id string, on time.Time, reason residence.EndReason) error {
	return w.write(ctx, "end registration", "", true, `
		UPDATE registrations SET status = 'ended', ended_on = $2, end_reason = $3
		WHERE id = $1 AND status = 'active'`, id, w.d.date(on), string(reason))
}

// CreateOTP inserts o.
func (w writer) CreateOTP(ctx context.Context, o residence.OTP) error {
	_, err := w.exec(ctx, "insert otp", "person", `
		INSERT INTO otps (id, iin, purpose, code_hash, attempts, created_at, expires_at, used_at, locked, client)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		o.ID, o.IIN, string(o.Purpose), nonNilBytes(o.CodeHash), o.Attempts, w.d.ts(o.CreatedAt), w.d.ts(o.ExpiresAt),
		w.d.ts(o.UsedAt), o.Locked, o.Client)
	return err
}

// UpdateOTP rewrites the mutable fields of o; ErrNotFound when missing.
func (w writer) UpdateOTP(ctx context.Context, o residence.OTP) error {
	n, err := w.exec(ctx, "update otp", "", `
		UPDATE otps SET attempts = $2, used_at = $3, locked = $4, expires_at = $5 WHERE id = $1`,
		o.ID, o.Attempts, w.d.ts(o.UsedAt), o.Locked, w.d.ts(o.ExpiresAt))
	if err == nil && n == 0 {
		err = w.d.translate(errNoRows, "update otp", "")
	}
	return err
}

// CreateSMS inserts m.
func (w writer) CreateSMS(ctx context.Context, m residence.SMS) error {
	return w.write(ctx, "insert sms", "", false, `
		INSERT INTO sms (id, to_phone, from_phone, text, status, recipient_iin, application_id, provider_id,
			attempts, last_error, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		m.ID, m.To, m.From, m.Text, string(m.Status), m.RecipientIIN, m.ApplicationID, nullText(m.ProviderID),
		m.Attempts, m.LastError, w.d.ts(m.CreatedAt), w.d.ts(orTime(m.UpdatedAt, m.CreatedAt)))
}

// UpdateSMS rewrites the delivery fields of m; ErrNotFound when missing.
func (w writer) UpdateSMS(ctx context.Context, m residence.SMS) error {
	n, err := w.exec(ctx, "update sms", "", `
		UPDATE sms SET status = $2, provider_id = $3, attempts = $4, last_error = $5, updated_at = $6 WHERE id = $1`,
		m.ID, string(m.Status), nullText(m.ProviderID), m.Attempts, m.LastError, w.d.ts(orTime(m.UpdatedAt, m.CreatedAt)))
	if err == nil && n == 0 {
		err = w.d.translate(errNoRows, "update sms", "")
	}
	return err
}

// CancelQueuedSMS fails the application's queued SMS with the reason.
func (w writer) CancelQueuedSMS(ctx context.Context, applicationID, reason string, at time.Time) (int, error) {
	n, err := w.exec(ctx, "cancel sms", "", `
		UPDATE sms SET status = 'failed', last_error = $2, updated_at = $3 WHERE application_id = $1 AND status = 'queued'`,
		applicationID, reason, w.d.ts(at))
	return int(n), err
}

// CreateToken inserts t; EConflict on a duplicate ID or hash.
func (w writer) CreateToken(ctx context.Context, t residence.Token) error {
	_, err := w.exec(ctx, "insert token", "", `
		INSERT INTO tokens (id, name, role, hash, purposes, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		t.ID, t.Name, string(t.Role), nonNilBytes(t.Hash), residence.JoinPurposes(t.Purposes), w.d.ts(t.CreatedAt), w.d.ts(t.RevokedAt))
	return err
}

// eventBatch bounds the rows of one multi-row event insert.
const eventBatch = 500

// The event inserts of PostgreSQL: one statement whatever the number of
// events, the columns passed as arrays and unnested, so that pgx prepares
// it once per connection (a multi-row VALUES list is a new statement, of up
// to 7 000 parameters, for every batch size, and fills the statement cache
// that the lookups' statements live in).
const (
	pgInsertEvents = `INSERT INTO events (type, at, person_iin, actor_iin, actor_role, rka, application_id,
			registration_id, message, data)
		SELECT t, a, p, ai, ar, r, app, reg, m::jsonb, d::jsonb
		FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
			$8::text[], $9::text[], $10::text[]) AS u(t, a, p, ai, ar, r, app, reg, m, d)`
	pgInsertSealedEvents = `INSERT INTO events (id, type, at, person_iin, actor_iin, actor_role, rka, application_id,
			registration_id, message, data, seq, prev_hash, hash) OVERRIDING SYSTEM VALUE
		SELECT i, t, a, p, ai, ar, r, app, reg, m::jsonb, d::jsonb, s, ph, h
		FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[],
			$8::text[], $9::text[], $10::text[], $11::text[], $12::bigint[], $13::text[], $14::text[])
			AS u(i, t, a, p, ai, ar, r, app, reg, m, d, s, ph, h)`
)

// The multi-row inserts of SQLite (which keeps no statement per SQL for
// the writer: each batch is parsed once, whatever its size).
const (
	sqliteInsertEvents = `INSERT INTO events (type, at, person_iin, actor_iin, actor_role, rka, application_id,
			registration_id, message, data) VALUES `
	sqliteInsertSealedEvents = `INSERT INTO events (id, type, at, person_iin, actor_iin, actor_role, rka, application_id,
			registration_id, message, data, seq, prev_hash, hash) VALUES `
)

// eventArrays are the columns of a batch of events, one array per column,
// for PostgreSQL's unnest inserts.
type eventArrays struct {
	id, seq                                          []int64
	typ, person, actor, role, rka, app, reg, prev, h []string
	at                                               []pgtype.Timestamptz
	message, data                                    []pgtype.Text
}

func newEventArrays(n int, sealed bool) *eventArrays {
	a := &eventArrays{typ: make([]string, 0, n), person: make([]string, 0, n), actor: make([]string, 0, n),
		role: make([]string, 0, n), rka: make([]string, 0, n), app: make([]string, 0, n), reg: make([]string, 0, n),
		at: make([]pgtype.Timestamptz, 0, n), message: make([]pgtype.Text, 0, n), data: make([]pgtype.Text, 0, n)}
	if sealed {
		a.id, a.seq, a.prev, a.h = make([]int64, 0, n), make([]int64, 0, n), make([]string, 0, n), make([]string, 0, n)
	}
	return a
}

// add appends the columns of one event.
func (a *eventArrays) add(r *eventRow) {
	a.typ = append(a.typ, r.ce.typ)
	a.at = append(a.at, pgtype.Timestamptz{Time: r.ce.at, Valid: !r.ce.at.IsZero()})
	a.person = append(a.person, r.ce.personIIN)
	a.actor = append(a.actor, r.ce.actorIIN)
	a.role = append(a.role, r.ce.actorRole)
	a.rka = append(a.rka, r.ce.rka)
	a.app = append(a.app, r.ce.applicationID)
	a.reg = append(a.reg, r.ce.registrationID)
	a.message = append(a.message, pgtype.Text{String: r.message, Valid: r.ce.message != nil})
	a.data = append(a.data, pgtype.Text{String: r.data, Valid: r.ce.data != nil})
}

func (a *eventArrays) args() []any {
	return []any{a.typ, a.at, a.person, a.actor, a.role, a.rka, a.app, a.reg, a.message, a.data}
}

func (a *eventArrays) sealedArgs() []any {
	return []any{a.id, a.typ, a.at, a.person, a.actor, a.role, a.rka, a.app, a.reg, a.message, a.data, a.seq, a.prev, a.h}
}

// eventRow is one event as written: the chain's view of its columns and
// its JSON columns as text.
type eventRow struct {
	ce            chainEvent
	message, data string
}

// appendRow appends the event's columns type, at, …, message, data (in
// that order) to args, for SQLite's multi-row inserts.
func (w writer) appendRow(args []any, r *eventRow) []any {
	var message, data any
	if r.ce.message != nil {
		message = r.message
	}
	if r.ce.data != nil {
		data = r.data
	}
	return append(args, r.ce.typ, w.d.ts(r.ce.at), r.ce.personIIN, r.ce.actorIIN, r.ce.actorRole, r.ce.rka,
		r.ce.applicationID, r.ce.registrationID, message, data)
}

// AppendEvents inserts the events unsealed (seq NULL); the database assigns
// their IDs. Writers are not serialised: the sealer orders committed events
// into the chain afterwards (see chain.go).
func (w writer) AppendEvents(ctx context.Context, events ...residence.Event) error {
	if len(events) == 0 {
		return nil
	}
	if w.appended != nil {
		*w.appended = true
	}
	const op = "append events"
	pg := w.d == postgresDialect
	var r eventRow
	for start := 0; start < len(events); start += eventBatch {
		batch := events[start:min(start+eventBatch, len(events))]
		if pg {
			a := newEventArrays(len(batch), false)
			for _, e := range batch {
				if err := eventColumns(e, &r); err != nil {
					return err
				}
				a.add(&r)
			}
			if err := w.write(ctx, op, "", false, pgInsertEvents, a.args()...); err != nil {
				return err
			}
			continue
		}
		sb := make([]byte, 0, len(sqliteInsertEvents)+len(batch)*64)
		sb = append(sb, sqliteInsertEvents...)
		args := make([]any, 0, 10*len(batch))
		for i, e := range batch {
			if i > 0 {
				sb = append(sb, ", "...)
			}
			sb = appendPlaceholders(sb, len(args), 10)
			if err := eventColumns(e, &r); err != nil {
				return err
			}
			args = w.appendRow(args, &r)
		}
		if err := w.write(ctx, op, "", false, string(sb), args...); err != nil {
			return err
		}
	}
	return nil
}

// AppendSealedEvents writes events already sealed into the audit chain
// (chain.go): it reads and holds the head, gives each event the next ID and
// seq and its keyed link, and advances the head, all in this transaction. The
// hash covers the canonical form of the event's JSON as the sealer would
// read it back; the access log, its caller, writes strings only.
func (w writer) AppendSealedEvents(ctx context.Context, events ...residence.Event) error {
	if len(events) == 0 {
		return nil
	}
	const op = "append sealed events"
	var seq int64
	var prev string
	if err := queryOne(ctx, w.q, w.d.sealHead, nil, &seq, &prev); err != nil {
		return w.d.translate(err, op+": read chain head", "")
	}
	headSeq := seq
	l := newLinker(w.auditKey)
	pg := w.d == postgresDialect
	var r eventRow
	for start := 0; start < len(events); start += eventBatch {
		batch := events[start:min(start+eventBatch, len(events))]
		ids, err := all(ctx, w.reader, op, w.d.eventIDs, []any{len(batch)}, func(rs rows) (int64, error) {
			var id int64
			return id, rs.Scan(&id)
		})
		if err != nil {
			return err
		}
		if len(ids) != len(batch) {
			return fmt.Errorf("store: %s: got %d IDs for %d events", op, len(ids), len(batch))
		}
		var a *eventArrays
		var sb []byte
		var args []any
		if pg {
			a = newEventArrays(len(batch), true)
		} else {
			sb = append(make([]byte, 0, len(sqliteInsertSealedEvents)+len(batch)*90), sqliteInsertSealedEvents...)
			args = make([]any, 0, 14*len(batch))
		}
		for i, e := range batch {
			if err := eventColumns(e, &r); err != nil {
				return err
			}
			r.ce.id = ids[i]
			seq++
			h, err := l.link(prev, &r.ce, seq, true)
			if err != nil {
				return fmt.Errorf("store: %s: %w", op, err)
			}
			if pg {
				a.add(&r)
				a.id, a.seq, a.prev, a.h = append(a.id, ids[i]), append(a.seq, seq), append(a.prev, prev), append(a.h, h)
			} else {
				if i > 0 {
					sb = append(sb, ", "...)
				}
				sb = appendPlaceholders(sb, len(args), 14)
				args = append(w.appendRow(append(args, ids[i]), &r), seq, prev, h)
			}
			prev = h
		}
		stmt := pgInsertSealedEvents
		if pg {
			args = a.sealedArgs()
		} else {
			stmt = string(sb)
		}
		if _, err := w.exec(ctx, op, "", stmt, args...); err != nil {
			return err
		}
	}
	headUpdate, headArgs := advance(w.auditKey, headSeq, seq, prev)
	_, err := w.exec(ctx, op, "", headUpdate, headArgs...)
	return err
}

// eventColumns fills r with the event's columns: as the chain hashes them,
// and its JSON columns as text (nil in r.ce for NULL).
func eventColumns(e residence.Event, r *eventRow) error {
	*r = eventRow{ce: chainEvent{typ: e.Type, at: normTime(e.At), personIIN: e.PersonIIN, actorIIN: e.ActorIIN,
		actorRole: e.ActorRole, rka: e.RKA, applicationID: e.ApplicationID, registrationID: e.RegistrationID}}
	if !e.Message.IsZero() {
		b, err := residence.EncodeText(e.Message)
		if err != nil {
			return fmt.Errorf("store: encode event message: %w", err)
		}
		r.message, r.ce.message = string(b), b
	}
	if len(e.Data) > 0 {
		r.data, r.ce.data = string(e.Data), e.Data
	}
	return nil
}

// placeholders writes "($n+1, ..., $n+k)".
func placeholders(sb *strings.Builder, n, k int) {
	var buf [160]byte
	sb.Write(appendPlaceholders(buf[:0], n, k))
}

// appendPlaceholders appends "($n+1, ..., $n+k)" to b.
func appendPlaceholders(b []byte, n, k int) []byte {
	b = append(b, '(')
	for j := 1; j <= k; j++ {
		if j > 1 {
			b = append(b, ", "...)
		}
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(n+j), 10)
	}
	return append(b, ')')
}

func nonNilBytes(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

func orTime(t, fallback time.Time) time.Time {
	if t.IsZero() {
		return fallback
	}
	return t
}

// importedRegistrationID derives a stable ID from the natural key of an
// imported registration, so that re-importing never creates a second row.
func importedRegistrationID(r residence.Registration) string {
	h := sha256.Sum256([]byte(r.IIN + "\x00" + r.RKA + "\x00" + string(r.Kind) + "\x00" + normDate(r.Since).Format(dateFormat)))
	return "imp_" + hex.EncodeToString(h[:12])
}
