package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tirkeu/internal/demo"
	"tirkeu/internal/residence"
	"tirkeu/internal/store"
	"tirkeu/internal/store/storetest"
)

// TestSQLiteBackup backs up a store with the demo registry's registrations
// while a writer keeps registering people, opens the backup as a store and
// finds every registration committed before the backup began, and an
// intact, consistent file.
func TestSQLiteBackup(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.Open(t, storetest.SQLite).(*store.SQLite)
	today := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	if _, err := demo.Load(ctx, st, today); err != nil {
		t.Fatal(err)
	}
	registrations := func(path string) map[string]string {
		t.Helper()
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		rs, err := db.QueryContext(ctx, `SELECT id, iin FROM registrations`)
		if err != nil {
			t.Fatal(err)
		}
		defer rs.Close()
		out := map[string]string{}
		for rs.Next() {
			var id, iin string
			if err := rs.Scan(&id, &iin); err != nil {
				t.Fatal(err)
			}
			out[id] = iin
		}
		return out
	}
	before := registrations(st.Path())
	if len(before) < 10 {
		t.Fatalf("the demo registry has %d registrations, want more to back up", len(before))
	}

	// A writer keeps ending and adding temporary registrations while the
	// backup runs, as the service would.
	var stop atomic.Bool
	var wg sync.WaitGroup
	var written atomic.Int64
	var persons []string
	for _, iin := range before {
		persons = append(persons, iin)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; !stop.Load() && i < 10000; i++ {
			err := st.InTx(ctx, func(tx residence.Tx) error {
				return tx.AppendEvents(ctx, residence.Event{Type: residence.EventPersonalDataRead, At: today,
					PersonIIN: persons[i%len(persons)], ActorRole: "agency"})
			})
			if err != nil {
				t.Errorf("write during backup: %v", err)
				return
			}
			written.Add(1)
		}
	}()

	path := filepath.Join(t.TempDir(), "backups", "tirkeu.db")
	err := st.Backup(ctx, path)
	stop.Store(true)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if written.Load() == 0 {
		t.Log("no write overlapped the backup")
	}
	if _, err := os.Stat(path + ".partial"); !os.IsNotExist(err) {
		t.Errorf("partial file left behind: %v", err)
	}
	if err := st.Backup(ctx, path); residence.ErrorCode(err) != residence.EInvalid {
		t.Errorf("backup over an existing file: %v, want invalid", err)
	}

	restored, err := store.OpenSQLite(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if err := restored.Migrate(ctx); err != nil {
		t.Fatalf("migrate the restored copy: %v", err)
	}
	found := 0
	err = restored.View(ctx, func(r residence.Reader) error {
		for id, iin := range before {
			regs, err := r.Registrations(ctx, iin)
			if err != nil {
				return fmt.Errorf("registrations of %s: %w", iin, err)
			}
			for _, reg := range regs {
				if reg.ID == id {
					found++
					break
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found != len(before) {
		t.Fatalf("the backup holds %d of %d registrations", found, len(before))
	}
	t.Logf("%d registrations backed up and found; %d writes ran during the backup", found, written.Load())
}
