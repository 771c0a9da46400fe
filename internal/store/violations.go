package store

import (
	"context"
	"fmt"

	"tirkeu/internal/residence"
)

// ViolationHistory returns the temporary registrations made by application
// whose arrival date is known and whose registration began in [q.From,
// q.To), oldest first, at most q.Limit, with the region of the premises and
// the day of registration. With q.SubjectIIN or q.RKAs set, only those of
// that subject or at those premises. The caller keeps the rows whose
// decision records a possible violation: the decision is JSON, read the
// same on both engines.
func (r reader) ViolationHistory(ctx context.Context, q residence.ViolationQuery) ([]residence.ViolationRecord, error) {
	everyone := q.SubjectIIN == "" && len(q.RKAs) == 0
	return all(ctx, r, "violation history", `
		SELECT `+violationCols+`
		FROM applications a
		JOIN registrations g ON g.id = a.registration_id
		JOIN premises p ON p.rka = a.rka
		WHERE a.action = 'register' AND a.kind = 'temporary' AND a.arrived_on IS NOT NULL
		AND g.since >= $1 AND g.since < $2
		AND ($4 OR a.subject_iin = $5 OR a.rka IN (`+r.d.list("$6")+`))
		ORDER BY g.since, a.id LIMIT $3`,
		[]any{r.d.date(q.From), r.d.date(q.To), limitOr(q.Limit), everyone, q.SubjectIIN, stringsJSON(q.RKAs)},
		scanViolationRecord)
}

const violationCols = `a.id, a.action, a.kind, a.applicant_iin, a.subject_iin, a.rka, a.reason, a.stay_from, a.stay_until,
	a.arrived_on, a.channel, a.signature, a.signer_iin, a.operator_id, a.status, a.decision, COALESCE(a.registration_id, ''),
	a.created_at, a.decided_at, a.updated_at, p.region, g.since`

func scanViolationRecord(rs rows) (residence.ViolationRecord, error) {
	var v residence.ViolationRecord
	a := &v.Application
	var action, kind, channel, signature, status string
	var decision []byte
	err := rs.Scan(&a.ID, &action, &kind, &a.ApplicantIIN, &a.SubjectIIN, &a.RKA, &a.Reason,
		timeCol{&a.StayFrom}, timeCol{&a.StayUntil}, timeCol{&a.ArrivedOn}, &channel, &signature,
		&a.SignerIIN, &a.OperatorID, &status, jsonCol{&decision}, &a.RegistrationID,
		timeCol{&a.CreatedAt}, timeCol{&a.DecidedAt}, timeCol{&a.UpdatedAt}, &v.Region, timeCol{&v.RegisteredOn})
	if err != nil {
		return v, err
	}
	a.Action, a.Kind, a.Channel = residence.Action(action), residence.Kind(kind), residence.Channel(channel)
	a.Signature, a.Status = residence.SignatureMethod(signature), residence.ApplicationStatus(status)
	if len(decision) > 0 {
		if a.Decision, err = residence.DecodeDecision(decision); err != nil {
			return v, fmt.Errorf("decode decision: %w", err)
		}
	}
	return v, nil
}
