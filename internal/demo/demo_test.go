package demo

import (
	"bytes"
	"context"
	"flag"
	"io"
	"os"
	"testing"
	"time"

	"tirkeu/internal/iin"
	"tirkeu/internal/registry"
	"tirkeu/internal/registry/registrytest"
	"tirkeu/internal/residence"
)

var update = flag.Bool("update", false, "rewrite demo.jsonl")

// TestDemoFileUpToDate checks that the embedded file is what writeTown
// writes; run with -update after changing the cast or the generator.
func TestDemoFileUpToDate(t *testing.T) {
	var buf bytes.Buffer
	if err := writeTown(&buf); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("demo.jsonl", buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(buf.Bytes(), demoFile) {
		t.Fatal("demo.jsonl is stale: go test ./internal/demo -run TestDemoFileUpToDate -update")
	}
}

func TestCastIdentifiers(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, c := range Cast(ReferenceDate) {
		if err := iin.Validate(c.IIN); err != nil {
			t.Errorf("%s: IIN: %v", c.Role, err)
		}
		if c.RKA == "" || c.Name == "" || c.Scenario.IsZero() || c.Try.EN == "" || c.Try.KK == "" || c.Try.RU == "" {
			t.Errorf("%s: incomplete %+v", c.Role, c)
		}
		if seen[c.Role] {
			t.Errorf("role %s twice", c.Role)
		}
		seen[c.Role] = true
	}
	for _, s := range EDSSubjects() {
		if err := iin.Validate(s.IIN); err != nil {
			t.Errorf("%s: %v", s.CommonName, err)
		}
		if s.BIN != "" && !iin.Valid(s.BIN) {
			t.Errorf("%s: BIN %s", s.CommonName, s.BIN)
		}
	}
}

func loadDemo(t *testing.T, today time.Time) *registrytest.Store {
	t.Helper()
	st := registrytest.NewStore()
	sum, err := Load(context.Background(), st, today)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Bad != 0 || sum.Imported < 300 {
		t.Fatalf("summary %+v", sum)
	}
	return st
}

func TestLoadScenarioFacts(t *testing.T) {
	t.Parallel()
	days := []time.Time{
		ReferenceDate,
		ReferenceDate.AddDate(0, 0, -1),
		ReferenceDate.AddDate(0, 11, 30),
		time.Date(2028, 2, 29, 12, 0, 0, 0, time.UTC),
		time.Date(2031, 1, 14, 0, 0, 0, 0, residence.Almaty),
		time.Date(2031, 1, 15, 0, 0, 0, 0, residence.Almaty),
		time.Date(2040, 7, 1, 0, 0, 0, 0, time.UTC),
	}
	for _, today := range days {
		t.Run(today.Format(time.DateOnly), func(t *testing.T) {
			t.Parallel()
			st := loadDemo(t, today)
			on := residence.DateOf(today)
			person := func(role string) residence.Person {
				t.Helper()
				p, ok := st.Persons[castIIN[role]]
				if !ok {
					t.Fatalf("%s not loaded", role)
				}
				return p
			}
			age := func(role string) int { return residence.AgeOn(person(role).BirthDate, on) }
			if a := age("child_13"); a != 13 {
				t.Errorf("child_13 is %d", a)
			}
			if a := age("child_15"); a != 15 {
				t.Errorf("child_15 is %d", a)
			}
			if a := age("minor_co_owner"); a < 14 || a >= 18 {
				t.Errorf("minor co-owner is %d", a)
			}
			if person("ward").Capacity != residence.CapacityIncapable {
				t.Error("ward is not incapable")
			}
			if !person("deceased").Deceased || !person("back_from_abroad").ConsularAbroad || person("no_phone").Phone != "" {
				t.Error("deceased, consular or phone facts wrong")
			}
			if person("foreigner").Citizenship == residence.CitizenKZ {
				t.Error("foreigner is a citizen")
			}
			for _, c := range Cast(today) {
				p := person(c.Role)
				if a := residence.AgeOn(p.BirthDate, on); a != c.Age {
					t.Errorf("%s: Cast age %d, registry age %d", c.Role, c.Age, a)
				}
				if a := residence.AgeOn(p.BirthDate, on); a >= 18 && !p.Deceased && c.Role != "no_phone" && p.Phone == "" {
					t.Errorf("%s: adult without MCD phone", c.Role)
				}
				if _, ok := st.Premises[c.RKA]; !ok {
					t.Errorf("%s: premises %s not loaded", c.Role, c.RKA)
				}
			}
			// Everyone aged 14 or more in the cast (alive, a citizen) has an
			// active permanent registration elsewhere than the scenario's
			// premises, when they are the one who moves.
			perm := map[string]residence.Registration{}
			for _, g := range st.Registrations {
				if g.Kind == residence.Permanent && g.Status == residence.RegistrationActive {
					if _, dup := perm[g.IIN]; dup {
						t.Errorf("two active permanent registrations")
					}
					perm[g.IIN] = g
				}
				if g.Since.After(on) {
					t.Errorf("registration since %s after today", g.Since.Format(time.DateOnly))
				}
			}
			for _, p := range castPersons {
				if p.citizenship != residence.CitizenKZ {
					continue
				}
				if p.deceased {
					// Importing a deceased person ends their registrations
					// (issue 15): the civil registry's record of death.
					if g, ok := perm[castIIN[p.key]]; ok {
						t.Errorf("%s has an active registration %+v", p.key, g)
					}
					continue
				}
				if a := age(p.key); a >= 14 {
					if _, ok := perm[castIIN[p.key]]; !ok {
						t.Errorf("%s (%d) has no permanent registration", p.key, a)
					}
				}
			}
			for _, role := range []string{"sole_owner", "tenant", "parent", "child_15", "back_from_abroad", "hotel_guest"} {
				var scen string
				for _, c := range Cast(today) {
					if c.Role == role {
						scen = c.RKA
					}
				}
				if perm[castIIN[role]].RKA == scen {
					t.Errorf("%s is already registered at the scenario's premises", role)
				}
			}
			// Ownership facts.
			owners := func(key string) []residence.Ownership {
				var out []residence.Ownership
				for _, o := range st.Ownerships {
					if o.RKA == castRKA[key] {
						out = append(out, o)
					}
				}
				return out
			}
			if os := owners("own_flat"); len(os) != 1 || os[0].OwnerIIN != castIIN["sole_owner"] || os[0].Share != 1 {
				t.Errorf("own flat owners %+v", os)
			}
			if os := owners("coowned_flat"); len(os) != 2 {
				t.Errorf("co-owned flat owners %+v", os)
			}
			if os := owners("hotel"); len(os) != 1 || os[0].OwnerBIN == "" {
				t.Errorf("hotel owners %+v", os)
			}
			if !st.Premises[castRKA["rental_flat"]].StateRental {
				t.Error("rental flat is not state rental")
			}
			var rental residence.RentalAgreement
			for _, a := range st.Rentals {
				if a.RKA == castRKA["rental_flat"] {
					rental = a
				}
			}
			if !rental.ActiveOn(on) || !rental.Lists(castIIN["rental_member"]) || rental.Lists(castIIN["rental_friend"]) ||
				rental.TenantIIN != castIIN["rental_tenant"] {
				t.Errorf("rental agreement %+v", rental)
			}
			if o := st.Organisations[castBIN["hotel"]]; len(o.Representatives) != 1 || o.Representatives[0] != castIIN["hotel_head"] {
				t.Errorf("hotel %+v", o)
			}
			guard := false
			for _, r := range st.Relations {
				if r.Kind == residence.RelationGuardian && r.From == castIIN["guardian"] && r.To == castIIN["ward"] {
					guard = true
				}
			}
			if !guard {
				t.Error("no guardian relation")
			}
		})
	}
}

func TestLoadTwiceChangesNothing(t *testing.T) {
	t.Parallel()
	st := loadDemo(t, ReferenceDate)
	before := st.Dump()
	if _, err := Load(context.Background(), st, ReferenceDate); err != nil {
		t.Fatal(err)
	}
	if st.Dump() != before {
		t.Fatal("second load changed the store")
	}
}

func TestGenerateImportsCleanlyAndIsDeterministic(t *testing.T) {
	t.Parallel()
	opts := GenerateOptions{Persons: 2000, Seed: 7, Today: ReferenceDate}
	var a, b bytes.Buffer
	if err := Generate(&a, opts); err != nil {
		t.Fatal(err)
	}
	if err := Generate(&b, opts); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("same seed, different output")
	}
	var c bytes.Buffer
	opts.Seed = 8
	if err := Generate(&c, opts); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a.Bytes(), c.Bytes()) {
		t.Fatal("different seeds, same output")
	}
	st := registrytest.NewStore()
	sum, err := registry.Import(context.Background(), st, bytes.NewReader(a.Bytes()), registry.Options{
		Report: func(line int, reason string) { t.Errorf("line %d: %s", line, reason) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Bad != 0 || len(st.Persons) != 2000 {
		t.Fatalf("summary %+v, %d persons", sum, len(st.Persons))
	}
	// The mix the brief asks for is there.
	var minors, incapable, stateRental, temporary, orgOwned, phones int
	for _, p := range st.Persons {
		if p.Capacity != residence.CapacityFull {
			incapable++
		}
		if p.Phone != "" {
			phones++
		}
	}
	for _, o := range st.Ownerships {
		if o.OwnerBIN != "" {
			orgOwned++
		} else if residence.AgeOn(st.Persons[o.OwnerIIN].BirthDate, ReferenceDate) < 18 {
			minors++
		}
	}
	for _, p := range st.Premises {
		if p.StateRental {
			stateRental++
		}
	}
	for _, g := range st.Registrations {
		if g.Kind == residence.Temporary {
			temporary++
		}
	}
	if minors == 0 || incapable == 0 || stateRental == 0 || temporary == 0 || orgOwned == 0 || phones < 1000 || len(st.Rentals) == 0 {
		t.Errorf("minors %d incapable %d state rental %d temporary %d org-owned %d phones %d rentals %d",
			minors, incapable, stateRental, temporary, orgOwned, phones, len(st.Rentals))
	}
	regions := map[string]bool{}
	for _, p := range st.Premises {
		regions[p.Region] = true
	}
	if len(regions) < 15 {
		t.Errorf("only %d regions", len(regions))
	}
}

func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		if err := Generate(io.Discard, GenerateOptions{Persons: 100000, Seed: 1, Today: ReferenceDate}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(100000*b.N)/b.Elapsed().Seconds(), "persons/s")
}
