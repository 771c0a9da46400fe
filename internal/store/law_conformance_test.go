package store_test

import (
	"reflect"
	"testing"
	"time"

	"tirkeu/internal/residence"
	"tirkeu/internal/store/storetest"
)

// TestExpiryAndDeaths: ExpiredRegistrations finds the active temporary
// registrations whose last day is before a date; EndDeceasedRegistrations
// ends, in one statement, only the registrations of the persons recorded
// as deceased, and ends nothing the second time.
func TestExpiryAndDeaths(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		seed(t, s)
		mustTx(t, s, func(tx residence.Tx) error {
			return tx.UpsertImportedRegistrations(ctx(t), []residence.Registration{
				{IIN: iinTenant, RKA: rkaHotel, Kind: residence.Temporary, Since: date(2026, 1, 1), Until: date(2026, 3, 31), Status: residence.RegistrationActive},
				{IIN: iinOwner, RKA: rkaHotel, Kind: residence.Temporary, Since: date(2026, 1, 1), Until: date(2026, 4, 30), Status: residence.RegistrationActive},
				{IIN: iinRep, RKA: rkaFlat, Kind: residence.Permanent, Since: date(2020, 1, 1), Status: residence.RegistrationActive},
				{IIN: iinRep, RKA: rkaHotel, Kind: residence.Temporary, Since: date(2026, 1, 1), Until: date(2026, 2, 1), Status: residence.RegistrationActive},
			})
		})
		mustView(t, s, func(r residence.Reader) error {
			for _, tt := range []struct {
				day  string
				want int
			}{{"2026-03-31", 1}, {"2026-04-01", 2}, {"2026-05-01", 3}} {
				d, _ := time.Parse(time.DateOnly, tt.day)
				got, err := r.ExpiredRegistrations(ctx(t), d, 10)
				if err != nil || len(got) != tt.want {
					t.Errorf("ExpiredRegistrations(%s) = %d %v, want %d", tt.day, len(got), err, tt.want)
				}
			}
			got, err := r.ExpiredRegistrations(ctx(t), date(2026, 5, 1), 1)
			if err != nil || len(got) != 1 || got[0].IIN != iinRep {
				t.Errorf("oldest first with a limit: %+v %v", got, err)
			}
			return nil
		})
		// iinRep is recorded as deceased in the seed; iinOwner is not.
		var ended []residence.Registration
		mustTx(t, s, func(tx residence.Tx) error {
			var err error
			ended, err = tx.EndDeceasedRegistrations(ctx(t), []string{iinRep, iinOwner, "999999999999"}, date(2026, 3, 2))
			return err
		})
		if len(ended) != 2 {
			t.Fatalf("ended %d registrations, want the deceased person's 2: %+v", len(ended), ended)
		}
		for _, r := range ended {
			if r.IIN != iinRep || r.Status != residence.RegistrationEnded || r.EndReason != residence.EndDeceased || !r.EndedOn.Equal(date(2026, 3, 2)) {
				t.Errorf("ended %+v", r)
			}
		}
		mustTx(t, s, func(tx residence.Tx) error {
			again, err := tx.EndDeceasedRegistrations(ctx(t), []string{iinRep}, date(2026, 3, 3))
			if err != nil || len(again) != 0 {
				t.Errorf("second run ended %d (%v)", len(again), err)
			}
			none, err := tx.EndDeceasedRegistrations(ctx(t), nil, date(2026, 3, 3))
			if err != nil || len(none) != 0 {
				t.Errorf("no persons: %d %v", len(none), err)
			}
			return nil
		})
		mustView(t, s, func(r residence.Reader) error {
			regs, err := r.Registrations(ctx(t), iinOwner)
			if err != nil || len(regs) != 1 || regs[0].Status != residence.RegistrationActive {
				t.Errorf("a living person's registration changed: %+v %v", regs, err)
			}
			return nil
		})
		// Re-importing an ended registration as active does not revive it.
		mustTx(t, s, func(tx residence.Tx) error {
			return tx.UpsertImportedRegistrations(ctx(t), []residence.Registration{
				{IIN: iinRep, RKA: rkaFlat, Kind: residence.Permanent, Since: date(2020, 1, 1), Status: residence.RegistrationActive}})
		})
		mustView(t, s, func(r residence.Reader) error {
			regs, _ := r.Registrations(ctx(t), iinRep)
			for _, g := range regs {
				if g.Status == residence.RegistrationActive {
					t.Errorf("revived %+v", g)
				}
			}
			return nil
		})
	})
}

