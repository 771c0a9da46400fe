package main

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"tirkeu/internal/residence"
	"tirkeu/internal/store"
	"tirkeu/internal/store/storetest"
)

// TestAuditUnsealedSignals: events that no sealer takes show in /metrics
// as tirkeu_audit_unsealed_oldest_seconds by the service's clock, and a
// warning is logged once they have waited more than a minute.
func TestAuditUnsealedSignals(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		now := t0
		reg := prometheus.NewRegistry()
		reg.MustRegister(newAuditCollector(s.(store.Store), func() time.Time { return now }))
		gauges := func() (events, oldest float64) {
			t.Helper()
			mfs, err := reg.Gather()
			if err != nil {
				t.Fatal(err)
			}
			for _, mf := range mfs {
				switch mf.GetName() {
				case "tirkeu_audit_unsealed_events":
					events = mf.GetMetric()[0].GetGauge().GetValue()
				case "tirkeu_audit_unsealed_oldest_seconds":
					oldest = mf.GetMetric()[0].GetGauge().GetValue()
				}
			}
			return events, oldest
		}
		var logs bytes.Buffer
		log := slog.New(slog.NewTextHandler(&logs, nil))
		alarm := unsealedAlarm{max: store.DefaultMaxUnsealedAge}
		observe := func() {
			n, oldest, err := s.(store.Store).Unsealed(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			alarm.observe(log, n, oldest, now)
		}

		if e, o := gauges(); e != 0 || o != 0 {
			t.Fatalf("no events: %v, %v", e, o)
		}
		ev := residence.Event{Type: "test.tick", At: t0, PersonIIN: "800101300001"}
		if err := s.InTx(t.Context(), func(tx residence.Tx) error { return tx.AppendEvents(t.Context(), ev, ev) }); err != nil {
			t.Fatal(err)
		}
		now = t0.Add(30 * time.Second)
		observe()
		if e, o := gauges(); e != 2 || o != 30 {
			t.Fatalf("after 30 s: %v events, oldest %v s", e, o)
		}
		if logs.Len() != 0 {
			t.Fatalf("a warning within the minute: %s", logs.String())
		}
		now = t0.Add(90 * time.Second)
		observe()
		now = t0.Add(120 * time.Second)
		observe()
		if e, o := gauges(); e != 2 || o != 120 {
			t.Fatalf("after 120 s: %v events, oldest %v s", e, o)
		}
		if n := strings.Count(logs.String(), "level=WARN"); n != 1 || !strings.Contains(logs.String(), "events=2 oldest_seconds=90") {
			t.Fatalf("%d warnings: %s", n, logs.String())
		}
		if _, err := s.(store.Store).Seal(t.Context()); err != nil {
			t.Fatal(err)
		}
		observe()
		if e, o := gauges(); e != 0 || o != 0 {
			t.Fatalf("after Seal: %v, %v", e, o)
		}
		if !strings.Contains(logs.String(), "sealed again") {
			t.Fatalf("no note when it cleared: %s", logs.String())
		}
	})
}
