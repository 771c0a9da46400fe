package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"tirkeu/internal/store"
)

func TestBackupCommand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "tirkeu.db")
	st, err := store.OpenSQLite(ctx, src, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	// The store stays open, as a running server's would.
	defer st.Close()

	tests := []struct {
		name     string
		args     []string
		code     int
		inStderr string
	}{
		{"sqlite", []string{"-database", "sqlite:" + src, filepath.Join(dir, "copy.db")}, 0, ""},
		{"existing file", []string{"-database", "sqlite:" + src, filepath.Join(dir, "copy.db")}, 1, "already exists"},
		{"no database", []string{"-database", "sqlite:" + filepath.Join(dir, "none.db"), filepath.Join(dir, "x.db")}, 1, "no database"},
		{"postgres", []string{"-database", "postgres://u:secret@localhost/db", "/backups/t.dump"}, 1, "pg_dump --format=custom"},
		{"no path", []string{"-database", "sqlite:" + src}, 2, "usage"},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		code := run(ctx, append([]string{"backup"}, tt.args...), nil, &out, &errb)
		if code != tt.code || !strings.Contains(errb.String(), tt.inStderr) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", tt.name, code, errb.String(), tt.code, tt.inStderr)
		}
		if strings.Contains(errb.String(), "secret") {
			t.Errorf("%s: the password is printed: %q", tt.name, errb.String())
		}
	}
	copyStore, err := store.OpenSQLite(ctx, filepath.Join(dir, "copy.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer copyStore.Close()
	if err := copyStore.Migrate(ctx); err != nil {
		t.Fatalf("the copy is not a complete database: %v", err)
	}
}
