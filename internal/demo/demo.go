// Package demo holds the demo registry — a small synthetic town in Astana
// and the Karaganda region with a named cast, one person for each scenario a
// newcomer should try — and the generator of synthetic national registries
// for load tests.
//
// The demo registry is an embedded JSON Lines file written for
// ReferenceDate and loaded through registry.Import. Load shifts every date in
// it by the whole years between ReferenceDate and the day it runs, so that
// the child "of 13" is 13 on any day.
package demo

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"time"

	"tirkeu/internal/registry"
	"tirkeu/internal/residence"
)

// ReferenceDate is the date for which demo.jsonl is written.
var ReferenceDate = time.Date(2026, time.January, 15, 0, 0, 0, 0, time.UTC)

// townSeed and townPersons describe the synthetic residents around the cast.
const (
	townSeed    = 2026
	townPersons = 300
)

// townRegions are the two regions of the demo town.
var townRegions = []string{"Астана", "Карагандинская область"}

//go:embed demo.jsonl
var demoFile []byte

// File returns the demo registry as written for ReferenceDate.
func File() io.Reader { return bytes.NewReader(demoFile) }

// shiftYears returns the whole years from ReferenceDate to the date of
// today (negative before it).
func shiftYears(today time.Time) int {
	d := residence.DateOf(today)
	n := d.Year() - ReferenceDate.Year()
	if residence.AddMonths(ReferenceDate, 12*n).After(d) {
		n--
	}
	return n
}

// Load imports the demo registry into st, with every date moved forward by
// the whole years between ReferenceDate and today (29 February becomes 28
// February in common years). Loading twice changes nothing. A bad line in
// the embedded file is a bug and makes Load fail.
func Load(ctx context.Context, st residence.Store, today time.Time) (registry.Summary, error) {
	n := shiftYears(today)
	shift := func(d time.Time) time.Time {
		if d.IsZero() {
			return d
		}
		return residence.AddMonths(d, 12*n)
	}
	var bad []string
	sum, err := registry.Import(ctx, st, File(), registry.Options{
		Report: func(line int, reason string) {
			if len(bad) < 5 {
				bad = append(bad, fmt.Sprintf("line %d: %s", line, reason))
			}
		},
		Transform: func(r *registry.Record) {
			switch {
			case r.Person != nil:
				r.Person.BirthDate = shift(r.Person.BirthDate)
			case r.Rental != nil:
				r.Rental.ValidFrom, r.Rental.ValidUntil = shift(r.Rental.ValidFrom), shift(r.Rental.ValidUntil)
			case r.Registration != nil:
				r.Registration.Since, r.Registration.Until = shift(r.Registration.Since), shift(r.Registration.Until)
			}
		},
	})
	if err != nil {
		return sum, fmt.Errorf("demo: load: %w", err)
	}
	if sum.Bad > 0 {
		return sum, fmt.Errorf("demo: load: %d bad lines in the demo registry: %s", sum.Bad, strings.Join(bad, "; "))
	}
	return sum, nil
}

func toUpper(s string) string { return strings.ToUpper(s) }
