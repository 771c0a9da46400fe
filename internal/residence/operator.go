package residence

import (
	"context"
	"strings"
	"time"
)

// This file holds the service-centre (PSC) channel: an operator enters an
// application or a deregistration on a person's behalf, with the documents
// of the standard of the public service checked at the counter (seeds:
// "Service recipients (or legal representatives …) or trustees presenting
// notarized power of attorney … shall present: National ID card of the
// housing owner … (personal presence of the housing owner is mandatory), and
// his/her consent … in writing"; "Petition from administration of
// organization/entity"; the passport with "a mark of withdrawal from consular
// register" or the documents that replace it).

// DocumentKind is a kind of document an operator checks at the counter.
type DocumentKind string

// Values of DocumentKind.
const (
	// DocIdentity: the identity documents of the applicant and the subject
	// (for children under 16 the birth certificate). Always required.
	DocIdentity DocumentKind = "identity"
	// DocPowerOfAttorney: a notarised power of attorney of a trustee who
	// acts for the person.
	DocPowerOfAttorney DocumentKind = "power_of_attorney"
	// DocRepresentative: the documents of a legal representative (parent,
	// guardian) certifying their authority — for the subject's
	// representative, or for an owner who is a minor or lacks capacity.
	DocRepresentative DocumentKind = "representative"
	// DocOwnerConsent: the owners' written consent given in person, with
	// their identity documents.
	DocOwnerConsent DocumentKind = "owner_consent"
	// DocOrganisationPetition: the petition of the administration of an
	// organisation that owns the premises.
	DocOrganisationPetition DocumentKind = "organisation_petition"
	// DocConsularDeregistration: the passport with the mark of removal from
	// the consular register, or the certificate of deregistration that
	// replaces it, for a citizen arrived from abroad for permanent residence.
	DocConsularDeregistration DocumentKind = "consular_deregistration"
)

// DocumentKinds lists every DocumentKind in the order of the form.
var DocumentKinds = []DocumentKind{DocIdentity, DocPowerOfAttorney, DocRepresentative, DocOwnerConsent,
	DocOrganisationPetition, DocConsularDeregistration}

// Valid reports whether k is a known document kind.
func (k DocumentKind) Valid() bool {
	for _, v := range DocumentKinds {
		if v == k {
			return true
		}
	}
	return false
}

// InPersonRecord is what an operator checked for an application made at a
// service centre, kept in its decision: who (the operator's token name), the
// documents, and the trustee who acted on a power of attorney, if any.
type InPersonRecord struct {
	Operator    string         `json:"operator"`
	Documents   []DocumentKind `json:"documents"`
	AttorneyIIN string         `json:"attorney_iin,omitempty"`
}

// Has reports whether the document kind was checked.
func (r *InPersonRecord) Has(k DocumentKind) bool {
	if r == nil {
		return false
	}
	for _, d := range r.Documents {
		if d == k {
			return true
		}
	}
	return false
}

// RequiredDocuments returns the documents an operator must check for the
// application or deregistration of s at a service centre, in form order:
//
//   - always the identity documents;
//   - a power of attorney when a trustee acts (attorney);
//   - a legal representative's documents when the applicant acts as parent
//     or guardian of the subject, or an owner is a minor or lacks capacity;
//   - the owners' written consent in person when a person other than the
//     applicant and the subject owns the premises;
//   - the organisation's petition when an organisation owns them;
//   - for a permanent registration of a person on a consular register
//     abroad and not registered in Kazakhstan, the consular papers.
func RequiredDocuments(s Snapshot, attorney bool) []DocumentKind {
	need := map[DocumentKind]bool{DocIdentity: true}
	if attorney {
		need[DocPowerOfAttorney] = true
	}
	if s.Applicant.IIN != s.Subject.IIN && s.related(RelationParent, RelationGuardian) {
		need[DocRepresentative] = true
	}
	for _, o := range s.Owners {
		switch {
		case o.Ownership.OwnerBIN != "":
			need[DocOrganisationPetition] = true
		case o.Ownership.OwnerIIN == s.Applicant.IIN || o.Ownership.OwnerIIN == s.Subject.IIN:
		default:
			need[DocOwnerConsent] = true
		}
		if p := o.Person; p != nil && (AgeOn(p.BirthDate, s.Date) < 18 || (p.Capacity != CapacityFull && p.Capacity != "")) {
			need[DocRepresentative] = true
			need[DocOwnerConsent] = true
		}
	}
	if s.Action == ActionRegister && s.Kind == Permanent && s.Subject.ConsularAbroad && len(s.Registrations) == 0 {
		need[DocConsularDeregistration] = true
	}
	var out []DocumentKind
	for _, k := range DocumentKinds {
		if need[k] {
			out = append(out, k)
		}
	}
	return out
}

