package bench

import (
	"context"
	"testing"
	"time"
)

// The pacer hands out start times k/rate after its start and refuses those
// at or after the end; a start in the past makes every wait return at once,
// so the test never sleeps.
func TestPacer(t *testing.T) {
	now := time.Now()
	p := &pacer{start: now.Add(-10 * time.Second), rate: 2}
	end := now.Add(-7 * time.Second) // slots at -10, -9.5, -9, -8.5, -8, -7.5 s; -7 s is the end
	got := 0
	for p.wait(context.Background(), end) {
		got++
		if got > 100 {
			t.Fatal("wait never refused a slot past the end")
		}
	}
	if got != 6 {
		t.Fatalf("slots before the end = %d, want 6 (3 s at 2 per second)", got)
	}

	flat := &pacer{start: now}
	for range 3 {
		if !flat.wait(context.Background(), now.Add(-time.Hour)) {
			t.Fatal("without a rate, wait must not pace or refuse")
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	late := &pacer{start: now.Add(time.Hour), rate: 1}
	if late.wait(ctx, now.Add(2*time.Hour)) {
		t.Fatal("wait must give up when its context ends before the slot")
	}
}
