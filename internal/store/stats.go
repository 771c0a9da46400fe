package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"time"

	"tirkeu/internal/residence"
)

var (
	_ residence.StatsReader = (*SQLite)(nil)
	_ residence.StatsReader = (*Postgres)(nil)
)

// Stats computes the public statistics of registration applications created
// in [from, to) on the reader pool.
func (s *SQLite) Stats(ctx context.Context, from, to time.Time) (residence.Stats, error) {
	return stats(ctx, reader{q: sqlQ{s.ro}, d: sqliteDialect}, from, to)
}

// Stats computes the public statistics of registration applications created
// in [from, to).
func (s *Postgres) Stats(ctx context.Context, from, to time.Time) (residence.Stats, error) {
	return stats(ctx, reader{q: pgQ{s.pool}, d: postgresDialect}, from, to)
}

// stats reads the period's applications and confirmed consents with two
// plain queries, the same on both engines, and aggregates them here: the
// period of a public page holds thousands of rows, not millions, and
// medians are awkward to write once for both engines in SQL.
func stats(ctx context.Context, r reader, from, to time.Time) (residence.Stats, error) {
	from, to = from.UTC(), to.UTC()
	out := residence.Stats{From: from, To: to}
	if !to.After(from) {
		return out, fmt.Errorf("store: stats: %w", residence.Errorf(residence.EInvalid, "the period must end after it starts"))
	}
	days := map[time.Time]*residence.DayStats{}
	last := residence.DateOf(to.Add(-time.Nanosecond))
	for d := residence.DateOf(from); !d.After(last); d = d.AddDate(0, 0, 1) {
		out.Days = append(out.Days, residence.DayStats{Date: d})
		if len(out.Days) > 3660 {
			return out, fmt.Errorf("store: stats: %w", residence.Errorf(residence.EInvalid, "the period is longer than ten years"))
		}
	}
	for i := range out.Days {
		days[out.Days[i].Date] = &out.Days[i]
	}
	outcomes := map[residence.OutcomeCount]int{}
	regions := map[string]*residence.RegionStats{}
	var decision []time.Duration
	err := queryAll(ctx, r.q, `SELECT a.created_at, a.updated_at, a.channel, a.status, a.decision, COALESCE(p.region, '')
		FROM applications a LEFT JOIN premises p ON p.rka = a.rka
		WHERE a.action = 'register' AND a.created_at >= $1 AND a.created_at < $2`,
		[]any{r.d.ts(from), r.d.ts(to)}, func(rs rows) error {
			var created, updated time.Time
			var channel, status, region string
			var decisionJSON []byte
			if err := rs.Scan(timeCol{&created}, timeCol{&updated}, &channel, &status, jsonCol{&decisionJSON}, &region); err != nil {
				return err
			}
			var dec struct {
				Rule residence.RuleID `json:"rule"`
			}
			_ = json.Unmarshal(decisionJSON, &dec) // a malformed decision counts without a rule
			online := channel != string(residence.ChannelPSC)
			out.Total++
			if online {
				out.Online++
			} else {
				out.PSC++
			}
			if d := days[residence.DateOf(created)]; d != nil {
				if online {
					d.Online++
				} else {
					d.PSC++
				}
			}
			st := residence.ApplicationStatus(status)
			outcomes[residence.OutcomeCount{Status: st, Rule: dec.Rule}]++
			if st.Final() && !updated.Before(created) {
				decision = append(decision, updated.Sub(created))
			}
			if region == "" {
				region = "—"
			}
			g := regions[region]
			if g == nil {
				g = &residence.RegionStats{Region: region}
				regions[region] = g
			}
			g.Total++
			if online {
				g.Online++
			}
			if st == residence.StatusRegistered {
				g.Registered++
			}
			return nil
		})
	if err != nil {
		return out, r.d.translate(err, "stats of applications", "")
	}
	var consent []time.Duration
	err = queryAll(ctx, r.q, `SELECT c.created_at, c.answered_at FROM consent_tasks c
		WHERE c.status = 'confirmed' AND c.created_at >= $1 AND c.created_at < $2`,
		[]any{r.d.ts(from), r.d.ts(to)}, func(rs rows) error {
			var created, answered time.Time
			if err := rs.Scan(timeCol{&created}, timeCol{&answered}); err != nil {
				return err
			}
			if !answered.IsZero() && !answered.Before(created) {
				consent = append(consent, answered.Sub(created))
			}
			return nil
		})
	if err != nil {
		return out, r.d.translate(err, "stats of consents", "")
	}
	out.MedianDecision, out.MedianConsent = median(decision), median(consent)
	for k, n := range outcomes {
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
	for _, g := range regions {
		out.Regions = append(out.Regions, *g)
	}
	sort.Slice(out.Regions, func(i, j int) bool {
		a, b := out.Regions[i], out.Regions[j]
		if a.Total != b.Total {
			return a.Total > b.Total
		}
		return a.Region < b.Region
	})
	// Possible violations of the registrations begun on the period's days.
	recs, err := r.ViolationHistory(ctx, residence.ViolationQuery{From: residence.DateOf(from),
		To: last.AddDate(0, 0, 1), Limit: 1 << 20})
	if err != nil {
		return out, err
	}
	out.Violations = residence.SummariseViolations(recs)
	return out, nil
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