// MissingDocuments returns the required documents not in checked.
func MissingDocuments(required, checked []DocumentKind) []DocumentKind {
	rec := InPersonRecord{Documents: checked}
	var out []DocumentKind
	for _, k := range required {
		if !rec.Has(k) {
			out = append(out, k)
		}
	}
	return out
}

// inPersonFacts turns the checked documents into the facts the rules read:
// the documents are checked when every required one is; the owners'
// consent is on paper when every consent the owners give (their written
// consent, a representative's for a minor or incapable owner, an
// organisation's petition) was among them.
func inPersonFacts(operator string, required, checked []DocumentKind) *InPersonFacts {
	f := &InPersonFacts{OperatorID: operator, DocumentsChecked: len(MissingDocuments(required, checked)) == 0}
	f.OwnersConsentInWriting = f.DocumentsChecked
	return f
}

// formRules are the rules whose refusal at the counter is a mistake in the
// form (an RKA that does not resolve, dates out of range, documents not
// checked, a person not registered where the operator typed), answered as
// a field error and never recorded: the person is still at the counter.
var formRules = map[RuleID]string{
	RulePremisesKnown:     "rka",
	RuleTemporaryPeriod:   "stay_until",
	RuleSignature:         "documents",
	RuleDeregisterSubject: "subject_iin",
	RuleDeregisterOwner:   "owner_iin",
	RuleDeregisterByOrg:   "owner_iin",
	RuleOfflineOwners:     "documents",
	RuleArrivalFromAbroad: "documents",
}

// formError returns the field error for a decision that is a form mistake
// at the counter, or nil when the decision is to be recorded.
func formError(d Decision) error {
	if d.Status != StatusRejected && d.Status != StatusInPersonRequired {
		return nil
	}
	field, ok := formRules[d.Rule]
	if !ok {
		if d.Status == StatusInPersonRequired {
			field = "documents"
		} else {
			return nil
		}
	}
	t := d.Message
	if !d.Next.IsZero() {
		t = Text{KK: t.KK + " " + d.Next.KK, RU: t.RU + " " + d.Next.RU, EN: t.EN + " " + d.Next.EN}
	}
	return &Error{Code: EInvalid, Field: field, Text: t}
}

// PSCInput is an application entered by an operator at a service centre.
// ApplicantIIN is who applies: the person themself, their parent or
// guardian, the tenant or the organisation's representative — or, when a
// trustee acts on a notarised power of attorney, the person who gave it
// (AttorneyIIN is the trustee). Documents are the kinds the operator checked.
type PSCInput struct {
	Kind         Kind
	ApplicantIIN string
	SubjectIIN   string
	AttorneyIIN  string
	RKA          string
	Reason       string
	StayFrom     time.Time
	StayUntil    time.Time
	ArrivedOn    time.Time
	Documents    []DocumentKind
}

