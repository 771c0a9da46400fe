package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"tirkeu/internal/demo"
	"tirkeu/internal/residence"
)

func init() {
	commands["demo"] = command{"print the demo cast; demo generate --persons N --seed S", runDemo}
}

// runDemo prints the demo cast as a table (or JSON lines with -json), or
// with "generate" writes a synthetic national registry to stdout.
func runDemo(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "generate" {
		return runDemoGenerate(args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the cast as a JSON array")
	lang := fs.String("lang", "en", "language of the scenarios: kk, ru or en")
	today := fs.String("today", "", "date YYYY-MM-DD for the ages (default: today)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	on, err := parseToday(*today)
	if err != nil {
		fmt.Fprintln(stderr, "tirkeu demo:", err)
		return 2
	}
	cast := demo.Cast(on)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(cast); err != nil {
			fmt.Fprintln(stderr, "tirkeu demo:", err)
			return 1
		}
		return 0
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ROLE\tIIN\tNAME\tAGE\tPHONE\tRKA\tSCENARIO")
	for _, c := range cast {
		phone := c.Phone
		if phone == "" {
			phone = "—"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\n", c.Role, c.IIN, c.Name, c.Age, phone, c.RKA, c.Scenario.In(*lang))
	}
	if err := tw.Flush(); err != nil {
		return 1
	}
	fmt.Fprintln(stdout)
	for _, c := range cast {
		fmt.Fprintf(stdout, "%-20s %s\n", c.Role, c.Try.In(*lang))
	}
	return 0
}

func parseToday(s string) (time.Time, error) {
	if s == "" {
		return residence.DateOf(time.Now()), nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("-today: %w", err)
	}
	return d, nil
}

func runDemoGenerate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	persons := fs.Int("persons", 10000, "number of persons")
	seed := fs.Uint64("seed", 1, "random seed: the same seed and date give the same bytes")
	today := fs.String("today", "", "date YYYY-MM-DD the registry describes (default: today)")
	regions := fs.String("regions", "", "comma-separated region names (default: all 20)")
	beside := fs.Bool("beside-demo", true, "keep clear of the demo town's IINs, RKAs, BINs and phones (a demo-mode server loads it)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	on, err := parseToday(*today)
	if err != nil {
		fmt.Fprintln(stderr, "tirkeu demo generate:", err)
		return 2
	}
	opts := demo.GenerateOptions{Persons: *persons, Seed: *seed, Today: on, BesideDemo: *beside}
	if *regions != "" {
		opts.Regions = strings.Split(*regions, ",")
	}
	w := bufio.NewWriterSize(stdout, 1<<20)
	if err := demo.Generate(w, opts); err != nil {
		fmt.Fprintln(stderr, "tirkeu demo generate:", err)
		return 1
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(stderr, "tirkeu demo generate:", err)
		return 1
	}
	return 0
}
