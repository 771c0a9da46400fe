package residence

import (
	"fmt"
	"strings"
)

// Every text the service may store has a stable id here: a stored decision
// or event names a catalogued text by its id, and a text made from
// parameters by its template's id and the parameters (stored.go). The texts
// are rendered when the row is read, from the catalogue of the binary that
// reads it.
//
// The ids are a stored format. Never reuse, rename or remove one: rows in
// the database name it. A text may be corrected (a typo, a better
// translation) under its id, and every stored row then reads the corrected
// wording; a text that says something else is a new text with a new id.
// A template keeps its parameters: a new parameter is a new template.
// TestTextIDsStable holds the list of ids ever given (testdata/text_ids.txt).

// textIDs lists the catalogued texts with their ids, grouped by the file
// that declares them. Every package-level Text of the package is here
// (TestEveryTextHasAnID).
var textIDs = []struct {
	id   string
	text Text
}{
	// texts.go
	{"cite.civil_code16", citeCivilCode16},
	{"cite.housing_law", citeHousingLaw},
	{"cite.migration_law", citeMigrationLaw},
	{"cite.procedure2025", citeProcedure2025},
	{"cite.rules1427", citeRules1427},
	{"cite.rules1427_as30", citeRules1427As30},
	{"cite.standard", citeStandard},
	{"doc.abroad_certificate", docAbroadCertificate},
	{"doc.abroad_foreign_deregistration", docAbroadForeignDeregistration},
	{"doc.abroad_no_citizenship", docAbroadNoCitizenship},
	{"doc.abroad_owner_consent", docAbroadOwnerConsent},
	{"doc.abroad_passport", docAbroadPassport},
	{"doc.owner_representative", docOwnerRepresentative},
	{"doc.owners_in_person", docOwnersInPerson},
	{"doc.persons_ids", docPersonsIDs},
	{"doc.representative_authority", docRepresentativeAuthority},
	{"doc.title", docTitle},
	{"msg.abroad", msgAbroad},
	{"msg.abroad_checked", msgAbroadChecked},
	{"msg.abroad_registered_here", msgAbroadRegisteredHere},
	{"msg.abroad_temporary", msgAbroadTemporary},
	{"msg.adult_self", msgAdultSelf},
	{"msg.age14", msgAge14},
	{"msg.already_permanent", msgAlreadyPermanent},
	{"msg.already_temporary", msgAlreadyTemporary},
	{"msg.applicant_unfit", msgApplicantUnfit},
	{"msg.authority_ok", msgAuthorityOK},
	{"msg.awaiting_consent", msgAwaitingConsent},
	{"msg.awaiting_owners_and_subject", msgAwaitingOwnersAndSubject},
	{"msg.awaiting_subject", msgAwaitingSubject},
	{"msg.child_self", msgChildSelf},
	{"msg.citizen", msgCitizen},
	{"msg.consent_declined", msgConsentDeclined},
	{"msg.consent_expired", msgConsentExpired},
	{"msg.consent_on_paper", msgConsentOnPaper},
	{"msg.dereg_awaiting", msgDeregAwaiting},
	{"msg.dereg_not_owner", msgDeregNotOwner},
	{"msg.dereg_not_registered", msgDeregNotRegistered},
	{"msg.dereg_owner", msgDeregOwner},
	{"msg.dereg_registered", msgDeregRegistered},
	{"msg.deregistered", msgDeregistered},
	{"msg.eds_other", msgEDSOther},
	{"msg.minor_not_parent", msgMinorNotParent},
	{"msg.no_organisation", msgNoOrganisation},
	{"msg.no_owner_consent", msgNoOwnerConsent},
	{"msg.no_owner_record", msgNoOwnerRecord},
	{"msg.not_abroad", msgNotAbroad},
	{"msg.not_citizen", msgNotCitizen},
	{"msg.not_residential", msgNotResidential},
	{"msg.not_state_rental", msgNotStateRental},
	{"msg.not_yet_registered", msgNotYetRegistered},
	{"msg.otp_no_phone", msgOTPNoPhone},
	{"msg.otp_other", msgOTPOther},
	{"msg.owner_consent_needed", msgOwnerConsentNeeded},
	{"msg.owner_deceased", msgOwnerDeceased},
	{"msg.owner_incapable", msgOwnerIncapable},
	{"msg.owner_minor", msgOwnerMinor},
	{"msg.owner_unknown", msgOwnerUnknown},
	{"msg.owners_changed", msgOwnersChanged},
	{"msg.owners_checked_on_paper", msgOwnersCheckedOnPaper},
	{"msg.owners_known", msgOwnersKnown},
	{"msg.owners_online", msgOwnersOnline},
	{"msg.paper_unchecked", msgPaperUnchecked},
	{"msg.period_future", msgPeriodFuture},
	{"msg.period_long", msgPeriodLong},
	{"msg.period_missing", msgPeriodMissing},
	{"msg.period_ok", msgPeriodOK},
	{"msg.period_order", msgPeriodOrder},
	{"msg.period_past", msgPeriodPast},
	{"msg.period_short", msgPeriodShort},
	{"msg.permanent_no_period", msgPermanentNoPeriod},
	{"msg.petition_by_signature", msgPetitionBySignature},
	{"msg.petition_needed", msgPetitionNeeded},
	{"msg.premises_ok", msgPremisesOK},
	{"msg.registered_meanwhile", msgRegisteredMeanwhile},
	{"msg.registered_permanent", msgRegisteredPermanent},
	{"msg.registered_temporary", msgRegisteredTemporary},
	{"msg.rental_not_in_force", msgRentalNotInForce},
	{"msg.rental_not_listed", msgRentalNotListed},
	{"msg.rental_not_tenant", msgRentalNotTenant},
	{"msg.rental_ok", msgRentalOK},
	{"msg.signed", msgSigned},
	{"msg.signed_on_paper", msgSignedOnPaper},
	{"msg.subject_alive", msgSubjectAlive},
	{"msg.subject_consent_needed", msgSubjectConsentNeeded},
	{"msg.subject_deceased", msgSubjectDeceased},
	{"msg.subject_declined", msgSubjectDeclined},
	{"msg.subject_expired", msgSubjectExpired},
	{"msg.subject_is_applicant", msgSubjectIsApplicant},
	{"msg.subject_not_asked", msgSubjectNotAsked},
	{"msg.subject_represented", msgSubjectRepresented},
	{"msg.temporary_at_permanent", msgTemporaryAtPermanent},
	{"msg.temporary_ends_here", msgTemporaryEndsHere},
	{"msg.tenant_signs", msgTenantSigns},
	{"msg.under14", msgUnder14},
	{"msg.unknown_rka", msgUnknownRKA},
	{"msg.unsigned", msgUnsigned},
	{"msg.ward_not_guardian", msgWardNotGuardian},
	{"next.abroad", nxtAbroad},
	{"next.adult_self", nxtAdultSelf},
	{"next.already_registered", nxtAlreadyRegistered},
	{"next.applicant_unfit", nxtApplicantUnfit},
	{"next.child_self", nxtChildSelf},
	{"next.consent_declined", nxtConsentDeclined},
	{"next.consent_expired", nxtConsentExpired},
	{"next.consent_needed", nxtConsentNeeded},
	{"next.dereg_not_owner", nxtDeregNotOwner},
	{"next.dereg_not_registered", nxtDeregNotRegistered},
	{"next.deregistered", nxtDeregistered},
	{"next.eds_other", nxtEDSOther},
	{"next.minor_not_parent", nxtMinorNotParent},
	{"next.not_citizen", nxtNotCitizen},
	{"next.not_residential", nxtNotResidential},
	{"next.otp_no_phone", nxtOTPNoPhone},
	{"next.otp_other", nxtOTPOther},
	{"next.owner_unknown", nxtOwnerUnknown},
	{"next.owners_and_subject_needed", nxtOwnersAndSubjectNeeded},
	{"next.owners_changed", nxtOwnersChanged},
	{"next.owners_in_person", nxtOwnersInPerson},
	{"next.paper_unchecked", nxtPaperUnchecked},
	{"next.period_fix", nxtPeriodFix},
	{"next.period_future", nxtPeriodFuture},
	{"next.period_long", nxtPeriodLong},
	{"next.period_missing", nxtPeriodMissing},
	{"next.period_past", nxtPeriodPast},
	{"next.period_short", nxtPeriodShort},
	{"next.petition_needed", nxtPetitionNeeded},
	{"next.registered", nxtRegistered},
	{"next.registered_meanwhile", nxtRegisteredMeanwhile},
	{"next.rental", nxtRental},
	{"next.subject_consent_needed", nxtSubjectConsentNeeded},
	{"next.subject_deceased", nxtSubjectDeceased},
	{"next.subject_declined", nxtSubjectDeclined},
	{"next.subject_not_asked", nxtSubjectNotAsked},
	{"next.temporary_at_permanent", nxtTemporaryAtPermanent},
	{"next.under14", nxtUnder14},
	{"next.unknown_rka", nxtUnknownRKA},
	{"next.unsigned", nxtUnsigned},
	{"next.ward_not_guardian", nxtWardNotGuardian},
	// rules.go
	{"basis.already_registered", BasisAlreadyRegistered},
	{"basis.arrival_from_abroad", BasisArrivalFromAbroad},
	{"basis.authority_adult", BasisAuthorityAdult},
	{"basis.authority_minor", BasisAuthorityMinor},
	{"basis.authority_representative", BasisAuthorityRepresentative},
	{"basis.authority_ward", BasisAuthorityWard},
	{"basis.deregistration", BasisDeregistration},
	{"basis.offline_owners", BasisOfflineOwners},
	{"basis.organisation_petition", BasisOrganisationPetition},
	{"basis.owner_consent", BasisOwnerConsent},
	{"basis.owner_unknown", BasisOwnerUnknown},
	{"basis.premises_known", BasisPremisesKnown},
	{"basis.signature", BasisSignature},
	{"basis.state_rental", BasisStateRental},
	{"basis.subject_age", BasisSubjectAge},
	{"basis.subject_alive", BasisSubjectAlive},
	{"basis.subject_citizen", BasisSubjectCitizen},
	{"basis.subject_consent", BasisSubjectConsent},
	{"basis.temporary_period", BasisTemporaryPeriod},
	// deregistration.go
	{"msg.dereg_by_org", msgDeregByOrg},
	{"msg.dereg_not_org", msgDeregNotOrg},
	{"next.dereg_not_org", nxtDeregNotOrg},
	// consent.go
	{"text.consent_locked", textConsentLocked},
	{"text.not_representative", textNotRepresentative},
	{"text.signed_for_other", textSignedForOther},
	// messages.go
	{"event.consent_declined", evtConsentDeclined},
	{"event.consent_given", evtConsentGiven},
	{"event.ended_by_court", evtEndedByCourt},
	{"event.ended_by_owner", evtEndedByOwner},
	{"event.ended_deceased", evtEndedDeceased},
	{"event.ended_emigrated", evtEndedEmigrated},
	{"event.ended_expired", evtEndedExpired},
	{"event.ended_moved", evtEndedMoved},
	{"event.ended_replaced", evtEndedReplaced},
	{"event.registered_permanent", evtRegisteredPermanent},
	{"event.registered_temporary", evtRegisteredTemporary},
	{"text.registered_next", registeredNext},
	{"text.nothing_pending", textNothingPending},
	{"text.owner_unreachable", textOwnerUnreachable},
	{"text.sms_failed", textSMSFailed},
	{"text.signer_not_applicant", textSignerNotApplicant},
	// certificate.go
	{"event.certificate_issued", evtCertificateIssued},
	// withdraw.go
	{"msg.withdrawn", msgWithdrawn},
	{"msg.withdrawn_notice", msgWithdrawnNotice},
	{"next.withdrawn", nxtWithdrawn},
	{"text.not_applicant", textNotApplicant},
	{"text.not_withdrawable", textNotWithdrawable},
	// operator.go
	{"msg.documents_checked", msgDocumentsChecked},
	{"text.arrived_future", textArrivedFuture},
	{"text.attorney_self", textAttorneySelf},
	{"text.bad_document", textBadDocument},
	// once.go
	{"text.idempotency_mismatch", textIdempotencyMismatch},
	{"text.signature_no_time", textSignatureNoTime},
	{"text.signature_reused", textSignatureReused},
	{"text.signature_stale", textSignatureStale},
	{"text.signed_other_answer", textSignedOtherAnswer},
	// input.go
	{"text.bad_iin", textBadIIN},
	{"text.bad_kind", textBadKind},
	{"text.code_required", textCodeRequired},
	{"text.consent_expired", textConsentExpired},
	{"text.consent_not_pending", textConsentNotPending},
	{"text.eds_unavailable", textEDSUnavailable},
	{"text.invalid_purpose", textInvalidPurpose},
	{"text.no_rka", textNoRKA},
	{"text.no_signature", textNoSignature},
	{"text.not_owner", textNotOwner},
	{"text.not_yours", textNotYours},
	{"text.unknown_person", textUnknownPerson},
	// reads.go
	{"next.cannot_apply_for", nxtCannotApplyFor},
	{"text.cannot_apply_for", textCannotApplyFor},
	// reference.go
	{"text.bad_reference", textBadReference},
	// service.go
	{"text.phone_flooded", textPhoneFlooded},
	// session.go
	{"text.challenge_reused", textChallengeReused},
	{"text.session_ended", textSessionEnded},
	// liability.go
	{"text.report_period", textReportPeriod},
	// Aliases: texts equal to one above (a stored text takes the first id).
	{"basis.consent", BasisConsent},
	{"basis.deregister_by_org", BasisDeregisterByOrg},
}

