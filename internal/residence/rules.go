package residence

import (
	"slices"
	"strings"
	"time"
)

// This file holds the registration rules of DESIGN.md §3. Each rule is a pure
// function of a Snapshot named after its RuleID; its legal basis is the
// constant declared next to it. The messages are in texts.go.

// Rules lists the registration rules in the order Decide applies them.
var Rules = []struct {
	ID    RuleID
	Check func(Snapshot) Outcome
}{
	{RuleSubjectAlive, SubjectAlive},
	{RuleSubjectCitizen, SubjectCitizen},
	{RuleSubjectAge, SubjectAge},
	{RuleApplicantAuthority, ApplicantAuthority},
	{RuleSignature, Signature},
	{RulePremisesKnown, PremisesKnown},
	{RuleTemporaryPeriod, TemporaryPeriod},
	{RuleAlreadyRegistered, AlreadyRegistered},
	{RuleStateRental, StateRental},
	{RuleOfflineOwners, OfflineOwners},
	{RuleOwnerUnknown, OwnerUnknown},
	{RuleArrivalFromAbroad, ArrivalFromAbroad},
	{RuleOrganisationPetition, OrganisationPetition},
	{RuleOwnerConsent, OwnerConsent},
	{RuleSubjectConsent, SubjectConsent},
}

// pass, reject and inPerson build an Outcome of rule with its legal basis.
// Every Outcome carries its legal basis and a message, even a passing one, so
// that a service history can show why each check passed.
func pass(rule RuleID, basis Text, msg Text) Outcome {
	return Outcome{Rule: rule, Verdict: Pass, LegalBasis: basis, Message: msg}
}

func reject(rule RuleID, basis Text, msg, next Text) Outcome {
	return Outcome{Rule: rule, Verdict: Reject, LegalBasis: basis, Message: msg, Next: next}
}

func inPerson(rule RuleID, basis Text, msg, next Text, docs []Text) Outcome {
	return Outcome{Rule: rule, Verdict: InPerson, LegalBasis: basis, Message: msg, Next: next, Documents: docs}
}

// legalBasis joins citations (texts.go) into one legal basis, "; " between
// them, in each language.
func legalBasis(cites ...Text) Text {
	var b Text
	for i, c := range cites {
		if i > 0 {
			b.KK, b.RU, b.EN = b.KK+"; ", b.RU+"; ", b.EN+"; "
		}
		b.KK, b.RU, b.EN = b.KK+c.KK, b.RU+c.RU, b.EN+c.EN
	}
	return b
}

// BasisSubjectAlive: the civil registry's record of death ends a person's
// registration, and nobody can be registered after it. The seeds tie no
// provision on the deceased to an act, so the basis is the Rules that govern
// registration as a whole (the Civil Code article once cited is not in the
// seeds).
var BasisSubjectAlive = legalBasis(citeRules1427)

// SubjectAlive rejects an application for a person recorded as deceased in
// the State Database "Individuals".
func SubjectAlive(s Snapshot) Outcome {
	if s.Subject.Deceased {
		return reject(RuleSubjectAlive, BasisSubjectAlive, msgSubjectDeceased, nxtSubjectDeceased)
	}
	return pass(RuleSubjectAlive, BasisSubjectAlive, msgSubjectAlive)
}

// BasisSubjectCitizen: the service is the registration of citizens of the
// RK (seeds 000, 001: its full name); the Rules No. 1427 govern internal
// migrants.
var BasisSubjectCitizen = legalBasis(citeRules1427, citeStandard)

// SubjectCitizen rejects an application for anyone who is not a citizen of
// the Republic of Kazakhstan.
func SubjectCitizen(s Snapshot) Outcome {
	if s.Subject.Citizenship != CitizenKZ {
		return reject(RuleSubjectCitizen, BasisSubjectCitizen, msgNotCitizen, nxtNotCitizen)
	}
	return pass(RuleSubjectCitizen, BasisSubjectCitizen, msgCitizen)
}

// BasisSubjectAge: the place of residence of children under fourteen is that
// of their parents or legal representatives (Civil Code art. 16), and their
// registration was cancelled by Resolution No. 30 of 04.02.2020 amending the
// Rules No. 1427.
var BasisSubjectAge = legalBasis(citeCivilCode16, citeRules1427As30)

// MinAge is the age from which a citizen is registered at a place of
// residence.
const MinAge = 14

// SubjectAge rejects an application for a child under 14 on the application
// date. A person is 14 from their fourteenth birthday; one born on 29
// February turns 14 on 28 February of a common year (AgeOn).
func SubjectAge(s Snapshot) Outcome {
	if AgeOn(s.Subject.BirthDate, s.Date) < MinAge {
		return reject(RuleSubjectAge, BasisSubjectAge, msgUnder14, nxtUnder14)
	}
	return pass(RuleSubjectAge, BasisSubjectAge, msgAge14)
}

// Legal bases of APPLICANT_AUTHORITY, one for each kind of subject.
var (
	// BasisAuthorityAdult: citizens apply for themselves (seed 000); the
	// service recipient acts in person, through a legal representative or a
	// trustee with a notarised power of attorney (seeds 001, 003); an
	// organisation registers its residents on its administration's petition
	// (seeds 001, 003, 004) and the tenant of state rental housing the persons
	// listed in the agreement (seed 000, changes of 24.11.2025).
	BasisAuthorityAdult = legalBasis(citeStandard, citeProcedure2025)
	// BasisAuthorityMinor: children of 14 and 15 are registered by their
	// parents or legal representatives (seeds 000, 004).
	BasisAuthorityMinor = legalBasis(citeProcedure2025, citeStandard)
	// BasisAuthorityWard: the place of residence of citizens under
	// guardianship is that of their legal representatives (Civil Code
	// art. 16, seed 004), and guardians register wards declared
	// incapacitated or partially incapacitated by a court (seed 000).
	BasisAuthorityWard = legalBasis(citeCivilCode16, citeProcedure2025)
	// BasisAuthorityRepresentative: the legal representatives the standard
	// admits (parents, guardians, trustees) act for another person; that one
	// must be an adult of full capacity is tirkeu's reading (DECISIONS.md).
	BasisAuthorityRepresentative = legalBasis(citeStandard)
)

