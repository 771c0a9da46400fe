package chaos

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"tirkeu/internal/bench"
	"tirkeu/internal/residence"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx" for the checks
	_ "modernc.org/sqlite"             // database/sql driver "sqlite" for the checks
)

// Options configure a chaos run.
type Options struct {
	Binary      string        // the tirkeu binary to run
	DatabaseURL string        // postgres://… (several nodes) or sqlite:PATH (one node)
	Nodes       int           // serve processes (1 on SQLite)
	BasePort    int           // node i listens on 127.0.0.1:BasePort+i
	Workers     int           // concurrent clients
	Duration    time.Duration // how long the load runs; the faults happen during it
	ConsentTTL  time.Duration // TIRKEU_CONSENT_TTL of the nodes
	Persons     int           // size of the generated registry imported beside the demo one
	// RestartDatabase restarts PostgreSQL (argv); empty skips that fault.
	RestartDatabase []string
	WorkDir         string    // node data directories and logs
	Log             io.Writer // progress
}

// Report is the outcome of a run: the numbers printed at the end, and the
// problems found (empty when every check passed).
type Report struct {
	Acknowledged, Found, Lost, Duplicated int
	Problems                              []string
	Lines                                 []string // other findings, for the log
}

// Summary is the line the acceptance asks for.
func (r Report) Summary() string {
	return fmt.Sprintf("%d acknowledged, %d found, %d lost, %d duplicated", r.Acknowledged, r.Found, r.Lost, r.Duplicated)
}

// OK reports whether nothing was lost or duplicated and every invariant held.
func (r Report) OK() bool {
	return r.Lost == 0 && r.Duplicated == 0 && len(r.Problems) == 0 && r.Acknowledged > 0 && r.Found == r.Acknowledged
}