// Templates: texts made from parameters, stored as the template's id and
// the parameters and rendered by the same function when read.
const (
	tplConsentRequested        = "event.consent_requested"         // applicant
	tplSubjectConsentRequested = "event.subject_consent_requested" // applicant, address
	tplViolationWarning        = "violation.warning"               // days unregistered
	tplViolationFine           = "violation.fine"                  // days unregistered, fine in MCI
)

// textTemplate renders a text from exactly n parameters.
type textTemplate struct {
	n      int
	render func(p []string) Text
}

// textTemplates holds every template by id (the same stability rule as
// textIDs).
var textTemplates = map[string]textTemplate{
	tplConsentRequested:        {1, renderConsentRequested},
	tplSubjectConsentRequested: {2, renderSubjectConsentRequested},
	tplViolationWarning:        {1, renderViolationWarning},
	tplViolationFine:           {2, renderViolationFine},
}

// refSep separates a template's id and parameters in Text.ref. A parameter
// holding it is not stored by reference (textOf).
const refSep = "\x00"

// textOf renders the template id with the parameters, and remembers them
// in the text so that it is stored as the id and the parameters.
func textOf(id string, p ...string) Text {
	tpl, ok := textTemplates[id]
	if !ok || len(p) != tpl.n {
		panic(fmt.Sprintf("residence: template %q with %d parameters", id, len(p)))
	}
	t := tpl.render(p)
	for _, s := range p {
		if strings.Contains(s, refSep) {
			return t
		}
	}
	t.ref = id + refSep + strings.Join(p, refSep)
	return t
}

// textCatalogue is textIDs indexed both ways.
type textCatalogue struct {
	byID   map[string]Text
	byText map[Text]string
}

var catalogue = newTextCatalogue()

func newTextCatalogue() textCatalogue {
	c := textCatalogue{byID: make(map[string]Text, len(textIDs)), byText: make(map[Text]string, len(textIDs))}
	for _, e := range textIDs {
		if _, dup := c.byID[e.id]; dup {
			panic("residence: text id " + e.id + " given twice")
		}
		c.byID[e.id] = e.text
		if _, seen := c.byText[e.text]; !seen {
			c.byText[e.text] = e.id
		}
	}
	return c
}
