package residence_test

import (
	"context"
	"testing"
	"time"

	"tirkeu/internal/demo"
	"tirkeu/internal/residence"
	"tirkeu/internal/residence/residencetest"
	"tirkeu/internal/store/storetest"
)

var today = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// demoService returns a service over a fresh SQLite store with the demo
// registry, and the cast by role.
func demoService(tb testing.TB) (*residence.Service, map[string]demo.CastMember) {
	tb.Helper()
	st := storetest.Open(tb, storetest.SQLite)
	if _, err := demo.Load(context.Background(), st, today); err != nil {
		tb.Fatalf("demo.Load: %v", err)
	}
	cast := map[string]demo.CastMember{}
	for _, m := range demo.Cast(today) {
		cast[m.Role] = m
	}
	return residence.NewService(st, residencetest.NewFakeClock(today), residence.DefaultConfig(), nil, nil), cast
}

func accessLogLen(tb testing.TB, svc *residence.Service, iin string) int {
	tb.Helper()
	evs, err := svc.AccessLog(context.Background(), residence.Actor{Role: residence.RoleCitizen, IIN: iin}, 500)
	if err != nil {
		tb.Fatalf("AccessLog: %v", err)
	}
	return len(evs)
}

func TestBatchedAccessLog(t *testing.T) {
	ctx := context.Background()
	svc, cast := demoService(t)
	person := cast["sole_owner"].IIN
	agency := residence.Actor{Role: residence.RoleAgency, Name: "tax", Purposes: residence.Purposes}

	// Synchronous by default: the record is there when the read returns.
	if _, err := svc.PersonAddresses(ctx, agency, person); err != nil {
		t.Fatal(err)
	}
	if n := accessLogLen(t, svc, person); n != 1 {
		t.Fatalf("synchronous: %d records, want 1", n)
	}

	// Batched: buffered until a flush (the interval is long enough not to
	// fire during the test), then written together.
	stop := svc.BatchAccessLog(time.Hour, 1000)
	for range 3 {
		if _, err := svc.PersonAddresses(ctx, agency, person); err != nil {
			t.Fatal(err)
		}
	}
	if n := accessLogLen(t, svc, person); n != 1 {
		t.Fatalf("before flush: %d records, want 1", n)
	}
	if err := svc.FlushAccessLog(ctx); err != nil {
		t.Fatal(err)
	}
	if n := accessLogLen(t, svc, person); n != 4 {
		t.Fatalf("after flush: %d records, want 4", n)
	}

	// Stop writes what is left.
	if _, err := svc.PersonAddresses(ctx, agency, person); err != nil {
		t.Fatal(err)
	}
	if err := stop(ctx); err != nil {
		t.Fatal(err)
	}
	if n := accessLogLen(t, svc, person); n != 5 {
		t.Fatalf("after stop: %d records, want 5", n)
	}
}

func TestBatchedAccessLogFlushesAtMaxBatch(t *testing.T) {
	ctx := context.Background()
	svc, cast := demoService(t)
	person := cast["sole_owner"].IIN
	agency := residence.Actor{Role: residence.RoleAgency, Name: "tax", Purposes: residence.Purposes}
	stop := svc.BatchAccessLog(time.Hour, 2)
	defer stop(ctx)
	for range 2 {
		if _, err := svc.PersonAddresses(ctx, agency, person); err != nil {
			t.Fatal(err)
		}
	}
	// The flusher was kicked by the full batch; wait for it without a clock:
	// it runs within milliseconds, the deadline only bounds a broken build.
	deadline := time.Now().Add(10 * time.Second)
	for accessLogLen(t, svc, person) != 2 {
		if time.Now().After(deadline) {
			t.Fatalf("a full batch was not flushed")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// BenchmarkLookup measures an agency's address lookup with the access-log
// record written synchronously and batched.
func BenchmarkLookup(b *testing.B) {
	for _, batched := range []bool{false, true} {
		name := "sync_access_log"
		if batched {
			name = "batched_access_log"
		}
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			svc, cast := demoService(b)
			if batched {
				stop := svc.BatchAccessLog(100*time.Millisecond, 500)
				b.Cleanup(func() { _ = stop(ctx) })
			}
			person := cast["sole_owner"].IIN
			agency := residence.Actor{Role: residence.RoleAgency, Name: "tax", Purposes: residence.Purposes}
			b.ResetTimer()
			for b.Loop() {
				if _, err := svc.PersonAddresses(ctx, agency, person); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSubmit measures a registration through the whole use case on
// SQLite: snapshot, rules, application, the previous temporary registration
// ended, the new one created, events and the expiry job. An operator files it
// in person with the owners' written consent, alternating between two flats
// so that every application registers.
func BenchmarkSubmit(b *testing.B) {
	ctx := context.Background()
	svc, cast := demoService(b)
	person := cast["sole_owner"]
	flats := []string{cast["co_owner_1"].RKA, person.RKA}
	operator := residence.Actor{Role: residence.RoleOperator, Name: "psc-1"}
	i := 0
	b.ResetTimer()
	for b.Loop() {
		app, _, err := svc.Submit(ctx, operator, residence.SubmitInput{Kind: residence.Temporary,
			ApplicantIIN: person.IIN, RKA: flats[i%2], StayFrom: today, StayUntil: residence.AddMonths(today, 3),
			InPerson: &residence.InPersonFacts{DocumentsChecked: true, OwnersConsentInWriting: true}})
		if err != nil {
			b.Fatal(err)
		}
		if app.Status != residence.StatusRegistered {
			b.Fatalf("application %d: %s %s", i, app.Status, app.Decision.Rule)
		}
		i++
	}
}