func (o *Options) defaults() {
	if o.Nodes <= 0 {
		o.Nodes = 3
	}
	if strings.HasPrefix(o.DatabaseURL, "sqlite:") {
		o.Nodes = 1
	}
	if o.BasePort == 0 {
		o.BasePort = 18081
	}
	if o.Workers <= 0 {
		o.Workers = 8
	}
	if o.Duration <= 0 {
		o.Duration = 40 * time.Second
	}
	if o.ConsentTTL <= 0 {
		o.ConsentTTL = 3 * time.Second
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
}

// Run prepares the database (migrate, import a generated registry, an
// operator token), starts the nodes, drives load while it kills nodes
// with SIGKILL and restarts PostgreSQL, then checks the database against
// everything the load was told. It returns an error only when the run
// itself could not be carried out; losses and broken invariants are in
// the Report.
func Run(ctx context.Context, o Options) (Report, error) {
	o.defaults()
	logf := func(format string, args ...any) {
		fmt.Fprintf(o.Log, "[chaos %s] %s\n", time.Now().Format("15:04:05.000"), fmt.Sprintf(format, args...))
	}
	env := []string{"TIRKEU_DATABASE_URL=" + o.DatabaseURL, "TIRKEU_ENV=demo", "TIRKEU_SMS=outbox",
		"TIRKEU_CONSENT_TTL=" + o.ConsentTTL.String(), "TIRKEU_SECRET=chaos-secret-shared-by-every-node-0123456789",
		"TIRKEU_RATE_LIMIT=off"}
	tool := func(stdin io.Reader, args ...string) ([]byte, error) {
		cmd := exec.CommandContext(ctx, o.Binary, args...)
		cmd.Env = append(os.Environ(), env...)
		cmd.Env = append(cmd.Env, "TIRKEU_DATA_DIR="+filepath.Join(o.WorkDir, "tool"))
		cmd.Stdin = stdin
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return out, fmt.Errorf("tirkeu %s: %w: %s", strings.Join(args, " "), err, lastLines(stderr.String(), 5))
		}
		return out, nil
	}

	logf("migrating and importing a generated registry of %d persons", o.Persons)
	if _, err := tool(nil, "migrate"); err != nil {
		return Report{}, err
	}
	if o.Persons > 0 {
		gen, err := tool(nil, "demo", "generate", "--persons", fmt.Sprint(o.Persons), "--seed", "20261122")
		if err != nil {
			return Report{}, err
		}
		if _, err := tool(strings.NewReader(string(gen)), "import", "-"); err != nil {
			return Report{}, err
		}
	}
	out, err := tool(nil, "token", "create", "--role", "operator", "--name", "chaos")
	if err != nil {
		return Report{}, err
	}
	var tok struct{ Token string }
	if err := json.Unmarshal(out, &tok); err != nil || tok.Token == "" {
		return Report{}, fmt.Errorf("token create: %q", out)
	}

	var nodes []*node
	for i := range o.Nodes {
		nodes = append(nodes, &node{name: fmt.Sprintf("node%d", i+1), bin: o.Binary, env: env,
			addr: fmt.Sprintf("127.0.0.1:%d", o.BasePort+i), dir: filepath.Join(o.WorkDir, fmt.Sprintf("node%d", i+1))})
	}
	defer func() {
		for _, n := range nodes {
			n.stop()
		}
	}()
	// The first node loads the demo registry; the others start on a full
	// database.
	for i, n := range nodes {
		if err := n.start(); err != nil {
			return Report{}, err
		}
		if i == 0 || i == len(nodes)-1 {
			for _, m := range nodes[:i+1] {
				if err := m.waitReady(ctx, 60*time.Second); err != nil {
					return Report{}, err
				}
			}
		}
	}
	logf("%d node(s) ready: %s", len(nodes), addrs(nodes))

	db, err := openDB(o.DatabaseURL)
	if err != nil {
		return Report{}, err
	}
	defer db.Close()
	reg, err := loadRegistry(ctx, db, o.DatabaseURL, o.Workers)
	if err != nil {
		return Report{}, err
	}
	logf("registry: %d subjects, %d premises, %d owners with phones", len(reg.subjects), len(reg.premises), len(reg.owners))

	t := &tally{acks: map[string]ack{}}
	c := &client{nodes: nodes, token: tok.Token, http: &http.Client{Timeout: 20 * time.Second}, t: t, giveUp: 90 * time.Second}
	var rep Report
	problem := func(format string, args ...any) {
		rep.Problems = append(rep.Problems, fmt.Sprintf(format, args...))
	}
	line := func(format string, args ...any) {
		rep.Lines = append(rep.Lines, fmt.Sprintf(format, args...))
	}

	// Sessions are signed, so a token issued by one node works on every one.
	if err := c.sessionAcross(ctx, reg, nodes); err != nil {
		problem("session across nodes: %v", err)
	} else if len(nodes) > 1 {
		line("a session made on %s works on %s", nodes[0].name, nodes[len(nodes)-1].name)
	}

	run := time.Now().Format("150405")
	load, stopLoad := context.WithTimeout(ctx, o.Duration)
	defer stopLoad()
	var wg sync.WaitGroup
	for w := range o.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.worker(load, ctx, w, run, reg)
		}()
	}

	// The faults, spread over the load.
	faults := []struct {
		at   float64
		name string
		do   func() error
	}{
		{0.2, "SIGKILL " + nodes[0].name + " and restart it", func() error { t.killed(); return crash(ctx, nodes[0]) }},
		{0.45, "restart PostgreSQL", func() error {
			if len(o.RestartDatabase) == 0 {
				return errSkipped
			}
			out, err := exec.CommandContext(ctx, o.RestartDatabase[0], o.RestartDatabase[1:]...).CombinedOutput()
			if err != nil {
				return fmt.Errorf("%v: %s", err, out)
			}
			return nil
		}},
		{0.7, "SIGKILL every node at once and restart them", func() error {
			t.killed()
			for _, n := range nodes {
				n.kill()
			}
			for _, n := range nodes {
				if err := n.start(); err != nil {
					return err
				}
			}
			for _, n := range nodes {
				if err := n.waitReady(ctx, 60*time.Second); err != nil {
					return err
				}
			}
			return nil
		}},
	}
	start := time.Now()
	for _, f := range faults {
		at := start.Add(time.Duration(f.at * float64(o.Duration)))
		select {
		case <-ctx.Done():
			return rep, ctx.Err()
		case <-time.After(time.Until(at)):
		}
		before := t.submitted.Load()
		err := f.do()
		switch {
		case errors.Is(err, errSkipped):
			logf("fault skipped: %s", f.name)
		case err != nil:
			return rep, fmt.Errorf("fault %q: %w", f.name, err)
		default:
			logf("fault: %s (after %d acknowledged)", f.name, before)
			line("fault: %s", f.name)
		}
	}
	wg.Wait()
	logf("load done: %d acknowledged (%d replays of lost answers), %d retries, %d answers 503, %d transport errors, %d refused, %d without an answer",
		len(t.acks), t.replayed.Load(), t.retries.Load(), t.unavailable.Load(), t.transport.Load(), t.refused.Load(), t.unanswered.Load())
	logf("consents: %d asked, %d confirmed (%d on another node than the application)", t.consentsAsked.Load(), t.consentsConfirmed.Load(), t.crossNode.Load())
	line("load: %d acknowledged, %d replays of lost answers, %d retries, %d answers 503 unavailable, %d transport errors",
		len(t.acks), t.replayed.Load(), t.retries.Load(), t.unavailable.Load(), t.transport.Load())
	line("consents: %d asked, %d confirmed, %d of them on another node than the application", t.consentsAsked.Load(), t.consentsConfirmed.Load(), t.crossNode.Load())
	if len(nodes) > 1 && t.crossNode.Load() == 0 {
		problem("no consent was confirmed on another node than its application")
	}
	if err := c.sessionAcross(ctx, reg, nodes); err != nil {
		problem("session across nodes after the faults: %v", err)
	}

	// Jobs: consents left to expire, SMS to deliver. Give them the TTL and
	// River's retry backoff, bounded.
	logf("waiting for the jobs to drain")
	if err := drain(ctx, db, o.ConsentTTL, 120*time.Second); err != nil {
		problem("jobs left behind: %v", err)
	}
	check(ctx, db, t, &rep, problem, line)
	checkExpiredAcrossCrash(ctx, db, t, o.ConsentTTL, problem, line)
	if len(t.mismatch) > 0 {
		problem("%d Idempotency-Keys answered with two different applications", len(t.mismatch))
	}
	if _, err := tool(nil, "audit", "verify"); err == nil {
		line("tirkeu audit verify: the event chain is intact")
	} else if !strings.Contains(err.Error(), "unknown command") {
		problem("tirkeu audit verify: %v", err)
	}
	return rep, nil
}

