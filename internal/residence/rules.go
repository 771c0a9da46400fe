package residence

// This file holds the registration rules of DESIGN.md §3. Each rule is a pure
// function of a Snapshot named after its RuleID; its legal basis is the
// constant declared next to it. The messages are in texts.go.

// Citations shared by several rules.
const (
	// basisRules1427 is the act that governs registration at the place of
	// residence as a whole.
	basisRules1427 = "Rules for Registration of Internal Migrants, approved by Government Resolution No. 1427 of 01.12.2011"
	// basisMigrationLaw is the law that obliges citizens to register.
	basisMigrationLaw = `Law of the RK "On Population Migration" No. 477-IV of 22.07.2011`
	// basisHousingLaw is the law that defines owners', tenants' and temporary
	// residents' rights in a dwelling.
	basisHousingLaw = `Law of the RK "On Housing Relations" No. 94-I of 16.04.1997`
)

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
	{RuleArrivalFromAbroad, ArrivalFromAbroad},
	{RuleOrganisationPetition, OrganisationPetition},
	{RuleOwnerConsent, OwnerConsent},
	{RuleSubjectConsent, SubjectConsent},
}

// pass, reject and inPerson build an Outcome of rule with its legal basis.
// Every Outcome carries its legal basis and a message, even a passing one, so
// that a service history can show why each check passed.
func pass(rule RuleID, basis string, msg Text) Outcome {
	return Outcome{Rule: rule, Verdict: Pass, LegalBasis: basis, Message: msg}
}

func reject(rule RuleID, basis string, msg, next Text) Outcome {
	return Outcome{Rule: rule, Verdict: Reject, LegalBasis: basis, Message: msg, Next: next}
}

func inPerson(rule RuleID, basis string, msg, next Text, docs []Text) Outcome {
	return Outcome{Rule: rule, Verdict: InPerson, LegalBasis: basis, Message: msg, Next: next, Documents: docs}
}

// BasisSubjectAlive: a person's legal capacity ends with death (Civil Code
// art. 13); the civil registry's record of death ends their registration, and
// nobody can be registered after it.
const BasisSubjectAlive = "Civil Code of the RK, art. 13; " + basisRules1427

// SubjectAlive rejects an application for a person recorded as deceased in
// the State Database "Individuals".
func SubjectAlive(s Snapshot) Outcome {
	if s.Subject.Deceased {
		return reject(RuleSubjectAlive, BasisSubjectAlive, msgSubjectDeceased, nxtSubjectDeceased)
	}
	return pass(RuleSubjectAlive, BasisSubjectAlive, msgSubjectAlive)
}

