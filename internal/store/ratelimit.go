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