// SubmitInPerson registers a person on their behalf at a service centre. The
// documents the rules ask for in person (the owners' written consent, the
// consular papers, a representative's or a trustee's authority, an
// organisation's petition) count as given when the operator checked them.
// A mistake in the form — a bad IIN, an RKA that does not resolve, dates out
// of range, a required document not checked — is an invalid error naming
// the field and writes nothing: no rejected application appears in the
// person's history or in the statistics. A refusal in law (the subject under
// 14, deceased, not a citizen, already registered there …) is recorded like
// any decision. The application (channel psc, signature psc) keeps the
// operator and the documents in its decision, and an event records them.
// Errors: unauthenticated, forbidden (not staff), invalid, unknown_person.
func (s *Service) SubmitInPerson(ctx context.Context, actor Actor, in PSCInput) (Application, error) {
	if err := staffOnly(actor); err != nil {
		return Application{}, err
	}
	if err := validatePSC(&in, s.now()); err != nil {
		return Application{}, err
	}
	var app Application
	err := s.store.InTx(ctx, func(tx Tx) error {
		if err := tx.LockPerson(ctx, in.SubjectIIN); err != nil {
			return personErr("subject_iin", err)
		}
		if in.AttorneyIIN != "" {
			if _, err := tx.Person(ctx, in.AttorneyIIN); err != nil {
				return personErr("attorney_iin", err)
			}
		}
		snap, err := s.snapshot(ctx, tx, in.ApplicantIIN, in.SubjectIIN, in.RKA)
		if err != nil {
			return err
		}
		snap.Action, snap.Kind, snap.Channel = ActionRegister, in.Kind, ChannelPSC
		snap.StayFrom, snap.StayUntil = in.StayFrom, in.StayUntil
		if snap.Premises == nil {
			return invalid("rka", msgUnknownRKA)
		}
		required := RequiredDocuments(snap, in.AttorneyIIN != "")
		if err := missingError(required, in.Documents); err != nil {
			return err
		}
		snap.Signature = SignatureFacts{Method: SignaturePSC, SignerIIN: in.ApplicantIIN}
		snap.InPerson = inPersonFacts(actor.Name, required, in.Documents)
		dec := Decide(snap)
		if err := formError(dec); err != nil {
			return err
		}
		rec := &InPersonRecord{Operator: actor.Name, Documents: checkedOrder(in.Documents), AttorneyIIN: in.AttorneyIIN}
		dec.InPerson = rec
		now := s.now()
		app = Application{ID: newID(now), Action: ActionRegister, Kind: in.Kind, ApplicantIIN: in.ApplicantIIN,
			SubjectIIN: in.SubjectIIN, RKA: in.RKA, Reason: in.Reason, StayFrom: in.StayFrom, StayUntil: in.StayUntil,
			ArrivedOn: in.ArrivedOn, Channel: ChannelPSC, Signature: SignaturePSC, SignerIIN: in.ApplicantIIN,
			OperatorID: actor.Name, Status: dec.Status, Decision: dec, CreatedAt: now, DecidedAt: now, UpdatedAt: now}
		if err := tx.AppendEvents(ctx, s.documentsEvents(actor, app, rec)...); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, &app, snap)
	})
	return app, err
}

// PSCDeregisterInput is a deregistration entered by an operator at the
// owner's or an organisation's request. RequesterIIN is the owner, or the
// representative of the owning organisation BIN.
type PSCDeregisterInput struct {
	RequesterIIN string
	BIN          string // set when an organisation asks
	SubjectIIN   string
	RKA          string
	Kind         Kind
	Reason       string
	Documents    []DocumentKind
}

