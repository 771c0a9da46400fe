package store_test

import (
	"bytes"
	"crypto/sha256"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tirkeu/internal/residence"
	"tirkeu/internal/store/storetest"
)

// These conformance tests run the atomic limit and single-use writes of
// residence.Tx from many goroutines at once, each in its own transaction,
// on both engines: a limit is never exceeded and a thing is never used
// twice, whatever the interleaving.

const workers = 40

// race runs fn(i) for i in [0, n) at once, each in its own InTx, and
// returns the errors.
func race(t *testing.T, s residence.Store, n int, fn func(tx residence.Tx, i int) error) []error {
	t.Helper()
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = s.InTx(ctx(t), func(tx residence.Tx) error { return fn(tx, i) })
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

func seedApplication(t *testing.T, s residence.Store) residence.Application {
	t.Helper()
	seed(t, s)
	a := application("app-once", iinTenant, iinTenant, rkaFlat, residence.Permanent)
	a.Status = residence.StatusAwaitingConsent
	a.IdempotencyKey, a.IdempotencyHash = "key-1", bytes.Repeat([]byte{7}, 32)
	o := residence.OTP{ID: "otp-once", IIN: iinTenant, Purpose: residence.OTPSign, CodeHash: []byte("h"), CreatedAt: t0, ExpiresAt: t0.Add(5 * time.Minute)}
	mustTx(t, s, func(tx residence.Tx) error {
		if err := tx.CreateOTP(ctx(t), o); err != nil {
			return err
		}
		a.OTPID = o.ID
		if err := tx.CreateApplication(ctx(t), a); err != nil {
			return err
		}
		return tx.CreateConsentTask(ctx(t), residence.ConsentTask{ID: "ct-once", ApplicationID: a.ID, OwnerIIN: iinOwner,
			Channel: residence.ConsentSMS, Status: residence.ConsentPending, CodeHash: []byte("c"), CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)})
	})
	return a
}

func TestApplicationKeepsIdempotencyHashAndOTP(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		a := seedApplication(t, s)
		mustView(t, s, func(r residence.Reader) error {
			got, err := r.ApplicationByIdempotencyKey(ctx(t), iinTenant, "key-1")
			if err != nil || !bytes.Equal(got.IdempotencyHash, a.IdempotencyHash) || got.OTPID != "otp-once" {
				t.Errorf("ApplicationByIdempotencyKey = hash %x otp %q, %v", got.IdempotencyHash, got.OTPID, err)
			}
			return nil
		})
		// Without them (an in-person application) both stay empty.
		b := application("app-plain", iinOwner, iinOwner, rkaFlat, residence.Permanent)
		mustTx(t, s, func(tx residence.Tx) error { return tx.CreateApplication(ctx(t), b) })
		mustTx(t, s, func(tx residence.Tx) error {
			got, err := tx.LockApplication(ctx(t), "app-plain")
			if err != nil || got.IdempotencyHash != nil || got.OTPID != "" || got.ID != "app-plain" {
				t.Errorf("LockApplication = %+v, %v", got, err)
			}
			_, err = tx.LockApplication(ctx(t), "nope")
			wantCode(t, err, residence.ENotFound)
			return nil
		})
	})
}

