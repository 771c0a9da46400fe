package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"tirkeu/internal/demo"
)

// lockedBuffer is a bytes.Buffer safe for the server's concurrent logging.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestLogsHoldNoSecrets runs a full flow against the real server (store,
// jobs delivering SMS through River, API, pages) with its logs at DEBUG in
// a buffer, then fails if any full IIN, any code that was sent, any bearer
// or session token, or any key material appears in them.
func TestLogsHoldNoSecrets(t *testing.T) {
	t.Setenv("TIRKEU_DATA_DIR", t.TempDir())
	t.Setenv("TIRKEU_DATABASE_URL", "")
	t.Setenv("TIRKEU_LOG_LEVEL", "debug")
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	logs := &lockedBuffer{}
	go func() {
		done <- run(ctx, []string{"serve", "-addr", "127.0.0.1:0"}, nil, pw, logs)
		pw.Close()
	}()
	var base string
	lines := bufio.NewScanner(pr)
	for lines.Scan() {
		if _, after, ok := strings.Cut(lines.Text(), "listening on "); ok {
			go func() { _, _ = io.Copy(io.Discard, pr) }()
			base = strings.Fields(after)[0]
			break
		}
	}
	if base == "" {
		t.Fatalf("serve did not start: %s", logs.String())
	}
	c := client{t: t, base: base}
	var codes, tokens []string
	code := func(phone string) string {
		s := c.code(phone)
		codes = append(codes, s)
		return s
	}

	// A registration with two co-owners: OTP, consent codes by SMS reply and
	// by the API, a session, reads of personal data by staff.
	const anna, annaPhone, rka = "960920490032", "77021000003", "9000000000001003"
	c.call("POST", "/api/v1/otp", "", map[string]string{"iin": anna, "purpose": "sign"})
	c.call("POST", "/api/v1/applications", "", map[string]string{"kind": "permanent", "applicant_iin": anna, "rka": rka,
		"reason": "moving in", "otp": "000000"}) // a wrong code first
	_, app, raw := c.call("POST", "/api/v1/applications", "", map[string]string{"kind": "permanent",
		"applicant_iin": anna, "rka": rka, "reason": "moving in", "otp": code(annaPhone)})
	if app["status"] != "awaiting_consent" {
		t.Fatalf("apply: %s", raw)
	}
	c.call("POST", "/dev/sms/reply", "", map[string]string{"from": "77051000005", "text": "Код " + code("77051000005")})
	kimCode := code("77071000006")
	c.call("POST", "/api/v1/otp", "", map[string]string{"iin": "861130390063", "purpose": "login"})
	c.call("POST", "/api/v1/sessions", "", map[string]string{"iin": "861130390063", "otp": "111111"})
	_, sess, raw := c.call("POST", "/api/v1/sessions", "", map[string]string{"iin": "861130390063", "otp": code("77071000006")})
	kim, _ := sess["token"].(string)
	if kim == "" {
		t.Fatalf("session: %s", raw)
	}
	tokens = append(tokens, kim)
	_, pending, _ := c.call("GET", "/api/v1/me/consents", kim, nil)
	list, _ := pending["consents"].([]any)
	if len(list) != 1 {
		t.Fatalf("pending consents: %v", pending)
	}
	task := list[0].(map[string]any)["consent"].(map[string]any)["id"].(string)
	c.call("POST", "/api/v1/consents/"+task+"/confirm", kim, map[string]string{"code": "999999"})
	if status, res, raw := c.call("POST", "/api/v1/consents/"+task+"/confirm", kim, map[string]string{"code": kimCode}); status != 200 || res["status"] != "registered" {
		t.Fatalf("confirm: %d %s", status, raw)
	}
	op := createToken(t, "operator")
	tokens = append(tokens, op)
	c.call("GET", "/api/v1/persons/"+anna+"/registrations", op, nil)
	c.call("GET", "/api/v1/premises/"+rka+"/residents", op, nil)
	c.call("GET", "/api/v1/applications/"+app["id"].(string), op, nil)
	c.call("GET", "/api/v1/persons/"+anna+"/registrations", "tk_wrong", nil)
	c.call("GET", "/api/v1/me", kim+"x", nil)
	c.call("POST", "/api/v1/persons/"+anna+"/deregistration", op, map[string]string{"reason": "bogus"})
	c.call("GET", "/api/v1/me/history", kim, nil)
	c.call("GET", "/api/v1/events", op, nil)
	c.call("GET", "/api/v1/sessions/challenge", "", nil)
	c.call("POST", "/api/v1/sessions", "", map[string]any{"challenge": "1.2.3"})
	// Pages: sign-in form (the CSRF refusal path logs too).
	c.call("GET", "/login", "", nil)
	c.call("GET", "/account", "", nil)

	// Let the jobs deliver every SMS (they log as they go), then stop.
	time.Sleep(1500 * time.Millisecond)
	cancel()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
	out := logs.String()
	if !strings.Contains(out, "level=DEBUG") && !strings.Contains(out, `"level":"DEBUG"`) {
		t.Logf("no DEBUG lines were logged (the scan still covers INFO and above)")
	}
	if testing.Verbose() {
		t.Logf("scanned %d log lines:\n%s", strings.Count(out, "\n"), out)
	}
	if !strings.Contains(out, "request") {
		t.Fatalf("the request log is missing; scanned nothing:\n%s", out)
	}

	var leaks []string
	// Any 12-digit run standing alone is an IIN or BIN.
	for _, m := range regexp.MustCompile(`(?:^|[^0-9A-Za-z_-])(\d{12})(?:[^0-9A-Za-z_-]|$)`).FindAllStringSubmatch(out, -1) {
		leaks = append(leaks, "a 12-digit number (IIN/BIN) "+m[1])
	}
	for _, p := range demo.Cast(time.Now()) {
		if strings.Contains(out, p.IIN) {
			leaks = append(leaks, "the IIN of "+p.Role)
		}
	}
	for _, s := range codes {
		if regexp.MustCompile(`(?:^|\D)` + s + `(?:\D|$)`).MatchString(out) {
			leaks = append(leaks, "the code "+s)
		}
	}
	for _, s := range tokens {
		if strings.Contains(out, s) || strings.Contains(out, strings.SplitN(s, ".", 2)[0]) {
			leaks = append(leaks, "a bearer token")
		}
	}
	for _, s := range []string{"tk_", "PRIVATE KEY", "BEGIN CERTIFICATE", "Bearer ", "tirkeu_session=", demoSecretHint} {
		if strings.Contains(out, s) {
			leaks = append(leaks, "key material or a credential: "+s)
		}
	}
	if len(leaks) > 0 {
		t.Errorf("the logs hold secrets:\n  %s", strings.Join(leaks, "\n  "))
		for _, line := range strings.Split(out, "\n") {
			for _, l := range leaks {
				if f := strings.Fields(l); len(f) > 0 && strings.Contains(line, f[len(f)-1]) {
					t.Logf("  %s", line)
					break
				}
			}
		}
	}
}

// demoSecretHint is the start of the default secret, which keys code hashes.
const demoSecretHint = "tirkeu-demo-secret"
