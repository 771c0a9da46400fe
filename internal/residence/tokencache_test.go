package residence_test

import (
	"context"
	"testing"
	"time"

	"tirkeu/internal/residence"
	"tirkeu/internal/residence/residencetest"
	"tirkeu/internal/store/storetest"
)

// countingStore counts the reads that reach the store.
type countingStore struct {
	residence.Store
	views int
}

func (c *countingStore) View(ctx context.Context, fn func(residence.Reader) error) error {
	c.views++
	return c.Store.View(ctx, fn)
}

func TestCacheTokens(t *testing.T) {
	ctx := context.Background()
	st := &countingStore{Store: storetest.Open(t, storetest.SQLite)}
	clock := residencetest.NewFakeClock(today)
	svc := residence.NewService(st, clock, residence.DefaultConfig(), nil, nil)
	plain, _, err := svc.CreateToken(ctx, "tax", residence.RoleAgency)
	if err != nil {
		t.Fatal(err)
	}
	auth := func(token string) (residence.Actor, int) {
		t.Helper()
		before := st.views
		a, err := svc.AuthenticateToken(ctx, token)
		if err != nil && !residence.IsCode(err, residence.EUnauthenticated) {
			t.Fatal(err)
		}
		return a, st.views - before
	}

	// Without CacheTokens every request reads the token.
	for range 2 {
		if a, n := auth(plain); n != 1 || a.Role != residence.RoleAgency {
			t.Fatalf("uncached: actor %+v after %d reads, want agency after 1", a, n)
		}
	}

	svc.CacheTokens(10 * time.Second)
	if _, n := auth(plain); n != 1 {
		t.Fatalf("first cached call: %d reads, want 1", n)
	}
	clock.Advance(9 * time.Second)
	if a, n := auth(plain); n != 0 || a.Role != residence.RoleAgency || a.Name != "tax" {
		t.Fatalf("within the TTL: actor %+v after %d reads, want agency tax from the cache", a, n)
	}
	clock.Advance(time.Second)
	if _, n := auth(plain); n != 1 {
		t.Fatalf("at the TTL: %d reads, want 1 (expired)", n)
	}

	// Unknown tokens are never cached: each is looked up and refused.
	for range 2 {
		if a, n := auth("tk_unknown"); n != 1 || a.Role != "" {
			t.Fatalf("unknown token: actor %+v after %d reads, want refused after 1", a, n)
		}
	}
}
