package bench

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"strings"

	"tirkeu/internal/residence"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	_ "modernc.org/sqlite"             // database/sql driver "sqlite"
)

// Candidates are the persons and premises the scenarios use.
type Candidates struct {
	// Owners are owners with their premises, where the Service would
	// register them temporarily at once: the submit scenario's.
	Owners []Pair
	// CoOwners are the consent scenario's pairs (the name is older than the
	// scenario): Applicant, a guest who owns nothing, registers temporarily
	// at RKA, and the Service would wait for the consent of Owner alone,
	// who confirms by EDS.
	CoOwners []Pair
	// Persons are IINs for the lookup scenario.
	Persons []string
}

// Pair is an applicant, the premises and, for the consent scenario, the
// owner who must consent.
type Pair struct {
	Applicant, RKA, Owner string
}

// LoadCandidates reads the candidates the scenario needs from the database
// the server uses (url: sqlite:PATH or postgres://…), at most limit of each
// kind. The database is read for structure only — who owns what, who owns
// nothing — and the Service's own rules (Checker) decide who is a
// candidate: the bench carries no copy of the eligibility rules (issue 16).
func LoadCandidates(ctx context.Context, url, scenario string, limit int) (Candidates, error) {
	db, err := openDB(url)
	if err != nil {
		return Candidates{}, err
	}
	defer db.Close()
	var c Candidates
	need := func(s string) bool { return scenario == s || scenario == ScenarioMixed }
	if need(ScenarioSubmit) || need(ScenarioConsent) {
		chk, err := OpenChecker(ctx, url, nil)
		if err != nil {
			return c, err
		}
		defer chk.Close()
		if need(ScenarioSubmit) {
			if c.Owners, err = selfCandidates(ctx, db, chk, limit); err != nil {
				return c, fmt.Errorf("bench: owners: %w", err)
			}
		}
		if need(ScenarioConsent) {
			if c.CoOwners, err = guestCandidates(ctx, db, chk, limit); err != nil {
				return c, fmt.Errorf("bench: guests and hosts: %w", err)
			}
		}
	}
	if !need(ScenarioLookup) {
		return c, nil
	}
	err = scanRows(ctx, db, `SELECT iin FROM persons ORDER BY random() LIMIT $1`, []any{limit}, func(rs *sql.Rows) error {
		var s string
		err := rs.Scan(&s)
		c.Persons = append(c.Persons, s)
		return err
	})
	if err != nil {
		return c, fmt.Errorf("bench: persons: %w", err)
	}
	return c, nil
}

// searchFor is how many rows are read to find n candidates: the checks
// stop once n are found.
func searchFor(n int) int { return max(2*n+50, 200) }

// selfCandidates are the submit scenario's: owners applying for a temporary
// stay at premises they own (as Run submits it: EDS, mobile), which the
// Service would register at once.
func selfCandidates(ctx context.Context, db *sql.DB, chk *Checker, limit int) ([]Pair, error) {
	var rows []Pair
	// Owners who are not registered at the premises come first: the
	// Service refuses a temporary registration at one's permanent address.
	// The order is only a search hint; the check decides.
	if err := scanRows(ctx, db, `
		SELECT o.owner_iin, o.rka FROM ownerships o
		WHERE o.owner_iin IS NOT NULL
		ORDER BY EXISTS (SELECT 1 FROM registrations g WHERE g.iin = o.owner_iin AND g.rka = o.rka AND g.status = 'active'),
		         o.rka, o.owner_iin
		LIMIT $1`, []any{searchFor(limit)},
		func(rs *sql.Rows) error {
			var p Pair
			err := rs.Scan(&p.Applicant, &p.RKA)
			rows = append(rows, p)
			return err
		}); err != nil {
		return nil, err
	}
	return keep(ctx, chk, rows, limit, func(p Pair) Application {
		return Application{Applicant: p.Applicant, Subject: p.Applicant, RKA: p.RKA, Kind: residence.Temporary}
	}, func(p Pair, d residence.Decision) bool { return d.Status == residence.StatusRegistered })
}

