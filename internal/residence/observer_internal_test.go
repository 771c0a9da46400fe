package residence

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"
)

// factsStore is a Store whose transactions only read facts (FactsReader)
// and pipeline (Pipeliner); any other call panics (the embedded nil Tx).
type factsStore struct {
	Store
	tx *factsTx
}

func (s factsStore) InTx(ctx context.Context, fn func(tx Tx) error) error { return fn(s.tx) }

type factsTx struct {
	Tx
	facts, pipelines int
}

func (t *factsTx) Facts(ctx context.Context, q FactsQuery) (Facts, error) {
	t.facts++
	return Facts{}, nil // no such subject
}

func (t *factsTx) Pipeline() { t.pipelines++ }

type nopObserver struct{}

func (nopObserver) Committed(Commit) {}

// TestObservedTxKeepsTheStoresFastPaths: a Service told to Observe (serve
// does, for its metrics) wraps every transaction; the wrapper must still
// offer the store's one-round-trip facts read, or every submission falls
// back to reading statement by statement. Mutation-checked: without
// observedTx.Facts the store's Facts is never called.
func TestObservedTxKeepsTheStoresFastPaths(t *testing.T) {
	tx := &factsTx{}
	svc := NewService(factsStore{tx: tx}, standingClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)), Config{}, nil,
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	svc.Observe(nopObserver{})
	_, _, err := svc.Submit(context.Background(), Actor{Role: RoleOperator, Name: "op-1"},
		SubmitInput{Kind: Permanent, ApplicantIIN: "800101300006", RKA: "RKA-1"})
	if !IsCode(err, EUnknownPerson) {
		t.Fatalf("Submit: %v, want unknown_person (the fake has no one)", err)
	}
	if tx.facts != 1 {
		t.Fatalf("the store's Facts was called %d times through the observed transaction, want 1", tx.facts)
	}
	var p Pipeliner = &observedTx{Tx: tx}
	p.Pipeline()
	if tx.pipelines != 1 {
		t.Fatalf("Pipeline through the observed transaction reached the store %d times, want 1", tx.pipelines)
	}
}

// standingClock is a Clock that does not move (residencetest's FakeClock
// imports this package, so an internal test cannot use it).
type standingClock time.Time

func (c standingClock) Now() time.Time { return time.Time(c) }
