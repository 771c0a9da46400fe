package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tirkeu/internal/residence"
	"tirkeu/internal/store/storetest"
)

// TestSessions stores, reads and revokes a session on both engines.
func TestSessions(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		sess := residence.Session{ID: "sess-1", Kind: "citizen", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		mustTx(t, s, func(tx residence.Tx) error { return tx.CreateSession(ctx(t), sess) })
		if err := s.InTx(ctx(t), func(tx residence.Tx) error { return tx.CreateSession(ctx(t), sess) }); !residence.IsCode(err, residence.EConflict) {
			t.Errorf("duplicate session: %v, want conflict", err)
		}
		mustView(t, s, func(r residence.Reader) error {
			got, err := r.SessionByID(ctx(t), "sess-1")
			if err != nil || got.Kind != "citizen" || !got.ExpiresAt.Equal(sess.ExpiresAt) || !got.RevokedAt.IsZero() {
				t.Errorf("SessionByID = %+v, %v", got, err)
			}
			if _, err := r.SessionByID(ctx(t), "nope"); !residence.IsCode(err, residence.ENotFound) {
				t.Errorf("unknown session: %v, want not_found", err)
			}
			return nil
		})
		for i, at := range []time.Time{t0.Add(time.Minute), t0.Add(2 * time.Minute)} {
			mustTx(t, s, func(tx residence.Tx) error { return tx.RevokeSession(ctx(t), "sess-1", at) })
			mustView(t, s, func(r residence.Reader) error {
				got, err := r.SessionByID(ctx(t), "sess-1")
				if err != nil || !got.RevokedAt.Equal(t0.Add(time.Minute)) {
					t.Errorf("after revoke %d: %+v, %v; want the first revocation time kept", i, got, err)
				}
				return nil
			})
		}
		if err := s.InTx(ctx(t), func(tx residence.Tx) error { return tx.RevokeSession(ctx(t), "nope", t0) }); !residence.IsCode(err, residence.ENotFound) {
			t.Errorf("revoke unknown: %v, want not_found", err)
		}
	})
}

// TestUseChallengeOnce redeems one challenge from many goroutines at once:
// exactly one succeeds, every other gets EConflict.
func TestUseChallengeOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		const n = 16
		var ok, conflict atomic.Int32
		var wg sync.WaitGroup
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := s.InTx(context.Background(), func(tx residence.Tx) error {
					return tx.UseChallenge(context.Background(), "ch-1", t0, t0.Add(5*time.Minute))
				})
				switch {
				case err == nil:
					ok.Add(1)
				case residence.IsCode(err, residence.EConflict):
					conflict.Add(1)
				default:
					t.Errorf("UseChallenge: %v", err)
				}
			}()
		}
		wg.Wait()
		if ok.Load() != 1 || conflict.Load() != n-1 {
			t.Errorf("ok %d, conflict %d; want 1 and %d", ok.Load(), conflict.Load(), n-1)
		}
	})
}

// TestDeleteExpired removes expired sessions and challenges only, at most
// limit of each per call.
func TestDeleteExpired(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		mustTx(t, s, func(tx residence.Tx) error {
			for i, exp := range []time.Duration{-3 * time.Hour, -2 * time.Hour, -time.Minute, time.Hour} {
				id := string(rune('a' + i))
				if err := tx.CreateSession(ctx(t), residence.Session{ID: "s" + id, Kind: "staff", CreatedAt: t0.Add(-4 * time.Hour), ExpiresAt: t0.Add(exp)}); err != nil {
					return err
				}
				if err := tx.UseChallenge(ctx(t), "c"+id, t0.Add(-4*time.Hour), t0.Add(exp)); err != nil {
					return err
				}
			}
			return nil
		})
		var n1, n2 int
		mustTx(t, s, func(tx residence.Tx) (err error) { n1, err = tx.DeleteExpired(ctx(t), t0, 2); return })
		mustTx(t, s, func(tx residence.Tx) (err error) { n2, err = tx.DeleteExpired(ctx(t), t0, 2); return })
		if n1 != 4 || n2 != 2 {
			t.Errorf("deleted %d then %d, want 4 (2 of each) then 2", n1, n2)
		}
		mustView(t, s, func(r residence.Reader) error {
			for _, id := range []string{"sa", "sb", "sc"} {
				if _, err := r.SessionByID(ctx(t), id); !residence.IsCode(err, residence.ENotFound) {
					t.Errorf("expired session %s kept: %v", id, err)
				}
			}
			if _, err := r.SessionByID(ctx(t), "sd"); err != nil {
				t.Errorf("standing session deleted: %v", err)
			}
			return nil
		})
		// The standing challenge is still redeemed; the pruned ones could be
		// inserted again (they have expired, so no signature can use them).
		if err := s.InTx(ctx(t), func(tx residence.Tx) error { return tx.UseChallenge(ctx(t), "cd", t0, t0) }); !residence.IsCode(err, residence.EConflict) {
			t.Errorf("standing challenge: %v, want conflict", err)
		}
	})
}