// DeregisterInPerson takes a person off the register of premises at the
// request of its owner, or of the organisation that owns it (BIN set, by its
// representative), before an operator. The co-owners' written consent in
// person replaces their SMS consent; without it they are asked by SMS as
// online. Form mistakes are field errors that write nothing, as for
// SubmitInPerson. Errors: unauthenticated, forbidden, invalid,
// unknown_person.
func (s *Service) DeregisterInPerson(ctx context.Context, actor Actor, in PSCDeregisterInput) (Application, error) {
	if err := staffOnly(actor); err != nil {
		return Application{}, err
	}
	if err := CheckIIN("owner_iin", in.RequesterIIN); err != nil {
		return Application{}, err
	}
	if err := CheckIIN("subject_iin", in.SubjectIIN); err != nil {
		return Application{}, err
	}
	if in.BIN != "" {
		if err := CheckIIN("bin", in.BIN); err != nil {
			return Application{}, err
		}
	}
	in.RKA = strings.TrimSpace(in.RKA)
	if in.RKA == "" || len(in.RKA) > 64 {
		return Application{}, invalid("rka", textNoRKA)
	}
	if in.Kind != "" && in.Kind != Permanent && in.Kind != Temporary {
		return Application{}, invalid("kind", textBadKind)
	}
	if err := validDocuments(in.Documents); err != nil {
		return Application{}, err
	}
	var app Application
	err := s.store.InTx(ctx, func(tx Tx) error {
		if err := tx.LockPerson(ctx, in.SubjectIIN); err != nil {
			return personErr("subject_iin", err)
		}
		snap, err := s.snapshot(ctx, tx, in.RequesterIIN, in.SubjectIIN, in.RKA)
		if err != nil {
			return err
		}
		if snap.Premises == nil {
			return invalid("rka", msgUnknownRKA)
		}
		snap.Action, snap.Kind, snap.Channel = ActionDeregister, in.Kind, ChannelPSC
		snap.Signature = SignatureFacts{Method: SignaturePSC, SignerIIN: in.RequesterIIN}
		required := deregistrationDocuments(in.BIN)
		if err := missingError(required, in.Documents); err != nil {
			return err
		}
		snap.InPerson = inPersonFacts(actor.Name, required, in.Documents)
		// Without the co-owners' written consent they consent by SMS.
		snap.InPerson.OwnersConsentInWriting = (&InPersonRecord{Documents: in.Documents}).Has(DocOwnerConsent) ||
			!needsOwnerConsent(snap, in.RequesterIIN)
		var dec Decision
		if in.BIN != "" {
			dec = DecideOrganisationDeregistration(snap, in.BIN)
		} else {
			dec = DecideDeregistration(snap)
		}
		if err := formError(dec); err != nil {
			return err
		}
		rec := &InPersonRecord{Operator: actor.Name, Documents: checkedOrder(in.Documents)}
		dec.InPerson = rec
		now := s.now()
		app = Application{ID: newID(now), Action: ActionDeregister, Kind: in.Kind, ApplicantIIN: in.RequesterIIN,
			SubjectIIN: in.SubjectIIN, RKA: in.RKA, Reason: in.Reason, Channel: ChannelPSC, Signature: SignaturePSC,
			SignerIIN: in.RequesterIIN, OperatorID: actor.Name, Status: dec.Status, Decision: dec,
			CreatedAt: now, DecidedAt: now, UpdatedAt: now}
		if app.Kind == "" && len(dec.Effects) > 0 {
			app.Kind = dec.Effects[0].Kind
		}
		if app.Kind == "" {
			app.Kind = Permanent
		}
		if err := tx.AppendEvents(ctx, s.documentsEvents(actor, app, rec)...); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, &app, snap)
	})
	return app, err
}

// deregistrationDocuments are the documents of a deregistration at the
// counter: identity always; the organisation's petition when it asks.
// Co-owners' written consent is optional (without it they consent by SMS).
func deregistrationDocuments(bin string) []DocumentKind {
	req := []DocumentKind{DocIdentity}
	if bin != "" {
		req = append(req, DocOrganisationPetition)
	}
	return req
}

// needsOwnerConsent reports whether an owner other than the requester (or
// the organisation the requester represents) would have to consent.
func needsOwnerConsent(s Snapshot, requester string) bool {
	for _, o := range s.Owners {
		if o.Ownership.OwnerIIN != "" && o.Ownership.OwnerIIN != requester {
			return true
		}
		if o.Ownership.OwnerBIN != "" && !s.representsOrg(o.Ownership.OwnerBIN, o.Organisation) {
			return true
		}
	}
	return false
}

func (s *Service) documentsEvents(actor Actor, app Application, rec *InPersonRecord) []Event {
	var evs []Event
	for _, p := range uniq(app.ApplicantIIN, app.SubjectIIN) {
		e := s.event(EventDocumentsChecked, p, actor)
		e.ApplicationID, e.RKA = app.ID, app.RKA
		e.Message = msgDocumentsChecked
		e.Data = jobArgs(map[string]any{"operator": rec.Operator, "documents": rec.Documents, "attorney_iin": MaskIIN(rec.AttorneyIIN)})
		evs = append(evs, e)
	}
	return evs
}

func staffOnly(actor Actor) error {
	if actor.Role == "" {
		return unauthenticated()
	}
	if !actor.IsStaff() {
		return forbidden()
	}
	return nil
}

