package residence

import (
	"context"
	"slices"
	"time"
)

// Reads of personal data. Each is authorised here and recorded as an event
// in the person's access log (DESIGN.md §6), visible to them through
// AccessLog, with who read it, what and for which purpose. The adapters
// (internal/api, internal/ui) have no other way to the store: every page and
// every response that shows a person's data comes from one of these use
// cases.

// legalRepresentative reports whether iin is the subject's legal
// representative on today: a parent or guardian of a minor (under 18), or
// the guardian of a ward (an adult declared incapacitated or partially
// incapacitated). A parent of an adult child is not: the child acts for
// themself. rels are relations of iin or of the subject.
func legalRepresentative(rels []Relation, iin string, subject Person, today time.Time) bool {
	minor := AgeOn(subject.BirthDate, today) < 18
	ward := subject.Capacity == CapacityIncapable || subject.Capacity == CapacityPartial
	for _, r := range rels {
		if r.From != iin || r.To != subject.IIN {
			continue
		}
		switch {
		case minor && (r.Kind == RelationParent || r.Kind == RelationGuardian):
			return true
		case ward && r.Kind == RelationGuardian:
			return true
		}
	}
	return false
}

// representsSubject reads the relations of iin and reports whether iin is
// the legal representative of subject today.
func (s *Service) representsSubject(ctx context.Context, r Reader, iin string, subject Person) (bool, error) {
	rels, err := r.Relations(ctx, iin)
	if err != nil {
		return false, err
	}
	return legalRepresentative(rels, iin, subject, DateOf(s.now())), nil
}

// accessData is the data of an access-log record (personal_data.read),
// its fields in the order of their keys, as a map would encode them.
type accessData struct {
	ActorName string `json:"actor_name"`
	Purpose   string `json:"purpose"`
	What      string `json:"what"`
}

// distinct returns persons without repeats, in order: persons itself when
// they are few and already distinct (a lookup reads one or two), else a
// copy made by uniq.
func distinct(persons []string) []string {
	if len(persons) <= 8 {
		i := 1
		for i < len(persons) && !slices.Contains(persons[:i], persons[i]) {
			i++
		}
		if i >= len(persons) {
			return persons
		}
	}
	return uniq(persons...)
}

