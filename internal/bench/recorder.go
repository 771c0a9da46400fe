package bench

import (
	"math"
	"slices"
	"time"
)

// recorder holds one worker's measurements; workers never share one.
type recorder struct {
	from     time.Time
	ops      int64
	requests map[string]*requestRec
}

type requestRec struct {
	lat      []time.Duration
	errors   int64
	outcomes map[string]int64
	errCodes map[string]int64
}

func newRecorder(from time.Time) *recorder {
	return &recorder{from: from, requests: map[string]*requestRec{}}
}

func (r *recorder) get(kind string) *requestRec {
	x := r.requests[kind]
	if x == nil {
		x = &requestRec{outcomes: map[string]int64{}, errCodes: map[string]int64{}}
		r.requests[kind] = x
	}
	return x
}

// op counts a completed operation that started at t0.
func (r *recorder) op(t0 time.Time) {
	if !t0.Before(r.from) {
		r.ops++
	}
}

// request records a request that started at t0 and took d; outcome is the
// application status (if any), errCode set when it failed.
func (r *recorder) request(kind string, t0 time.Time, d time.Duration, outcome, errCode string) {
	if t0.Before(r.from) {
		return // warm-up
	}
	x := r.get(kind)
	x.lat = append(x.lat, d)
	if errCode != "" {
		x.errors++
		x.errCodes[errCode]++
		return
	}
	if outcome != "" {
		x.outcomes[outcome]++
	}
}

// fail records a request that could not be made or completed.
func (r *recorder) fail(kind, code string) {
	x := r.get(kind)
	x.errors++
	x.errCodes[code]++
}

func merge(recs []*recorder, secs float64) *Result {
	res := &Result{Seconds: round(secs, 2), Requests: map[string]*RequestStats{}, Errors: map[string]int64{}}
	all := map[string]*requestRec{}
	for _, r := range recs {
		res.Ops += r.ops
		for kind, x := range r.requests {
			m := all[kind]
			if m == nil {
				m = &requestRec{outcomes: map[string]int64{}, errCodes: map[string]int64{}}
				all[kind] = m
			}
			m.lat = append(m.lat, x.lat...)
			m.errors += x.errors
			for k, v := range x.outcomes {
				m.outcomes[k] += v
			}
			for k, v := range x.errCodes {
				m.errCodes[k] += v
			}
		}
	}
	res.OpsPerSecond = round(float64(res.Ops)/secs, 1)
	for kind, m := range all {
		st := &RequestStats{Count: int64(len(m.lat)), Errors: m.errors, Latency: distribution(m.lat)}
		st.PerSecond = round(float64(st.Count)/secs, 1)
		if len(m.outcomes) > 0 {
			st.Outcomes = m.outcomes
		}
		res.Requests[kind] = st
		for k, v := range m.errCodes {
			res.Errors[kind+" "+k] += v
		}
		if kind != "consent_submit" {
			res.Registered += m.outcomes["registered"]
		}
	}
	return res
}

// distribution computes the percentiles (nearest rank) of ds.
func distribution(ds []time.Duration) Latency {
	if len(ds) == 0 {
		return Latency{}
	}
	slices.Sort(ds)
	rank := func(p float64) float64 {
		i := int(math.Ceil(p*float64(len(ds)))) - 1
		return ms(ds[max(0, min(i, len(ds)-1))])
	}
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return Latency{P50: rank(0.50), P90: rank(0.90), P99: rank(0.99), Max: ms(ds[len(ds)-1]),
		Mean: ms(sum / time.Duration(len(ds)))}
}

func ms(d time.Duration) float64 { return round(float64(d)/float64(time.Millisecond), 3) }

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}
