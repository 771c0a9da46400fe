package web

import (
	"fmt"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"tirkeu/internal/residence"
)

// IPLimit configures the per-client-IP limit on requests that send or try
// codes (see IPLimiter.Wrap). Each client address has a token bucket of Burst
// requests refilled at Per/Burst per request; a request finding the bucket
// empty is refused with 429 rate_limited and Retry-After.
//
// Mobile networks put many subscribers behind one address (carrier-grade
// NAT), so the default is generous: it only stops a script, and the codes
// themselves are protected by their per-task attempt limit and the per-phone
// and per-person caps of residence.Service.
type IPLimit struct {
	// Burst is the number of requests a client may make at once; 0 turns
	// the limit off.
	Burst int
	// Per is the time in which a full bucket refills.
	Per time.Duration
	// TrustProxy takes the client address from the last X-Forwarded-For
	// entry (the one our reverse proxy appended) instead of RemoteAddr. Set
	// it only behind a proxy that always appends that header: otherwise a
	// client picks its own address.
	TrustProxy bool
	// MaxClients bounds the memory used: beyond it idle buckets are dropped,
	// and if none is idle the oldest half is. Default 100000.
	MaxClients int
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// DefaultIPLimit is 60 code requests per client address per 10 minutes.
var DefaultIPLimit = IPLimit{Burst: 60, Per: 10 * time.Minute}

// ParseIPLimit reads a limit written N/DURATION (for example "60/10m"), or
// "off".
func ParseIPLimit(s string) (IPLimit, error) {
	if s == "off" || s == "0" {
		return IPLimit{}, nil
	}
	n, d, ok := strings.Cut(s, "/")
	burst, err := strconv.Atoi(n)
	if !ok || err != nil || burst <= 0 {
		return IPLimit{}, fmt.Errorf("rate limit %q: want N/DURATION such as 60/10m, or off", s)
	}
	per, err := time.ParseDuration(d)
	if err != nil || per <= 0 {
		return IPLimit{}, fmt.Errorf("rate limit %q: want N/DURATION such as 60/10m, or off", s)
	}
	return IPLimit{Burst: burst, Per: per}, nil
}

// bucket is one client's tokens at a moment.
type bucket struct {
	tokens float64
	at     time.Time
}

// IPLimiter enforces an IPLimit in memory. Each node keeps its own buckets,
// so behind a load balancer with n nodes a client may make up to n times
// the burst; the database-backed per-phone and per-person caps hold across
// nodes. It is safe for concurrent use.
type IPLimiter struct {
	cfg     IPLimit
	rate    float64 // tokens per second
	mu      sync.Mutex
	buckets map[string]*bucket
}

// NewIPLimiter returns a limiter for cfg, or nil when cfg is off.
func NewIPLimiter(cfg IPLimit) *IPLimiter {
	if cfg.Burst <= 0 || cfg.Per <= 0 {
		return nil
	}
	if cfg.MaxClients <= 0 {
		cfg.MaxClients = 100_000
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &IPLimiter{cfg: cfg, rate: float64(cfg.Burst) / cfg.Per.Seconds(), buckets: map[string]*bucket{}}
}

// Allow takes a token for the client key. When none is left it returns false
// and the time until one is.
func (l *IPLimiter) Allow(key string) (bool, time.Duration) {
	now := l.cfg.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= l.cfg.MaxClients {
			l.prune(now)
		}
		b = &bucket{tokens: float64(l.cfg.Burst), at: now}
		l.buckets[key] = b
	}
	if el := now.Sub(b.at).Seconds(); el > 0 {
		b.tokens = math.Min(float64(l.cfg.Burst), b.tokens+el*l.rate)
		b.at = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	return false, wait
}

// prune drops the buckets that have refilled (they hold no information), and
// when that frees nothing, the least recently used half. It runs with mu held.
func (l *IPLimiter) prune(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*l.rate >= float64(l.cfg.Burst) {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) < l.cfg.MaxClients {
		return
	}
	ats := make([]time.Time, 0, len(l.buckets))
	for _, b := range l.buckets {
		ats = append(ats, b.at)
	}
	median := quickMedian(ats)
	for k, b := range l.buckets {
		if !b.at.After(median) {
			delete(l.buckets, k)
		}
	}
}

// quickMedian returns a time near the middle of ts (the mean of the extremes
// is enough to drop about half under the uniform churn this guards against).
func quickMedian(ts []time.Time) time.Time {
	lo, hi := ts[0], ts[0]
	for _, t := range ts {
		if t.Before(lo) {
			lo = t
		}
		if t.After(hi) {
			hi = t
		}
	}
	return lo.Add(hi.Sub(lo) / 2)
}

// ClientKey returns the client's address as the limiter counts it: the IP
// of RemoteAddr (or, with TrustProxy, of the last X-Forwarded-For entry),
// and for IPv6 its /64 network, since one subscriber holds a whole /64.
func (l *IPLimiter) ClientKey(r *http.Request) string {
	return clientKey(r, l.cfg.TrustProxy)
}

func clientKey(r *http.Request, trustProxy bool) string {
	host := r.RemoteAddr
	if h, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		host = h
	}
	if trustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if last := strings.TrimSpace(parts[len(parts)-1]); last != "" {
				if _, err := netip.ParseAddr(last); err == nil {
					host = last
				}
			}
		}
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	addr = addr.Unmap()
	if addr.Is6() {
		p, _ := addr.Prefix(64)
		return p.String()
	}
	return addr.String()
}

// ClientAddress passes the client's address, as the rate limiter counts it
// (ClientKey: the IP, an IPv6 /64, with trustProxy the last X-Forwarded-For
// entry), to the use cases through residence.WithClient. The one-time
// password caps count per client with it, so a stranger's requests for a
// person's codes do not use up that person's own.
func ClientAddress(trustProxy bool) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(residence.WithClient(r.Context(), clientKey(r, trustProxy))))
		})
	}
}

// Wrap limits h: each request takes a token from its client address's
// bucket, and a request finding it empty is refused with 429 rate_limited
// and Retry-After (see Take). The API and the pages wrap, where they
// register them, every route that sends a code or tries one (a one-time
// password, a consent code, a signature, a sign-in token), so that a new
// such route states its limit next to its pattern. A nil limiter returns h.
func (l *IPLimiter) Wrap(h http.Handler) http.Handler {
	if l == nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := l.Take(w, r); err != nil {
			WriteError(w, r, err)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// Take takes a token for r's client address. When none is left it sets
// Retry-After on w and returns a rate_limited error for the caller to
// render (the pages render it as a translated page). A nil limiter always
// allows, and so does a request authenticated with a staff token (an
// operator submitting in-person applications at a service centre's one
// address tries no code; a guessed staff token is refused by
// Authenticate before it gets here).
func (l *IPLimiter) Take(w http.ResponseWriter, r *http.Request) error {
	if l == nil || ActorFrom(r.Context()).IsStaff() {
		return nil
	}
	ok, wait := l.Allow(l.ClientKey(r))
	if ok {
		return nil
	}
	secs := int(math.Ceil(wait.Seconds()))
	if secs < 1 {
		secs = 1
	}
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	Logger(r.Context()).Warn("rate limited", "reason", "ip", "retry_after", secs)
	return residence.Errorf(residence.ERateLimited, "Too many requests. Please try again later.")
}
