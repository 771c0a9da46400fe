package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"tirkeu/internal/residence"
	"tirkeu/internal/store"
	"tirkeu/internal/store/storetest"
)

const (
	iinOwner  = "800101300001"
	iinTenant = "900202400002"
	iinChild  = "100303500003"
	iinRep    = "850404300004"
	binHotel  = "010140000005"
	rkaFlat   = "RKA-FLAT-1"
	rkaHouse  = "RKA-HOUSE-2"
	rkaHotel  = "RKA-HOTEL-3"
)

var (
	day0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	t0   = time.Date(2026, 3, 1, 9, 30, 15, 123456000, time.UTC)
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func persons() []residence.Person {
	return []residence.Person{
		{IIN: iinOwner, LastName: "Сейтқали", FirstName: "Айгүл", Patronymic: "Ерланқызы", BirthDate: date(1980, 1, 1), Citizenship: "KZ", Capacity: residence.CapacityFull, Phone: "77010000001"},
		{IIN: iinTenant, LastName: "Иванов", FirstName: "Пётр", BirthDate: date(1990, 2, 2), Citizenship: "KZ", Capacity: residence.CapacityFull, Phone: "77010000002"},
		{IIN: iinChild, LastName: "Сейтқали", FirstName: "Нұр", BirthDate: date(2010, 3, 3), Citizenship: "KZ", Capacity: residence.CapacityFull},
		{IIN: iinRep, LastName: "Омаров", FirstName: "Бауыржан", BirthDate: date(1985, 4, 4), Citizenship: "KZ", Capacity: residence.CapacityPartial, ConsularAbroad: true, Phone: "77010000002", Deceased: true},
	}
}

func premises() []residence.Premises {
	return []residence.Premises{
		{RKA: rkaFlat, Region: "Астана", District: "Есіл", Locality: "Астана", Street: "Мәңгілік Ел", Building: "10", Unit: "5", Kind: residence.PremisesApartment, AreaM2: 54.5},
		{RKA: rkaHouse, Region: "Алматы облысы", Locality: "Қонаев", Street: "Абай", Building: "3", Kind: residence.PremisesHouse, StateRental: true},
		{RKA: rkaHotel, Region: "Астана", Locality: "Астана", Street: "Қабанбай батыр", Building: "1", Kind: residence.PremisesHotel},
	}
}

// seed fills the registry with a small cast.
func seed(t *testing.T, s residence.Store) {
	t.Helper()
	err := s.InTx(context.Background(), func(tx residence.Tx) error {
		if err := tx.UpsertPersons(ctx(t), persons()); err != nil {
			return err
		}
		if err := tx.UpsertRelations(ctx(t), []residence.Relation{{Kind: residence.RelationParent, From: iinOwner, To: iinChild}}); err != nil {
			return err
		}
		if err := tx.UpsertOrganisations(ctx(t), []residence.Organisation{{BIN: binHotel, Name: "Hotel Esil", Representatives: []string{iinRep}}}); err != nil {
			return err
		}
		if err := tx.UpsertPremises(ctx(t), premises()); err != nil {
			return err
		}
		if err := tx.UpsertOwnerships(ctx(t), []residence.Ownership{
			{RKA: rkaFlat, OwnerIIN: iinOwner, Share: 0.5}, {RKA: rkaFlat, OwnerIIN: iinTenant, Share: 0.5},
			{RKA: rkaHotel, OwnerBIN: binHotel, Share: 1},
		}); err != nil {
			return err
		}
		return tx.UpsertRentalAgreements(ctx(t), []residence.RentalAgreement{
			{RKA: rkaHouse, TenantIIN: iinTenant, Members: []string{iinChild}, ValidFrom: date(2025, 1, 1), ValidUntil: date(2027, 12, 31)},
		})
	})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
}

func ctx(t *testing.T) context.Context { return t.Context() }

func mustTx(t *testing.T, s residence.Store, fn func(tx residence.Tx) error) {
	t.Helper()
	if err := s.InTx(ctx(t), fn); err != nil {
		t.Fatalf("InTx: %v", err)
	}
}

func mustView(t *testing.T, s residence.Store, fn func(r residence.Reader) error) {
	t.Helper()
	if err := s.View(ctx(t), fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if !residence.IsCode(err, code) {
		t.Fatalf("error %v: code %q, want %q", err, residence.ErrorCode(err), code)
	}
}

func application(id, applicant, subject, rka string, kind residence.Kind) residence.Application {
	return residence.Application{
		ID: id, Action: residence.ActionRegister, Kind: kind, ApplicantIIN: applicant, SubjectIIN: subject, RKA: rka,
		Channel: residence.ChannelPortal, Signature: residence.SignatureOTP, SignerIIN: applicant,
		Status: residence.StatusSubmitted, CreatedAt: t0, UpdatedAt: t0,
	}
}

func registration(id, iin, rka, appID string, kind residence.Kind, since time.Time) residence.Registration {
	return residence.Registration{ID: id, IIN: iin, RKA: rka, Kind: kind, Since: since, Status: residence.RegistrationActive, ApplicationID: appID}
}

func TestRegistry(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		seed(t, s)
		mustView(t, s, func(r residence.Reader) error {
			p, err := r.Person(ctx(t), iinOwner)
			if err != nil {
				t.Fatal(err)
			}
			if want := persons()[0]; p != want {
				t.Errorf("Person = %+v, want %+v", p, want)
			}
			if _, err := r.Person(ctx(t), "000000000000"); true {
				wantCode(t, err, residence.ENotFound)
				if !errors.Is(err, residence.ErrNotFound) {
					t.Errorf("not found error %v does not wrap ErrNotFound", err)
				}
			}
			byPhone, err := r.PersonsByPhone(ctx(t), "77010000002")
			if err != nil || len(byPhone) != 1 || byPhone[0].IIN != iinTenant {
				t.Errorf("PersonsByPhone = %v, %v; want the living tenant only", byPhone, err)
			}
			rels, err := r.Relations(ctx(t), iinChild)
			if err != nil || len(rels) != 1 || rels[0] != (residence.Relation{Kind: residence.RelationParent, From: iinOwner, To: iinChild}) {
				t.Errorf("Relations = %v, %v", rels, err)
			}
			org, err := r.Organisation(ctx(t), binHotel)
			if err != nil || org.Name != "Hotel Esil" || len(org.Representatives) != 1 || org.Representatives[0] != iinRep {
				t.Errorf("Organisation = %+v, %v", org, err)
			}
			_, err = r.Organisation(ctx(t), "999999999999")
			wantCode(t, err, residence.ENotFound)
			orgs, err := r.OrganisationsRepresentedBy(ctx(t), iinRep)
			if err != nil || len(orgs) != 1 || orgs[0].BIN != binHotel {
				t.Errorf("OrganisationsRepresentedBy = %v, %v", orgs, err)
			}
			if orgs, _ := r.OrganisationsRepresentedBy(ctx(t), iinOwner); len(orgs) != 0 {
				t.Errorf("OrganisationsRepresentedBy(owner) = %v, want none", orgs)
			}
			pr, err := r.Premises(ctx(t), rkaFlat)
			if err != nil || pr != premises()[0] {
				t.Errorf("Premises = %+v, %v", pr, err)
			}
			_, err = r.Premises(ctx(t), "nope")
			wantCode(t, err, residence.ENotFound)
			found, err := r.SearchPremises(ctx(t), residence.PremisesQuery{Region: "Астана"}, 10)
			if err != nil || len(found) != 2 || found[0].RKA != rkaFlat || found[1].RKA != rkaHotel {
				t.Errorf("SearchPremises = %v, %v", found, err)
			}
			found, _ = r.SearchPremises(ctx(t), residence.PremisesQuery{Region: "Астана"}, 1)
			if len(found) != 1 {
				t.Errorf("SearchPremises limit 1 = %d rows", len(found))
			}
			owners, err := r.Owners(ctx(t), rkaFlat)
			if err != nil || len(owners) != 2 {
				t.Errorf("Owners = %v, %v", owners, err)
			}
			if owners, err := r.Owners(ctx(t), rkaHouse); err != nil || len(owners) != 0 {
				t.Errorf("Owners(no owners) = %v, %v", owners, err)
			}
			hotel, _ := r.Owners(ctx(t), rkaHotel)
			if len(hotel) != 1 || hotel[0].OwnerBIN != binHotel || hotel[0].OwnerIIN != "" || hotel[0].Share != 1 {
				t.Errorf("Owners(hotel) = %v", hotel)
			}
			owned, err := r.PremisesOwnedBy(ctx(t), iinOwner, "")
			if err != nil || len(owned) != 1 || owned[0] != rkaFlat {
				t.Errorf("PremisesOwnedBy = %v, %v", owned, err)
			}
			owned, _ = r.PremisesOwnedBy(ctx(t), "", binHotel)
			if len(owned) != 1 || owned[0] != rkaHotel {
				t.Errorf("PremisesOwnedBy(bin) = %v", owned)
			}
			rentals, err := r.RentalAgreements(ctx(t), rkaHouse)
			if err != nil || len(rentals) != 1 || !rentals[0].Lists(iinChild) || !rentals[0].ValidUntil.Equal(date(2027, 12, 31)) {
				t.Errorf("RentalAgreements = %+v, %v", rentals, err)
			}
			ex, err := r.ExistingPersons(ctx(t), []string{iinOwner, "000000000000"})
			if err != nil || !ex[iinOwner] || ex["000000000000"] || len(ex) != 1 {
				t.Errorf("ExistingPersons = %v, %v", ex, err)
			}
			ex, _ = r.ExistingOrganisations(ctx(t), []string{binHotel})
			if !ex[binHotel] {
				t.Errorf("ExistingOrganisations = %v", ex)
			}
			ex, _ = r.ExistingPremises(ctx(t), []string{rkaHotel, "x"})
			if !ex[rkaHotel] || len(ex) != 1 {
				t.Errorf("ExistingPremises = %v", ex)
			}
			return nil
		})
	})
}

