package main

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"tirkeu/internal/api"
	"tirkeu/internal/certificate"
	"tirkeu/internal/demo"
	"tirkeu/internal/eds"
	"tirkeu/internal/jobs"
	"tirkeu/internal/residence"
	"tirkeu/internal/sms"
	"tirkeu/internal/store"
	"tirkeu/internal/ui"
	"tirkeu/internal/web"
)

func init() {
	commands["serve"] = command{"run the HTTP server (demo mode by default: SQLite in ./data, demo registry, SMS outbox)", runServe}
}

func runServe(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	cfg, _, err := loadConfig("serve", args)
	if err != nil {
		fmt.Fprintln(stderr, "tirkeu serve:", err)
		return 2
	}
	logs := newLogBuffer(stderr, 100*time.Millisecond)
	defer logs.Close()
	log := newLogger(logs, cfg)
	startPprof(log)
	a, err := openApp(ctx, cfg, log, residence.SystemClock{})
	if err != nil {
		log.Error("start", "error", err.Error())
		return 1
	}
	defer a.close()
	if err := a.serve(ctx, stdout); err != nil {
		log.Error("serve", "error", err.Error())
		return 1
	}
	return 0
}

func newLogger(w io.Writer, cfg config) *slog.Logger {
	if cfg.demo() {
		return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: logLevel()}))
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: logLevel()}))
}

// app is a running service: its store, domain service, SMS sender, jobs and
// HTTP handler.
type app struct {
	cfg      config
	log      *slog.Logger
	store    store.Store
	svc      *residence.Service
	sender   sms.Sender
	handler  http.Handler
	stopJobs func(context.Context) error
	// stopSealer stops the event sealer (store.Store.StartSealer).
	stopSealer func()
	// stopWatch stops the check of events left unsealed (auditwatch.go).
	stopWatch func()
	// stopSweeper stops the sweep of expired temporary registrations.
	stopSweeper func()
	// stopAccessLog flushes the buffered access-log records.
	stopAccessLog func(context.Context) error
	// metrics is the registry /metrics serves.
	metrics *prometheus.Registry
	// seal seals registration certificates (nil: none are issued).
	seal *certificate.Maker
}

// openApp opens and migrates the store, loads the demo registry on the first
// start in demo mode, and wires the service, SMS, jobs and routes.
func openApp(ctx context.Context, cfg config, log *slog.Logger, clock residence.Clock) (*app, error) {
	st, err := store.Open(ctx, cfg.DatabaseURL, log, store.WithAuditKey(cfg.storeAuditKey()))
	if err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, log: log, store: st}
	ok := false
	defer func() {
		if !ok {
			a.close()
		}
	}()
	if err := st.Migrate(ctx); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	if cfg.demo() {
		if err := loadDemoOnce(ctx, st, clock.Now(), log); err != nil {
			return nil, err
		}
	}
	verifier, err := newVerifier(cfg, clock)
	if err != nil {
		return nil, err
	}
	a.svc = residence.NewService(st, clock, cfg.serviceConfig(), verifier, log)
	// The business counters follow what the service's transactions commit
	// (residence.Observer); set before the jobs start, which use the service.
	a.metrics = prometheus.NewRegistry()
	a.svc.Observe(web.NewBusiness(a.metrics))
	// Reads of personal data are logged in batches (residence/accesslog.go
	// says what a crash can lose); close flushes the rest.
	a.stopAccessLog = a.svc.BatchAccessLog(100*time.Millisecond, 500)
	// Valid bearer tokens are remembered briefly (residence/tokencache.go):
	// a token revoked in the database stops working within this time.
	a.svc.CacheTokens(cfg.TokenCache)
	// Registration certificates are sealed with the service's key (seal.go).
	if a.seal, err = loadSeal(cfg, clock.Now(), log); err != nil {
		return nil, err
	}
	if a.seal != nil {
		a.svc.SetCertificateMaker(a.seal)
	}
	a.sender, err = sms.Open(cfg.SMS, jobs.Inbound{Service: a.svc}, log)
	if err != nil {
		return nil, fmt.Errorf("sms: %w", err)
	}
	if cfg.Workers {
		a.stopJobs, err = st.StartJobs(ctx, jobs.Workers(a.svc, jobs.Gateway{Sender: a.sender}, log))
		if err != nil {
			return nil, fmt.Errorf("jobs: %w", err)
		}
		// Events reach the feed once sealed into the chain; sealers of
		// several nodes take turns on the chain head.
		a.stopSealer = st.StartSealer(ctx, 50*time.Millisecond)
		// Temporary registrations end when their period passes, those the
		// import loaded included; the first sweep catches up after downtime.
		a.stopSweeper = jobs.Sweeper{Service: a.svc, Log: log}.Start(ctx)
	}
	// Every node warns of events left unsealed, whoever seals them.
	a.stopWatch = watchUnsealed(ctx, st, clock.Now, log, 15*time.Second)
	if a.handler, err = a.routes(clock); err != nil {
		return nil, err
	}
	ok = true
	return a, nil
}

