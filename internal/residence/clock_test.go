package residence

import (
	"testing"
	"time"
)

// TestNextDay: the next midnight in Almaty (UTC+5), strictly after t, from
// either side of midnight UTC and at midnight itself.
func TestNextDay(t *testing.T) {
	utc := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	for _, c := range []struct {
		name   string
		at     time.Time
		want   time.Time
		lastOn time.Time // DateOf(at): the last day that ends at want
	}{
		{"morning in Almaty", utc(2026, 6, 30, 3, 0), utc(2026, 6, 30, 19, 0), ymd(2026, 6, 30)},
		{"a minute before midnight", utc(2026, 6, 30, 18, 59), utc(2026, 6, 30, 19, 0), ymd(2026, 6, 30)},
		{"midnight itself: the next one", utc(2026, 6, 30, 19, 0), utc(2026, 7, 1, 19, 0), ymd(2026, 7, 1)},
		{"after midnight UTC, evening in Almaty", utc(2026, 12, 31, 20, 0), utc(2027, 1, 1, 19, 0), ymd(2027, 1, 1)},
		{"end of February, common year", utc(2027, 2, 28, 12, 0), utc(2027, 2, 28, 19, 0), ymd(2027, 2, 28)},
		{"another zone", time.Date(2026, 6, 30, 23, 0, 0, 0, time.FixedZone("", -5*3600)), utc(2026, 7, 1, 19, 0), ymd(2026, 7, 1)},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := NextDay(c.at)
			if !got.Equal(c.want) || !got.After(c.at) {
				t.Errorf("NextDay(%s) = %s, want %s", c.at, got.UTC(), c.want)
			}
			if d := DateOf(c.at); !d.Equal(c.lastOn) {
				t.Errorf("DateOf = %s, want %s", d, c.lastOn)
			}
			if d := DateOf(got); !d.Equal(c.lastOn.AddDate(0, 0, 1)) {
				t.Errorf("DateOf(NextDay) = %s, want the day after %s", d, c.lastOn)
			}
		})
	}
}
