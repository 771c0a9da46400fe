package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"tirkeu/internal/residence"
	"tirkeu/internal/store"
	"tirkeu/internal/store/storetest"
)

// sealTicks appends n events, one transaction each, and seals them.
func sealTicks(t *testing.T, s residence.Store, from, n int) []residence.Event {
	t.Helper()
	for i := range n {
		mustTx(t, s, func(tx residence.Tx) error { return tx.AppendEvents(ctx(t), tick(from+i)) })
	}
	mustSeal(t, s)
	return feed(t, s, 0, 1000)
}

func verifyOpts(t *testing.T, s residence.Store, opts store.VerifyOptions) store.ChainReport {
	t.Helper()
	rep, err := s.(store.Store).VerifyChain(ctx(t), opts)
	if err != nil {
		t.Fatalf("VerifyChain: %v", err)
	}
	return rep
}

func wantBroken(t *testing.T, rep store.ChainReport, seq int64, reason string) {
	t.Helper()
	if rep.OK || rep.FirstBadSeq != seq || !strings.HasPrefix(rep.Reason, reason) {
		t.Fatalf("VerifyChain = %+v, want first bad seq %d, reason %q", rep, seq, reason)
	}
}

// TestVerifyDetectsRewriteWithoutKey changes an event and recomputes the
// chain and the head after it as one with SQL access but without the
// audit key would: with plain SHA-256 (the encoding of the unkeyed chain or
// of the keyed one), or an HMAC under a guessed key, or by passing the whole
// chain off as one sealed before the chain was keyed. Each is detected; the
// same rewrite with the store's key verifies, so it is the key that makes
// the difference.
func TestVerifyDetectsRewriteWithoutKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		sqls    []string
		mode    store.Rechain
		key     []byte
		from    int64
		wantOK  bool
		wantSeq int64
		reason  string
	}{
		{name: "plain SHA-256, unkeyed encoding", mode: store.RechainPlainV1, from: 4, wantSeq: 4, reason: store.ReasonHashMismatch},
		{name: "plain SHA-256, keyed encoding", mode: store.RechainPlainV2, from: 4, wantSeq: 4, reason: store.ReasonHashMismatch},
		{name: "HMAC under another key", mode: store.RechainKeyed, key: []byte("a guessed key"), from: 4, wantSeq: 4, reason: store.ReasonHashMismatch},
		{
			name: "passed off as an unkeyed chain", sqls: []string{`UPDATE audit_head SET keyed_from = 11`},
			mode: store.RechainPlainV1, from: 1, wantSeq: 11, reason: store.ReasonEpoch,
		},
		{
			name: "passed off as unkeyed below the change", sqls: []string{`UPDATE audit_head SET keyed_from = 5`},
			mode: store.RechainPlainV1, from: 1, wantSeq: 5, reason: store.ReasonEpoch,
		},
		{name: "HMAC under the store's key (the control)", mode: store.RechainKeyed, key: store.DemoAuditKey, from: 4, wantOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, s residence.Store) {
				sealTicks(t, s, 0, 10)
				if rep := mustVerify(t, s); !rep.OK || rep.Events != 10 || rep.KeyedFrom != 1 {
					t.Fatalf("honest chain: %+v", rep)
				}
				for _, q := range append([]string{`UPDATE events SET data = '{"i": 400}' WHERE seq = 4`}, tt.sqls...) {
					if err := store.ExecForTest(ctx(t), s, q); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
				if err := store.RechainForTest(ctx(t), s, tt.mode, tt.key, tt.from); err != nil {
					t.Fatalf("rechain: %v", err)
				}
				rep := mustVerify(t, s)
				if tt.wantOK {
					if !rep.OK || rep.Events != 10 {
						t.Fatalf("rewritten with the key: %+v, want ok", rep)
					}
					return
				}
				wantBroken(t, rep, tt.wantSeq, tt.reason)
			})
		})
	}
}

// TestVerifyWrongKey: a chain verified, or a store migrated, with a key
// other than the one it was sealed with is refused at the start of the
// keyed chain; an empty chain takes any key.
func TestVerifyWrongKey(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		other := []byte("not the key the chain was sealed with")
		if err := store.CheckAuditKeyForTest(ctx(t), s, other); err != nil {
			t.Fatalf("empty chain, another key: %v", err)
		}
		// The chain starts with an access-log batch, sealed as written.
		read := tick(0)
		read.Type = residence.EventPersonalDataRead
		mustTx(t, s, func(tx residence.Tx) error { return tx.AppendSealedEvents(ctx(t), read) })
		sealTicks(t, s, 1, 3)
		if rep := mustVerify(t, s); !rep.OK || rep.Events != 4 {
			t.Fatalf("honest chain: %+v", rep)
		}
		rep, err := store.VerifyWithKeyForTest(ctx(t), s, other, store.VerifyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		wantBroken(t, rep, 1, store.ReasonEpoch)
		if err := store.CheckAuditKeyForTest(ctx(t), s, other); !errors.Is(err, store.ErrAuditKey) {
			t.Fatalf("migrate with another key: %v, want ErrAuditKey", err)
		}
		if err := store.CheckAuditKeyForTest(ctx(t), s, store.DemoAuditKey); err != nil {
			t.Fatalf("migrate with the key: %v", err)
		}
	})
}

