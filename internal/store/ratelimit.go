package store

import (
	"context"
	"time"
)

// CountSMSSince counts the messages queued to phone (MSISDN digits) since
// t, whatever their status or kind. The service caps the codes it sends to
// one phone per hour with it, so that neither the SMS budget nor a person's
// phone can be flooded. It is served by the sms (to_phone, created_at) index
// of migration 0003.
func (r reader) CountSMSSince(ctx context.Context, phone string, since time.Time) (int, error) {
	return one(ctx, r, "count sms", `SELECT count(*) FROM sms WHERE to_phone = $1 AND created_at >= $2`,
		[]any{phone, r.d.ts(since)}, func(rs rows) (int, error) {
			var n int
			return n, rs.Scan(&n)
		})
}

// CountConsentSMSSince counts the messages queued to phone since t on behalf
// of an application (consent codes and notices; one-time passwords have no
// application): all of them, and those of applications by applicantIIN.
// Anonymous one-time password requests therefore never count against an
// owner's consent budget, and one applicant's flood is told apart from
// everyone else's. It is served by the sms (to_phone, created_at) index and
// the applications primary key.
func (r reader) CountConsentSMSSince(ctx context.Context, phone, applicantIIN string, since time.Time) (total, byApplicant int, err error) {
	type counts struct{ total, mine int }
	c, err := one(ctx, r, "count consent sms", `
		SELECT count(*), COALESCE(SUM(CASE WHEN a.applicant_iin = $2 THEN 1 ELSE 0 END), 0)
		FROM sms s LEFT JOIN applications a ON a.id = s.application_id
		WHERE s.to_phone = $1 AND s.application_id <> '' AND s.created_at >= $3`,
		[]any{phone, applicantIIN, r.d.ts(since)}, func(rs rows) (counts, error) {
			var c counts
			return c, rs.Scan(&c.total, &c.mine)
		})
	return c.total, c.mine, err
}
