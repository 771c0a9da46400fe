package web

import (
	"context"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"tirkeu/internal/residence"
)

// Middleware wraps a handler.
type Middleware func(http.Handler) http.Handler

// Chain applies middleware so that the first one listed runs first.
func Chain(h http.Handler, mw ...Middleware) http.Handler {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}

// statusRecorder remembers the status written.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Metrics are the HTTP server's Prometheus collectors.
type Metrics struct {
	Requests *prometheus.CounterVec
	Duration *prometheus.HistogramVec
}

// NewMetrics registers the HTTP collectors with reg. timeout is the request
// deadline (Deadline): the duration histogram's buckets reach it.
func NewMetrics(reg prometheus.Registerer, timeout time.Duration) *Metrics {
	m := &Metrics{
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tirkeu_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		Duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "tirkeu_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
			Buckets: DurationBuckets(timeout),
		}, []string{"route", "method"}),
	}
	reg.MustRegister(m.Requests, m.Duration)
	return m
}

// Observe logs every request with its id, recovers panics as 500 problems,
// and records metrics. Logs carry method, path pattern, status and duration,
// never bodies, codes or IINs (the path pattern, not the path, is logged, so
// an IIN in a URL does not reach the log).
func Observe(base *slog.Logger, m *Metrics) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			id := r.Header.Get("X-Request-Id")
			if !validRequestID(id) {
				id = newRequestID()
			}
			w.Header().Set("X-Request-Id", id)
			// One allocation holds what the request carries for its
			// handlers and for this function: the id, the logger, the route
			// label and the status recorder.
			st := &requestState{id: id, base: base}
			st.rec.ResponseWriter = w
			r = r.WithContext(context.WithValue(r.Context(), keyRequest, st))
			rec := &st.rec
			defer func() {
				if p := recover(); p != nil {
					if p == http.ErrAbortHandler {
						panic(p)
					}
					st.logger().Error("panic", "error", fmt.Sprint(p), "stack", string(debug.Stack()))
					if rec.status == 0 {
						WriteError(rec, r, fmt.Errorf("panic: %v", p))
					}
				}
				label := st.route.get(r)
				d := time.Since(start)
				if m != nil {
					m.Requests.WithLabelValues(label, r.Method, statusLabel(rec.status)).Inc()
					m.Duration.WithLabelValues(label, r.Method).Observe(d.Seconds())
				}
				// The line is what st.logger() would write: the request id
				// first, without a logger made for the request.
				base.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("request_id", id),
					slog.String("method", r.Method), slog.String("route", label),
					slog.Int("status", rec.status), slog.Duration("duration", d))
			}()
			next.ServeHTTP(rec, r)
		})
	}
}

// requestState is what Observe keeps for a request, in the request's
// context under keyRequest (RequestID, Logger, Routes).
type requestState struct {
	id   string
	base *slog.Logger
	// log is base with the request id, made when first asked for (most
	// requests log only Observe's line, which names the id itself).
	logOnce sync.Once
	log     *slog.Logger
	route   routeLabel
	rec     statusRecorder
}

// logger returns the request's logger, base with its request id. It is
// safe for concurrent use.
func (s *requestState) logger() *slog.Logger {
	s.logOnce.Do(func() { s.log = s.base.With("request_id", s.id) })
	return s.log
}

// statusLabel is the status code as a metric label; the common ones are
// spelled out so that recording them allocates nothing.
func statusLabel(code int) string {
	switch code {
	case http.StatusOK:
		return "200"
	case http.StatusCreated:
		return "201"
	}
	return strconv.Itoa(code)
}

// routeLabel carries the pattern the mux matched back up to Observe. The mux
// sets Request.Pattern on the request it is handed, and every middleware in
// between that adds to the context (Authenticate for a signed-in request,
// ClientAddress for all) hands it a copy: Observe's own request never sees
// the pattern. Routes records it where the mux sets it.
type routeLabel struct {
	mu      sync.Mutex
	pattern string
}

func (l *routeLabel) set(p string) {
	l.mu.Lock()
	l.pattern = p
	l.mu.Unlock()
}

// get returns the recorded pattern, else r's own (a mux served r directly),
// else "unmatched".
func (l *routeLabel) get(r *http.Request) string {
	l.mu.Lock()
	p := l.pattern
	l.mu.Unlock()
	if p == "" {
		p = r.Pattern
	}
	if p == "" {
		p = "unmatched"
	}
	return p
}

