package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
)

func init() {
	commands["audit"] = command{"audit verify: check the tamper-evident event chain", runAudit}
}

// runAudit runs "audit verify": it walks the sealed events of the database
// named by -database or TIRKEU_DATABASE_URL from seq 1, recomputes every
// hash, and prints one JSON object on stdout:
// {"ok":true,"events":N,"head":"<hash>"} for an honest chain (exit 0), or
// {"ok":false,"first_bad_seq":S,"event_id":ID,"reason":"..."} naming the
// first changed, deleted, inserted or reordered event (exit 1). It never
// migrates or seals. Exit 2 is a usage error, 1 also a database error.
func runAudit(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(stderr, "usage: tirkeu audit verify [-database URL]")
		return 2
	}
	fs := flag.NewFlagSet("tirkeu audit verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbURL := fs.String("database", databaseURL(), "database URL: sqlite:PATH or postgres://… (TIRKEU_DATABASE_URL)")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "tirkeu audit verify: unexpected arguments %q\n", fs.Args())
		return 2
	}
	st := openStore(ctx, "audit verify", *dbURL, false, stderr)
	if st == nil {
		return 1
	}
	defer st.Close()
	rep, err := st.VerifyChain(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "tirkeu audit verify:", err)
		return 1
	}
	var out any
	if rep.OK {
		out = struct {
			OK     bool   `json:"ok"`
			Events int64  `json:"events"`
			Head   string `json:"head"`
		}{true, rep.Events, rep.Head}
	} else {
		out = struct {
			OK          bool   `json:"ok"`
			FirstBadSeq int64  `json:"first_bad_seq"`
			EventID     int64  `json:"event_id,omitempty"`
			Reason      string `json:"reason"`
			Verified    int64  `json:"verified"`
		}{false, rep.FirstBadSeq, rep.EventID, rep.Reason, rep.Events}
	}
	b, _ := json.Marshal(out)
	fmt.Fprintf(stdout, "%s\n", b)
	if !rep.OK {
		return 1
	}
	return 0
}
