package web

import (
	"context"
	"crypto/hmac"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"tirkeu/internal/residence"
)

// FuzzNegotiateLang: any Accept-Language header gives kk, ru or en.
func FuzzNegotiateLang(f *testing.F) {
	for _, s := range []string{"", "kk", "ru-RU,ru;q=0.9,en;q=0.8", "en;q=0", "kz-KZ", "*", "en;q=1.5", "en;q=-1", ";;,,", "ru;q=0.",
		"kk;q=0.99999999999999999999", strings.Repeat("en,", 1000), "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		if l := NegotiateLang(h); l != "kk" && l != "ru" && l != "en" {
			t.Fatalf("NegotiateLang(%q) = %q", h, l)
		}
	})
}

// FuzzSessionsVerify: no token the server did not sign verifies, and a
// token it signed verifies as exactly the actor it was issued for.
func FuzzSessionsVerify(f *testing.F) {
	now := func() time.Time { return time.Date(2026, 11, 22, 7, 0, 0, 0, time.UTC) }
	st := newMemSessions()
	s := NewSessions([]byte("fuzz-secret-fuzz-secret-fuzz-secret"), time.Hour, now, st)
	other := NewSessions([]byte("another-secret-another-secret-1234"), time.Hour, now, st)
	ctx := context.Background()
	good, _, _ := s.Issue(ctx, residence.Actor{Role: residence.RoleCitizen, IIN: "900101300011"})
	foreign, _, _ := other.Issue(ctx, residence.Actor{Role: residence.RoleCitizen, IIN: "900101300011"})
	staff, _, _ := s.IssueStaff(ctx, residence.Actor{Role: residence.RoleOperator, Name: "op"}, []byte{1, 2}, time.Hour)
	ch, _ := s.Challenge(time.Minute)
	for _, tok := range []string{good, foreign, staff, ch, "", ".", "a.b", good + "x", strings.Replace(good, ".", "..", 1), strings.Repeat("A", 2000) + ".x"} {
		f.Add(tok)
	}
	key := NewSigner([]byte("fuzz-secret-fuzz-secret-fuzz-secret")).keys[KindCitizen]
	f.Fuzz(func(t *testing.T, tok string) {
		a, err := s.Verify(ctx, tok)
		if err != nil {
			return
		}
		// Accepted: it must carry a valid MAC under the citizen key
		// (seeds come from another process, so compare MACs, not tokens).
		p, sig, _ := strings.Cut(tok, ".")
		got, err := base64.RawURLEncoding.DecodeString(sig)
		if err != nil || !hmac.Equal(got, mac(key, p)) {
			t.Fatalf("Verify accepted a token without the server's MAC: %q", tok)
		}
		if a.Role != residence.RoleCitizen || a.IIN == "" {
			t.Fatalf("Verify(%q) = %+v", tok, a)
		}
	})
	for _, tok := range []string{foreign, staff, ch} {
		if _, err := s.Verify(ctx, tok); err == nil {
			f.Fatalf("%q verified as a citizen session", tok)
		}
	}
}

// FuzzCheckChallenge: only challenges the server made pass.
func FuzzCheckChallenge(f *testing.F) {
	now := func() time.Time { return time.Date(2026, 11, 22, 7, 0, 0, 0, time.UTC) }
	s := NewSessions([]byte("fuzz-secret-fuzz-secret-fuzz-secret"), time.Hour, now, newMemSessions())
	good, _ := s.Challenge(5 * time.Minute)
	session, _, _ := s.Issue(context.Background(), residence.Actor{Role: residence.RoleCitizen, IIN: "900101300011"})
	for _, c := range []string{good, session, "", ".", "1.2.3", "99999999999999999999.x.y", good + "A", strings.Repeat(".", 300)} {
		f.Add(c)
	}
	key := NewSigner([]byte("fuzz-secret-fuzz-secret-fuzz-secret")).keys[KindChallenge]
	f.Fuzz(func(t *testing.T, c string) {
		if s.CheckChallenge(c) != nil {
			return
		}
		p, sig, _ := strings.Cut(c, ".")
		if got, err := base64.RawURLEncoding.DecodeString(sig); err != nil || !hmac.Equal(got, mac(key, p)) {
			t.Fatalf("CheckChallenge accepted %q without the server's MAC", c)
		}
	})
	if s.CheckChallenge(session) == nil {
		f.Fatal("a session token passed as a challenge")
	}
}
