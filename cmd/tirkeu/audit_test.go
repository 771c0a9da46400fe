package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
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

// TestAuditHeadAndExpect publishes the head with "audit head", truncates
// the chain in SQL below it, and checks that "audit verify -expect" names
// the truncation while plain "audit verify" cannot; that the key comes from
// TIRKEU_AUDIT_KEY (with another key, nothing verifies); and that an event
// left unsealed for more than a minute fails the verification.
func TestAuditHeadAndExpect(t *testing.T) {
	ctx := context.Background()
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	t.Setenv("TIRKEU_ENV", "demo")
	t.Setenv("TIRKEU_AUDIT_KEY", hex.EncodeToString(key))
	path := filepath.Join(t.TempDir(), "audit.db")
	st, err := store.OpenSQLite(ctx, path, nil, store.WithAuditKey(key))
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
	if _, err := st.Seal(ctx); err != nil {
		t.Fatal(err)
	}
	st.Close()

	audit := func(wantCode int, args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		code := run(ctx, append(append([]string{"audit"}, args...), "-database", "sqlite:"+path), nil, &out, &errb)
		if code != wantCode {
			t.Fatalf("audit %q: exit %d, want %d; stdout %q stderr %q", args, code, wantCode, out.String(), errb.String())
		}
		return out.String()
	}
	report := func(wantCode int, args ...string) map[string]any {
		t.Helper()
		out := audit(wantCode, args...)
		var got map[string]any
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("stdout %q: %v", out, err)
		}
		return got
	}

	head := strings.TrimSpace(audit(0, "head"))
	published, err := store.ParseChainHead(head)
	if err != nil || published.Seq != 5 {
		t.Fatalf("audit head printed %q (%v), want 5:HASH", head, err)
	}
	if got := report(0, "verify", "-expect", head); got["ok"] != true || got["head"] != published.Hash || got["head_seq"] != 5.0 {
		t.Fatalf("verify against its own head: %v", got)
	}

	// Another key (here the demo key) verifies nothing.
	t.Setenv("TIRKEU_AUDIT_KEY", "")
	if got := report(1, "verify"); !strings.HasPrefix(got["reason"].(string), store.ReasonEpoch) || got["first_bad_seq"] != 1.0 {
		t.Fatalf("verify with the demo key: %v", got)
	}
	t.Setenv("TIRKEU_AUDIT_KEY", hex.EncodeToString(key))

	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var hash3 string
	if err := db.QueryRow(`SELECT hash FROM events WHERE seq = 3`).Scan(&hash3); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM events WHERE seq > 3; UPDATE audit_head SET seq = 3, hash = '` + hash3 + `'`); err != nil {
		t.Fatal(err)
	}
	if got := report(0, "verify"); got["ok"] != true || got["events"] != 3.0 {
		t.Fatalf("a truncated chain alone: %v", got)
	}
	got := report(1, "verify", "-expect", head)
	if got["first_bad_seq"] != 5.0 || !strings.HasPrefix(got["reason"].(string), store.ReasonTruncated) ||
		!strings.Contains(got["reason"].(string), head) {
		t.Fatalf("verify -expect after truncation: %v", got)
	}
	audit(2, "verify", "-expect", "5:nothex")

	// An event no sealer took, from long ago by the command's clock.
	if _, err := db.Exec(`INSERT INTO events (type, at) VALUES ('registration.created', '2026-03-01T10:00:00.000000Z')`); err != nil {
		t.Fatal(err)
	}
	got = report(1, "verify")
	if !strings.HasPrefix(got["reason"].(string), store.ReasonUnsealed) || got["unsealed"] != 1.0 || got["oldest_unsealed"] != "2026-03-01T10:00:00Z" {
		t.Fatalf("verify with an old unsealed event: %v", got)
	}
	if got := report(0, "verify", "-max-unsealed", "87600h"); got["ok"] != true || got["unsealed"] != 1.0 {
		t.Fatalf("verify with a longer bound: %v", got)
	}
}
