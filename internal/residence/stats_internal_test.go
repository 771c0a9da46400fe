package residence

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestStatsPeriod(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 19, 0, 0, 0, time.UTC) // 2 March 00:00 in Almaty
	tests := []struct {
		name     string
		from, to time.Time
		days     int
		err      bool
	}{
		{"one instant", t0, t0.Add(time.Nanosecond), 1, false},
		{"two Almaty days", t0.Add(-time.Hour), t0.Add(time.Hour), 2, false},
		{"empty", t0, t0, 0, true},
		{"backwards", t0, t0.Add(-time.Hour), 0, true},
		{"ten years", t0, t0.AddDate(0, 0, maxStatsDays), maxStatsDays, false},
		{"over ten years", t0, t0.AddDate(0, 0, maxStatsDays+1), 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tally, err := newStatsTally(tt.from, tt.to)
			if tt.err {
				if !IsCode(err, EInvalid) {
					t.Fatalf("err = %v, want invalid", err)
				}
				return
			}
			if err != nil || len(tally.out.Days) != tt.days {
				t.Fatalf("days = %v, %v; want %d", tally, err, tt.days)
			}
		})
	}
}

func TestDecidingRule(t *testing.T) {
	tests := []struct {
		name     string
		decision string
		want     RuleID
	}{
		{"a rule", `{"status":"rejected","rule":"CONSENT_DECLINED"}`, RuleConsentDeclined},
		{"none", `{"status":"registered"}`, ""},
		{"no decision", ``, ""},
		{"null", `null`, ""},
		{"malformed", `{"rule":`, ""},
		{"not an object", `[1]`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := decidingRule(json.RawMessage(tt.decision)); got != tt.want {
				t.Fatalf("decidingRule(%s) = %q, want %q", tt.decision, got, tt.want)
			}
		})
	}
}

// TestStatsTally counts rows as the public statistics show them: by channel
// and day, by status and deciding rule (the most frequent first), by region
// (unknown premises as "—"), with the medians of the final decisions and of
// the confirmations.
func TestStatsTally(t *testing.T) {
	day1 := time.Date(2026, 3, 1, 0, 0, 0, 0, Almaty)
	from, to := day1, day1.AddDate(0, 0, 2)
	at := func(h int) time.Time { return day1.Add(time.Duration(h) * time.Hour) }
	rejected := json.RawMessage(`{"status":"rejected","rule":"CONSENT_DECLINED"}`)
	rows := []StatsApplication{
		{CreatedAt: at(1), UpdatedAt: at(2), Channel: ChannelPortal, Status: StatusRegistered, Region: "Астана"},
		{CreatedAt: at(2), UpdatedAt: at(6), Channel: ChannelPSC, Status: StatusRegistered, Region: "Астана"},
		{CreatedAt: at(25), UpdatedAt: at(26), Channel: ChannelPortal, Status: StatusRejected, Decision: rejected, Region: "Алматы"},
		{CreatedAt: at(26), UpdatedAt: at(26), Channel: ChannelPortal, Status: StatusAwaitingConsent},
		// A malformed decision counts without a rule; an update before
		// the creation measures nothing.
		{CreatedAt: at(27), UpdatedAt: at(20), Channel: ChannelPortal, Status: StatusRejected, Decision: json.RawMessage(`{`), Region: "Алматы"},
	}
	tally, err := newStatsTally(from.UTC(), to.UTC())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range rows {
		_ = tally.addApplication(a)
	}
	for _, c := range []StatsConsent{
		{CreatedAt: at(1), AnsweredAt: at(1).Add(10 * time.Minute)},
		{CreatedAt: at(1), AnsweredAt: at(1).Add(30 * time.Minute)},
		{CreatedAt: at(1)},                    // no answer time
		{CreatedAt: at(2), AnsweredAt: at(1)}, // answered before asked
	} {
		_ = tally.addConsent(c)
	}
	s := tally.result(nil)
	if s.Total != 5 || s.Online != 4 || s.PSC != 1 {
		t.Errorf("total %d online %d psc %d", s.Total, s.Online, s.PSC)
	}
	wantDays := []DayStats{{Date: DateOf(at(1)), Online: 1, PSC: 1}, {Date: DateOf(at(25)), Online: 3}}
	if !reflect.DeepEqual(s.Days, wantDays) {
		t.Errorf("days %+v, want %+v", s.Days, wantDays)
	}
	wantOutcomes := []OutcomeCount{
		{Status: StatusRegistered, Count: 2},
		{Status: StatusAwaitingConsent, Count: 1},
		{Status: StatusRejected, Count: 1},
		{Status: StatusRejected, Rule: RuleConsentDeclined, Count: 1},
	}
	if !reflect.DeepEqual(s.Outcomes, wantOutcomes) {
		t.Errorf("outcomes %+v, want %+v", s.Outcomes, wantOutcomes)
	}
	wantRegions := []RegionStats{
		{Region: "Алматы", Total: 2, Online: 2},
		{Region: "Астана", Total: 2, Online: 1, Registered: 2},
		{Region: "—", Total: 1, Online: 1},
	}
	if !reflect.DeepEqual(s.Regions, wantRegions) {
		t.Errorf("regions %+v, want %+v", s.Regions, wantRegions)
	}
	// Final decisions took 1 h, 4 h and 1 h (the awaiting one is not final):
	// the median is 1 h. Confirmations took 10 and 30 minutes: 20.
	if s.MedianDecision != time.Hour || s.MedianConsent != 20*time.Minute {
		t.Errorf("medians %v, %v", s.MedianDecision, s.MedianConsent)
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		in   []time.Duration
		want time.Duration
	}{
		{nil, 0},
		{[]time.Duration{3}, 3},
		{[]time.Duration{5, 1, 3}, 3},
		{[]time.Duration{4, 1, 3, 2}, 2},
	}
	for _, tt := range tests {
		if got := median(tt.in); got != tt.want {
			t.Errorf("median(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