// TestViolationHistory: the temporary registrations made by application
// with an arrival date, in a period, by subject or premises, with the
// region and the day of registration, and the decision as stored.
func TestViolationHistory(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		seed(t, s)
		mk := func(id, subject, rka string, kind residence.Kind, arrived, since time.Time, v *residence.Violation) {
			a := application(id, subject, subject, rka, kind)
			a.ArrivedOn, a.Status, a.RegistrationID = arrived, residence.StatusRegistered, "reg-"+id
			a.Decision = residence.Decision{Status: residence.StatusRegistered, Violation: v}
			mustTx(t, s, func(tx residence.Tx) error {
				if err := tx.CreateApplication(ctx(t), a); err != nil {
					return err
				}
				r := registration("reg-"+id, subject, rka, id, kind, since)
				r.Status = residence.RegistrationEnded
				r.EndedOn, r.EndReason = since, residence.EndReplaced
				if kind == residence.Temporary {
					r.Until = since.AddDate(0, 6, 0)
				}
				return tx.CreateRegistration(ctx(t), r)
			})
		}
		v := &residence.Violation{Level: residence.ViolationFine, Year: 2026, Resident: residence.ViolationParty{IIN: iinTenant, FineMCI: 7}}
		mk("a1", iinTenant, rkaHotel, residence.Temporary, date(2026, 1, 1), date(2026, 2, 15), v)
		mk("a2", iinOwner, rkaFlat, residence.Temporary, date(2026, 2, 1), date(2026, 2, 5), nil)
		mk("a3", iinTenant, rkaFlat, residence.Temporary, time.Time{}, date(2026, 2, 6), nil)      // no arrival date
		mk("a4", iinOwner, rkaHouse, residence.Permanent, date(2026, 1, 1), date(2026, 2, 7), nil) // permanent
		mustView(t, s, func(r residence.Reader) error {
			for _, tt := range []struct {
				name string
				q    residence.ViolationQuery
				want []string
			}{
				{"everyone in the period", residence.ViolationQuery{From: date(2026, 2, 1), To: date(2026, 3, 1)}, []string{"a2", "a1"}},
				{"the end is exclusive", residence.ViolationQuery{From: date(2026, 2, 1), To: date(2026, 2, 15)}, []string{"a2"}},
				{"by subject", residence.ViolationQuery{From: date(2026, 1, 1), To: date(2026, 3, 1), SubjectIIN: iinTenant}, []string{"a1"}},
				{"by premises", residence.ViolationQuery{From: date(2026, 1, 1), To: date(2026, 3, 1), RKAs: []string{rkaFlat}}, []string{"a2"}},
				{"subject or premises", residence.ViolationQuery{From: date(2026, 1, 1), To: date(2026, 3, 1), SubjectIIN: iinTenant, RKAs: []string{rkaFlat}}, []string{"a2", "a1"}},
				{"limit", residence.ViolationQuery{From: date(2026, 1, 1), To: date(2026, 3, 1), Limit: 1}, []string{"a2"}},
			} {
				got, err := r.ViolationHistory(ctx(t), tt.q)
				if err != nil {
					t.Fatalf("%s: %v", tt.name, err)
				}
				var ids []string
				for _, g := range got {
					ids = append(ids, g.Application.ID)
				}
				if !reflect.DeepEqual(ids, tt.want) {
					t.Errorf("%s: %v, want %v", tt.name, ids, tt.want)
				}
			}
			got, err := r.ViolationHistory(ctx(t), residence.ViolationQuery{From: date(2026, 2, 15), To: date(2026, 2, 16)})
			if err != nil || len(got) != 1 || got[0].Region != "Астана" || !got[0].RegisteredOn.Equal(date(2026, 2, 15)) ||
				got[0].Violation() == nil || got[0].Violation().Resident.FineMCI != 7 || !got[0].Application.ArrivedOn.Equal(date(2026, 1, 1)) {
				t.Errorf("record %+v %v", got, err)
			}
			return nil
		})
	})
}
