package residence

import (
	"context"
	"slices"
)

// Reads of personal data. Each is authorised here and recorded as an event
// in the person's access log (DESIGN.md §6), visible to them through
// AccessLog.

// represents reports whether iin is a parent or guardian of subject.
func represents(rels []Relation, iin, subject string) bool {
	for _, r := range rels {
		if r.From == iin && r.To == subject && (r.Kind == RelationParent || r.Kind == RelationGuardian) {
			return true
		}
	}
	return false
}

// logReads records that actor read the personal data of persons, for purpose:
// in its own transaction, or into the buffer of BatchAccessLog.
func (s *Service) logReads(ctx context.Context, actor Actor, purpose string, persons ...string) error {
	if len(persons) == 0 {
		return nil
	}
	evs := make([]Event, 0, len(persons))
	for _, p := range uniq(persons...) {
		if actor.Role == RoleCitizen && actor.IIN == p {
			continue // reading one's own data is not logged as someone else's access
		}
		e := s.event(EventPersonalDataRead, p, actor)
		if actor.IIN == "" {
			e.ActorIIN = ""
		}
		e.Data = jobArgs(map[string]string{"what": purpose, "actor_name": actor.Name})
		evs = append(evs, e)
	}
	if len(evs) == 0 {
		return nil
	}
	if s.access != nil {
		return s.access.add(ctx, evs) // see accesslog.go for what a crash can lose
	}
	return s.store.InTx(ctx, func(tx Tx) error { return tx.AppendEvents(ctx, evs...) })
}

func forbidden() error { return &Error{Code: EForbidden, Text: codeText(EForbidden)} }

func unauthenticated() error { return &Error{Code: EUnauthenticated, Text: codeText(EUnauthenticated)} }

// PersonAddresses returns a person's current and past registrations with
// their premises, read together (for an agency or staff member an address
// lookup is one statement and a batched access-log record). It is allowed
// to the person, their parents and guardians, staff and agencies. Errors:
// unauthenticated, forbidden, unknown_person.
func (s *Service) PersonAddresses(ctx context.Context, actor Actor, personIIN string) (Addresses, error) {
	if actor.Role == "" {
		return Addresses{}, unauthenticated()
	}
	var out Addresses
	err := s.store.View(ctx, func(r Reader) error {
		var err error
		if out, err = r.Addresses(ctx, personIIN); err != nil {
			return personErr("iin", err)
		}
		if actor.Role == RoleCitizen && actor.IIN != personIIN {
			rels, err := r.Relations(ctx, personIIN)
			if err != nil {
				return err
			}
			if !represents(rels, actor.IIN, personIIN) {
				return forbidden()
			}
		}
		return s.deriveChildAddress(ctx, r, actor, &out)
	})
	if err != nil {
		return Addresses{}, err
	}
	read := []string{personIIN}
	for _, d := range out.Derived {
		read = append(read, d.From) // the parent's address was read too
	}
	if err := s.logReads(ctx, actor, "registrations", read...); err != nil {
		return Addresses{}, err
	}
	return out, nil
}

// Resident is a person registered at premises.
type Resident struct {
	Registration Registration
	Person       Person
}

// PremisesResidents returns who is registered at the premises. It is allowed
// to its owners (and representatives of an owning organisation, and the
// tenant of state rental housing) and to staff. Errors: unauthenticated,
// forbidden, not_found.
func (s *Service) PremisesResidents(ctx context.Context, actor Actor, rka string) (Premises, []Resident, error) {
	if actor.Role == "" {
		return Premises{}, nil, unauthenticated()
	}
	var prem Premises
	var out []Resident
	err := s.store.View(ctx, func(r Reader) error {
		var err error
		if prem, err = r.Premises(ctx, rka); err != nil {
			return err
		}
		if actor.Role == RoleCitizen {
			ok, err := s.isOwner(ctx, r, actor.IIN, prem)
			if err != nil {
				return err
			}
			if !ok {
				return forbidden()
			}
		} else if !actor.IsStaff() && actor.Role != RoleAgency {
			return forbidden()
		}
		regs, err := r.Residents(ctx, rka)
		if err != nil {
			return err
		}
		for _, reg := range regs {
			p, err := r.Person(ctx, reg.IIN)
			if err != nil {
				return err
			}
			out = append(out, Resident{Registration: reg, Person: p})
		}
		return nil
	})
	if err != nil {
		return Premises{}, nil, err
	}
	iins := make([]string, len(out))
	for i, r := range out {
		iins[i] = r.Person.IIN
	}
	if err := s.logReads(ctx, actor, "residents", iins...); err != nil {
		return Premises{}, nil, err
	}
	return prem, out, nil
}

