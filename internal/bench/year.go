package bench

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"tirkeu/internal/eds"
	"tirkeu/internal/residence"
)

// ScenarioYear replays a year of Kazakhstan's residence registrations
// (RunYear): YearRegistrations applications, times the scale, in the
// shares of YearMix.
const ScenarioYear = "year"

// YearRegistrations is how many residence registrations Kazakhstan makes
// in a year (issue 19: about 1.1 million, 750 000 of them online by
// mid-November 2025, over 70 %).
const YearRegistrations = 1_100_000

// The operations of a year.
const (
	OpSelfOTP        = "self_otp"           // online, signed by a one-time password: the owner at home
	OpSelfEDS        = "self_eds"           // online, signed by EDS: the owner at home
	OpRepresentative = "representative_eds" // a parent applies for a child at the parent's flat, EDS
	OpConsentSMS     = "consent_sms"        // a guest applies (EDS), the owners answer by SMS reply
	OpConsentEDS     = "consent_eds"        // a guest applies (EDS), the owners confirm by EDS
	OpRejected       = "rejected_eds"       // an application the rules reject, EDS
	OpPSC            = "psc"                // in person at a public service centre, documents checked
)

// YearShare is one operation's share of a year's applications, and what the
// share rests on.
type YearShare struct {
	Op      string  `json:"op"`
	Percent float64 `json:"percent"`
	Basis   string  `json:"basis"`
}

// YearMix is the year's mix. Online is 70 % (issue 19: 750 000 of about
// 1.1 million online by mid-November 2025, over 70 %); the split of the
// online part and the permanent share are assumptions, stated as such in
// docs/PERFORMANCE.md — no public breakdown was found.
var YearMix = []YearShare{
	{OpSelfOTP, 30, "online (70 %, issue 19); OTP vs EDS split 45/25 of the online part: assumption"},
	{OpSelfEDS, 12, "online, EDS: assumption"},
	{OpRepresentative, 5, "online, a parent for a child: assumption"},
	{OpConsentSMS, 10, "online, co-owned or another's flat, owners reply by SMS: assumption"},
	{OpConsentEDS, 8, "online, owners confirm by EDS: assumption"},
	{OpRejected, 5, "online, refused by the rules: assumption"},
	{OpPSC, 30, "in person at a service centre (the rest of the 100 % after 70 % online, issue 19)"},
}

// YearPermanentPercent is the share of permanent registrations among the
// owners' own applications (an assumption; the rest are temporary).
const YearPermanentPercent = 40

// YearOptions configure RunYear.
type YearOptions struct {
	URL           string
	Concurrency   int
	Scale         float64 // 1 = YearRegistrations applications
	OperatorToken string  // a service-centre operator's token (tirkeu token create --role operator)
	CADir         string  // the demo CA the server trusts
	Database      string  // the server's database: candidates are read from it and checked by the Service
	MaxDuration   time.Duration
	Seed          uint64
	Logger        *slog.Logger
	// Started, when set, is called once the preparation is over and the
	// year's clock starts (bench/run.sh samples the server's CPU then).
	Started func()
}

// YearResult is what RunYear measured: Seconds is the time the (scaled)
// year took.
type YearResult struct {
	Result
	Scale      float64          `json:"scale"`
	Planned    map[string]int64 `json:"planned"`
	Mix        []YearShare      `json:"mix"`
	Candidates map[string]int   `json:"candidates"` // checked candidates per pool
	Wrapped    []string         `json:"wrapped,omitempty"`
	// FullYearMinutes is how long YearRegistrations would take at the
	// measured rate.
	FullYearMinutes float64 `json:"full_year_minutes_at_this_rate"`
	PrepareSeconds  float64 `json:"prepare_seconds"`
	// ClientCPUSeconds is the CPU time (user and system) the load generator
	// itself spent while the year ran, preparation excluded: its share of
	// the machine (signing, HTTP, JSON), zero where the system does not say.
	ClientCPUSeconds float64 `json:"client_cpu_seconds"`
}

// owner is a person who owns premises, with the MCD phone (SMS).
type owner struct{ iin, phone string }