// ApplicantAuthority checks that the applicant may apply for the subject:
//
//   - a subject of 18 or more declared incapacitated or partially
//     incapacitated: only their guardian;
//   - a subject of 16 or more with full capacity: the subject themself, or a
//     representative of an organisation that owns the premises (a hotel,
//     dormitory or care home registering its resident by petition of its
//     administration), or, in state rental housing, the tenant of one of its
//     rental agreements (STATE_RENTAL then checks that the agreement is in
//     force and lists the subject);
//   - a subject under 16, or of 16 or 17 without full capacity: a parent or
//     guardian. A child of 14 or 15 applying alone is refused with the advice
//     that a parent must apply.
//
// Whoever applies for another person must be alive, 18 or older and of full
// capacity. The age limit itself is SUBJECT_AGE's.
func ApplicantAuthority(s Snapshot) Outcome {
	const rule = RuleApplicantAuthority
	age := AgeOn(s.Subject.BirthDate, s.Date)
	self := s.Applicant.IIN == s.Subject.IIN
	full := s.Subject.Capacity == CapacityFull || s.Subject.Capacity == ""
	basis := BasisAuthorityAdult
	switch {
	case age >= 18 && !full:
		basis = BasisAuthorityWard
		if !s.related(RelationGuardian) {
			return reject(rule, basis, msgWardNotGuardian, nxtWardNotGuardian)
		}
	case age >= 16 && full:
		if !self && !s.applicantRepresentsOwner() && !s.applicantIsTenant() {
			return reject(rule, basis, msgAdultSelf, nxtAdultSelf)
		}
	default: // under 16, or 16–17 without full capacity
		basis = BasisAuthorityMinor
		if self && age < 16 {
			return reject(rule, basis, msgChildSelf, nxtChildSelf)
		}
		if !s.related(RelationParent, RelationGuardian) {
			return reject(rule, basis, msgMinorNotParent, nxtMinorNotParent)
		}
	}
	if !self {
		a := s.Applicant
		if a.Deceased || AgeOn(a.BirthDate, s.Date) < 18 || (a.Capacity != CapacityFull && a.Capacity != "") {
			return reject(rule, BasisAuthorityRepresentative, msgApplicantUnfit, nxtApplicantUnfit)
		}
	}
	return pass(rule, basis, msgAuthorityOK)
}

// related reports whether a relation of one of the kinds runs from the
// applicant to the subject.
func (s Snapshot) related(kinds ...RelationKind) bool {
	for _, r := range s.Relations {
		if r.From != s.Applicant.IIN || r.To != s.Subject.IIN {
			continue
		}
		for _, k := range kinds {
			if r.Kind == k {
				return true
			}
		}
	}
	return false
}

// representsOrg reports whether the applicant may sign for the organisation
// bin: it is among s.ApplicantOrganisations, or the owner record lists the
// applicant among its representatives.
func (s Snapshot) representsOrg(bin string, org *Organisation) bool {
	if bin == "" {
		return false
	}
	for _, o := range s.ApplicantOrganisations {
		if o.BIN == bin {
			return true
		}
	}
	if org != nil && s.Applicant.IIN != "" {
		for _, iin := range org.Representatives {
			if iin == s.Applicant.IIN {
				return true
			}
		}
	}
	return false
}

// applicantRepresentsOwner reports whether the applicant represents an
// organisation that owns the premises.
func (s Snapshot) applicantRepresentsOwner() bool {
	for _, o := range s.Owners {
		if s.representsOrg(o.Ownership.OwnerBIN, o.Organisation) {
			return true
		}
	}
	return false
}

// applicantOrganisation returns the name of an organisation owning the
// premises that the applicant represents, or "".
func (s Snapshot) applicantOrganisation() string {
	for _, o := range s.Owners {
		if o.Organisation != nil && s.representsOrg(o.Ownership.OwnerBIN, o.Organisation) {
			return o.Organisation.Name
		}
	}
	return ""
}

// applicantIsTenant reports whether the premises are state rental housing
// and the applicant is the tenant of one of their rental agreements, in force
// or not.
func (s Snapshot) applicantIsTenant() bool {
	if s.Premises == nil || !s.Premises.StateRental {
		return false
	}
	for _, r := range s.Rentals {
		if r.TenantIIN == s.Applicant.IIN {
			return true
		}
	}
	return false
}

// BasisSignature: the application is signed by EDS or by a one-time SMS
// password to the phone in the Mobile Citizens Database (seeds 000, 001,
// 003); consent is given in writing or electronically, certified by EDS
// (Rules No. 1427, seed 004); on paper, before an operator of a service
// centre.
var BasisSignature = legalBasis(citeRules1427, citeStandard)

// Signature checks the facts of the applicant's signature. The adapters have
// already verified the cryptography; here:
//
//   - psc: only for the psc channel, with the operator's attestation that the
//     documents were checked;
//   - eds: the certificate's IIN is the applicant's;
//   - sms_otp: the applicant has a phone in the MCD and the code went to them;
//   - none or anything else: rejected.
func Signature(s Snapshot) Outcome {
	const rule = RuleSignature
	sig := s.Signature
	switch sig.Method {
	case SignaturePSC:
		if s.Channel == ChannelPSC && s.InPerson != nil && s.InPerson.DocumentsChecked {
			return pass(rule, BasisSignature, msgSignedOnPaper)
		}
		return reject(rule, BasisSignature, msgPaperUnchecked, nxtPaperUnchecked)
	case SignatureEDS:
		if sig.SignerIIN == "" || sig.SignerIIN != s.Applicant.IIN {
			return reject(rule, BasisSignature, msgEDSOther, nxtEDSOther)
		}
		return pass(rule, BasisSignature, msgSigned)
	case SignatureOTP:
		if s.Applicant.Phone == "" {
			return reject(rule, BasisSignature, msgOTPNoPhone, nxtOTPNoPhone)
		}
		if sig.SignerIIN == "" || sig.SignerIIN != s.Applicant.IIN {
			return reject(rule, BasisSignature, msgOTPOther, nxtOTPOther)
		}
		return pass(rule, BasisSignature, msgSigned)
	default:
		return reject(rule, BasisSignature, msgUnsigned, nxtUnsigned)
	}
}

