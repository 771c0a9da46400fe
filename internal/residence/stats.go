package residence

import (
	"context"
	"encoding/json"
	"slices"
	"sort"
	"time"
)

// Stats are the public statistics of the service over a period: no person
// is named in them, only counts and durations.
type Stats struct {
	From time.Time `json:"from"` // inclusive
	To   time.Time `json:"to"`   // exclusive
	// Total is the number of registration applications submitted.
	Total int `json:"total"`
	// Online counts applications over the portal, the mobile app and the
	// API; PSC those entered by service-centre operators.
	Online int `json:"online"`
	PSC    int `json:"psc"`
	// Days has one entry per calendar day (Almaty) of the period, in order.
	Days []DayStats `json:"days"`
	// Outcomes counts applications by status and deciding rule (Rule is ""
	// for an application registered without any rule standing out).
	Outcomes []OutcomeCount `json:"outcomes"`
	// MedianDecision is the median time from submission to a final
	// decision; MedianConsent from a consent request to the owner's
	// confirmation. Zero when nothing was measured.
	MedianDecision time.Duration `json:"median_decision_ns"`
	MedianConsent  time.Duration `json:"median_consent_ns"`
	// Regions counts applications by the region of the premises.
	Regions []RegionStats `json:"regions"`
	// Violations counts the possible violations (arts. 492, 493) found in
	// the temporary registrations begun in the period, by year and region,
	// with the amounts the Code provides; nothing is imposed.
	Violations []ViolationStats `json:"violations"`
}

// DayStats counts one day's applications by channel.
type DayStats struct {
	Date   time.Time `json:"date"`
	Online int       `json:"online"`
	PSC    int       `json:"psc"`
}

// OutcomeCount is the number of applications with a status and a rule.
type OutcomeCount struct {
	Status ApplicationStatus `json:"status"`
	Rule   RuleID            `json:"rule,omitempty"`
	Count  int               `json:"count"`
}

// RegionStats counts one region's applications.
type RegionStats struct {
	Region     string `json:"region"`
	Total      int    `json:"total"`
	Online     int    `json:"online"`
	Registered int    `json:"registered"`
}

// StatsApplication is one registration application as the public
// statistics count it. The store returns these rows (Reader.
// StatsApplications); the statistics are computed here, from them.
type StatsApplication struct {
	CreatedAt time.Time
	UpdatedAt time.Time
	Channel   Channel
	Status    ApplicationStatus
	// Decision is the application's stored decision, the JSON the store
	// holds (nil when it has none); the statistics read its rule.
	Decision json.RawMessage
	// Region is the region of the premises, "" when the address register
	// does not know them.
	Region string
}

// StatsConsent is one confirmed consent task as the public statistics count
// it (Reader.StatsConsents).
type StatsConsent struct {
	CreatedAt  time.Time
	AnsweredAt time.Time
}

// maxStatsDays bounds the period of the statistics (ten years of days).
const maxStatsDays = 3660

// Stats returns the public statistics of the registration applications
// created in [from, to): counts and durations, no person named. The store
// returns the period's rows; the counting, the outcomes (by the rule of the
// stored decision) and the medians are decided here. Errors: invalid when
// the period is empty or longer than ten years; unavailable when the store
// does not answer.
func (s *Service) Stats(ctx context.Context, from, to time.Time) (Stats, error) {
	from, to = from.UTC(), to.UTC()
	if _, err := newStatsTally(from, to); err != nil {
		return Stats{From: from, To: to}, err
	}
	var out Stats
	err := s.store.View(ctx, func(r Reader) error {
		// A fresh tally each time fn runs: nothing is counted twice.
		t, err := newStatsTally(from, to)
		if err != nil {
			return err
		}
		if err := r.StatsApplications(ctx, from, to, t.addApplication); err != nil {
			return err
		}
		if err := r.StatsConsents(ctx, from, to, t.addConsent); err != nil {
			return err
		}
		// Possible violations of the registrations begun on the period's days.
		recs, err := r.ViolationHistory(ctx, ViolationQuery{From: DateOf(from), To: t.last.AddDate(0, 0, 1), Limit: 1 << 20})
		if err != nil {
			return err
		}
		out = t.result(recs)
		return nil
	})
	if err != nil {
		return Stats{From: from, To: to}, err
	}
	return out, nil
}

