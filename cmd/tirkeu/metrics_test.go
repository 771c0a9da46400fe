package main

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// checkMetrics reads /metrics after TestServeEndToEnd's registration: it
// passes Prometheus' own lint (what `promtool check metrics` runs), labels
// an authenticated request with its route pattern, and counts what the
// walk did.
func checkMetrics(t *testing.T, c client) {
	t.Helper()
	status, _, raw := c.call("GET", "/metrics", "", nil)
	if status != 200 {
		t.Fatalf("GET /metrics: %d", status)
	}
	problems, err := promlint.New(strings.NewReader(raw)).Lint()
	if err != nil {
		t.Fatalf("promlint: %v", err)
	}
	for _, p := range problems {
		t.Errorf("promlint: %s: %s", p.Metric, p.Text)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(strings.NewReader(raw))
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}

	// The walk's authenticated requests: the operator's (a tk_ token) and
	// the citizen's (a session).
	for _, route := range []string{"GET /api/v1/persons/{iin}/registrations", "GET /api/v1/me/consents", "POST /api/v1/consents/{id}/confirm"} {
		if n := sum(families["tirkeu_http_requests_total"], map[string]string{"route": route, "status": "200"}); n < 1 {
			t.Errorf("tirkeu_http_requests_total{route=%q,status=\"200\"} = %v, want ≥ 1", route, n)
		}
	}
	if n := sum(families["tirkeu_http_requests_total"], map[string]string{"route": "unmatched"}); n != 0 {
		t.Errorf("%v requests labelled route=\"unmatched\"", n)
	}
	for _, tt := range []struct {
		family string
		labels map[string]string
		min    float64
	}{
		{"tirkeu_applications_total", map[string]string{"channel": "api", "status": "awaiting_consent", "rule": "OWNER_CONSENT"}, 1},
		{"tirkeu_applications_total", map[string]string{"channel": "api", "status": "registered"}, 1},
		{"tirkeu_consents_total", map[string]string{"outcome": "confirmed"}, 2},
		{"tirkeu_build_info", nil, 1},
		{"tirkeu_db_connections_max", nil, 1},
		{"tirkeu_jobs", map[string]string{"kind": "consent_expire"}, 1},
	} {
		if n := sum(families[tt.family], tt.labels); n < tt.min {
			t.Errorf("%s%v = %v, want ≥ %v", tt.family, tt.labels, n, tt.min)
		}
	}
	// Request durations reach the request timeout (30 s by default).
	if h := families["tirkeu_http_request_duration_seconds"]; h == nil || !hasBucket(h, 30) {
		t.Errorf("tirkeu_http_request_duration_seconds has no 30 s bucket")
	}
}

// sum adds the values of the family's series whose labels include want.
func sum(f *dto.MetricFamily, want map[string]string) float64 {
	if f == nil {
		return 0
	}
	var n float64
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		ok := true
		for k, v := range want {
			if have[k] != v {
				ok = false
			}
		}
		if !ok {
			continue
		}
		switch {
		case m.Counter != nil:
			n += m.Counter.GetValue()
		case m.Gauge != nil:
			n += m.Gauge.GetValue()
		case m.Histogram != nil:
			n += float64(m.Histogram.GetSampleCount())
		}
	}
	return n
}

func hasBucket(f *dto.MetricFamily, upper float64) bool {
	for _, m := range f.GetMetric() {
		for _, b := range m.GetHistogram().GetBucket() {
			if b.GetUpperBound() == upper {
				return true
			}
		}
	}
	return false
}
