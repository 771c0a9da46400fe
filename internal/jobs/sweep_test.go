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

// TestSweeperEndsWhatTheImportLoaded: a temporary registration from the
// registry has no job of its own; the sweep ends it once the injected clock
// passes its last day, and Start/stop run and end cleanly.
func TestSweeperEndsWhatTheImportLoaded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st residence.Store) {
		who := mustIIN(t, "8501013001")
		var b strings.Builder
		enc := json.NewEncoder(&b)
		_ = enc.Encode(map[string]any{"type": "person", "iin": who, "last_name": "Сәрсенов", "first_name": "Ерлан",
			"birth_date": "1985-01-01", "citizenship": "KZ", "capacity": "full", "phone": "8 (702) 555-00-01"})
		_ = enc.Encode(map[string]any{"type": "premises", "rka": "RKA-S-1", "region": "Астана", "locality": "Астана",
			"building": "1", "kind": "dormitory"})
		_ = enc.Encode(map[string]any{"type": "registration", "iin": who, "rka": "RKA-S-1", "kind": "temporary",
			"since": "2026-01-10", "until": "2026-06-30"})
		ctx := context.Background()
		if sum, err := registry.Import(ctx, st, strings.NewReader(b.String()), registry.Options{}); err != nil || sum.Bad != 0 {
			t.Fatalf("import: %+v %v", sum, err)
		}
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
		var regs []residence.Registration
		var p residence.Person
		_ = st.View(ctx, func(r residence.Reader) error {
			regs, _ = r.Registrations(ctx, who)
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
