package residence

import (
	"testing"
	"time"
)

func TestFine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		rate     MCIRates
		year     int
		article  string
		repeated bool
		want     int64
	}{
		{"art. 492, 2023", DefaultMCIRates, 2023, Article492, false, 7 * 3450},
		{"art. 492, 2024", DefaultMCIRates, 2024, Article492, false, 7 * 3692},
		{"art. 492, 2025", DefaultMCIRates, 2025, Article492, false, 27524},
		{"art. 492 repeated, 2025", DefaultMCIRates, 2025, Article492, true, 13 * 3932},
		{"art. 492, 2026", DefaultMCIRates, 2026, Article492, false, 7 * 4325},
		{"art. 493, 2025", DefaultMCIRates, 2025, Article493, false, 39320},
		{"art. 493 repeated, 2026", DefaultMCIRates, 2026, Article493, true, 20 * 4325},
		{"configured year", MCIRates{2027: 4500}, 2027, Article493, false, 45000},
		{"configuration overrides a year", MCIRates{2025: 4000}, 2025, Article492, false, 28000},
		{"year without an MCI", DefaultMCIRates, 2030, Article492, false, 0},
		{"unknown article", DefaultMCIRates, 2025, "491", false, 0},
		{"nil rates", nil, 2025, Article492, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Fine(tt.rate, tt.year, tt.article, tt.repeated); got != tt.want {
				t.Errorf("Fine(%d, %s, repeated %v) = %d, want %d", tt.year, tt.article, tt.repeated, got, tt.want)
			}
		})
	}
}

func TestFineMCI(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		article  string
		repeated bool
		want     int
	}{
		{Article492, false, 7}, {Article492, true, 13}, {Article493, false, 10}, {Article493, true, 20}, {"", false, 0},
	} {
		if got := FineMCI(tt.article, tt.repeated); got != tt.want {
			t.Errorf("FineMCI(%q, %v) = %d, want %d", tt.article, tt.repeated, got, tt.want)
		}
	}
}

func TestLiabilityUnregisteredViolation(t *testing.T) {
	t.Parallel()
	// Arrived on 1 March 2025 at 09:00 in Kazakhstan.
	arrived := time.Date(2025, 3, 1, 9, 0, 0, 0, Almaty)
	at := func(m time.Month, d, hour int) time.Time { return time.Date(2025, m, d, hour, 0, 0, 0, Almaty) }
	tests := []struct {
		name          string
		arrived, now  time.Time
		stayOverMonth bool
		want          string
	}{
		{"day of arrival", arrived, at(3, 1, 18), true, ViolationNone},
		{"tenth day after arrival", arrived, at(3, 11, 23), true, ViolationNone},
		{"eleventh day after arrival", arrived, at(3, 12, 0), true, ViolationWarning},
		{"one month after arrival", arrived, at(4, 1, 23), true, ViolationWarning},
		{"one month and a day", arrived, at(4, 2, 0), true, ViolationFine},
		{"half a year", arrived, at(9, 1, 12), true, ViolationFine},
		{"stay of up to a month needs no registration", arrived, at(9, 1, 12), false, ViolationNone},
		{"days are counted in Kazakhstan, not UTC", time.Date(2025, 1, 31, 20, 0, 0, 0, time.UTC), time.Date(2025, 2, 11, 18, 0, 0, 0, time.UTC), true, ViolationNone},
		{"month counted to the end of a shorter month", time.Date(2025, 1, 31, 10, 0, 0, 0, Almaty), time.Date(2025, 2, 28, 10, 0, 0, 0, Almaty), true, ViolationWarning},
		{"after the end of a shorter month", time.Date(2025, 1, 31, 10, 0, 0, 0, Almaty), time.Date(2025, 3, 1, 10, 0, 0, 0, Almaty), true, ViolationFine},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := UnregisteredViolation(tt.arrived, tt.now, tt.stayOverMonth); got != tt.want {
				t.Errorf("UnregisteredViolation(%s, %s, %v) = %q, want %q", tt.arrived, tt.now, tt.stayOverMonth, got, tt.want)
			}
		})
	}
}
