package residence

import "time"

// Clock tells the time. The domain never calls time.Now directly so that
// deadlines (consent within one hour, the end of a temporary stay) can be
// tested without waiting (residencetest.FakeClock).
type Clock interface {
	Now() time.Time
}

// SystemClock is the Clock of a running service.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }

// Almaty is the time zone in which dates (birthdays, application dates,
// periods of stay) are counted. Kazakhstan has used a single zone, UTC+5,
// since 1 March 2024; a fixed zone keeps the domain free of the tz database.
var Almaty = time.FixedZone("Asia/Almaty", 5*60*60)

// DateOf returns the calendar date of t in Kazakhstan as midnight UTC, the
// form in which all dates are stored and compared.
func DateOf(t time.Time) time.Time {
	y, m, d := t.In(Almaty).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// NextDay returns the instant the calendar day after t's begins in
// Kazakhstan (midnight in Almaty), always after t: the moment a temporary
// registration whose last day is DateOf(t) ends.
func NextDay(t time.Time) time.Time {
	y, m, d := t.In(Almaty).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, Almaty)
}

// AddMonths adds n calendar months to the date d. When the target month has
// no such day, the result is the last day of that month (the Civil Code's rule
// for periods counted in months), unlike time.AddDate, which spills into the
// next month.
func AddMonths(d time.Time, n int) time.Time {
	y, m, day := d.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, d.Location())
	last := first.AddDate(0, 1, -1).Day()
	if day > last {
		day = last
	}
	return time.Date(first.Year(), first.Month(), day, d.Hour(), d.Minute(), d.Second(), d.Nanosecond(), d.Location())
}

// AgeOn returns the age in full years on the date on of a person born on
// birth. A person born on 29 February reaches each new age on 28 February in
// common years, by the same rule as AddMonths.
func AgeOn(birth, on time.Time) int {
	if on.Before(birth) {
		return 0
	}
	years := on.Year() - birth.Year()
	if AddMonths(birth, 12*years).After(on) {
		years--
	}
	return years
}
