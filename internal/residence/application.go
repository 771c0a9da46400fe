package residence

import (
	"context"
	"fmt"
	"time"
)

// SubmitInput is an application as the applicant filled it in. Exactly one of
// OTP, EDS and InPerson signs it.
type SubmitInput struct {
	Kind           Kind
	ApplicantIIN   string
	SubjectIIN     string
	RKA            string
	Reason         string
	StayFrom       time.Time
	StayUntil      time.Time
	ArrivedOn      time.Time
	Channel        Channel
	OTP            string
	EDS            *EDS
	InPerson       *InPersonFacts // operators at a service centre
	IdempotencyKey string
}

// Submit accepts an application, decides it with the rules and applies the
// decision in one transaction: a rejection or an in-person answer is stored
// as such; consent tasks are created and their SMS codes queued; or the
// person is registered at once. created is false when IdempotencyKey matched
// an earlier application of the applicant, which is returned unchanged —
// only when this request asks for the same thing (RequestHash) and its own
// signature verifies: an EDS signature by the applicant, or the code of the
// one-time password that signed the stored application. An accepted EDS
// signature is recorded as used in the transaction, so it submits once.
//
// Errors (nothing is written): invalid, unknown_person, forbidden,
// otp_invalid, locked (the attempt is still counted), the EDS verifier's
// codes, signature_time, signature_reused, signer_not_applicant,
// idempotency_mismatch.
func (s *Service) Submit(ctx context.Context, actor Actor, in SubmitInput) (app Application, created bool, err error) {
	return s.submitWith(ctx, actor, in, nil)
}

// SubmitView is Submit followed by SubmittedView of the application, with
// the view made in the submission's transaction (before it commits, so it
// is what commits): the submitter's answer costs no reads after the
// commit, and what a fresh submission read under the lock (persons,
// premises) or wrote (the application itself) is not read again. The view and its access-log record are
// SubmittedView's; an error reading the view (after the application was
// accepted) is returned with the committed application, as when the two
// are called one after the other.
func (s *Service) SubmitView(ctx context.Context, actor Actor, in SubmitInput) (ApplicationView, bool, error) {
	sv := &submitView{actor: actor, asApplicant: actor.Role == ""}
	_, created, err := s.submitWith(ctx, actor, in, sv)
	if err != nil {
		return ApplicationView{}, false, err
	}
	if sv.err != nil {
		return ApplicationView{}, created, sv.err
	}
	if err := s.logReads(ctx, sv.read.actor, "application", sv.read.purpose, sv.read.persons...); err != nil {
		return ApplicationView{}, created, err
	}
	return viewFor(actor, sv.v), created, nil
}

// submitView asks submit to read the submitter's view in its transaction.
type submitView struct {
	actor       Actor
	asApplicant bool
	v           ApplicationView
	read        viewRead
	err         error
}

func (s *Service) submitWith(ctx context.Context, actor Actor, in SubmitInput, sv *submitView) (app Application, created bool, err error) {
	hash := RequestHash(in)
	if err := s.validateSubmit(actor, &in); err != nil {
		return Application{}, false, err
	}
	app, created, err = s.submit(ctx, actor, in, hash, sv)
	if err != nil && IsCode(err, EConflict) && in.IdempotencyKey != "" {
		// Two requests with one key raced past the key check (they name
		// different subjects, so the subject's lock did not order them) and
		// this one lost on the key's unique index. Ask again: the key now
		// names the winner's application, and this request is judged
		// against it (a replay or idempotency_mismatch).
		app, created, err = s.submit(ctx, actor, in, hash, sv)
	}
	return app, created, err
}

// factsReader answers the submitter's view in a fresh submission's
// transaction: the persons and premises the submission read under the lock
// come from its facts, and a new application that asked no one for consent
// has no consent tasks; everything else is read from the transaction.
type factsReader struct {
	Tx
	facts   Facts
	app     Application // as written by the submission
	noTasks bool
}

