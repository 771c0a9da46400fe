package residence

import (
	"context"
	"fmt"
)

// DeregisterInput is an owner's request to take a person off the register of
// their premises. Kind "" means every active registration of the person there.
type DeregisterInput struct {
	OwnerIIN   string
	SubjectIIN string
	RKA        string
	Kind       Kind
	Reason     string
	OTP        string
	EDS        *EDS
	Channel    Channel
}

// Deregister handles an owner-initiated deregistration (DESIGN.md §3): the
// owner signs, the other co-owners consent as for a registration, and when
// all have, the registration ends with reason deregistered_by_owner and the
// person is notified. The result is an Application with Action deregister.
// Errors as for Submit.
func (s *Service) Deregister(ctx context.Context, actor Actor, in DeregisterInput) (Application, error) {
	if err := CheckIIN("owner_iin", in.OwnerIIN); err != nil {
		return Application{}, err
	}
	if err := CheckIIN("subject_iin", in.SubjectIIN); err != nil {
		return Application{}, err
	}
	if in.RKA == "" {
		return Application{}, invalid("rka", textNoRKA)
	}
	if in.Kind != "" && in.Kind != Permanent && in.Kind != Temporary {
		return Application{}, invalid("kind", textBadKind)
	}
	if actor.Role == RoleCitizen && actor.IIN != in.OwnerIIN {
		return Application{}, &Error{Code: EForbidden, Field: "owner_iin", Text: textNotYours}
	}
	if actor.Role != "" && actor.Role != RoleCitizen {
		return Application{}, &Error{Code: EForbidden, Text: codeText(EForbidden)}
	}
	if in.OTP == "" && in.EDS == nil {
		return Application{}, &Error{Code: EInvalid, Field: "otp", Text: textNoSignature}
	}
	sig := SignatureFacts{}
	var info SignerInfo
	if in.EDS != nil {
		var err error
		info, err = s.verify(ctx, *in.EDS)
		if err != nil {
			return Application{}, err
		}
		if info.IIN != in.OwnerIIN {
			return Application{}, &Error{Code: ESignerNotApplicant, Text: textSignerNotApplicant}
		}
		sig = SignatureFacts{Method: SignatureEDS, SignerIIN: info.IIN}
	}
	if in.Channel == "" {
		in.Channel = ChannelAPI
	}
	var app Application
	var d deferred
	err := s.store.InTx(ctx, func(tx Tx) error {
		d = deferred{} // InTx may run fn again
		if err := tx.LockPerson(ctx, in.SubjectIIN); err != nil {
			return personErr("subject_iin", err)
		}
		sig := sig
		if in.OTP != "" {
			_, ok, err := s.checkOTP(ctx, tx, &d, in.OwnerIIN, OTPSign, in.OTP)
			if err != nil || !ok {
				return err
			}
			sig = SignatureFacts{Method: SignatureOTP, SignerIIN: in.OwnerIIN}
		}
		if in.EDS != nil {
			if err := s.useSignature(ctx, tx, info, SignedDeregistration); err != nil {
				return err
			}
		}
		snap, err := s.snapshot(ctx, tx, in.OwnerIIN, in.SubjectIIN, in.RKA)
		if err != nil {
			return err
		}
		snap.Action, snap.Kind, snap.Channel, snap.Signature = ActionDeregister, in.Kind, in.Channel, sig
		dec := DecideDeregistration(snap)
		if !snap.ownsAsPerson() && snap.applicantRepresentsOwner() {
			// A hotel's, dormitory's or care home's representative takes
			// the organisation's residents off its register.
			dec = DecideOrganisationDeregistration(snap, "")
		}
		now := s.now()
		app = Application{ID: newID(now), Action: ActionDeregister, Kind: in.Kind, ApplicantIIN: in.OwnerIIN,
			SubjectIIN: in.SubjectIIN, RKA: in.RKA, Reason: in.Reason, Channel: in.Channel, Signature: sig.Method,
			SignerIIN: sig.SignerIIN, Status: dec.Status, Decision: dec, CreatedAt: now, DecidedAt: now, UpdatedAt: now}
		if app.Kind == "" && len(dec.Effects) > 0 {
			app.Kind = dec.Effects[0].Kind
		}
		if app.Kind == "" {
			// A request for "every registration there" that matched none
			// (it is refused, or the person is not registered there) is
			// still recorded; an application always has a kind.
			app.Kind = Permanent
		}
		return s.record(ctx, tx, actor, &app, snap)
	})
	if err == nil {
		err = d.err
	}
	return app, err
}

