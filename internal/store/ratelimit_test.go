package store_test

import (
	"fmt"
	"testing"
	"time"

	"tirkeu/internal/residence"
	"tirkeu/internal/store/storetest"
)

// TestCountSMSSince counts a phone's messages from a point in time on, on
// both engines, inside and outside a transaction.
func TestCountSMSSince(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		const phone, other = "77010000099", "77010000098"
		for i := range 4 {
			to := phone
			if i == 3 {
				to = other
			}
			m := residence.SMS{ID: fmt.Sprintf("rl-sms-%d", i), To: to, From: residence.ShortNumber, Text: "x", Status: residence.SMSQueued,
				CreatedAt: t0.Add(time.Duration(i) * time.Minute), UpdatedAt: t0}
			mustTx(t, s, func(tx residence.Tx) error { return tx.CreateSMS(ctx(t), m) })
		}
		mustView(t, s, func(r residence.Reader) error {
			for _, tt := range []struct {
				phone string
				since time.Time
				want  int
			}{
				{phone, t0.Add(-time.Hour), 3},
				{phone, t0, 3}, // inclusive
				{phone, t0.Add(time.Second), 2},
				{phone, t0.Add(time.Hour), 0},
				{other, t0, 1},
				{"77010000000", t0.Add(-time.Hour), 0},
			} {
				if n, err := r.CountSMSSince(ctx(t), tt.phone, tt.since); err != nil || n != tt.want {
					t.Errorf("CountSMSSince(%s, %v) = %d, %v; want %d", tt.phone, tt.since, n, err, tt.want)
				}
			}
			return nil
		})
		// A transaction sees its own messages.
		mustTx(t, s, func(tx residence.Tx) error {
			m := residence.SMS{ID: "rl-sms-tx", To: phone, From: residence.ShortNumber, Text: "x", Status: residence.SMSQueued,
				CreatedAt: t0.Add(10 * time.Minute), UpdatedAt: t0}
			if err := tx.CreateSMS(ctx(t), m); err != nil {
				return err
			}
			if n, err := tx.CountSMSSince(ctx(t), phone, t0); err != nil || n != 4 {
				t.Errorf("in tx: CountSMSSince = %d, %v; want 4", n, err)
			}
			return nil
		})
	})
}

// TestCountConsentSMSSince counts a phone's messages of applications (not
// one-time passwords), all and those of one applicant, on both engines.
func TestCountConsentSMSSince(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		seed(t, s)
		mustTx(t, s, func(tx residence.Tx) error {
			if err := tx.CreateApplication(ctx(t), application("cs-app-1", iinTenant, iinTenant, rkaFlat, residence.Permanent)); err != nil {
				return err
			}
			return tx.CreateApplication(ctx(t), application("cs-app-2", iinOwner, iinOwner, rkaFlat, residence.Permanent))
		})
		const phone = "77010000097"
		for i, app := range []string{"", "", "cs-app-1", "cs-app-1", "cs-app-2", "unknown-app"} {
			m := residence.SMS{ID: fmt.Sprintf("cs-sms-%d", i), To: phone, From: residence.ShortNumber, Text: "x", Status: residence.SMSQueued,
				ApplicationID: app, CreatedAt: t0.Add(time.Duration(i) * time.Minute), UpdatedAt: t0}
			mustTx(t, s, func(tx residence.Tx) error { return tx.CreateSMS(ctx(t), m) })
		}
		mustView(t, s, func(r residence.Reader) error {
			for _, tt := range []struct {
				applicant   string
				since       time.Time
				total, mine int
			}{
				{iinTenant, t0, 4, 2},
				{iinOwner, t0, 4, 1},
				{iinTenant, t0.Add(3 * time.Minute), 3, 1},
				{"nobody", t0, 4, 0},
				{iinTenant, t0.Add(time.Hour), 0, 0},
			} {
				total, mine, err := r.CountConsentSMSSince(ctx(t), phone, tt.applicant, tt.since)
				if err != nil || total != tt.total || mine != tt.mine {
					t.Errorf("CountConsentSMSSince(%s, %s) = %d, %d, %v; want %d, %d", tt.applicant, tt.since, total, mine, err, tt.total, tt.mine)
				}
			}
			return nil
		})
	})
}
