// Package bench is the load generator behind `tirkeu bench`: it drives a
// running server over HTTP with the work of the real service — EDS-signed
// applications that register at once, applications that wait for an owner's
// EDS consent, and agencies' address lookups — and reports throughput,
// latency percentiles and errors.
//
// Applicants must sign as themselves, so the generator issues in-memory keys
// for them from the demo CA the server trusts (the directory TIRKEU_DATA_DIR/
// demo-ca of a server in demo mode). Who applies where comes from the
// server's database, read-only, or from a file (see LoadCandidates and
// ReadCandidates). Every request and signature is prepared before the clock
// starts, except those that depend on an answer (the consent task's id).
package bench

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"tirkeu/internal/eds"
)

// Scenarios that Run accepts.
const (
	ScenarioSubmit  = "submit"  // an EDS-signed temporary registration of a sole owner at home
	ScenarioConsent = "consent" // a guest applies for a temporary stay, the sole owner confirms by EDS
	ScenarioLookup  = "lookup"  // an agency reads a person's registrations
	ScenarioMixed   = "mixed"   // 80% lookups, 15% submits, 5% consents
)

// Options configure Run.
type Options struct {
	URL         string        // the server, e.g. http://localhost:8080
	Scenario    string        // one of the Scenario constants
	Concurrency int           // parallel clients
	Duration    time.Duration // measured time
	Warmup      time.Duration // time run before measuring, not counted
	Token       string        // agency token (tk_…) for lookups
	CADir       string        // demo CA the server trusts
	Sign        string        // key kind the generated persons sign with: eds.DemoKeyECDSA (default), DemoKeyGOST or DemoKeyRSA
	Candidates  Candidates
	Now         func() time.Time
	// Rate, when positive, paces the clients to start at most Rate
	// operations per second in all (an open-loop offered load, for the
	// latency at a given share of the maximum throughput); zero runs each
	// client flat out.
	Rate float64
}

// Latency is a latency distribution in milliseconds.
type Latency struct {
	P50  float64 `json:"p50_ms"`
	P90  float64 `json:"p90_ms"`
	P99  float64 `json:"p99_ms"`
	Max  float64 `json:"max_ms"`
	Mean float64 `json:"mean_ms"`
}

// RequestStats describe one kind of request.
type RequestStats struct {
	Count     int64            `json:"count"`
	PerSecond float64          `json:"per_s"`
	Errors    int64            `json:"errors"`
	Latency   Latency          `json:"latency"`
	Outcomes  map[string]int64 `json:"outcomes,omitempty"` // application status after the request
}

// Result is what Run measured.
type Result struct {
	Scenario    string  `json:"scenario"`
	URL         string  `json:"url"`
	Concurrency int     `json:"concurrency"`
	Seconds     float64 `json:"seconds"`
	// Ops counts completed scenario operations (a consent operation is a
	// submission and its confirmation); OpsPerSecond is the throughput.
	Ops          int64                    `json:"ops"`
	OpsPerSecond float64                  `json:"ops_per_s"`
	Requests     map[string]*RequestStats `json:"requests"`
	// Errors counts failed requests by "request status code" (code is the
	// problem+json code, or the transport error).
	Errors map[string]int64 `json:"errors"`
	// Registered counts applications that ended registered; with Candidates
	// exhausted, applicants repeat and are rejected (ALREADY_REGISTERED).
	Registered int64 `json:"registered"`
	// Exhausted reports that some candidate list ran out and wrapped round.
	Exhausted bool `json:"candidates_exhausted,omitempty"`
	// OfferedRate is Options.Rate: the offered load, operations per second
	// (zero when the clients ran flat out).
	OfferedRate float64 `json:"offered_per_s,omitempty"`
}

// runner is the state shared by the workers of one Run.
type runner struct {
	opts   Options
	client *http.Client
	keys   map[string]*eds.DemoKey
	today  string
	until  string

	submits  []prepared // requests of the submit scenario, signed
	nextOwn  atomic.Int64
	consents []Pair
	nextCo   atomic.Int64
	persons  []string
	wrapped  atomic.Bool
	serial   atomic.Int64 // makes application bodies unique
}

// prepared is a request body and its signature, made at at; pair is the
// application's, when it is one.
type prepared struct {
	body, sig []byte
	at        time.Time
	pair      Pair
}

