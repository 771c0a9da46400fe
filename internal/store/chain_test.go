package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"tirkeu/internal/residence"
	"tirkeu/internal/store"
	"tirkeu/internal/store/storetest"
)

func tick(i int) residence.Event {
	return residence.Event{Type: "test.tick", At: t0.Add(time.Duration(i) * time.Millisecond), PersonIIN: iinOwner,
		Message: residence.Text{EN: fmt.Sprintf("tick %d", i)}, Data: []byte(fmt.Sprintf(`{"i": %d, "b": [1.50, "x"]}`, i))}
}

func mustSeal(t *testing.T, s residence.Store) int {
	t.Helper()
	n, err := s.(store.Store).Seal(ctx(t))
	if err != nil {
		t.Fatalf("Seal: %v", err)
	}
	return n
}

func mustVerify(t *testing.T, s residence.Store) store.ChainReport {
	t.Helper()
	rep, err := s.(store.Store).VerifyChain(ctx(t), store.VerifyOptions{})
	if err != nil {
		t.Fatalf("VerifyChain: %v", err)
	}
	return rep
}

// feed reads every sealed event after after, page by page.
func feed(t *testing.T, s residence.Store, after int64, page int) []residence.Event {
	t.Helper()
	var out []residence.Event
	for {
		var evs []residence.Event
		mustView(t, s, func(r residence.Reader) error {
			var err error
			evs, err = r.Events(ctx(t), after, page)
			return err
		})
		out = append(out, evs...)
		if len(evs) < page {
			return out
		}
		after = evs[len(evs)-1].Seq
	}
}

func TestSealConcurrentWriters(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		if rep := mustVerify(t, s); !rep.OK || rep.Events != 0 {
			t.Fatalf("empty chain: %+v", rep)
		}
		const writers, each = 20, 20
		var wg sync.WaitGroup
		errs := make(chan error, writers*each)
		for w := range writers {
			wg.Go(func() {
				for i := range each {
					errs <- s.InTx(ctx(t), func(tx residence.Tx) error { return tx.AppendEvents(ctx(t), tick(w*each+i)) })
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("append: %v", err)
			}
		}
		if got := feed(t, s, 0, 50); len(got) != 0 {
			t.Fatalf("the feed shows %d unsealed events", len(got))
		}
		if n := mustSeal(t, s); n != writers*each {
			t.Fatalf("Seal sealed %d, want %d", n, writers*each)
		}
		if n := mustSeal(t, s); n != 0 {
			t.Fatalf("second Seal sealed %d, want 0", n)
		}
		evs := feed(t, s, 0, 37)
		if len(evs) != writers*each {
			t.Fatalf("feed has %d events, want %d", len(evs), writers*each)
		}
		for i, e := range evs {
			if e.Seq != int64(i+1) || len(e.Hash) != 64 {
				t.Fatalf("event %d: seq %d hash %q, want seq %d", i, e.Seq, e.Hash, i+1)
			}
			// Sealed in id order among the committed ones.
			if i > 0 && e.ID <= evs[i-1].ID {
				t.Fatalf("seq %d has id %d after id %d", e.Seq, e.ID, evs[i-1].ID)
			}
		}
		rep := mustVerify(t, s)
		if !rep.OK || rep.Events != writers*each || rep.Head != evs[len(evs)-1].Hash {
			t.Fatalf("VerifyChain = %+v, want ok with %d events and head %s", rep, writers*each, evs[len(evs)-1].Hash)
		}
		// More events extend the chain after the head.
		mustTx(t, s, func(tx residence.Tx) error { return tx.AppendEvents(ctx(t), tick(-1), tick(-2)) })
		mustSeal(t, s)
		if more := feed(t, s, writers*each, 10); len(more) != 2 || more[0].Seq != writers*each+1 {
			t.Fatalf("after the head: %+v", more)
		}
		if rep := mustVerify(t, s); !rep.OK || rep.Events != writers*each+2 {
			t.Fatalf("VerifyChain = %+v", rep)
		}
	})
}

