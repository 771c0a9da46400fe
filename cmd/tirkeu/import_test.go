package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tirkeu/internal/demo"
	"tirkeu/internal/registry"
)

func TestImportCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "db", "tirkeu.db")
	var town bytes.Buffer
	if err := demo.Generate(&town, demo.GenerateOptions{Persons: 200, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.jsonl")
	if err := os.WriteFile(good, town.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.jsonl")
	lines := strings.SplitN(town.String(), "\n", 3)
	if err := os.WriteFile(bad, []byte(lines[0]+"\n{\"type\":\"nope\"}\nnot json\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	summary := func(t *testing.T, out string) registry.Summary {
		t.Helper()
		ls := strings.Split(strings.TrimSpace(out), "\n")
		var s registry.Summary
		if err := json.Unmarshal([]byte(ls[len(ls)-1]), &s); err != nil {
			t.Fatalf("last stdout line %q: %v", ls[len(ls)-1], err)
		}
		return s
	}
	imp := func(t *testing.T, stdin string, args ...string) (int, string, string) {
		t.Helper()
		var out, errb bytes.Buffer
		code := run(context.Background(), append([]string{"import", "-database", db}, args...), strings.NewReader(stdin), &out, &errb)
		return code, out.String(), errb.String()
	}

	// Run in sequence: they share one database.
	t.Run("good file", func(t *testing.T) {
		code, out, errs := imp(t, "", good)
		if code != 0 || errs != "" {
			t.Fatalf("exit %d, stderr %q", code, errs)
		}
		if s := summary(t, out); s.Bad != 0 || s.Imported != s.Read || s.Read == 0 {
			t.Fatalf("summary %+v", s)
		}
	})
	t.Run("bad lines", func(t *testing.T) {
		code, out, errs := imp(t, "", bad)
		if code != 1 {
			t.Fatalf("exit %d", code)
		}
		if s := summary(t, out); s != (registry.Summary{Read: 3, Imported: 1, Bad: 2}) {
			t.Fatalf("summary %+v", s)
		}
		if !strings.Contains(errs, "line 2: unknown type") || !strings.Contains(errs, "line 3: malformed JSON") {
			t.Fatalf("stderr %q", errs)
		}
	})
	t.Run("stdin", func(t *testing.T) {
		code, out, errs := imp(t, town.String(), "-")
		if code != 0 {
			t.Fatalf("exit %d, stderr %q", code, errs)
		}
		if s := summary(t, out); s.Bad != 0 || s.Read == 0 {
			t.Fatalf("summary %+v", s)
		}
	})
	t.Run("several files", func(t *testing.T) {
		code, out, errs := imp(t, "", good, bad)
		if code != 1 {
			t.Fatalf("exit %d", code)
		}
		if !strings.Contains(errs, bad+": line 2: unknown type") {
			t.Fatalf("stderr %q", errs)
		}
		if s := summary(t, out); s.Bad != 2 {
			t.Fatalf("summary %+v", s)
		}
	})
	t.Run("no files", func(t *testing.T) {
		if code, _, _ := imp(t, ""); code != 2 {
			t.Fatalf("exit %d", code)
		}
	})
}

func TestDemoCommand(t *testing.T) {
	t.Parallel()
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"demo", "-today", "2026-03-01"}, nil, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, c := range demo.Cast(demo.ReferenceDate) {
		if !strings.Contains(out.String(), c.IIN) {
			t.Errorf("cast member %s missing", c.Role)
		}
	}
	out.Reset()
	if code := run(context.Background(), []string{"demo", "-json"}, nil, &out, &errb); code != 0 {
		t.Fatalf("exit %d", code)
	}
	var cast []demo.CastMember
	if err := json.Unmarshal(out.Bytes(), &cast); err != nil || len(cast) == 0 {
		t.Fatalf("json: %v", err)
	}
	out.Reset()
	if code := run(context.Background(), []string{"demo", "generate", "--persons", "50", "--seed", "2", "--today", "2026-01-15"}, nil, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var again bytes.Buffer
	run(context.Background(), []string{"demo", "generate", "--persons", "50", "--seed", "2", "--today", "2026-01-15"}, nil, &again, &errb)
	if out.Len() == 0 || !bytes.Equal(out.Bytes(), again.Bytes()) {
		t.Fatal("generate output empty or not deterministic")
	}
}
