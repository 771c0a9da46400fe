package store

import (
	"context"
	"time"

	"tirkeu/internal/residence"
)

// StatsApplications calls fn with each registration application created in
// [from, to), with the region of its premises ("" when the premises are not
// in the register) and its decision as stored: the statistics are computed
// by residence.Service.Stats, not here. One plain query, the same on both
// engines.
func (r reader) StatsApplications(ctx context.Context, from, to time.Time, fn func(residence.StatsApplication) error) error {
	err := queryAll(ctx, r.q, `SELECT a.created_at, a.updated_at, a.channel, a.status, a.decision, COALESCE(p.region, '')
		FROM applications a LEFT JOIN premises p ON p.rka = a.rka
		WHERE a.action = 'register' AND a.created_at >= $1 AND a.created_at < $2`,
		[]any{r.d.ts(from), r.d.ts(to)}, func(rs rows) error {
			var a residence.StatsApplication
			var channel, status string
			var decision []byte
			if err := rs.Scan(timeCol{&a.CreatedAt}, timeCol{&a.UpdatedAt}, &channel, &status, jsonCol{&decision}, &a.Region); err != nil {
				return err
			}
			a.Channel, a.Status, a.Decision = residence.Channel(channel), residence.ApplicationStatus(status), decision
			return fn(a)
		})
	return r.d.translate(err, "stats of applications", "")
}

// StatsConsents calls fn with each confirmed consent task created in
// [from, to).
func (r reader) StatsConsents(ctx context.Context, from, to time.Time, fn func(residence.StatsConsent) error) error {
	err := queryAll(ctx, r.q, `SELECT c.created_at, c.answered_at FROM consent_tasks c
		WHERE c.status = 'confirmed' AND c.created_at >= $1 AND c.created_at < $2`,
		[]any{r.d.ts(from), r.d.ts(to)}, func(rs rows) error {
			var c residence.StatsConsent
			if err := rs.Scan(timeCol{&c.CreatedAt}, timeCol{&c.AnsweredAt}); err != nil {
				return err
			}
			return fn(c)
		})
	return r.d.translate(err, "stats of consents", "")
}