// BasisPremisesKnown: registration is made in residential buildings,
// apartments, dachas, hostels, hotels, sanatoriums, care homes and other
// premises used for residence, identified by their RKA (Rules No. 1427;
// Law "On Housing Relations").
var BasisPremisesKnown = legalBasis(citeRules1427, citeHousingLaw)

// PremisesKnown rejects an RKA that the address register does not resolve,
// or that resolves to premises of a kind where no one can live.
func PremisesKnown(s Snapshot) Outcome {
	switch {
	case s.Premises == nil:
		return reject(RulePremisesKnown, BasisPremisesKnown, msgUnknownRKA, nxtUnknownRKA)
	case !s.Premises.Kind.Residential():
		return reject(RulePremisesKnown, BasisPremisesKnown, msgNotResidential, nxtNotResidential)
	}
	return pass(RulePremisesKnown, BasisPremisesKnown, msgPremisesOK)
}

// BasisTemporaryPeriod: a citizen staying more than one month must register
// within 10 days of arrival; one who comes for up to a month may not
// register (seed 002, Law "On Population Migration"); registration at the
// place of temporary stay is made under the Rules No. 1427 (seed 004), and
// starts on the day it is entered in the information system (seed 003).
// The cap of twelve months is DESIGN.md's; the seeds name no act for it.
var BasisTemporaryPeriod = legalBasis(citeMigrationLaw, citeRules1427)

// TemporaryPeriod checks the period of a temporary registration. The
// registration starts on the day it is entered (seed 003: "Date of temporary
// registration starts from the date of its fixing in information system"),
// so it runs from StayFrom or the application date, whichever is later, to
// StayUntil; that whole period must last from one month (StayUntil ≥
// AddMonths(start, 1)) to twelve months (StayUntil ≤ AddMonths(start, 12)),
// months counted by the Civil Code's rule (AddMonths). Refused, each with
// its own message: a missing date, StayUntil not after StayFrom, a stay that
// ended before the application date, a StayFrom after the application date
// (registration follows arrival: no stay is registered in advance, see
// DECISIONS.md), and a period too short or too long. A permanent
// registration passes.
func TemporaryPeriod(s Snapshot) Outcome {
	const rule = RuleTemporaryPeriod
	if s.Kind != Temporary {
		return pass(rule, BasisTemporaryPeriod, msgPermanentNoPeriod)
	}
	from, until := s.StayFrom, s.StayUntil
	start := from
	if start.Before(s.Date) {
		start = s.Date
	}
	switch {
	case from.IsZero() || until.IsZero():
		return reject(rule, BasisTemporaryPeriod, msgPeriodMissing, nxtPeriodMissing)
	case !until.After(from):
		return reject(rule, BasisTemporaryPeriod, msgPeriodOrder, nxtPeriodFix)
	case until.Before(s.Date):
		return reject(rule, BasisTemporaryPeriod, msgPeriodPast, nxtPeriodPast)
	case from.After(s.Date.AddDate(0, 0, MaxAdvanceDays)):
		return reject(rule, BasisTemporaryPeriod, msgPeriodFuture, nxtPeriodFuture)
	case until.Before(AddMonths(start, 1)):
		return reject(rule, BasisTemporaryPeriod, msgPeriodShort, nxtPeriodShort)
	case until.After(AddMonths(start, 12)):
		return reject(rule, BasisTemporaryPeriod, msgPeriodLong, nxtPeriodLong)
	}
	return pass(rule, BasisTemporaryPeriod, msgPeriodOK)
}

// MaxAdvanceDays is how many days after the application date a temporary
// stay may start: none. A temporary registration starts on the day it is
// entered (seed 003) and is due within 10 days of arrival (seed 002), so a
// stay is registered once it has begun, never in advance (DECISIONS.md).
const MaxAdvanceDays = 0

// BasisAlreadyRegistered: there are two kinds of registration, at the place
// of permanent residence and at a place of temporary stay (seed 002, Law
// "On Population Migration"); a new registration ends the one at the former
// place (seed 004).
var BasisAlreadyRegistered = legalBasis(citeMigrationLaw, citeRules1427)

// AlreadyRegistered rejects an application for a subject who already has an
// active registration of the same kind at the same RKA, and a temporary
// registration at the subject's own permanent address (a place of temporary
// stay is, by definition, not the place of permanent residence: seed 002).
// A permanent registration where the subject is temporarily registered
// passes: it ends the temporary one (RegistrationEffects, EndReplaced), so a
// person never holds both kinds at one address.
func AlreadyRegistered(s Snapshot) Outcome {
	rka := s.rka()
	temporaryHere := false
	for _, r := range s.Registrations {
		if r.Status == RegistrationEnded || r.RKA != rka {
			continue
		}
		switch {
		case r.Kind == s.Kind && r.Kind == Permanent:
			return reject(RuleAlreadyRegistered, BasisAlreadyRegistered, msgAlreadyPermanent, nxtAlreadyRegistered)
		case r.Kind == s.Kind:
			return reject(RuleAlreadyRegistered, BasisAlreadyRegistered, msgAlreadyTemporary, nxtAlreadyRegistered)
		case r.Kind == Permanent: // a temporary application at the permanent address
			return reject(RuleAlreadyRegistered, BasisAlreadyRegistered, msgTemporaryAtPermanent, nxtTemporaryAtPermanent)
		default: // a permanent application where the subject stays temporarily
			temporaryHere = true
		}
	}
	if temporaryHere {
		return pass(RuleAlreadyRegistered, BasisAlreadyRegistered, msgTemporaryEndsHere)
	}
	return pass(RuleAlreadyRegistered, BasisAlreadyRegistered, msgNotYetRegistered)
}