// deregister ends the registrations named in the decision's effects and tells
// the person, in tx.
func (s *Service) deregister(ctx context.Context, tx Tx, actor Actor, app *Application) error {
	now := s.now()
	var evs []Event
	for _, ef := range app.Decision.Effects {
		err := tx.EndRegistration(ctx, ef.RegistrationID, DateOf(now), EndDeregisteredByOwner)
		if IsCode(err, ENotFound) {
			continue // it ended meanwhile (the person moved)
		}
		if err != nil {
			return fmt.Errorf("residence: deregister: %w", err)
		}
		e := s.event(EventRegistrationEnded, app.SubjectIIN, actor)
		e.RKA, e.RegistrationID, e.ApplicationID = ef.RKA, ef.RegistrationID, app.ID
		e.Message = registrationEndedMessage(EndDeregisteredByOwner)
		e.Data = jobArgs(map[string]any{"kind": ef.Kind, "end_reason": EndDeregisteredByOwner})
		n := s.event(EventNotification, app.SubjectIIN, actor)
		n.RKA, n.ApplicationID, n.Message = ef.RKA, app.ID, registrationEndedMessage(EndDeregisteredByOwner)
		evs = append(evs, e, n)
		if p, err := tx.Person(ctx, app.SubjectIIN); err == nil && p.Phone != "" {
			if err := s.queueSMS(ctx, tx, p, app.ID, deregisteredSMS()); err != nil {
				return err
			}
		}
	}
	app.Status, app.UpdatedAt = StatusDeregistered, now
	app.Decision.Status = StatusDeregistered
	app.Decision.Consents = nil
	if err := tx.UpdateApplication(ctx, *app); err != nil {
		return err
	}
	return tx.AppendEvents(ctx, evs...)
}

