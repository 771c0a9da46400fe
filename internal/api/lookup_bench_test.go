package api_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"tirkeu/internal/api"
	"tirkeu/internal/registry"
	"tirkeu/internal/residence"
	"tirkeu/internal/residence/residencetest"
	"tirkeu/internal/store/storetest"
	"tirkeu/internal/web"
)

// lookupServer is the test registry behind the handler stack of serve
// (cmd/tirkeu/serve.go, routes): the API on a mux, the route label, the
// client address, observation with a JSON log line and metrics, security
// headers, the body limit, bearer-token authentication, the request
// deadline, with the token cache and the batched access log switched on as
// serve does. The rate limiter is off (TIRKEU_RATE_LIMIT=off in
// bench/run.sh). The log goes to io.Discard through slog's JSON handler, so
// the line is still formatted.
type lookupServer struct {
	h     http.Handler
	f     *fixture
	svc   *residence.Service
	st    residence.Store
	token string
}

func newLookupServer(tb testing.TB, st residence.Store) *lookupServer {
	tb.Helper()
	ctx := context.Background()
	f, data := newFixture(tb)
	sum, err := registry.Import(ctx, st, strings.NewReader(data), registry.Options{})
	if err != nil || sum.Bad != 0 {
		tb.Fatalf("import fixture: %+v %v", sum, err)
	}
	clock := residencetest.NewFakeClock(today)
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	svc := residence.NewService(st, clock, residence.DefaultConfig(), nil, log)
	stop := svc.BatchAccessLog(100*time.Millisecond, 500)
	tb.Cleanup(func() {
		if err := stop(ctx); err != nil {
			tb.Errorf("stop access log: %v", err)
		}
	})
	svc.CacheTokens(10 * time.Second)
	sessions := web.NewSessions([]byte("test-secret-test-secret-test-secret"), time.Hour, clock.Now, svc)
	sessions.CacheActive(10 * time.Second)
	mux := http.NewServeMux()
	api.New(svc, sessions).Register(mux)
	metrics := web.NewMetrics(prometheus.NewRegistry(), 30*time.Second)
	root := http.NewServeMux()
	root.Handle("/", web.Stack(web.Chain(web.Routes(mux), web.ClientAddress(false)), log, metrics, sessions, svc.AuthenticateToken))
	h := web.Chain(root, web.Forwarded(false), web.Deadline(30*time.Second))
	token, _, err := svc.CreateToken(ctx, "bench-agency", residence.RoleAgency, residence.PurposeAddressRead)
	if err != nil {
		tb.Fatal(err)
	}
	return &lookupServer{h: h, f: f, svc: svc, st: st, token: token}
}

// request is an agency's lookup of the person, as tirkeu bench sends it.
func (s *lookupServer) request(tb testing.TB, name string) *http.Request {
	tb.Helper()
	req, err := http.NewRequest("GET", "http://tirkeu.test/api/v1/persons/"+s.f.p[name].iin+"/registrations", nil)
	if err != nil {
		tb.Fatal(err)
	}
	req.RemoteAddr = "192.0.2.1:40000"
	req.Header.Set("Authorization", "Bearer "+s.token)
	req.Header.Set("Accept", "application/json")
	return req
}

// benchWriter is a ResponseWriter that, like net/http's, starts every
// response with a new header map and keeps its output buffer between
// responses.
type benchWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *benchWriter) reset() {
	w.header, w.status = http.Header{}, 0
	w.body.Reset()
}

func (w *benchWriter) Header() http.Header { return w.header }

func (w *benchWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *benchWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(b)
}

// BenchmarkLookup measures an agency's address lookup, GET
// /api/v1/persons/{iin}/registrations, in process through serve's whole
// handler stack (newLookupServer) on each engine: an adult registered at an
// address of their own, and a child under 14 whose address is derived from
// a parent's. Run with -benchmem: allocations per lookup are the stable
// measure on a busy machine.
//
//	go test ./internal/api -run '^$' -bench BenchmarkLookup -benchmem -benchtime 2000x -count 5
func BenchmarkLookup(b *testing.B) {
	for _, engine := range []string{storetest.SQLite, storetest.Postgres} {
		b.Run(engine, func(b *testing.B) {
			s := newLookupServer(b, storetest.Open(b, engine))
			for _, who := range []struct{ name, person string }{{"adult", "owner"}, {"child", "child13"}} {
				b.Run(who.name, func(b *testing.B) {
					req := s.request(b, who.person)
					var w benchWriter
					ctx := context.Background()
					// The records of earlier runs are written before the
					// clock starts, and this run's before it stops, so that
					// each run pays for the writes of its own records.
					if err := s.svc.FlushAccessLog(ctx); err != nil {
						b.Fatal(err)
					}
					b.ReportAllocs()
					b.ResetTimer()
					for range b.N {
						w.reset()
						s.h.ServeHTTP(&w, req)
						if w.status != http.StatusOK {
							b.Fatalf("status %d: %s", w.status, w.body.Bytes())
						}
					}
					if err := s.svc.FlushAccessLog(ctx); err != nil {
						b.Fatal(err)
					}
				})
			}
		})
	}
}
