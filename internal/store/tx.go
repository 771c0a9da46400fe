package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

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
	for start := 0; start < len(events); start += eventBatch {
		batch := events[start:min(start+eventBatch, len(events))]
		var sb strings.Builder
		sb.WriteString(`INSERT INTO events (type, at, person_iin, actor_iin, actor_role, rka, application_id,
			registration_id, message, data) VALUES `)
		args := make([]any, 0, 10*len(batch))
		for i, e := range batch {
			if i > 0 {
				sb.WriteString(", ")
			}
			placeholders(&sb, len(args), 10)
			cols, _, err := w.eventColumns(e)
			if err != nil {
				return err
			}
			args = append(args, cols...)
		}
		if err := w.write(ctx, "append events", "", false, sb.String(), args...); err != nil {
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
		var sb strings.Builder
		sb.WriteString(`INSERT INTO events (id, type, at, person_iin, actor_iin, actor_role, rka, application_id,
			registration_id, message, data, seq, prev_hash, hash)` + w.d.overriding + ` VALUES `)
		args := make([]any, 0, 14*len(batch))
		for i, e := range batch {
			if i > 0 {
				sb.WriteString(", ")
			}
			placeholders(&sb, len(args), 14)
			cols, ce, err := w.eventColumns(e)
			if err != nil {
				return err
			}
			ce.id = ids[i]
			seq++
			h, err := l.link(prev, &ce, seq, true)
			if err != nil {
				return fmt.Errorf("store: %s: %w", op, err)
			}
			args = append(append(append(args, ids[i]), cols...), seq, prev, h)
			prev = h
		}
		if _, err := w.exec(ctx, op, "", sb.String(), args...); err != nil {
			return err
		}
	}
	headUpdate, headArgs := advance(w.auditKey, headSeq, seq, prev)
	_, err := w.exec(ctx, op, "", headUpdate, headArgs...)
	return err
}

// eventColumns returns the values of the event's columns type, at, …,
// message, data (in that order), and the event as the chain hashes it.
func (w writer) eventColumns(e residence.Event) ([]any, chainEvent, error) {
	ce := chainEvent{typ: e.Type, at: normTime(e.At), personIIN: e.PersonIIN, actorIIN: e.ActorIIN,
		actorRole: e.ActorRole, rka: e.RKA, applicationID: e.ApplicationID, registrationID: e.RegistrationID}
	var message, data any
	if !e.Message.IsZero() {
		b, err := residence.EncodeText(e.Message)
		if err != nil {
			return nil, ce, fmt.Errorf("store: encode event message: %w", err)
		}
		message, ce.message = string(b), b
	}
	if len(e.Data) > 0 {
		data, ce.data = string(e.Data), e.Data
	}
	return []any{e.Type, w.d.ts(e.At), e.PersonIIN, e.ActorIIN, e.ActorRole, e.RKA, e.ApplicationID,
		e.RegistrationID, message, data}, ce, nil
}

// placeholders writes "($n+1, ..., $n+k)".
func placeholders(sb *strings.Builder, n, k int) {
	sb.WriteByte('(')
	for j := 1; j <= k; j++ {
		if j > 1 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(sb, "$%d", n+j)
	}
	sb.WriteByte(')')
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