var errSkipped = errors.New("skipped")

// crash kills a node with SIGKILL and starts it again on its port.
func crash(ctx context.Context, n *node) error {
	n.kill()
	if err := n.start(); err != nil {
		return err
	}
	return n.waitReady(ctx, 60*time.Second)
}

func addrs(nodes []*node) string {
	var s []string
	for _, n := range nodes {
		s = append(s, n.addr)
	}
	return strings.Join(s, ", ")
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}

// openDB opens the database for the checks, outside the service.
func openDB(url string) (*sql.DB, error) {
	if path, ok := strings.CutPrefix(url, "sqlite:"); ok {
		return sql.Open("sqlite", strings.TrimPrefix(path, "//")+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	}
	return sql.Open("pgx", url)
}

// loadRegistry finds who and where the load may register. The database
// is read for structure only — persons, premises, owners and their phones —
// and the Service's own rules (bench.Checker, residence.Service.Check on the
// database at url) decide: subjects are persons an operator would register
// in person at premises whose owners consented in writing, premises those
// where such a registration goes through, owners those whose consent by
// SMS an application in person without that writing waits for. The run
// carries no copy of the eligibility rules (issue 16).
func loadRegistry(ctx context.Context, db *sql.DB, url string, workers int) (*registry, error) {
	reg := &registry{phones: map[string]string{}, workers: workers}
	strs := func(q string) ([]string, error) {
		rs, err := db.QueryContext(ctx, q)
		if err != nil {
			return nil, err
		}
		defer rs.Close()
		var out []string
		for rs.Next() {
			var s string
			if err := rs.Scan(&s); err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, rs.Err()
	}
	persons, err := strs(`SELECT iin FROM persons ORDER BY iin`)
	if err != nil {
		return nil, fmt.Errorf("load persons: %w", err)
	}
	premises, err := strs(`SELECT rka FROM premises ORDER BY rka`)
	if err != nil {
		return nil, fmt.Errorf("load premises: %w", err)
	}
	var owners []owner
	rs, err := db.QueryContext(ctx, `SELECT o.rka, o.owner_iin, p.phone FROM ownerships o
		JOIN persons p ON p.iin = o.owner_iin WHERE p.phone <> '' ORDER BY o.rka, o.owner_iin`)
	if err != nil {
		return nil, fmt.Errorf("load owners: %w", err)
	}
	defer rs.Close()
	phones := map[string]string{}
	for rs.Next() {
		var o owner
		var phone string
		if err := rs.Scan(&o.rka, &o.iin, &phone); err != nil {
			return nil, err
		}
		owners = append(owners, o)
		phones[o.iin] = phone
	}
	if err := rs.Err(); err != nil {
		return nil, err
	}
	if len(persons) == 0 || len(premises) == 0 {
		return nil, errors.New("the registry has no persons or no premises")
	}

	chk, err := bench.OpenChecker(ctx, url, nil)
	if err != nil {
		return nil, err
	}
	defer chk.Close()
	inPerson := func(subject, rka string, inWriting bool) bench.Application {
		return bench.Application{Applicant: subject, Subject: subject, RKA: rka, Kind: residence.Permanent,
			InPerson: &residence.InPersonFacts{DocumentsChecked: true, OwnersConsentInWriting: inWriting}}
	}
	// pick checks the candidates 0..n-1 and returns those registered at
	// once, in order.
	pick := func(n int, app func(i int) bench.Application) []int {
		var ok []int
		chk.Each(ctx, n, app, func(i int, d residence.Decision) bool {
			if d.Status == residence.StatusRegistered {
				ok = append(ok, i)
			}
			return true
		})
		slices.Sort(ok)
		return ok
	}
	// Subjects, each at some premises; premises, each with a subject found
	// so; then the persons refused the first time, again at premises found
	// to take a registration (the first may not have).
	isSubject := make([]bool, len(persons))
	for _, i := range pick(len(persons), func(i int) bench.Application { return inPerson(persons[i], premises[i%len(premises)], true) }) {
		isSubject[i] = true
		reg.subjects = append(reg.subjects, persons[i])
	}
	if len(reg.subjects) == 0 {
		return nil, errors.New("the Service would register no person of the registry in person")
	}
	for _, j := range pick(len(premises), func(j int) bench.Application {
		return inPerson(reg.subjects[j%len(reg.subjects)], premises[j], true)
	}) {
		reg.premises = append(reg.premises, premises[j])
	}
	if len(reg.premises) == 0 {
		return nil, errors.New("the Service would register no one at any premises of the registry")
	}
	var again []string
	for i, p := range persons {
		if !isSubject[i] {
			again = append(again, p)
		}
	}
	for _, i := range pick(len(again), func(i int) bench.Application {
		return inPerson(again[i], reg.premises[i%len(reg.premises)], true)
	}) {
		reg.subjects = append(reg.subjects, again[i])
	}
	slices.Sort(reg.subjects)
	// Owners whose consent by SMS a subject's application in person waits
	// for.
	var asked []int
	chk.Each(ctx, len(owners), func(i int) bench.Application {
		s := reg.subjects[i%len(reg.subjects)]
		if s == owners[i].iin {
			s = reg.subjects[(i+1)%len(reg.subjects)]
		}
		return inPerson(s, owners[i].rka, false)
	}, func(i int, d residence.Decision) bool {
		if bench.AsksConsentOf(d, owners[i].iin) {
			asked = append(asked, i)
		}
		return true
	})
	slices.Sort(asked)
	for _, i := range asked {
		reg.owners = append(reg.owners, owners[i])
	}
	// Every owner's phone: a co-owner's task is answered too when they have
	// one.
	reg.phones = phones
	return reg, ctx.Err()
}