func TestUpsertsAreIdempotent(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		seed(t, s)
		seed(t, s)
		// Representatives are replaced, not accumulated.
		mustTx(t, s, func(tx residence.Tx) error {
			return tx.UpsertOrganisations(ctx(t), []residence.Organisation{{BIN: binHotel, Name: "Hotel Esil 2", Representatives: []string{iinTenant}}})
		})
		mustView(t, s, func(r residence.Reader) error {
			org, _ := r.Organisation(ctx(t), binHotel)
			if org.Name != "Hotel Esil 2" || len(org.Representatives) != 1 || org.Representatives[0] != iinTenant {
				t.Errorf("Organisation after update = %+v", org)
			}
			return nil
		})
		// Many rows: exercises the bulk path (COPY on PostgreSQL).
		var many []residence.Person
		for i := range 700 {
			many = append(many, residence.Person{IIN: fmt.Sprintf("9901013%05d", i), LastName: "L", FirstName: "F", BirthDate: date(1999, 1, 1), Citizenship: "KZ", Capacity: residence.CapacityFull})
		}
		var regs []residence.Registration
		for i := range 300 {
			regs = append(regs, residence.Registration{IIN: many[i].IIN, RKA: rkaFlat, Kind: residence.Permanent, Since: date(2020, 1, 1)})
		}
		for range 2 {
			mustTx(t, s, func(tx residence.Tx) error {
				if err := tx.UpsertPersons(ctx(t), many); err != nil {
					return err
				}
				return tx.UpsertImportedRegistrations(ctx(t), regs)
			})
		}
		mustView(t, s, func(r residence.Reader) error {
			res, err := r.Residents(ctx(t), rkaFlat)
			if err != nil || len(res) != 300 {
				t.Errorf("Residents = %d, %v; want 300", len(res), err)
			}
			if len(res) > 0 && (!res[0].Imported || res[0].ID == "" || res[0].ApplicationID != "") {
				t.Errorf("imported registration = %+v", res[0])
			}
			return nil
		})
		// An imported active registration that conflicts names the person.
		err := s.InTx(ctx(t), func(tx residence.Tx) error {
			return tx.UpsertImportedRegistrations(ctx(t), []residence.Registration{{IIN: many[0].IIN, RKA: rkaHouse, Kind: residence.Permanent, Since: date(2021, 1, 1)}})
		})
		wantCode(t, err, residence.EConflict)
		if err != nil && !contains(err.Error(), many[0].IIN) {
			t.Errorf("conflict %v does not name the IIN", err)
		}
		// Unknown references are invalid, not internal.
		err = s.InTx(ctx(t), func(tx residence.Tx) error {
			return tx.UpsertOwnerships(ctx(t), []residence.Ownership{{RKA: "missing", OwnerIIN: iinOwner, Share: 1}})
		})
		wantCode(t, err, residence.EInvalid)
	})
}

