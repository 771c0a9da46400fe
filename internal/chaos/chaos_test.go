package chaos_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"tirkeu/internal/chaos"
)

// TestChaos is the chaos run of scripts/chaos.sh, which builds the binary
// and sets TIRKEU_CHAOS_BIN; without it the test is skipped. The other
// variables: TIRKEU_CHAOS_DATABASE_URL (a fresh database), and optionally
// TIRKEU_CHAOS_DURATION, TIRKEU_CHAOS_NODES, TIRKEU_CHAOS_WORKERS,
// TIRKEU_CHAOS_PERSONS, TIRKEU_CHAOS_RESTART_DB (a command that restarts
// PostgreSQL), TIRKEU_CHAOS_WORKDIR.
func TestChaos(t *testing.T) {
	bin := os.Getenv("TIRKEU_CHAOS_BIN")
	if bin == "" {
		t.Skip("TIRKEU_CHAOS_BIN is not set; run scripts/chaos.sh")
	}
	o := chaos.Options{
		Binary:      bin,
		DatabaseURL: os.Getenv("TIRKEU_CHAOS_DATABASE_URL"),
		WorkDir:     os.Getenv("TIRKEU_CHAOS_WORKDIR"),
		Log:         os.Stdout,
		Persons:     2000,
	}
	if o.WorkDir == "" {
		o.WorkDir = t.TempDir()
	}
	if v := os.Getenv("TIRKEU_CHAOS_DURATION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatal(err)
		}
		o.Duration = d
	}
	for name, p := range map[string]*int{"TIRKEU_CHAOS_NODES": &o.Nodes, "TIRKEU_CHAOS_WORKERS": &o.Workers, "TIRKEU_CHAOS_PERSONS": &o.Persons} {
		if v := os.Getenv(name); v != "" {
			if _, err := fmt.Sscan(v, p); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
	}
	if v := os.Getenv("TIRKEU_CHAOS_RESTART_DB"); v != "" {
		o.RestartDatabase = strings.Fields(v)
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.Duration+5*time.Minute)
	defer cancel()
	rep, err := chaos.Run(ctx, o)
	for _, l := range rep.Lines {
		fmt.Println(l)
	}
	for _, p := range rep.Problems {
		fmt.Println("PROBLEM:", p)
	}
	if err != nil {
		t.Fatalf("chaos run: %v", err)
	}
	fmt.Println(rep.Summary())
	if !rep.OK() {
		t.Fatalf("chaos: %s; %d problems", rep.Summary(), len(rep.Problems))
	}
}