func (a *app) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if a.stopSweeper != nil {
		a.stopSweeper()
	}
	if a.stopJobs != nil {
		_ = a.stopJobs(ctx)
	}
	if a.sender != nil {
		_ = a.sender.Close()
	}
	if a.stopAccessLog != nil {
		if err := a.stopAccessLog(ctx); err != nil {
			a.log.Error("access log: final flush", "error", err.Error())
		}
	}
	if a.stopSealer != nil {
		a.stopSealer()
	}
	if a.stopWatch != nil {
		a.stopWatch()
	}
	if a.store != nil {
		_ = a.store.Close()
	}
}

// loadDemoOnce fills an empty database with the demo registry.
func loadDemoOnce(ctx context.Context, st residence.Store, now time.Time, log *slog.Logger) error {
	cast := demo.Cast(now)
	if len(cast) > 0 {
		var have map[string]bool
		err := st.View(ctx, func(r residence.Reader) error {
			var err error
			have, err = r.ExistingPersons(ctx, []string{cast[0].IIN})
			return err
		})
		if err != nil {
			return err
		}
		if have[cast[0].IIN] {
			return nil
		}
	}
	start := time.Now()
	sum, err := demo.Load(ctx, st, now)
	if err != nil {
		return fmt.Errorf("load demo registry: %w", err)
	}
	log.Info("demo registry loaded", "records", sum.Imported, "bad", sum.Bad, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// newVerifier builds the EDS verifier: the configured trust roots, plus in
// demo mode the demo CA (created under the data directory on first start).
func newVerifier(cfg config, clock residence.Clock) (residence.SignatureVerifier, error) {
	var roots, inter []*x509.Certificate
	if cfg.TrustRoots != "" {
		rs, is, err := eds.LoadTrust(cfg.TrustRoots, "")
		if err != nil {
			return nil, fmt.Errorf("TIRKEU_TRUST_ROOTS: %w", err)
		}
		roots, inter = append(roots, rs...), append(inter, is...)
	}
	if cfg.TrustInter != "" {
		is, err := eds.LoadPEMFile(cfg.TrustInter)
		if err != nil {
			return nil, fmt.Errorf("TIRKEU_TRUST_INTERMEDIATES: %w", err)
		}
		inter = append(inter, is...)
	}
	if cfg.demo() {
		rs, err := eds.EnsureDemoCA(filepath.Join(cfg.DataDir, "demo-ca"), demoEDSSubjects(clock.Now()), clock.Now())
		if err != nil {
			return nil, fmt.Errorf("demo CA: %w", err)
		}
		roots = append(roots, rs...)
	}
	if len(roots) == 0 {
		return nil, nil
	}
	v, err := eds.NewVerifier(eds.Config{Roots: roots, Intermediates: inter, Now: clock.Now, RevocationRequired: !cfg.demo()})
	if err != nil {
		return nil, err
	}
	return v, nil
}

func demoEDSSubjects(now time.Time) []eds.DemoSubject {
	var out []eds.DemoSubject
	for _, s := range demo.EDSSubjects() {
		out = append(out, eds.DemoSubject{IIN: s.IIN, BIN: s.BIN, CommonName: s.CommonName, Roles: s.Roles})
	}
	return out
}

// routes builds the HTTP handler: the API, the operations endpoints, and the
// middleware around them.
func (a *app) routes(clock residence.Clock) (http.Handler, error) {
	reg := a.metrics
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	web.RegisterBuildInfo(reg)
	metrics := web.NewMetrics(reg, a.cfg.RequestTimeout)
	reg.MustRegister(newAuditCollector(a.store, clock.Now), storeCollector(a.store))
	secret := a.cfg.serviceConfig().Secret
	// Sessions are recorded in the database, so signing out ends them
	// (residence/session.go); whether one stands is remembered as long as
	// a valid bearer token is.
	sessions := web.NewSessions(secret, 12*time.Hour, clock.Now, a.svc)
	sessions.CacheActive(a.cfg.TokenCache)
	// Every route that sends or tries a code is limited per client address
	// where it is registered (api.go, ui.go).
	limiter := web.NewIPLimiter(a.cfg.IPLimit)

	mux := http.NewServeMux()
	ap := api.New(a.svc, sessions)
	ap.DevSMS = a.cfg.demo()
	ap.Limiter = limiter
	ap.Register(mux)
	opts := ui.Options{Demo: a.cfg.demo(), Secret: secret, Now: clock.Now, Cast: demo.Cast, Limiter: limiter}
	if a.seal != nil {
		opts.SealPEM = a.seal.Seal.CertPEM()
	}
	pages, err := ui.New(a.svc, sessions, opts)
	if err != nil {
		return nil, fmt.Errorf("pages: %w", err)
	}
	pages.Register(mux)
	ap.DevSMSPage = pages.RenderOutbox // a browser's /dev/sms is a page
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		_ = web.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.Handle("GET /readyz", web.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := a.store.Ping(ctx); err != nil {
			return residence.Unavailable(err)
		}
		return web.WriteJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	}))
	// /metrics is served before authentication, which would refuse its
	// bearer token: it needs TIRKEU_METRICS_TOKEN when that is set, and is
	// not served in production without it.
	root := http.NewServeMux()
	root.Handle("GET /metrics", web.ProtectMetrics(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}), a.cfg.MetricsToken, a.cfg.demo()))
	root.Handle("/", web.Stack(web.Chain(web.Routes(mux), web.ClientAddress(a.cfg.IPLimit.TrustProxy)), a.log, metrics, sessions, a.svc.AuthenticateToken))
	// The deadline goes outside the stack, so that the token's look-up
	// (Authenticate) is bounded with the rest of the request. Forwarded
	// comes first: behind a trusted TLS proxy cookies are Secure and HSTS
	// is sent.
	return web.Chain(root, web.Forwarded(a.cfg.IPLimit.TrustProxy), web.Deadline(a.cfg.RequestTimeout)), nil
}