// Application answers the submission's own application as it wrote it,
// unread: what the transaction wrote is what it would read back (the
// stores keep times to the microsecond, as Service.now gives them), and
// with nothing to read after its writes the store can send the writes and
// the commit together.
func (r factsReader) Application(ctx context.Context, id string) (Application, error) {
	if id == r.app.ID {
		return r.app, nil
	}
	return r.Tx.Application(ctx, id)
}

func (r factsReader) Person(ctx context.Context, iin string) (Person, error) {
	for _, p := range []*Person{r.facts.Subject, r.facts.Applicant} {
		if p != nil && p.IIN == iin {
			return *p, nil
		}
	}
	return r.Tx.Person(ctx, iin)
}

func (r factsReader) Premises(ctx context.Context, rka string) (Premises, error) {
	if p := r.facts.Premises; p != nil && p.RKA == rka {
		return *p, nil
	}
	return r.Tx.Premises(ctx, rka)
}

func (r factsReader) ConsentTasks(ctx context.Context, applicationID string) ([]ConsentTask, error) {
	if r.noTasks && applicationID == r.app.ID {
		return nil, nil
	}
	return r.Tx.ConsentTasks(ctx, applicationID)
}

func (s *Service) submit(ctx context.Context, actor Actor, in SubmitInput, hash []byte, sv *submitView) (app Application, created bool, err error) {
	sig := SignatureFacts{}
	var info SignerInfo
	switch {
	case in.InPerson != nil:
		sig = SignatureFacts{Method: SignaturePSC, SignerIIN: in.ApplicantIIN}
	case in.EDS != nil:
		info, err = s.verify(ctx, *in.EDS)
		if err != nil {
			return Application{}, false, err
		}
		if info.IIN != in.ApplicantIIN {
			return Application{}, false, &Error{Code: ESignerNotApplicant, Text: textSignerNotApplicant}
		}
		sig = SignatureFacts{Method: SignatureEDS, SignerIIN: info.IIN}
	}

	var d deferred
	var facts *Facts
	err = s.store.InTx(ctx, func(tx Tx) error {
		var err error
		app, created, facts, err = s.submitIn(ctx, tx, actor, in, hash, sig, info, &d)
		if err != nil || d.err != nil || sv == nil || app.ID == "" {
			return err
		}
		var r Reader = tx
		if created && facts != nil {
			r = factsReader{Tx: tx, facts: *facts, app: app, noTasks: app.Status != StatusAwaitingConsent}
		}
		sv.v, sv.read, sv.err = s.applicationIn(ctx, r, sv.actor, app.ID, sv.asApplicant)
		return nil
	})
	if err == nil {
		err = d.err
	}
	if err != nil {
		return Application{}, false, err
	}
	return app, created, nil
}

