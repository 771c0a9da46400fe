package web

import (
	"runtime"
	"runtime/debug"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"tirkeu/internal/residence"
)

// DurationBuckets returns the request-duration histogram's buckets: from a
// millisecond up to timeout (the request deadline, TIRKEU_REQUEST_TIMEOUT),
// which is the last, so a request cut off by the deadline lands in a bucket
// of its own rather than past the top one. timeout <= 0 means 30 s.
func DurationBuckets(timeout time.Duration) []float64 {
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	top := timeout.Seconds()
	var out []float64
	for _, b := range []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 20} {
		if b < top {
			out = append(out, b)
		}
	}
	return append(out, top)
}

// RegisterBuildInfo registers tirkeu_build_info{version,goversion} 1:
// which build a node runs, so a dashboard shows a rollout in progress. The
// version is the main module's (a tagged build's tag; "(devel)" from a
// work tree).
func RegisterBuildInfo(reg prometheus.Registerer) {
	version := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		version = bi.Main.Version
	}
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "tirkeu_build_info", Help: "Build of the running binary: 1 labelled with its version and Go version.",
	}, []string{"version", "goversion"})
	g.WithLabelValues(version, runtime.Version()).Set(1)
	reg.MustRegister(g)
}

// Business counts what the service decides, from what its transactions
// commit (residence.Observer): applications by channel, status and rule,
// consent outcomes, SMS sent, delivered and failed, and how long an SMS
// took from being queued to being sent and to being delivered.
type Business struct {
	applications *prometheus.CounterVec
	consents     *prometheus.CounterVec
	sms          *prometheus.CounterVec
	smsLatency   *prometheus.HistogramVec
}

var _ residence.Observer = (*Business)(nil)

// smsBuckets span a message's way from the queue to the handset: seconds
// when the SMS centre is well, up to the retry back-off of an outage.
var smsBuckets = []float64{.1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600}

// NewBusiness registers the business counters with reg.
func NewBusiness(reg prometheus.Registerer) *Business {
	b := &Business{
		applications: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tirkeu_applications_total",
			Help: "Applications reaching a status, by channel, status and the rule that decided it (none when no rule refused or held it).",
		}, []string{"channel", "status", "rule"}),
		consents: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tirkeu_consents_total", Help: "Consent requests answered or expired, by outcome (confirmed, declined, expired).",
		}, []string{"outcome"}),
		sms: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tirkeu_sms_total", Help: "SMS by outcome: sent (accepted by the SMS centre), delivered (receipt), failed (given up).",
		}, []string{"outcome"}),
		smsLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "tirkeu_sms_delivery_seconds", Help: "Time from an SMS being queued to being sent (stage sent) and to its delivery receipt (stage delivered).",
			Buckets: smsBuckets,
		}, []string{"stage"}),
	}
	reg.MustRegister(b.applications, b.consents, b.sms, b.smsLatency)
	// Zero series for the outcomes an alert watches, so a rate is defined
	// before the first event.
	for _, o := range []string{string(residence.ConsentConfirmed), string(residence.ConsentDeclined), string(residence.ConsentExpired)} {
		b.consents.WithLabelValues(o)
	}
	for _, o := range []string{string(residence.SMSSent), string(residence.SMSDelivered), string(residence.SMSFailed)} {
		b.sms.WithLabelValues(o)
	}
	return b
}

// Committed implements residence.Observer.
func (b *Business) Committed(c residence.Commit) {
	for _, a := range c.Applications {
		rule := string(a.Decision.Rule)
		if rule == "" {
			rule = "none"
		}
		b.applications.WithLabelValues(string(a.Channel), string(a.Status), rule).Inc()
	}
	for _, o := range c.Consents {
		b.consents.WithLabelValues(string(o)).Inc()
	}
	for _, m := range c.SMS {
		if !slices.Contains([]residence.SMSStatus{residence.SMSSent, residence.SMSDelivered, residence.SMSFailed}, m.Status) {
			continue
		}
		b.sms.WithLabelValues(string(m.Status)).Inc()
		if m.Status != residence.SMSFailed && !m.CreatedAt.IsZero() && !m.UpdatedAt.Before(m.CreatedAt) {
			b.smsLatency.WithLabelValues(string(m.Status)).Observe(m.UpdatedAt.Sub(m.CreatedAt).Seconds())
		}
	}
}

// PoolStats is a database pool's use, as store.PoolStats reports it.
type PoolStats struct {
	Max, Open, InUse, Idle int
	Waits                  int64
	WaitTime               time.Duration
}

// JobCount is the number of durable jobs of a kind in a state.
type JobCount struct {
	Kind, State string
	N           int64
}

// StoreCollector reports, at each scrape, the database pool's use and the
// job queue by kind and state (River's table).
type StoreCollector struct {
	pool func() PoolStats
	jobs func() ([]JobCount, error)

	max, open, inUse, idle, waits, waitTime, jobsDesc *prometheus.Desc
}

// NewStoreCollector returns a collector over the two sources; either may be
// nil.
func NewStoreCollector(pool func() PoolStats, jobs func() ([]JobCount, error)) *StoreCollector {
	d := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc(name, help, labels, nil)
	}
	return &StoreCollector{pool: pool, jobs: jobs,
		max:      d("tirkeu_db_connections_max", "The most database connections the pool opens."),
		open:     d("tirkeu_db_connections_open", "Database connections open."),
		inUse:    d("tirkeu_db_connections_in_use", "Database connections serving a query or transaction."),
		idle:     d("tirkeu_db_connections_idle", "Open database connections waiting for work."),
		waits:    d("tirkeu_db_connection_waits_total", "Connection acquisitions that had to wait for a free connection."),
		waitTime: d("tirkeu_db_connection_wait_seconds_total", "Time spent waiting for a free database connection."),
		jobsDesc: d("tirkeu_jobs", "Durable jobs by kind and state: available, scheduled and retryable are the queue's depth; retryable and discarded are failures (discarded: no attempt left).", "kind", "state"),
	}
}

// Describe implements prometheus.Collector.
func (c *StoreCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.max, c.open, c.inUse, c.idle, c.waits, c.waitTime, c.jobsDesc} {
		ch <- d
	}
}

// Collect implements prometheus.Collector. A job count the database does
// not answer is left out of the scrape (the pool's figures still show).
func (c *StoreCollector) Collect(ch chan<- prometheus.Metric) {
	if c.pool != nil {
		p := c.pool()
		g := func(d *prometheus.Desc, v float64) { ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v) }
		g(c.max, float64(p.Max))
		g(c.open, float64(p.Open))
		g(c.inUse, float64(p.InUse))
		g(c.idle, float64(p.Idle))
		ch <- prometheus.MustNewConstMetric(c.waits, prometheus.CounterValue, float64(p.Waits))
		ch <- prometheus.MustNewConstMetric(c.waitTime, prometheus.CounterValue, p.WaitTime.Seconds())
	}
	if c.jobs != nil {
		counts, err := c.jobs()
		if err != nil {
			return
		}
		for _, j := range counts {
			ch <- prometheus.MustNewConstMetric(c.jobsDesc, prometheus.GaugeValue, float64(j.N), j.Kind, j.State)
		}
	}
}
