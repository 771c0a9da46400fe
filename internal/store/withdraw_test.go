package store_test

import (
	"sync"
	"testing"
	"time"

	"tirkeu/internal/residence"
	"tirkeu/internal/store/storetest"
)

// TestWithdrawApplication: an application awaiting consent is withdrawn by
// one conditional UPDATE; once it is decided (withdrawn, or completed by a
// consent holding its lock meanwhile) the withdrawal is a conflict.
func TestWithdrawApplication(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		seedApplication(t, s)
		dec := residence.WithdrawnDecision()
		t1 := t0.Add(time.Minute)
		mustTx(t, s, func(tx residence.Tx) error {
			a, err := tx.WithdrawApplication(ctx(t), "app-once", dec, t1)
			if err != nil || a.Status != residence.StatusWithdrawn || a.Decision.Status != residence.StatusWithdrawn ||
				!a.DecidedAt.Equal(t1) || !a.UpdatedAt.Equal(t1) || a.ApplicantIIN != iinTenant {
				t.Errorf("WithdrawApplication = %+v, %v", a, err)
			}
			// Not t.Fatal inside the transaction: it would stop the test
			// goroutine holding the writer.
			if _, err = tx.WithdrawApplication(ctx(t), "app-once", dec, t1); !residence.IsCode(err, residence.EConflict) {
				t.Errorf("withdrawn twice: %v, want conflict", err)
			}
			if _, err = tx.WithdrawApplication(ctx(t), "nope", dec, t1); !residence.IsCode(err, residence.ENotFound) {
				t.Errorf("unknown application: %v, want not_found", err)
			}
			return nil
		})

		// A consent completes the application under its lock while the
		// withdrawal waits: the withdrawal then finds it registered.
		b := application("app-race", iinOwner, iinOwner, rkaFlat, residence.Permanent)
		b.Status = residence.StatusAwaitingConsent
		mustTx(t, s, func(tx residence.Tx) error { return tx.CreateApplication(ctx(t), b) })
		locked := make(chan struct{})
		var once sync.Once
		done := make(chan error, 1)
		go func() {
			done <- s.InTx(ctx(t), func(tx residence.Tx) error {
				a, err := tx.LockApplication(ctx(t), "app-race")
				if err != nil {
					return err
				}
				once.Do(func() { close(locked) })
				// Give the withdrawal time to reach its UPDATE and wait on
				// the lock (whether it does or not, it must see this commit).
				time.Sleep(100 * time.Millisecond)
				a.Status = residence.StatusRegistered
				return tx.UpdateApplication(ctx(t), a)
			})
		}()
		<-locked
		err := s.InTx(ctx(t), func(tx residence.Tx) error {
			_, err := tx.WithdrawApplication(ctx(t), "app-race", dec, t1)
			return err
		})
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		wantCode(t, err, residence.EConflict)
		mustView(t, s, func(r residence.Reader) error {
			a, err := r.Application(ctx(t), "app-race")
			if err != nil || a.Status != residence.StatusRegistered {
				t.Errorf("after the race: %s, %v; want registered", a.Status, err)
			}
			return nil
		})
	})
}

// TestApplicationsByReference: an application is found by the last ten hex
// digits of its id (what its reference stands for), through the index.
func TestApplicationsByReference(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		seed(t, s)
		ids := []string{"0190a0b0-c0d0-7000-8000-00000000abcd", "0190a0b1-c0d0-7000-8000-00000000abcd", "0190a0b2-c0d0-7000-8000-0000000000ff"}
		mustTx(t, s, func(tx residence.Tx) error {
			for i, id := range ids {
				a := application(id, iinOwner, iinOwner, rkaFlat, residence.Permanent)
				a.CreatedAt = t0.Add(time.Duration(i) * time.Minute)
				if err := tx.CreateApplication(ctx(t), a); err != nil {
					return err
				}
			}
			return nil
		})
		suffix, ok := residence.ReferenceSuffix(residence.Reference(ids[0]))
		if !ok || suffix != "000000abcd" {
			t.Fatalf("ReferenceSuffix = %q, %v", suffix, ok)
		}
		mustView(t, s, func(r residence.Reader) error {
			got, err := r.ApplicationsByReference(ctx(t), suffix, 10)
			if err != nil || len(got) != 2 || got[0].ID != ids[1] || got[1].ID != ids[0] {
				t.Errorf("ApplicationsByReference = %v, %v; want the two sharing it, newest first", got, err)
			}
			got, err = r.ApplicationsByReference(ctx(t), "ffffffffff", 10)
			if err != nil || len(got) != 0 {
				t.Errorf("unknown reference: %v, %v", got, err)
			}
			return nil
		})
	})
}

// TestCancelQueuedSMS: the application's queued SMS are failed with the
// reason; one already sent, and another application's, are left alone.
func TestCancelQueuedSMS(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		seedApplication(t, s)
		msgs := []residence.SMS{
			{ID: "sms-queued", To: "77010000001", From: "1414", Text: "a", Status: residence.SMSQueued, ApplicationID: "app-once", CreatedAt: t0},
			{ID: "sms-sent", To: "77010000001", From: "1414", Text: "b", Status: residence.SMSSent, ApplicationID: "app-once", CreatedAt: t0},
			{ID: "sms-other", To: "77010000001", From: "1414", Text: "c", Status: residence.SMSQueued, CreatedAt: t0},
		}
		mustTx(t, s, func(tx residence.Tx) error {
			for _, m := range msgs {
				if err := tx.CreateSMS(ctx(t), m); err != nil {
					return err
				}
			}
			n, err := tx.CancelQueuedSMS(ctx(t), "app-once", "cancelled: withdrawn", t0.Add(time.Minute))
			if err != nil || n != 1 {
				t.Errorf("CancelQueuedSMS = %d, %v; want 1", n, err)
			}
			return nil
		})
		want := map[string]residence.SMSStatus{"sms-queued": residence.SMSFailed, "sms-sent": residence.SMSSent, "sms-other": residence.SMSQueued}
		mustView(t, s, func(r residence.Reader) error {
			for id, st := range want {
				m, err := r.SMS(ctx(t), id)
				if err != nil || m.Status != st {
					t.Errorf("%s: %s, %v; want %s", id, m.Status, err, st)
				}
				if id == "sms-queued" && m.LastError != "cancelled: withdrawn" {
					t.Errorf("%s: last error %q", id, m.LastError)
				}
			}
			return nil
		})
	})
}
