package api_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"tirkeu/internal/residence"
)

// raw sends a request line and headers exactly as written (no client-side
// cleaning or escaping) and returns the response.
func (h *harness) raw(t *testing.T, method, target string, headers []string, body []byte) (*http.Response, []byte) {
	t.Helper()
	u, _ := url.Parse(h.srv.URL)
	conn, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n", method, target, u.Host)
	for _, hd := range headers {
		b.WriteString(hd + "\r\n")
	}
	if body != nil {
		fmt.Fprintf(&b, "Content-Type: application/json\r\nContent-Length: %d\r\n", len(body))
	}
	b.WriteString("\r\n")
	b.Write(body)
	if _, err := conn.Write(b.Bytes()); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%s %q: %v", method, target, err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res, out
}

// TestOversizeBodies: a body over 1 MiB is refused with 413 problem+json,
// whether its length is declared or it arrives chunked.
func TestOversizeBodies(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		big := `{"kind":"permanent","reason":"` + strings.Repeat("a", 1<<20) + `"}`
		for _, path := range []string{"/api/v1/applications", "/api/v1/otp", "/api/v1/sessions", "/api/v1/deregistrations",
			"/api/v1/consents/x/confirm", "/dev/sms/reply"} {
			// Declared length.
			res := h.do("POST", path, "", big)
			if res.status != http.StatusRequestEntityTooLarge || res.str("code") != "body_too_large" {
				t.Errorf("%s with Content-Length: %d %.200s", path, res.status, res.raw)
			}
			// Chunked: the length is found out while reading.
			req, _ := http.NewRequest("POST", h.srv.URL+path, io.MultiReader(strings.NewReader(big)))
			req.ContentLength = -1
			req.Header.Set("Content-Type", "application/json")
			r, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(r.Body)
			r.Body.Close()
			if r.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(raw), `"body_too_large"`) ||
				r.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s chunked: %d %.200s", path, r.StatusCode, raw)
			}
		}
		// Just under the limit is read (and refused for what it says).
		ok := `{"iin":"` + strings.Repeat(" ", 1<<19) + `"}`
		if res := h.do("POST", "/api/v1/otp", "", ok); res.status != http.StatusUnprocessableEntity {
			t.Errorf("a large but allowed body: %d %.200s", res.status, res.raw)
		}
	})
}

var safeRequestID = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)

// TestPathInjection sends traversal, encoded slashes, NUL bytes, markup and
// CRLF in every path parameter: never a 500, never the raw value reflected
// in a header or unescaped in a body.
func TestPathInjection(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		op := h.staffToken(residence.RoleOperator)
		payloads := []string{
			"..", "../..", "..%2f..%2fetc%2fpasswd", "%2e%2e%2f", "a%2Fb", "%00", "1%00", "x%0d%0aSet-Cookie:%20evil=1",
			"%3Cscript%3Ealert(1)%3C%2Fscript%3E", "'%20OR%201=1--", "%E2%80%AE", "%ff%fe", strings.Repeat("9", 5000),
			"12345678901%00", "%25", "%",
		}
		templates := []string{
			"GET /api/v1/persons/%s/registrations",
			"POST /api/v1/persons/%s/deregistration",
			"GET /api/v1/premises/%s/residents",
			"GET /api/v1/applications/%s",
			"POST /api/v1/consents/%s/confirm",
			"POST /api/v1/consents/%s/decline",
		}
		for _, tmpl := range templates {
			method, pathT, _ := strings.Cut(tmpl, " ")
			for _, p := range payloads {
				target := fmt.Sprintf(pathT, p)
				var body []byte
				if method == "POST" {
					body = []byte(`{"code":"123456","reason":"emigrated"}`)
				}
				res, raw := h.raw(t, method, target, []string{"Authorization: Bearer " + op}, body)
				if res.StatusCode >= 500 {
					t.Errorf("%s %s: %d %.200s", method, target, res.StatusCode, raw)
				}
				if res.Header.Get("Set-Cookie") != "" {
					t.Errorf("%s %s: Set-Cookie %q", method, target, res.Header.Get("Set-Cookie"))
				}
				for _, bad := range []string{"<script>", "\r\n", "evil=1\r"} {
					if strings.Contains(string(raw), bad) {
						t.Errorf("%s %s reflects %q raw: %.200s", method, target, bad, raw)
					}
				}
				if res.StatusCode >= 400 && res.Header.Get("Content-Type") != "application/problem+json" &&
					res.StatusCode != http.StatusBadRequest { // the server's own refusal of a malformed request line
					t.Errorf("%s %s: %d as %q", method, target, res.StatusCode, res.Header.Get("Content-Type"))
				}
			}
		}
	})
}

