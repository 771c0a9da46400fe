package store_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"tirkeu/internal/residence"
	"tirkeu/internal/residence/residencetest"
	"tirkeu/internal/store/storetest"
)

// TestSubmitViewIsTheViewAfterCommit: the submitter's answer, which
// SubmitView builds in the submission's transaction, is exactly what
// SubmittedView reads once the submission committed — registered at once,
// and awaiting a co-owner's consent — on both engines.
func TestSubmitViewIsTheViewAfterCommit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st residence.Store) {
		c := t.Context()
		sole, co1, co2 := validIIN(t, "8501013011"), validIIN(t, "8501013012"), validIIN(t, "8501013013")
		mustTx(t, st, func(tx residence.Tx) error {
			var ps []residence.Person
			for i, who := range []string{sole, co1, co2} {
				ps = append(ps, residence.Person{IIN: who, LastName: "Сәрсенов", FirstName: "Ерлан", BirthDate: date(1985, 1, 1),
					Citizenship: "KZ", Capacity: residence.CapacityFull, Phone: fmt.Sprintf("7701000001%d", i)})
			}
			if err := tx.UpsertPersons(c, ps); err != nil {
				return err
			}
			if err := tx.UpsertPremises(c, []residence.Premises{
				{RKA: "RKA-V-1", Region: "Астана", Locality: "Астана", Street: "Абай", Building: "1", Kind: residence.PremisesApartment},
				{RKA: "RKA-V-2", Region: "Астана", Locality: "Астана", Street: "Абай", Building: "2", Kind: residence.PremisesApartment},
			}); err != nil {
				return err
			}
			return tx.UpsertOwnerships(c, []residence.Ownership{{RKA: "RKA-V-1", OwnerIIN: sole, Share: 1},
				{RKA: "RKA-V-2", OwnerIIN: co1, Share: 0.5}, {RKA: "RKA-V-2", OwnerIIN: co2, Share: 0.5}})
		})
		// A clock with nanoseconds: the stores keep microseconds.
		clock := residencetest.NewFakeClock(time.Date(2026, 3, 2, 6, 0, 0, 123456789, time.UTC))
		svc := residence.NewService(st, clock, residence.DefaultConfig(), sigVerifier{clock: clock}, nil)
		for _, c0 := range []struct {
			name, who, rka string
			kind           residence.Kind
			status         residence.ApplicationStatus
		}{
			{"registered at once", sole, "RKA-V-1", residence.Temporary, residence.StatusRegistered},
			{"awaiting consent", co1, "RKA-V-2", residence.Permanent, residence.StatusAwaitingConsent},
		} {
			t.Run(c0.name, func(t *testing.T) {
				today := residence.DateOf(clock.Now())
				in := residence.SubmitInput{Kind: c0.kind, ApplicantIIN: c0.who, RKA: c0.rka,
					EDS: &residence.EDS{CMS: []byte(c0.who + " signs " + c0.name), Content: []byte("application")}}
				if c0.kind == residence.Temporary {
					in.StayFrom, in.StayUntil = today, today.AddDate(0, 3, 0)
				}
				v, created, err := svc.SubmitView(c, residence.Actor{}, in)
				if err != nil || !created || v.Application.Status != c0.status {
					t.Fatalf("submit: %s created %v: %v", v.Application.Status, created, err)
				}
				after, err := svc.SubmittedView(c, residence.Actor{}, v.Application.ID)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(v, after) {
					t.Errorf("the answer differs from the view after the commit:\nanswer %+v\nafter  %+v", v, after)
				}
			})
		}
	})
}