// guestCandidates are the consent scenario's: a guest who owns nothing
// applies for a temporary stay at someone's premises, and the Service would
// wait for the consent of one owner only, Owner, who then confirms.
// Premises (with one of their owners) and guests are paired by rank.
func guestCandidates(ctx context.Context, db *sql.DB, chk *Checker, limit int) ([]Pair, error) {
	var rows []Pair
	if err := scanRows(ctx, db, `
		WITH flats AS (
			SELECT rka, min(owner_iin) AS owner_iin, row_number() OVER (ORDER BY rka) AS n FROM ownerships
			WHERE owner_iin IS NOT NULL GROUP BY rka ORDER BY rka LIMIT $1),
		guests AS (
			SELECT p.iin, row_number() OVER (ORDER BY p.iin) AS n FROM persons p
			WHERE NOT EXISTS (SELECT 1 FROM ownerships o WHERE o.owner_iin = p.iin)
			ORDER BY p.iin LIMIT $1)
		SELECT g.iin, f.rka, f.owner_iin FROM flats f JOIN guests g ON g.n = f.n ORDER BY f.rka`,
		[]any{searchFor(limit)},
		func(rs *sql.Rows) error {
			var p Pair
			err := rs.Scan(&p.Applicant, &p.RKA, &p.Owner)
			rows = append(rows, p)
			return err
		}); err != nil {
		return nil, err
	}
	return keep(ctx, chk, rows, limit, func(p Pair) Application {
		return Application{Applicant: p.Applicant, Subject: p.Applicant, RKA: p.RKA, Kind: residence.Temporary}
	}, func(p Pair, d residence.Decision) bool { return len(d.Consents) == 1 && AsksConsentOf(d, p.Owner) })
}

// keep checks the rows' applications and returns, in the rows' order, at
// most limit of those whose decision ok accepts.
func keep(ctx context.Context, chk *Checker, rows []Pair, limit int, app func(Pair) Application,
	ok func(Pair, residence.Decision) bool) ([]Pair, error) {
	var found []int
	chk.Each(ctx, len(rows), func(i int) Application { return app(rows[i]) }, func(i int, d residence.Decision) bool {
		if ok(rows[i], d) {
			found = append(found, i)
		}
		return len(found) < limit
	})
	slices.Sort(found)
	out := make([]Pair, 0, len(found))
	for _, i := range found[:min(len(found), limit)] {
		out = append(out, rows[i])
	}
	return out, ctx.Err()
}

func openDB(url string) (*sql.DB, error) {
	switch {
	case strings.HasPrefix(url, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(url, "sqlite:"), "//")
		return sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		return sql.Open("pgx", url)
	}
	return nil, fmt.Errorf("bench: database URL must start with sqlite: or postgres://")
}

// ReadCandidates reads candidates from a file, one per line, fields
// separated by spaces: "IIN" (a person to look up), "IIN RKA" (a sole owner
// and their flat) or "IIN RKA OWNER_IIN" (an applicant, a co-owned flat and
// the co-owner who consents). Empty lines and lines starting with # are
// skipped.
func ReadCandidates(path string) (Candidates, error) {
	f, err := os.Open(path)
	if err != nil {
		return Candidates{}, fmt.Errorf("bench: %w", err)
	}
	defer f.Close()
	var c Candidates
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		switch len(f) {
		case 1:
			c.Persons = append(c.Persons, f[0])
		case 2:
			c.Owners = append(c.Owners, Pair{Applicant: f[0], RKA: f[1]})
			c.Persons = append(c.Persons, f[0])
		case 3:
			c.CoOwners = append(c.CoOwners, Pair{Applicant: f[0], RKA: f[1], Owner: f[2]})
		default:
			return c, fmt.Errorf("bench: %s:%d: want 1 to 3 fields", path, n)
		}
	}
	return c, sc.Err()
}
