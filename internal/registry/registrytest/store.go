// Package registrytest provides an in-memory residence.Store that holds only
// the registry tables, for fast tests of import and of the demo data without
// a database. Every method outside the registry panics.
package registrytest

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"tirkeu/internal/residence"
)

// Store is an in-memory registry. It enforces the invariants the real
// stores enforce on import: upserts by natural key, references to existing
// rows, and at most one active registration of each kind per person
// (EConflict). A failed write changes nothing. It is safe for concurrent use.
type Store struct {
	residence.Store // nil: methods outside the registry panic

	mu            sync.Mutex
	Persons       map[string]residence.Person
	Organisations map[string]residence.Organisation
	Premises      map[string]residence.Premises
	Relations     map[string]residence.Relation
	Ownerships    map[string]residence.Ownership
	Rentals       map[string]residence.RentalAgreement
	Registrations map[string]residence.Registration
	// Events are the events appended (the deaths' registration.ended).
	Events []residence.Event
	// Transactions counts the InTx calls.
	Transactions int
}

// NewStore returns an empty Store.
func NewStore() *Store {
	return &Store{
		Persons: map[string]residence.Person{}, Organisations: map[string]residence.Organisation{},
		Premises: map[string]residence.Premises{}, Relations: map[string]residence.Relation{},
		Ownerships: map[string]residence.Ownership{}, Rentals: map[string]residence.RentalAgreement{},
		Registrations: map[string]residence.Registration{},
	}
}

// InTx runs fn with the store locked.
func (s *Store) InTx(ctx context.Context, fn func(tx residence.Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Transactions++
	return fn(tx{s: s})
}

// View runs fn with the store locked.
func (s *Store) View(ctx context.Context, fn func(r residence.Reader) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fn(tx{s: s})
}

// Dump returns every row in a stable textual form, to compare two states.
func (s *Store) Dump() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var lines []string
	add := func(table string, m any) {
		switch m := m.(type) {
		case map[string]residence.Person:
			for k, v := range m {
				lines = append(lines, fmt.Sprintf("%s %s %+v", table, k, v))
			}
		case map[string]residence.Organisation:
			for k, v := range m {
				lines = append(lines, fmt.Sprintf("%s %s %+v", table, k, v))
			}
		case map[string]residence.Premises:
			for k, v := range m {
				lines = append(lines, fmt.Sprintf("%s %s %+v", table, k, v))
			}
		case map[string]residence.Relation:
			for k, v := range m {
				lines = append(lines, fmt.Sprintf("%s %s %+v", table, k, v))
			}
		case map[string]residence.Ownership:
			for k, v := range m {
				lines = append(lines, fmt.Sprintf("%s %s %+v", table, k, v))
			}
		case map[string]residence.RentalAgreement:
			for k, v := range m {
				lines = append(lines, fmt.Sprintf("%s %s %+v", table, k, v))
			}
		case map[string]residence.Registration:
			for k, v := range m {
				lines = append(lines, fmt.Sprintf("%s %s %+v", table, k, v))
			}
		}
	}
	add("person", s.Persons)
	add("organisation", s.Organisations)
	add("premises", s.Premises)
	add("relation", s.Relations)
	add("ownership", s.Ownerships)
	add("rental", s.Rentals)
	add("registration", s.Registrations)
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

type tx struct {
	residence.Tx // nil: methods outside the registry panic
	s            *Store
}

func notFound() error { return residence.ErrNotFound }

// missing is the error of a write whose reference is unknown; the importer
// must never cause it, so it is not a record error.
func missing(what, key string) error {
	return fmt.Errorf("registrytest: foreign key: unknown %s %q", what, key)
}

func (t tx) Person(_ context.Context, iin string) (residence.Person, error) {
	p, ok := t.s.Persons[iin]
	if !ok {
		return p, notFound()
	}
	return p, nil
}

func (t tx) Relations(_ context.Context, iin string) ([]residence.Relation, error) {
	var out []residence.Relation
	for _, r := range t.s.Relations {
		if r.From == iin || r.To == iin {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].From+out[i].To < out[j].From+out[j].To })
	return out, nil
}

func (t tx) Organisation(_ context.Context, bin string) (residence.Organisation, error) {
	o, ok := t.s.Organisations[bin]
	if !ok {
		return o, notFound()
	}
	return o, nil
}

func (t tx) OrganisationsRepresentedBy(_ context.Context, iin string) ([]residence.Organisation, error) {
	var out []residence.Organisation
	for _, o := range t.s.Organisations {
		if slices.Contains(o.Representatives, iin) {
			out = append(out, o)
		}
	}
	return out, nil
}

func (t tx) Premises(_ context.Context, rka string) (residence.Premises, error) {
	p, ok := t.s.Premises[rka]
	if !ok {
		return p, notFound()
	}
	return p, nil
}

func (t tx) Owners(_ context.Context, rka string) ([]residence.Ownership, error) {
	var out []residence.Ownership
	for _, o := range t.s.Ownerships {
		if o.RKA == rka {
			out = append(out, o)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].OwnerIIN+out[i].OwnerBIN < out[j].OwnerIIN+out[j].OwnerBIN })
	return out, nil
}

func (t tx) RentalAgreements(_ context.Context, rka string) ([]residence.RentalAgreement, error) {
	var out []residence.RentalAgreement
	for _, a := range t.s.Rentals {
		if a.RKA == rka {
			out = append(out, a)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ValidFrom.After(out[j].ValidFrom) })
	return out, nil
}

func (t tx) Registrations(_ context.Context, iin string) ([]residence.Registration, error) {
	var out []residence.Registration
	for _, g := range t.s.Registrations {
		if g.IIN == iin {
			out = append(out, g)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Since.After(out[j].Since) })
	return out, nil
}