// rka returns the RKA of the application.
func (s Snapshot) rka() string {
	if s.RKA == "" && s.Premises != nil {
		return s.Premises.RKA
	}
	return s.RKA
}

// BasisStateRental: in state rental housing the tenant registers the persons
// listed in the rental agreement; an application by anyone else, or for an
// unlisted person, is rejected automatically (seed 000, changes of
// 24.11.2025); the tenant's right rests on the Law "On Housing Relations"
// (seed 004).
var BasisStateRental = legalBasis(citeProcedure2025, citeHousingLaw)

// StateRental applies to state rental housing only: the applicant must be the
// tenant of an agreement in force on the application date that lists the
// subject. The message tells apart an applicant who is not the tenant, an
// agreement not in force, and a subject not listed.
func StateRental(s Snapshot) Outcome {
	const rule = RuleStateRental
	if s.Premises == nil || !s.Premises.StateRental {
		return pass(rule, BasisStateRental, msgNotStateRental)
	}
	tenant, inForce := false, false
	for _, r := range s.Rentals {
		if r.TenantIIN != s.Applicant.IIN {
			continue
		}
		tenant = true
		if !r.ActiveOn(s.Date) {
			continue
		}
		inForce = true
		if r.Lists(s.Subject.IIN) {
			return pass(rule, BasisStateRental, msgRentalOK)
		}
	}
	switch {
	case inForce:
		return reject(rule, BasisStateRental, msgRentalNotListed, nxtRental)
	case tenant:
		return reject(rule, BasisStateRental, msgRentalNotInForce, nxtRental)
	default:
		return reject(rule, BasisStateRental, msgRentalNotTenant, nxtRental)
	}
}

// BasisOfflineOwners: registration at an address whose owners or co-owners
// include minors or persons declared incapacitated or partially
// incapacitated by a court is made offline at service centres (seed 000,
// changes of 24.11.2025), where the owner's presence and written consent are
// required (seeds 001, 003).
var BasisOfflineOwners = legalBasis(citeProcedure2025, citeStandard)

// OfflineOwners requires a visit to a service centre when an owner who is a
// living person is a minor or lacks full capacity: such an owner cannot
// consent online (seed 000). Owners the registries cannot identify are
// OWNER_UNKNOWN's. It passes at a service centre once the operator has the
// owners' written consent.
func OfflineOwners(s Snapshot) Outcome {
	const rule = RuleOfflineOwners
	if s.consentOnPaper() {
		return pass(rule, BasisOfflineOwners, msgConsentOnPaper)
	}
	var minor, incapable bool
	for _, o := range s.Owners {
		p := o.Person
		switch {
		case p == nil || p.Deceased:
		case AgeOn(p.BirthDate, s.Date) < 18:
			minor = true
		case p.Capacity != CapacityFull && p.Capacity != "":
			incapable = true
		}
	}
	switch {
	case minor:
		return inPerson(rule, BasisOfflineOwners, msgOwnerMinor, nxtOwnersInPerson, docsOwnersInPerson)
	case incapable:
		return inPerson(rule, BasisOfflineOwners, msgOwnerIncapable, nxtOwnersInPerson, docsOwnersInPerson)
	}
	return pass(rule, BasisOfflineOwners, msgOwnersOnline)
}

// BasisOwnerUnknown: to confirm the owner's (tenant's) right, the service
// provider receives from the information systems, by the RKA, the data on
// the owner confirming their title under the Law "On Housing Relations"
// (seeds 001, 003, 004; seed 004 under the Rules No. 1427); where the
// registries cannot, the owner's identity and written consent are checked
// in person at a service centre (seeds 001, 003).
var BasisOwnerUnknown = legalBasis(citeRules1427, citeHousingLaw, citeStandard)

// OwnerUnknown requires a visit to a service centre when the registries
// cannot identify every owner of the premises: no ownership record at all,
// an owner (person or organisation) missing from the registries, or an
// owner recorded as deceased (the heirs' title is not in the register).
// Nobody could consent online for such an owner, and the owner's title
// cannot be confirmed. State rental housing passes (the tenant's agreement
// is checked by STATE_RENTAL), and so does a service-centre application for
// which the operator checked the documents and took the owners' written
// consent (the title documents are among them).
func OwnerUnknown(s Snapshot) Outcome {
	const rule = RuleOwnerUnknown
	switch {
	case s.Premises != nil && s.Premises.StateRental:
		return pass(rule, BasisOwnerUnknown, msgTenantSigns)
	case s.consentOnPaper() && s.InPerson.DocumentsChecked:
		return pass(rule, BasisOwnerUnknown, msgOwnersCheckedOnPaper)
	case len(s.Owners) == 0:
		return inPerson(rule, BasisOwnerUnknown, msgNoOwnerRecord, nxtOwnerUnknown, docsOwnerUnknown)
	}
	var missing, deceased bool
	for _, o := range s.Owners {
		switch {
		case o.Person == nil && o.Organisation == nil:
			missing = true
		case o.Person != nil && o.Person.Deceased:
			deceased = true
		}
	}
	switch {
	case missing:
		return inPerson(rule, BasisOwnerUnknown, msgOwnerUnknown, nxtOwnerUnknown, docsOwnerUnknown)
	case deceased:
		return inPerson(rule, BasisOwnerUnknown, msgOwnerDeceased, nxtOwnerUnknown, docsOwnerUnknown)
	}
	return pass(rule, BasisOwnerUnknown, msgOwnersKnown)
}

