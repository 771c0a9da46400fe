package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"

	"tirkeu/internal/registry"
)

func init() {
	commands["import"] = command{"import registry JSON Lines: FILE... or - for stdin", runImport}
}

// runImport imports registry files into the database. Bad lines go to
// stderr as "line N: reason" ("FILE: line N: reason" with several files);
// the last line on stdout is the JSON summary. It exits 1 when a line was
// bad and 2 on a usage error or when the import could not run.
func runImport(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbURL := fs.String("database", databaseURL(), "database URL: sqlite:PATH or postgres://… (env TIRKEU_DATABASE_URL)")
	batch := fs.Int("batch", registry.DefaultBatchSize, "records of one type per transaction")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: tirkeu import [-database URL] [-batch N] FILE... (- for stdin)")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	files := fs.Args()
	if len(files) == 0 {
		fs.Usage()
		return 2
	}
	st := openStore(ctx, "import", *dbURL, true, stderr)
	if st == nil {
		return 2
	}
	defer st.Close()

	var total registry.Summary
	progress := progressReporter(stderr)
	for _, name := range files {
		prefix := ""
		if len(files) > 1 {
			prefix = name + ": "
		}
		var r io.Reader = stdin
		if name != "-" {
			f, err := os.Open(name)
			if err != nil {
				fmt.Fprintln(stderr, "tirkeu import:", err)
				return 2
			}
			defer f.Close()
			r = f
		}
		start := time.Now()
		sum, err := registry.Import(ctx, st, r, registry.Options{
			BatchSize: *batch,
			Report:    func(line int, reason string) { fmt.Fprintf(stderr, "%sline %d: %s\n", prefix, line, reason) },
			Progress: func(n int64) {
				if progress != nil {
					progress(prefix, n, time.Since(start))
				}
			},
		})
		total.Read += sum.Read
		total.Imported += sum.Imported
		total.Bad += sum.Bad
		if progress != nil {
			fmt.Fprintln(stderr)
		}
		if err != nil {
			fmt.Fprintf(stderr, "tirkeu import: %s%v\n", prefix, err)
			_ = json.NewEncoder(stdout).Encode(total)
			return 2
		}
	}
	if err := json.NewEncoder(stdout).Encode(total); err != nil {
		fmt.Fprintln(stderr, "tirkeu import:", err)
		return 2
	}
	if total.Bad > 0 {
		return 1
	}
	return 0
}

// progressReporter returns a function that rewrites one progress line on
// stderr, or nil when stderr is not a terminal (a log file gets no progress
// noise).
func progressReporter(stderr io.Writer) func(prefix string, n int64, elapsed time.Duration) {
	f, ok := stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return func(prefix string, n int64, elapsed time.Duration) {
		rate := float64(n) / max(elapsed.Seconds(), 1e-3)
		fmt.Fprintf(stderr, "\r%s%d records, %.0f records/s", prefix, n, rate)
	}
}
