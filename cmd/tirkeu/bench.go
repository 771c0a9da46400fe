package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"tirkeu/internal/bench"
)

func init() {
	commands["bench"] = command{"load-test a running server: bench -url URL -scenario submit|consent|lookup|mixed|year -c N -d 30s [-rate R] [-sign ecdsa|gost|rsa] [-scale F -operator-token tk_…]", runBench}
}

func runBench(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("tirkeu bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("url", "http://localhost:8080", "the server")
	scenario := fs.String("scenario", "mixed", "submit, consent, lookup, mixed or year")
	conc := fs.Int("c", 8, "concurrent clients")
	dur := fs.Duration("d", 30*time.Second, "measured duration")
	warmup := fs.Duration("warmup", 2*time.Second, "unmeasured warm-up before the measured duration")
	token := fs.String("token", "", "agency token for lookups (tirkeu token create --role agency)")
	persons := fs.String("persons", "", "candidates file: lines of IIN | IIN RKA | IIN RKA OWNER_IIN (instead of -database)")
	dataDir := getenv("TIRKEU_DATA_DIR", "data")
	database := fs.String("database", getenv("TIRKEU_DATABASE_URL", "sqlite:"+filepath.Join(dataDir, "tirkeu.db")),
		"the server's database, read (only) for candidates")
	caDir := fs.String("ca", filepath.Join(dataDir, "demo-ca"), "demo CA directory the server trusts")
	limit := fs.Int("max", 20000, "at most this many candidates of each kind")
	sign := fs.String("sign", "ecdsa", "key the submits and consents are signed with: ecdsa, gost (GOST 34.10-2015 512, as the NCA issues) or rsa")
	scale := fs.Float64("scale", 1, "year: the share of a year to replay (1 = 1.1 million applications)")
	operator := fs.String("operator-token", "", "year: a service-centre operator's token for the in-person applications (tirkeu token create --role operator)")
	seed := fs.Uint64("seed", 1, "year: the order of the operations")
	rate := fs.Float64("rate", 0, "start at most this many operations per second in all (an offered load, e.g. half the maximum); 0: each client flat out")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *scenario == bench.ScenarioYear {
		// The year runs until it is done; -d, when given, caps it.
		var limit time.Duration
		fs.Visit(func(f *flag.Flag) {
			if f.Name == "d" {
				limit = *dur
			}
		})
		return runYear(ctx, bench.YearOptions{URL: strings.TrimRight(*url, "/"), Concurrency: *conc, Scale: *scale,
			OperatorToken: *operator, CADir: *caDir, Database: *database, MaxDuration: limit, Seed: *seed}, stdout, stderr)
	}
	var cands bench.Candidates
	var err error
	start := time.Now()
	if *persons != "" {
		cands, err = bench.ReadCandidates(*persons)
	} else {
		cands, err = bench.LoadCandidates(ctx, *database, *scenario, *limit)
	}
	if err != nil {
		fmt.Fprintln(stderr, "tirkeu bench:", err)
		return 1
	}
	fmt.Fprintf(stderr, "tirkeu bench: %d sole owners, %d guests with a host, %d persons (%s); %s for %s with %d clients\n",
		len(cands.Owners), len(cands.CoOwners), len(cands.Persons), time.Since(start).Round(time.Millisecond),
		*scenario, *dur, *conc)
	res, err := bench.Run(ctx, bench.Options{URL: strings.TrimRight(*url, "/"), Scenario: *scenario, Concurrency: *conc,
		Duration: *dur, Warmup: *warmup, Token: *token, CADir: *caDir, Sign: *sign, Candidates: cands, Rate: *rate})
	return report(res, err, stdout, stderr)
}

// runYear replays a (scaled) year of applications (bench.RunYear) and
// prints what it measured; -d caps the time it may take.
func runYear(ctx context.Context, opts bench.YearOptions, stdout, stderr io.Writer) int {
	fmt.Fprintf(stderr, "tirkeu bench: a year at scale %g with %d clients (at most %s)\n", opts.Scale, opts.Concurrency, opts.MaxDuration)
	opts.Started = func() { fmt.Fprintln(stderr, "tirkeu bench: prepared; the year starts") }
	res, err := bench.RunYear(ctx, opts)
	if res != nil {
		fmt.Fprintf(stderr, "tirkeu bench: candidates %v, prepared in %.1f s; the year took %.1f s, %.1f applications/s\n",
			res.Candidates, res.PrepareSeconds, res.Seconds, res.OpsPerSecond)
	}
	return report(res, err, stdout, stderr)
}

// report prints a bench result, when there is one, as indented JSON and
// the error, if any, and returns the exit code.
func report[R any](res *R, err error, stdout, stderr io.Writer) int {
	if res != nil {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(res)
	}
	if err != nil {
		fmt.Fprintln(stderr, "tirkeu bench:", err)
		return 1
	}
	return 0
}