// consentOnPaper reports whether the owners gave consent in writing before a
// service-centre operator.
func (s Snapshot) consentOnPaper() bool {
	return s.Channel == ChannelPSC && s.InPerson != nil && s.InPerson.OwnersConsentInWriting
}

// BasisArrivalFromAbroad: a citizen who arrived from abroad for permanent
// residence is registered on their passport with the mark of removal from
// the consular register, or on the documents that replace it (seeds 001
// and 003, the service passport; the seeds do not tie this to the Rules
// No. 1427 or to the Law "On Population Migration").
var BasisArrivalFromAbroad = legalBasis(citeStandard)

// ArrivalFromAbroad sends to a service centre, with the documents of
// removal from the consular register, a subject on a consular register
// abroad who applies for permanent registration and has no active
// registration in Kazakhstan: that is a citizen who "arrived from abroad for
// permanent residence" (seeds 001, 003). A temporary stay, or a person
// already registered here, is not an arrival for permanent residence and
// passes. It passes at a service centre once the operator has checked the
// documents.
func ArrivalFromAbroad(s Snapshot) Outcome {
	const rule = RuleArrivalFromAbroad
	if !s.Subject.ConsularAbroad {
		return pass(rule, BasisArrivalFromAbroad, msgNotAbroad)
	}
	if s.Kind == Temporary {
		return pass(rule, BasisArrivalFromAbroad, msgAbroadTemporary)
	}
	for _, r := range s.Registrations {
		if r.Status == RegistrationActive {
			return pass(rule, BasisArrivalFromAbroad, msgAbroadRegisteredHere)
		}
	}
	if s.Channel == ChannelPSC && s.InPerson != nil && s.InPerson.DocumentsChecked {
		return pass(rule, BasisArrivalFromAbroad, msgAbroadChecked)
	}
	return inPerson(rule, BasisArrivalFromAbroad, msgAbroad, nxtAbroad, docsAbroad)
}

// BasisOrganisationPetition: registration in buildings and premises of an
// organisation used for people's residence is made on the petition of its
// administration (seeds 001, 003, 004: the service-centre documents).
var BasisOrganisationPetition = legalBasis(citeStandard)

// OrganisationPetition asks each organisation that owns the premises for a
// petition signed by one of its representatives, unless the applicant
// represents that organisation (their signature is the petition). No
// petition is asked in state rental housing (the tenant's signature is the
// consent) or when the petition was handed to a service-centre operator.
// The verdict is always Pass.
func OrganisationPetition(s Snapshot) Outcome {
	const rule = RuleOrganisationPetition
	if s.Premises != nil && s.Premises.StateRental {
		return pass(rule, BasisOrganisationPetition, msgTenantSigns)
	}
	if s.consentOnPaper() {
		return pass(rule, BasisOrganisationPetition, msgConsentOnPaper)
	}
	var consents []ConsentRequirement
	orgOwned := false
	for _, o := range s.Owners {
		bin := o.Ownership.OwnerBIN
		if bin == "" {
			continue
		}
		orgOwned = true
		if s.representsOrg(bin, o.Organisation) || hasBIN(consents, bin) {
			continue
		}
		consents = append(consents, ConsentRequirement{Kind: ConsentKindPetition, OwnerBIN: bin, Channel: ConsentPetition})
	}
	switch {
	case len(consents) > 0:
		out := pass(rule, BasisOrganisationPetition, msgPetitionNeeded)
		out.Next, out.Consents = nxtPetitionNeeded, consents
		return out
	case orgOwned:
		return pass(rule, BasisOrganisationPetition, msgPetitionBySignature)
	}
	return pass(rule, BasisOrganisationPetition, msgNoOrganisation)
}

// BasisOwnerConsent: registration is made with the consent of the owners
// (tenant) of the dwelling, in writing or electronically certified by EDS
// (Rules No. 1427, seed 004); online, by the SMS code from 1414 within one
// hour (seed 000, changes of 24.11.2025); an owner registering in their own
// dwelling gives no separate consent (seed 004).
var BasisOwnerConsent = legalBasis(citeRules1427, citeProcedure2025)

// OwnerConsent asks every owner who is a person, other than the applicant
// and the subject, for consent: by an SMS code to their phone in the MCD, or
// by EDS when they have none. A sole owner registering themself or their
// child needs none; a co-owner registering themself needs the other
// co-owners. No consent is asked in state rental housing or when the owners
// consented in writing before a service-centre operator. The verdict is
// always Pass.
func OwnerConsent(s Snapshot) Outcome {
	const rule = RuleOwnerConsent
	if s.Premises != nil && s.Premises.StateRental {
		return pass(rule, BasisOwnerConsent, msgTenantSigns)
	}
	if s.consentOnPaper() {
		return pass(rule, BasisOwnerConsent, msgConsentOnPaper)
	}
	consents := s.personConsents(s.Applicant.IIN, s.Subject.IIN)
	if len(consents) == 0 {
		return pass(rule, BasisOwnerConsent, msgNoOwnerConsent)
	}
	out := pass(rule, BasisOwnerConsent, msgOwnerConsentNeeded)
	out.Next, out.Consents = nxtConsentNeeded, consents
	return out
}

// BasisSubjectConsent: the service recipient acts in person, through a
// legal representative (parents, guardians) or a trustee with a notarised
// power of attorney (seeds 001, 003), and the online service needs the EDS
// of the service recipient as well as the owner's (seeds 002, 003); so
// whoever else applies for a person of full capacity (an organisation's
// representative, a state-rental tenant) needs that person's own
// confirmation. The seeds do not attribute this to the Rules No. 1427, nor
// name the Constitution or Civil Code articles once cited here, so neither is
// cited (DECISIONS.md).
var BasisSubjectConsent = legalBasis(citeStandard)

