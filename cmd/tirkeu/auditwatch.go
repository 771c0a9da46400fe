package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"tirkeu/internal/store"
)

// unsealedSource is what the audit signals read: store.Store's Unsealed.
type unsealedSource interface {
	Unsealed(ctx context.Context) (n int64, oldest time.Time, err error)
}

// auditCollector exports the events waiting to be sealed into the audit
// chain, read from the database at each scrape: tirkeu_audit_unsealed_events
// and tirkeu_audit_unsealed_oldest_seconds, the age of the oldest by the
// service's clock (0 when none). The sealers run every 50 ms, so an age
// above a minute means that none runs or that it fails: alert on it. When
// the database cannot be read the two are left out of the scrape (readyz
// reports the outage).
type auditCollector struct {
	src            unsealedSource
	now            func() time.Time
	events, oldest *prometheus.Desc
}

func newAuditCollector(src unsealedSource, now func() time.Time) auditCollector {
	return auditCollector{
		src: src, now: now,
		events: prometheus.NewDesc("tirkeu_audit_unsealed_events", "Events not yet sealed into the audit chain.", nil, nil),
		oldest: prometheus.NewDesc("tirkeu_audit_unsealed_oldest_seconds",
			"Age of the oldest event not yet sealed into the audit chain (0 when none); above 60 the sealer is stuck.", nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (c auditCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.events
	ch <- c.oldest
}

// Collect implements prometheus.Collector.
func (c auditCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	n, oldest, err := c.src.Unsealed(ctx)
	if err != nil {
		return
	}
	ch <- prometheus.MustNewConstMetric(c.events, prometheus.GaugeValue, float64(n))
	ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, unsealedAge(n, oldest, c.now()).Seconds())
}

func unsealedAge(n int64, oldest, now time.Time) time.Duration {
	if n == 0 || oldest.IsZero() || now.Before(oldest) {
		return 0
	}
	return now.Sub(oldest)
}

// unsealedAlarm turns observations of the unsealed events into log lines:
// a warning when the oldest has waited longer than max, once until it
// clears, and a note when it clears.
type unsealedAlarm struct {
	max    time.Duration
	raised bool
}

// observe logs what changed since the last observation.
func (a *unsealedAlarm) observe(log *slog.Logger, n int64, oldest, now time.Time) {
	age := unsealedAge(n, oldest, now)
	switch {
	case age > a.max && !a.raised:
		a.raised = true
		log.Warn("audit: events left unsealed; is a sealer running (TIRKEU_JOBS) and is its audit key right?",
			"events", n, "oldest_seconds", int64(age.Seconds()))
	case age <= a.max && a.raised:
		a.raised = false
		log.Info("audit: unsealed events sealed again")
	}
}

// watchUnsealed checks the unsealed events every interval until stop is
// called, logging through an unsealedAlarm.
func watchUnsealed(ctx context.Context, src unsealedSource, now func() time.Time, log *slog.Logger, interval time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		alarm := unsealedAlarm{max: store.DefaultMaxUnsealedAge}
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			qctx, qcancel := context.WithTimeout(ctx, 5*time.Second)
			n, oldest, err := src.Unsealed(qctx)
			qcancel()
			if err == nil {
				alarm.observe(log, n, oldest, now())
			}
		}
	}()
	return func() { cancel(); wg.Wait() }
}