// TestTryOTPConcurrently: of many concurrent tries at one password, exactly
// max are counted; UseOTP succeeds for exactly one of many.
func TestTryOTPConcurrently(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		seedApplication(t, s)
		const max = 5
		var counted atomic.Int64
		seen := make([]int, workers)
		errs := race(t, s, workers, func(tx residence.Tx, i int) error {
			o, ok, err := tx.TryOTP(ctx(t), "otp-once", max)
			if err != nil {
				return err
			}
			if ok {
				counted.Add(1)
				seen[i] = o.Attempts
			}
			return nil
		})
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if counted.Load() != max {
			t.Fatalf("%d tries counted, want %d", counted.Load(), max)
		}
		// Each counted try saw its own attempt number: 1..max, once each.
		got := map[int]int{}
		for _, n := range seen {
			if n > 0 {
				got[n]++
			}
		}
		for n := 1; n <= max; n++ {
			if got[n] != 1 {
				t.Fatalf("attempt numbers %v, want 1..%d once each", got, max)
			}
		}
		mustTx(t, s, func(tx residence.Tx) error {
			o, ok, err := tx.TryOTP(ctx(t), "otp-once", max)
			if err != nil || ok || o.Attempts != max {
				t.Errorf("TryOTP past the limit = %+v, %v, %v", o, ok, err)
			}
			_, _, err = tx.TryOTP(ctx(t), "nope", max)
			wantCode(t, err, residence.ENotFound)
			return nil
		})

		// Single use.
		o := residence.OTP{ID: "otp-use", IIN: iinTenant, Purpose: residence.OTPLogin, CodeHash: []byte("h"), CreatedAt: t0, ExpiresAt: t0.Add(5 * time.Minute)}
		mustTx(t, s, func(tx residence.Tx) error { return tx.CreateOTP(ctx(t), o) })
		var used atomic.Int64
		errs = race(t, s, workers, func(tx residence.Tx, i int) error {
			err := tx.UseOTP(ctx(t), o.ID, t0.Add(time.Duration(i)*time.Second))
			if err == nil {
				used.Add(1)
			}
			if residence.IsCode(err, residence.EConflict) {
				return nil
			}
			return err
		})
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if used.Load() != 1 {
			t.Fatalf("UseOTP succeeded %d times, want once", used.Load())
		}
		err := s.InTx(ctx(t), func(tx residence.Tx) error { return tx.UseOTP(ctx(t), "nope", t0) })
		wantCode(t, err, residence.ENotFound)

		// A locked password can be neither tried nor used.
		l := o
		l.ID = "otp-locked"
		mustTx(t, s, func(tx residence.Tx) error { return tx.CreateOTP(ctx(t), l) })
		mustTx(t, s, func(tx residence.Tx) error { return tx.LockOTP(ctx(t), l.ID) })
		mustTx(t, s, func(tx residence.Tx) error {
			if got, ok, err := tx.TryOTP(ctx(t), l.ID, max); err != nil || ok || !got.Locked {
				t.Errorf("TryOTP of a locked password = %+v, %v, %v", got, ok, err)
			}
			wantCode(t, tx.UseOTP(ctx(t), l.ID, t0), residence.EConflict)
			wantCode(t, tx.LockOTP(ctx(t), "nope"), residence.ENotFound)
			return nil
		})
	})
}

// TestTryOTPRolledBack: a try in a transaction that rolls back is not
// counted, so InTx retrying fn cannot count one try twice.
func TestTryOTPRolledBack(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		seedApplication(t, s)
		err := s.InTx(ctx(t), func(tx residence.Tx) error {
			if _, _, err := tx.TryOTP(ctx(t), "otp-once", 5); err != nil {
				return err
			}
			return residence.ErrConflict // roll back
		})
		wantCode(t, err, residence.EConflict)
		mustView(t, s, func(r residence.Reader) error {
			if o, err := r.OTP(ctx(t), "otp-once"); err != nil || o.Attempts != 0 {
				t.Errorf("after a rolled-back try: %+v, %v", o, err)
			}
			return nil
		})
	})
}

