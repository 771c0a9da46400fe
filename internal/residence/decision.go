package residence

import "time"

// RuleID names a rule of DESIGN.md §3.
type RuleID string

// The rules, in the order Decide applies them.
const (
	RuleSubjectAlive         RuleID = "SUBJECT_ALIVE"
	RuleSubjectCitizen       RuleID = "SUBJECT_CITIZEN"
	RuleSubjectAge           RuleID = "SUBJECT_AGE"
	RuleApplicantAuthority   RuleID = "APPLICANT_AUTHORITY"
	RuleSignature            RuleID = "SIGNATURE"
	RulePremisesKnown        RuleID = "PREMISES_KNOWN"
	RuleTemporaryPeriod      RuleID = "TEMPORARY_PERIOD"
	RuleAlreadyRegistered    RuleID = "ALREADY_REGISTERED"
	RuleStateRental          RuleID = "STATE_RENTAL"
	RuleOfflineOwners        RuleID = "OFFLINE_OWNERS"
	RuleOwnerUnknown         RuleID = "OWNER_UNKNOWN"
	RuleArrivalFromAbroad    RuleID = "ARRIVAL_FROM_ABROAD"
	RuleOrganisationPetition RuleID = "ORGANISATION_PETITION"
	RuleOwnerConsent         RuleID = "OWNER_CONSENT"
	RuleSubjectConsent       RuleID = "SUBJECT_CONSENT"
	// RuleConsentDeclined is the decision when an owner declines.
	RuleConsentDeclined RuleID = "CONSENT_DECLINED"
	// RuleSubjectDeclined is the decision when the subject declines an
	// application someone else made for them.
	RuleSubjectDeclined RuleID = "SUBJECT_DECLINED"
	// RuleConsentExpired is the decision when the hour for consent passed.
	RuleConsentExpired RuleID = "CONSENT_EXPIRED"
	// RuleOwnersChanged is the decision at completion when the premises have
	// an owner (or owning organisation) who was not asked and has not
	// consented: the owners changed while consent was awaited.
	RuleOwnersChanged RuleID = "OWNERS_CHANGED"
	// RuleRegisteredMeanwhile is the decision at completion when the subject
	// was registered (of the same kind) somewhere else after applying.
	RuleRegisteredMeanwhile RuleID = "REGISTERED_MEANWHILE"
	// Rules of owner-initiated deregistration.
	RuleDeregisterOwner   RuleID = "DEREGISTER_OWNER"   // the applicant owns the premises
	RuleDeregisterSubject RuleID = "DEREGISTER_SUBJECT" // the subject is registered there
	// RuleDeregisterByOrg is the rule of a deregistration asked by an
	// organisation that owns the premises: the applicant represents it.
	RuleDeregisterByOrg RuleID = "DEREGISTER_ORGANISATION"
)

// EventDocumentsChecked records which documents a service-centre operator
// checked for an application (and who), in the histories of the applicant
// and the subject.
const EventDocumentsChecked = "application.documents_checked"

// Verdict is what a single rule concluded.
type Verdict string

// Values of Verdict.
const (
	Pass     Verdict = "pass"
	Reject   Verdict = "reject"
	InPerson Verdict = "in_person"
)

// Outcome is the result of one rule on a snapshot. A passing rule may still
// add consent requirements (OWNER_CONSENT, ORGANISATION_PETITION).
type Outcome struct {
	Rule       RuleID
	Verdict    Verdict
	LegalBasis Text   // the acts the outcome rests on, in three languages
	Message    Text   // why, in plain words
	Next       Text   // what the person can do next
	Documents  []Text // for InPerson: what to bring to the service centre
	Consents   []ConsentRequirement
}

// ConsentRequirement is an owner whose consent the application needs (or,
// with Kind ConsentKindSubject, the subject, by OwnerIIN), and how it can be
// given.
type ConsentRequirement struct {
	Kind     ConsentKind    `json:"kind,omitempty"`
	OwnerIIN string         `json:"owner_iin,omitempty"`
	OwnerBIN string         `json:"owner_bin,omitempty"`
	Channel  ConsentChannel `json:"channel"`
}