// logReads records that actor read the personal data of persons: what was
// read and for which purpose (see readPurpose), in its own transaction, or
// into the buffer of BatchAccessLog.
func (s *Service) logReads(ctx context.Context, actor Actor, what, purpose string, persons ...string) error {
	if len(persons) == 0 {
		return nil
	}
	evs := make([]Event, 0, len(persons))
	// Every record of one read carries the same data: encoded once.
	data := jobArgs(accessData{ActorName: actor.Name, Purpose: purpose, What: what})
	for _, p := range distinct(persons) {
		if p == "" || actor.Role == RoleCitizen && actor.IIN == p {
			continue // reading one's own data is not logged as someone else's access
		}
		e := s.event(EventPersonalDataRead, p, actor)
		if actor.IIN == "" {
			e.ActorIIN = ""
		}
		e.Data = data
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
// to the person, their legal representatives (a parent or guardian while the
// person is under 18, the guardian of a ward), staff, and agencies whose
// token has address:read. Errors: unauthenticated, forbidden,
// purpose_missing, unknown_person.
func (s *Service) PersonAddresses(ctx context.Context, actor Actor, personIIN string) (Addresses, error) {
	if actor.Role == "" {
		return Addresses{}, unauthenticated()
	}
	if err := actor.needs(PurposeAddressRead); err != nil {
		return Addresses{}, err
	}
	if actor.Role != RoleCitizen && actor.Role != RoleAgency && !actor.IsStaff() {
		return Addresses{}, forbidden()
	}
	var out Addresses
	purpose := readPurpose(actor, PurposeAddressRead, "self")
	err := s.store.View(ctx, func(r Reader) error {
		var err error
		if out, err = r.Addresses(ctx, personIIN); err != nil {
			return personErr("iin", err)
		}
		if actor.Role == RoleCitizen && actor.IIN != personIIN {
			ok, err := s.representsSubject(ctx, r, actor.IIN, out.Person)
			if err != nil {
				return err
			}
			if !ok {
				return forbidden()
			}
			purpose = "legal_representative"
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
	if err := s.logReads(ctx, actor, "registrations", purpose, read...); err != nil {
		return Addresses{}, err
	}
	return AddressesFor(actor, out), nil
}

// Resident is a person registered at premises.
type Resident struct {
	Registration Registration
	Person       Person
}

// PremisesResidents returns who is registered at the premises. It is allowed
// to its owners (and representatives of an owning organisation, and the
// tenant of state rental housing), to staff, and to agencies whose token has
// residents:read. Every resident's access log records the read. Errors:
// unauthenticated, forbidden, purpose_missing, not_found.
func (s *Service) PremisesResidents(ctx context.Context, actor Actor, rka string) (Premises, []Resident, error) {
	if actor.Role == "" {
		return Premises{}, nil, unauthenticated()
	}
	if err := actor.needs(PurposeResidentsRead); err != nil {
		return Premises{}, nil, err
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
	if err := s.logReads(ctx, actor, "residents", readPurpose(actor, PurposeResidentsRead, "owner"), iins...); err != nil {
		return Premises{}, nil, err
	}
	return prem, out, nil
}

// OwnedPremises returns the RKAs of the premises the signed-in citizen owns
// or whose owning organisation they represent (their residents are then read
// with PremisesResidents). It reads no one else's data. Errors:
// unauthenticated.
func (s *Service) OwnedPremises(ctx context.Context, actor Actor) ([]string, error) {
	if actor.Role != RoleCitizen {
		return nil, unauthenticated()
	}
	var rkas []string
	err := s.store.View(ctx, func(r Reader) error {
		own, err := r.PremisesOwnedBy(ctx, actor.IIN, "")
		if err != nil {
			return err
		}
		rkas = append(rkas, own...)
		orgs, err := r.OrganisationsRepresentedBy(ctx, actor.IIN)
		if err != nil {
			return err
		}
		for _, o := range orgs {
			more, err := r.PremisesOwnedBy(ctx, "", o.BIN)
			if err != nil {
				return err
			}
			rkas = append(rkas, more...)
		}
		return nil
	})
	return uniq(rkas...), err
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

// ApplicationView is an application with its consent tasks, as the reader
// may see it.
//
// Party is false for the tracking view (a caller holding only the id): then
// Application holds only its id, action, status, decision rule, legal basis
// and messages, and the times; no RKA, reason, effects, consent tasks or IIN.
// Discreet is true when the reader is a party but not the subject, their
// legal representative or staff (an owner asked for consent, an applicant
// who applied for another adult): a decision taken on the subject's own
// facts (age, capacity, death, citizenship) then reads only "you cannot
// apply for this person", and the effects (the subject's present address)
// are left out. SubjectName and ApplicantName are set for parties;
// Premises when the RKA resolves.
type ApplicationView struct {
	Application Application
	Consents    []ConsentTask
	// ShownConsents are Consents with each owner's IIN as the reader may
	// see it (visibility.go): what an adapter renders.
	ShownConsents []ConsentTask
	Party         bool
	Discreet      bool
	ApplicantName string
	SubjectName   string
	Premises      *Premises
	// Answerers name, by consent task id, whose answer each task awaits, as
	// a party may see it: a person's initials (MaskName, "А*** П***") or an
	// organisation's name. With the masked IIN this tells two co-owners'
	// tasks apart without naming them (set for parties only).
	Answerers map[string]string
}

// subjectRules are the rules decided on the subject's own facts: their
// outcome must not reach someone who is not the subject or their legal
// representative.
var subjectRules = []RuleID{RuleSubjectAlive, RuleSubjectCitizen, RuleSubjectAge, RuleApplicantAuthority, RuleArrivalFromAbroad}

// textCannotApplyFor is the one answer about a person the applicant may not
// act for, whatever the reason.
var textCannotApplyFor = Text{
	KK: "Сіз бұл адам үшін өтініш бере алмайсыз.",
	RU: "Вы не можете подать заявление за этого человека.",
	EN: "You cannot apply for this person.",
}

var nxtCannotApplyFor = Text{
	KK: "Адам өзі өтініш берсін, немесе оның заңды өкілі (ата-анасы, қорғаншысы) берсін.",
	RU: "Заявление подаёт сам человек или его законный представитель (родитель, опекун).",
	EN: "The person applies themself, or their legal representative (a parent or guardian) does.",
}

// discreetDecision is d as shown to a reader who may not learn the
// subject's facts: a decision of a subject rule becomes "you cannot apply
// for this person" (APPLICANT_AUTHORITY), and the effects are dropped.
func discreetDecision(d Decision) Decision {
	if slices.Contains(subjectRules, d.Rule) && (d.Status == StatusRejected || d.Status == StatusInPersonRequired) {
		return Decision{Status: StatusRejected, Rule: RuleApplicantAuthority, LegalBasis: BasisAuthorityAdult,
			Message: textCannotApplyFor, Next: nxtCannotApplyFor}
	}
	d.Effects = nil
	return d
}

// discreet replaces the decision of a with discreetDecision's, and its
// status with the decision's (a subject rule's in_person_required reads
// rejected: the applicant cannot apply for this person online).
func discreet(a *Application) {
	a.Decision = discreetDecision(a.Decision)
	if a.Decision.Rule == RuleApplicantAuthority && a.Decision.Status == StatusRejected {
		a.Status = StatusRejected
	}
}

// trackingView keeps of a what anyone holding its id may see.
func trackingView(a Application) Application {
	d := Decision{Status: a.Decision.Status, Rule: a.Decision.Rule, LegalBasis: a.Decision.LegalBasis,
		Message: a.Decision.Message, Next: a.Decision.Next}
	if d.Status == "" {
		d.Status = a.Status
	}
	return Application{ID: a.ID, Action: a.Action, Status: a.Status, Decision: d,
		CreatedAt: a.CreatedAt, DecidedAt: a.DecidedAt, UpdatedAt: a.UpdatedAt}
}

// Application returns an application with its consent tasks.
//
// Its id is an unguessable number given only to the applicant (as a parcel
// tracking number is), and an applicant who signed with a one-time password
// has no session: so anyone holding the id may follow its status and the
// rule that decided it, and nothing more (Party false). The applicant, the
// subject, the owners asked for consent (and representatives of an owning
// organisation) and staff see it whole, as ApplicationView describes. A
// signed-in citizen who is none of these, and an agency, are refused. Every
// read is in the persons' access logs. Errors: forbidden, not_found.
func (s *Service) Application(ctx context.Context, actor Actor, id string) (ApplicationView, error) {
	return s.application(ctx, actor, id, "application")
}

// SubmittedView returns an application to the one who has just submitted it
// (Submit or Deregister, which checked the applicant's signature): a
// signed-in actor reads it as themself, an anonymous one as the applicant
// whose signature was accepted. The view and the access-log records are
// those of Application for that reader. Adapters call it only with the id
// the use case returned. Errors: not_found.
func (s *Service) SubmittedView(ctx context.Context, actor Actor, id string) (ApplicationView, error) {
	// An anonymous submitter (the signature authenticated the request)
	// reads it as its applicant, in the same read of the row.
	return s.applicationAs(ctx, actor, id, "application", actor.Role == "")
}

// AnsweredView returns the application of a consent task to the owner who
// has just answered it (ConfirmConsent or DeclineConsent, which checked the
// code or signature): a signed-in actor reads it as themself, an anonymous
// one as the task's owner. A petition answered by an organisation's code
// has no one person behind it and gets the tracking view. Errors: not_found.
func (s *Service) AnsweredView(ctx context.Context, actor Actor, consentID string) (ApplicationView, error) {
	var t ConsentTask
	err := s.store.View(ctx, func(r Reader) error {
		var err error
		t, err = r.ConsentTask(ctx, consentID)
		return err
	})
	if err != nil {
		return ApplicationView{}, err
	}
	if actor.Role == "" && t.OwnerIIN != "" {
		actor = Actor{Role: RoleCitizen, IIN: t.OwnerIIN}
	}
	return s.application(ctx, actor, t.ApplicationID, "application")
}

func (s *Service) application(ctx context.Context, actor Actor, id, what string) (ApplicationView, error) {
	return s.applicationAs(ctx, actor, id, what, false)
}

// applicationAs is application; asApplicant reads it as its applicant
// (a citizen), whoever actor is.
func (s *Service) applicationAs(ctx context.Context, actor Actor, id, what string, asApplicant bool) (ApplicationView, error) {
	var v ApplicationView
	var read viewRead
	err := s.store.View(ctx, func(r Reader) error {
		var err error
		v, read, err = s.applicationIn(ctx, r, actor, id, asApplicant)
		return err
	})
	if err != nil {
		return ApplicationView{}, err
	}
	if err := s.logReads(ctx, read.actor, what, read.purpose, read.persons...); err != nil {
		return ApplicationView{}, err
	}
	return viewFor(actor, v), nil
}

// viewRead is who read an application view, on which ground, and whose
// data: what applicationIn's caller records in the access log.
type viewRead struct {
	actor   Actor
	purpose string
	persons []string
}

// applicationIn reads the view of application id for actor from r (asApplicant:
// as its applicant, a citizen, whoever actor is).
func (s *Service) applicationIn(ctx context.Context, r Reader, actor Actor, id string, asApplicant bool) (ApplicationView, viewRead, error) {
	var v ApplicationView
	read := viewRead{actor: actor, purpose: readPurpose(actor, "", "tracking")}
	var err error
	if v.Application, err = r.Application(ctx, id); err != nil {
		return v, read, err
	}
	if asApplicant {
		actor = Actor{Role: RoleCitizen, IIN: v.Application.ApplicantIIN}
		read.actor, read.purpose = actor, readPurpose(actor, "", "tracking")
	}
	// The tracking view shows no one's data, but the persons still see
	// that someone followed their application.
	read.persons = []string{v.Application.ApplicantIIN, v.Application.SubjectIIN}
	if v.Consents, err = r.ConsentTasks(ctx, id); err != nil {
		return v, read, err
	}
	switch {
	case actor.Role == "":
		a := v.Application
		if a.ApplicantIIN != a.SubjectIIN {
			subject, err := r.Person(ctx, a.SubjectIIN)
			if err != nil && !IsCode(err, ENotFound) {
				return v, read, err
			}
			rep, err := s.representsSubject(ctx, r, a.ApplicantIIN, subject)
			if err != nil {
				return v, read, err
			}
			if !rep {
				discreet(&a)
			}
		}
		v.Application, v.Consents = trackingView(a), nil
		return v, read, nil
	case !actor.IsStaff() && actor.Role != RoleCitizen:
		return v, read, forbidden()
	case actor.IsStaff():
		v.Party = true
	default:
		if read.purpose, err = s.partyOf(ctx, r, actor.IIN, v); err != nil {
			return v, read, err
		}
		v.Party = true
	}
	return v, read, s.fillParty(ctx, r, actor, &v)
}

// partyOf returns on which ground the citizen iin is a party to the
// application (the purpose of the read), or forbidden.
func (s *Service) partyOf(ctx context.Context, r Reader, iin string, v ApplicationView) (string, error) {
	a := v.Application
	switch iin {
	case a.SubjectIIN:
		return "subject", nil
	case a.ApplicantIIN:
		return "applicant", nil
	}
	for _, t := range v.Consents {
		if t.OwnerIIN == iin {
			return "owner", nil
		}
		if t.OwnerBIN != "" {
			if org, err := r.Organisation(ctx, t.OwnerBIN); err == nil && slices.Contains(org.Representatives, iin) {
				return "owner", nil
			}
		}
	}
	return "", forbidden()
}

// fillParty completes the view of a party: the names, the premises, and the
// discreet decision for a reader who is neither the subject, their legal
// representative nor staff.
func (s *Service) fillParty(ctx context.Context, r Reader, actor Actor, v *ApplicationView) error {
	a := &v.Application
	subject, err := r.Person(ctx, a.SubjectIIN)
	if err != nil && !IsCode(err, ENotFound) {
		return err
	}
	v.SubjectName = subject.FullName()
	if a.ApplicantIIN == a.SubjectIIN {
		v.ApplicantName = v.SubjectName
	} else if p, err := r.Person(ctx, a.ApplicantIIN); err == nil {
		v.ApplicantName = p.FullName()
	} else if !IsCode(err, ENotFound) {
		return err
	}
	if p, err := r.Premises(ctx, a.RKA); err == nil {
		v.Premises = &p
	} else if !IsCode(err, ENotFound) {
		return err
	}
	if err := s.fillAnswerers(ctx, r, v); err != nil {
		return err
	}
	if actor.IsStaff() || actor.IIN == a.SubjectIIN {
		return nil
	}
	rep, err := s.representsSubject(ctx, r, actor.IIN, subject)
	if err != nil || rep {
		return err
	}
	v.Discreet = true
	discreet(a)
	return nil
}

// fillAnswerers sets v.Answerers from the consent tasks.
func (s *Service) fillAnswerers(ctx context.Context, r Reader, v *ApplicationView) error {
	if len(v.Consents) == 0 {
		return nil
	}
	v.Answerers = make(map[string]string, len(v.Consents))
	for _, t := range v.Consents {
		switch {
		case t.OwnerIIN != "":
			p, err := r.Person(ctx, t.OwnerIIN)
			if err != nil && !IsCode(err, ENotFound) {
				return err
			}
			v.Answerers[t.ID] = MaskName(p)
		case t.OwnerBIN != "":
			o, err := r.Organisation(ctx, t.OwnerBIN)
			if err != nil && !IsCode(err, ENotFound) {
				return err
			}
			v.Answerers[t.ID] = o.Name
		}
	}
	return nil
}

// History returns the signed-in person's applications (as applicant or
// subject) and messages (events of their service history, newest first).
// An application they made for another person they do not represent shows
// the discreet decision (see ApplicationView).
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
		// hidden tells whether the actor may see only the discreet
		// decision of an application (one they made for someone they do not
		// represent), by id.
		hidden := map[string]bool{}
		check := func(a Application) error {
			if _, done := hidden[a.ID]; done {
				return nil
			}
			hidden[a.ID] = false
			if a.SubjectIIN == actor.IIN {
				return nil
			}
			subject, err := r.Person(ctx, a.SubjectIIN)
			if err != nil && !IsCode(err, ENotFound) {
				return err
			}
			rep, err := s.representsSubject(ctx, r, actor.IIN, subject)
			hidden[a.ID] = err == nil && !rep
			return err
		}
		for i, a := range apps {
			if err := check(a); err != nil {
				return err
			}
			if hidden[a.ID] {
				discreet(&apps[i])
			}
		}
		if evs, err = r.PersonEvents(ctx, actor.IIN, HistoryEventTypes, limit); err != nil {
			return err
		}
		// The messages about such an application say no more than its
		// decision does.
		for i, e := range evs {
			if e.ApplicationID == "" || e.Type != EventApplicationDecided {
				continue
			}
			a, err := r.Application(ctx, e.ApplicationID)
			if err != nil {
				return err
			}
			if err := check(a); err != nil {
				return err
			}
			if hidden[a.ID] {
				d := discreetDecision(a.Decision)
				evs[i].Message = d.Message
				evs[i].Data = jobArgs(map[string]string{"action": string(a.Action), "kind": string(a.Kind),
					"rule": string(d.Rule), "status": string(d.Status)})
			}
		}
		return nil
	})
	for i := range apps {
		apps[i] = ApplicationFor(actor, apps[i])
	}
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
// applications as an owner may see them (discreet: no effects), the names of
// the applicant and the subject and the premises. The applicant's and the
// subject's access logs record the read.
func (s *Service) PendingConsents(ctx context.Context, actor Actor) ([]ApplicationView, error) {
	if actor.Role != RoleCitizen {
		return nil, unauthenticated()
	}
	var out []ApplicationView
	var read []string
	err := s.store.View(ctx, func(r Reader) error {
		tasks, err := r.PendingConsentTasksFor(ctx, actor.IIN)
		if err != nil {
			return err
		}
		for _, t := range tasks {
			v := ApplicationView{Consents: []ConsentTask{t}, Party: true}
			if v.Application, err = r.Application(ctx, t.ApplicationID); err != nil {
				return err
			}
			if err := s.fillParty(ctx, r, actor, &v); err != nil {
				return err
			}
			read = append(read, v.Application.ApplicantIIN, v.Application.SubjectIIN)
			out = append(out, viewFor(actor, v))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := s.logReads(ctx, actor, "consent", "owner", read...); err != nil {
		return nil, err
	}
	return out, nil
}

// ApplySubject is a person the signed-in citizen may apply for: themself,
// a child under 18 or a ward they represent.
type ApplySubject struct {
	Person   Person
	Relation RelationKind // "" for the citizen themself
}

// ApplySubjects returns the signed-in citizen and the persons they are the
// legal representative of today (children under 18, wards), for the
// application form. Reading the others is recorded in their access logs.
// Errors: unauthenticated, unknown_person.
func (s *Service) ApplySubjects(ctx context.Context, actor Actor) ([]ApplySubject, error) {
	if actor.Role != RoleCitizen {
		return nil, unauthenticated()
	}
	var out []ApplySubject
	var read []string
	today := DateOf(s.now())
	err := s.store.View(ctx, func(r Reader) error {
		me, err := r.Person(ctx, actor.IIN)
		if err != nil {
			return personErr("iin", err)
		}
		out = append(out, ApplySubject{Person: me})
		rels, err := r.Relations(ctx, actor.IIN)
		if err != nil {
			return err
		}
		for _, rel := range rels {
			if rel.From != actor.IIN || slices.Contains(read, rel.To) {
				continue
			}
			p, err := r.Person(ctx, rel.To)
			if IsCode(err, ENotFound) {
				continue
			} else if err != nil {
				return err
			}
			if !legalRepresentative(rels, actor.IIN, p, today) {
				continue
			}
			kind := RelationParent
			if slices.Contains(rels, Relation{Kind: RelationGuardian, From: actor.IIN, To: p.IIN}) {
				kind = RelationGuardian
			}
			out = append(out, ApplySubject{Person: p, Relation: kind})
			read = append(read, p.IIN)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := s.logReads(ctx, actor, "subjects", "legal_representative", read...); err != nil {
		return nil, err
	}
	return out, nil
}

// PersonApplications returns a person's applications (as applicant or
// subject), newest first, at most limit, for staff. Errors: unauthenticated,
// forbidden.
func (s *Service) PersonApplications(ctx context.Context, actor Actor, personIIN string, limit int) ([]Application, error) {
	if actor.Role == "" {
		return nil, unauthenticated()
	}
	if !actor.IsStaff() {
		return nil, forbidden()
	}
	var out []Application
	err := s.store.View(ctx, func(r Reader) error {
		var err error
		out, err = r.ApplicationsFor(ctx, personIIN, limit)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.staffApplications(ctx, actor, out, personIIN)
}

// staffApplications records a staff member's read of applications (their
// applicants and subjects, and the persons also named) in the access log and
// returns them as the reader may see them.
func (s *Service) staffApplications(ctx context.Context, actor Actor, out []Application, persons ...string) ([]Application, error) {
	for _, a := range out {
		persons = append(persons, a.ApplicantIIN, a.SubjectIIN)
	}
	if err := s.logReads(ctx, actor, "applications", "staff", persons...); err != nil {
		return nil, err
	}
	for i := range out {
		out[i] = ApplicationFor(actor, out[i])
	}
	return out, nil
}

// ApplicationTrail returns an application and every event it caused in the
// histories of its applicant and subject, oldest first, for staff. Errors:
// unauthenticated, forbidden, not_found.
func (s *Service) ApplicationTrail(ctx context.Context, actor Actor, id string) (ApplicationView, []Event, error) {
	if actor.Role == "" {
		return ApplicationView{}, nil, unauthenticated()
	}
	if !actor.IsStaff() {
		return ApplicationView{}, nil, forbidden()
	}
	v, err := s.application(ctx, actor, id, "trail")
	if err != nil {
		return ApplicationView{}, nil, err
	}
	var evs []Event
	err = s.store.View(ctx, func(r Reader) error {
		seen := map[int64]bool{}
		for _, p := range uniq(v.Application.SubjectIIN, v.Application.ApplicantIIN) {
			es, err := r.PersonEvents(ctx, p, nil, 500)
			if err != nil {
				return err
			}
			for _, e := range es {
				if e.ApplicationID == id && !seen[e.ID] {
					seen[e.ID] = true
					evs = append(evs, e)
				}
			}
		}
		return nil
	})
	if err != nil {
		return ApplicationView{}, nil, err
	}
	slices.SortFunc(evs, func(a, b Event) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	return v, evs, nil
}

// Outbox returns the newest limit messages of the SMS outbox, oldest first.
// It exists for the development outbox of demo mode (/dev/sms and the
// sign-in page's demo panel), which the adapters register only in demo
// mode; a production deployment sends SMS through an SMS centre and never
// exposes it.
func (s *Service) Outbox(ctx context.Context, limit int) ([]SMS, error) {
	var out []SMS
	err := s.store.View(ctx, func(r Reader) error {
		var err error
		out, err = r.ListSMS(ctx, limit)
		return err
	})
	return out, err
}

// FeedEventTypes are the events published to subscribed agencies.
var FeedEventTypes = []string{EventRegistrationCreated, EventRegistrationEnded, EventIDCardRewrite}

// Feed returns the sealed registration events with Seq > after, in Seq
// order, for staff and for agencies whose token has events:read. Events of
// other types are skipped. Only sealed events appear, so polling with after
// = the last Seq returned never skips one that commits late. The access log
// of every person named in the events returned records the read. Errors:
// unauthenticated, forbidden, purpose_missing.
func (s *Service) Feed(ctx context.Context, actor Actor, after int64, limit int) ([]Event, error) {
	if actor.Role != RoleAgency && !actor.IsStaff() {
		if actor.Role == "" {
			return nil, unauthenticated()
		}
		return nil, forbidden()
	}
	if err := actor.needs(PurposeEventsRead); err != nil {
		return nil, err
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
	if err != nil {
		return nil, err
	}
	persons := make([]string, 0, len(out))
	for _, e := range out {
		persons = append(persons, e.PersonIIN)
	}
	if err := s.logReads(ctx, actor, "events", readPurpose(actor, PurposeEventsRead, ""), persons...); err != nil {
		return nil, err
	}
	return out, nil
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
	premisesOf := map[string]map[string]Premises{}
	for _, src := range sources {
		if _, ok := regsOf[src.From]; ok {
			continue
		}
		// The parent's registrations with their premises, in one read.
		ad, err := r.Addresses(ctx, src.From)
		switch {
		case err == nil:
			regsOf[src.From], premisesOf[src.From] = ad.Registrations, ad.Premises
		case IsCode(err, ENotFound):
			regsOf[src.From] = nil
		default:
			return err
		}
		if d := DeriveChildAddress(sources, regsOf); d != nil {
			if p, ok := premisesOf[d.From][d.Registration.RKA]; ok {
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
