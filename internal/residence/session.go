package residence

import (
	"context"
	"sync/atomic"
	"time"
)

// Sessions and sign-in challenges.
//
// A signed session token (internal/web) proves who signed in and until when;
// the database says whether the session still stands. Every session has a
// row, written when it starts and marked revoked when its holder signs out,
// so a copied cookie or bearer token stops working at sign-out, and a token
// forged with a leaked secret but never issued is refused too.
//
// An EDS sign-in challenge is redeemed at most once: its id is inserted into
// a table with a unique key in the transaction that creates the session, so
// of two requests racing with one signed challenge only one starts a
// session, on either engine.

// Session is a signed-in session of a citizen or a member of staff.
type Session struct {
	ID        string
	Kind      string // "citizen" or "staff"
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt time.Time // zero while the session stands
	// Challenge is the id of the EDS sign-in challenge redeemed to start
	// the session, "" for other sign-ins; ChallengeExpiresAt is when the
	// challenge would have expired (its row may be deleted after).
	Challenge          string
	ChallengeExpiresAt time.Time
}

var textChallengeReused = Text{
	KK: "Бұл кіру сұрауы бұрын пайдаланылған: жаңасын алып, қайта қол қойыңыз.",
	RU: "Этот запрос входа уже использован: получите новый и подпишите снова.",
	EN: "This sign-in challenge has been used already: get a new one and sign again.",
}

var textSessionEnded = Text{
	KK: "Сеанс аяқталды. Қайта кіріңіз.",
	RU: "Сеанс завершён. Войдите снова.",
	EN: "The session has ended. Please sign in again.",
}

// pruneEvery and pruneBatch pace the removal of expired sessions and
// redeemed challenges: every pruneEvery-th sign-in of a process removes up
// to pruneBatch rows of each that expired over an hour ago, in a
// transaction of its own, so the tables stay bounded by the sign-ins of a
// session's lifetime without a scheduler, and a sign-in never waits on it
// inside its own transaction.
const (
	pruneEvery = 16
	pruneBatch = 500
)

var signIns atomic.Uint64

// StartSession records a new session. When s.Challenge is set, it redeems
// the challenge in the same transaction: a challenge redeemed before makes
// it fail with EChallengeReused and record nothing. A duplicate session id
// is EConflict.
func (s *Service) StartSession(ctx context.Context, sess Session) error {
	if sess.CreatedAt.IsZero() {
		sess.CreatedAt = s.now()
	}
	err := s.store.InTx(ctx, func(tx Tx) error {
		if sess.Challenge != "" {
			if err := tx.UseChallenge(ctx, sess.Challenge, sess.CreatedAt, sess.ChallengeExpiresAt); err != nil {
				if IsCode(err, EConflict) {
					return &Error{Code: EChallengeReused, Field: "challenge", Text: textChallengeReused, Err: err}
				}
				return err
			}
		}
		return tx.CreateSession(ctx, sess)
	})
	if err == nil && signIns.Add(1)%pruneEvery == 0 {
		s.pruneSessions(ctx)
	}
	return err
}

// pruneSessions removes expired session and challenge rows (see
// pruneEvery); a failure is logged, never the sign-in's.
func (s *Service) pruneSessions(ctx context.Context) {
	err := s.store.InTx(ctx, func(tx Tx) error {
		_, err := tx.DeleteExpired(ctx, s.now().Add(-time.Hour), pruneBatch)
		return err
	})
	if err != nil {
		s.log.Warn("prune expired sessions", "error", err.Error())
	}
}

// EndSession revokes the session (sign-out). Ending an unknown or already
// ended session is not an error: sign-out always succeeds.
func (s *Service) EndSession(ctx context.Context, id string) error {
	err := s.store.InTx(ctx, func(tx Tx) error { return tx.RevokeSession(ctx, id, s.now()) })
	if IsCode(err, ENotFound) {
		return nil
	}
	return err
}

// SessionActive returns nil when the session exists, is not revoked and
// has not expired, and EUnauthenticated otherwise. It returns the store's
// error (unavailable) when the database cannot answer.
func (s *Service) SessionActive(ctx context.Context, id string) error {
	var sess Session
	err := s.store.View(ctx, func(r Reader) error {
		var err error
		sess, err = r.SessionByID(ctx, id)
		return err
	})
	if IsCode(err, ENotFound) || err == nil && (!sess.RevokedAt.IsZero() || !s.now().Before(sess.ExpiresAt)) {
		return &Error{Code: EUnauthenticated, Text: textSessionEnded}
	}
	return err
}