// validatePSC checks the form of an in-person application: the fields, and
// for a temporary stay both dates given.
func validatePSC(in *PSCInput, now time.Time) error {
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
	if in.AttorneyIIN != "" {
		if err := CheckIIN("attorney_iin", in.AttorneyIIN); err != nil {
			return err
		}
		if in.AttorneyIIN == in.ApplicantIIN {
			return invalid("attorney_iin", textAttorneySelf)
		}
	}
	in.RKA = strings.TrimSpace(in.RKA)
	if in.RKA == "" || len(in.RKA) > 64 {
		return invalid("rka", textNoRKA)
	}
	if len(in.Reason) > 500 {
		return Errorf(EInvalid, "reason too long")
	}
	if in.Kind == Temporary {
		if in.StayFrom.IsZero() {
			in.StayFrom = DateOf(now)
		}
		if in.StayUntil.IsZero() {
			return invalid("stay_until", msgPeriodMissing)
		}
	}
	if !in.ArrivedOn.IsZero() && in.ArrivedOn.After(DateOf(now)) {
		return invalid("arrived_on", textArrivedFuture)
	}
	return validDocuments(in.Documents)
}

func validDocuments(ds []DocumentKind) error {
	for _, d := range ds {
		if !d.Valid() {
			return invalid("documents", textBadDocument)
		}
	}
	return nil
}

// missingError is the field error for the first required document not
// checked (field "doc_<kind>"), nil when none is missing.
func missingError(required, checked []DocumentKind) error {
	missing := MissingDocuments(required, checked)
	if len(missing) == 0 {
		return nil
	}
	names := make([]Text, len(missing))
	for i, m := range missing {
		names[i] = DocumentName(m)
	}
	return &Error{Code: EInvalid, Field: "doc_" + string(missing[0]), Text: Text{
		KK: "Құжаттар тексерілмеген: " + joinIn(names, "kk") + ".",
		RU: "Не отмечены проверенные документы: " + joinIn(names, "ru") + ".",
		EN: "Documents not checked: " + joinIn(names, "en") + ".",
	}}
}

func joinIn(ts []Text, lang string) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.In(lang)
	}
	return strings.Join(parts, "; ")
}

// checkedOrder returns the checked kinds once each, in form order.
func checkedOrder(ds []DocumentKind) []DocumentKind {
	rec := InPersonRecord{Documents: ds}
	out := []DocumentKind{}
	for _, k := range DocumentKinds {
		if rec.Has(k) {
			out = append(out, k)
		}
	}
	return out
}

// DocumentName is the name of a document kind in the three languages.
func DocumentName(k DocumentKind) Text {
	switch k {
	case DocIdentity:
		return Text{KK: "жеке басын куәландыратын құжаттар", RU: "документы, удостоверяющие личность", EN: "identity documents"}
	case DocPowerOfAttorney:
		return Text{KK: "нотариат куәландырған сенімхат", RU: "нотариально удостоверенная доверенность", EN: "notarised power of attorney"}
	case DocRepresentative:
		return Text{KK: "заңды өкілдің өкілеттігін растайтын құжаттар", RU: "документы законного представителя", EN: "legal representative's documents"}
	case DocOwnerConsent:
		return Text{KK: "меншік иелерінің жеке өзі берген жазбаша келісімі", RU: "письменное согласие собственников, данное лично", EN: "owners' written consent in person"}
	case DocOrganisationPetition:
		return Text{KK: "ұйым әкімшілігінің өтінішхаты", RU: "ходатайство администрации организации", EN: "petition of the organisation"}
	case DocConsularDeregistration:
		return Text{KK: "консулдық есептен шығару туралы белгі немесе құжат", RU: "отметка или документ о снятии с консульского учёта", EN: "consular deregistration papers"}
	}
	return Text{KK: string(k), RU: string(k), EN: string(k)}
}

var (
	msgDocumentsChecked = Text{
		KK: "Халыққа қызмет көрсету орталығының операторы құжаттарды тексерді.",
		RU: "Оператор ЦОН проверил документы.",
		EN: "A service-centre operator checked the documents.",
	}
	textAttorneySelf = Text{
		KK: "Сенім білдірілген адам өтініш берушінің өзі бола алмайды.",
		RU: "Доверенное лицо не может быть самим заявителем.",
		EN: "The trustee cannot be the applicant themself.",
	}
	textArrivedFuture = Text{
		KK: "Келген күні болашақта болмауы керек.",
		RU: "Дата прибытия не может быть в будущем.",
		EN: "The arrival date cannot be in the future.",
	}
	textBadDocument = Text{
		KK: "Белгісіз құжат түрі.",
		RU: "Неизвестный вид документа.",
		EN: "Unknown kind of document.",
	}
)
