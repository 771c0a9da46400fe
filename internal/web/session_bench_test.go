package web_test

import (
	"context"
	"os"
	"testing"
	"time"

	"tirkeu/internal/residence"
	"tirkeu/internal/residence/residencetest"
	"tirkeu/internal/store/storetest"
	"tirkeu/internal/web"
)

// BenchmarkSessionVerify measures what checking a session costs per
// request now that it is revocable: the signature alone (cached as
// standing) and the signature plus the database read (no cache), on
// SQLite and, with TIRKEU_TEST_DATABASE_URL, PostgreSQL.
func BenchmarkSessionVerify(b *testing.B) {
	engines := []string{storetest.SQLite}
	if os.Getenv(storetest.EnvDatabaseURL) != "" {
		engines = append(engines, storetest.Postgres)
	}
	for _, engine := range engines {
		st := storetest.Open(b, engine)
		clock := residencetest.NewFakeClock(time.Date(2026, 11, 22, 7, 0, 0, 0, time.UTC))
		svc := residence.NewService(st, clock, residence.DefaultConfig(), nil, nil)
		for _, cache := range []time.Duration{0, 10 * time.Second} {
			s := web.NewSessions([]byte("bench-secret-bench-secret-bench-s"), time.Hour, clock.Now, svc)
			s.CacheActive(cache)
			tok, _, err := s.Issue(context.Background(), residence.Actor{Role: residence.RoleCitizen, IIN: "900101300011"})
			if err != nil {
				b.Fatal(err)
			}
			name := engine + "/db-read"
			if cache > 0 {
				name = engine + "/cached"
			}
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					if _, err := s.Verify(context.Background(), tok); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		b.Run(engine+"/issue", func(b *testing.B) {
			s := web.NewSessions([]byte("bench-secret-bench-secret-bench-s"), time.Hour, clock.Now, svc)
			for b.Loop() {
				if _, _, err := s.Issue(context.Background(), residence.Actor{Role: residence.RoleCitizen, IIN: "900101300011"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
