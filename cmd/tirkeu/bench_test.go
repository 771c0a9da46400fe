package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// TestBenchAgainstServe runs `tirkeu bench` as the README shows it, against
// the real server in demo mode: candidates come from the server's database,
// applicants sign with keys of the server's demo CA, lookups use an agency
// token. Every scenario must complete operations without a single failed
// request, and the submit scenario must end in registrations.
func TestBenchAgainstServe(t *testing.T) {
	shared := startServe(t, map[string]string{"TIRKEU_RATE_LIMIT": "off"})
	token := createToken(t, "agency")
	var out, errb bytes.Buffer
	for _, tc := range []struct {
		name, scenario string
		extra          []string
		own            bool // on a server of its own: the demo's few submit candidates are used up by then
	}{
		{"submit", "submit", nil, false}, {"consent", "consent", nil, false}, {"lookup", "lookup", nil, false}, {"mixed", "mixed", nil, false},
		// Signed as the NCA's keys sign today: GOST 34.10-2015 512.
		{"submit-gost", "submit", []string{"-sign", "gost", "-max", "200"}, true},
	} {
		scenario := tc.scenario
		t.Run(tc.name, func(t *testing.T) {
			base := shared
			if tc.own {
				base = startServe(t, map[string]string{"TIRKEU_RATE_LIMIT": "off"})
			}
			out.Reset()
			errb.Reset()
			code := run(context.Background(), append([]string{"bench", "-url", base, "-scenario", scenario,
				"-c", "2", "-d", "300ms", "-warmup", "0s", "-token", token}, tc.extra...), nil, &out, &errb)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			var res struct {
				Scenario   string           `json:"scenario"`
				Ops        int64            `json:"ops"`
				Errors     map[string]int64 `json:"errors"`
				Registered int64            `json:"registered"`
				Exhausted  bool             `json:"candidates_exhausted"`
				Requests   map[string]struct {
					Count    int64            `json:"count"`
					Outcomes map[string]int64 `json:"outcomes"`
					Latency  struct {
						P50 float64 `json:"p50_ms"`
						P90 float64 `json:"p90_ms"`
						P99 float64 `json:"p99_ms"`
						Max float64 `json:"max_ms"`
					} `json:"latency"`
				} `json:"requests"`
			}
			if err := json.Unmarshal(out.Bytes(), &res); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, out.String())
			}
			if res.Scenario != scenario || res.Ops == 0 {
				t.Fatalf("scenario %q, %d operations:\n%s\n%s", res.Scenario, res.Ops, out.String(), errb.String())
			}
			if len(res.Errors) != 0 {
				t.Errorf("failed requests: %v", res.Errors)
			}
			for name, rs := range res.Requests {
				l := rs.Latency
				if rs.Count > 0 && !(0 < l.P50 && l.P50 <= l.P90 && l.P90 <= l.P99 && l.P99 <= l.Max) {
					t.Errorf("%s: percentiles out of order: %+v", name, l)
				}
			}
			if scenario == "submit" && res.Registered == 0 {
				t.Errorf("no submission ended registered:\n%s", out.String())
			}
			// The candidates are those the Service's rules decide as the
			// scenario means: until they run out, every submission
			// registers at once, every guest's waits for the owner's
			// consent and every confirmation registers.
			if !res.Exhausted {
				for req, want := range map[string]string{"submit": "registered", "consent_submit": "awaiting_consent", "confirm": "registered"} {
					for got, n := range res.Requests[req].Outcomes {
						if got != want {
							t.Errorf("%s: %d ended %s, want %s: %v", req, n, got, want, res.Requests[req].Outcomes)
						}
					}
				}
			}
			t.Logf("%s: %s", scenario, strings.TrimSpace(errb.String()))
		})
	}
}
