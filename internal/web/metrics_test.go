package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"tirkeu/internal/residence"
)

// TestRouteLabel: the route label is the mux's pattern for anonymous and
// authenticated requests alike, through middleware that copies the request
// (Authenticate, ClientAddress), and for a handler that panics.
func TestRouteLabel(t *testing.T) {
	tokens := func(_ context.Context, tok string) (residence.Actor, error) {
		if tok == "tk_good" {
			return residence.Actor{Role: residence.RoleOperator, Name: "ops"}, nil
		}
		return residence.Actor{}, residence.NewError(residence.EUnauthenticated, textBadAuth)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	mux.HandleFunc("GET /boom", func(w http.ResponseWriter, r *http.Request) { panic("boom") })
	for _, tt := range []struct {
		name    string
		handler func(m *Metrics) http.Handler
	}{
		{"behind middleware", func(m *Metrics) http.Handler {
			return Stack(Chain(Routes(mux), ClientAddress(false)), slog.New(slog.DiscardHandler), m, nil, tokens)
		}},
		{"a mux given to Stack", func(m *Metrics) http.Handler {
			return Stack(mux, slog.New(slog.DiscardHandler), m, nil, tokens)
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := NewMetrics(prometheus.NewRegistry(), 30*time.Second)
			h := tt.handler(m)
			for _, auth := range []string{"", "Bearer tk_good"} {
				for _, path := range []string{"/things/1", "/boom"} {
					r := httptest.NewRequest("GET", path, nil)
					if auth != "" {
						r.Header.Set("Authorization", auth)
					}
					h.ServeHTTP(httptest.NewRecorder(), r)
				}
			}
			for _, c := range []struct{ route, status string }{{"GET /things/{id}", "200"}, {"GET /boom", "500"}} {
				if n := testutil.ToFloat64(m.Requests.WithLabelValues(c.route, "GET", c.status)); n != 2 {
					t.Errorf("route %q status %s: %v requests, want 2 (anonymous and authenticated)", c.route, c.status, n)
				}
			}
			if n := testutil.ToFloat64(m.Requests.WithLabelValues("unmatched", "GET", "200")); n != 0 {
				t.Errorf("%v requests unmatched", n)
			}
		})
	}
}

func TestDurationBuckets(t *testing.T) {
	for _, tt := range []struct {
		timeout time.Duration
		top     float64
	}{{30 * time.Second, 30}, {0, 30}, {5 * time.Second, 5}, {90 * time.Second, 90}} {
		b := DurationBuckets(tt.timeout)
		if b[len(b)-1] != tt.top || !slices.IsSorted(b) || slices.Contains(b[:len(b)-1], tt.top) {
			t.Errorf("DurationBuckets(%v) = %v, want sorted, ending at %v", tt.timeout, b, tt.top)
		}
	}
}

// TestBusinessCounts: what a commit wrote becomes counts by label.
func TestBusinessCounts(t *testing.T) {
	b := NewBusiness(prometheus.NewRegistry())
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b.Committed(residence.Commit{
		Applications: []residence.Application{
			{Channel: residence.ChannelAPI, Status: "refused", Decision: residence.Decision{Rule: "SUBJECT_CAPACITY"}},
			{Channel: residence.ChannelPortal, Status: "registered"},
		},
		Consents: []residence.ConsentStatus{residence.ConsentConfirmed, residence.ConsentDeclined, residence.ConsentConfirmed},
		SMS: []residence.SMS{
			{Status: residence.SMSQueued, CreatedAt: t0, UpdatedAt: t0},
			{Status: residence.SMSSent, CreatedAt: t0, UpdatedAt: t0.Add(2 * time.Second)},
			{Status: residence.SMSDelivered, CreatedAt: t0, UpdatedAt: t0.Add(7 * time.Second)},
			{Status: residence.SMSFailed, CreatedAt: t0, UpdatedAt: t0.Add(time.Hour)},
		},
	})
	for _, tt := range []struct {
		c    prometheus.Collector
		want float64
	}{
		{b.applications.WithLabelValues("api", "refused", "SUBJECT_CAPACITY"), 1},
		{b.applications.WithLabelValues("portal", "registered", "none"), 1},
		{b.consents.WithLabelValues("confirmed"), 2},
		{b.consents.WithLabelValues("declined"), 1},
		{b.consents.WithLabelValues("expired"), 0},
		{b.sms.WithLabelValues("sent"), 1},
		{b.sms.WithLabelValues("delivered"), 1},
		{b.sms.WithLabelValues("failed"), 1},
	} {
		if got := testutil.ToFloat64(tt.c); got != tt.want {
			t.Errorf("%v = %v, want %v", tt.c, got, tt.want)
		}
	}
	if n := testutil.CollectAndCount(b.smsLatency); n != 2 {
		t.Errorf("%d latency series, want sent and delivered", n)
	}
}