// submitIn is submit's transaction: it sets app, created and (once they are
// read) the facts.
func (s *Service) submitIn(ctx context.Context, tx Tx, actor Actor, in SubmitInput, hash []byte, sig SignatureFacts, info SignerInfo,
	d *deferred) (app Application, created bool, factsRead *Facts, err error) {
	// InTx may run fn again: start from nothing each time.
	*d = deferred{}
	err = func() error {
		// One read under the subject's lock: every fact of the decision,
		// and the subject's registrations that the registration replaces.
		q := FactsQuery{Lock: true, ApplicantIIN: in.ApplicantIIN, SubjectIIN: in.SubjectIIN, RKA: in.RKA}
		if in.EDS != nil && in.IdempotencyKey == "" {
			// No replay to judge first: the signature is recorded as used
			// in the same read (a used one is refused below, and the
			// transaction with its record rolls back).
			q.Signature = &UsedSignature{Digest: info.Digest, Purpose: SignedApplication, SignerIIN: info.IIN, UsedAt: s.now()}
		}
		facts, err := readFacts(ctx, tx, q)
		if err != nil {
			return err
		}
		factsRead = &facts
		if facts.Subject == nil {
			return personErr("subject_iin", ErrNotFound)
		}
		if in.IdempotencyKey != "" {
			// Under the subject's lock, a retry that raced with its original
			// sees it committed.
			a, err := tx.ApplicationByIdempotencyKey(ctx, in.ApplicantIIN, in.IdempotencyKey)
			switch {
			case err == nil:
				ok, err := s.replay(ctx, tx, d, a, in, hash)
				if ok {
					app = a
				}
				return err
			case !IsCode(err, ENotFound):
				return err
			}
		}
		sig := sig
		otpID := ""
		if in.OTP != "" {
			if facts.Applicant == nil {
				return personErr("applicant_iin", ErrNotFound)
			}
			if facts.Applicant.Phone == "" {
				return &Error{Code: ENoMCDPhone, Field: "otp", Text: codeText(ENoMCDPhone)}
			}
			id, ok, err := s.checkOTP(ctx, tx, d, in.ApplicantIIN, OTPSign, in.OTP)
			if err != nil || !ok {
				return err
			}
			sig, otpID = SignatureFacts{Method: SignatureOTP, SignerIIN: in.ApplicantIIN}, id
		}
		switch {
		case q.Signature != nil && facts.SignatureReused:
			return &Error{Code: ESignatureReused, Field: "signature", Text: textSignatureReused}
		case q.Signature == nil && in.EDS != nil:
			if err := s.useSignature(ctx, tx, info, SignedApplication); err != nil {
				return err
			}
		}
		snap, err := s.snapshotOf(ctx, tx, facts, in.RKA)
		if err != nil {
			return err
		}
		snap.Action, snap.Kind, snap.Channel = ActionRegister, in.Kind, in.Channel
		snap.Signature, snap.InPerson = sig, in.InPerson
		snap.StayFrom, snap.StayUntil = in.StayFrom, in.StayUntil
		dec := Decide(snap)

		now := s.now()
		app = Application{ID: newID(now), Action: ActionRegister, Kind: in.Kind, ApplicantIIN: in.ApplicantIIN,
			SubjectIIN: in.SubjectIIN, RKA: in.RKA, Reason: in.Reason, StayFrom: in.StayFrom, StayUntil: in.StayUntil,
			ArrivedOn: in.ArrivedOn, Channel: in.Channel, Signature: sig.Method, SignerIIN: sig.SignerIIN,
			Status: dec.Status, Decision: dec, IdempotencyKey: in.IdempotencyKey, CreatedAt: now, DecidedAt: now, UpdatedAt: now,
			OTPID: otpID}
		if in.IdempotencyKey != "" {
			app.IdempotencyHash = hash
		}
		if in.InPerson != nil {
			app.OperatorID = in.InPerson.OperatorID
		}
		created = true
		// Every write from here on either succeeds or ends the
		// transaction: the store may send them together.
		if p, ok := tx.(Pipeliner); ok {
			p.Pipeline()
		}
		if app.Status == StatusRegistered {
			// Registered at once: the application is written once, in its
			// final state, with the facts already read under the lock.
			return s.registerNew(ctx, tx, actor, &app, facts.Registrations)
		}
		return s.record(ctx, tx, actor, &app, snap)
	}()
	return app, created, factsRead, err
}