// TestHeaderInjection puts CR, LF, markup, huge and non-UTF-8 values in the
// headers the server reads: X-Request-Id (echoed), Idempotency-Key (stored),
// Accept-Language (negotiated), Authorization and Signature.
func TestHeaderInjection(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		values := []string{
			"abc%0d%0aSet-Cookie: evil=1", "<script>alert(1)</script>", strings.Repeat("k", 300), "\xff\xfe\x00",
			"a\tb", "ключ", "../../etc/passwd", `"},{"x":"`, "", " ",
		}
		body := func() []byte {
			b, _ := json.Marshal(map[string]any{"kind": "permanent", "applicant_iin": h.iin("owner"), "subject_iin": h.iin("owner"),
				"rka": h.f.rka["ownFlat"], "otp": "000000"})
			return b
		}
		for _, v := range values {
			for _, name := range []string{"X-Request-Id", "Idempotency-Key", "Accept-Language", "Authorization", "Signature", "Cookie"} {
				hdr := name + ": " + v
				res, raw := h.raw(t, "POST", "/api/v1/applications", []string{hdr}, body())
				if res.StatusCode >= 500 {
					t.Errorf("%q: %d %.300s", hdr, res.StatusCode, raw)
				}
				if id := res.Header.Get("X-Request-Id"); res.StatusCode != http.StatusBadRequest && !safeRequestID.MatchString(id) {
					t.Errorf("%q: X-Request-Id echoed as %q", hdr, id)
				}
				if cl := res.Header.Get("Content-Language"); cl != "" && cl != "kk" && cl != "ru" && cl != "en" {
					t.Errorf("%q: Content-Language %q", hdr, cl)
				}
				if res.Header.Get("Set-Cookie") != "" {
					t.Errorf("%q: Set-Cookie %q", hdr, res.Header.Get("Set-Cookie"))
				}
				if strings.Contains(string(raw), "<script>") {
					t.Errorf("%q: body reflects markup raw", hdr)
				}
			}
		}
		// A genuine CR or LF inside a header value cannot reach a handler:
		// the line ends there, and what follows is a header of its own (or a
		// malformed line the server refuses with 400).
		res, _ := h.raw(t, "GET", "/api/v1/sessions/challenge", []string{"X-Request-Id: abc\rSet-Cookie: evil=1"}, nil)
		if res.StatusCode != http.StatusBadRequest && res.Header.Get("Set-Cookie") != "" {
			t.Errorf("bare CR: %d, Set-Cookie %q", res.StatusCode, res.Header.Get("Set-Cookie"))
		}
	})
}

// TestSessionTokensAreFresh: the API never accepts a token it did not sign
// (so no one can plant one before sign-in), and every sign-in issues a new
// token, whatever the caller sent with it.
func TestSessionTokensAreFresh(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		planted := "eyJpaW4iOiIxIn0.AAAA"
		if res := h.do("GET", "/api/v1/me", planted, nil); res.status != http.StatusUnauthorized {
			t.Fatalf("a planted token: %d", res.status)
		}
		first := h.login("tenant")
		h.clock.Advance(time.Second)
		h.must(h.do("POST", "/api/v1/otp", first, map[string]string{"iin": h.iin("tenant")}), 201)
		res := h.must(h.do("POST", "/api/v1/sessions", first, map[string]string{"iin": h.iin("tenant"), "otp": h.lastCode("tenant")}), 201)
		second := res.str("token")
		if second == "" || second == first {
			t.Fatalf("sign-in with a session reused it: %q", second)
		}
		// A session cookie sent to the API before sign-in is not echoed back
		// as the new session either.
		h.must(h.do("POST", "/api/v1/otp", "", map[string]string{"iin": h.iin("tenant")}), 201)
		res = h.must(h.do("POST", "/api/v1/sessions", "", map[string]string{"iin": h.iin("tenant"), "otp": h.lastCode("tenant")}, "Cookie", "tirkeu_session="+first), 201)
		if res.str("token") == first || res.header.Get("Set-Cookie") != "" {
			t.Fatalf("cookie session reused: %q %q", res.str("token"), res.header.Get("Set-Cookie"))
		}
		// A tampered token (another IIN under the old signature) is refused.
		payload, sig, _ := strings.Cut(second, ".")
		forged := strings.Replace(payload, "a", "b", 1) + "." + sig
		if forged != second {
			if res := h.do("GET", "/api/v1/me", forged, nil); res.status != http.StatusUnauthorized {
				t.Fatalf("a tampered token: %d", res.status)
			}
		}
	})
}

// TestNULInBodies sends NUL characters (which PostgreSQL text cannot hold)
// in every string of every body, on both engines: refused, never a 500.
func TestNULInBodies(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		op := h.staffToken(residence.RoleOperator)
		n := `a\u0000b`
		body := `{"kind":"permanent","applicant_iin":"` + n + `","subject_iin":"` + n + `","rka":"` + n + `","reason":"` + n +
			`","otp":"` + n + `","code":"` + n + `","iin":"` + n + `","purpose":"` + n + `","owner_iin":"` + n +
			`","from":"` + n + `","text":"` + n + `","challenge":"` + n + `"}`
		for _, path := range fuzzRoutes {
			for _, tok := range []string{"", op} {
				res := h.do("POST", path, tok, body)
				if res.status >= 500 {
					t.Errorf("POST %s: %d %.200s", path, res.status, res.raw)
				}
			}
		}
		// Strings that are valid only up to the NUL, in fields read raw.
		res := h.do("POST", "/api/v1/applications", op, map[string]any{"kind": "permanent", "applicant_iin": h.iin("owner"),
			"rka": h.f.rka["ownFlat"] + "\x00", "reason": "x\x00y"})
		if res.status >= 500 {
			t.Errorf("NUL in rka: %d %.200s", res.status, res.raw)
		}
		res = h.do("POST", "/dev/sms/reply", "", map[string]any{"from": h.phone("coA") + "\x00", "text": "\x00123456"})
		if res.status >= 500 {
			t.Errorf("NUL in an SMS reply: %d %.200s", res.status, res.raw)
		}
	})
}
