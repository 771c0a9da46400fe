package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"tirkeu/internal/chaos"
	"tirkeu/internal/demo"
	"tirkeu/internal/residence"
	"tirkeu/internal/store/storetest"
)

// TestServeDatabaseOutage runs the real wiring (openApp: store, service,
// jobs, routes) on PostgreSQL behind a loopback proxy, cuts the proxy and
// checks that the API answers 503 with Retry-After and code unavailable,
// /readyz reports 503, and everything recovers by itself when the link
// returns.
func TestServeDatabaseOutage(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	proxy, dsn, err := chaos.ProxyURL(storetest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()

	cfg := config{DatabaseURL: dsn, Addr: "127.0.0.1:0", Env: "demo", SMS: "outbox", DataDir: t.TempDir(),
		Workers: true, ConsentTTL: time.Hour, OTPTTL: 5 * time.Minute, Secret: "outage-test-secret-outage-test-secret"}
	a, err := openApp(ctx, cfg, slog.New(slog.DiscardHandler), residence.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.handler)
	// Close the server before the app, and the app before the proxy.
	defer a.close()
	defer srv.Close()
	token, _, err := a.svc.CreateToken(ctx, "outage-test", residence.RoleOperator)
	if err != nil {
		t.Fatal(err)
	}
	var owner demo.CastMember
	for _, c := range demo.Cast(time.Now()) {
		if c.Role == "sole_owner" {
			owner = c
		}
	}
	body, _ := json.Marshal(map[string]any{"kind": "permanent", "applicant_iin": owner.IIN, "subject_iin": owner.IIN,
		"rka": owner.RKA, "reason": "moving", "documents_checked": true})
	type answer struct {
		status int
		header http.Header
		code   string
	}
	do := func(method, path, key string) answer {
		t.Helper()
		var rd io.Reader
		if method == http.MethodPost {
			rd = bytes.NewReader(body)
		}
		req, _ := http.NewRequestWithContext(ctx, method, srv.URL+path, rd)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var p struct{ Code string }
		_ = json.NewDecoder(res.Body).Decode(&p)
		return answer{res.StatusCode, res.Header, p.Code}
	}
	if got := do("GET", "/readyz", ""); got.status != http.StatusOK {
		t.Fatalf("readyz before the outage: %d", got.status)
	}

	proxy.Cut()
	for _, path := range []string{"/readyz", "/api/v1/applications"} {
		method := http.MethodGet
		if path != "/readyz" {
			method = http.MethodPost
		}
		got := do(method, path, "outage-1")
		if got.status != http.StatusServiceUnavailable || got.code != residence.EUnavailable || got.header.Get("Retry-After") == "" {
			t.Errorf("%s %s while the database is down: status %d, code %q, Retry-After %q; want 503, unavailable, set",
				method, path, got.status, got.code, got.header.Get("Retry-After"))
		}
	}

	if err := proxy.Restore(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for do("GET", "/readyz", "").status != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("readyz did not recover within 15s")
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The request refused during the outage is retried with its key.
	if got := do("POST", "/api/v1/applications", "outage-1"); got.status != http.StatusCreated {
		t.Fatalf("submit after the outage: status %d, code %q", got.status, got.code)
	}
	if got := do("POST", "/api/v1/applications", "outage-1"); got.status != http.StatusOK {
		t.Fatalf("replay after the outage: status %d, code %q", got.status, got.code)
	}
}