func (s *Service) validateSubmit(actor Actor, in *SubmitInput) error {
	if in.Kind != Permanent && in.Kind != Temporary {
		return invalid("kind", textBadKind)
	}
	if err := CheckIIN("applicant_iin", in.ApplicantIIN); err != nil {
		return err
	}
	if in.SubjectIIN == "" {
		in.SubjectIIN = in.ApplicantIIN
	}
	if err := CheckIIN("subject_iin", in.SubjectIIN); err != nil {
		return err
	}
	if in.RKA == "" || len(in.RKA) > 64 {
		return invalid("rka", textNoRKA)
	}
	if len(in.Reason) > 500 || len(in.IdempotencyKey) > 200 {
		return Errorf(EInvalid, "reason or idempotency key too long")
	}
	if in.Kind == Temporary && in.StayFrom.IsZero() {
		in.StayFrom = DateOf(s.now())
	}
	switch actor.Role {
	case RoleOperator, RoleAdmin:
		if in.InPerson == nil {
			in.InPerson = &InPersonFacts{OperatorID: actor.Name}
		}
		in.InPerson.OperatorID = actor.Name
		in.Channel = ChannelPSC
		return nil
	case RoleCitizen:
		if actor.IIN != in.ApplicantIIN {
			return &Error{Code: EForbidden, Field: "applicant_iin", Text: textNotYours}
		}
	case "":
		// An unauthenticated call is allowed: the signature authenticates it.
	default:
		return &Error{Code: EForbidden, Text: codeText(EForbidden)}
	}
	in.InPerson = nil
	if in.Channel == "" || in.Channel == ChannelPSC {
		in.Channel = ChannelAPI
	}
	if in.OTP == "" && in.EDS == nil {
		return &Error{Code: EInvalid, Field: "otp", Text: textNoSignature}
	}
	if in.OTP != "" && in.EDS != nil {
		return Errorf(EInvalid, "sign with either a one-time password or an EDS signature, not both")
	}
	return nil
}

// snapshot reads every fact the rules need, inside tx.
func (s *Service) snapshot(ctx context.Context, tx Reader, applicantIIN, subjectIIN, rka string) (Snapshot, error) {
	f, err := readFacts(ctx, tx, FactsQuery{ApplicantIIN: applicantIIN, SubjectIIN: subjectIIN, RKA: rka})
	if err != nil {
		return Snapshot{Date: DateOf(s.now()), RKA: rka}, err
	}
	return s.snapshotOf(ctx, tx, f, rka)
}

// readFacts reads q in one round trip where the store can (FactsReader),
// statement by statement otherwise. With q.Lock, r must be a Tx.
func readFacts(ctx context.Context, r Reader, q FactsQuery) (Facts, error) {
	if fr, ok := r.(FactsReader); ok {
		return fr.Facts(ctx, q)
	}
	return readFactsOneByOne(ctx, r, q)
}

// readFactsOneByOne reads q statement by statement.
func readFactsOneByOne(ctx context.Context, r Reader, q FactsQuery) (Facts, error) {
	var f Facts
	person := func(iin string) (*Person, error) {
		p, err := r.Person(ctx, iin)
		switch {
		case err == nil:
			return &p, nil
		case IsCode(err, ENotFound):
			return nil, nil
		}
		return nil, err
	}
	if q.Lock || q.Signature != nil {
		tx, ok := r.(Tx)
		if !ok {
			return f, fmt.Errorf("residence: a locking read needs a transaction")
		}
		if err := tx.LockPerson(ctx, q.SubjectIIN); err != nil {
			if IsCode(err, ENotFound) {
				return f, nil
			}
			return f, err
		}
		if q.Signature != nil {
			err := tx.UseSignature(ctx, *q.Signature)
			switch {
			case IsCode(err, EConflict):
				f.SignatureReused = true
			case err != nil:
				return f, err
			}
		}
	}
	var err error
	if f.Subject, err = person(q.SubjectIIN); err != nil {
		return f, err
	}
	f.Applicant = f.Subject
	if q.ApplicantIIN != q.SubjectIIN {
		if f.Applicant, err = person(q.ApplicantIIN); err != nil {
			return f, err
		}
	}
	if f.Relations, err = r.Relations(ctx, q.ApplicantIIN); err != nil {
		return f, err
	}
	if q.SubjectIIN != q.ApplicantIIN {
		more, err := r.Relations(ctx, q.SubjectIIN)
		if err != nil {
			return f, err
		}
		f.Relations = append(f.Relations, more...)
	}
	if q.RKA != "" {
		p, err := r.Premises(ctx, q.RKA)
		switch {
		case err == nil:
			f.Premises = &p
		case !IsCode(err, ENotFound):
			return f, err
		}
	}
	if f.Premises != nil {
		if f.Owners, err = r.Owners(ctx, q.RKA); err != nil {
			return f, err
		}
		for _, o := range f.Owners {
			if o.OwnerIIN != "" {
				p, err := person(o.OwnerIIN)
				if err != nil {
					return f, err
				}
				if p != nil {
					f.OwnerPersons = append(f.OwnerPersons, *p)
				}
			} else if org, err := r.Organisation(ctx, o.OwnerBIN); err == nil {
				f.OwnerOrganisations = append(f.OwnerOrganisations, org)
			} else if !IsCode(err, ENotFound) {
				return f, err
			}
		}
	}
	if f.Registrations, err = r.Registrations(ctx, q.SubjectIIN); err != nil {
		return f, err
	}
	if f.ApplicantOrganisations, err = r.OrganisationsRepresentedBy(ctx, q.ApplicantIIN); err != nil {
		return f, err
	}
	return f, nil
}

