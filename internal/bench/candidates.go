package bench

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	_ "modernc.org/sqlite"             // database/sql driver "sqlite"
)

// Candidates are the persons and premises the scenarios use.
type Candidates struct {
	// Owners are sole owners with their flat, where they have no active
	// temporary registration: the submit scenario registers each of them
	// temporarily at home, which needs no consent.
	Owners []Pair
	// CoOwners are flats of two private co-owners: the consent scenario has
	// Applicant register temporarily and Owner confirm by EDS.
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
// the server uses (url: sqlite:PATH or postgres://…), read-only, at most
// limit of each kind. today dates the age limit (18).
func LoadCandidates(ctx context.Context, url, scenario string, limit int, today time.Time) (Candidates, error) {
	db, err := openDB(url)
	if err != nil {
		return Candidates{}, err
	}
	defer db.Close()
	adult := today.AddDate(-18, 0, 0).Format(time.DateOnly)
	var c Candidates
	// A capable, living adult citizen who is neither abroad nor minor: no
	// rule other than the one under test can stop their application.
	const able = `p.capacity = 'full' AND NOT p.deceased AND p.citizenship = 'KZ' AND NOT p.consular_abroad
		AND p.birth_date <= $1`
	owners := `
		SELECT o.owner_iin, o.rka FROM ownerships o
		JOIN persons p ON p.iin = o.owner_iin
		JOIN premises pr ON pr.rka = o.rka
		WHERE ` + able + ` AND NOT pr.state_rental AND pr.kind IN ('apartment', 'house')
		  AND NOT EXISTS (SELECT 1 FROM ownerships o2 WHERE o2.rka = o.rka
		                  AND o2.owner_iin IS NOT NULL AND o2.owner_iin <> o.owner_iin)
		  AND NOT EXISTS (SELECT 1 FROM ownerships o2 WHERE o2.rka = o.rka AND o2.owner_bin IS NOT NULL)
		  AND NOT EXISTS (SELECT 1 FROM registrations r WHERE r.iin = o.owner_iin AND r.kind = 'temporary'
		                  AND r.status = 'active' AND r.rka = o.rka)
		ORDER BY o.rka LIMIT $2`
	need := func(s string) bool { return scenario == s || scenario == ScenarioMixed }
	if need(ScenarioSubmit) {
		if err := scanPairs(ctx, db, owners, []any{adult, limit}, &c.Owners, false); err != nil {
			return c, fmt.Errorf("bench: sole owners: %w", err)
		}
	}
	coOwners := `
		SELECT o.owner_iin, o.rka, o2.owner_iin FROM ownerships o
		JOIN ownerships o2 ON o2.rka = o.rka AND o2.owner_iin > o.owner_iin
		JOIN persons p ON p.iin = o.owner_iin
		JOIN persons q ON q.iin = o2.owner_iin
		JOIN premises pr ON pr.rka = o.rka
		WHERE ` + able + ` AND q.capacity = 'full' AND NOT q.deceased AND q.birth_date <= $1
		  AND NOT pr.state_rental
		  AND NOT EXISTS (SELECT 1 FROM ownerships o3 WHERE o3.rka = o.rka
		                  AND o3.owner_iin IS NOT NULL AND o3.owner_iin NOT IN (o.owner_iin, o2.owner_iin))
		  AND NOT EXISTS (SELECT 1 FROM ownerships o3 WHERE o3.rka = o.rka AND o3.owner_bin IS NOT NULL)
		  AND NOT EXISTS (SELECT 1 FROM registrations r WHERE r.iin = o.owner_iin AND r.kind = 'temporary'
		                  AND r.status = 'active' AND r.rka = o.rka)
		ORDER BY o.rka LIMIT $2`
	if need(ScenarioConsent) {
		if err := scanPairs(ctx, db, coOwners, []any{adult, limit}, &c.CoOwners, true); err != nil {
			return c, fmt.Errorf("bench: co-owners: %w", err)
		}
	}
	if !need(ScenarioLookup) {
		return c, nil
	}
	rows, err := db.QueryContext(ctx, `SELECT iin FROM persons ORDER BY random() LIMIT $1`, limit)
	if err != nil {
		return c, fmt.Errorf("bench: persons: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return c, err
		}
		c.Persons = append(c.Persons, s)
	}
	return c, rows.Err()
}

func scanPairs(ctx context.Context, db *sql.DB, q string, args []any, out *[]Pair, withOwner bool) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var p Pair
		dest := []any{&p.Applicant, &p.RKA}
		if withOwner {
			dest = append(dest, &p.Owner)
		}
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		*out = append(*out, p)
	}
	return rows.Err()
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
