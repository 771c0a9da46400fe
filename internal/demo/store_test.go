package demo

import (
	"context"
	"testing"
	"time"

	"tirkeu/internal/residence"
	"tirkeu/internal/store/storetest"
)

func TestLoadIntoStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st residence.Store) {
		ctx := context.Background()
		today := time.Date(2029, 8, 20, 0, 0, 0, 0, time.UTC)
		sum, err := Load(ctx, st, today)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Bad != 0 {
			t.Fatalf("summary %+v", sum)
		}
		if _, err := Load(ctx, st, today); err != nil {
			t.Fatalf("second load: %v", err)
		}
		err = st.View(ctx, func(r residence.Reader) error {
			for _, c := range Cast(today) {
				p, err := r.Person(ctx, c.IIN)
				if err != nil {
					return err
				}
				if a := residence.AgeOn(p.BirthDate, today); a != c.Age {
					t.Errorf("%s: age %d, cast says %d", c.Role, a, c.Age)
				}
				if _, err := r.Premises(ctx, c.RKA); err != nil {
					return err
				}
			}
			for role, want := range map[string]int{"child_13": 13, "child_15": 15} {
				p, err := r.Person(ctx, castIIN[role])
				if err != nil {
					return err
				}
				if a := residence.AgeOn(p.BirthDate, today); a != want {
					t.Errorf("%s is %d", role, a)
				}
			}
			owners, err := r.Owners(ctx, castRKA["coowned_flat"])
			if err != nil {
				return err
			}
			if len(owners) != 2 {
				t.Errorf("co-owners %+v", owners)
			}
			regs, err := r.Registrations(ctx, castIIN["sole_owner"])
			if err != nil {
				return err
			}
			if len(regs) != 1 || regs[0].Status != residence.RegistrationActive || regs[0].RKA != castRKA["ahmetov_house"] {
				t.Errorf("sole owner registrations %+v", regs)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
