package residence

import (
	"context"
	"errors"
)

// Check runs the rules on an application as it would be submitted, without
// writing anything, so that the applicant learns before signing whether the
// application can be made online, which owners will be asked for consent
// and which registrations it would end.
//
// The signature is assumed to come: a citizen's by one-time password to
// their MCD phone (or by EDS when they have none), an operator's on paper
// with whatever InPerson facts the input carries. No code is checked. A
// check about another person that answers with a decision is in that
// person's access log (what "check").
//
// The check must not tell a citizen anything about a person they may not act
// for. When the applicant is neither the subject nor the subject's legal
// representative (a parent or guardian of a minor, the guardian of a ward),
// any outcome decided on the subject's own facts (age, capacity, death,
// citizenship, arrival from abroad, the applicant's authority), and a subject
// missing from the registry, is the one answer "you cannot apply for this
// person" (forbidden, field subject_iin), and the effects (the subject's
// present address) are left out of the decision. Errors are those of
// Submit's validation: invalid, unknown_person, forbidden.
func (s *Service) Check(ctx context.Context, actor Actor, in SubmitInput) (Decision, error) {
	probe := in
	probe.IdempotencyKey = ""
	if actor.Role == RoleCitizen || actor.Role == "" {
		// Validation asks for a signature; the check pretends it will come.
		probe.OTP, probe.EDS = "000000", nil
	}
	if err := s.validateSubmit(actor, &probe); err != nil {
		return Decision{}, err
	}
	var dec Decision
	purpose := readPurpose(actor, "", "legal_representative")
	err := s.store.View(ctx, func(r Reader) error {
		snap, err := s.snapshot(ctx, r, probe.ApplicantIIN, probe.SubjectIIN, probe.RKA)
		discreet := !actor.IsStaff() && probe.ApplicantIIN != probe.SubjectIIN &&
			(err != nil || !legalRepresentative(snap.Relations, probe.ApplicantIIN, snap.Subject, snap.Date))
		if err != nil {
			var e *Error
			if discreet && errors.As(err, &e) && e.Code == "unknown_person" && e.Field == "subject_iin" {
				return cannotApplyFor()
			}
			return err
		}
		sig := SignatureFacts{Method: SignatureOTP, SignerIIN: probe.ApplicantIIN}
		switch {
		case probe.InPerson != nil:
			sig.Method = SignaturePSC
		case snap.Applicant.Phone == "":
			sig.Method = SignatureEDS
		}
		snap.Action, snap.Kind, snap.Channel = ActionRegister, probe.Kind, probe.Channel
		snap.Signature, snap.InPerson = sig, probe.InPerson
		snap.StayFrom, snap.StayUntil = probe.StayFrom, probe.StayUntil
		dec = Decide(snap)
		if discreet {
			if dec = discreetDecision(dec); dec.Rule == RuleApplicantAuthority && dec.Status == StatusRejected {
				return cannotApplyFor()
			}
			purpose = "applicant"
		}
		return nil
	})
	if err != nil {
		return Decision{}, err
	}
	if probe.SubjectIIN != probe.ApplicantIIN {
		if err := s.logReads(ctx, actor, "check", purpose, probe.SubjectIIN); err != nil {
			return Decision{}, err
		}
	}
	return dec, nil
}

// cannotApplyFor is Check's answer about a person the applicant may not act
// for, whatever the reason.
func cannotApplyFor() error {
	return &Error{Code: EForbidden, Field: "subject_iin", Text: textCannotApplyFor}
}