// TestFeedSlowTransaction holds a PostgreSQL transaction open after it
// appended an event (so its event has the smaller id) while another commits
// and the sealer runs: the feed shows the later event first, never skips the
// slow one, and gives it the next seq once it commits.
func TestFeedSlowTransaction(t *testing.T) {
	t.Parallel()
	s := storetest.Open(t, storetest.Postgres)
	appended, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- s.InTx(ctx(t), func(tx residence.Tx) error {
			if err := tx.AppendEvents(ctx(t), tick(1)); err != nil {
				return err
			}
			close(appended)
			<-release
			return nil
		})
	}()
	<-appended
	mustTx(t, s, func(tx residence.Tx) error { return tx.AppendEvents(ctx(t), tick(2)) })
	if n := mustSeal(t, s); n != 1 {
		t.Fatalf("Seal sealed %d with the slow transaction open, want 1", n)
	}
	first := feed(t, s, 0, 10)
	if len(first) != 1 || first[0].Seq != 1 || first[0].Message.EN != "tick 2" {
		t.Fatalf("feed with the slow transaction open = %+v", first)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("slow transaction: %v", err)
	}
	if got := feed(t, s, first[0].Seq, 10); len(got) != 0 {
		t.Fatalf("an unsealed event is in the feed: %+v", got)
	}
	mustSeal(t, s)
	next := feed(t, s, first[0].Seq, 10)
	if len(next) != 1 || next[0].Seq != 2 || next[0].Message.EN != "tick 1" || next[0].ID >= first[0].ID {
		t.Fatalf("after the slow commit: %+v (first id %d)", next, first[0].ID)
	}
	if rep := mustVerify(t, s); !rep.OK || rep.Events != 2 {
		t.Fatalf("VerifyChain = %+v", rep)
	}
}

// TestFeedPollerUnderLoad runs the background sealer while writers commit,
// some of them holding their transaction open for a while, and a reader
// polls the feed with after = the last seq it saw: it must see every event
// exactly once, in seq order with no gap.
func TestFeedPollerUnderLoad(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		stop := s.(store.Store).StartSealer(ctx(t), 10*time.Millisecond)
		defer stop()
		const writers, each = 8, 15
		var wg sync.WaitGroup
		for w := range writers {
			wg.Go(func() {
				for i := range each {
					err := s.InTx(ctx(t), func(tx residence.Tx) error {
						if err := tx.AppendEvents(ctx(t), tick(w*each+i)); err != nil {
							return err
						}
						if (w+i)%4 == 0 {
							// A slow transaction: others commit meanwhile.
							time.Sleep(15 * time.Millisecond)
						}
						return nil
					})
					if err != nil {
						t.Errorf("append: %v", err)
						return
					}
				}
			})
		}
		writing := make(chan struct{})
		go func() { wg.Wait(); close(writing) }()
		defer func() { <-writing }() // no writer outlives the test, even when it fails

		seen := map[string]bool{}
		var last int64
		deadline := time.Now().Add(30 * time.Second)
		for len(seen) < writers*each && time.Now().Before(deadline) {
			var evs []residence.Event
			mustView(t, s, func(r residence.Reader) error {
				var err error
				evs, err = r.Events(ctx(t), last, 7)
				return err
			})
			for _, e := range evs {
				if e.Seq != last+1 {
					t.Fatalf("after seq %d the feed gave seq %d", last, e.Seq)
				}
				if seen[e.Message.EN] {
					t.Fatalf("%s seen twice", e.Message.EN)
				}
				seen[e.Message.EN] = true
				last = e.Seq
			}
			if len(evs) == 0 {
				time.Sleep(5 * time.Millisecond)
			}
		}
		if len(seen) != writers*each {
			t.Fatalf("the poller saw %d events, want %d", len(seen), writers*each)
		}
		if rep := mustVerify(t, s); !rep.OK || rep.Events != writers*each {
			t.Fatalf("VerifyChain = %+v", rep)
		}
	})
}