func contains(s, sub string) bool {
	return len(sub) > 0 && len(s) >= len(sub) && (s == sub || indexOf(s, sub) >= 0)
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestApplicationsAndRegistrations(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		seed(t, s)
		a := application("app-1", iinTenant, iinTenant, rkaFlat, residence.Permanent)
		a.IdempotencyKey = "key-1"
		a.StayFrom = date(2026, 3, 1)
		a.Decision = residence.Decision{Status: residence.StatusRegistered, Rule: residence.RuleOwnerConsent, Message: residence.Text{EN: "ok", RU: "ок", KK: "жарайды"},
			Consents: []residence.ConsentRequirement{{OwnerIIN: iinOwner, Channel: residence.ConsentSMS}}}
		mustTx(t, s, func(tx residence.Tx) error { return tx.CreateApplication(ctx(t), a) })

		err := s.InTx(ctx(t), func(tx residence.Tx) error { return tx.CreateApplication(ctx(t), a) })
		wantCode(t, err, residence.EConflict)
		b := a
		b.ID = "app-2"
		err = s.InTx(ctx(t), func(tx residence.Tx) error { return tx.CreateApplication(ctx(t), b) })
		wantCode(t, err, residence.EConflict) // same idempotency key
		b.IdempotencyKey = ""
		b.CreatedAt = t0.Add(time.Minute)
		b.SubjectIIN = iinChild
		b.ApplicantIIN = iinOwner
		mustTx(t, s, func(tx residence.Tx) error { return tx.CreateApplication(ctx(t), b) })
		c := b
		c.ID, c.ApplicantIIN = "app-3", "000000000000"
		err = s.InTx(ctx(t), func(tx residence.Tx) error { return tx.CreateApplication(ctx(t), c) })
		wantCode(t, err, residence.EInvalid)

		mustView(t, s, func(r residence.Reader) error {
			got, err := r.Application(ctx(t), "app-1")
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != a.ID || !got.CreatedAt.Equal(t0) || got.IdempotencyKey != "key-1" || !got.StayFrom.Equal(a.StayFrom) ||
				got.Decision.Message != a.Decision.Message || len(got.Decision.Consents) != 1 || !got.DecidedAt.IsZero() {
				t.Errorf("Application = %+v", got)
			}
			got, err = r.ApplicationByIdempotencyKey(ctx(t), iinTenant, "key-1")
			if err != nil || got.ID != "app-1" {
				t.Errorf("ApplicationByIdempotencyKey = %v, %v", got.ID, err)
			}
			_, err = r.ApplicationByIdempotencyKey(ctx(t), iinOwner, "key-1")
			wantCode(t, err, residence.ENotFound)
			_, err = r.Application(ctx(t), "nope")
			wantCode(t, err, residence.ENotFound)
			list, err := r.ApplicationsFor(ctx(t), iinChild, 10)
			if err != nil || len(list) != 1 || list[0].ID != "app-2" {
				t.Errorf("ApplicationsFor(child) = %v, %v", list, err)
			}
			list, _ = r.ApplicationsFor(ctx(t), iinOwner, 10)
			if len(list) != 1 {
				t.Errorf("ApplicationsFor(owner) = %d", len(list))
			}
			return nil
		})

		// Register, then update the application.
		reg := registration("reg-1", iinTenant, rkaFlat, "app-1", residence.Permanent, day0)
		mustTx(t, s, func(tx residence.Tx) error {
			if err := tx.CreateRegistration(ctx(t), reg); err != nil {
				return err
			}
			a.Status, a.RegistrationID, a.DecidedAt, a.UpdatedAt = residence.StatusRegistered, "reg-1", t0.Add(time.Hour), t0.Add(time.Hour)
			return tx.UpdateApplication(ctx(t), a)
		})
		err = s.InTx(ctx(t), func(tx residence.Tx) error {
			return tx.UpdateApplication(ctx(t), application("missing", iinTenant, iinTenant, rkaFlat, residence.Permanent))
		})
		wantCode(t, err, residence.ENotFound)

		// A second active permanent registration is a conflict.
		err = s.InTx(ctx(t), func(tx residence.Tx) error {
			return tx.CreateRegistration(ctx(t), registration("reg-2", iinTenant, rkaHouse, "app-1", residence.Permanent, day0))
		})
		wantCode(t, err, residence.EConflict)
		// Temporary alongside is fine.
		tmp := registration("reg-3", iinTenant, rkaHotel, "app-1", residence.Temporary, day0)
		tmp.Until = date(2026, 6, 1)
		mustTx(t, s, func(tx residence.Tx) error { return tx.CreateRegistration(ctx(t), tmp) })
		// No application and not imported: refused by the database.
		err = s.InTx(ctx(t), func(tx residence.Tx) error {
			return tx.CreateRegistration(ctx(t), registration("reg-4", iinChild, rkaHouse, "", residence.Permanent, day0))
		})
		wantCode(t, err, residence.EInvalid)
		err = s.InTx(ctx(t), func(tx residence.Tx) error {
			return tx.CreateRegistration(ctx(t), registration("reg-5", iinChild, "missing", "app-2", residence.Permanent, day0))
		})
		wantCode(t, err, residence.EInvalid)
		if err != nil && !contains(err.Error(), "premises") {
			t.Errorf("foreign key error %v does not name the reference", err)
		}

		mustTx(t, s, func(tx residence.Tx) error {
			return tx.EndRegistration(ctx(t), "reg-1", date(2026, 4, 1), residence.EndMoved)
		})
		err = s.InTx(ctx(t), func(tx residence.Tx) error {
			return tx.EndRegistration(ctx(t), "reg-1", date(2026, 4, 1), residence.EndMoved)
		})
		wantCode(t, err, residence.ENotFound)
		mustTx(t, s, func(tx residence.Tx) error {
			return tx.CreateRegistration(ctx(t), registration("reg-6", iinTenant, rkaHouse, "app-1", residence.Permanent, date(2026, 4, 1)))
		})
		mustView(t, s, func(r residence.Reader) error {
			got, err := r.Application(ctx(t), "app-1")
			if err != nil || got.Status != residence.StatusRegistered || got.RegistrationID != "reg-1" || !got.DecidedAt.Equal(t0.Add(time.Hour)) {
				t.Errorf("updated Application = %+v, %v", got, err)
			}
			r1, err := r.Registration(ctx(t), "reg-1")
			if err != nil || r1.Status != residence.RegistrationEnded || r1.EndReason != residence.EndMoved || !r1.EndedOn.Equal(date(2026, 4, 1)) {
				t.Errorf("ended Registration = %+v, %v", r1, err)
			}
			_, err = r.Registration(ctx(t), "nope")
			wantCode(t, err, residence.ENotFound)
			regs, err := r.Registrations(ctx(t), iinTenant)
			if err != nil || len(regs) != 3 {
				t.Fatalf("Registrations = %v, %v", regs, err)
			}
			if regs[0].Status != residence.RegistrationActive || regs[1].Status != residence.RegistrationActive || regs[2].ID != "reg-1" {
				t.Errorf("Registrations order = %v", regs)
			}
			if !regs[0].Since.Equal(date(2026, 4, 1)) {
				t.Errorf("Registrations[0] = %+v, want the newest active first", regs[0])
			}
			res, err := r.Residents(ctx(t), rkaHotel)
			if err != nil || len(res) != 1 || res[0].ID != "reg-3" || !res[0].Until.Equal(date(2026, 6, 1)) {
				t.Errorf("Residents = %v, %v", res, err)
			}

			// Addresses is Person + Registrations + Premises in one read.
			ad, err := r.Addresses(ctx(t), iinTenant)
			if err != nil {
				t.Fatalf("Addresses: %v", err)
			}
			p, _ := r.Person(ctx(t), iinTenant)
			if !reflect.DeepEqual(ad.Person, p) || !reflect.DeepEqual(ad.Registrations, regs) {
				t.Errorf("Addresses = %+v\nwant person %+v and registrations %+v", ad, p, regs)
			}
			if len(ad.Premises) != 3 {
				t.Errorf("Addresses.Premises has %d entries, want 3 (flat, house, hotel)", len(ad.Premises))
			}
			for _, reg := range regs {
				want, _ := r.Premises(ctx(t), reg.RKA)
				if !reflect.DeepEqual(ad.Premises[reg.RKA], want) {
					t.Errorf("Addresses.Premises[%s] = %+v, want %+v", reg.RKA, ad.Premises[reg.RKA], want)
				}
			}
			ad, err = r.Addresses(ctx(t), iinRep) // a person without registrations
			if err != nil || ad.Person.IIN != iinRep || !ad.Person.Deceased || len(ad.Registrations) != 0 || len(ad.Premises) != 0 {
				t.Errorf("Addresses(no registrations) = %+v, %v", ad, err)
			}
			_, err = r.Addresses(ctx(t), "000000000000")
			wantCode(t, err, residence.ENotFound)
			return nil
		})
	})
}

