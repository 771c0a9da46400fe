package residence

import (
	"context"
	"time"
)

// ActiveOn reports whether the registration is in force on the date day: it
// is active and, when temporary, day is not after its last day (Until). A
// temporary registration whose period has passed is not in force even
// before the sweep records its end, so it never blocks a new application.
func (r Registration) ActiveOn(day time.Time) bool {
	if r.Status != RegistrationActive {
		return false
	}
	return r.Until.IsZero() || !DateOf(day).After(r.Until)
}

// sweepBatch is the number of registrations one sweep transaction ends.
const sweepBatch = 500

// SweepExpiredRegistrations ends every active temporary registration whose
// last day has passed (reason expired), with a registration.ended event for
// the person, whether the service or the registry import created it, and
// returns how many it ended. It works in batches of one transaction each,
// so it catches up after any downtime however long, and it is idempotent:
// a registration another node ended meanwhile is skipped (EndRegistration is
// a conditional UPDATE). It is the one mechanism that ends temporary
// registrations (jobs.Sweeper runs it every few minutes and at each
// midnight in Almaty, NextDay); a JobRegistrationExpire that an earlier
// version queued may still run, and whichever comes first ends the
// registration.
func (s *Service) SweepExpiredRegistrations(ctx context.Context) (int, error) {
	total := 0
	for {
		n, more := 0, false
		err := s.store.InTx(ctx, func(tx Tx) error {
			n, more = 0, false
			today := DateOf(s.now())
			regs, err := tx.ExpiredRegistrations(ctx, today, sweepBatch)
			if err != nil {
				return err
			}
			more = len(regs) == sweepBatch
			for _, r := range regs {
				ended, err := s.endExpired(ctx, tx, r, today)
				if err != nil {
					return err
				}
				if ended {
					n++
				}
			}
			return nil
		})
		if err != nil {
			return total, err
		}
		total += n
		if !more || n == 0 {
			return total, nil
		}
	}
}

// endExpired ends one temporary registration whose period has passed, in tx,
// and writes its event. It reports false when the registration had already
// ended.
func (s *Service) endExpired(ctx context.Context, tx Tx, r Registration, today time.Time) (bool, error) {
	err := tx.EndRegistration(ctx, r.ID, today, EndExpired)
	if IsCode(err, ENotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	e := s.event(EventRegistrationEnded, r.IIN, Actor{Role: RoleSystem})
	e.RKA, e.RegistrationID, e.Message = r.RKA, r.ID, registrationEndedMessage(EndExpired)
	e.Data = jobArgs(map[string]any{"kind": r.Kind, "end_reason": EndExpired, "until": dateString(r.Until)})
	return true, tx.AppendEvents(ctx, e)
}

// inForce ends, in tx, the person's active registrations whose period has
// passed and returns those still in force on today, so that a new
// registration neither counts nor collides with a lapsed one.
func (s *Service) inForce(ctx context.Context, tx Tx, regs []Registration, today time.Time) ([]Registration, error) {
	var active []Registration
	for _, r := range regs {
		switch {
		case r.Status != RegistrationActive:
		case r.ActiveOn(today):
			active = append(active, r)
		default:
			if _, err := s.endExpired(ctx, tx, r, today); err != nil {
				return nil, err
			}
		}
	}
	return active, nil
}

// EndRegistrationsOfDeceased ends, in tx, every active registration of
// those persons of iins whom the registry records as deceased (reason
// deceased), with a registration.ended event for each, dated at. It is the
// civil registry's path: the registry import calls it in the transaction
// that upserts a batch of persons (so a death and the end of its
// registrations commit together) and in the one that upserts a batch of
// registrations (so a registration line for a dead person does not stay
// active); one statement serves a whole batch. Running it again ends
// nothing more.
func EndRegistrationsOfDeceased(ctx context.Context, tx Tx, iins []string, at time.Time) (int, error) {
	if len(iins) == 0 {
		return 0, nil
	}
	ended, err := tx.EndDeceasedRegistrations(ctx, iins, DateOf(at))
	if err != nil || len(ended) == 0 {
		return 0, err
	}
	evs := make([]Event, 0, len(ended))
	for _, r := range ended {
		e := Event{Type: EventRegistrationEnded, At: at.UTC(), PersonIIN: r.IIN, ActorRole: string(RoleSystem),
			RKA: r.RKA, RegistrationID: r.ID, Message: registrationEndedMessage(EndDeceased)}
		e.Data = jobArgs(map[string]any{"kind": r.Kind, "end_reason": EndDeceased, "source": "registry"})
		evs = append(evs, e)
	}
	return len(ended), tx.AppendEvents(ctx, evs...)
}