// EndRegistrations ends every active registration of a person for a reason
// that needs no consent: emigration recorded by a service-centre operator, or
// death reported by the civil registry. Errors: forbidden, unknown_person.
func (s *Service) EndRegistrations(ctx context.Context, actor Actor, personIIN string, reason EndReason) ([]Registration, error) {
	if actor.Role == "" {
		return nil, unauthenticated()
	}
	if !actor.IsStaff() && actor.Role != RoleSystem {
		return nil, &Error{Code: EForbidden, Text: codeText(EForbidden)}
	}
	if reason != EndEmigrated && reason != EndDeceased && reason != EndCourt {
		return nil, Errorf(EInvalid, "reason must be emigrated, deceased or court")
	}
	if err := CheckIIN("iin", personIIN); err != nil {
		return nil, err
	}
	var ended []Registration
	err := s.store.InTx(ctx, func(tx Tx) error {
		if err := tx.LockPerson(ctx, personIIN); err != nil {
			return personErr("iin", err)
		}
		regs, err := tx.Registrations(ctx, personIIN)
		if err != nil {
			return err
		}
		now := s.now()
		for _, r := range regs {
			if r.Status != RegistrationActive {
				continue
			}
			if err := tx.EndRegistration(ctx, r.ID, DateOf(now), reason); err != nil {
				return err
			}
			r.Status, r.EndedOn, r.EndReason = RegistrationEnded, DateOf(now), reason
			ended = append(ended, r)
			e := s.event(EventRegistrationEnded, personIIN, actor)
			e.RKA, e.RegistrationID, e.Message = r.RKA, r.ID, registrationEndedMessage(reason)
			e.Data = jobArgs(map[string]any{"kind": r.Kind, "end_reason": reason})
			if err := tx.AppendEvents(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
	return ended, err
}

// ExpireRegistration is the job that ends a temporary registration after its
// last day (reason expired). It is idempotent and returns ErrNotDue when run
// early.
func (s *Service) ExpireRegistration(ctx context.Context, registrationID string) error {
	return s.store.InTx(ctx, func(tx Tx) error {
		r, err := tx.Registration(ctx, registrationID)
		if IsCode(err, ENotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if r.Status != RegistrationActive || r.Until.IsZero() {
			return nil
		}
		today := DateOf(s.now())
		if !today.After(r.Until) {
			return ErrNotDue
		}
		if err := tx.EndRegistration(ctx, r.ID, today, EndExpired); err != nil {
			return err
		}
		sys := Actor{Role: RoleSystem}
		e := s.event(EventRegistrationEnded, r.IIN, sys)
		e.RKA, e.RegistrationID, e.Message = r.RKA, r.ID, registrationEndedMessage(EndExpired)
		e.Data = jobArgs(map[string]any{"kind": r.Kind, "end_reason": EndExpired})
		return tx.AppendEvents(ctx, e)
	})
}

// BasisDeregisterByOrg: registration in an organisation's buildings used
// for residence is made on the petition of its administration, which may
// likewise ask for its residents' deregistration (Rules No. 1427; Law "On
// Housing Relations").
var BasisDeregisterByOrg = BasisDeregistration

// DeregisterByOrganisation passes when the applicant represents the
// organisation bin and the organisation owns the premises; it rejects
// otherwise. With bin "" any owning organisation the applicant represents
// will do.
func DeregisterByOrganisation(s Snapshot, bin string) Outcome {
	for _, o := range s.Owners {
		b := o.Ownership.OwnerBIN
		if b == "" || (bin != "" && b != bin) {
			continue
		}
		if s.representsOrg(b, o.Organisation) {
			return pass(RuleDeregisterByOrg, BasisDeregisterByOrg, msgDeregByOrg)
		}
	}
	return reject(RuleDeregisterByOrg, BasisDeregisterByOrg, msgDeregNotOrg, nxtDeregNotOrg)
}

// DecideOrganisationDeregistration decides a deregistration asked by an
// organisation owning the premises through its representative (the
// applicant): DEREGISTER_ORGANISATION, DEREGISTER_SUBJECT and SIGNATURE, the
// first Reject winning. Co-owners who are persons consent as for an owner's
// deregistration, unless they consented in writing at a service centre.
// Effects end the registrations with EndDeregisteredByOwner: the
// organisation is the owner.
func DecideOrganisationDeregistration(s Snapshot, bin string) Decision {
	for _, out := range []Outcome{DeregisterByOrganisation(s, bin), DeregisterSubject(s), Signature(s)} {
		if out.Verdict == Reject {
			return outcomeDecision(StatusRejected, out)
		}
	}
	var effects []Effect
	for _, r := range deregistrationTargets(s) {
		effects = append(effects, Effect{RegistrationID: r.ID, RKA: r.RKA, Kind: r.Kind, EndReason: EndDeregisteredByOwner})
	}
	d := Decision{Status: StatusRegistered, Rule: RuleDeregisterByOrg, LegalBasis: BasisDeregisterByOrg,
		Effects: effects, Message: msgDeregistered, Next: nxtDeregistered}
	if s.consentOnPaper() {
		return d
	}
	if consents := s.personConsents(s.Applicant.IIN); len(consents) > 0 {
		d.Status, d.Rule = StatusAwaitingConsent, RuleOwnerConsent
		d.Message, d.Next, d.Consents = msgDeregAwaiting, nxtConsentNeeded, consents
	}
	return d
}

// ownsAsPerson reports whether the applicant is a person owner of the
// premises.
func (s Snapshot) ownsAsPerson() bool {
	for _, o := range s.Owners {
		if s.Applicant.IIN != "" && o.Ownership.OwnerIIN == s.Applicant.IIN {
			return true
		}
	}
	return false
}

var (
	msgDeregByOrg = Text{
		KK: "Өтініш беруші үй-жайдың меншік иесі болып табылатын ұйымның өкілі.",
		RU: "Заявитель — представитель организации, которой принадлежит помещение.",
		EN: "The applicant represents the organisation that owns the premises.",
	}
	msgDeregNotOrg = Text{
		KK: "Өтініш беруші бұл үй-жайдың меншік иесі болып табылатын ұйымның өкілі емес.",
		RU: "Заявитель не является представителем организации — собственника этого помещения.",
		EN: "The applicant does not represent an organisation that owns these premises.",
	}
	nxtDeregNotOrg = Text{
		KK: "Ұйымның тізілімдегі өкілі өтініш беруі керек.",
		RU: "Заявление должен подать представитель организации, указанный в реестре.",
		EN: "A representative of the organisation listed in the register must apply.",
	}
)