// BasisSubjectCitizen: the Rules No. 1427 govern internal migrants, that is
// citizens of the RK; foreigners and stateless persons are registered by the
// migration service under the same Law "On Population Migration".
const BasisSubjectCitizen = basisMigrationLaw + "; " + basisRules1427

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
const BasisSubjectAge = "Civil Code of the RK, art. 16; Government Resolution No. 1427 of 01.12.2011 as amended by No. 30 of 04.02.2020"

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
const (
	// BasisAuthorityAdult: a citizen has full capacity from 18 (Civil Code
	// art. 17) and acts in person; from 16 the Rules let them register
	// themself. An organisation registers its residents by petition of its
	// administration, and the tenant of state rental housing the persons
	// listed in the rental agreement (Rules No. 1427).
	BasisAuthorityAdult = "Civil Code of the RK, art. 17; " + basisRules1427
	// BasisAuthorityMinor: minors from 14 to 18 act with the consent of their
	// parents, adopters or guardians (Civil Code art. 22); children of 14 and
	// 15 are registered by their parents or legal representatives (Rules
	// No. 1427 as in force from 24.11.2025).
	BasisAuthorityMinor = "Civil Code of the RK, art. 22; " + basisRules1427 + ", as in force from 24.11.2025"
	// BasisAuthorityWard: a person declared incapacitated (art. 26) or
	// partially incapacitated (art. 27) acts through the guardian appointed
	// over them.
	BasisAuthorityWard = "Civil Code of the RK, arts. 26, 27; " + basisRules1427 + ", as in force from 24.11.2025"
	// BasisAuthorityRepresentative: whoever acts for another person must
	// themself have full capacity (Civil Code art. 17).
	BasisAuthorityRepresentative = "Civil Code of the RK, arts. 17, 22, 26, 27; " + basisRules1427
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

// BasisSignature: an electronic document is signed by an EDS of its author
// (Law "On Electronic Document and Electronic Digital Signature"), or, on the
// portal, by a one-time password to the phone in the Mobile Citizens
// Database; on paper, before an operator of a service centre.
const BasisSignature = `Law of the RK "On Electronic Document and Electronic Digital Signature" No. 370-II of 07.01.2003; ` + basisRules1427

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
const BasisPremisesKnown = basisRules1427 + "; " + basisHousingLaw

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
// register (Law "On Population Migration"; Rules No. 1427). Temporary
// registration is made for up to twelve months.
const BasisTemporaryPeriod = basisMigrationLaw + "; " + basisRules1427

// TemporaryPeriod checks the period of a temporary registration: both dates
// given, the end after the start and not before the application date, and
// the stay from one month (StayUntil ≥ AddMonths(StayFrom, 1)) to twelve
// months (StayUntil ≤ AddMonths(StayFrom, 12)), months counted by the Civil
// Code's rule (AddMonths). A permanent registration passes.
func TemporaryPeriod(s Snapshot) Outcome {
	const rule = RuleTemporaryPeriod
	if s.Kind != Temporary {
		return pass(rule, BasisTemporaryPeriod, msgPermanentNoPeriod)
	}
	from, until := s.StayFrom, s.StayUntil
	switch {
	case from.IsZero() || until.IsZero():
		return reject(rule, BasisTemporaryPeriod, msgPeriodMissing, nxtPeriodMissing)
	case !until.After(from):
		return reject(rule, BasisTemporaryPeriod, msgPeriodOrder, nxtPeriodFix)
	case until.Before(s.Date):
		return reject(rule, BasisTemporaryPeriod, msgPeriodPast, nxtPeriodPast)
	case until.Before(AddMonths(from, 1)):
		return reject(rule, BasisTemporaryPeriod, msgPeriodShort, nxtPeriodShort)
	case until.After(AddMonths(from, 12)):
		return reject(rule, BasisTemporaryPeriod, msgPeriodLong, nxtPeriodLong)
	}
	return pass(rule, BasisTemporaryPeriod, msgPeriodOK)
}

// BasisAlreadyRegistered: a citizen has one registration of each kind at a
// place (Rules No. 1427).
const BasisAlreadyRegistered = basisRules1427

// AlreadyRegistered rejects an application for a subject who already has an
// active registration of the same kind at the same RKA. A registration of
// the other kind there does not count.
func AlreadyRegistered(s Snapshot) Outcome {
	rka := s.rka()
	for _, r := range s.Registrations {
		if r.Status == RegistrationEnded || r.RKA != rka || r.Kind != s.Kind {
			continue
		}
		msg := msgAlreadyPermanent
		if r.Kind == Temporary {
			msg = msgAlreadyTemporary
		}
		return reject(RuleAlreadyRegistered, BasisAlreadyRegistered, msg, nxtAlreadyRegistered)
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
// unlisted person, is rejected automatically (Law "On Housing Relations";
// Rules No. 1427 as in force from 24.11.2025).
const BasisStateRental = basisHousingLaw + "; " + basisRules1427 + ", as in force from 24.11.2025"

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
// incapacitated by a court is made only at service centres, where their
// legal representative gives consent in writing (Rules No. 1427 as in force
// from 24.11.2025; Civil Code arts. 22, 23, 26, 27).
const BasisOfflineOwners = basisRules1427 + ", as in force from 24.11.2025; Civil Code of the RK, arts. 22, 23, 26, 27"

// OfflineOwners requires a visit to a service centre when an owner who is a
// person is a minor, lacks full capacity, is recorded as deceased, or is
// missing from the registry (an owner with neither a person nor an
// organisation record): such an owner cannot consent online. It passes at a
// service centre once the operator has the owners' written consent.
func OfflineOwners(s Snapshot) Outcome {
	const rule = RuleOfflineOwners
	if s.consentOnPaper() {
		return pass(rule, BasisOfflineOwners, msgConsentOnPaper)
	}
	var minor, incapable, unknown bool
	for _, o := range s.Owners {
		p := o.Person
		switch {
		case p == nil && o.Organisation == nil:
			unknown = true
		case p == nil:
		case AgeOn(p.BirthDate, s.Date) < 18:
			minor = true
		case p.Capacity != CapacityFull && p.Capacity != "":
			incapable = true
		case p.Deceased:
			unknown = true
		}
	}
	switch {
	case minor:
		return inPerson(rule, BasisOfflineOwners, msgOwnerMinor, nxtOwnersInPerson, docsOwnersInPerson)
	case incapable:
		return inPerson(rule, BasisOfflineOwners, msgOwnerIncapable, nxtOwnersInPerson, docsOwnersInPerson)
	case unknown:
		return inPerson(rule, BasisOfflineOwners, msgOwnerUnknown, nxtOwnersInPerson, docsOwnerUnknown)
	}
	return pass(rule, BasisOfflineOwners, msgOwnersOnline)
}

// consentOnPaper reports whether the owners gave consent in writing before a
// service-centre operator.
func (s Snapshot) consentOnPaper() bool {
	return s.Channel == ChannelPSC && s.InPerson != nil && s.InPerson.OwnersConsentInWriting
}

// BasisArrivalFromAbroad: a citizen who arrived from abroad for permanent
// residence is registered on their passport with the mark of removal from
// the consular register, or on the documents that replace it (Rules
// No. 1427; standard of the public service "Registration of citizens of the
// RK at the place of residence").
const BasisArrivalFromAbroad = basisMigrationLaw + "; " + basisRules1427

// ArrivalFromAbroad sends a subject who is on a consular register abroad to a
// service centre with the documents of their removal from it. It passes at a
// service centre once the operator has checked the documents.
func ArrivalFromAbroad(s Snapshot) Outcome {
	const rule = RuleArrivalFromAbroad
	if !s.Subject.ConsularAbroad {
		return pass(rule, BasisArrivalFromAbroad, msgNotAbroad)
	}
	if s.Channel == ChannelPSC && s.InPerson != nil && s.InPerson.DocumentsChecked {
		return pass(rule, BasisArrivalFromAbroad, msgAbroadChecked)
	}
	return inPerson(rule, BasisArrivalFromAbroad, msgAbroad, nxtAbroad, docsAbroad)
}

// BasisOrganisationPetition: registration in buildings and premises of an
// organisation used for people's residence is made on the petition of its
// administration (Rules No. 1427).
const BasisOrganisationPetition = basisRules1427

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
// (tenant) of the dwelling, in writing or electronically certified by EDS;
// online, by the SMS code from 1414 within one hour; an owner registering in
// their own dwelling gives no separate consent (Rules No. 1427; Law "On
// Housing Relations").
const BasisOwnerConsent = basisRules1427 + "; " + basisHousingLaw

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

// BasisSubjectConsent: everyone lawfully in the Republic freely chooses
// their place of residence (Constitution art. 21), and a citizen of full
// capacity exercises their rights by their own acts (Civil Code art. 17);
// whoever else applies for them (an organisation's representative, the
// tenant of state rental housing) does so on their behalf, so nothing
// changes without their own will. Parents of children under 16 and
// guardians of wards act for the person (Civil Code arts. 22, 26, 27).
const BasisSubjectConsent = "Constitution of the RK, art. 21; Civil Code of the RK, arts. 17, 22, 26, 27; " + basisRules1427

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
// new one is temporary. A registration of the other kind is untouched. (A
// registration of the same kind at the same RKA is refused earlier by
// ALREADY_REGISTERED.)
func RegistrationEffects(s Snapshot) []Effect {
	reason := EndMoved
	if s.Kind == Temporary {
		reason = EndReplaced
	}
	var effects []Effect
	for _, r := range s.Registrations {
		if r.Status == RegistrationEnded || r.Kind != s.Kind {
			continue
		}
		effects = append(effects, Effect{RegistrationID: r.ID, RKA: r.RKA, Kind: r.Kind, EndReason: reason})
	}
	return effects
}

// BasisDeregistration: the owner of a dwelling may have the persons
// registered in it deregistered, with the consent of the other co-owners
// (Rules No. 1427; Law "On Housing Relations").
const BasisDeregistration = basisRules1427 + "; " + basisHousingLaw

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
var deregistrationRules = []func(Snapshot) Outcome{DeregisterOwner, DeregisterSubject, Signature, OfflineOwners}

// DecideDeregistration decides an owner-initiated deregistration (Action
// deregister): DEREGISTER_OWNER, DEREGISTER_SUBJECT, SIGNATURE (the owner
// signs the request) and OFFLINE_OWNERS, the first Reject winning, then the
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
const BasisConsent = BasisOwnerConsent

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