// TestVerifyDetectsTampering seals ten events, tampers with them directly in
// SQL, and checks that VerifyChain names the first bad one.
func TestVerifyDetectsTampering(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		tamper  func(t *testing.T, s residence.Store, evs []residence.Event) (forgedID int64)
		wantSeq int64
		wantID  func(evs []residence.Event, forged int64) int64
		reason  string
	}{
		{
			name:    "data changed",
			tamper:  execs(`UPDATE events SET data = '{"i": 400}' WHERE seq = 4`),
			wantSeq: 4, wantID: eventAt(4), reason: store.ReasonHashMismatch,
		},
		{
			name:    "person changed",
			tamper:  execs(`UPDATE events SET person_iin = '900202400002' WHERE seq = 7`),
			wantSeq: 7, wantID: eventAt(7), reason: store.ReasonHashMismatch,
		},
		{
			name:    "message changed",
			tamper:  execs(`UPDATE events SET message = '{"en":"forged"}' WHERE seq = 1`),
			wantSeq: 1, wantID: eventAt(1), reason: store.ReasonHashMismatch,
		},
		{
			name:    "hash rewritten to match the change",
			tamper:  execs(`UPDATE events SET type = 'test.forged', hash = '` + strings.Repeat("ab", 32) + `' WHERE seq = 5`),
			wantSeq: 5, wantID: eventAt(5), reason: store.ReasonHashMismatch,
		},
		{
			name:    "deleted",
			tamper:  execs(`DELETE FROM events WHERE seq = 4`),
			wantSeq: 4, wantID: eventAt(5), reason: store.ReasonGap,
		},
		{
			name:    "unsealed",
			tamper:  execs(`UPDATE events SET seq = NULL, prev_hash = NULL, hash = NULL WHERE seq = 6`),
			wantSeq: 6, wantID: eventAt(7), reason: store.ReasonGap,
		},
		{
			name:    "last deleted",
			tamper:  execs(`DELETE FROM events WHERE seq = 10`),
			wantSeq: 10, wantID: func([]residence.Event, int64) int64 { return 0 }, reason: store.ReasonMissingTail,
		},
		{
			name:    "forged with a plausible seq and a correct hash",
			tamper:  forge(true),
			wantSeq: 11, wantID: forgedEvent, reason: store.ReasonBeyondHead,
		},
		{
			name:    "forged with a plausible seq",
			tamper:  forge(false),
			wantSeq: 11, wantID: forgedEvent, reason: store.ReasonBeyondHead,
		},
		{
			name: "seqs swapped",
			tamper: execs(`UPDATE events SET seq = 1000 WHERE seq = 3`, `UPDATE events SET seq = 3 WHERE seq = 6`,
				`UPDATE events SET seq = 6 WHERE seq = 1000`),
			wantSeq: 3, wantID: eventAt(6), reason: store.ReasonBrokenLink,
		},
		{
			name: "seqs swapped with their links",
			tamper: execs(`UPDATE events SET seq = 1000 WHERE seq = 3`, `UPDATE events SET seq = 3 WHERE seq = 4`,
				`UPDATE events SET seq = 4 WHERE seq = 1000`,
				`UPDATE events SET prev_hash = (SELECT hash FROM events WHERE seq = 2) WHERE seq = 3`),
			wantSeq: 3, wantID: eventAt(4), reason: store.ReasonHashMismatch,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, s residence.Store) {
				for i := range 10 {
					mustTx(t, s, func(tx residence.Tx) error { return tx.AppendEvents(ctx(t), tick(i)) })
				}
				mustSeal(t, s)
				evs := feed(t, s, 0, 100)
				if rep := mustVerify(t, s); !rep.OK || rep.Events != 10 {
					t.Fatalf("honest chain: %+v", rep)
				}
				forged := tt.tamper(t, s, evs)
				rep := mustVerify(t, s)
				want := tt.wantID(evs, forged)
				if rep.OK || rep.FirstBadSeq != tt.wantSeq || rep.EventID != want || !strings.HasPrefix(rep.Reason, tt.reason) {
					t.Fatalf("VerifyChain = %+v, want first bad seq %d, event %d, reason %q", rep, tt.wantSeq, want, tt.reason)
				}
				// Sealing again does not heal the chain.
				mustSeal(t, s)
				if rep := mustVerify(t, s); rep.OK {
					t.Fatalf("VerifyChain after Seal = %+v", rep)
				}
			})
		})
	}
}

