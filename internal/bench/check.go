package bench

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"tirkeu/internal/residence"
	"tirkeu/internal/store"
)

// Checker decides candidate applications with the Service's own rules
// (residence.Service.Check) on the server's database, before any load: the
// load tools read only structure from the database (who owns what, who has
// a phone, who is whose parent) and carry no copy of the eligibility rules
// (issue 16). The year scenario, the submit and consent scenarios and the
// chaos run (internal/chaos) pick their candidates through it.
type Checker struct {
	st    store.Store
	svc   *residence.Service
	now   time.Time
	until time.Time
}

// Application is a candidate application to check: Applicant applies for
// Subject at RKA. A temporary one is for a stay from today for three months
// (as the scenarios submit it). With InPerson nil it is a citizen's online
// application (mobile channel, signed by OTP, or EDS without a phone);
// otherwise an operator's at a service centre with those facts.
type Application struct {
	Applicant, Subject, RKA string
	Kind                    residence.Kind
	InPerson                *residence.InPersonFacts
}

// OpenChecker opens the database at url (sqlite:PATH or postgres://…: the
// server's, migrated) for checks. Checks only read; Close releases it.
func OpenChecker(ctx context.Context, url string, logger *slog.Logger) (*Checker, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	st, err := store.Open(ctx, url, logger)
	if err != nil {
		return nil, fmt.Errorf("bench: open the database for checks: %w", err)
	}
	now := time.Now()
	return &Checker{st: st, svc: residence.NewService(st, residence.SystemClock{}, residence.Config{}, nil, logger),
		now: now, until: now.AddDate(0, 3, 0)}, nil
}

// Close closes the database.
func (c *Checker) Close() error { return c.st.Close() }

// Check returns the decision the server would make on a, now; an
// application the Service refuses to decide (invalid, unknown person,
// forbidden) gives the zero Decision, whose Status matches none.
func (c *Checker) Check(ctx context.Context, a Application) residence.Decision {
	in := residence.SubmitInput{Kind: a.Kind, ApplicantIIN: a.Applicant, SubjectIIN: a.Subject, RKA: a.RKA,
		Channel: residence.ChannelMobile}
	if a.Kind == residence.Temporary {
		in.StayFrom, in.StayUntil = residence.DateOf(c.now), residence.DateOf(c.until)
	}
	actor := residence.Actor{Role: residence.RoleCitizen, IIN: a.Applicant}
	if a.InPerson != nil {
		facts := *a.InPerson
		in.InPerson, in.Channel = &facts, residence.ChannelPSC
		actor = residence.Actor{Role: residence.RoleOperator, Name: "bench"}
	}
	dec, err := c.svc.Check(ctx, actor, in)
	if err != nil {
		return residence.Decision{}
	}
	return dec
}

// Each checks app(i) for i in 0..n-1 on a few goroutines and calls
// found(i, decision) for each, one call at a time, in no particular order;
// found returns false to stop (checks under way still finish, and are not
// reported).
func (c *Checker) Each(ctx context.Context, n int, app func(i int) Application, found func(i int, d residence.Decision) bool) {
	var mu sync.Mutex
	var stopped atomic.Bool
	_ = parallel(n, func(i int) error {
		if stopped.Load() || ctx.Err() != nil {
			return nil
		}
		d := c.Check(ctx, app(i))
		mu.Lock()
		defer mu.Unlock()
		if !stopped.Load() && !found(i, d) {
			stopped.Store(true)
		}
		return nil
	})
}

// AsksConsentOf reports whether d waits for the consent of the owner iin.
func AsksConsentOf(d residence.Decision, iin string) bool {
	if d.Status != residence.StatusAwaitingConsent {
		return false
	}
	for _, c := range d.Consents {
		if c.OwnerIIN == iin {
			return true
		}
	}
	return false
}