// selfCand is an owner applying at their own flat, with the kind the
// Service decided it for.
type selfCand struct {
	owner
	rka  string
	kind residence.Kind
}

// consentCand is a guest at someone else's flat and its owners.
type consentCand struct {
	guest  string
	rka    string
	owners []owner
}

// repCand is a parent applying for a child at the parent's flat.
type repCand struct{ parent, child, rka string }

// pools are the year's candidates, each checked by the Service's own rules
// (residence.Service.Check) before the clock starts: the bench carries no
// copy of the eligibility rules (issue 16).
type pools struct {
	self, selfPhone, rejected []selfCand
	consent, consentPhones    []consentCand
	reps                      []repCand
}

// RunYear plans the scaled year, finds and checks the candidates, and runs
// the operations with opts.Concurrency clients until all are done (or
// MaxDuration passes).
func RunYear(ctx context.Context, opts YearOptions) (*YearResult, error) {
	if opts.Scale <= 0 {
		opts.Scale = 1
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 8
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	prep := time.Now()
	total := int64(math.Round(YearRegistrations * opts.Scale))
	planned := planYear(total)
	ops := shuffledOps(planned, opts.Seed)
	p, err := findCandidates(ctx, opts, planned)
	if err != nil {
		return nil, err
	}
	r := &runner{opts: Options{URL: opts.URL, Concurrency: opts.Concurrency, CADir: opts.CADir, Sign: eds.DemoKeyECDSA,
		Now: time.Now}, keys: map[string]*eds.DemoKey{}}
	now := time.Now()
	r.today = now.Format(time.DateOnly)
	r.until = now.AddDate(0, 3, 0).Format(time.DateOnly)
	y := &yearRun{runner: r, opts: opts, pools: p, next: map[string]*atomic.Int64{}, wrapped: map[string]bool{}}
	for _, name := range []string{"self", "selfPhone", "rejected", "consent", "consentPhones", "reps"} {
		y.next[name] = &atomic.Int64{}
	}
	if err := y.issueKeys(planned); err != nil {
		return nil, err
	}
	if opts.OperatorToken == "" && planned[OpPSC] > 0 {
		return nil, errors.New("bench: the year has service-centre applications: give an operator token (-operator-token, from `tirkeu token create --role operator`)")
	}
	prepSecs := time.Since(prep).Seconds()
	if opts.Started != nil {
		opts.Started()
	}
	cpu0 := processCPU()
	start := time.Now()
	deadline := time.Time{}
	if opts.MaxDuration > 0 {
		deadline = start.Add(opts.MaxDuration)
	}
	var nextOp atomic.Int64
	recs := make([]*recorder, opts.Concurrency)
	var wg sync.WaitGroup
	for i := range recs {
		recs[i] = newRecorder(start)
		wg.Add(1)
		go func(rec *recorder) {
			defer wg.Done()
			w := &worker{rec: rec, conn: r.newConn()}
			defer w.conn.close()
			for ctx.Err() == nil && (deadline.IsZero() || time.Now().Before(deadline)) {
				i := nextOp.Add(1) - 1
				if i >= int64(len(ops)) {
					return
				}
				y.one(ctx, w, ops[i])
			}
		}(recs[i])
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	cpu := processCPU() - cpu0
	res := merge(recs, secs)
	res.Scenario, res.URL, res.Concurrency = ScenarioYear, opts.URL, opts.Concurrency
	// Registered: the applications that ended registered, counted once
	// (by their operation, not by each request of it).
	res.Registered = 0
	for kind, st := range res.Requests {
		if strings.HasPrefix(kind, "op ") {
			res.Registered += st.Outcomes[string(residence.StatusRegistered)]
		}
	}
	out := &YearResult{Result: *res, Scale: opts.Scale, Planned: planned, Mix: YearMix, PrepareSeconds: round(prepSecs, 2),
		ClientCPUSeconds: round(cpu.Seconds(), 2),
		Candidates: map[string]int{"self": len(p.self), "self_with_phone": len(p.selfPhone), "rejected": len(p.rejected),
			"consent": len(p.consent), "consent_owners_with_phones": len(p.consentPhones), "representative": len(p.reps)}}
	for name, w := range y.wrapped {
		if w {
			out.Wrapped = append(out.Wrapped, name)
		}
	}
	slices.Sort(out.Wrapped)
	out.Exhausted = len(out.Wrapped) > 0
	if res.OpsPerSecond > 0 {
		out.FullYearMinutes = round(YearRegistrations/res.OpsPerSecond/60, 1)
	}
	return out, ctx.Err()
}

// planYear splits total applications by YearMix (largest remainders).
func planYear(total int64) map[string]int64 {
	out := map[string]int64{}
	type rem struct {
		op string
		r  float64
	}
	var rems []rem
	var sum int64
	for _, s := range YearMix {
		x := float64(total) * s.Percent / 100
		n := int64(math.Floor(x))
		out[s.Op] = n
		sum += n
		rems = append(rems, rem{s.Op, x - float64(n)})
	}
	slices.SortStableFunc(rems, func(a, b rem) int {
		switch {
		case a.r > b.r:
			return -1
		case a.r < b.r:
			return 1
		}
		return 0
	})
	for i := 0; sum < total; i++ {
		out[rems[i%len(rems)].op]++
		sum++
	}
	return out
}

// shuffledOps lists the planned operations in a seeded random order, so
// that the kinds interleave as in a real day.
func shuffledOps(planned map[string]int64, seed uint64) []string {
	var ops []string
	for _, s := range YearMix {
		for range planned[s.Op] {
			ops = append(ops, s.Op)
		}
	}
	rng := rand.New(rand.NewPCG(seed, 0x79656172))
	rng.Shuffle(len(ops), func(i, j int) { ops[i], ops[j] = ops[j], ops[i] })
	return ops
}

// findCandidates reads who owns what, who is whose parent and some other
// persons from the server's database (structure only: no rule is applied
// here), then asks the Service's eligibility check (Check, the rules that
// decide a submission) which applications would be registered at once,
// which wait for the owners' consent and which are rejected.
func findCandidates(ctx context.Context, opts YearOptions, planned map[string]int64) (pools, error) {
	var p pools
	db, err := openDB(opts.Database)
	if err != nil {
		return p, err
	}
	defer db.Close()
	chk, err := OpenChecker(ctx, opts.Database, opts.Logger)
	if err != nil {
		return p, err
	}
	defer chk.Close()

	needSelf := int(planned[OpSelfOTP] + planned[OpSelfEDS] + planned[OpPSC])
	needRejected := int(planned[OpRejected])
	needConsent := int(planned[OpConsentSMS] + planned[OpConsentEDS])
	want := func(n int) int { return max(2*n+50, 200) }

	// Owners at their own premises.
	var flats []selfCand
	// Owners who do not live at the premises come first: most owners of
	// the registry live where they own, and the Service would refuse them
	// as registered already. The order is only a search hint; the
	// Service's check below decides.
	if err := scanRows(ctx, db, `
		SELECT o.owner_iin, o.rka, COALESCE(p.phone, '') FROM ownerships o JOIN persons p ON p.iin = o.owner_iin
		WHERE o.owner_iin IS NOT NULL
		ORDER BY EXISTS (SELECT 1 FROM registrations g WHERE g.iin = o.owner_iin AND g.rka = o.rka AND g.status = 'active'),
		         md5(o.rka || o.owner_iin)
		LIMIT $1`, []any{want(needSelf + needRejected)},
		func(rs *sql.Rows) error {
			var c selfCand
			err := rs.Scan(&c.iin, &c.rka, &c.phone)
			flats = append(flats, c)
			return err
		}); err != nil {
		return p, fmt.Errorf("bench: owners: %w", err)
	}
	kinds := make([]residence.Kind, len(flats))
	for i := range flats {
		kinds[i] = residence.Temporary
		if i%100 < YearPermanentPercent {
			kinds[i] = residence.Permanent
		}
	}
	chk.Each(ctx, len(flats), func(i int) Application {
		return Application{Applicant: flats[i].iin, Subject: flats[i].iin, RKA: flats[i].rka, Kind: kinds[i]}
	}, func(i int, d residence.Decision) bool {
		c := flats[i]
		c.kind = kinds[i]
		switch d.Status {
		case residence.StatusRegistered:
			// The pools are disjoint, so that no one applies twice: those
			// with a phone sign by OTP until that share is met.
			if c.phone != "" && len(p.selfPhone) < int(planned[OpSelfOTP]) {
				p.selfPhone = append(p.selfPhone, c)
			} else {
				p.self = append(p.self, c)
			}
		case residence.StatusRejected:
			p.rejected = append(p.rejected, c)
		}
		return true
	})

	// Guests at other people's flats: persons who, by the Service's check,
	// may apply but must wait for the owners.
	var guests []string
	if err := scanRows(ctx, db, `SELECT iin FROM persons ORDER BY md5(iin) LIMIT $1`, []any{want(needConsent)},
		func(rs *sql.Rows) error {
			var s string
			err := rs.Scan(&s)
			guests = append(guests, s)
			return err
		}); err != nil {
		return p, fmt.Errorf("bench: guests: %w", err)
	}
	owners := map[string][]owner{}
	var rkas []string
	if err := scanRows(ctx, db, `
		SELECT o.rka, o.owner_iin, COALESCE(p.phone, '') FROM ownerships o JOIN persons p ON p.iin = o.owner_iin
		WHERE o.rka IN (SELECT rka FROM ownerships ORDER BY md5(rka || 'guest') LIMIT $1)
		ORDER BY o.rka, o.owner_iin`, []any{want(needConsent)},
		func(rs *sql.Rows) error {
			var rka string
			var o owner
			if err := rs.Scan(&rka, &o.iin, &o.phone); err != nil {
				return err
			}
			if owners[rka] == nil {
				rkas = append(rkas, rka)
			}
			owners[rka] = append(owners[rka], o)
			return nil
		}); err != nil {
		return p, fmt.Errorf("bench: flats: %w", err)
	}
	chk.Each(ctx, min(len(guests), len(rkas)), func(i int) Application {
		return Application{Applicant: guests[i], Subject: guests[i], RKA: rkas[i], Kind: residence.Temporary}
	}, func(i int, d residence.Decision) bool {
		c := consentCand{guest: guests[i], rka: rkas[i], owners: owners[rkas[i]]}
		// Only the persons' consents can be answered here: an
		// organisation's petition (consentOp knows no signer for it) leaves
		// the candidate out.
		asked := d.Status == residence.StatusAwaitingConsent
		for _, r := range d.Consents {
			asked = asked && slices.ContainsFunc(c.owners, func(o owner) bool { return r.OwnerIIN != "" && o.iin == r.OwnerIIN })
		}
		if !asked {
			return true
		}
		phones := true
		for _, o := range c.owners {
			phones = phones && o.phone != ""
		}
		// Disjoint pools: owners with phones reply by SMS until that share
		// is met, the others confirm by EDS.
		if phones && len(p.consentPhones) < int(planned[OpConsentSMS]) {
			p.consentPhones = append(p.consentPhones, c)
		} else {
			p.consent = append(p.consent, c)
		}
		return true
	})

	// Parents and their children, at a flat the parent owns. What the
	// server decides (registered, awaiting the child's or the owners'
	// consent, rejected) is the outcome: Check would record a read of the
	// child's data, so these are not checked in advance.
	if err := scanRows(ctx, db, `
		SELECT r.from_iin, r.to_iin, o.rka FROM relations r JOIN ownerships o ON o.owner_iin = r.from_iin
		WHERE r.kind = 'parent'
		ORDER BY EXISTS (SELECT 1 FROM registrations g WHERE g.iin = r.to_iin AND g.rka = o.rka AND g.status = 'active'),
		         md5(r.to_iin)
		LIMIT $1`, []any{want(int(planned[OpRepresentative]))},
		func(rs *sql.Rows) error {
			var c repCand
			err := rs.Scan(&c.parent, &c.child, &c.rka)
			p.reps = append(p.reps, c)
			return err
		}); err != nil {
		return p, fmt.Errorf("bench: parents: %w", err)
	}
	// A stable order whatever the parallel checks did.
	bySelf := func(a, b selfCand) int { return strings.Compare(a.rka+a.iin, b.rka+b.iin) }
	slices.SortFunc(p.self, bySelf)
	slices.SortFunc(p.selfPhone, bySelf)
	slices.SortFunc(p.rejected, bySelf)
	byRKA := func(a, b consentCand) int { return strings.Compare(a.rka, b.rka) }
	slices.SortFunc(p.consent, byRKA)
	slices.SortFunc(p.consentPhones, byRKA)
	return p, nil
}

func scanRows(ctx context.Context, db *sql.DB, q string, args []any, scan func(*sql.Rows) error) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// yearRun is the state of one RunYear.
type yearRun struct {
	*runner
	opts  YearOptions
	pools pools
	next  map[string]*atomic.Int64
	// issuer issues the signers' keys; mu guards runner.keys, which
	// workers may add to.
	issuer *eds.DemoIssuer
	mu     sync.Mutex
	// wrapped names the pools that ran out (candidates repeat, and the
	// repeats are decided again: mostly already registered).
	wrapped map[string]bool
}

// take returns the index of the next candidate of the pool of size n.
func (y *yearRun) take(pool string, n int) int {
	i := int(y.next[pool].Add(1) - 1)
	if i >= n {
		y.mu.Lock()
		y.wrapped[pool] = true
		y.mu.Unlock()
	}
	return i % n
}

// issueKeys issues the keys of everyone who will sign by EDS, before the
// clock starts.
func (y *yearRun) issueKeys(planned map[string]int64) error {
	p := y.pools
	var iins []string
	firstN := func(n int64, size int, add func(i int)) {
		for i := 0; i < int(min(n, int64(size))); i++ {
			add(i)
		}
	}
	firstN(planned[OpSelfEDS]+planned[OpPSC], len(p.self), func(i int) { iins = append(iins, p.self[i].iin) })
	firstN(planned[OpRejected], len(p.rejected), func(i int) { iins = append(iins, p.rejected[i].iin) })
	firstN(planned[OpRepresentative], len(p.reps), func(i int) { iins = append(iins, p.reps[i].parent) })
	for _, c := range []struct {
		n    int64
		pool []consentCand
	}{{planned[OpConsentEDS], p.consent}, {planned[OpConsentSMS], p.consentPhones}} {
		firstN(c.n, len(c.pool), func(i int) {
			iins = append(iins, c.pool[i].guest)
			for _, o := range c.pool[i].owners {
				iins = append(iins, o.iin)
			}
		})
	}
	slices.Sort(iins)
	iins = slices.Compact(iins)
	issuer, err := eds.OpenDemoIssuer(y.opts.CADir)
	if err != nil {
		return fmt.Errorf("bench: demo CA %s (the server's TIRKEU_DATA_DIR/demo-ca): %w", y.opts.CADir, err)
	}
	y.issuer = issuer
	keys := make([]*eds.DemoKey, len(iins))
	if err := parallel(len(iins), func(i int) error {
		var err error
		keys[i], err = issuer.IssueKind(eds.DemoSubject{IIN: iins[i]}, time.Now(), eds.DemoKeyECDSA)
		return err
	}); err != nil {
		return fmt.Errorf("bench: issue keys: %w", err)
	}
	for i, iin := range iins {
		y.keys[iin] = keys[i]
	}
	return nil
}

// key returns the signer's key, issuing one when a pool wrapped round to a
// signer without one.
func (y *yearRun) key(iin string) (*eds.DemoKey, error) {
	y.mu.Lock()
	defer y.mu.Unlock()
	if k := y.keys[iin]; k != nil {
		return k, nil
	}
	k, err := y.issuer.IssueKind(eds.DemoSubject{IIN: iin}, time.Now(), eds.DemoKeyECDSA)
	if err == nil {
		y.keys[iin] = k
	}
	return k, err
}

// one runs one operation and records its whole latency as "op NAME".
func (y *yearRun) one(ctx context.Context, w *worker, op string) {
	t0 := time.Now()
	status, err := y.run(ctx, w, op)
	d := time.Since(t0)
	if err != nil {
		w.rec.request("op "+op, t0, d, "", err.Error())
		return
	}
	w.rec.request("op "+op, t0, d, status, "")
	w.rec.op(t0)
}

var errFailed = errors.New("failed")

func (y *yearRun) run(ctx context.Context, w *worker, op string) (string, error) {
	p := y.pools
	switch op {
	case OpSelfEDS, OpRejected:
		pool, name := p.self, "self"
		if op == OpRejected {
			pool, name = p.rejected, "rejected"
		}
		if len(pool) == 0 {
			return "", errors.New("no candidates")
		}
		c := pool[y.take(name, len(pool))]
		return y.submit(ctx, w, "submit_"+strings.TrimSuffix(op, "_eds"), c.iin, c.iin, c.rka, c.kind, signEDS)
	case OpSelfOTP:
		if len(p.selfPhone) == 0 {
			return "", errors.New("no candidates")
		}
		c := p.selfPhone[y.take("selfPhone", len(p.selfPhone))]
		otp, err := y.otp(ctx, w, c.iin, c.phone)
		if err != nil {
			return "", err
		}
		return y.submit(ctx, w, "submit_otp", c.iin, c.iin, c.rka, c.kind, otp)
	case OpPSC:
		if len(p.self) == 0 {
			return "", errors.New("no candidates")
		}
		c := p.self[y.take("self", len(p.self))]
		return y.submit(ctx, w, "submit_psc", c.iin, c.iin, c.rka, c.kind, signOperator)
	case OpRepresentative:
		if len(p.reps) == 0 {
			return "", errors.New("no candidates")
		}
		c := p.reps[y.take("reps", len(p.reps))]
		return y.submit(ctx, w, "submit_representative", c.parent, c.child, c.rka, residence.Permanent, signEDS)
	case OpConsentEDS, OpConsentSMS:
		pool, name := p.consent, "consent"
		if op == OpConsentSMS {
			pool, name = p.consentPhones, "consentPhones"
		}
		if len(pool) == 0 {
			return "", errors.New("no candidates")
		}
		c := pool[y.take(name, len(pool))]
		return y.consentOp(ctx, w, op, c)
	}
	return "", fmt.Errorf("unknown operation %s", op)
}

const (
	signEDS      = "\x00eds"
	signOperator = "\x00operator"
)

// submit posts an application of applicant for subject at rka, signed by
// EDS (signEDS), by an operator at a service centre (signOperator) or with
// the one-time password given. It returns the application's status.
func (y *yearRun) submit(ctx context.Context, w *worker, kind, applicant, subject, rka string, k residence.Kind, how string) (string, error) {
	app, err := y.apply(ctx, w, kind, applicant, subject, rka, k, how)
	return app.Status, err
}

func (y *yearRun) apply(ctx context.Context, w *worker, kind, applicant, subject, rka string, k residence.Kind, how string) (application, error) {
	body := map[string]any{"kind": string(k), "applicant_iin": applicant, "rka": rka,
		"reason": "year " + strconv.FormatInt(time.Now().UnixNano(), 36) + "-" + strconv.FormatInt(y.serial.Add(1), 36), "channel": "mobile"}
	if subject != applicant {
		body["subject_iin"] = subject
	}
	if k == residence.Temporary {
		body["stay_from"], body["stay_until"] = y.today, y.until
	}
	switch how {
	case signEDS, signOperator:
	default:
		body["otp"] = how
	}
	if how == signOperator {
		body["documents_checked"] = true
	}
	b, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, y.opts.URL+"/api/v1/applications", bytes.NewReader(b))
	if err != nil {
		return application{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	switch how {
	case signEDS:
		sig, err := y.signAs(applicant, b)
		if err != nil {
			w.rec.fail(kind, "sign")
			return application{}, err
		}
		req.Header.Set("Signature", string(sig))
	case signOperator:
		req.Header.Set("Authorization", "Bearer "+y.opts.OperatorToken)
	}
	app, ok := y.do(w, req, kind, true)
	if !ok {
		return app, errFailed
	}
	return app, nil
}

func (y *yearRun) signAs(iin string, body []byte) ([]byte, error) {
	k, err := y.key(iin)
	if err != nil {
		return nil, err
	}
	cms, err := k.Sign(body, time.Now())
	if err != nil {
		return nil, err
	}
	sig := make([]byte, base64.StdEncoding.EncodedLen(len(cms)))
	base64.StdEncoding.Encode(sig, cms)
	return sig, nil
}

// otp asks for a signing one-time password and reads it from the demo SMS
// outbox (GET /dev/sms/last-code: the server must run in demo mode).
func (y *yearRun) otp(ctx context.Context, w *worker, iin, phone string) (string, error) {
	b, _ := json.Marshal(map[string]string{"iin": iin, "purpose": string(residence.OTPSign)})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, y.opts.URL+"/api/v1/otp", bytes.NewReader(b))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	if _, ok := y.do(w, req, "otp_request", false); !ok {
		return "", errFailed
	}
	return y.lastCode(ctx, w, phone)
}

// lastCode reads the newest code sent to phone from the demo outbox.
func (y *yearRun) lastCode(ctx context.Context, w *worker, phone string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, y.opts.URL+"/dev/sms/last-code?to="+phone, nil)
	if err != nil {
		return "", err
	}
	t0 := time.Now()
	resp, err := w.conn.roundTrip(req)
	if err != nil {
		w.rec.fail("dev_code", "transport")
		return "", err
	}
	defer resp.Body.Close()
	text, err := io.ReadAll(resp.Body)
	w.rec.request("dev_code", t0, time.Since(t0), "", map[bool]string{true: strconv.Itoa(resp.StatusCode), false: ""}[resp.StatusCode != http.StatusOK])
	if err != nil || resp.StatusCode != http.StatusOK {
		return "", errFailed
	}
	return strings.TrimSpace(string(text)), nil
}

// consentOp: the guest applies, then every owner answers their task, by
// EDS or by SMS reply.
func (y *yearRun) consentOp(ctx context.Context, w *worker, op string, c consentCand) (string, error) {
	app, err := y.apply(ctx, w, "consent_submit", c.guest, c.guest, c.rka, residence.Temporary, signEDS)
	if err != nil {
		return "", err
	}
	if app.Status != string(residence.StatusAwaitingConsent) {
		return app.Status, nil
	}
	status := app.Status
	for _, t := range app.ConsentTasks {
		if t.Status != "pending" {
			continue
		}
		var who *owner
		for i := range c.owners {
			if residence.MaskIIN(c.owners[i].iin) == t.OwnerIIN || c.owners[i].iin == t.OwnerIIN {
				who = &c.owners[i]
				break
			}
		}
		if who == nil {
			return status, errors.New("task of no known owner")
		}
		var answered application
		var ok bool
		if op == OpConsentEDS {
			body, _ := json.Marshal(map[string]string{"consent_id": t.ID, "answer": "confirm"})
			sig, err := y.signAs(who.iin, body)
			if err != nil {
				return status, err
			}
			answered, ok = y.post(ctx, w, "/api/v1/consents/"+t.ID+"/confirm", prepared{body: body, sig: sig}, "confirm_eds")
		} else {
			code, err := y.lastCode(ctx, w, who.phone)
			if err != nil {
				return status, err
			}
			body, _ := json.Marshal(map[string]string{"from": who.phone, "text": code})
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, y.opts.URL+"/dev/sms/reply", bytes.NewReader(body))
			if err != nil {
				return status, err
			}
			req.Header.Set("Content-Type", "application/json")
			answered, ok = y.do(w, req, "sms_reply", true)
		}
		if !ok {
			return status, errFailed
		}
		status = answered.Status
	}
	return status, nil
}
