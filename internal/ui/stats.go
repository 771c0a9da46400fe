package ui

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tirkeu/internal/residence"
	"tirkeu/internal/web"
)

// statsPeriod returns the period of the statistics: the last `days` days
// (30 by default, at most 366) up to now, from midnight in Kazakhstan.
func (u *UI) statsPeriod(r *http.Request) (time.Time, time.Time, int) {
	days := 30
	if n, err := strconv.Atoi(r.URL.Query().Get("days")); err == nil && n >= 1 && n <= 366 {
		days = n
	}
	now := u.opts.Now()
	d := residence.DateOf(now).AddDate(0, 0, -(days - 1))
	from := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, residence.Almaty)
	return from, now.Add(time.Second), days
}

func (u *UI) stats(r *http.Request) (residence.Stats, int, error) {
	from, to, days := u.statsPeriod(r)
	s, err := u.svc.Stats(r.Context(), from, to)
	return s, days, err
}

// bar is one rectangle of a chart, in the SVG's user units.
type bar struct {
	X, Y, W, H float64
	Class      string
	Title      string
}

// label is a text of a chart.
type label struct {
	X, Y   float64
	Text   string
	Anchor string
}

// chart is a server-rendered SVG bar chart. ID names its title and
// description, which are its accessible name and text alternative (the
// figures themselves are in the table beside each chart).
type chart struct {
	ID            string
	Title         string
	Width, Height float64
	Bars          []bar
	Labels        []label
	Desc          string
}

// dayChart stacks online and service-centre applications per day.
func dayChart(p Page, s residence.Stats) chart {
	const w, h, top, bottom = 720.0, 220.0, 10.0, 30.0
	c := chart{Width: w, Height: h}
	maxN := 1
	for _, d := range s.Days {
		if n := d.Online + d.PSC; n > maxN {
			maxN = n
		}
	}
	n := len(s.Days)
	if n == 0 {
		return c
	}
	slot := (w - 70) / float64(n)
	scale := (h - top - bottom) / float64(maxN)
	for i, d := range s.Days {
		x := 40 + float64(i)*slot + slot*0.1
		bw := slot * 0.8
		base := h - bottom
		on := float64(d.Online) * scale
		psc := float64(d.PSC) * scale
		date := d.Date.Format("02.01")
		current := ""
		if i == n-1 {
			// The last day of the period is today: marked, and named so.
			current = " current"
			c.Bars = append(c.Bars, bar{X: x - slot*0.05, Y: top, W: bw + slot*0.1, H: base - top, Class: "today",
				Title: fmt.Sprintf("%s: %s", date, p.T("stats.today"))})
		}
		if on > 0 {
			c.Bars = append(c.Bars, bar{X: x, Y: base - on, W: bw, H: on, Class: "online" + current,
				Title: fmt.Sprintf("%s: %s %d", date, p.T("stats.online"), d.Online)})
		}
		if psc > 0 {
			c.Bars = append(c.Bars, bar{X: x, Y: base - on - psc, W: bw, H: psc, Class: "psc" + current,
				Title: fmt.Sprintf("%s: %s %d", date, p.T("stats.psc"), d.PSC)})
		}
		switch {
		case i == n-1:
			c.Labels = append(c.Labels, label{X: x + bw/2, Y: h - 10, Text: p.T("stats.today"), Anchor: "middle"})
		case n <= 31 && i%5 == 0 && i < n-3 || n > 31 && i%30 == 0 && i < n-20:
			c.Labels = append(c.Labels, label{X: x + bw/2, Y: h - 10, Text: date, Anchor: "middle"})
		}
	}
	c.Labels = append(c.Labels, label{X: 34, Y: top + 10, Text: strconv.Itoa(maxN), Anchor: "end"},
		label{X: 34, Y: h - bottom, Text: "0", Anchor: "end"})
	last := s.Days[n-1]
	c.Desc = fmt.Sprintf("%s %s – %s. %s: %d; %s: %d. %s: %s %d, %s %d.", p.T("stats.per_day"),
		s.Days[0].Date.Format("02.01.2006"), last.Date.Format("02.01.2006"),
		p.T("stats.online"), s.Online, p.T("stats.psc"), s.PSC,
		p.T("stats.today"), p.T("stats.online"), last.Online, p.T("stats.psc"), last.PSC)
	return c
}

// describe writes a horizontal bar chart's rows as its text alternative.
func describe(rows []label, values []int) string {
	var b strings.Builder
	for i, r := range rows {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s: %d", r.Text, values[i])
	}
	return b.String()
}

// ruleName is a rule's translated name with its id, or the id alone for a
// rule with no name in the messages.
func ruleName(p Page, id residence.RuleID) string {
	if id == "" {
		return ""
	}
	if _, ok := messages["rule."+string(id)]; !ok {
		return string(id)
	}
	return p.T("rule."+string(id)) + " (" + string(id) + ")"
}

// RuleName is ruleName for the templates.
func (v *statsView) RuleName(id residence.RuleID) string { return ruleName(v.Page, id) }

// PeriodLinks are the periods the page offers, the current one marked.
func (v *statsView) PeriodLinks() []periodLink {
	var out []periodLink
	for _, d := range []int{7, 30, 365} {
		out = append(out, periodLink{Days: d, Current: d == v.Days})
	}
	return out
}

type periodLink struct {
	Days    int
	Current bool
}

