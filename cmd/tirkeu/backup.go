package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"tirkeu/internal/store"
)

func init() {
	commands["backup"] = command{"write a consistent copy of the SQLite database while it is in use: backup PATH", runBackup}
}

// runBackup copies the SQLite database named by -database or
// TIRKEU_DATABASE_URL to PATH, online: the server may keep running. A
// PostgreSQL database is refused with the pg_dump command to use instead.
func runBackup(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("tirkeu backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbURL := fs.String("database", databaseURL(), "database URL: sqlite:PATH (TIRKEU_DATABASE_URL)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: tirkeu backup [-database sqlite:PATH] BACKUP-PATH")
		return 2
	}
	to := fs.Arg(0)
	switch {
	case strings.HasPrefix(*dbURL, "postgres://"), strings.HasPrefix(*dbURL, "postgresql://"):
		fmt.Fprintf(stderr, `tirkeu backup: %s is a PostgreSQL database; back it up with PostgreSQL's own tools:
  pg_dump --format=custom --dbname="$TIRKEU_DATABASE_URL" --file=%s
restore into an empty database with:
  pg_restore --dbname="$TIRKEU_DATABASE_URL" --no-owner %s
(for continuous protection, use WAL archiving or a streaming standby)
`, redactURL(*dbURL), shellQuote(to), shellQuote(to))
		return 1
	case !strings.HasPrefix(*dbURL, "sqlite:"):
		fmt.Fprintln(stderr, "tirkeu backup: database URL must start with sqlite: or postgres://")
		return 2
	}
	path := strings.TrimPrefix(strings.TrimPrefix(*dbURL, "sqlite:"), "//")
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(stderr, "tirkeu backup: no database at %s\n", path)
		return 1
	}
	st, err := store.OpenSQLite(ctx, path, nil)
	if err != nil {
		fmt.Fprintln(stderr, "tirkeu backup:", err)
		return 1
	}
	defer st.Close()
	if err := st.Backup(ctx, to); err != nil {
		fmt.Fprintln(stderr, "tirkeu backup:", err)
		return 1
	}
	fmt.Fprintf(stdout, "backed up %s to %s\n", path, to)
	return 0
}

// shellQuote quotes s for a POSIX shell when it needs quoting.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