// statsTally accumulates the rows of one period into its Stats.
type statsTally struct {
	out      Stats
	last     time.Time // the period's last day
	days     map[time.Time]*DayStats
	outcomes map[OutcomeCount]int
	regions  map[string]*RegionStats
	decision []time.Duration
	consent  []time.Duration
}

// newStatsTally starts the tally of [from, to) (UTC) with one zero entry
// per calendar day. Errors: invalid when the period does not end after it
// starts or is longer than ten years.
func newStatsTally(from, to time.Time) (*statsTally, error) {
	t := &statsTally{out: Stats{From: from, To: to}, days: map[time.Time]*DayStats{},
		outcomes: map[OutcomeCount]int{}, regions: map[string]*RegionStats{}}
	if !to.After(from) {
		return nil, Errorf(EInvalid, "the period must end after it starts")
	}
	t.last = DateOf(to.Add(-time.Nanosecond))
	for d := DateOf(from); !d.After(t.last); d = d.AddDate(0, 0, 1) {
		t.out.Days = append(t.out.Days, DayStats{Date: d})
		if len(t.out.Days) > maxStatsDays {
			return nil, Errorf(EInvalid, "the period is longer than ten years")
		}
	}
	for i := range t.out.Days {
		t.days[t.out.Days[i].Date] = &t.out.Days[i]
	}
	return t, nil
}

// decidingRule returns the rule of a stored decision: "" when it has none,
// and for a decision that is not valid JSON (it counts without a rule).
func decidingRule(decision json.RawMessage) RuleID {
	var d struct {
		Rule RuleID `json:"rule"`
	}
	if json.Unmarshal(decision, &d) != nil {
		return ""
	}
	return d.Rule
}

// addApplication counts one application: by channel and day, by status and
// deciding rule, by region ("—" when the premises are unknown), and its
// time to a final decision. It never fails (the signature is Reader's).
func (t *statsTally) addApplication(a StatsApplication) error {
	online := a.Channel != ChannelPSC
	t.out.Total++
	if online {
		t.out.Online++
	} else {
		t.out.PSC++
	}
	if d := t.days[DateOf(a.CreatedAt)]; d != nil {
		if online {
			d.Online++
		} else {
			d.PSC++
		}
	}
	t.outcomes[OutcomeCount{Status: a.Status, Rule: decidingRule(a.Decision)}]++
	if a.Status.Final() && !a.UpdatedAt.Before(a.CreatedAt) {
		t.decision = append(t.decision, a.UpdatedAt.Sub(a.CreatedAt))
	}
	region := a.Region
	if region == "" {
		region = "—"
	}
	g := t.regions[region]
	if g == nil {
		g = &RegionStats{Region: region}
		t.regions[region] = g
	}
	g.Total++
	if online {
		g.Online++
	}
	if a.Status == StatusRegistered {
		g.Registered++
	}
	return nil
}

// addConsent counts one confirmed consent's time to the answer (none when
// the answer time is missing or before the request).
func (t *statsTally) addConsent(c StatsConsent) error {
	if !c.AnsweredAt.IsZero() && !c.AnsweredAt.Before(c.CreatedAt) {
		t.consent = append(t.consent, c.AnsweredAt.Sub(c.CreatedAt))
	}
	return nil
}

// result returns the statistics: outcomes by count (then status, rule),
// regions by total (then name), the medians, and the possible violations
// of recs.
func (t *statsTally) result(recs []ViolationRecord) Stats {
	out := t.out
	out.MedianDecision, out.MedianConsent = median(t.decision), median(t.consent)
	for k, n := range t.outcomes {
		k.Count = n
		out.Outcomes = append(out.Outcomes, k)
	}
	sort.Slice(out.Outcomes, func(i, j int) bool {
		a, b := out.Outcomes[i], out.Outcomes[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Status != b.Status {
			return a.Status < b.Status
		}
		return a.Rule < b.Rule
	})
	for _, g := range t.regions {
		out.Regions = append(out.Regions, *g)
	}
	sort.Slice(out.Regions, func(i, j int) bool {
		a, b := out.Regions[i], out.Regions[j]
		if a.Total != b.Total {
			return a.Total > b.Total
		}
		return a.Region < b.Region
	})
	out.Violations = SummariseViolations(recs)
	return out
}

// median returns the middle value (the mean of the two middle values for an
// even count), or zero for none.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	n := len(ds)
	if n%2 == 1 {
		return ds[n/2]
	}
	return (ds[n/2-1] + ds[n/2]) / 2
}