func execs(sqls ...string) func(t *testing.T, s residence.Store, evs []residence.Event) int64 {
	return func(t *testing.T, s residence.Store, _ []residence.Event) int64 {
		for _, q := range sqls {
			if err := store.ExecForTest(context.Background(), s, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		return 0
	}
}

func eventAt(seq int64) func(evs []residence.Event, forged int64) int64 {
	return func(evs []residence.Event, _ int64) int64 { return evs[seq-1].ID }
}

func forgedEvent(_ []residence.Event, forged int64) int64 { return forged }

// forge inserts an event after the head, as an insider with SQL access
// would: unsealed first to learn its id, then given seq = head + 1 and the
// head's hash as prev_hash, and the correct hash when correct is set.
func forge(correct bool) func(t *testing.T, s residence.Store, evs []residence.Event) int64 {
	return func(t *testing.T, s residence.Store, evs []residence.Event) int64 {
		at := t0.Add(time.Hour)
		exec := execs(fmt.Sprintf(`INSERT INTO events (type, at, data) VALUES ('registration.created', '%s', '{"rka":"X"}')`,
			at.Format("2006-01-02T15:04:05.000000Z")))
		exec(t, s, evs)
		var id int64
		mustView(t, s, func(r residence.Reader) error {
			pe, err := r.PersonEvents(ctx(t), "", nil, 1)
			if err != nil || len(pe) != 1 {
				return fmt.Errorf("forged event: %v, %v", pe, err)
			}
			id = pe[0].ID
			return nil
		})
		head := evs[len(evs)-1]
		hash := strings.Repeat("cd", 32)
		if correct {
			var err error
			if hash, err = store.ChainHashForTest(store.DemoAuditKey, head.Hash, id, head.Seq+1, "registration.created", at, `{"rka":"X"}`); err != nil {
				t.Fatal(err)
			}
		}
		execs(fmt.Sprintf(`UPDATE events SET seq = %d, prev_hash = '%s', hash = '%s' WHERE id = %d`, head.Seq+1, head.Hash, hash, id))(t, s, evs)
		return id
	}
}

// AppendSealedEvents (the batched access log) writes events already in the
// chain while other transactions append unsealed events and sealers run:
// the chain stays whole, contiguous and verifiable.
func TestAppendSealedEvents(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		read := func(i int) residence.Event {
			e := tick(1000 + i)
			e.Type = residence.EventPersonalDataRead
			e.Message = residence.Text{KK: "Деректеріңіз оқылды", RU: "Ваши данные прочитаны", EN: "read"}
			e.Data = []byte(`{"what":"registrations","actor_name":"Салық \"комитеті\""}`)
			if i%2 == 0 { // canonical, as the access log writes it: hashed as it is
				e.Data = []byte(`{"actor_name":"Салық \"комитеті\"","purpose":"public_service","what":"registrations"}`)
			}
			return e
		}
		const batches, size, plain = 8, 5, 30
		var wg sync.WaitGroup
		errs := make(chan error, batches+plain+1)
		for b := range batches {
			wg.Go(func() {
				evs := make([]residence.Event, size)
				for i := range evs {
					evs[i] = read(b*size + i)
				}
				errs <- s.InTx(ctx(t), func(tx residence.Tx) error { return tx.AppendSealedEvents(ctx(t), evs...) })
			})
		}
		for i := range plain {
			wg.Go(func() {
				errs <- s.InTx(ctx(t), func(tx residence.Tx) error { return tx.AppendEvents(ctx(t), tick(i)) })
			})
		}
		wg.Go(func() {
			for range 5 {
				if _, err := s.(store.Store).Seal(ctx(t)); err != nil {
					errs <- err
					return
				}
			}
		})
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		mustSeal(t, s)
		const total = batches*size + plain
		evs := feed(t, s, 0, 1000)
		if len(evs) != total {
			t.Fatalf("feed has %d events, want %d", len(evs), total)
		}
		reads := 0
		for i, e := range evs {
			if e.Seq != int64(i+1) {
				t.Fatalf("event %d has seq %d", i, e.Seq)
			}
			if e.Type == residence.EventPersonalDataRead {
				reads++
			}
		}
		if reads != batches*size {
			t.Errorf("%d access-log events in the chain, want %d", reads, batches*size)
		}
		if rep := mustVerify(t, s); !rep.OK || rep.Events != total || rep.Head != evs[total-1].Hash {
			t.Fatalf("VerifyChain = %+v, want ok with %d events", rep, total)
		}
	})
}