// snapshotOf makes the rules' snapshot of facts read for rka: the subject
// and the applicant must be in the registry (unknown_person otherwise), the
// registrations are those in force today, and a state rental's agreements
// are read from r.
func (s *Service) snapshotOf(ctx context.Context, r Reader, f Facts, rka string) (Snapshot, error) {
	snap := Snapshot{Date: DateOf(s.now()), RKA: rka}
	if f.Subject == nil {
		return snap, personErr("subject_iin", ErrNotFound)
	}
	if f.Applicant == nil {
		return snap, personErr("applicant_iin", ErrNotFound)
	}
	snap.Subject, snap.Applicant, snap.Relations = *f.Subject, *f.Applicant, f.Relations
	snap.Premises = f.Premises
	if snap.Premises != nil {
		for _, o := range f.Owners {
			of := OwnerFacts{Ownership: o}
			if o.OwnerIIN != "" {
				for i := range f.OwnerPersons {
					if f.OwnerPersons[i].IIN == o.OwnerIIN {
						p := f.OwnerPersons[i]
						of.Person = &p
						break
					}
				}
			} else {
				for i := range f.OwnerOrganisations {
					if f.OwnerOrganisations[i].BIN == o.OwnerBIN {
						org := f.OwnerOrganisations[i]
						of.Organisation = &org
						break
					}
				}
			}
			snap.Owners = append(snap.Owners, of)
		}
		if snap.Premises.StateRental {
			var err error
			if snap.Rentals, err = r.RentalAgreements(ctx, rka); err != nil {
				return snap, err
			}
		}
	}
	for _, reg := range f.Registrations {
		// What is in force today: a temporary registration whose period
		// has passed never blocks a new application, swept or not.
		if reg.ActiveOn(snap.Date) {
			snap.Registrations = append(snap.Registrations, reg)
		}
	}
	snap.ApplicantOrganisations = f.ApplicantOrganisations
	return snap, nil
}

// decidedEvents records the decision in the service histories of the
// applicant and, when another person, the subject.
func (s *Service) decidedEvents(actor Actor, app Application) []Event {
	var evs []Event
	for _, p := range uniq(app.ApplicantIIN, app.SubjectIIN) {
		e := s.event(EventApplicationDecided, p, actor)
		e.ApplicationID, e.RKA = app.ID, app.RKA
		e.Message = app.Decision.Message
		e.Data = jobArgs(map[string]any{"status": app.Status, "rule": app.Decision.Rule, "action": app.Action, "kind": app.Kind})
		evs = append(evs, e)
	}
	return evs
}