func TestConsentOTPSMSTokens(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		seed(t, s)
		mustTx(t, s, func(tx residence.Tx) error {
			return tx.CreateApplication(ctx(t), application("app-1", iinTenant, iinTenant, rkaFlat, residence.Permanent))
		})
		c1 := residence.ConsentTask{ID: "ct-1", ApplicationID: "app-1", OwnerIIN: iinOwner, Channel: residence.ConsentSMS,
			Status: residence.ConsentPending, CodeHash: []byte{1, 2, 3}, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		c2 := residence.ConsentTask{ID: "ct-2", ApplicationID: "app-1", OwnerBIN: binHotel, Channel: residence.ConsentPetition,
			Status: residence.ConsentPending, CreatedAt: t0.Add(time.Second), ExpiresAt: t0.Add(time.Hour)}
		mustTx(t, s, func(tx residence.Tx) error {
			if err := tx.CreateConsentTask(ctx(t), c1); err != nil {
				return err
			}
			return tx.CreateConsentTask(ctx(t), c2)
		})
		bad := c1
		bad.ID, bad.OwnerBIN = "ct-3", binHotel // both owners
		err := s.InTx(ctx(t), func(tx residence.Tx) error { return tx.CreateConsentTask(ctx(t), bad) })
		wantCode(t, err, residence.EInvalid)
		bad = c1
		bad.ID, bad.ApplicationID = "ct-4", "missing"
		err = s.InTx(ctx(t), func(tx residence.Tx) error { return tx.CreateConsentTask(ctx(t), bad) })
		wantCode(t, err, residence.EInvalid)
		bad = c1
		bad.ID, bad.Status = "ct-5", "maybe"
		err = s.InTx(ctx(t), func(tx residence.Tx) error { return tx.CreateConsentTask(ctx(t), bad) })
		wantCode(t, err, residence.EInvalid)
		// Only a petition names an organisation, and a petition always does.
		bad = c1
		bad.ID, bad.Kind = "ct-6", residence.ConsentKindPetition
		err = s.InTx(ctx(t), func(tx residence.Tx) error { return tx.CreateConsentTask(ctx(t), bad) })
		wantCode(t, err, residence.EInvalid)
		bad = c2
		bad.ID, bad.Kind = "ct-7", residence.ConsentKindSubject
		err = s.InTx(ctx(t), func(tx residence.Tx) error { return tx.CreateConsentTask(ctx(t), bad) })
		wantCode(t, err, residence.EInvalid)
		bad = c1
		bad.ID, bad.Kind = "ct-8", "neighbour"
		err = s.InTx(ctx(t), func(tx residence.Tx) error { return tx.CreateConsentTask(ctx(t), bad) })
		wantCode(t, err, residence.EInvalid)

		mustView(t, s, func(r residence.Reader) error {
			got, err := r.ConsentTask(ctx(t), "ct-1")
			if err != nil || got.OwnerIIN != iinOwner || got.Kind != residence.ConsentKindOwner || string(got.CodeHash) != string([]byte{1, 2, 3}) || !got.ExpiresAt.Equal(t0.Add(time.Hour)) {
				t.Errorf("ConsentTask = %+v, %v", got, err)
			}
			if got, err := r.ConsentTask(ctx(t), "ct-2"); err != nil || got.Kind != residence.ConsentKindPetition {
				t.Errorf("petition ConsentTask = %+v, %v", got, err)
			}
			_, err = r.ConsentTask(ctx(t), "nope")
			wantCode(t, err, residence.ENotFound)
			all, err := r.ConsentTasks(ctx(t), "app-1")
			if err != nil || len(all) != 2 || all[0].ID != "ct-1" {
				t.Errorf("ConsentTasks = %v, %v", all, err)
			}
			p, err := r.PendingConsentTasksFor(ctx(t), iinRep)
			if err != nil || len(p) != 1 || p[0].ID != "ct-2" {
				t.Errorf("PendingConsentTasksFor(rep) = %v, %v", p, err)
			}
			p, _ = r.PendingConsentTasksFor(ctx(t), iinOwner)
			if len(p) != 1 || p[0].ID != "ct-1" {
				t.Errorf("PendingConsentTasksFor(owner) = %v", p)
			}
			return nil
		})
		// A subject's task is the subject's to answer; one locked by wrong
		// codes stays open to them (decline signed in, EDS).
		cs := residence.ConsentTask{ID: "ct-s", ApplicationID: "app-1", Kind: residence.ConsentKindSubject, OwnerIIN: iinTenant,
			Channel: residence.ConsentSMS, Status: residence.ConsentLocked, Attempts: 5, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		mustTx(t, s, func(tx residence.Tx) error { return tx.CreateConsentTask(ctx(t), cs) })
		mustView(t, s, func(r residence.Reader) error {
			p, err := r.PendingConsentTasksFor(ctx(t), iinTenant)
			if err != nil || len(p) != 1 || p[0].ID != "ct-s" || p[0].Kind != residence.ConsentKindSubject || p[0].Status != residence.ConsentLocked {
				t.Errorf("PendingConsentTasksFor(subject) = %+v, %v", p, err)
			}
			return nil
		})
		cs.Status = residence.ConsentCancelled
		mustTx(t, s, func(tx residence.Tx) error { return tx.UpdateConsentTask(ctx(t), cs) })
		c1.Status, c1.Attempts, c1.AnsweredAt, c1.AnsweredBy = residence.ConsentConfirmed, 1, t0.Add(time.Minute), iinOwner
		mustTx(t, s, func(tx residence.Tx) error { return tx.UpdateConsentTask(ctx(t), c1) })
		err = s.InTx(ctx(t), func(tx residence.Tx) error {
			return tx.UpdateConsentTask(ctx(t), residence.ConsentTask{ID: "nope", Status: residence.ConsentExpired})
		})
		wantCode(t, err, residence.ENotFound)
		mustView(t, s, func(r residence.Reader) error {
			if p, _ := r.PendingConsentTasksFor(ctx(t), iinOwner); len(p) != 0 {
				t.Errorf("PendingConsentTasksFor after confirm = %v", p)
			}
			got, _ := r.ConsentTask(ctx(t), "ct-1")
			if got.Status != residence.ConsentConfirmed || got.Attempts != 1 || !got.AnsweredAt.Equal(t0.Add(time.Minute)) || got.AnsweredBy != iinOwner {
				t.Errorf("updated ConsentTask = %+v", got)
			}
			return nil
		})

		// OTPs.
		o1 := residence.OTP{ID: "otp-1", IIN: iinTenant, Purpose: residence.OTPLogin, CodeHash: []byte("h1"), CreatedAt: t0, ExpiresAt: t0.Add(5 * time.Minute)}
		o2 := o1
		o2.ID, o2.CreatedAt = "otp-2", t0.Add(time.Minute)
		// A newer password asked for by another client neither supersedes
		// the first client's nor counts against it.
		o3 := o1
		o3.ID, o3.CreatedAt, o3.Client = "otp-3", t0.Add(2*time.Minute), "other-client"
		mustTx(t, s, func(tx residence.Tx) error {
			for _, o := range []residence.OTP{o1, o2, o3} {
				if err := tx.CreateOTP(ctx(t), o); err != nil {
					return err
				}
			}
			return nil
		})
		o2.Attempts, o2.UsedAt, o2.Locked = 2, t0.Add(2*time.Minute), true
		mustTx(t, s, func(tx residence.Tx) error { return tx.UpdateOTP(ctx(t), o2) })
		mustView(t, s, func(r residence.Reader) error {
			got, err := r.LatestOTP(ctx(t), iinTenant, residence.OTPLogin, "")
			if err != nil || got.ID != "otp-2" || got.Attempts != 2 || !got.Locked || !got.UsedAt.Equal(o2.UsedAt) {
				t.Errorf("LatestOTP = %+v, %v", got, err)
			}
			if got, err := r.LatestOTP(ctx(t), iinTenant, residence.OTPLogin, "other-client"); err != nil || got.ID != "otp-3" || got.Client != "other-client" {
				t.Errorf("LatestOTP(other client) = %+v, %v", got, err)
			}
			_, err = r.LatestOTP(ctx(t), iinTenant, residence.OTPSign, "")
			wantCode(t, err, residence.ENotFound)
			if got, err := r.OTP(ctx(t), "otp-1"); err != nil || string(got.CodeHash) != "h1" {
				t.Errorf("OTP = %+v, %v", got, err)
			}
			n, err := r.CountOTPsSince(ctx(t), iinTenant, "", t0.Add(time.Second))
			if err != nil || n != 1 {
				t.Errorf("CountOTPsSince = %d, %v", n, err)
			}
			if n, err := r.CountOTPsSince(ctx(t), iinTenant, "other-client", t0); err != nil || n != 1 {
				t.Errorf("CountOTPsSince(other client) = %d, %v", n, err)
			}
			return nil
		})

		// SMS.
		for i := range 3 {
			m := residence.SMS{ID: fmt.Sprintf("sms-%d", i), To: "77010000002", From: residence.ShortNumber, Text: "code", Status: residence.SMSQueued,
				RecipientIIN: iinTenant, CreatedAt: t0.Add(time.Duration(i) * time.Second)}
			mustTx(t, s, func(tx residence.Tx) error { return tx.CreateSMS(ctx(t), m) })
		}
		mustTx(t, s, func(tx residence.Tx) error {
			return tx.UpdateSMS(ctx(t), residence.SMS{ID: "sms-1", Status: residence.SMSSent, ProviderID: "p-1", Attempts: 1, UpdatedAt: t0.Add(time.Hour)})
		})
		mustView(t, s, func(r residence.Reader) error {
			got, err := r.SMSByProviderID(ctx(t), "p-1")
			if err != nil || got.ID != "sms-1" || got.Status != residence.SMSSent || got.Text != "code" {
				t.Errorf("SMSByProviderID = %+v, %v", got, err)
			}
			_, err = r.SMS(ctx(t), "nope")
			wantCode(t, err, residence.ENotFound)
			list, err := r.ListSMS(ctx(t), 2)
			if err != nil || len(list) != 2 || list[0].ID != "sms-1" || list[1].ID != "sms-2" {
				t.Errorf("ListSMS = %v, %v", list, err)
			}
			return nil
		})

		// Tokens.
		tok := residence.Token{ID: "tok-1", Name: "tax", Role: residence.RoleAgency, Hash: []byte("hash"), CreatedAt: t0,
			Purposes: []residence.Purpose{residence.PurposeAddressRead, residence.PurposeEventsRead}}
		mustTx(t, s, func(tx residence.Tx) error { return tx.CreateToken(ctx(t), tok) })
		err = s.InTx(ctx(t), func(tx residence.Tx) error {
			tok2 := tok
			tok2.ID = "tok-2"
			return tx.CreateToken(ctx(t), tok2)
		})
		wantCode(t, err, residence.EConflict)
		mustView(t, s, func(r residence.Reader) error {
			got, err := r.TokenByHash(ctx(t), []byte("hash"))
			if err != nil || got.ID != "tok-1" || got.Role != residence.RoleAgency || !got.RevokedAt.IsZero() {
				t.Errorf("TokenByHash = %+v, %v", got, err)
			}
			// The purposes come back as they were stored, in order.
			if !slices.Equal(got.Purposes, tok.Purposes) {
				t.Errorf("TokenByHash purposes = %v, want %v", got.Purposes, tok.Purposes)
			}
			_, err = r.TokenByHash(ctx(t), []byte("other"))
			wantCode(t, err, residence.ENotFound)
			return nil
		})
	})
}

