package web

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"tirkeu/internal/residence"
)

type fakeNow struct{ t time.Time }

func (f *fakeNow) now() time.Time { return f.t }

func limitedHandler(lim IPLimit) (http.Handler, *fakeNow) {
	clock := &fakeNow{t: time.Date(2026, 11, 22, 7, 0, 0, 0, time.UTC)}
	lim.Now = clock.now
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	return Chain(NewIPLimiter(lim).Wrap(ok), Observe(slog.New(slog.DiscardHandler), nil)), clock
}

func post(h http.Handler, path, remote string, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", path, nil)
	req.RemoteAddr = remote
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Add(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestRateLimitBurstRefillAndRetryAfter(t *testing.T) {
	h, clock := limitedHandler(IPLimit{Burst: 3, Per: time.Minute})
	for i := range 3 {
		if rec := post(h, "/api/v1/otp", "192.0.2.1:5000"); rec.Code != http.StatusNoContent {
			t.Fatalf("request %d: %d", i, rec.Code)
		}
	}
	rec := post(h, "/api/v1/otp", "192.0.2.1:5001") // another port, same client
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("4th request: %d", rec.Code)
	}
	if ra, _ := strconv.Atoi(rec.Header().Get("Retry-After")); ra != 20 {
		t.Errorf("Retry-After %q, want 20 (one token per 20 s)", rec.Header().Get("Retry-After"))
	}
	var p Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Code != "rate_limited" || p.Status != 429 ||
		rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Errorf("problem %+v %v %q", p, err, rec.Header().Get("Content-Type"))
	}
	// Other clients are not affected.
	if rec := post(h, "/api/v1/otp", "192.0.2.2:5000"); rec.Code != http.StatusNoContent {
		t.Errorf("another client: %d", rec.Code)
	}
	// The bucket refills at Burst/Per.
	clock.t = clock.t.Add(19 * time.Second)
	if rec := post(h, "/api/v1/sessions", "192.0.2.1:5000"); rec.Code != http.StatusTooManyRequests {
		t.Errorf("after 19 s: %d", rec.Code)
	}
	clock.t = clock.t.Add(time.Second)
	if rec := post(h, "/api/v1/sessions", "192.0.2.1:5000"); rec.Code != http.StatusNoContent {
		t.Errorf("after 20 s: %d", rec.Code)
	}
	if rec := post(h, "/api/v1/sessions", "192.0.2.1:5000"); rec.Code != http.StatusTooManyRequests {
		t.Errorf("one token only: %d", rec.Code)
	}
}

func TestRateLimitClientAddress(t *testing.T) {
	tests := []struct {
		name       string
		trustProxy bool
		remote     string
		xff        []string
		want       string
	}{
		{"ipv4", false, "192.0.2.1:443", nil, "192.0.2.1"},
		{"forwarded header ignored without trust", false, "192.0.2.1:443", []string{"198.51.100.7"}, "192.0.2.1"},
		{"last forwarded entry with trust", true, "10.0.0.1:443", []string{"203.0.113.9, 198.51.100.7"}, "198.51.100.7"},
		{"last header line with trust", true, "10.0.0.1:443", []string{"203.0.113.9", "198.51.100.8"}, "198.51.100.8"},
		{"garbage forwarded entry", true, "10.0.0.1:443", []string{"not-an-ip"}, "10.0.0.1"},
		{"ipv6 by /64", false, "[2001:db8:1:2:aaaa::1]:443", nil, "2001:db8:1:2::/64"},
		{"ipv4-mapped ipv6", false, "[::ffff:192.0.2.1]:443", nil, "192.0.2.1"},
		{"no port", false, "192.0.2.1", nil, "192.0.2.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/api/v1/otp", nil)
			r.RemoteAddr = tt.remote
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := clientKey(r, tt.trustProxy); got != tt.want {
				t.Errorf("clientKey = %q, want %q", got, tt.want)
			}
		})
	}
	// A spoofed X-Forwarded-For does not buy a fresh bucket.
	h, _ := limitedHandler(IPLimit{Burst: 1, Per: time.Hour})
	post(h, "/login", "192.0.2.1:1")
	if rec := post(h, "/login", "192.0.2.1:1", "X-Forwarded-For", "203.0.113.1"); rec.Code != http.StatusTooManyRequests {
		t.Errorf("spoofed X-Forwarded-For: %d", rec.Code)
	}
	// Addresses in one IPv6 /64 share a bucket.
	post(h, "/login", "[2001:db8::1]:1")
	if rec := post(h, "/login", "[2001:db8::2]:1"); rec.Code != http.StatusTooManyRequests {
		t.Errorf("same /64: %d", rec.Code)
	}
}

