package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// startServe runs `tirkeu serve` on 127.0.0.1:0 with a fresh data directory
// and returns its base URL; the server stops when the test ends.
func startServe(t *testing.T, env map[string]string) string {
	t.Helper()
	t.Setenv("TIRKEU_DATA_DIR", t.TempDir())
	t.Setenv("TIRKEU_DATABASE_URL", "")
	for k, v := range env {
		t.Setenv(k, v)
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() {
		done <- run(ctx, []string{"serve", "-addr", "127.0.0.1:0"}, nil, pw, &stderr)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop")
		}
	})
	lines := bufio.NewScanner(pr)
	for lines.Scan() {
		if _, after, ok := strings.Cut(lines.Text(), "listening on "); ok {
			go func() { _, _ = io.Copy(io.Discard, pr) }()
			return strings.Fields(after)[0]
		}
	}
	t.Fatalf("serve did not start: %s", stderr.String())
	return ""
}

type client struct {
	t    *testing.T
	base string
}

func (c client) call(method, path, token string, body any) (int, map[string]any, string) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return res.StatusCode, m, string(raw)
}

func (c client) code(phone string) string {
	c.t.Helper()
	status, _, raw := c.call("GET", "/dev/sms/last-code?to="+phone, "", nil)
	if status != 200 {
		c.t.Fatalf("last code for %s: %d %s", phone, status, raw)
	}
	return strings.TrimSpace(raw)
}

// TestServeEndToEnd starts the real binary's server with no configuration
// (demo mode) and walks the README's registration: a tenant applies, one
// co-owner replies by SMS, the other confirms through the API, and the old
// address ends.
func TestServeEndToEnd(t *testing.T) {
	c := client{t: t, base: startServe(t, nil)}
	for _, p := range []string{"/healthz", "/readyz", "/metrics", "/openapi.json", "/"} {
		if status, _, raw := c.call("GET", p, "", nil); status != 200 {
			t.Fatalf("GET %s: %d %s", p, status, raw)
		}
	}
	if _, _, raw := c.call("GET", "/metrics", "", nil); !strings.Contains(raw, "\ntirkeu_audit_unsealed_oldest_seconds ") {
		t.Errorf("/metrics has no tirkeu_audit_unsealed_oldest_seconds")
	}
	const anna, annaPhone, rka = "960920490032", "77021000003", "9000000000001003"
	if status, _, raw := c.call("POST", "/api/v1/otp", "", map[string]string{"iin": anna, "purpose": "sign"}); status != 201 {
		t.Fatalf("otp: %d %s", status, raw)
	}
	status, app, raw := c.call("POST", "/api/v1/applications", "", map[string]string{"kind": "permanent",
		"applicant_iin": anna, "rka": rka, "reason": "moving in", "otp": c.code(annaPhone)})
	if status != 201 || app["status"] != "awaiting_consent" {
		t.Fatalf("apply: %d %s", status, raw)
	}
	status, res, raw := c.call("POST", "/dev/sms/reply", "", map[string]string{"from": "77051000005", "text": c.code("77051000005")})
	if status != 200 || res["status"] != "awaiting_consent" {
		t.Fatalf("first reply: %d %s", status, raw)
	}
	kimCode := c.code("77071000006")
	c.call("POST", "/api/v1/otp", "", map[string]string{"iin": "861130390063", "purpose": "login"})
	_, sess, raw := c.call("POST", "/api/v1/sessions", "", map[string]string{"iin": "861130390063", "otp": c.code("77071000006")})
	kim, _ := sess["token"].(string)
	if kim == "" {
		t.Fatalf("session: %s", raw)
	}
	_, pending, raw := c.call("GET", "/api/v1/me/consents", kim, nil)
	list, _ := pending["consents"].([]any)
	if len(list) != 1 {
		t.Fatalf("pending consents: %s", raw)
	}
	task := list[0].(map[string]any)["consent"].(map[string]any)["id"].(string)
	status, res, raw = c.call("POST", "/api/v1/consents/"+task+"/confirm", kim, map[string]string{"code": kimCode})
	if status != 200 || res["status"] != "registered" {
		t.Fatalf("confirm: %d %s", status, raw)
	}
	// Restarting is not needed to see the result; the operator's view shows
	// the old address ended.
	tok := createToken(t, "operator")
	_, regs, raw := c.call("GET", "/api/v1/persons/"+anna+"/registrations", tok, nil)
	var active, moved int
	for _, r := range regs["registrations"].([]any) {
		m := r.(map[string]any)
		if m["status"] == "active" && m["rka"] == rka {
			active++
		}
		if m["status"] == "ended" && m["end_reason"] == "moved" {
			moved++
		}
	}
	if active != 1 || moved != 1 {
		t.Fatalf("registrations: %s", raw)
	}
	checkMetrics(t, c) // metrics_test.go
}

func createToken(t *testing.T, role string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"token", "create", "--role", role}, nil, &out, &errb); code != 0 {
		t.Fatalf("token create: %d %s", code, errb.String())
	}
	var m map[string]string
	if err := json.Unmarshal(out.Bytes(), &m); err != nil || !strings.HasPrefix(m["token"], "tk_") {
		t.Fatalf("token output %q", out.String())
	}
	return m["token"]
}

func TestProductionRefusesDemoDefaults(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"default secret, outbox and database", map[string]string{}, "TIRKEU_SECRET"},
		{"outbox", map[string]string{"TIRKEU_SECRET": strongSecret, "TIRKEU_DATABASE_URL": "postgres://x@localhost/db"}, "TIRKEU_SMS"},
		{"default database", map[string]string{"TIRKEU_SECRET": strongSecret, "TIRKEU_SMS": "smpp://a:b@localhost:2775"}, "TIRKEU_DATABASE_URL"},
		{"bad env", map[string]string{"TIRKEU_ENV": "staging"}, "TIRKEU_ENV"},
		{"bad ttl", map[string]string{"TIRKEU_ENV": "demo", "TIRKEU_CONSENT_TTL": "soon"}, "TIRKEU_CONSENT_TTL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("TIRKEU_ENV", "production")
			for _, k := range []string{"TIRKEU_SECRET", "TIRKEU_SMS", "TIRKEU_DATABASE_URL", "TIRKEU_CONSENT_TTL"} {
				t.Setenv(k, "")
			}
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			var out, errb bytes.Buffer
			if code := run(context.Background(), []string{"serve"}, nil, &out, &errb); code != 2 {
				t.Fatalf("exit %d, stderr %q", code, errb.String())
			}
			if !strings.Contains(errb.String(), tt.want) {
				t.Fatalf("stderr %q does not name %s", errb.String(), tt.want)
			}
		})
	}
}

// TestRequestTimeout: serve bounds every request by TIRKEU_REQUEST_TIMEOUT.
// With a bound no request can meet, what needs the database answers 503
// unavailable with Retry-After, and what does not (healthz) still answers.
func TestRequestTimeout(t *testing.T) {
	c := client{t: t, base: startServe(t, map[string]string{"TIRKEU_REQUEST_TIMEOUT": "1ns"})}
	if status, _, raw := c.call("GET", "/healthz", "", nil); status != http.StatusOK {
		t.Fatalf("healthz: %d %s", status, raw)
	}
	token := createToken(t, "agency")
	for _, path := range []string{"/readyz", "/api/v1/persons/400117300010/registrations"} {
		status, m, raw := c.call("GET", path, token, nil)
		if status != http.StatusServiceUnavailable || m["code"] != "unavailable" {
			t.Errorf("%s: %d %s, want 503 unavailable", path, status, raw)
		}
	}
}