func uniq(iins ...string) []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range iins {
		if v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// record stores a decided application with its events and carries out the
// decision in tx: consent requests go out, or the registration (or
// deregistration) takes effect at once.
func (s *Service) record(ctx context.Context, tx Tx, actor Actor, app *Application, snap Snapshot) error {
	if err := tx.CreateApplication(ctx, *app); err != nil {
		return err
	}
	if err := tx.AppendEvents(ctx, s.decidedEvents(actor, *app)...); err != nil {
		return err
	}
	switch app.Status {
	case StatusAwaitingConsent:
		return s.requestConsents(ctx, tx, actor, app, snap)
	case StatusRegistered:
		return s.complete(ctx, tx, actor, app)
	}
	return nil
}

// complete carries out an application that needs no (more) consent. One
// that waited for consent is first decided again on today's facts
// (recheck).
func (s *Service) complete(ctx context.Context, tx Tx, actor Actor, app *Application) error {
	if app.Status == StatusAwaitingConsent {
		if ok, err := s.recheck(ctx, tx, actor, app); err != nil || !ok {
			return err
		}
	}
	if app.Action == ActionDeregister {
		return s.deregister(ctx, tx, actor, app)
	}
	return s.register(ctx, tx, actor, app)
}

// recheck runs every rule again (Recheck) on a fresh snapshot of an
// application that waited for consent, read under the subject's lock. It
// reports whether the application may complete; when it may not, the new
// decision is recorded (the application is rejected or sent in person) and
// nothing is registered. The applicant's signature is not judged again: it
// was verified when given (an OTP signer whose phone left the MCD since has
// still signed), nor the operator's attestation at a service centre, which
// tirkeu does not store beyond the operator's id: a service-centre
// application that waited had its documents checked (SIGNATURE passed), and
// the owners consented on paper unless it asked owners for consent.
func (s *Service) recheck(ctx context.Context, tx Tx, actor Actor, app *Application) (bool, error) {
	if err := tx.LockPerson(ctx, app.SubjectIIN); err != nil {
		return false, err
	}
	snap, err := s.snapshot(ctx, tx, app.ApplicantIIN, app.SubjectIIN, app.RKA)
	if err != nil {
		return false, err
	}
	snap.Action, snap.Kind, snap.Channel = app.Action, app.Kind, app.Channel
	snap.StayFrom, snap.StayUntil = app.StayFrom, app.StayUntil
	snap.Signature = SignatureFacts{Method: SignatureEDS, SignerIIN: app.ApplicantIIN}
	if app.Channel == ChannelPSC {
		ownersAsked := false
		for _, c := range app.Decision.Consents {
			ownersAsked = ownersAsked || c.KindOf() != ConsentKindSubject
		}
		snap.Signature.Method = SignaturePSC
		snap.InPerson = &InPersonFacts{OperatorID: app.OperatorID, DocumentsChecked: true, OwnersConsentInWriting: !ownersAsked}
	}
	tasks, err := tx.ConsentTasks(ctx, app.ID)
	if err != nil {
		return false, err
	}
	dec := Recheck(snap, app.Decision, tasks)
	if dec.Status == StatusRegistered {
		return true, nil
	}
	return false, s.closeWaiting(ctx, tx, actor, app, tasks, dec)
}

// requestConsents creates one consent task per required owner (and for the
// subject, SUBJECT_CONSENT), sends the SMS codes (or, for EDS-only owners, a
// notice), and schedules the expiry. The subject's text says who applies to
// register them where.
func (s *Service) requestConsents(ctx context.Context, tx Tx, actor Actor, app *Application, snap Snapshot) error {
	now := s.now()
	applicantName := snap.Applicant.FullName()
	if org := snap.applicantOrganisation(); org != "" {
		applicantName = org + ", " + applicantName
	}
	var address string
	if snap.Premises != nil {
		address = snap.Premises.Address()
	}
	for _, req := range app.Decision.Consents {
		t := ConsentTask{ID: newID(now), ApplicationID: app.ID, Kind: req.KindOf(), OwnerIIN: req.OwnerIIN, OwnerBIN: req.OwnerBIN,
			Channel: req.Channel, Status: ConsentPending, CreatedAt: now, ExpiresAt: now.Add(s.cfg.ConsentTTL)}
		code := newCode()
		t.CodeHash = hashCode(s.cfg.Secret, "consent", t.ID, code)
		if err := tx.CreateConsentTask(ctx, t); err != nil {
			return err
		}
		// Who receives the code: the owner, or every representative of an
		// owning organisation who has an MCD phone.
		var recipients []Person
		if t.Kind == ConsentKindSubject {
			recipients = append(recipients, snap.Subject)
		} else if req.OwnerIIN != "" {
			for _, o := range snap.Owners {
				if o.Person != nil && o.Person.IIN == req.OwnerIIN {
					recipients = append(recipients, *o.Person)
				}
			}
		} else {
			for _, o := range snap.Owners {
				if o.Organisation != nil && o.Organisation.BIN == req.OwnerBIN {
					for _, rep := range o.Organisation.Representatives {
						if p, err := tx.Person(ctx, rep); err == nil {
							recipients = append(recipients, p)
						}
					}
				}
			}
		}
		for _, p := range recipients {
			ev := s.event(EventConsentRequested, p.IIN, actor)
			ev.ApplicationID, ev.RKA = app.ID, app.RKA
			ev.Message = consentRequestMessage(applicantName, app.Kind)
			text := consentText(applicantName, app.Action, app.Kind, code)
			if t.Kind == ConsentKindSubject {
				ev.Message = subjectRequestMessage(applicantName, address)
				text = subjectConsentText(applicantName, address, app.Kind, code)
			}
			ev.Data = jobArgs(map[string]any{"task_id": t.ID, "channel": t.Channel, "expires_at": t.ExpiresAt})
			if err := tx.AppendEvents(ctx, ev); err != nil {
				return err
			}
			if p.Phone == "" {
				continue
			}
			if err := s.queueConsentSMS(ctx, tx, p, req.OwnerIIN != "", app.ID, app.ApplicantIIN, text); err != nil {
				return err
			}
		}
		if err := tx.Enqueue(ctx, Job{Kind: JobConsentExpire, Args: jobArgs(map[string]string{"task_id": t.ID}),
			RunAt: t.ExpiresAt, UniqueKey: t.ID, MaxAttempts: 25}); err != nil {
			return err
		}
	}
	return nil
}

// register applies a positive decision in tx: it ends the registrations the
// new one replaces, creates the registration, and writes the events for the
// subject, the applicant and downstream agencies. Facts are re-read under the
// person lock, since consent may arrive long after the decision.
func (s *Service) register(ctx context.Context, tx Tx, actor Actor, app *Application) error {
	if err := tx.LockPerson(ctx, app.SubjectIIN); err != nil {
		return err
	}
	regs, err := tx.Registrations(ctx, app.SubjectIIN)
	if err != nil {
		return err
	}
	return s.registerWith(ctx, tx, actor, app, regs, false)
}

// registerNew carries out a new application decided registered at once:
// as record and then register would, but the application is inserted once
// in its final state (not inserted, then updated), and the subject's
// registrations are regs, read in this transaction under the subject's
// lock (Submit's facts).
func (s *Service) registerNew(ctx context.Context, tx Tx, actor Actor, app *Application, regs []Registration) error {
	return s.registerWith(ctx, tx, actor, app, regs, true)
}

// registerWith is register on the subject's registrations regs, read under
// the subject's lock. fresh: app is not stored yet, and its decided events
// are not written either.
func (s *Service) registerWith(ctx context.Context, tx Tx, actor Actor, app *Application, regs []Registration, fresh bool) error {
	var decided []Event
	if fresh {
		decided = s.decidedEvents(actor, *app)
	}
	active, err := s.inForce(ctx, tx, regs, DateOf(s.now()))
	if err != nil {
		return err
	}
	snap := Snapshot{Date: DateOf(s.now()), Action: ActionRegister, Kind: app.Kind, RKA: app.RKA, Registrations: active}
	if out := AlreadyRegistered(snap); out.Verdict == Reject {
		app.Status = StatusRejected
		app.Decision = Decision{Status: StatusRejected, Rule: out.Rule, LegalBasis: out.LegalBasis, Message: out.Message, Next: out.Next}
		app.UpdatedAt = s.now()
		if err := s.storeApplication(ctx, tx, *app, fresh); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, append(decided, s.decidedEvents(actor, *app)...)...)
	}
	now := s.now()
	today := DateOf(now)
	effects := RegistrationEffects(snap)
	var evs []Event
	for _, ef := range effects {
		e := s.event(EventRegistrationEnded, app.SubjectIIN, actor)
		e.RKA, e.RegistrationID, e.ApplicationID = ef.RKA, ef.RegistrationID, app.ID
		e.Message = registrationEndedMessage(ef.EndReason)
		e.Data = jobArgs(map[string]any{"kind": ef.Kind, "end_reason": ef.EndReason})
		evs = append(evs, e)
	}
	reg := Registration{ID: newID(now), IIN: app.SubjectIIN, RKA: app.RKA, Kind: app.Kind, Since: today,
		Status: RegistrationActive, ApplicationID: app.ID}
	if app.Kind == Temporary {
		reg.Until = app.StayUntil
	}
	app.Status, app.RegistrationID, app.UpdatedAt = StatusRegistered, reg.ID, now
	app.Decision.Status, app.Decision.Effects = StatusRegistered, effects
	if app.Decision.Violation, err = s.assessViolation(ctx, tx, *app, today); err != nil {
		return err
	}
	app.Decision.Consents = nil
	switch app.Decision.Rule {
	case RuleOwnerConsent, RuleOrganisationPetition, RuleSubjectConsent, "":
		app.Decision.Rule, app.Decision.LegalBasis = "", Text{}
		app.Decision.Message, app.Decision.Next = registeredMessage(app.Kind), registeredNext
	}
	if fresh {
		// The application row first: the registration refers to it.
		if err := tx.CreateApplication(ctx, *app); err != nil {
			return err
		}
		if err := tx.AppendEvents(ctx, decided...); err != nil {
			return err
		}
	}
	for _, ef := range effects {
		if err := tx.EndRegistration(ctx, ef.RegistrationID, today, ef.EndReason); err != nil {
			return fmt.Errorf("residence: end registration: %w", err)
		}
	}
	if err := tx.CreateRegistration(ctx, reg); err != nil {
		return fmt.Errorf("residence: create registration: %w", err)
	}
	if !fresh {
		if err := tx.UpdateApplication(ctx, *app); err != nil {
			return err
		}
	}
	created := s.event(EventRegistrationCreated, app.SubjectIIN, actor)
	created.RKA, created.RegistrationID, created.ApplicationID = app.RKA, reg.ID, app.ID
	created.Message = registeredMessage(app.Kind)
	created.Data = jobArgs(map[string]any{"kind": app.Kind, "since": reg.Since.Format(time.DateOnly), "until": dateString(reg.Until)})
	evs = append(evs, created)
	if app.Kind == Permanent {
		rw := s.event(EventIDCardRewrite, app.SubjectIIN, actor)
		rw.RKA, rw.RegistrationID = app.RKA, reg.ID
		evs = append(evs, rw)
	}
	if app.ApplicantIIN != app.SubjectIIN {
		n := s.event(EventNotification, app.ApplicantIIN, actor)
		n.ApplicationID, n.RKA, n.Message = app.ID, app.RKA, registeredMessage(app.Kind)
		evs = append(evs, n)
	}
	// A temporary registration schedules nothing: the expiry sweep ends it
	// at the start of the day after its last day (SweepExpiredRegistrations,
	// which jobs.Sweeper runs at every midnight in Almaty), as it ends those
	// the registry import loaded.
	return tx.AppendEvents(ctx, evs...)
}

// storeApplication inserts app (fresh) or rewrites it.
func (s *Service) storeApplication(ctx context.Context, tx Tx, app Application, fresh bool) error {
	if fresh {
		return tx.CreateApplication(ctx, app)
	}
	return tx.UpdateApplication(ctx, app)
}

func dateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}