// TestConsentAnswersConcurrently: tries at a task's code are counted up to
// max and only while it is pending; of many concurrent answers exactly one
// takes effect.
func TestConsentAnswersConcurrently(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		seedApplication(t, s)
		const max = 5
		var counted atomic.Int64
		errs := race(t, s, workers, func(tx residence.Tx, _ int) error {
			_, ok, err := tx.TryConsentCode(ctx(t), "ct-once", max)
			if ok {
				counted.Add(1)
			}
			return err
		})
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if counted.Load() != max {
			t.Fatalf("%d tries counted, want %d", counted.Load(), max)
		}

		// A second task: many concurrent answers, one wins.
		mustTx(t, s, func(tx residence.Tx) error {
			return tx.CreateConsentTask(ctx(t), residence.ConsentTask{ID: "ct-race", ApplicationID: "app-once", OwnerIIN: iinOwner,
				Channel: residence.ConsentSMS, Status: residence.ConsentPending, CodeHash: []byte("c"), CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)})
		})
		var won atomic.Int64
		var winner atomic.Value
		errs = race(t, s, workers, func(tx residence.Tx, i int) error {
			st := residence.ConsentConfirmed
			if i%2 == 1 {
				st = residence.ConsentDeclined
			}
			err := tx.AnswerConsentTask(ctx(t), "ct-race", st, t0.Add(time.Minute), iinOwner)
			if err == nil {
				won.Add(1)
				winner.Store(st)
			}
			if residence.IsCode(err, residence.EConflict) {
				return nil
			}
			return err
		})
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if won.Load() != 1 {
			t.Fatalf("%d answers took effect, want 1", won.Load())
		}
		mustView(t, s, func(r residence.Reader) error {
			c, err := r.ConsentTask(ctx(t), "ct-race")
			if err != nil || c.Status != winner.Load().(residence.ConsentStatus) || c.AnsweredBy != iinOwner || !c.AnsweredAt.Equal(t0.Add(time.Minute)) {
				t.Errorf("answered task = %+v, %v", c, err)
			}
			return nil
		})
		mustTx(t, s, func(tx residence.Tx) error {
			if c, ok, err := tx.TryConsentCode(ctx(t), "ct-race", max); err != nil || ok || c.Attempts != 0 {
				t.Errorf("TryConsentCode of an answered task = %+v, %v, %v", c, ok, err)
			}
			_, _, err := tx.TryConsentCode(ctx(t), "nope", max)
			wantCode(t, err, residence.ENotFound)
			wantCode(t, tx.AnswerConsentTask(ctx(t), "nope", residence.ConsentConfirmed, t0, ""), residence.ENotFound)
			return nil
		})
	})
}

// TestLockApplicationOrders: transactions that read, then write under
// LockApplication, run one after the other: a read-then-increment of a
// counter kept in the application (its reason) loses no update.
func TestLockApplicationOrders(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		seedApplication(t, s)
		const n = 20
		errs := race(t, s, n, func(tx residence.Tx, _ int) error {
			a, err := tx.LockApplication(ctx(t), "app-once")
			if err != nil {
				return err
			}
			a.Reason += "x"
			return tx.UpdateApplication(ctx(t), a)
		})
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		mustView(t, s, func(r residence.Reader) error {
			a, err := r.Application(ctx(t), "app-once")
			if err != nil || len(a.Reason) != n {
				t.Errorf("reason %q after %d locked updates, %v", a.Reason, n, err)
			}
			return nil
		})
	})
}

// TestUseSignatureConcurrently: of many concurrent uses of one signature
// digest exactly one commits; the others get EConflict.
func TestUseSignatureConcurrently(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		d := sha256.Sum256([]byte("one signature"))
		var ok, conflict atomic.Int64
		errs := race(t, s, workers, func(tx residence.Tx, _ int) error {
			return tx.UseSignature(ctx(t), residence.UsedSignature{Digest: d[:], Purpose: residence.SignedApplication, SignerIIN: iinOwner, UsedAt: t0})
		})
		for _, err := range errs {
			switch {
			case err == nil:
				ok.Add(1)
			case residence.IsCode(err, residence.EConflict):
				conflict.Add(1)
			default:
				t.Fatal(err)
			}
		}
		if ok.Load() != 1 || conflict.Load() != workers-1 {
			t.Fatalf("%d uses committed, %d conflicts; want 1 and %d", ok.Load(), conflict.Load(), workers-1)
		}
		// A rolled-back use does not count.
		e := sha256.Sum256([]byte("another"))
		err := s.InTx(ctx(t), func(tx residence.Tx) error {
			if err := tx.UseSignature(ctx(t), residence.UsedSignature{Digest: e[:], Purpose: residence.SignedSession, SignerIIN: iinOwner, UsedAt: t0}); err != nil {
				return err
			}
			return residence.ErrConflict
		})
		wantCode(t, err, residence.EConflict)
		mustTx(t, s, func(tx residence.Tx) error {
			return tx.UseSignature(ctx(t), residence.UsedSignature{Digest: e[:], Purpose: residence.SignedSession, SignerIIN: iinOwner, UsedAt: t0})
		})
		// The digest is 32 bytes; anything else is refused.
		err = s.InTx(ctx(t), func(tx residence.Tx) error {
			return tx.UseSignature(ctx(t), residence.UsedSignature{Digest: []byte("short"), Purpose: residence.SignedSession, UsedAt: t0})
		})
		wantCode(t, err, residence.EInvalid)
	})
}