func (t tx) Residents(_ context.Context, rka string) ([]residence.Registration, error) {
	var out []residence.Registration
	for _, g := range t.s.Registrations {
		if g.RKA == rka && g.Status == residence.RegistrationActive {
			out = append(out, g)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].IIN < out[j].IIN })
	return out, nil
}

func existing[V any](m map[string]V, keys []string) (map[string]bool, error) {
	out := make(map[string]bool, len(keys))
	for _, k := range keys {
		if _, ok := m[k]; ok {
			out[k] = true
		}
	}
	return out, nil
}

func (t tx) ExistingPersons(_ context.Context, iins []string) (map[string]bool, error) {
	return existing(t.s.Persons, iins)
}

func (t tx) ExistingOrganisations(_ context.Context, bins []string) (map[string]bool, error) {
	return existing(t.s.Organisations, bins)
}

func (t tx) ExistingPremises(_ context.Context, rkas []string) (map[string]bool, error) {
	return existing(t.s.Premises, rkas)
}

func (t tx) UpsertPersons(_ context.Context, ps []residence.Person) error {
	for _, p := range ps {
		t.s.Persons[p.IIN] = p
	}
	return nil
}

func (t tx) UpsertPremises(_ context.Context, ps []residence.Premises) error {
	for _, p := range ps {
		t.s.Premises[p.RKA] = p
	}
	return nil
}

func (t tx) UpsertOrganisations(_ context.Context, os []residence.Organisation) error {
	for _, o := range os {
		for _, r := range o.Representatives {
			if _, ok := t.s.Persons[r]; !ok {
				return missing("person", r)
			}
		}
	}
	for _, o := range os {
		t.s.Organisations[o.BIN] = o
	}
	return nil
}

func (t tx) UpsertRelations(_ context.Context, rs []residence.Relation) error {
	for _, r := range rs {
		for _, k := range []string{r.From, r.To} {
			if _, ok := t.s.Persons[k]; !ok {
				return missing("person", k)
			}
		}
	}
	for _, r := range rs {
		t.s.Relations[string(r.Kind)+"|"+r.From+"|"+r.To] = r
	}
	return nil
}

func (t tx) UpsertOwnerships(_ context.Context, os []residence.Ownership) error {
	for _, o := range os {
		if _, ok := t.s.Premises[o.RKA]; !ok {
			return missing("premises", o.RKA)
		}
		if _, ok := t.s.Persons[o.OwnerIIN]; o.OwnerIIN != "" && !ok {
			return missing("person", o.OwnerIIN)
		}
		if _, ok := t.s.Organisations[o.OwnerBIN]; o.OwnerBIN != "" && !ok {
			return missing("organisation", o.OwnerBIN)
		}
	}
	for _, o := range os {
		t.s.Ownerships[o.RKA+"|"+o.OwnerIIN+"|"+o.OwnerBIN] = o
	}
	return nil
}

func (t tx) UpsertRentalAgreements(_ context.Context, rs []residence.RentalAgreement) error {
	for _, a := range rs {
		if _, ok := t.s.Premises[a.RKA]; !ok {
			return missing("premises", a.RKA)
		}
		for _, k := range append([]string{a.TenantIIN}, a.Members...) {
			if _, ok := t.s.Persons[k]; !ok {
				return missing("person", k)
			}
		}
	}
	for _, a := range rs {
		t.s.Rentals[a.RKA+"|"+a.TenantIIN+"|"+a.ValidFrom.Format("2006-01-02")] = a
	}
	return nil
}

func (t tx) UpsertImportedRegistrations(_ context.Context, rs []residence.Registration) error {
	key := func(g residence.Registration) string {
		return g.IIN + "|" + g.RKA + "|" + string(g.Kind) + "|" + g.Since.Format("2006-01-02")
	}
	// active holds, for person and kind, the key of the active registration
	// after the batch.
	active := map[string]string{}
	for k, g := range t.s.Registrations {
		if g.Status == residence.RegistrationActive {
			active[g.IIN+"|"+string(g.Kind)] = k
		}
	}
	for _, g := range rs {
		if _, ok := t.s.Persons[g.IIN]; !ok {
			return missing("person", g.IIN)
		}
		if _, ok := t.s.Premises[g.RKA]; !ok {
			return missing("premises", g.RKA)
		}
		if g.Status != residence.RegistrationActive {
			continue
		}
		pk := g.IIN + "|" + string(g.Kind)
		if k, ok := active[pk]; ok && k != key(g) {
			return residence.ErrConflict
		}
		active[pk] = key(g)
	}
	for _, g := range rs {
		g.Imported = true
		if old, ok := t.s.Registrations[key(g)]; ok {
			g.ID = old.ID
		}
		t.s.Registrations[key(g)] = g
	}
	return nil
}

// EndDeceasedRegistrations ends the active registrations of the deceased
// persons among iins.
func (t tx) EndDeceasedRegistrations(_ context.Context, iins []string, on time.Time) ([]residence.Registration, error) {
	var ended []residence.Registration
	for _, iin := range iins {
		if p, ok := t.s.Persons[iin]; !ok || !p.Deceased {
			continue
		}
		for k, g := range t.s.Registrations {
			if g.IIN == iin && g.Status == residence.RegistrationActive {
				g.Status, g.EndedOn, g.EndReason = residence.RegistrationEnded, on, residence.EndDeceased
				t.s.Registrations[k] = g
				ended = append(ended, g)
			}
		}
	}
	return ended, nil
}

// AppendEvents keeps the events in Events.
func (t tx) AppendEvents(_ context.Context, evs ...residence.Event) error {
	t.s.Events = append(t.s.Events, evs...)
	return nil
}