// hbarChart draws one horizontal bar per row, its name above it across the
// whole width: on a phone the chart shrinks to half its size and a name
// beside the bar would have no room to stay readable.
func hbarChart(rows []label, values []int, class string) chart {
	const w, rowH, textH = 720.0, 52.0, 26.0
	c := chart{Width: w, Height: rowH*float64(len(rows)) + 4}
	maxN := 1
	for _, v := range values {
		if v > maxN {
			maxN = v
		}
	}
	for i, r := range rows {
		y := float64(i) * rowH
		bw := (w - 80) * float64(values[i]) / float64(maxN)
		c.Labels = append(c.Labels, label{X: 0, Y: y + textH - 6, Text: r.Text, Anchor: "start"},
			label{X: bw + 6, Y: y + rowH - 8, Text: strconv.Itoa(values[i]), Anchor: "start"})
		c.Bars = append(c.Bars, bar{X: 0, Y: y + textH, W: bw, H: rowH - textH - 4, Class: class, Title: r.Text})
	}
	c.Desc = describe(rows, values)
	return c
}

type statsView struct {
	Page
	Stats          residence.Stats
	Days           int
	OnlineShare    int // percent
	MedianDecision string
	MedianConsent  string
	DayChart       chart
	OutcomeChart   chart
	RegionChart    chart
	Outcomes       []outcomeLine
}

type outcomeLine struct {
	Status residence.ApplicationStatus
	Rule   residence.RuleID
	Count  int
}

// duration writes a duration in plain words.
func duration(p Page, d time.Duration) string {
	switch {
	case d <= 0:
		return "—"
	case d < time.Minute:
		return fmt.Sprintf("%d %s", int(d.Seconds()), p.T("unit.seconds"))
	case d < 2*time.Hour:
		return fmt.Sprintf("%d %s", int(d.Minutes()), p.T("unit.minutes"))
	default:
		return fmt.Sprintf("%.1f %s", d.Hours(), p.T("unit.hours"))
	}
}

func (u *UI) statsPage(w http.ResponseWriter, r *http.Request) error {
	s, days, err := u.stats(r)
	if err != nil {
		return err
	}
	v := &statsView{Page: u.page(w, r, "stats.title"), Stats: s, Days: days}
	if s.Total > 0 {
		v.OnlineShare = s.Online * 100 / s.Total
	}
	v.MedianDecision, v.MedianConsent = duration(v.Page, s.MedianDecision), duration(v.Page, s.MedianConsent)
	v.DayChart = dayChart(v.Page, s)
	v.DayChart.ID, v.DayChart.Title = "chart-days", v.T("stats.per_day")
	var rows []label
	var vals []int
	for _, o := range s.Outcomes {
		v.Outcomes = append(v.Outcomes, outcomeLine(o))
		t := v.T("status." + string(o.Status))
		if o.Rule != "" {
			t += " · " + ruleName(v.Page, o.Rule)
		}
		rows, vals = append(rows, label{Text: t}), append(vals, o.Count)
	}
	v.OutcomeChart = hbarChart(rows, vals, "outcome")
	v.OutcomeChart.ID, v.OutcomeChart.Title = "chart-outcomes", v.T("stats.outcomes")
	rows, vals = nil, nil
	for _, g := range s.Regions {
		rows, vals = append(rows, label{Text: g.Region}), append(vals, g.Total)
	}
	v.RegionChart = hbarChart(rows, vals, "region")
	v.RegionChart.ID, v.RegionChart.Title = "chart-regions", v.T("stats.regions")
	return u.render(w, r, http.StatusOK, "stats", v)
}

func (u *UI) statsJSON(w http.ResponseWriter, r *http.Request) error {
	s, _, err := u.stats(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=60")
	return json.NewEncoder(w).Encode(s)
}

// statsCSV writes one line per day, then the outcomes and the regions, each
// section with its own header row.
func (u *UI) statsCSV(w http.ResponseWriter, r *http.Request) error {
	s, _, err := u.stats(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="tirkeu-stats.csv"`)
	w.Header().Set("Cache-Control", "public, max-age=60")
	return writeStatsCSV(w, s)
}

// writeStatsCSV writes the statistics as CSV, every cell escaped against
// formula injection (web.CSVCell).
func writeStatsCSV(w io.Writer, s residence.Stats) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(web.CSVRow("section", "key", "online", "psc", "total"))
	for _, d := range s.Days {
		_ = cw.Write(web.CSVRow("day", d.Date.Format(time.DateOnly), strconv.Itoa(d.Online), strconv.Itoa(d.PSC), strconv.Itoa(d.Online+d.PSC)))
	}
	for _, o := range s.Outcomes {
		key := string(o.Status)
		if o.Rule != "" {
			key += ":" + string(o.Rule)
		}
		_ = cw.Write(web.CSVRow("outcome", key, "", "", strconv.Itoa(o.Count)))
	}
	for _, g := range s.Regions {
		_ = cw.Write(web.CSVRow("region", g.Region, strconv.Itoa(g.Online), strconv.Itoa(g.Total-g.Online), strconv.Itoa(g.Total)))
	}
	for _, g := range s.Violations {
		_ = cw.Write(web.CSVRow("violations", strconv.Itoa(g.Year)+":"+g.Region, strconv.Itoa(g.Warnings), strconv.Itoa(g.Fines), strconv.Itoa(g.Count)))
	}
	_ = cw.Write(web.CSVRow("median", "decision_seconds", "", "", strconv.FormatInt(int64(s.MedianDecision.Seconds()), 10)))
	_ = cw.Write(web.CSVRow("median", "consent_seconds", "", "", strconv.FormatInt(int64(s.MedianConsent.Seconds()), 10)))
	cw.Flush()
	return cw.Error()
}
