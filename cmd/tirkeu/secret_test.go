package main

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	mrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tirkeu/internal/residence"
)

// strongSecret is a key of the form openssl rand -base64 32 prints.
const strongSecret = "q3Vb9Jx0Zr2mN7kLc1PwT5yHs8dUeA4fG6iOjR+QWnE="

// TestSecretStrength: production accepts machine-made keys only; length
// alone is not strength.
func TestSecretStrength(t *testing.T) {
	for _, tt := range []struct {
		name, secret string
		ok           bool
	}{
		{"openssl rand -base64 32", strongSecret, true},
		{"openssl rand -hex 32", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", true},
		{"base64url, unpadded", "h7TqKZp2Xw9LmB4vR0sN6yC1dE8fG3jA5kU-oI_PzQc", true},
		{"upper-case hex", "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08", true},
		{"empty", "", false},
		{"the demo secret", string(residence.DefaultConfig().Secret), false},
		{"short base64", "q3Vb9Jx0Zr2mN7kLc1PwT5yHs8dU", false},
		{"one character repeated", strings.Repeat("s", 64), false},
		{"a pass phrase", "correct horse battery staple correct horse battery", false},
		{"a phrase that decodes as base64", "correcthorsebatterystaplecorrecthorsebatterystaple", false},
		{"CamelCase words", "ThisIsMyVerySecretPasswordForTirkeuProduction2026", false},
		{"lower-case words with digits", "kazakhstanresidenceregistrationservicesecret2026key", false},
		{"a key repeated", "q3Vb9Jx0Zr2mN7kLc1Pwq3Vb9Jx0Zr2mN7kLc1Pwq3Vb", false},
		{"the base64 alphabet", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", false},
		{"hex of few digits", strings.Repeat("deadbeef", 8), false},
		{"hex digits only 0-9", "3141592653589793238462643383279502884197169399375105820974944592", false},
		{"mixed-case hex", "9f86D081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", false},
		{"sequential", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false},
		{"keyboard walk", "Qwerty123456Qwerty123456Qwerty123456Qwerty12", false},
		{"the chaos run's secret", "chaos-secret-shared-by-every-node-0123456789", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := secretStrength(tt.secret)
			if (err == nil) != tt.ok {
				t.Errorf("secretStrength(%q) = %v, want ok %v", tt.secret, err, tt.ok)
			}
		})
	}
}

// TestSecretStrengthRandomKeys: random keys pass. The keys come from a
// seeded generator, so the test is the same on every run; measured over
// 100 000 keys of each encoding from crypto/rand, about 1 in 10 000 is
// refused (6 to 12 per 100 000).
func TestSecretStrengthRandomKeys(t *testing.T) {
	rng := mrand.New(mrand.NewChaCha8([32]byte{'t', 'i', 'r', 'k', 'e', 'u'}))
	refused := 0
	for range 3000 {
		b := make([]byte, 32)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		for _, s := range []string{base64.StdEncoding.EncodeToString(b), hex.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b)} {
			if secretStrength(s) != nil {
				refused++
			}
		}
	}
	if refused > 3 {
		t.Errorf("%d of 9000 random keys refused", refused)
	}
}

// TestProductionRefusesWeakSecrets: serve does not start in production
// with the demo secret or a weak one.
func TestProductionRefusesWeakSecrets(t *testing.T) {
	for _, secret := range []string{string(residence.DefaultConfig().Secret), strings.Repeat("ab", 32), "ThisIsMyVerySecretPasswordForTirkeuProduction2026"} {
		t.Setenv("TIRKEU_ENV", "production")
		t.Setenv("TIRKEU_SECRET", secret)
		t.Setenv("TIRKEU_SMS", "smpp://a:b@localhost:2775")
		t.Setenv("TIRKEU_DATABASE_URL", "postgres://x@localhost/db")
		if _, _, err := loadConfig("serve", nil); err == nil || !strings.Contains(err.Error(), "TIRKEU_SECRET") {
			t.Errorf("secret %q: %v, want TIRKEU_SECRET refused", secret, err)
		}
	}
	t.Setenv("TIRKEU_SECRET", strongSecret)
	t.Setenv("TIRKEU_AUDIT_KEY", "5f2b9c0e7a14d3866b1fe0c94a27d5b3c8e61f09a4d7b25e3c90f1a6d8b4e27c")
	if _, _, err := loadConfig("serve", nil); err != nil {
		t.Errorf("strong secret: %v", err)
	}
	t.Setenv("TIRKEU_METRICS_TOKEN", "short")
	if _, _, err := loadConfig("serve", nil); err == nil || !strings.Contains(err.Error(), "TIRKEU_METRICS_TOKEN") {
		t.Errorf("short metrics token: %v", err)
	}
}

