package web

import (
	"crypto/hmac"
	"crypto/sha256"
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
	s := NewSessions([]byte("fuzz-secret-fuzz-secret-fuzz-secret"), time.Hour, now)
	other := NewSessions([]byte("another-secret-another-secret-1234"), time.Hour, now)
	good, _ := s.Issue(residence.Actor{Role: residence.RoleCitizen, IIN: "900101300011"})
	foreign, _ := other.Issue(residence.Actor{Role: residence.RoleCitizen, IIN: "900101300011"})
	for _, tok := range []string{good, foreign, "", ".", "a.b", good + "x", strings.Replace(good, ".", "..", 1), strings.Repeat("A", 2000) + ".x"} {
		f.Add(tok)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		a, err := s.Verify(tok)
		if err != nil {
			return
		}
		// Accepted: it must carry a valid MAC under the server's secret
		// (seeds come from another process, so compare MACs, not tokens).
		p, sig, _ := strings.Cut(tok, ".")
		got, err := base64.RawURLEncoding.DecodeString(sig)
		if err != nil || !hmac.Equal(got, s.sign(p)) {
			t.Fatalf("Verify accepted a token without the server's MAC: %q", tok)
		}
		if a.Role != residence.RoleCitizen || a.IIN == "" {
			t.Fatalf("Verify(%q) = %+v", tok, a)
		}
	})
	if _, err := s.Verify(foreign); err == nil {
		f.Fatal("a token signed with another secret verified")
	}
}

// FuzzCheckChallenge: only challenges the server made pass.
func FuzzCheckChallenge(f *testing.F) {
	now := func() time.Time { return time.Date(2026, 11, 22, 7, 0, 0, 0, time.UTC) }
	s := NewSessions([]byte("fuzz-secret-fuzz-secret-fuzz-secret"), time.Hour, now)
	good, _ := s.Challenge()
	for _, c := range []string{good, "", ".", "1.2.3", "99999999999999999999.x.y", good + "A", strings.Repeat(".", 300)} {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, c string) {
		if s.CheckChallenge(c) != nil {
			return
		}
		i := strings.LastIndexByte(c, '.')
		m := hmac.New(sha256.New, s.secret)
		m.Write([]byte("challenge\x00" + c[:i]))
		if got, err := base64.RawURLEncoding.DecodeString(c[i+1:]); err != nil || !hmac.Equal(got, m.Sum(nil)) {
			t.Fatalf("CheckChallenge accepted %q without the server's MAC", c)
		}
	})
}
