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
	commands["bench"] = command{"load-test a running server: bench -url URL -scenario submit|consent|lookup|mixed -c N -d 30s [-sign ecdsa|gost|rsa]", runBench}
}

func runBench(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("tirkeu bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("url", "http://localhost:8080", "the server")
	scenario := fs.String("scenario", "mixed", "submit, consent, lookup or mixed")
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
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var cands bench.Candidates
	var err error
	start := time.Now()
	if *persons != "" {
		cands, err = bench.ReadCandidates(*persons)
	} else {
		cands, err = bench.LoadCandidates(ctx, *database, *scenario, *limit, time.Now())
	}
	if err != nil {
		fmt.Fprintln(stderr, "tirkeu bench:", err)
		return 1
	}
	fmt.Fprintf(stderr, "tirkeu bench: %d sole owners, %d guests with a host, %d persons (%s); %s for %s with %d clients\n",
		len(cands.Owners), len(cands.CoOwners), len(cands.Persons), time.Since(start).Round(time.Millisecond),
		*scenario, *dur, *conc)
	res, err := bench.Run(ctx, bench.Options{URL: strings.TrimRight(*url, "/"), Scenario: *scenario, Concurrency: *conc,
		Duration: *dur, Warmup: *warmup, Token: *token, CADir: *caDir, Sign: *sign, Candidates: cands})
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
