package jobs_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"tirkeu/internal/jobs"
	"tirkeu/internal/registry"
	"tirkeu/internal/residence"
	"tirkeu/internal/residence/residencetest"
	"tirkeu/internal/store/storetest"
)

// importTemporary loads, through the registry import, one person with a
// temporary registration from 2026-01-10 to 2026-06-30 (no job of its
// own), and returns the person's IIN.
func importTemporary(t *testing.T, st residence.Store) string {
	t.Helper()
	who := mustIIN(t, "8501013001")
	var b strings.Builder
	enc := json.NewEncoder(&b)
	_ = enc.Encode(map[string]any{"type": "person", "iin": who, "last_name": "Сәрсенов", "first_name": "Ерлан",
		"birth_date": "1985-01-01", "citizenship": "KZ", "capacity": "full", "phone": "8 (702) 555-00-01"})
	_ = enc.Encode(map[string]any{"type": "premises", "rka": "RKA-S-1", "region": "Астана", "locality": "Астана",
		"building": "1", "kind": "dormitory"})
	_ = enc.Encode(map[string]any{"type": "registration", "iin": who, "rka": "RKA-S-1", "kind": "temporary",
		"since": "2026-01-10", "until": "2026-06-30"})
	if sum, err := registry.Import(context.Background(), st, strings.NewReader(b.String()), registry.Options{}); err != nil || sum.Bad != 0 {
		t.Fatalf("import: %+v %v", sum, err)
	}
	return who
}

// registrationsOf reads the registrations of iin.
func registrationsOf(t *testing.T, st residence.Store, iin string) []residence.Registration {
	t.Helper()
	var regs []residence.Registration
	ctx := context.Background()
	if err := st.View(ctx, func(r residence.Reader) error {
		var err error
		regs, err = r.Registrations(ctx, iin)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return regs
}

// TestSweeperEndsWhatTheImportLoaded: a temporary registration from the
// registry has no job of its own; the sweep ends it once the injected clock
// passes its last day, and Start/stop run and end cleanly.
func TestSweeperEndsWhatTheImportLoaded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st residence.Store) {
		who := importTemporary(t, st)
		ctx := context.Background()
		clock := residencetest.NewFakeClock(time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC))
		svc := residence.NewService(st, clock, residence.DefaultConfig(), nil, nil)
		sw := jobs.Sweeper{Service: svc}
		if n, err := sw.Sweep(ctx); err != nil || n != 0 {
			t.Fatalf("on its last day: %d %v", n, err)
		}
		clock.Advance(24 * time.Hour)
		if n, err := sw.Sweep(ctx); err != nil || n != 1 {
			t.Fatalf("the day after: %d %v", n, err)
		}
		regs := registrationsOf(t, st, who)
		var p residence.Person
		_ = st.View(ctx, func(r residence.Reader) error {
			p, _ = r.Person(ctx, who)
			return nil
		})
		if len(regs) != 1 || regs[0].EndReason != residence.EndExpired || !regs[0].EndedOn.Equal(time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)) {
			t.Fatalf("registrations %+v", regs)
		}
		if p.Phone != "77025550001" {
			t.Errorf("imported phone stored as %q, want the canonical 77025550001", p.Phone)
		}
		stop := sw.Start(ctx)
		stop() // returns once any sweep in progress ended
	})
}

// TestSweeperWakesAtMidnight: the running sweeper, whose only timer is the
// wait it asks for (a test hook here, time.After in serve), waits until the
// next midnight in Almaty by the service's clock and then ends the
// registration whose last day has just passed, without waiting out its
// ten-minute pace. No test sleeps: the hook's channel stands for the timer.
func TestSweeperWakesAtMidnight(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st residence.Store) {
		who := importTemporary(t, st)
		// 23:59:30 in Almaty on the registration's last day.
		clock := residencetest.NewFakeClock(time.Date(2026, 6, 30, 18, 59, 30, 0, time.UTC))
		svc := residence.NewService(st, clock, residence.DefaultConfig(), nil, nil)
		waits := make(chan time.Duration, 4)
		fire := make(chan time.Time)
		sw := jobs.Sweeper{Service: svc, After: func(d time.Duration) <-chan time.Time {
			waits <- d
			return fire
		}}
		stop := sw.Start(context.Background())
		defer stop()
		if d := <-waits; d != 30*time.Second {
			t.Fatalf("the first wait is %s, want the 30 s to midnight", d)
		}
		if regs := registrationsOf(t, st, who); regs[0].Status != residence.RegistrationActive {
			t.Fatalf("ended on its last day: %+v", regs)
		}
		clock.Advance(30 * time.Second)
		fire <- clock.Now()
		// The next wait is asked for once the midnight sweep is done: ten
		// minutes (the pace), the next midnight being a day away.
		if d := <-waits; d != 10*time.Minute {
			t.Fatalf("the wait after midnight is %s, want 10m", d)
		}
		regs := registrationsOf(t, st, who)
		if regs[0].Status == residence.RegistrationActive || regs[0].EndReason != residence.EndExpired ||
			!regs[0].EndedOn.Equal(time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)) {
			t.Fatalf("after midnight: %+v", regs)
		}
	})
}

// TestSweeperWait: the wait between sweeps is the time to the next
// midnight in Almaty, at most the pace.
func TestSweeperWait(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2026, 6, 30, h, m, 0, 0, time.UTC) }
	for _, c := range []struct {
		name  string
		now   time.Time
		every time.Duration
		want  time.Duration
	}{
		{"midday: the pace", at(7, 0), 10 * time.Minute, 10 * time.Minute},
		{"five minutes to midnight", at(18, 55), 10 * time.Minute, 5 * time.Minute},
		{"at midnight: the pace", at(19, 0), 10 * time.Minute, 10 * time.Minute},
		{"a long pace still wakes at midnight", at(12, 0), 24 * time.Hour, 7 * time.Hour},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := jobs.Wait(c.now, c.every); got != c.want {
				t.Errorf("Wait(%s, %s) = %s, want %s", c.now, c.every, got, c.want)
			}
		})
	}
}
