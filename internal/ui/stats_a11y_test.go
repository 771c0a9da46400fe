package ui_test

import (
	"regexp"
	"strings"
	"testing"
)

var (
	svcRE   = regexp.MustCompile(`(?s)<svg [^>]*>.*?</svg>`)
	labelRE = regexp.MustCompile(`aria-labelledby="([^"]+)"`)
)

// TestStatsChartsAccessible: every chart is an image with a name (its
// title) and a text alternative (its description); the period shown is
// marked in the links and today in the chart's table; rules are named in
// the page's language.
func TestStatsChartsAccessible(t *testing.T) {
	e := newEnv(t)
	tenant := e.person("tenant")
	c := e.client("en")
	c.signIn(tenant.IIN)
	// One decided application, so that the outcome chart has a rule.
	c.get("/apply")
	st, body := c.get("/stats?days=7")
	if st != 200 {
		t.Fatalf("/stats: %d", st)
	}
	charts := svcRE.FindAllString(body, -1)
	if len(charts) == 0 {
		t.Fatal("no chart on /stats")
	}
	for _, svg := range charts {
		if !strings.Contains(svg, `role="img"`) {
			t.Errorf("chart without role=img: %.120s", svg)
		}
		m := labelRE.FindStringSubmatch(svg)
		if m == nil {
			t.Errorf("chart without aria-labelledby: %.120s", svg)
			continue
		}
		title := regexp.MustCompile(`<title id="` + regexp.QuoteMeta(m[1]) + `">([^<]+)</title>`).FindStringSubmatch(svg)
		if title == nil || strings.TrimSpace(title[1]) == "" {
			t.Errorf("chart %s: no title to name it", m[1])
		}
		desc := regexp.MustCompile(`<desc id="([^"]+)">([^<]*)</desc>`).FindStringSubmatch(svg)
		if desc == nil || strings.TrimSpace(desc[2]) == "" || !strings.Contains(svg, `aria-describedby="`+desc[1]+`"`) {
			t.Errorf("chart %s: no description as its text alternative", m[1])
		}
	}
	if n := strings.Count(body, `aria-current="page"`); n != 1 || !strings.Contains(body, `<a href="/stats?days=7" aria-current="page">7</a>`) {
		t.Errorf("the current period is not the one marked (%d marked)", n)
	}
	if !regexp.MustCompile(`<tr aria-current="date" class="current"><th scope="row">[0-9.]+ \(today\)</th>`).MatchString(body) {
		t.Error("today is not marked in the chart's table")
	}
	if strings.Count(body, `id="per-day-table"`) != 1 {
		t.Error("the per-day chart has no table of its figures")
	}
}