func TestEvents(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		seed(t, s)
		mustTx(t, s, func(tx residence.Tx) error {
			return tx.AppendEvents(ctx(t),
				residence.Event{Type: residence.EventRegistrationCreated, At: t0, PersonIIN: iinTenant, RKA: rkaFlat,
					Message: residence.Text{EN: "Registered"}, Data: json.RawMessage(`{"kind":"permanent"}`)},
				residence.Event{Type: residence.EventPersonalDataRead, At: t0, PersonIIN: iinTenant, ActorRole: "agency"},
				residence.Event{Type: residence.EventIDCardRewrite, At: t0, PersonIIN: iinOwner},
			)
		})
		mustSeal(t, s) // the feed shows sealed events only
		mustView(t, s, func(r residence.Reader) error {
			evs, err := r.Events(ctx(t), 0, 10)
			if err != nil || len(evs) != 3 {
				t.Fatalf("Events = %v, %v", evs, err)
			}
			if evs[0].ID <= 0 || evs[1].ID <= evs[0].ID || evs[0].Message.EN != "Registered" || string(evs[0].Data) == "" || !evs[0].At.Equal(t0) {
				t.Errorf("Events = %+v", evs)
			}
			var data map[string]string
			if err := json.Unmarshal(evs[0].Data, &data); err != nil || data["kind"] != "permanent" {
				t.Errorf("event data = %s, %v", evs[0].Data, err)
			}
			if evs[1].Data != nil || !evs[1].Message.IsZero() {
				t.Errorf("empty data/message = %s, %+v", evs[1].Data, evs[1].Message)
			}
			after, _ := r.Events(ctx(t), evs[0].Seq, 1)
			if len(after) != 1 || after[0].ID != evs[1].ID {
				t.Errorf("Events(after) = %v", after)
			}
			pe, err := r.PersonEvents(ctx(t), iinTenant, nil, 10)
			if err != nil || len(pe) != 2 || pe[0].Type != residence.EventPersonalDataRead {
				t.Errorf("PersonEvents = %v, %v", pe, err)
			}
			pe, _ = r.PersonEvents(ctx(t), iinTenant, []string{residence.EventRegistrationCreated, residence.EventIDCardRewrite}, 10)
			if len(pe) != 1 || pe[0].Type != residence.EventRegistrationCreated {
				t.Errorf("PersonEvents(types) = %v", pe)
			}
			return nil
		})
	})
}