// SubjectConsent asks the subject to confirm an application that someone
// else made for them when the subject could have applied themself: 16 or
// older with full capacity (the people for whom APPLICANT_AUTHORITY lets an
// organisation's representative or a state-rental tenant apply). The
// subject confirms like an owner: by an SMS code from 1414 to their phone
// in the MCD, or by EDS when they have none (or applies themself at a
// service centre). No confirmation is asked when the subject is the
// applicant (their signature is their will), or when a parent or guardian
// acts for a child under 16, a 16- or 17-year-old without full capacity, or
// an adult ward. An organisation's petition is the owner's consent
// (ORGANISATION_PETITION), never the subject's. The verdict is always Pass.
func SubjectConsent(s Snapshot) Outcome {
	const rule = RuleSubjectConsent
	if s.Applicant.IIN == s.Subject.IIN {
		return pass(rule, BasisSubjectConsent, msgSubjectIsApplicant)
	}
	full := s.Subject.Capacity == CapacityFull || s.Subject.Capacity == ""
	if AgeOn(s.Subject.BirthDate, s.Date) < 16 || !full {
		return pass(rule, BasisSubjectConsent, msgSubjectRepresented)
	}
	ch := ConsentEDS
	if s.Subject.Phone != "" {
		ch = ConsentSMS
	}
	out := pass(rule, BasisSubjectConsent, msgSubjectConsentNeeded)
	out.Next = nxtSubjectConsentNeeded
	out.Consents = []ConsentRequirement{{Kind: ConsentKindSubject, OwnerIIN: s.Subject.IIN, Channel: ch}}
	return out
}

// personConsents returns a consent requirement for each owner who is a
// person and none of except, once per IIN.
func (s Snapshot) personConsents(except ...string) []ConsentRequirement {
	var consents []ConsentRequirement
next:
	for _, o := range s.Owners {
		iin := o.Ownership.OwnerIIN
		if iin == "" && o.Person != nil {
			iin = o.Person.IIN
		}
		if iin == "" {
			continue
		}
		for _, e := range except {
			if iin == e {
				continue next
			}
		}
		for _, c := range consents {
			if c.OwnerIIN == iin {
				continue next
			}
		}
		ch := ConsentEDS
		if o.Person != nil && o.Person.Phone != "" {
			ch = ConsentSMS
		}
		consents = append(consents, ConsentRequirement{Kind: ConsentKindOwner, OwnerIIN: iin, Channel: ch})
	}
	return consents
}

func hasBIN(cs []ConsentRequirement, bin string) bool {
	for _, c := range cs {
		if c.OwnerBIN == bin {
			return true
		}
	}
	return false
}

// Decide applies Rules to the snapshot of a registration application. The
// first Reject wins (status rejected); otherwise the first InPerson (status
// in_person_required); otherwise, when any rule asked for consents, the
// status is awaiting_consent, decided by the first rule that asked;
// otherwise registered.
//
// A rejected or in-person decision carries the deciding rule, its legal
// basis, message, next step and documents, and neither consents nor
// effects: nothing is asked of the owners and nothing changes. An awaiting or
// registered decision carries every consent required and the effects of
// registering (RegistrationEffects).
func Decide(s Snapshot) Decision {
	var firstInPerson *Outcome
	var consentRule *Outcome
	var consents []ConsentRequirement
	for _, r := range Rules {
		out := r.Check(s)
		switch out.Verdict {
		case Reject:
			return outcomeDecision(StatusRejected, out)
		case InPerson:
			if firstInPerson == nil {
				firstInPerson = &out
			}
		}
		if len(out.Consents) > 0 {
			if consentRule == nil {
				consentRule = &out
			}
			consents = append(consents, out.Consents...)
		}
	}
	if firstInPerson != nil {
		return outcomeDecision(StatusInPersonRequired, *firstInPerson)
	}
	d := Decision{Status: StatusRegistered, Effects: RegistrationEffects(s)}
	if len(consents) > 0 {
		d.Status, d.Rule, d.LegalBasis = StatusAwaitingConsent, consentRule.Rule, consentRule.LegalBasis
		d.Message, d.Next, d.Consents = awaitingTexts(consents)
		return d
	}
	d.Message, d.Next = msgRegisteredPermanent, nxtRegistered
	if s.Kind == Temporary {
		d.Message = msgRegisteredTemporary
	}
	return d
}

// awaitingTexts returns the message and next step of an application that
// waits for consents, naming whose: the owners', the subject's, or both.
func awaitingTexts(consents []ConsentRequirement) (msg, next Text, _ []ConsentRequirement) {
	var owners, subject bool
	for _, c := range consents {
		if c.KindOf() == ConsentKindSubject {
			subject = true
		} else {
			owners = true
		}
	}
	switch {
	case subject && owners:
		return msgAwaitingOwnersAndSubject, nxtOwnersAndSubjectNeeded, consents
	case subject:
		return msgAwaitingSubject, nxtSubjectConsentNeeded, consents
	}
	return msgAwaitingConsent, nxtConsentNeeded, consents
}

// outcomeDecision is the decision of status taken by the outcome out.
func outcomeDecision(status ApplicationStatus, out Outcome) Decision {
	return Decision{Status: status, Rule: out.Rule, LegalBasis: out.LegalBasis,
		Message: out.Message, Next: out.Next, Documents: out.Documents}
}

// RegistrationEffects returns the registrations that a new registration of
// s.Kind ends: the subject's active permanent registration ends as moved when
// the new one is permanent, and the active temporary one as replaced when the
// new one is temporary. A temporary registration at the premises of a new
// permanent one ends too (replaced): nobody is registered at one address
// both permanently and temporarily. Any other registration of the other kind
// is untouched. (A registration of the same kind at the same RKA, and a
// temporary one at the permanent address, are refused earlier by
// ALREADY_REGISTERED.)
func RegistrationEffects(s Snapshot) []Effect {
	reason := EndMoved
	if s.Kind == Temporary {
		reason = EndReplaced
	}
	rka := s.rka()
	var effects []Effect
	for _, r := range s.Registrations {
		switch {
		case r.Status == RegistrationEnded:
		case r.Kind == s.Kind:
			effects = append(effects, Effect{RegistrationID: r.ID, RKA: r.RKA, Kind: r.Kind, EndReason: reason})
		case s.Kind == Permanent && r.RKA == rka:
			effects = append(effects, Effect{RegistrationID: r.ID, RKA: r.RKA, Kind: r.Kind, EndReason: EndReplaced})
		}
	}
	return effects
}