// TestVerifyExpectedHead publishes heads, then truncates the chain below
// one: the chain alone still verifies (a prefix of a keyed chain is a keyed
// chain), but not against the head published earlier, nor once it has
// grown again past it.
func TestVerifyExpectedHead(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		evs := sealTicks(t, s, 0, 10)
		head := store.ChainHead{Seq: 10, Hash: evs[9].Hash}
		mid := store.ChainHead{Seq: 5, Hash: evs[4].Hash}
		if rep := verifyOpts(t, s, store.VerifyOptions{Expect: []store.ChainHead{head, mid}}); !rep.OK || rep.Head != head.Hash {
			t.Fatalf("honest chain with its heads: %+v", rep)
		}
		wrong := store.ChainHead{Seq: 5, Hash: strings.Repeat("ab", 32)}
		wantBroken(t, verifyOpts(t, s, store.VerifyOptions{Expect: []store.ChainHead{wrong}}), 5, store.ReasonExpectedHash)

		for _, q := range []string{`DELETE FROM events WHERE seq > 6`, `UPDATE audit_head SET seq = 6, hash = '` + evs[5].Hash + `'`} {
			if err := store.ExecForTest(ctx(t), s, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if rep := mustVerify(t, s); !rep.OK || rep.Events != 6 {
			t.Fatalf("truncated chain without expectations: %+v", rep)
		}
		wantBroken(t, verifyOpts(t, s, store.VerifyOptions{Expect: []store.ChainHead{mid, head}}), 10, store.ReasonTruncated)
		if rep := verifyOpts(t, s, store.VerifyOptions{Expect: []store.ChainHead{mid}}); !rep.OK {
			t.Fatalf("a head below the cut: %+v", rep)
		}

		// The chain grows again past the published head: seq 10 is
		// another event now.
		grown := sealTicks(t, s, 100, 5)
		rep := verifyOpts(t, s, store.VerifyOptions{Expect: []store.ChainHead{head}})
		wantBroken(t, rep, 10, store.ReasonExpectedHash)
		if rep.EventID != grown[9].ID {
			t.Errorf("event %d named, want %d", rep.EventID, grown[9].ID)
		}
	})
}

// TestVerifyReportsUnsealed: an event that waits longer than a minute to be
// sealed fails the verification, judged by the clock passed in.
func TestVerifyReportsUnsealed(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		sealTicks(t, s, 0, 2)
		late := residence.Event{Type: "test.tick", At: t0.Add(time.Hour), PersonIIN: iinOwner}
		mustTx(t, s, func(tx residence.Tx) error { return tx.AppendEvents(ctx(t), late, late) })
		n, oldest, err := s.(store.Store).Unsealed(ctx(t))
		if err != nil || n != 2 || !oldest.Equal(late.At) {
			t.Fatalf("Unsealed = %d, %v, %v; want 2, %v", n, oldest, err, late.At)
		}
		rep := verifyOpts(t, s, store.VerifyOptions{Now: late.At.Add(59 * time.Second)})
		if !rep.OK || rep.Unsealed != 2 || !rep.OldestUnsealed.Equal(late.At) {
			t.Fatalf("unsealed for 59 s: %+v", rep)
		}
		wantBroken(t, verifyOpts(t, s, store.VerifyOptions{Now: late.At.Add(61 * time.Second)}), 0, store.ReasonUnsealed)
		if rep := verifyOpts(t, s, store.VerifyOptions{Now: late.At.Add(61 * time.Second), MaxUnsealedAge: 2 * time.Minute}); !rep.OK {
			t.Fatalf("within a longer bound: %+v", rep)
		}
		mustSeal(t, s)
		if rep := verifyOpts(t, s, store.VerifyOptions{Now: late.At.Add(time.Hour)}); !rep.OK || rep.Unsealed != 0 {
			t.Fatalf("after Seal: %+v", rep)
		}
		if n, oldest, err := s.(store.Store).Unsealed(ctx(t)); err != nil || n != 0 || !oldest.IsZero() {
			t.Fatalf("Unsealed after Seal = %d, %v, %v", n, oldest, err)
		}
	})
}

// TestUnkeyedChainContinues upgrades a database whose chain was sealed
// before links were keyed: its links stay plain and verify, the links
// sealed after the upgrade are keyed, and a rewrite of the unkeyed part is
// detected both before and after a keyed link exists.
func TestUnkeyedChainContinues(t *testing.T) {
	t.Parallel()
	for _, extend := range []bool{false, true} {
		name := "not extended"
		if extend {
			name = "extended"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, s residence.Store) {
				for i := range 5 {
					mustTx(t, s, func(tx residence.Tx) error { return tx.AppendEvents(ctx(t), tick(i)) })
				}
				if err := store.UnkeyedChainForTest(ctx(t), s); err != nil {
					t.Fatal(err)
				}
				if err := s.(store.Store).Migrate(ctx(t)); err != nil {
					t.Fatalf("upgrade: %v", err)
				}
				if rep := mustVerify(t, s); !rep.OK || rep.Events != 5 || rep.KeyedFrom != 6 {
					t.Fatalf("upgraded chain: %+v", rep)
				}
				total := int64(5)
				if extend {
					sealTicks(t, s, 10, 3)
					total = 8
					if rep := mustVerify(t, s); !rep.OK || rep.Events != total || rep.KeyedFrom != 6 {
						t.Fatalf("extended chain: %+v", rep)
					}
				}
				if err := store.ExecForTest(ctx(t), s, `UPDATE events SET data = '{"i": 200}' WHERE seq = 2`); err != nil {
					t.Fatal(err)
				}
				if err := store.RechainForTest(ctx(t), s, store.RechainPlainV1, nil, 2); err != nil {
					t.Fatal(err)
				}
				seq := int64(6) // the first keyed link, or the epoch after the head
				wantBroken(t, mustVerify(t, s), seq, store.ReasonEpoch)
			})
		})
	}
}