// Routes wraps mux so that the pattern it matches for a request reaches
// Observe's log line and metrics (the route label), however many request
// copies lie between them. Stack applies it to a *http.ServeMux it is given;
// a mux behind other middleware is wrapped by the caller, innermost:
// Chain(Routes(mux), ClientAddress(…)).
func Routes(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			// Deferred, so a handler's panic is still labelled by route.
			if st, ok := r.Context().Value(keyRequest).(*requestState); ok && r.Pattern != "" {
				st.route.set(r.Pattern)
			}
		}()
		mux.ServeHTTP(w, r)
	})
}

// validRequestID reports whether a client's X-Request-Id may be adopted: 1
// to 64 of A-Z a-z 0-9 . _ : -. Anything else is replaced, since the id is
// echoed in a header, in problem documents and in every log line.
func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == ':' || c == '-') {
			return false
		}
	}
	return true
}

// Deadline bounds the time a request may take: its context ends after d,
// which cancels the database work still running for it (a transaction in
// progress rolls back, and the client gets 503 unavailable with
// Retry-After). A slow statement thus holds a connection for at most d.
// d <= 0 sets no bound.
func Deadline(d time.Duration) Middleware {
	return func(next http.Handler) http.Handler {
		if d <= 0 {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithTimeout(r.Context(), d)
			defer cancel()
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// MaxBody limits request bodies to n bytes.
func MaxBody(n int64) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > n {
				WriteError(w, r, residence.NewError(residence.EBodyTooLarge, textTooLarge))
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, n)
			next.ServeHTTP(w, r)
		})
	}
}

// Forwarded marks requests that reached a TLS-terminating reverse proxy over
// HTTPS (X-Forwarded-Proto: https) as secure, when trustProxy is set: only
// then may the header be believed, since without a proxy that sets it a
// client writes what it likes. Without trustProxy the header is ignored.
func Forwarded(trustProxy bool) Middleware {
	return func(next http.Handler) http.Handler {
		if !trustProxy {
			return next // IsSecure answers from the connection itself
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			secure := r.TLS != nil
			if strings.EqualFold(strings.TrimSpace(lastValue(r.Header.Values("X-Forwarded-Proto"))), "https") {
				secure = true
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), keySecure, secure)))
		})
	}
}

// lastValue returns the last comma-separated value of a header: the one the
// nearest proxy wrote.
func lastValue(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	parts := strings.Split(vs[len(vs)-1], ",")
	return parts[len(parts)-1]
}

// IsSecure reports whether the client's connection is HTTPS: TLS to this
// server, or to a trusted proxy (Forwarded). Cookies are Secure and HSTS is
// sent exactly then.
func IsSecure(r *http.Request) bool {
	if v, ok := r.Context().Value(keySecure).(bool); ok {
		return v
	}
	return r.TLS != nil
}

// NCALayerURL is where NCALayer, the NCA's signing application on the
// citizen's computer, listens for the pages' WebSocket (kz.gov.pki.knca.basics).
const NCALayerURL = "wss://127.0.0.1:13579"

// ContentSecurityPolicy is the pages' policy: scripts, styles and
// connections only from this site, nothing inline, no framing; connect
// names further WebSocket origins a page may reach (NCALayerURL, or a
// stand-in of it in tests).
func ContentSecurityPolicy(connect ...string) string {
	c := "'self'"
	for _, u := range connect {
		if u != "" {
			c += " " + u
		}
	}
	return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src " + c +
		"; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
}

// SecurityHeaders sets the headers every response carries: a strict
// Content-Security-Policy with no inline script, no framing, no sniffing, no
// referrer leaks, and HSTS when served over HTTPS (IsSecure).
func SecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for _, kv := range securityHeaders {
			h[kv.key] = kv.value
		}
		if IsSecure(r) {
			h[hstsHeader.key] = hstsHeader.value
		}
		next.ServeHTTP(w, r)
	})
}

// securityHeader is a header SecurityHeaders sets, its name in canonical
// form. Its value slice is shared by every response, so that setting it
// allocates nothing; net/http only reads it, and Set, Add and Del on a
// response's Header replace or copy the slice, never write into it.
type securityHeader struct {
	key   string
	value []string
}