// Recheck decides again, on a fresh snapshot s, an application that waited
// for consent and whose last consent has arrived (or that an operator
// completes): prior is the decision taken when it was submitted and tasks
// its consent tasks. Every rule runs again, so that whatever changed
// meanwhile decides: a subject or owner who died or lost capacity, premises
// sold or no longer in the register. Then:
//
//   - a Reject or InPerson of any rule is the decision (status rejected or
//     in_person_required), as at submission;
//   - a registration of the kind applied for, made for the subject after the
//     application (an active one that the prior decision did not list among
//     its effects), rejects it (REGISTERED_MEANWHILE): the later
//     registration was the person's later choice, and completing would undo
//     it with a stale one;
//   - every consent the fresh snapshot requires must have been confirmed by
//     a task of this application; an owner's or organisation's consent that
//     was never asked (a new owner) rejects it (OWNERS_CHANGED), and the
//     subject's confirmation never asked rejects it as SUBJECT_CONSENT.
//     Confirmations of people who are no longer owners are simply not
//     needed; those of owners still owning stand.
//
// Otherwise the decision is registered (for ActionDeregister, the
// deregistration decision) with the effects computed on s. Recheck is pure.
func Recheck(s Snapshot, prior Decision, tasks []ConsentTask) Decision {
	var d Decision
	if s.Action == ActionDeregister {
		d = DecideDeregistration(s)
	} else {
		d = Decide(s)
	}
	if d.Status == StatusRejected || d.Status == StatusInPersonRequired {
		return d
	}
	if s.Action != ActionDeregister {
		known := map[string]bool{}
		for _, e := range prior.Effects {
			known[e.RegistrationID] = true
		}
		for _, r := range s.Registrations {
			if r.Status == RegistrationActive && r.Kind == s.Kind && !known[r.ID] {
				return Decision{Status: StatusRejected, Rule: RuleRegisteredMeanwhile, LegalBasis: BasisAlreadyRegistered,
					Message: msgRegisteredMeanwhile, Next: nxtRegisteredMeanwhile}
			}
		}
	}
	for _, c := range d.Consents {
		if confirmed(tasks, c) {
			continue
		}
		if c.KindOf() == ConsentKindSubject {
			return Decision{Status: StatusRejected, Rule: RuleSubjectConsent, LegalBasis: BasisSubjectConsent,
				Message: msgSubjectNotAsked, Next: nxtSubjectNotAsked}
		}
		return Decision{Status: StatusRejected, Rule: RuleOwnersChanged, LegalBasis: BasisOwnerConsent,
			Message: msgOwnersChanged, Next: nxtOwnersChanged}
	}
	d.Status, d.Consents, d.Rule, d.LegalBasis = StatusRegistered, nil, "", Text{}
	switch {
	case s.Action == ActionDeregister:
		d.Message, d.Next = msgDeregistered, nxtDeregistered
	case s.Kind == Temporary:
		d.Message, d.Next = msgRegisteredTemporary, nxtRegistered
	default:
		d.Message, d.Next = msgRegisteredPermanent, nxtRegistered
	}
	return d
}

// confirmed reports whether one of tasks is a confirmed answer to c: of the
// same kind, from the same person or organisation.
func confirmed(tasks []ConsentTask, c ConsentRequirement) bool {
	for _, t := range tasks {
		kind := ConsentRequirement{Kind: t.Kind, OwnerBIN: t.OwnerBIN}.KindOf()
		if t.Status == ConsentConfirmed && kind == c.KindOf() && t.OwnerIIN == c.OwnerIIN && t.OwnerBIN == c.OwnerBIN {
			return true
		}
	}
	return false
}

// ChildAddressSources returns the relations whose From may give the place of
// residence of child on date: for a child under 14 (who is not registered:
// SUBJECT_AGE), their parents and legal representatives, since "the place of
// residence of persons under the age of fourteen ... is recognized as the
// place of residence of their legal representatives" and state bodies take
// it "based on information about registration at the place of residence of
// one of the parents (legal representative)" (Civil Code art. 16, seed 004).
// The reader comes first when they are one of them (a parent reading their
// child's address sees their own), then parents before guardians, each by
// IIN. A child of 14 or more, or one with an active permanent registration
// of their own (regs), has none.
func ChildAddressSources(child Person, date time.Time, rels []Relation, regs []Registration, reader string) []Relation {
	if AgeOn(child.BirthDate, date) >= MinAge {
		return nil
	}
	for _, r := range regs {
		if r.Status == RegistrationActive && r.Kind == Permanent {
			return nil
		}
	}
	var out []Relation
	for _, r := range rels {
		if r.To == child.IIN && (r.Kind == RelationParent || r.Kind == RelationGuardian) {
			out = append(out, r)
		}
	}
	rank := func(r Relation) int {
		switch {
		case reader != "" && r.From == reader:
			return 0
		case r.Kind == RelationParent:
			return 1
		}
		return 2
	}
	slices.SortStableFunc(out, func(a, b Relation) int {
		if d := rank(a) - rank(b); d != 0 {
			return d
		}
		return strings.Compare(a.From, b.From)
	})
	return out
}

// DeriveChildAddress picks, among sources in order (ChildAddressSources),
// the first whose registrations (regsOf, by IIN) include an active permanent
// one, and returns it marked as derived; nil when none has one.
func DeriveChildAddress(sources []Relation, regsOf map[string][]Registration) *DerivedRegistration {
	for _, src := range sources {
		for _, r := range regsOf[src.From] {
			if r.Status == RegistrationActive && r.Kind == Permanent {
				return &DerivedRegistration{Registration: r, From: src.From, Relation: src.Kind}
			}
		}
	}
	return nil
}

