package chaos

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// sessionAcross signs a person in on the first node and uses the token on
// the last one.
func (c *client) sessionAcross(ctx context.Context, reg *registry, nodes []*node) error {
	if len(reg.owners) == 0 {
		return fmt.Errorf("no person with a phone to sign in")
	}
	iin := reg.owners[0].iin
	a, b := nodes[0], nodes[len(nodes)-1]
	var lastErr error
	for attempt := 0; attempt < 20; attempt++ {
		if attempt > 0 {
			time.Sleep(250 * time.Millisecond)
		}
		ans, err := c.do(ctx, a, http.MethodPost, "/api/v1/otp", "", map[string]string{"iin": iin, "purpose": "login"}, nil)
		if err != nil || ans.status != http.StatusCreated {
			lastErr = fmt.Errorf("otp on %s: %d %v %s", a.name, ans.status, err, ans.body)
			continue
		}
		ans, err = c.do(ctx, a, http.MethodGet, "/dev/sms/last-code?to="+reg.phones[iin], "", nil, nil)
		if err != nil || ans.status != http.StatusOK {
			lastErr = fmt.Errorf("last code on %s: %d %v", a.name, ans.status, err)
			continue
		}
		ans, err = c.do(ctx, a, http.MethodPost, "/api/v1/sessions", "", map[string]string{"iin": iin, "otp": strings.TrimSpace(string(ans.body))}, nil)
		var sess struct{ Token string }
		if err != nil || ans.status != http.StatusCreated || jsonUnmarshal(ans.body, &sess) != nil || sess.Token == "" {
			lastErr = fmt.Errorf("session on %s: %d %v %s", a.name, ans.status, err, ans.body)
			continue
		}
		ans, err = c.do(ctx, b, http.MethodGet, "/api/v1/me", sess.Token, nil, nil)
		if err == nil && ans.status == http.StatusOK {
			return nil
		}
		lastErr = fmt.Errorf("GET /api/v1/me on %s with a token from %s: %d %v %s", b.name, a.name, ans.status, err, ans.body)
		if err == nil && ans.status == http.StatusUnauthorized {
			return lastErr
		}
	}
	return lastErr
}

func count(ctx context.Context, db *sql.DB, q string) (int, error) {
	var n int
	err := db.QueryRowContext(ctx, q).Scan(&n)
	return n, err
}