func TestTransactions(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		seed(t, s)
		boom := errors.New("boom")
		err := s.InTx(ctx(t), func(tx residence.Tx) error {
			if err := tx.CreateApplication(ctx(t), application("app-r", iinTenant, iinTenant, rkaFlat, residence.Permanent)); err != nil {
				return err
			}
			// Reads in the transaction see its writes.
			if _, err := tx.Application(ctx(t), "app-r"); err != nil {
				t.Errorf("read own write: %v", err)
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx = %v, want boom", err)
		}
		func() {
			defer func() {
				if p := recover(); p != "panic!" {
					t.Errorf("recovered %v, want the panic to continue", p)
				}
			}()
			_ = s.InTx(ctx(t), func(tx residence.Tx) error {
				if err := tx.CreateApplication(ctx(t), application("app-p", iinTenant, iinTenant, rkaFlat, residence.Permanent)); err != nil {
					return err
				}
				panic("panic!")
			})
		}()
		mustView(t, s, func(r residence.Reader) error {
			for _, id := range []string{"app-r", "app-p"} {
				_, err := r.Application(ctx(t), id)
				wantCode(t, err, residence.ENotFound)
			}
			return nil
		})
		// The store still works after the panic (the connection went back).
		mustTx(t, s, func(tx residence.Tx) error {
			if err := tx.LockPerson(ctx(t), iinTenant); err != nil {
				return err
			}
			return tx.CreateApplication(ctx(t), application("app-ok", iinTenant, iinTenant, rkaFlat, residence.Permanent))
		})
		err = s.InTx(ctx(t), func(tx residence.Tx) error { return tx.LockPerson(ctx(t), "000000000000") })
		wantCode(t, err, residence.ENotFound)
		if err := s.Ping(ctx(t)); err != nil {
			t.Errorf("Ping: %v", err)
		}
	})
}

