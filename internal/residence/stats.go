package residence

import (
	"context"
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

// StatsReader computes the public statistics of registration applications
// created in [from, to). It is implemented by the stores of internal/store;
// the pages type-assert a Store to it.
type StatsReader interface {
	Stats(ctx context.Context, from, to time.Time) (Stats, error)
}