// isOwner reports whether iin owns the premises, represents an owning
// organisation, or is the tenant of its state rental agreement.
func (s *Service) isOwner(ctx context.Context, r Reader, iin string, prem Premises) (bool, error) {
	owners, err := r.Owners(ctx, prem.RKA)
	if err != nil {
		return false, err
	}
	for _, o := range owners {
		if o.OwnerIIN == iin {
			return true, nil
		}
		if o.OwnerBIN != "" {
			org, err := r.Organisation(ctx, o.OwnerBIN)
			if err == nil && slices.Contains(org.Representatives, iin) {
				return true, nil
			}
		}
	}
	if prem.StateRental {
		rs, err := r.RentalAgreements(ctx, prem.RKA)
		if err != nil {
			return false, err
		}
		for _, ra := range rs {
			if ra.TenantIIN == iin && ra.ActiveOn(DateOf(s.now())) {
				return true, nil
			}
		}
	}
	return false, nil
}

// ApplicationView is an application with its consent tasks. Party is false
// when the caller is not a party to it (see Application): the adapters then
// mask the persons' IINs.
type ApplicationView struct {
	Application Application
	Consents    []ConsentTask
	Party       bool
}

// Application returns an application with its consent tasks.
//
// Its id is an unguessable number given only to the applicant (as a parcel
// tracking number is), and an applicant who signed with a one-time password
// has no session: so anyone holding the id may follow its status and
// decision, with the persons' IINs masked (Party false). The applicant, the
// subject, the owners asked for consent (and representatives of an owning
// organisation) and staff see it whole. A signed-in citizen who is none of
// these is refused. Every read is in the persons' access logs. Errors:
// forbidden, not_found.
func (s *Service) Application(ctx context.Context, actor Actor, id string) (ApplicationView, error) {
	var v ApplicationView
	err := s.store.View(ctx, func(r Reader) error {
		var err error
		if v.Application, err = r.Application(ctx, id); err != nil {
			return err
		}
		if v.Consents, err = r.ConsentTasks(ctx, id); err != nil {
			return err
		}
		switch {
		case actor.IsStaff():
			v.Party = true
			return nil
		case actor.Role == "":
			return nil // the tracking-number view
		case actor.Role != RoleCitizen:
			return forbidden()
		}
		a := v.Application
		if actor.IIN == a.ApplicantIIN || actor.IIN == a.SubjectIIN {
			v.Party = true
			return nil
		}
		for _, t := range v.Consents {
			if t.OwnerIIN == actor.IIN {
				v.Party = true
				return nil
			}
			if t.OwnerBIN != "" {
				if org, err := r.Organisation(ctx, t.OwnerBIN); err == nil && slices.Contains(org.Representatives, actor.IIN) {
					v.Party = true
					return nil
				}
			}
		}
		return forbidden()
	})
	if err != nil {
		return ApplicationView{}, err
	}
	a := v.Application
	if err := s.logReads(ctx, actor, "application", a.ApplicantIIN, a.SubjectIIN); err != nil {
		return ApplicationView{}, err
	}
	return v, nil
}

// HistoryItem is one line of a person's service history.
type HistoryItem struct {
	Application Application `json:"application"`
}

// History returns the signed-in person's applications (as applicant or
// subject) and messages (events of their service history, newest first).
func (s *Service) History(ctx context.Context, actor Actor, limit int) ([]Application, []Event, error) {
	if actor.Role != RoleCitizen {
		return nil, nil, unauthenticated()
	}
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	var apps []Application
	var evs []Event
	err := s.store.View(ctx, func(r Reader) error {
		var err error
		if apps, err = r.ApplicationsFor(ctx, actor.IIN, limit); err != nil {
			return err
		}
		evs, err = r.PersonEvents(ctx, actor.IIN, HistoryEventTypes, limit)
		return err
	})
	return apps, evs, err
}

