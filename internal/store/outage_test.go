package store_test

import (
	"context"
	"testing"
	"time"

	"tirkeu/internal/chaos"
	"tirkeu/internal/residence"
	"tirkeu/internal/store"
	"tirkeu/internal/store/storetest"
)

// postgresBehindProxy returns a migrated PostgreSQL store in a fresh schema
// whose every connection goes through a loopback proxy that the test can
// cut. It skips without TIRKEU_TEST_DATABASE_URL (fails when CI=true).
func postgresBehindProxy(t *testing.T) (*store.Postgres, *chaos.Proxy) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	proxy, dsn, err := chaos.ProxyURL(storetest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { proxy.Close() })
	s, err := store.OpenPostgres(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s, proxy
}

// TestPostgresOutage cuts the link to PostgreSQL: reads, writes and Ping
// fail with EUnavailable (503 with Retry-After at the API) instead of an
// internal error, and the pool reconnects by itself when the link returns.
func TestPostgresOutage(t *testing.T) {
	s, proxy := postgresBehindProxy(t)
	ctx := context.Background()
	read := func() error {
		return s.View(ctx, func(r residence.Reader) error {
			_, err := r.Person(ctx, "000000000000")
			return err
		})
	}
	write := func() error {
		return s.InTx(ctx, func(tx residence.Tx) error { return tx.LockPerson(ctx, "000000000000") })
	}
	check := func(when, want string) {
		t.Helper()
		for name, op := range map[string]func() error{"read": read, "write": write, "ping": func() error { return s.Ping(ctx) }} {
			err := op()
			got := residence.ErrorCode(err)
			if name == "ping" && want == residence.ENotFound {
				if err != nil {
					t.Errorf("%s: ping: %v", when, err)
				}
				continue
			}
			if got != want {
				t.Errorf("%s: %s: code %q, want %q (%v)", when, name, got, want, err)
			}
		}
	}
	check("before the outage", residence.ENotFound)

	// Connections already in the pool break; new ones are refused.
	proxy.Cut()
	check("link cut", residence.EUnavailable)

	if err := proxy.Restore(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for residence.ErrorCode(read()) != residence.ENotFound {
		if time.Now().After(deadline) {
			t.Fatalf("store did not recover within 10s: %v", read())
		}
		time.Sleep(50 * time.Millisecond)
	}
	check("after the outage", residence.ENotFound)
}