// BasisDeregistration: the owner of a dwelling may have the persons
// registered in it deregistered, on their application with their title
// confirmed (seed 004, the service-centre documents); the other co-owners
// consent as for a registration.
var BasisDeregistration = legalBasis(citeStandard, citeHousingLaw)

// DeregisterOwner rejects an owner-initiated deregistration whose applicant
// is not a person owner of the premises.
func DeregisterOwner(s Snapshot) Outcome {
	const rule = RuleDeregisterOwner
	for _, o := range s.Owners {
		if s.Applicant.IIN != "" && (o.Ownership.OwnerIIN == s.Applicant.IIN || (o.Person != nil && o.Person.IIN == s.Applicant.IIN)) {
			return pass(rule, BasisDeregistration, msgDeregOwner)
		}
	}
	return reject(rule, BasisDeregistration, msgDeregNotOwner, nxtDeregNotOwner)
}

// DeregisterSubject rejects an owner-initiated deregistration of a subject
// who has no active registration at the RKA of s.Kind (of any kind when
// s.Kind is empty).
func DeregisterSubject(s Snapshot) Outcome {
	if len(deregistrationTargets(s)) == 0 {
		return reject(RuleDeregisterSubject, BasisDeregistration, msgDeregNotRegistered, nxtDeregNotRegistered)
	}
	return pass(RuleDeregisterSubject, BasisDeregistration, msgDeregRegistered)
}

// deregistrationTargets returns the subject's active registrations that an
// owner-initiated deregistration ends.
func deregistrationTargets(s Snapshot) []Registration {
	rka := s.rka()
	var regs []Registration
	for _, r := range s.Registrations {
		if r.Status == RegistrationEnded || r.RKA != rka || (s.Kind != "" && r.Kind != s.Kind) {
			continue
		}
		regs = append(regs, r)
	}
	return regs
}

// deregistrationRules are the rules of an owner-initiated deregistration, in
// order.
var deregistrationRules = []func(Snapshot) Outcome{DeregisterOwner, DeregisterSubject, Signature, OfflineOwners, OwnerUnknown}

// DecideDeregistration decides an owner-initiated deregistration (Action
// deregister): DEREGISTER_OWNER, DEREGISTER_SUBJECT, SIGNATURE (the owner
// signs the request), OFFLINE_OWNERS and OWNER_UNKNOWN, the first Reject winning, then the
// first InPerson. Every other co-owner must consent — persons as in
// OwnerConsent (SMS or EDS), organisations by petition unless the applicant
// represents them — unless the owners consented in writing at a service
// centre. Status registered means the deregistration may take effect now
// (the Service records it as deregistered); Effects name the registrations
// that end, with EndDeregisteredByOwner.
func DecideDeregistration(s Snapshot) Decision {
	var firstInPerson *Outcome
	for _, check := range deregistrationRules {
		out := check(s)
		switch out.Verdict {
		case Reject:
			return outcomeDecision(StatusRejected, out)
		case InPerson:
			if firstInPerson == nil {
				firstInPerson = &out
			}
		}
	}
	if firstInPerson != nil {
		return outcomeDecision(StatusInPersonRequired, *firstInPerson)
	}
	var effects []Effect
	for _, r := range deregistrationTargets(s) {
		effects = append(effects, Effect{RegistrationID: r.ID, RKA: r.RKA, Kind: r.Kind, EndReason: EndDeregisteredByOwner})
	}
	d := Decision{Status: StatusRegistered, Effects: effects, Message: msgDeregistered, Next: nxtDeregistered}
	if s.consentOnPaper() {
		return d
	}
	consents := s.personConsents(s.Applicant.IIN)
	for _, o := range s.Owners {
		bin := o.Ownership.OwnerBIN
		if bin != "" && !s.representsOrg(bin, o.Organisation) && !hasBIN(consents, bin) {
			consents = append(consents, ConsentRequirement{Kind: ConsentKindPetition, OwnerBIN: bin, Channel: ConsentPetition})
		}
	}
	if len(consents) > 0 {
		d.Status, d.Rule, d.LegalBasis = StatusAwaitingConsent, RuleOwnerConsent, BasisDeregistration
		d.Message, d.Next, d.Consents = msgDeregAwaiting, nxtConsentNeeded, consents
	}
	return d
}

// BasisConsent is the legal basis of the decisions taken on the owners'
// answer: registration needs the consent of the owners of the dwelling.
var BasisConsent = BasisOwnerConsent

// ConsentDeclinedDecision is the final decision of an application an owner
// declined (rule CONSENT_DECLINED, status rejected).
func ConsentDeclinedDecision() Decision {
	return Decision{Status: StatusRejected, Rule: RuleConsentDeclined, LegalBasis: BasisConsent,
		Message: msgConsentDeclined, Next: nxtConsentDeclined}
}

// SubjectDeclinedDecision is the final decision of an application made for
// another person who declined it (rule SUBJECT_DECLINED, status rejected).
// It is a rule of its own, not CONSENT_DECLINED, because the applicant's
// next step differs: it is the person's will, not an owner's, that was
// refused.
func SubjectDeclinedDecision() Decision {
	return Decision{Status: StatusRejected, Rule: RuleSubjectDeclined, LegalBasis: BasisSubjectConsent,
		Message: msgSubjectDeclined, Next: nxtSubjectDeclined}
}

// ConsentExpiredDecision is the final decision of an application whose
// owners did not answer within the hour (rule CONSENT_EXPIRED, status
// expired).
func ConsentExpiredDecision() Decision {
	return Decision{Status: StatusExpired, Rule: RuleConsentExpired, LegalBasis: BasisConsent,
		Message: msgConsentExpired, Next: nxtConsentExpired}
}
