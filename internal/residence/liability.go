package residence

import "time"

// Liability for living unregistered, under the Code of the RK on
// Administrative Offences No. 235-V of 05.07.2014. The system computes and
// reports possible violations; it imposes nothing.

// Articles of the Code on Administrative Offences.
const (
	// Article492 punishes living without registration: a citizen staying
	// more than a month who did not register within 10 days of arrival.
	Article492 = "492"
	// Article493 punishes owners (and persons authorised to let housing)
	// who let people live in it unregistered.
	Article493 = "493"
)

// MCIRates maps a year to the monthly calculation index (MCI) of that year,
// in tenge, set each year by the law on the national budget.
type MCIRates map[int]int64

// DefaultMCIRates are the MCI of the years the service knows; configuration
// may add or override years.
var DefaultMCIRates = MCIRates{
	2023: 3450,
	2024: 3692,
	2025: 3932,
	2026: 4325,
}

// FineMCI returns the fine under article in MCI: art. 492 — 7, or 13 when
// repeated within a year; art. 493 — 10, or 20 when repeated within a year.
// It returns 0 for any other article.
func FineMCI(article string, repeated bool) int {
	switch article {
	case Article492:
		if repeated {
			return 13
		}
		return 7
	case Article493:
		if repeated {
			return 20
		}
		return 10
	}
	return 0
}

// Fine returns the fine under article, in tenge, at the MCI of year in rate:
// FineMCI times the MCI. It returns 0 when the article is unknown or rate has
// no MCI for the year, so that an unconfigured year is never guessed.
func Fine(rate MCIRates, year int, article string, repeated bool) int64 {
	mci, ok := rate[year]
	if !ok {
		return 0
	}
	return int64(FineMCI(article, repeated)) * mci
}

// Levels of a violation of the duty to register, as UnregisteredViolation
// reports them.
const (
	ViolationNone    = "none"
	ViolationWarning = "warning"
	ViolationFine    = "fine"
)

// RegistrationGraceDays is how long after arrival a citizen staying more than
// a month has to register.
const RegistrationGraceDays = 10

// UnregisteredViolation returns the liability under art. 492 of a citizen
// who arrived on arrived and is still unregistered at now: "none" within 10
// days of arrival (counted in calendar days in Kazakhstan from the day after
// arrival, so the tenth day after it is the last), "warning" from the 11th
// day up to one month after arrival, and "fine" after that. A stay of up to
// one month (stayOverMonth false) needs no registration and is always
// "none".
func UnregisteredViolation(arrived, now time.Time, stayOverMonth bool) (level string) {
	if !stayOverMonth {
		return ViolationNone
	}
	a, n := DateOf(arrived), DateOf(now)
	if !n.After(a.AddDate(0, 0, RegistrationGraceDays)) {
		return ViolationNone
	}
	if !n.After(AddMonths(a, 1)) {
		return ViolationWarning
	}
	return ViolationFine
}
