package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"tirkeu/internal/store"
)

func init() {
	commands["migrate"] = command{"apply database migrations", runMigrate}
}

// runMigrate applies the pending migrations of the database named by
// -database or TIRKEU_DATABASE_URL (default sqlite:data/tirkeu.db).
func runMigrate(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("tirkeu migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbURL := fs.String("database", databaseURL(), "database URL: sqlite:PATH or postgres://… (TIRKEU_DATABASE_URL)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "tirkeu migrate: unexpected arguments %q\n", fs.Args())
		return 2
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	// Migration 0008 stamps the keyed event chain with the audit key.
	key, _, err := auditKey(production())
	if err != nil {
		fmt.Fprintln(stderr, "tirkeu migrate:", err)
		return 1
	}
	st, err := store.Open(ctx, *dbURL, logger, store.WithAuditKey(key))
	if err != nil {
		fmt.Fprintln(stderr, "tirkeu migrate:", err)
		return 1
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		fmt.Fprintln(stderr, "tirkeu migrate:", err)
		return 1
	}
	fmt.Fprintf(stdout, "migrated %s\n", redactURL(*dbURL))
	return 0
}

// redactURL hides the password of a database URL.
func redactURL(u string) string {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		return u
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return u
	}
	creds := rest[:at]
	if user, _, hasPass := strings.Cut(creds, ":"); hasPass {
		return scheme + "://" + user + ":***@" + rest[at+1:]
	}
	return u
}
