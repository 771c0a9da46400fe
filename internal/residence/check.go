package residence

import "context"

// Check runs the rules on an application as it would be submitted, without
// writing anything, so that the applicant learns before signing whether the
// application can be made online, which owners will be asked for consent
// and which registrations it would end.
//
// The signature is assumed to come: a citizen's by one-time password to
// their MCD phone (or by EDS when they have none), an operator's on paper
// with whatever InPerson facts the input carries. No code is checked and no
// read is logged beyond what the registry lookups need. Errors are those of
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
	err := s.store.View(ctx, func(r Reader) error {
		snap, err := s.snapshot(ctx, r, probe.ApplicantIIN, probe.SubjectIIN, probe.RKA)
		if err != nil {
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
		return nil
	})
	return dec, err
}
