package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tirkeu/internal/residence"
	"tirkeu/internal/store"
)

func TestAuditVerify(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "audit.db")
	st, err := store.OpenSQLite(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for i := range 5 {
		err := st.InTx(ctx, func(tx residence.Tx) error {
			return tx.AppendEvents(ctx, residence.Event{Type: residence.EventRegistrationCreated, At: at.Add(time.Duration(i) * time.Minute),
				RKA: "RKA-1", Data: json.RawMessage(`{"kind":"permanent"}`)})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n, err := st.Seal(ctx); err != nil || n != 5 {
		t.Fatalf("Seal = %d, %v", n, err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	verify := func(wantCode int) map[string]any {
		t.Helper()
		var out, errb bytes.Buffer
		code := run(ctx, []string{"audit", "verify", "-database", "sqlite:" + path}, nil, &out, &errb)
		if code != wantCode {
			t.Fatalf("exit %d, want %d; stdout %q stderr %q", code, wantCode, out.String(), errb.String())
		}
		var got map[string]any
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatalf("stdout %q: %v", out.String(), err)
		}
		return got
	}
	got := verify(0)
	if got["ok"] != true || got["events"] != 5.0 || len(got["head"].(string)) != 64 {
		t.Fatalf("honest database: %v", got)
	}

	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var id int64
	if err := db.QueryRow(`SELECT id FROM events WHERE seq = 3`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE events SET data = '{"kind":"temporary"}' WHERE seq = 3`); err != nil {
		t.Fatal(err)
	}
	got = verify(1)
	if got["ok"] != false || got["first_bad_seq"] != 3.0 || got["event_id"] != float64(id) || got["reason"] != store.ReasonHashMismatch {
		t.Fatalf("tampered database: %v", got)
	}
}

func TestAuditUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"audit"}, {"audit", "nope"}, {"audit", "verify", "extra"}} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, nil, &out, &errb); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
		if !strings.Contains(errb.String(), "usage") && !strings.Contains(errb.String(), "unexpected") {
			t.Errorf("%q: stderr %q", args, errb.String())
		}
	}
}