func TestParseIPLimit(t *testing.T) {
	for _, tt := range []struct {
		in    string
		burst int
		per   time.Duration
		bad   bool
	}{
		{"60/10m", 60, 10 * time.Minute, false},
		{"5/1s", 5, time.Second, false},
		{"off", 0, 0, false},
		{"0", 0, 0, false},
		{"60", 0, 0, true},
		{"x/1m", 0, 0, true},
		{"-1/1m", 0, 0, true},
		{"5/0s", 0, 0, true},
		{"5/soon", 0, 0, true},
	} {
		got, err := ParseIPLimit(tt.in)
		if (err != nil) != tt.bad || got.Burst != tt.burst || got.Per != tt.per {
			t.Errorf("ParseIPLimit(%q) = %+v, %v", tt.in, got, err)
		}
	}
	if NewIPLimiter(IPLimit{}) != nil {
		t.Error("an off limit must give a nil limiter")
	}
	rec := httptest.NewRecorder()
	for range 100 {
		(*IPLimiter)(nil).Wrap(http.NotFoundHandler()).ServeHTTP(rec, httptest.NewRequest("POST", "/api/v1/otp", nil))
	}
	if rec.Code != http.StatusNotFound {
		t.Errorf("a nil limiter must let everything through: %d", rec.Code)
	}
}

// TestRateLimitMemoryBounded floods the limiter with distinct addresses and
// checks that its table stays within MaxClients while a busy client keeps
// its (empty) bucket.
func TestRateLimitMemoryBounded(t *testing.T) {
	clock := &fakeNow{t: time.Date(2026, 11, 22, 7, 0, 0, 0, time.UTC)}
	l := NewIPLimiter(IPLimit{Burst: 2, Per: time.Hour, MaxClients: 100, Now: clock.now})
	for range 2 {
		l.Allow("busy")
	}
	for i := range 1000 {
		clock.t = clock.t.Add(time.Millisecond)
		l.Allow(fmt.Sprintf("10.0.%d.%d", i/256, i%256))
		l.Allow("busy")
		if n := len(l.buckets); n > 100 {
			t.Fatalf("%d buckets, want at most 100", n)
		}
	}
	if ok, _ := l.Allow("busy"); ok {
		t.Error("the busy client's bucket was dropped while it was still empty")
	}
}

// TestClientAddressReachesTheUseCases: the use cases see the client as the
// limiter counts it, from RemoteAddr or, behind a trusted proxy, from the
// last X-Forwarded-For entry, and an IPv6 client by its /64.
func TestClientAddressReachesTheUseCases(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		trust  bool
		remote string
		xff    string
		want   string
	}{
		{"remote address", false, "192.0.2.1:1234", "", "192.0.2.1"},
		{"forwarded, proxy not trusted", false, "192.0.2.1:1234", "203.0.113.9", "192.0.2.1"},
		{"forwarded, proxy trusted", true, "192.0.2.1:1234", "198.51.100.1, 203.0.113.9", "203.0.113.9"},
		{"ipv6 by /64", false, "[2001:db8:1:2:aaaa::1]:443", "", "2001:db8:1:2::/64"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			h := ClientAddress(tt.trust)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got = residence.ClientFrom(r.Context())
			}))
			var hdr []string
			if tt.xff != "" {
				hdr = []string{"X-Forwarded-For", tt.xff}
			}
			post(h, "/api/v1/otp", tt.remote, hdr...)
			if got != tt.want {
				t.Errorf("client %q, want %q", got, tt.want)
			}
		})
	}
}