// drain waits (at least ttl, at most timeout) until no consent is pending,
// no SMS is queued and no River job is waiting to run or to be retried.
func drain(ctx context.Context, db *sql.DB, ttl, timeout time.Duration) error {
	time.Sleep(ttl)
	deadline := time.Now().Add(timeout)
	var msg string
	for {
		var parts []string
		for _, q := range []struct{ what, sql string }{
			{"applications awaiting consent", `SELECT count(*) FROM applications WHERE status = 'awaiting_consent'`},
			{"pending consent tasks", `SELECT count(*) FROM consent_tasks WHERE status = 'pending'`},
			{"queued SMS", `SELECT count(*) FROM sms WHERE status = 'queued'`},
			{"River jobs available, running or retryable", `SELECT count(*) FROM river_job WHERE state IN ('available', 'running', 'retryable')`},
		} {
			n, err := count(ctx, db, q.sql)
			if err != nil {
				parts = append(parts, fmt.Sprintf("%s: %v", q.what, err))
			} else if n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n, q.what))
			}
		}
		if len(parts) == 0 {
			return nil
		}
		msg = strings.Join(parts, ", ")
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("after %s: %s", timeout, msg)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// check compares the database with what the load was told, and checks the
// invariants.
func check(ctx context.Context, db *sql.DB, t *tally, rep *Report, problem, line func(string, ...any)) {
	query := func(q string, scan func(*sql.Rows) error) {
		rs, err := db.QueryContext(ctx, q)
		if err != nil {
			problem("query %q: %v", q, err)
			return
		}
		defer rs.Close()
		for rs.Next() {
			if err := scan(rs); err != nil {
				problem("scan %q: %v", q, err)
				return
			}
		}
		if err := rs.Err(); err != nil {
			problem("query %q: %v", q, err)
		}
	}

	// Every acknowledged application is there, once, under its key.
	byKey := map[string][]string{}
	status := map[string]string{}
	query(`SELECT id, idempotency_key, status FROM applications WHERE idempotency_key LIKE 'chaos-%'`, func(rs *sql.Rows) error {
		var id, key, st string
		if err := rs.Scan(&id, &key, &st); err != nil {
			return err
		}
		byKey[key] = append(byKey[key], id)
		status[id] = st
		return nil
	})
	rep.Acknowledged = len(t.acks)
	for key, a := range t.acks {
		ids := byKey[key]
		found := false
		for _, id := range ids {
			found = found || id == a.id
		}
		if found {
			rep.Found++
		} else {
			rep.Lost++
		}
		if len(ids) > 1 {
			rep.Duplicated++
		}
	}
	unanswered := 0
	for key, ids := range byKey {
		if _, ok := t.acks[key]; !ok {
			unanswered++
			if len(ids) > 1 {
				rep.Duplicated++
			}
		}
	}
	line("%d applications in the database were never acknowledged (the client gave up or stopped while retrying)", unanswered)

	// Its events and effects: a decision event for every application, one
	// registration for every registered one, and no job effect twice.
	events := map[string]map[string]int{}
	query(`SELECT application_id, type, count(*) FROM events WHERE application_id <> '' GROUP BY application_id, type`, func(rs *sql.Rows) error {
		var id, typ string
		var n int
		if err := rs.Scan(&id, &typ, &n); err != nil {
			return err
		}
		if events[id] == nil {
			events[id] = map[string]int{}
		}
		events[id][typ] = n
		return nil
	})
	regs := map[string]int{}
	query(`SELECT application_id, count(*) FROM registrations WHERE application_id IS NOT NULL GROUP BY application_id`, func(rs *sql.Rows) error {
		var id string
		var n int
		if err := rs.Scan(&id, &n); err != nil {
			return err
		}
		regs[id] = n
		return nil
	})
	tasks := map[string]int{}
	query(`SELECT application_id, count(*) FROM consent_tasks GROUP BY application_id`, func(rs *sql.Rows) error {
		var id string
		var n int
		if err := rs.Scan(&id, &n); err != nil {
			return err
		}
		tasks[id] = n
		return nil
	})
	var noEvent, badReg, doubleExpiry, doubleCreated int
	statuses := map[string]int{}
	for _, a := range t.acks {
		st, ok := status[a.id]
		if !ok {
			continue
		}
		statuses[st]++
		if events[a.id]["application.decided"] == 0 {
			noEvent++
		}
		want := 0
		if st == "registered" {
			want = 1
		}
		if regs[a.id] != want {
			badReg++
		}
		if events[a.id]["registration.created"] > 1 {
			doubleCreated++
		}
		if events[a.id]["consent.expired"] > tasks[a.id] {
			doubleExpiry++
		}
	}
	line("acknowledged applications by final status: %v", statuses)
	if noEvent > 0 {
		problem("%d acknowledged applications have no application.decided event", noEvent)
	}
	if badReg > 0 {
		problem("%d applications whose registrations do not match their status", badReg)
	}
	if doubleCreated > 0 {
		problem("%d applications with more than one registration.created event", doubleCreated)
	}
	if doubleExpiry > 0 {
		problem("%d applications with more consent.expired events than consent tasks (an expiry ran twice)", doubleExpiry)
	}

	// One active permanent and one active temporary registration per person.
	var dupActive int
	query(`SELECT iin, kind, count(*) FROM registrations WHERE status = 'active' GROUP BY iin, kind HAVING count(*) > 1`, func(rs *sql.Rows) error {
		dupActive++
		return nil
	})
	if dupActive > 0 {
		problem("%d persons with more than one active registration of a kind", dupActive)
	} else {
		line("one active registration per person and kind: holds")
	}

	// SMS: every one sent; a crash may make River run a delivery twice, but
	// the worker must not send twice (attempts would show it).
	smsBy := map[string]int{}
	query(`SELECT status, count(*) FROM sms GROUP BY status`, func(rs *sql.Rows) error {
		var st string
		var n int
		if err := rs.Scan(&st, &n); err != nil {
			return err
		}
		smsBy[st] = n
		return nil
	})
	twice, err := count(ctx, db, `SELECT count(*) FROM sms WHERE attempts > 1`)
	if err != nil {
		problem("count SMS attempts: %v", err)
	}
	line("SMS by status: %v; sent more than once: %d", smsBy, twice)
	if smsBy["queued"] > 0 || smsBy["failed"] > 0 {
		problem("SMS not delivered: %d queued, %d failed", smsBy["queued"], smsBy["failed"])
	}
	if twice > 0 {
		problem("%d SMS sent more than once", twice)
	}
	jobs := map[string]int{}
	query(`SELECT state, count(*) FROM river_job GROUP BY state`, func(rs *sql.Rows) error {
		var st string
		var n int
		if err := rs.Scan(&st, &n); err != nil {
			return err
		}
		jobs[st] = n
		return nil
	})
	line("River jobs by state: %v", jobs)
	if jobs["discarded"] > 0 {
		problem("%d River jobs discarded", jobs["discarded"])
	}
}

// checkExpiredAcrossCrash checks that the consents still pending when a
// node was killed (left to expire, acknowledged less than ttl before the
// kill) expired afterwards: their expiry jobs survived the crash.
func checkExpiredAcrossCrash(ctx context.Context, db *sql.DB, t *tally, ttl time.Duration, problem, line func(string, ...any)) {
	var atKill []string
	for _, p := range t.left {
		for _, k := range t.kills {
			if !p.at.After(k) && k.Sub(p.at) < ttl {
				atKill = append(atKill, p.id)
				break
			}
		}
	}
	expired := 0
	for _, id := range atKill {
		var st string
		if err := db.QueryRowContext(ctx, `SELECT status FROM applications WHERE id = '`+strings.ReplaceAll(id, "'", "''")+`'`).Scan(&st); err != nil {
			problem("application %s pending at a kill: %v", id, err)
			continue
		}
		if st == "expired" {
			expired++
		} else {
			problem("application %s was awaiting consent at a kill and is %s, not expired", id, st)
		}
	}
	line("%d consents pending when a node was killed expired after the restart (%d left to expire in all)", expired, len(t.left))
}
