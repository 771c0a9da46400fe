package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"tirkeu/internal/residence"
	"tirkeu/internal/store"
)

func init() {
	commands["audit"] = command{"audit verify | head: check the tamper-evident event chain, print its head", runAudit}
}

const auditUsage = "usage: tirkeu audit verify [-database URL] [-expect SEQ:HASH]... [-max-unsealed 1m]\n" +
	"       tirkeu audit head [-database URL]"

// runAudit runs "audit verify" and "audit head".
//
// "audit verify" walks the sealed events of the database named by -database
// or TIRKEU_DATABASE_URL from seq 1, recomputes every link with the audit
// key (TIRKEU_AUDIT_KEY; the demo key when unset outside production), checks
// every head given with -expect (published earlier with "audit head") and
// that no event has waited longer than -max-unsealed to be sealed, and
// prints one JSON object on stdout:
// {"ok":true,"events":N,"head":"<hash>","head_seq":N,...} (exit 0), or
// {"ok":false,"first_bad_seq":S,"event_id":ID,"reason":"..."} naming the
// first changed, deleted, inserted or reordered event, the truncation below
// an expected head, or the events left unsealed (exit 1).
//
// "audit head" verifies the chain the same way and prints its head as
// SEQ:HASH, the line an operator publishes (exit 1 and the report when the
// chain does not verify). Neither migrates nor seals. Exit 2 is a usage
// error, 1 also a database error.
func runAudit(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "head") {
		fmt.Fprintln(stderr, auditUsage)
		return 2
	}
	sub := args[0]
	name := "tirkeu audit " + sub
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbURL := fs.String("database", databaseURL(), "database URL: sqlite:PATH or postgres://… (TIRKEU_DATABASE_URL)")
	opts := store.VerifyOptions{Now: residence.SystemClock{}.Now()}
	if sub == "verify" {
		fs.Func("expect", "a head published earlier, SEQ:HASH (repeatable): the chain must still hold it", func(s string) error {
			h, err := store.ParseChainHead(s)
			if err == nil {
				opts.Expect = append(opts.Expect, h)
			}
			return err
		})
		fs.DurationVar(&opts.MaxUnsealedAge, "max-unsealed", store.DefaultMaxUnsealedAge, "how long an event may wait to be sealed")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected arguments %q\n", name, fs.Args())
		return 2
	}
	if _, demo, err := auditKey(production()); err == nil && demo {
		fmt.Fprintf(stderr, "%s: TIRKEU_AUDIT_KEY is not set: using the public demo key\n", name)
	}
	st := openStore(ctx, sub, *dbURL, false, stderr)
	if st == nil {
		return 1
	}
	defer st.Close()
	rep, err := st.VerifyChain(ctx, opts)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
	if sub == "head" && rep.OK {
		fmt.Fprintln(stdout, store.ChainHead{Seq: rep.Events, Hash: rep.Head})
		return 0
	}
	printReport(stdout, rep)
	if !rep.OK {
		return 1
	}
	return 0
}

// printReport writes the report of "audit verify" as one JSON line.
func printReport(w io.Writer, rep store.ChainReport) {
	var oldest *time.Time
	if !rep.OldestUnsealed.IsZero() {
		oldest = &rep.OldestUnsealed
	}
	var out any
	if rep.OK {
		out = struct {
			OK             bool       `json:"ok"`
			Events         int64      `json:"events"`
			Head           string     `json:"head"`
			HeadSeq        int64      `json:"head_seq"`
			KeyedFrom      int64      `json:"keyed_from"`
			Unsealed       int64      `json:"unsealed"`
			OldestUnsealed *time.Time `json:"oldest_unsealed,omitempty"`
		}{true, rep.Events, rep.Head, rep.Events, rep.KeyedFrom, rep.Unsealed, oldest}
	} else {
		out = struct {
			OK             bool       `json:"ok"`
			FirstBadSeq    int64      `json:"first_bad_seq"`
			EventID        int64      `json:"event_id,omitempty"`
			Reason         string     `json:"reason"`
			Verified       int64      `json:"verified"`
			KeyedFrom      int64      `json:"keyed_from"`
			Unsealed       int64      `json:"unsealed"`
			OldestUnsealed *time.Time `json:"oldest_unsealed,omitempty"`
		}{false, rep.FirstBadSeq, rep.EventID, rep.Reason, rep.Events, rep.KeyedFrom, rep.Unsealed, oldest}
	}
	b, _ := json.Marshal(out)
	fmt.Fprintf(w, "%s\n", b)
}