// freshFor is how long a prepared signature is sent before it is made
// again: the server refuses a signing time more than TIRKEU_SIGNATURE_SKEW
// (5 minutes by default) from its clock.
const freshFor = 2 * time.Minute

// Run drives the server for opts.Warmup plus opts.Duration and returns what
// it measured during opts.Duration.
func Run(ctx context.Context, opts Options) (*Result, error) {
	if opts.Concurrency <= 0 {
		opts.Concurrency = 1
	}
	if opts.Duration <= 0 {
		opts.Duration = 10 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	r := &runner{opts: opts, keys: map[string]*eds.DemoKey{}}
	now := opts.Now()
	r.today = now.Format(time.DateOnly)
	r.until = now.AddDate(0, 3, 0).Format(time.DateOnly)
	r.client = &http.Client{Timeout: requestTimeout, Transport: &http.Transport{
		MaxIdleConns: 2 * opts.Concurrency, MaxIdleConnsPerHost: 2 * opts.Concurrency,
		DisableCompression: true, IdleConnTimeout: 90 * time.Second}}
	if err := r.prepare(); err != nil {
		return nil, err
	}

	start := time.Now()
	measureFrom := start.Add(opts.Warmup)
	end := measureFrom.Add(opts.Duration)
	pace := &pacer{start: start, rate: opts.Rate}
	recs := make([]*recorder, opts.Concurrency)
	var wg sync.WaitGroup
	for i := range recs {
		recs[i] = newRecorder(measureFrom)
		wg.Add(1)
		go func(rec *recorder, seed uint64) {
			defer wg.Done()
			w := &worker{rec: rec, rng: rand.New(rand.NewPCG(seed, 0x7469726b6575)), conn: r.newConn()}
			defer w.conn.close()
			for ctx.Err() == nil && time.Now().Before(end) {
				if !pace.wait(ctx, end) {
					return
				}
				r.one(ctx, w)
			}
		}(recs[i], uint64(i)+1)
	}
	wg.Wait()
	secs := opts.Duration.Seconds()
	if elapsed := time.Since(measureFrom).Seconds(); elapsed < secs {
		secs = elapsed // interrupted
	}
	res := merge(recs, secs)
	res.Scenario, res.URL, res.Concurrency = opts.Scenario, opts.URL, opts.Concurrency
	res.Exhausted, res.OfferedRate = r.wrapped.Load(), opts.Rate
	return res, ctx.Err()
}

// pacer hands out the start times of an offered load of rate operations
// per second from start: the k-th operation starts at start + k/rate,
// whichever client takes it. A client that falls behind starts at once.
type pacer struct {
	start time.Time
	rate  float64
	next  atomic.Int64
}

// wait blocks until the next operation's start time; it reports false when
// that time is at or after end, or ctx ends first. Without a rate it
// returns at once.
func (p *pacer) wait(ctx context.Context, end time.Time) bool {
	if p.rate <= 0 {
		return true
	}
	k := p.next.Add(1) - 1
	at := p.start.Add(time.Duration(float64(k) / p.rate * float64(time.Second)))
	if !at.Before(end) {
		return false
	}
	d := time.Until(at)
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// prepare checks the candidates for the scenario, issues the signing keys
// and signs the submissions.
func (r *runner) prepare() error {
	c := r.opts.Candidates
	needSubmit := r.opts.Scenario == ScenarioSubmit || r.opts.Scenario == ScenarioMixed
	needConsent := r.opts.Scenario == ScenarioConsent || r.opts.Scenario == ScenarioMixed
	needLookup := r.opts.Scenario == ScenarioLookup || r.opts.Scenario == ScenarioMixed
	switch r.opts.Scenario {
	case ScenarioSubmit, ScenarioConsent, ScenarioLookup, ScenarioMixed:
	default:
		return fmt.Errorf("bench: unknown scenario %q (want submit, consent, lookup or mixed)", r.opts.Scenario)
	}
	mixed := r.opts.Scenario == ScenarioMixed
	if needSubmit && len(c.Owners) == 0 {
		if !mixed {
			return errors.New("bench: no sole owners to apply (all registered already, or no -database / -persons)")
		}
		needSubmit = false // mixed: their share goes to lookups
	}
	if needConsent && len(c.CoOwners) == 0 {
		if !mixed {
			return errors.New("bench: no sole-owned flats and guests for the consent scenario")
		}
		needConsent = false
	}
	if needLookup {
		if len(c.Persons) == 0 {
			return errors.New("bench: no persons to look up")
		}
		if r.opts.Token == "" {
			return errors.New("bench: lookups need an agency token (-token, from `tirkeu token create --role agency`)")
		}
		r.persons = c.Persons
	}
	if !needSubmit && !needConsent {
		return nil
	}
	issuer, err := eds.OpenDemoIssuer(r.opts.CADir)
	if err != nil {
		return fmt.Errorf("bench: demo CA %s (the server's TIRKEU_DATA_DIR/demo-ca): %w", r.opts.CADir, err)
	}
	var iins []string
	if needSubmit {
		for _, p := range c.Owners {
			iins = append(iins, p.Applicant)
		}
	}
	if needConsent {
		r.consents = c.CoOwners
		for _, p := range c.CoOwners {
			iins = append(iins, p.Applicant, p.Owner)
		}
	}
	slices.Sort(iins)
	iins = slices.Compact(iins)
	now := r.opts.Now()
	keys := make([]*eds.DemoKey, len(iins))
	if err := parallel(len(iins), func(i int) error {
		var err error
		keys[i], err = issuer.IssueKind(eds.DemoSubject{IIN: iins[i]}, now, r.opts.Sign)
		return err
	}); err != nil {
		return fmt.Errorf("bench: issue keys: %w", err)
	}
	for i, iin := range iins {
		r.keys[iin] = keys[i]
	}
	if needSubmit {
		r.submits = make([]prepared, len(c.Owners))
		if err := parallel(len(c.Owners), func(i int) error {
			var err error
			r.submits[i], err = r.application(c.Owners[i])
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

// application is a signed temporary registration of p.Applicant at p.RKA
// for three months from today.
func (r *runner) application(p Pair) (prepared, error) {
	// Each body is unique (its reason): the server takes two signings of
	// one body in one second (signing times have whole seconds) for one
	// signature used twice.
	reason := "bench " + strconv.FormatInt(r.opts.Now().UnixNano(), 36) + "-" + strconv.FormatInt(r.serial.Add(1), 36)
	body, _ := json.Marshal(map[string]string{"kind": "temporary", "applicant_iin": p.Applicant, "rka": p.RKA,
		"reason": reason, "stay_from": r.today, "stay_until": r.until, "channel": "mobile"})
	out, err := r.sign(p.Applicant, body)
	out.pair = p
	return out, err
}

func (r *runner) sign(iin string, body []byte) (prepared, error) {
	k := r.keys[iin]
	if k == nil {
		return prepared{}, fmt.Errorf("bench: no key for %s", iin)
	}
	cms, err := k.Sign(body, r.opts.Now())
	if err != nil {
		return prepared{}, err
	}
	sig := make([]byte, base64.StdEncoding.EncodedLen(len(cms)))
	base64.StdEncoding.Encode(sig, cms)
	return prepared{body: body, sig: sig, at: r.opts.Now()}, nil
}

// parallel runs fn(0..n-1) on a few goroutines and returns the first error.
func parallel(n int, fn func(i int) error) error {
	var next atomic.Int64
	var once sync.Once
	var first error
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := fn(i); err != nil {
					once.Do(func() { first = err })
					return
				}
			}
		}()
	}
	wg.Wait()
	return first
}

// worker is one simulated client: its recorder, random numbers and
// connection.
type worker struct {
	rec  *recorder
	rng  *rand.Rand
	conn *conn
}

// one runs one operation of the scenario.
func (r *runner) one(ctx context.Context, w *worker) {
	s := r.opts.Scenario
	if s == ScenarioMixed {
		switch x := w.rng.IntN(100); {
		case x < 80:
			s = ScenarioLookup
		case x < 95:
			s = ScenarioSubmit
		default:
			s = ScenarioConsent
		}
		if (s == ScenarioSubmit && len(r.submits) == 0) || (s == ScenarioConsent && len(r.consents) == 0) {
			s = ScenarioLookup
		}
	}
	t0 := time.Now()
	var ok bool
	switch s {
	case ScenarioLookup:
		ok = r.lookup(ctx, w)
	case ScenarioSubmit:
		ok = r.submit(ctx, w)
	case ScenarioConsent:
		ok = r.consent(ctx, w)
	}
	if ok {
		w.rec.op(t0)
	}
}

func (r *runner) lookup(ctx context.Context, w *worker) bool {
	iin := r.persons[w.rng.IntN(len(r.persons))]
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.opts.URL+"/api/v1/persons/"+iin+"/registrations", nil)
	if err != nil {
		return false
	}
	req.Header.Set("Authorization", "Bearer "+r.opts.Token)
	_, ok := r.do(w, req, "lookup", false)
	return ok
}

func (r *runner) submit(ctx context.Context, w *worker) bool {
	i := r.nextOwn.Add(1) - 1
	if int(i) >= len(r.submits) {
		r.wrapped.Store(true)
	}
	p := r.submits[int(i)%len(r.submits)]
	if int(i) >= len(r.submits) || r.opts.Now().Sub(p.at) > freshFor {
		// The server accepts each signature once (a second use is 409
		// signature_reused) and only with a recent signing time: a body
		// sent again, or signed long ago, is signed anew.
		var err error
		if p, err = r.application(p.pair); err != nil {
			w.rec.fail("submit", "sign")
			return false
		}
	}
	_, ok := r.post(ctx, w, "/api/v1/applications", p, "submit")
	return ok
}

func (r *runner) consent(ctx context.Context, w *worker) bool {
	i := r.nextCo.Add(1) - 1
	if int(i) >= len(r.consents) {
		r.wrapped.Store(true)
	}
	pair := r.consents[int(i)%len(r.consents)]
	p, err := r.application(pair)
	if err != nil {
		w.rec.fail("submit", "sign")
		return false
	}
	app, ok := r.post(ctx, w, "/api/v1/applications", p, "consent_submit")
	if !ok || app.Status != "awaiting_consent" {
		return false
	}
	// The answer masks the owners' IINs; the flat has one owner, so its one
	// pending task is theirs.
	for _, t := range app.ConsentTasks {
		if t.Status != "pending" {
			continue
		}
		// The signed answer names the task and the answer (the server
		// refuses a signature posted to the other verb).
		body, _ := json.Marshal(map[string]string{"consent_id": t.ID, "answer": "confirm"})
		c, err := r.sign(pair.Owner, body)
		if err != nil {
			w.rec.fail("confirm", "sign")
			return false
		}
		_, ok = r.post(ctx, w, "/api/v1/consents/"+t.ID+"/confirm", c, "confirm")
		return ok
	}
	return false
}

// application is the part of an application's JSON the scenarios read.
type application struct {
	Status       string `json:"status"`
	Code         string `json:"code"`
	ConsentTasks []struct {
		ID       string `json:"id"`
		OwnerIIN string `json:"owner_iin"`
		Status   string `json:"status"`
	} `json:"consent_tasks"`
}

func (r *runner) post(ctx context.Context, w *worker, path string, p prepared, kind string) (application, bool) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.opts.URL+path, bytes.NewReader(p.body))
	if err != nil {
		return application{}, false
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Signature", string(p.sig))
	return r.do(w, req, kind, true)
}

// do sends req and records its latency and outcome under kind.
func (r *runner) do(w *worker, req *http.Request, kind string, decode bool) (application, bool) {
	rec := w.rec
	t0 := time.Now()
	resp, err := w.conn.roundTrip(req)
	if err != nil {
		if req.Context().Err() == nil {
			rec.fail(kind, "transport")
		}
		return application{}, false
	}
	defer resp.Body.Close()
	var app application
	if decode || resp.StatusCode >= 300 {
		b, err := io.ReadAll(resp.Body)
		if err == nil {
			_ = json.Unmarshal(b, &app)
		}
	} else {
		_, _ = io.Copy(io.Discard, resp.Body)
	}
	d := time.Since(t0)
	if resp.StatusCode >= 300 {
		rec.request(kind, t0, d, "", strconv.Itoa(resp.StatusCode)+" "+app.Code)
		return app, false
	}
	rec.request(kind, t0, d, app.Status, "")
	return app, true
}