// TestDeadline: a request that runs out of time (web.Deadline) mid-
// transaction loses its writes and gets unavailable (503 with Retry-After,
// not 500); so does a context already past its deadline, from View and
// InTx.
func TestDeadline(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		seed(t, s)
		timedOut := func(what string, err error) {
			t.Helper()
			if residence.ErrorCode(err) != residence.EUnavailable {
				t.Errorf("%s: %v, want unavailable", what, err)
			}
		}
		c, cancel := context.WithTimeout(ctx(t), 20*time.Millisecond)
		defer cancel()
		err := s.InTx(c, func(tx residence.Tx) error {
			if err := tx.CreateApplication(c, application("app-slow", iinTenant, iinTenant, rkaFlat, residence.Permanent)); err != nil {
				return err
			}
			<-c.Done() // the rest of the request was slow
			return tx.CreateApplication(c, application("app-slow-2", iinTenant, iinTenant, rkaFlat, residence.Permanent))
		})
		timedOut("InTx past its deadline", err)
		past, cancelPast := context.WithDeadline(ctx(t), time.Now().Add(-time.Second))
		defer cancelPast()
		timedOut("View", s.View(past, func(r residence.Reader) error {
			_, err := r.Person(past, iinTenant)
			return err
		}))
		timedOut("InTx", s.InTx(past, func(tx residence.Tx) error {
			return tx.CreateApplication(past, application("app-late", iinTenant, iinTenant, rkaFlat, residence.Permanent))
		}))
		mustView(t, s, func(r residence.Reader) error {
			for _, id := range []string{"app-slow", "app-slow-2", "app-late"} {
				_, err := r.Application(ctx(t), id)
				wantCode(t, err, residence.ENotFound)
			}
			return nil
		})
		mustTx(t, s, func(tx residence.Tx) error { // and the store still works
			return tx.CreateApplication(ctx(t), application("app-after", iinTenant, iinTenant, rkaFlat, residence.Permanent))
		})
	})
}

// TestDatabaseRefusesTwoActive writes directly with SQL, bypassing the Go
// code, to show the invariant lives in the schema.
func TestDatabaseRefusesTwoActive(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		seed(t, s)
		err := store.ExecForTest(ctx(t), s, `
			INSERT INTO registrations (id, iin, rka, kind, since, status, imported)
			VALUES ('x1', '`+iinOwner+`', '`+rkaFlat+`', 'permanent', '2026-01-01', 'active', true)`)
		if err != nil {
			t.Fatalf("first insert: %v", err)
		}
		err = store.ExecForTest(ctx(t), s, `
			INSERT INTO registrations (id, iin, rka, kind, since, status, imported)
			VALUES ('x2', '`+iinOwner+`', '`+rkaHouse+`', 'permanent', '2026-02-01', 'active', true)`)
		wantCode(t, err, residence.EConflict)
		err = store.ExecForTest(ctx(t), s, `
			INSERT INTO registrations (id, iin, rka, kind, since, status, imported)
			VALUES ('x3', '`+iinOwner+`', '`+rkaHouse+`', 'forever', '2026-02-01', 'active', true)`)
		wantCode(t, err, residence.EInvalid)
	})
}

// TestDatabaseRefusesBothKindsAtOnePremises checks migration 0009: an
// active temporary and an active permanent registration of one person at
// the same premises are refused by the database, whichever comes first;
// once one has ended the other may be made.
func TestDatabaseRefusesBothKindsAtOnePremises(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		seed(t, s)
		insert := func(id, rka, kind, status string) error {
			ended := "NULL, NULL"
			if status == "ended" {
				ended = "'2026-03-01', 'replaced'"
			}
			return store.ExecForTest(ctx(t), s, `
				INSERT INTO registrations (id, iin, rka, kind, since, status, ended_on, end_reason, imported)
				VALUES ('`+id+`', '`+iinOwner+`', '`+rka+`', '`+kind+`', '2026-01-01', '`+status+`', `+ended+`, true)`)
		}
		if err := insert("p1", rkaFlat, "permanent", "active"); err != nil {
			t.Fatalf("permanent: %v", err)
		}
		wantCode(t, insert("t1", rkaFlat, "temporary", "active"), residence.EConflict)
		if err := insert("t0", rkaFlat, "temporary", "ended"); err != nil {
			t.Errorf("an ended temporary registration beside the permanent one: %v", err)
		}
		if err := insert("t2", rkaHouse, "temporary", "active"); err != nil {
			t.Errorf("a temporary registration elsewhere: %v", err)
		}
	})
}