// HistoryEventTypes are the events shown as messages in a service history.
var HistoryEventTypes = []string{EventApplicationDecided, EventConsentRequested, EventConsentAnswered, EventConsentExpired,
	EventRegistrationCreated, EventRegistrationEnded, EventNotification, EventSMSFailed}

// AccessLog returns who read the signed-in person's data, newest first.
func (s *Service) AccessLog(ctx context.Context, actor Actor, limit int) ([]Event, error) {
	if actor.Role != RoleCitizen {
		return nil, unauthenticated()
	}
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	var evs []Event
	err := s.store.View(ctx, func(r Reader) error {
		var err error
		evs, err = r.PersonEvents(ctx, actor.IIN, []string{EventPersonalDataRead}, limit)
		return err
	})
	return evs, err
}

// PendingConsents returns the consent tasks waiting for the signed-in owner
// (including petitions of organisations they represent), with their
// applications.
func (s *Service) PendingConsents(ctx context.Context, actor Actor) ([]ApplicationView, error) {
	if actor.Role != RoleCitizen {
		return nil, unauthenticated()
	}
	var out []ApplicationView
	err := s.store.View(ctx, func(r Reader) error {
		tasks, err := r.PendingConsentTasksFor(ctx, actor.IIN)
		if err != nil {
			return err
		}
		for _, t := range tasks {
			a, err := r.Application(ctx, t.ApplicationID)
			if err != nil {
				return err
			}
			out = append(out, ApplicationView{Application: a, Consents: []ConsentTask{t}})
		}
		return nil
	})
	return out, err
}

// FeedEventTypes are the events published to subscribed agencies.
var FeedEventTypes = []string{EventRegistrationCreated, EventRegistrationEnded, EventIDCardRewrite}

// Feed returns the sealed registration events with Seq > after, in Seq
// order, for agencies and staff. Events of other types are skipped. Only
// sealed events appear, so polling with after = the last Seq returned never
// skips one that commits late.
func (s *Service) Feed(ctx context.Context, actor Actor, after int64, limit int) ([]Event, error) {
	if actor.Role != RoleAgency && !actor.IsStaff() {
		if actor.Role == "" {
			return nil, unauthenticated()
		}
		return nil, forbidden()
	}
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	var out []Event
	err := s.store.View(ctx, func(r Reader) error {
		cursor := after
		for len(out) < limit {
			evs, err := r.Events(ctx, cursor, limit)
			if err != nil {
				return err
			}
			for _, e := range evs {
				cursor = e.Seq
				if slices.Contains(FeedEventTypes, e.Type) && len(out) < limit {
					out = append(out, e)
				}
			}
			if len(evs) < limit {
				return nil
			}
		}
		return nil
	})
	return out, err
}

// deriveChildAddress adds to out, when its person is a child under 14, the
// permanent registration of a parent or legal representative that their
// place of residence follows (ChildAddressSources, DeriveChildAddress), with
// its premises. It reads nothing for anyone else.
func (s *Service) deriveChildAddress(ctx context.Context, r Reader, actor Actor, out *Addresses) error {
	today := DateOf(s.now())
	if AgeOn(out.Person.BirthDate, today) >= MinAge {
		return nil
	}
	rels, err := r.Relations(ctx, out.Person.IIN)
	if err != nil {
		return err
	}
	reader := ""
	if actor.Role == RoleCitizen {
		reader = actor.IIN
	}
	sources := ChildAddressSources(out.Person, today, rels, out.Registrations, reader)
	regsOf := map[string][]Registration{}
	for _, src := range sources {
		if _, ok := regsOf[src.From]; ok {
			continue
		}
		if regsOf[src.From], err = r.Registrations(ctx, src.From); err != nil {
			return err
		}
		if d := DeriveChildAddress(sources, regsOf); d != nil {
			p, err := r.Premises(ctx, d.Registration.RKA)
			if err != nil && !IsCode(err, ENotFound) {
				return err
			}
			if err == nil {
				if out.Premises == nil {
					out.Premises = map[string]Premises{}
				}
				out.Premises[p.RKA] = p
			}
			out.Derived = []DerivedRegistration{*d}
			return nil
		}
	}
	return nil
}