// serve listens until ctx ends, then shuts down gracefully. It prints the
// address it listens on to stdout (tests start it on port 0).
func (a *app) serve(ctx context.Context, stdout io.Writer) error {
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return err
	}
	srv := web.NewServer(a.cfg.Addr, a.handler)
	fmt.Fprintf(stdout, "tirkeu: listening on http://%s (%s mode)\n", ln.Addr(), a.cfg.Env)
	if a.cfg.demo() {
		fmt.Fprintf(stdout, "tirkeu: demo SMS outbox at http://%s/dev/sms; the demo cast: tirkeu demo\n", ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// storeCollector reports the store's connection pool and job queue
// (store.PoolStats, store.JobCounts) at each scrape.
func storeCollector(st store.Store) prometheus.Collector {
	var pool func() web.PoolStats
	if p, ok := st.(interface{ PoolStats() store.PoolStats }); ok {
		pool = func() web.PoolStats { return web.PoolStats(p.PoolStats()) }
	}
	var jobs func() ([]web.JobCount, error)
	if j, ok := st.(interface {
		JobCounts(context.Context) ([]store.JobCount, error)
	}); ok {
		jobs = func() ([]web.JobCount, error) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			counts, err := j.JobCounts(ctx)
			out := make([]web.JobCount, len(counts))
			for i, c := range counts {
				out[i] = web.JobCount(c)
			}
			return out, err
		}
	}
	return web.NewStoreCollector(pool, jobs)
}
