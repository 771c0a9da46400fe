package residence_test

import (
	"context"
	"errors"
	"testing"

	"tirkeu/internal/demo"
	"tirkeu/internal/residence"
	"tirkeu/internal/residence/residencetest"
	"tirkeu/internal/store/storetest"
)

var errRolledBack = errors.New("test: rolled back")

// retryingStore makes InTx behave like a store that retries fn after a
// serialisation failure (retry: a first attempt runs and rolls back), or
// whose commit fails (fail: the only attempt rolls back).
type retryingStore struct {
	residence.Store
	retry, fail bool
}

func (s *retryingStore) InTx(ctx context.Context, fn func(tx residence.Tx) error) error {
	rollback := func(tx residence.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return errRolledBack
	}
	if s.fail {
		return s.Store.InTx(ctx, rollback)
	}
	if s.retry {
		if err := s.Store.InTx(ctx, rollback); !errors.Is(err, errRolledBack) {
			return err
		}
	}
	return s.Store.InTx(ctx, fn)
}

type observerFunc func(residence.Commit)

func (f observerFunc) Committed(c residence.Commit) { f(c) }

// TestObserverSeesCommitsOnly: the Observer hears of what a transaction
// wrote once it committed: once when the store retried it, never when it
// rolled back.
func TestObserverSeesCommitsOnly(t *testing.T) {
	tests := []struct {
		name        string
		retry, fail bool
		want        int // commits told, each with the one queued SMS
	}{
		{name: "committed", want: 1},
		{name: "retried", retry: true, want: 1},
		{name: "rolled back", fail: true, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			base := storetest.Open(t, storetest.SQLite)
			if _, err := demo.Load(ctx, base, today); err != nil {
				t.Fatal(err)
			}
			st := &retryingStore{Store: base, retry: tt.retry, fail: tt.fail}
			svc := residence.NewService(st, residencetest.NewFakeClock(today), residence.DefaultConfig(), nil, nil)
			var got []residence.Commit
			svc.Observe(observerFunc(func(c residence.Commit) { got = append(got, c) }))
			var owner string
			for _, m := range demo.Cast(today) {
				if m.Role == "sole_owner" {
					owner = m.IIN
				}
			}
			_, err := svc.RequestOTP(ctx, owner, residence.OTPLogin)
			if tt.fail != errors.Is(err, errRolledBack) {
				t.Fatalf("RequestOTP: %v", err)
			}
			if len(got) != tt.want {
				t.Fatalf("%d commits told, want %d", len(got), tt.want)
			}
			for _, c := range got {
				if len(c.SMS) != 1 || c.SMS[0].Status != residence.SMSQueued {
					t.Errorf("commit with %d SMS, want one queued", len(c.SMS))
				}
			}
		})
	}
}