// openTestApp opens the service on a fresh SQLite file with cfg's
// environment and the settings given.
func openTestApp(t *testing.T, env string, set func(*config)) http.Handler {
	t.Helper()
	dir := t.TempDir()
	cfg := config{DatabaseURL: "sqlite:" + filepath.Join(dir, "t.db"), Addr: "127.0.0.1:0", Env: env, SMS: "outbox", DataDir: dir,
		ConsentTTL: time.Hour, OTPTTL: 5 * time.Minute, Secret: strongSecret}
	if set != nil {
		set(&cfg)
	}
	a, err := openApp(context.Background(), cfg, slog.New(slog.DiscardHandler), residence.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.close)
	return a.handler
}

// TestMetricsNotPublicInProduction: /metrics is absent in production
// without TIRKEU_METRICS_TOKEN, needs the token when it is set, and is
// public in demo mode only.
func TestMetricsNotPublicInProduction(t *testing.T) {
	const tok = "metrics-token-metrics-token-metrics-token-0"
	get := func(h http.Handler, auth string) int {
		r := httptest.NewRequest("GET", "/metrics", nil)
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec.Code
	}
	prod := openTestApp(t, "production", nil)
	if st := get(prod, ""); st != http.StatusNotFound {
		t.Errorf("production, no token configured: %d, want 404", st)
	}
	prodTok := openTestApp(t, "production", func(c *config) { c.MetricsToken = tok })
	for _, tt := range []struct {
		auth string
		want int
	}{{"", 401}, {"Bearer wrong", 401}, {"Bearer " + tok, 200}} {
		if st := get(prodTok, tt.auth); st != tt.want {
			t.Errorf("production with token, Authorization %q: %d, want %d", tt.auth, st, tt.want)
		}
	}
	if st := get(openTestApp(t, "demo", nil), ""); st != http.StatusOK {
		t.Errorf("demo: %d, want 200", st)
	}
}

// TestTrustedProxyHTTPS: behind a trusted TLS-terminating proxy cookies
// are Secure and HSTS is sent; without trust, X-Forwarded-Proto changes
// nothing.
func TestTrustedProxyHTTPS(t *testing.T) {
	for _, tt := range []struct {
		trust bool
		proto string
		want  bool
	}{{true, "https", true}, {true, "", false}, {false, "https", false}} {
		h := openTestApp(t, "demo", func(c *config) { c.IPLimit.TrustProxy = tt.trust })
		r := httptest.NewRequest("GET", "/login", nil)
		if tt.proto != "" {
			r.Header.Set("X-Forwarded-Proto", tt.proto)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		cookies := rec.Result().Cookies()
		if rec.Code != 200 || len(cookies) == 0 {
			t.Fatalf("GET /login: %d, %d cookies", rec.Code, len(cookies))
		}
		for _, c := range cookies {
			if c.Secure != tt.want {
				t.Errorf("trust %v, proto %q: cookie %s Secure %v, want %v", tt.trust, tt.proto, c.Name, c.Secure, tt.want)
			}
		}
		if hsts := rec.Header().Get("Strict-Transport-Security") != ""; hsts != tt.want {
			t.Errorf("trust %v, proto %q: HSTS %v, want %v", tt.trust, tt.proto, hsts, tt.want)
		}
	}
}
