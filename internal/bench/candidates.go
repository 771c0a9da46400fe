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
	// registration (a temporary one at one's permanent address is refused):
	// the submit scenario registers each of them temporarily at home, which
	// needs no consent.
	Owners []Pair
	// CoOwners are the consent scenario's pairs (the name is older than the
	// scenario): Applicant, a guest who owns nothing, registers temporarily
	// in the sole owner Owner's flat, and Owner confirms by EDS.
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
		  AND NOT EXISTS (SELECT 1 FROM registrations r WHERE r.iin = o.owner_iin
		                  AND r.status = 'active' AND r.rka = o.rka)
		ORDER BY o.rka LIMIT $2`
	need := func(s string) bool { return scenario == s || scenario == ScenarioMixed }
	if need(ScenarioSubmit) {
		if err := scanPairs(ctx, db, owners, []any{adult, limit}, &c.Owners, false); err != nil {
			return c, fmt.Errorf("bench: sole owners: %w", err)
		}
	}
	// The consent scenario: a guest — a capable adult who owns nothing —
	// applies for a temporary stay in a sole owner's flat, and the owner
	// confirms. (A co-owner applying at their own flat, as before issue 15,
	// is refused where they live permanently: no temporary registration at
	// one's permanent address.) Flats and guests are paired by rank.
	coOwners := `
		WITH flats AS (
			SELECT o.owner_iin, o.rka, row_number() OVER (ORDER BY o.rka) AS n FROM ownerships o
			JOIN persons p ON p.iin = o.owner_iin
			JOIN premises pr ON pr.rka = o.rka
			WHERE ` + able + ` AND NOT pr.state_rental AND pr.kind IN ('apartment', 'house')
			  AND NOT EXISTS (SELECT 1 FROM ownerships o2 WHERE o2.rka = o.rka
			                  AND o2.owner_iin IS NOT NULL AND o2.owner_iin <> o.owner_iin)
			  AND NOT EXISTS (SELECT 1 FROM ownerships o2 WHERE o2.rka = o.rka AND o2.owner_bin IS NOT NULL)
			ORDER BY o.rka LIMIT $2),
		guests AS (
			SELECT p.iin, row_number() OVER (ORDER BY p.iin) AS n FROM persons p
			WHERE ` + able + `
			  AND NOT EXISTS (SELECT 1 FROM ownerships o WHERE o.owner_iin = p.iin)
			ORDER BY p.iin LIMIT $2)
		SELECT g.iin, f.rka, f.owner_iin FROM flats f JOIN guests g ON g.n = f.n
		WHERE NOT EXISTS (SELECT 1 FROM registrations r WHERE r.iin = g.iin AND r.status = 'active' AND r.rka = f.rka)
		ORDER BY f.rka`
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