// KindOf returns the kind of the requirement. Decisions stored before kinds
// existed have none: a requirement naming an organisation is a petition,
// any other an owner's consent.
func (c ConsentRequirement) KindOf() ConsentKind {
	switch {
	case c.Kind != "":
		return c.Kind
	case c.OwnerBIN != "":
		return ConsentKindPetition
	}
	return ConsentKindOwner
}

// Effect is what registering changes besides the new registration: an
// existing registration that ends, and why.
type Effect struct {
	RegistrationID string    `json:"registration_id"`
	RKA            string    `json:"rka"`
	Kind           Kind      `json:"kind"`
	EndReason      EndReason `json:"end_reason"`
}

// Decision is the answer to an application: the status it moves to, the rule
// that decided (empty when every rule passed and no consent is needed), the
// legal basis, the message and next step in three languages, the consents
// still required and the effects of registering.
type Decision struct {
	Status     ApplicationStatus    `json:"status"`
	Rule       RuleID               `json:"rule,omitempty"`
	LegalBasis Text                 `json:"legal_basis,omitzero"`
	Message    Text                 `json:"message"`
	Next       Text                 `json:"next,omitzero"`
	Documents  []Text               `json:"documents,omitempty"`
	Consents   []ConsentRequirement `json:"consents,omitempty"`
	Effects    []Effect             `json:"effects,omitempty"`
	// Violation is the possible violation of the duty to register that a
	// temporary registration entered late reveals (liability.go), shown as
	// information; nil when none.
	Violation *Violation `json:"violation,omitempty"`
	// InPerson records what a service-centre operator checked (psc).
	InPerson *InPersonRecord `json:"in_person,omitempty"`
}

// UnmarshalJSON reads a decision in the API's form or any stored form
// (DecodeDecision).
func (d *Decision) UnmarshalJSON(b []byte) error {
	v, err := DecodeDecision(b)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// OwnerFacts is an owner of the premises with what the registry knows of
// them: Person for an individual, Organisation for a legal entity. A nil
// Person or Organisation means the owner is missing from the registry.
type OwnerFacts struct {
	Ownership    Ownership
	Person       *Person
	Organisation *Organisation
}

// SignatureFacts is what the adapters established about the applicant's
// signature before the rules run: the method, and for EDS the IIN in the
// verified certificate. Cryptographic failures never reach the rules: they are
// errors with their own codes.
type SignatureFacts struct {
	Method    SignatureMethod
	SignerIIN string // EDS: the IIN of the verified certificate; OTP: the person the code was sent to
}

// InPersonFacts is what a service-centre operator attests for an application
// made in person: identity documents seen, owners present with written
// consent, consular deregistration documents.
type InPersonFacts struct {
	OperatorID             string
	DocumentsChecked       bool
	OwnersConsentInWriting bool
}

// Snapshot is every fact the rules need about one application, read in the
// transaction that decides it. Rules are pure functions of a Snapshot.
type Snapshot struct {
	Date      time.Time // the application date (DateOf the submission time)
	Action    Action
	Kind      Kind
	Channel   Channel
	Applicant Person
	Subject   Person
	// Relations holds the relations in which the applicant or the subject
	// takes part.
	Relations []Relation
	// Premises is nil when the RKA does not resolve.
	Premises *Premises
	RKA      string
	Owners   []OwnerFacts
	// Rentals are the premises' rental agreements (state rental housing).
	Rentals []RentalAgreement
	// Registrations are the subject's active registrations.
	Registrations []Registration
	// ApplicantOrganisations are the organisations the applicant represents.
	ApplicantOrganisations []Organisation
	Signature              SignatureFacts
	InPerson               *InPersonFacts // nil unless Channel is psc
	StayFrom, StayUntil    time.Time      // temporary registrations
}
