package store

import (
	"context"
	"time"

	"tirkeu/internal/residence"
)

// ExpiredRegistrations returns the active temporary registrations whose
// last day (until) is before day, by until and id, at most limit: the
// registrations the expiry sweep ends. Empty, not an error, when none.
func (r reader) ExpiredRegistrations(ctx context.Context, day time.Time, limit int) ([]residence.Registration, error) {
	return all(ctx, r, "expired registrations", `
		SELECT `+registrationCols+` FROM registrations
		WHERE status = 'active' AND kind = 'temporary' AND until IS NOT NULL AND until < $1
		ORDER BY until, id LIMIT $2`, []any{r.d.date(day), limitOr(limit)}, scanRegistration)
}

// EndDeceasedRegistrations ends every active registration of the persons
// of iins recorded as deceased in one conditional UPDATE and returns the
// registrations it ended (status ended, EndedOn on, reason deceased). A
// registration already ended is left alone, so running it twice ends
// nothing the second time.
func (w writer) EndDeceasedRegistrations(ctx context.Context, iins []string, on time.Time) ([]residence.Registration, error) {
	if len(iins) == 0 {
		return nil, nil
	}
	return all(ctx, w.reader, "end registrations of the deceased", `
		UPDATE registrations SET status = 'ended', ended_on = $2, end_reason = 'deceased'
		WHERE status = 'active' AND iin IN (SELECT iin FROM persons WHERE deceased AND iin IN (`+w.d.list("$1")+`))
		RETURNING `+registrationCols, []any{stringsJSON(iins), w.d.date(on)}, scanRegistration)
}
