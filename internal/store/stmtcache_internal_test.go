package store

import (
	"context"
	"path/filepath"
	"testing"

	"tirkeu/internal/residence"
)

// TestStmtCache checks that the SQLite readers prepare a statement once and
// reuse it, that a full cache still answers (uncached), and that the answers
// are the same either way.
func TestStmtCache(t *testing.T) {
	ctx := context.Background()
	s, err := OpenSQLite(ctx, filepath.Join(t.TempDir(), "t.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	const iin = "860814300251"
	if _, err := s.db.ExecContext(ctx, `INSERT INTO persons (iin, last_name, first_name, patronymic, birth_date, citizenship, capacity)
		VALUES (?, 'Тестов', 'A', '', '1986-08-14', 'KZ', 'full')`, iin); err != nil {
		t.Fatal(err)
	}
	lookup := func() residence.Addresses {
		t.Helper()
		var ad residence.Addresses
		err := s.View(ctx, func(r residence.Reader) error {
			var err error
			ad, err = r.Addresses(ctx, iin)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return ad
	}
	cached := func() *stmtCache { return s.reads }
	for range 3 {
		if ad := lookup(); ad.Person.IIN != iin || ad.Person.FirstName != "A" {
			t.Fatalf("lookup: %+v", ad.Person)
		}
	}
	cached().mu.Lock()
	n, st := len(cached().stmts), cached().stmts[sqlAddresses]
	cached().mu.Unlock()
	if n != 1 || st == nil {
		t.Fatalf("%d statements cached (the lookup's: %v), want the lookup's alone", n, st != nil)
	}
	// A full cache prepares for the call and keeps nothing more.
	cached().max = 1
	var fn string
	err = s.View(ctx, func(r residence.Reader) error {
		p, err := r.Person(ctx, iin)
		fn = p.FirstName
		return err
	})
	if err != nil || fn != "A" {
		t.Fatalf("uncached read: %q %v", fn, err)
	}
	if n := len(cached().stmts); n != 1 {
		t.Fatalf("%d statements cached after a read with the cache full, want 1", n)
	}
	if ad := lookup(); ad.Person.IIN != iin {
		t.Fatalf("cached lookup after: %+v", ad.Person)
	}
}
