package store_test

import (
	"context"
	"strings"
	"testing"

	"tirkeu/internal/residence"
)

// TestLazyTx: on PostgreSQL a transaction's BEGIN travels with its first
// batch and, when every queued write reports its own failure, its COMMIT
// with its last; whatever fails, nothing of the transaction commits and the
// store's only connection serves the next transaction.
func TestLazyTx(t *testing.T) {
	st, rt := openCounted(t)
	seed(t, st)
	c := t.Context()
	pipelined := func(fn func(tx residence.Tx) error) func(tx residence.Tx) error {
		return func(tx residence.Tx) error {
			tx.(residence.Pipeliner).Pipeline()
			return fn(tx)
		}
	}
	exists := func(id string) bool {
		t.Helper()
		var err error
		mustView(t, st, func(r residence.Reader) error {
			_, err = r.Application(c, id)
			return nil
		})
		if err != nil && !residence.IsCode(err, residence.ENotFound) {
			t.Fatal(err)
		}
		return err == nil
	}
	// next proves the connection came back out of any transaction: a new
	// transaction commits on it, and is seen by the next read.
	n := 0
	next := func() {
		t.Helper()
		n++
		id := "lazy-next-" + strings.Repeat("x", n)
		mustTx(t, st, func(tx residence.Tx) error {
			return tx.CreateApplication(c, application(id, iinOwner, iinOwner, rkaFlat, residence.Permanent))
		})
		if !exists(id) {
			t.Fatalf("%s did not commit", id)
		}
	}

	t.Run("writes only: one round trip", func(t *testing.T) {
		write := func(id string) error {
			return st.InTx(c, pipelined(func(tx residence.Tx) error {
				if err := tx.CreateApplication(c, application(id, iinOwner, iinOwner, rkaFlat, residence.Permanent)); err != nil {
					return err
				}
				return tx.CreateRegistration(c, registration("reg-"+id, iinOwner, rkaFlat, id, residence.Temporary, day0))
			}))
		}
		if err := write("lazy-0"); err != nil { // prepares the statements
			t.Fatal(err)
		}
		mustTx(t, st, func(tx residence.Tx) error { return tx.EndRegistration(c, "reg-lazy-0", day0, residence.EndExpired) })
		rt.start()
		err := write("lazy-1")
		got, sql := rt.stop()
		if err != nil {
			t.Fatal(err)
		}
		if got != 1 {
			t.Errorf("%d round trips, want 1 (BEGIN, the writes and COMMIT in one batch):\n%s", got, strings.Join(sql, "\n"))
		}
		if !exists("lazy-1") {
			t.Fatal("not committed")
		}
	})
	t.Run("nothing sent: no round trip", func(t *testing.T) {
		rt.start()
		err := st.InTx(c, func(residence.Tx) error { return nil })
		if got, _ := rt.stop(); err != nil || got != 0 {
			t.Fatalf("%d round trips, %v", got, err)
		}
	})
	t.Run("a write fails in the folded batch", func(t *testing.T) {
		err := st.InTx(c, pipelined(func(tx residence.Tx) error {
			if err := tx.CreateApplication(c, application("lazy-2", iinOwner, iinOwner, rkaFlat, residence.Permanent)); err != nil {
				return err
			}
			// No such person: a foreign-key violation after the first write.
			return tx.CreateRegistration(c, registration("lazy-reg-2", "000000000000", rkaFlat, "lazy-2", residence.Temporary, day0))
		}))
		if err == nil || residence.IsCode(err, residence.EInternal) {
			t.Fatalf("error %v, want the violation translated", err)
		}
		if exists("lazy-2") {
			t.Fatal("the first write of a failed transaction committed")
		}
		next()
	})
	t.Run("a unique violation in the folded batch", func(t *testing.T) {
		err := st.InTx(c, pipelined(func(tx residence.Tx) error {
			if err := tx.CreateApplication(c, application("lazy-3", iinOwner, iinOwner, rkaFlat, residence.Permanent)); err != nil {
				return err
			}
			return tx.CreateApplication(c, application("lazy-3", iinOwner, iinOwner, rkaFlat, residence.Permanent))
		}))
		wantCode(t, err, residence.EConflict)
		if exists("lazy-3") {
			t.Fatal("a failed transaction committed")
		}
		next()
	})
	t.Run("a write that must find a row is judged before COMMIT", func(t *testing.T) {
		// "No row changed" is the client's judgement: COMMIT cannot travel
		// with such a write, or the transaction would commit before the
		// client sees that the registration was not there.
		err := st.InTx(c, pipelined(func(tx residence.Tx) error {
			if err := tx.CreateApplication(c, application("lazy-4", iinOwner, iinOwner, rkaFlat, residence.Permanent)); err != nil {
				return err
			}
			return tx.EndRegistration(c, "no-such-registration", day0, residence.EndExpired)
		}))
		wantCode(t, err, residence.ENotFound)
		if exists("lazy-4") {
			t.Fatal("the transaction committed though a write found no row")
		}
		next()
	})
	t.Run("the first batch fails after BEGIN", func(t *testing.T) {
		err := st.InTx(c, func(tx residence.Tx) error {
			if err := tx.CreateApplication(c, application("lazy-5", iinOwner, iinOwner, rkaFlat, residence.Permanent)); err != nil {
				return err
			}
			// A NUL byte is refused by the server in the middle of the facts' pipeline.
			_, err := tx.(residence.FactsReader).Facts(c, residence.FactsQuery{Lock: true, SubjectIIN: "80010130\x000001", ApplicantIIN: iinOwner, RKA: rkaFlat})
			return err
		})
		if err == nil {
			t.Fatal("no error")
		}
		if exists("lazy-5") {
			t.Fatal("a failed transaction committed")
		}
		next()
	})
	t.Run("the facts' pipeline is the first batch and fails", func(t *testing.T) {
		err := st.InTx(c, func(tx residence.Tx) error {
			_, err := tx.(residence.FactsReader).Facts(c, residence.FactsQuery{Lock: true, SubjectIIN: "80010130\x000001", ApplicantIIN: iinOwner, RKA: rkaFlat})
			if err == nil {
				t.Error("the facts read no error")
			}
			return err
		})
		if err == nil {
			t.Fatal("no error")
		}
		next()
	})
	t.Run("the context ends in the middle", func(t *testing.T) {
		cc, cancel := context.WithCancel(c)
		err := st.InTx(cc, pipelined(func(tx residence.Tx) error {
			if _, err := tx.(residence.FactsReader).Facts(cc, residence.FactsQuery{Lock: true, SubjectIIN: iinOwner, ApplicantIIN: iinOwner, RKA: rkaFlat}); err != nil {
				return err
			}
			if err := tx.CreateApplication(cc, application("lazy-6", iinOwner, iinOwner, rkaFlat, residence.Permanent)); err != nil {
				return err
			}
			cancel()
			return nil
		}))
		if err == nil {
			t.Fatal("committed with its context cancelled")
		}
		if exists("lazy-6") {
			t.Fatal("a cancelled transaction committed")
		}
		next()
	})
	t.Run("a panic rolls back", func(t *testing.T) {
		func() {
			defer func() { _ = recover() }()
			_ = st.InTx(c, func(tx residence.Tx) error {
				if _, err := tx.(residence.FactsReader).Facts(c, residence.FactsQuery{Lock: true, SubjectIIN: iinOwner, ApplicantIIN: iinOwner, RKA: rkaFlat}); err != nil {
					return err
				}
				if err := tx.CreateApplication(c, application("lazy-7", iinOwner, iinOwner, rkaFlat, residence.Permanent)); err != nil {
					return err
				}
				panic("boom")
			})
		}()
		if exists("lazy-7") {
			t.Fatal("a transaction that panicked committed")
		}
		next()
	})
}