// TestConcurrentMoves runs 50 transactions that each move one person to a
// new address; exactly one active permanent registration remains.
func TestConcurrentMoves(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		seed(t, s)
		mustTx(t, s, func(tx residence.Tx) error {
			if err := tx.CreateApplication(ctx(t), application("app-0", iinTenant, iinTenant, rkaFlat, residence.Permanent)); err != nil {
				return err
			}
			return tx.CreateRegistration(ctx(t), registration("reg-0", iinTenant, rkaFlat, "app-0", residence.Permanent, day0))
		})
		rkas := []string{rkaFlat, rkaHouse, rkaHotel}
		const n = 50
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- s.InTx(ctx(t), func(tx residence.Tx) error {
					if err := tx.LockPerson(ctx(t), iinTenant); err != nil {
						return err
					}
					regs, err := tx.Registrations(ctx(t), iinTenant)
					if err != nil {
						return err
					}
					to := rkas[i%len(rkas)]
					for _, r := range regs {
						if r.Status == residence.RegistrationActive && r.Kind == residence.Permanent {
							if r.RKA == to {
								to = rkas[(i+1)%len(rkas)]
							}
							if err := tx.EndRegistration(ctx(t), r.ID, day0, residence.EndMoved); err != nil {
								return err
							}
						}
					}
					appID := fmt.Sprintf("app-c%d", i)
					if err := tx.CreateApplication(ctx(t), application(appID, iinTenant, iinTenant, to, residence.Permanent)); err != nil {
						return err
					}
					return tx.CreateRegistration(ctx(t), registration(fmt.Sprintf("reg-c%d", i), iinTenant, to, appID, residence.Permanent, day0))
				})
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("move: %v", err)
			}
		}
		mustView(t, s, func(r residence.Reader) error {
			regs, err := r.Registrations(ctx(t), iinTenant)
			if err != nil {
				t.Fatal(err)
			}
			active := 0
			for _, x := range regs {
				if x.Status == residence.RegistrationActive && x.Kind == residence.Permanent {
					active++
				}
			}
			if active != 1 || len(regs) != n+1 {
				t.Errorf("%d active permanent of %d registrations, want 1 of %d", active, len(regs), n+1)
			}
			return nil
		})
	})
}

type echoArgs struct {
	ID string `json:"id"`
}

func (echoArgs) Kind() string { return "storetest_echo" }

type echoWorker struct {
	river.WorkerDefaults[echoArgs]
	runs *sync.Map
	n    *atomic.Int64
}

func (w *echoWorker) Work(ctx context.Context, j *river.Job[echoArgs]) error {
	v, _ := w.runs.LoadOrStore(j.Args.ID, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
	w.n.Add(1)
	return nil
}

// TestJobs enqueues jobs in transactions (one rolled back, one duplicate by
// unique key) and checks that each committed job runs exactly once.
func TestJobs(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		seed(t, s)
		job := func(id string) residence.Job {
			return residence.Job{Kind: "storetest_echo", Args: json.RawMessage(`{"id":"` + id + `"}`), UniqueKey: "echo:" + id, MaxAttempts: 3}
		}
		mustTx(t, s, func(tx residence.Tx) error {
			if err := tx.Enqueue(ctx(t), job("a")); err != nil {
				return err
			}
			if err := tx.Enqueue(ctx(t), job("a")); err != nil { // unique: skipped
				return err
			}
			return tx.Enqueue(ctx(t), job("b"))
		})
		_ = s.InTx(ctx(t), func(tx residence.Tx) error {
			if err := tx.Enqueue(ctx(t), job("rolled-back")); err != nil {
				return err
			}
			return errors.New("rollback")
		})

		runs := &sync.Map{}
		n := &atomic.Int64{}
		workers := river.NewWorkers()
		river.AddWorker(workers, &echoWorker{runs: runs, n: n})
		js := s.(store.Store)
		stop, err := js.StartJobs(ctx(t), workers)
		if err != nil {
			t.Fatalf("StartJobs: %v", err)
		}
		// Jobs started while the client runs, with the store busy writing.
		mustTx(t, s, func(tx residence.Tx) error { return tx.Enqueue(ctx(t), job("c")) })
		deadline := time.Now().Add(15 * time.Second)
		for n.Load() < 3 && time.Now().Before(deadline) {
			mustTx(t, s, func(tx residence.Tx) error {
				return tx.AppendEvents(ctx(t), residence.Event{Type: "test.tick", At: t0})
			})
			time.Sleep(20 * time.Millisecond)
		}
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := stop(stopCtx); err != nil {
			t.Errorf("stop: %v", err)
		}
		for _, id := range []string{"a", "b", "c"} {
			v, ok := runs.Load(id)
			if !ok || v.(*atomic.Int64).Load() != 1 {
				t.Errorf("job %s ran %v times, want once", id, v)
			}
		}
		if _, ok := runs.Load("rolled-back"); ok {
			t.Errorf("a job of a rolled-back transaction ran")
		}
		if n.Load() != 3 {
			t.Errorf("%d runs, want 3", n.Load())
		}
	})
}

func TestMigrateConcurrently(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		var wg sync.WaitGroup
		errs := make([]error, 3)
		for i := range errs {
			wg.Go(func() { errs[i] = s.(store.Store).Migrate(ctx(t)) })
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Errorf("Migrate: %v", err)
			}
		}
	})
}

func TestOpen(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := store.Open(ctx(t), "sqlite:"+dir+"/sub/dir/x.db", nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	if err := s.Migrate(ctx(t)); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	if err := s.Migrate(ctx(t)); err != nil {
		t.Fatalf("Migrate again: %v", err)
	}
	if _, err := store.Open(ctx(t), "mysql://x", nil); !residence.IsCode(err, residence.EInvalid) {
		t.Errorf("Open(mysql) = %v, want invalid", err)
	}
}
