package ui

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"tirkeu/internal/residence"
	"tirkeu/internal/residence/residencetest"
	"tirkeu/internal/web"
)

// TestStatsCSVEscapesFormulas: a region name from the imported registry
// that a spreadsheet would run as a formula is written as text.
func TestStatsCSVEscapesFormulas(t *testing.T) {
	var buf bytes.Buffer
	s := residence.Stats{Regions: []residence.RegionStats{{Region: `=HYPERLINK("http://evil.example","x")`, Total: 2, Online: 1},
		{Region: "@cmd", Total: 1}, {Region: "Astana", Total: 1}}}
	if err := writeStatsCSV(&buf, s); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{`'=HYPERLINK("http://evil.example","x")`: true, "'@cmd": true, "Astana": true}
	for _, r := range rows {
		if r[0] != "region" {
			continue
		}
		if !want[r[1]] {
			t.Errorf("region cell %q is not escaped", r[1])
		}
		delete(want, r[1])
	}
	if len(want) > 0 {
		t.Errorf("missing region rows %v", want)
	}
}

// TestStatsRuleNames: the outcomes name their rules in the page's language
// (with the id, which the legal basis cites), and a rule without a name
// shows its id rather than a missing message.
func TestStatsRuleNames(t *testing.T) {
	svc := residence.NewService(nil, residencetest.NewFakeClock(time.Now()), residence.DefaultConfig(), nil, nil)
	u, err := New(svc, web.NewSessions([]byte("stats-test-secret-stats-test-sec"), time.Hour, time.Now, svc), Options{Secret: []byte("x")})
	if err != nil {
		t.Fatal(err)
	}
	p := Page{Lang: "ru", Title: "stats.title"}
	if got := ruleName(p, residence.RuleOwnerConsent); got != "Согласие собственника (OWNER_CONSENT)" {
		t.Errorf("ruleName = %q", got)
	}
	if got := ruleName(p, "NEW_RULE"); got != "NEW_RULE" {
		t.Errorf("unnamed rule = %q, want its id", got)
	}
	s := residence.Stats{Total: 3, Outcomes: []residence.OutcomeCount{{Status: residence.StatusRejected, Rule: residence.RuleSubjectAge, Count: 3}}}
	v := &statsView{Page: p, Stats: s, Days: 30, Outcomes: []outcomeLine{{Status: residence.StatusRejected, Rule: residence.RuleSubjectAge, Count: 3}}}
	var buf bytes.Buffer
	if err := u.pages["stats"].ExecuteTemplate(&buf, "layout", v); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), ">Возраст (SUBJECT_AGE)</td>") {
		t.Errorf("the outcomes table does not name the rule:\n%s", buf.String())
	}
}
