package main

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestLogBuffer(t *testing.T) {
	var out bytes.Buffer
	b := newLogBuffer(&out, time.Hour) // the timer never fires here
	log := slog.New(slog.NewTextHandler(b, nil))
	log.Info("request", "route", "GET /api/v1/persons/{iin}/registrations", "status", 200)
	if out.Len() != 0 {
		t.Fatalf("a line was written before a flush: %q", out.String())
	}
	// Enough lines to pass the limit are written at once, whole.
	n := 0
	for out.Len() == 0 {
		n++
		log.Info("request", "n", n, "pad", strings.Repeat("x", 200))
		if n > 1000 {
			t.Fatal("nothing written after 1000 lines")
		}
	}
	if !strings.HasSuffix(out.String(), "\n") || out.Len() < logBufferLimit {
		t.Errorf("wrote %d bytes, not ending a line: want at least %d bytes of whole lines", out.Len(), logBufferLimit)
	}
	log.Warn("last")
	if strings.Contains(out.String(), "msg=last") {
		t.Fatal("the last line was written before Close")
	}
	b.Close()
	got := out.String()
	if !strings.Contains(got, "msg=last") || strings.Count(got, "\n") != n+2 {
		t.Errorf("after Close: %d lines, want %d, ending with the last one", strings.Count(got, "\n"), n+2)
	}
	if !strings.Contains(got, fmt.Sprintf("n=%d ", n)) {
		t.Errorf("line %d is missing", n)
	}
}