var (
	securityHeaders = [...]securityHeader{
		{"Content-Security-Policy", []string{ContentSecurityPolicy(NCALayerURL)}},
		{"X-Content-Type-Options", []string{"nosniff"}},
		{"X-Frame-Options", []string{"DENY"}},
		{"Referrer-Policy", []string{"no-referrer"}},
		{"Permissions-Policy", []string{"camera=(), microphone=(), geolocation=()"}},
		{"Cross-Origin-Opener-Policy", []string{"same-origin"}},
	}
	hstsHeader = securityHeader{"Strict-Transport-Security", []string{"max-age=63072000; includeSubDomains"}}
)

// Authenticate resolves the bearer token (a citizen session or a
// staff/agency token) into the request's actor. A request without a token
// is anonymous; a request with a bad, expired or revoked token is refused
// with 401 so a client never mistakes a failed login for anonymous access.
//
// The pages' session cookie makes the actor only outside the JSON API: a
// request under /api/ acts as the holder of a bearer token or as no one, so
// a page of another site that makes the browser send the cookie along
// (cross-site request forgery) cannot act as the signed-in person there.
// The pages check their own CSRF tokens.
func Authenticate(sessions *Sessions, tokens func(ctx context.Context, token string) (residence.Actor, error)) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			auth := r.Header.Get("Authorization")
			var token string
			if v, ok := strings.CutPrefix(auth, "Bearer "); ok {
				token = strings.TrimSpace(v)
			} else if auth != "" {
				WriteError(w, r, residence.NewError(residence.EUnauthenticated, textBadAuth))
				return
			}
			if token == "" {
				if c, err := r.Cookie(SessionCookie); err == nil && !IsAPI(r) {
					a, err := sessions.Verify(r.Context(), c.Value)
					if err != nil && residence.ErrorCode(err) != residence.EUnauthenticated {
						WriteError(w, r, err) // the session store is down: not the client's fault
						return
					}
					if err == nil {
						r = r.WithContext(WithActor(r.Context(), a))
					}
				}
				next.ServeHTTP(w, r)
				return
			}
			var a residence.Actor
			var err error
			if strings.HasPrefix(token, "tk_") {
				a, err = tokens(r.Context(), token)
			} else {
				a, err = sessions.Verify(r.Context(), token)
			}
			if err != nil && residence.ErrorCode(err) != residence.EUnauthenticated {
				WriteError(w, r, err) // the store is down: not the client's fault
				return
			}
			if err != nil {
				WriteError(w, r, residence.NewError(residence.EUnauthenticated, textBadAuth))
				return
			}
			next.ServeHTTP(w, r.WithContext(WithActor(r.Context(), a)))
		})
	}
}

// IsAPI reports whether r is a request to the JSON API, which takes bearer
// tokens only.
func IsAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

var textBadAuth = residence.Text{
	KK: "Кіру деректері жарамсыз немесе мерзімі өткен. Қайта кіріңіз.",
	RU: "Данные входа недействительны или устарели. Войдите снова.",
	EN: "The credentials are invalid or expired. Please sign in again.",
}

// Stack wraps the application's routes in the middleware every tirkeu
// listener uses, in order: observation (request id, log, metrics, panic
// recovery), security headers, the body limit, and authentication.
func Stack(h http.Handler, log *slog.Logger, m *Metrics, sessions *Sessions, tokens func(ctx context.Context, token string) (residence.Actor, error)) http.Handler {
	if mux, ok := h.(*http.ServeMux); ok {
		h = Routes(mux)
	}
	return Chain(h, Observe(log, m), SecurityHeaders, MaxBody(1<<20), Authenticate(sessions, tokens))
}

// ProtectMetrics guards the metrics endpoint h. With a token, only requests
// with "Authorization: Bearer <token>" see it (others get 401); without one
// it is served only when public (demo mode), and is not found otherwise, so
// a production service never publishes its internals by default.
func ProtectMetrics(h http.Handler, token string, public bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if token == "" {
			if !public {
				NotFound(w, r)
				return
			}
			h.ServeHTTP(w, r)
			return
		}
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(token)) != 1 {
			WriteError(w, r, residence.NewError(residence.EUnauthenticated, textBadAuth))
			return
		}
		h.ServeHTTP(w, r)
	})
}
