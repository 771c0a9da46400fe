package store

import (
	"context"
	"fmt"
	"time"

	"tirkeu/internal/residence"
)

// The writes below decide limits and single use in the database, each in
// one conditional statement (see the contract in residence.Tx). On
// PostgreSQL an UPDATE that matches a row locks it, and a concurrent UPDATE
// of that row waits for the first transaction to end and then evaluates its
// WHERE again on the committed row (READ COMMITTED), so a limit reached by
// the first is seen by the second. SQLite runs one writer at a time.

// TryOTP counts one attempt at an unlocked password with attempts left.
func (w writer) TryOTP(ctx context.Context, id string, max int) (residence.OTP, bool, error) {
	o, err := one(ctx, w.reader, "try otp", `UPDATE otps SET attempts = attempts + 1
		WHERE id = $1 AND attempts < $2 AND NOT locked RETURNING `+otpCols, []any{id, max}, scanOTP)
	if err == nil {
		return o, true, nil
	}
	if !residence.IsCode(err, residence.ENotFound) {
		return o, false, err
	}
	o, err = w.OTP(ctx, id)
	return o, false, err
}

// UseOTP marks an unused, unlocked password used.
func (w writer) UseOTP(ctx context.Context, id string, at time.Time) error {
	n, err := w.exec(ctx, "use otp", "", `UPDATE otps SET used_at = $2
		WHERE id = $1 AND used_at IS NULL AND NOT locked`, id, w.d.ts(at))
	if err != nil || n > 0 {
		return err
	}
	return w.refused(ctx, "use otp", "one-time password used or locked already", func() error {
		_, err := w.OTP(ctx, id)
		return err
	})
}

// LockOTP locks the password.
func (w writer) LockOTP(ctx context.Context, id string) error {
	n, err := w.exec(ctx, "lock otp", "", `UPDATE otps SET locked = true WHERE id = $1`, id)
	if err == nil && n == 0 {
		err = w.d.translate(errNoRows, "lock otp", "")
	}
	return err
}

// TryConsentCode counts one attempt at a pending task's code.
func (w writer) TryConsentCode(ctx context.Context, id string, max int) (residence.ConsentTask, bool, error) {
	c, err := one(ctx, w.reader, "try consent code", `UPDATE consent_tasks SET attempts = attempts + 1
		WHERE id = $1 AND status = 'pending' AND attempts < $2 RETURNING `+consentCols, []any{id, max}, scanConsent)
	if err == nil {
		return c, true, nil
	}
	if !residence.IsCode(err, residence.ENotFound) {
		return c, false, err
	}
	c, err = w.ConsentTask(ctx, id)
	return c, false, err
}

// AnswerConsentTask moves an open (pending or locked) task to status.
func (w writer) AnswerConsentTask(ctx context.Context, id string, status residence.ConsentStatus, at time.Time, by string) error {
	n, err := w.exec(ctx, "answer consent task", "", `UPDATE consent_tasks SET status = $2, answered_at = $3, answered_by = $4
		WHERE id = $1 AND status IN ('pending', 'locked')`, id, string(status), w.d.ts(at), by)
	if err != nil || n > 0 {
		return err
	}
	return w.refused(ctx, "answer consent task", "the consent task is no longer pending", func() error {
		_, err := w.ConsentTask(ctx, id)
		return err
	})
}

// LockApplication reads the application under its row lock.
func (w writer) LockApplication(ctx context.Context, id string) (residence.Application, error) {
	return one(ctx, w.reader, "lock application", `SELECT `+applicationCols+` FROM applications WHERE id = $1`+w.d.forUpdate,
		[]any{id}, scanApplication)
}

// WithdrawApplication moves an application awaiting consent to withdrawn.
func (w writer) WithdrawApplication(ctx context.Context, id string, d residence.Decision, at time.Time) (residence.Application, error) {
	decision, err := residence.EncodeDecision(d)
	if err != nil {
		return residence.Application{}, fmt.Errorf("store: encode decision: %w", err)
	}
	a, err := one(ctx, w.reader, "withdraw application", `UPDATE applications SET status = 'withdrawn', decision = $2,
		decided_at = $3, updated_at = $3 WHERE id = $1 AND status = 'awaiting_consent' RETURNING `+applicationCols,
		[]any{id, string(decision), w.d.ts(at)}, scanApplication)
	if !residence.IsCode(err, residence.ENotFound) {
		return a, err
	}
	return a, w.refused(ctx, "withdraw application", "the application no longer awaits consent", func() error {
		_, err := w.Application(ctx, id)
		return err
	})
}

// UseSignature inserts the signature's digest; EConflict when it is there.
func (w writer) UseSignature(ctx context.Context, u residence.UsedSignature) error {
	_, err := w.exec(ctx, "use signature", "", `INSERT INTO used_signatures (digest, purpose, signer_iin, used_at)
		VALUES ($1, $2, $3, $4)`, nonNilBytes(u.Digest), u.Purpose, u.SignerIIN, w.d.ts(u.UsedAt))
	return err
}

// refused explains a conditional UPDATE that changed no row: ErrNotFound
// when the row is missing (exists says so), EConflict otherwise.
func (w writer) refused(ctx context.Context, op, why string, exists func() error) error {
	if err := exists(); err != nil {
		if residence.IsCode(err, residence.ENotFound) {
			return w.d.translate(errNoRows, op, "")
		}
		return err
	}
	return residence.Errorf(residence.EConflict, "store: %s: %s", op, why)
}

// nullBytes returns nil (SQL NULL) for an empty byte slice.
func nullBytes(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}
