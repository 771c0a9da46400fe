package bench

import "testing"

// TestPlanYear checks that a scaled year is split by YearMix, whole
// applications summing to the total, and that the mix is the whole year
// with 70 % online (issue 19).
func TestPlanYear(t *testing.T) {
	var sum, online float64
	for _, s := range YearMix {
		sum += s.Percent
		if s.Op != OpPSC {
			online += s.Percent
		}
	}
	if sum != 100 || online != 70 {
		t.Fatalf("YearMix sums to %v %%, online %v %%; want 100 and 70", sum, online)
	}
	for _, total := range []int64{0, 1, 7, 1100, 1_100_000} {
		plan := planYear(total)
		var n int64
		for _, s := range YearMix {
			n += plan[s.Op]
			want := float64(total) * s.Percent / 100
			if d := float64(plan[s.Op]) - want; d < -1 || d > 1 {
				t.Errorf("planYear(%d)[%s] = %d, want %.1f ± 1", total, s.Op, plan[s.Op], want)
			}
		}
		if n != total {
			t.Errorf("planYear(%d) plans %d applications", total, n)
		}
		if ops := shuffledOps(plan, 1); int64(len(ops)) != total {
			t.Errorf("shuffledOps: %d operations, want %d", len(ops), total)
		}
	}
}
