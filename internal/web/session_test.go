package web

import (
	"context"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"tirkeu/internal/residence"
)

// memSessions is a SessionStore in memory, with the contract of
// residence.Service's (challenge_reused, unauthenticated).
type memSessions struct {
	mu         sync.Mutex
	sessions   map[string]residence.Session
	challenges map[string]bool
	down       bool
	now        func() time.Time
}

func newMemSessions() *memSessions {
	return &memSessions{sessions: map[string]residence.Session{}, challenges: map[string]bool{}, now: time.Now}
}

func (m *memSessions) StartSession(_ context.Context, s residence.Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s.Challenge != "" {
		if m.challenges[s.Challenge] {
			return residence.NewError(residence.EChallengeReused, residence.Text{EN: "used"})
		}
		m.challenges[s.Challenge] = true
	}
	m.sessions[s.ID] = s
	return nil
}

func (m *memSessions) EndSession(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s, ok := m.sessions[id]; ok {
		s.RevokedAt = time.Unix(1, 0)
		m.sessions[id] = s
	}
	return nil
}

func (m *memSessions) SessionActive(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.down {
		return residence.Unavailable(nil)
	}
	if s, ok := m.sessions[id]; !ok || !s.RevokedAt.IsZero() {
		return residence.NewError(residence.EUnauthenticated, residence.Text{EN: "ended"})
	}
	return nil
}

func testSessions(t *testing.T) (*Sessions, *memSessions, *fakeNow) {
	t.Helper()
	clock := &fakeNow{t: time.Date(2026, 11, 22, 7, 0, 0, 0, time.UTC)}
	st := newMemSessions()
	return NewSessions([]byte("session-test-secret-session-test"), time.Hour, clock.now, st), st, clock
}

// TestSignerKindsAreSeparate: one signer makes every token, and a token of
// one kind never opens as another, nor under another secret.
func TestSignerKindsAreSeparate(t *testing.T) {
	now := time.Date(2026, 11, 22, 7, 0, 0, 0, time.UTC)
	s := NewSigner([]byte("signer-test-secret-signer-test-s"))
	other := NewSigner([]byte("another-secret-another-secret-12"))
	kinds := []Kind{KindCitizen, KindStaff, KindChallenge}
	for _, k := range kinds {
		tok := s.Sign(Claims{Kind: k, ID: "id1", Subject: "900101300011", Exp: now.Add(time.Minute).Unix()})
		for _, want := range kinds {
			_, err := s.Open(want, tok, now)
			if (err == nil) != (k == want) {
				t.Errorf("a %s token opened as %s: err %v", k, want, err)
			}
		}
		if _, err := other.Open(k, tok, now); err == nil {
			t.Errorf("a %s token opened under another secret", k)
		}
		if _, err := s.Open(k, tok, now.Add(time.Minute)); err == nil {
			t.Errorf("an expired %s token opened", k)
		}
	}
	// A token of a kind but claiming another in its payload is refused
	// (the key and the claim must agree).
	forged := s.Sign(Claims{Kind: KindStaff, ID: "x", Exp: now.Add(time.Minute).Unix()})
	p, _, _ := strings.Cut(forged, ".")
	if _, err := s.Open(KindCitizen, p+"."+strings.Split(s.Sign(Claims{Kind: KindCitizen, ID: "x", Exp: now.Add(time.Minute).Unix()}), ".")[1], now); err == nil {
		t.Error("a staff payload with a citizen MAC opened")
	}
}

// TestSessionEndsOnSignOut: a session token works until End, and a copy of
// it is refused afterwards, also when this node cached it as active.
func TestSessionEndsOnSignOut(t *testing.T) {
	ctx := context.Background()
	for _, cache := range []time.Duration{0, time.Minute} {
		s, _, _ := testSessions(t)
		s.CacheActive(cache)
		a := residence.Actor{Role: residence.RoleCitizen, IIN: "900101300011"}
		tok, _, err := s.Issue(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := s.Verify(ctx, tok); err != nil || !reflect.DeepEqual(got, a) {
			t.Fatalf("cache %v: Verify = %+v, %v", cache, got, err)
		}
		if err := s.End(ctx, tok); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Verify(ctx, tok); !residence.IsCode(err, residence.EUnauthenticated) {
			t.Errorf("cache %v: after sign-out: %v, want unauthenticated", cache, err)
		}
		staff := residence.Actor{Role: residence.RoleOperator, Name: "op"}
		st, _, err := s.IssueStaff(ctx, staff, []byte{0xab}, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if got, hash, err := s.VerifyStaff(ctx, st); err != nil || !reflect.DeepEqual(got, staff) || len(hash) != 1 || hash[0] != 0xab {
			t.Fatalf("VerifyStaff = %+v %x %v", got, hash, err)
		}
		if err := s.End(ctx, st); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.VerifyStaff(ctx, st); !residence.IsCode(err, residence.EUnauthenticated) {
			t.Errorf("staff after sign-out: %v", err)
		}
	}
}

// TestSessionNeverIssuedIsRefused: a correctly signed token without a row
// (forged with a leaked secret) is refused; a store that cannot answer is
// not mistaken for a bad token.
func TestSessionNeverIssuedIsRefused(t *testing.T) {
	s, st, clock := testSessions(t)
	forged := s.signer.Sign(Claims{Kind: KindCitizen, ID: "never", Subject: "900101300011", Role: "citizen", Exp: clock.t.Add(time.Hour).Unix()})
	if _, err := s.Verify(context.Background(), forged); !residence.IsCode(err, residence.EUnauthenticated) {
		t.Errorf("forged: %v", err)
	}
	tok, _, _ := s.Issue(context.Background(), residence.Actor{Role: residence.RoleCitizen, IIN: "900101300011"})
	st.down = true
	if _, err := s.Verify(context.Background(), tok); !residence.IsCode(err, residence.EUnavailable) {
		t.Errorf("store down: %v, want unavailable", err)
	}
}

// TestChallengeSingleUse: a challenge starts one session; the second use is
// challenge_reused, an expired or foreign one unauthenticated.
func TestChallengeSingleUse(t *testing.T) {
	ctx := context.Background()
	s, _, clock := testSessions(t)
	a := residence.Actor{Role: residence.RoleCitizen, IIN: "900101300011"}
	ch, _ := s.Challenge(5 * time.Minute)
	if err := s.CheckChallenge(ch); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.IssueEDS(ctx, a, ch); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.IssueEDS(ctx, a, ch); !residence.IsCode(err, residence.EChallengeReused) || Status(err) != 409 {
		t.Errorf("second use: %v (status %d), want challenge_reused 409", err, Status(err))
	}
	old, _ := s.Challenge(5 * time.Minute)
	clock.t = clock.t.Add(5 * time.Minute)
	if _, _, err := s.IssueEDS(ctx, a, old); !residence.IsCode(err, residence.EUnauthenticated) {
		t.Errorf("expired: %v", err)
	}
	session, _, _ := s.Issue(ctx, a)
	if _, _, err := s.IssueEDS(ctx, a, session); !residence.IsCode(err, residence.EUnauthenticated) {
		t.Errorf("a session token as a challenge: %v", err)
	}
}
