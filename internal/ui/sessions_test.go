package ui_test

import (
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"tirkeu/internal/ui"
	"tirkeu/internal/web"
)

// cookie returns the client's cookie of the name, or "".
func (c *client) cookie(name string) string {
	u, _ := url.Parse(c.e.srv.URL)
	for _, k := range c.http.Jar.Cookies(u) {
		if k.Name == name {
			return k.Value
		}
	}
	return ""
}

// raw sends one request with only the given cookies, without following a
// redirect, and returns the status, Location and body.
func (e *env) raw(method, path string, cookies map[string]string) (int, string, string) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, nil)
	for k, v := range cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return res.StatusCode, res.Header.Get("Location"), b.String()
}

// TestLogoutEndsSession: after signing out, a copy of the session cookie
// taken before is worthless: /account sends it to the sign-in page.
func TestLogoutEndsSession(t *testing.T) {
	e := newEnv(t)
	c := e.client("en")
	c.signIn(e.person("tenant").IIN)
	copied := c.cookie(web.SessionCookie)
	if copied == "" {
		t.Fatal("no session cookie after sign-in")
	}
	if st, _, _ := e.raw("GET", "/account", map[string]string{web.SessionCookie: copied}); st != http.StatusOK {
		t.Fatalf("copied cookie before sign-out: %d, want 200", st)
	}
	c.get("/account")
	if st, _ := c.post("/logout", url.Values{}); st != http.StatusOK {
		t.Fatalf("logout: %d", st)
	}
	st, loc, _ := e.raw("GET", "/account", map[string]string{web.SessionCookie: copied})
	if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
		t.Errorf("copied cookie after sign-out: %d %q, want 303 to /login", st, loc)
	}
}

// TestOperatorLogoutEndsSession: the same for the staff cookie.
func TestOperatorLogoutEndsSession(t *testing.T) {
	e := newEnv(t)
	c := e.client("en")
	c.get("/operator")
	if st, body := c.post("/operator/login", url.Values{"token": {e.operatorToken()}}); st != http.StatusOK || !strings.Contains(body, `action="/operator/logout"`) {
		t.Fatalf("operator login: %d\n%s", st, excerpt(body))
	}
	copied := c.cookie("tirkeu_staff")
	if _, _, body := e.raw("GET", "/operator", map[string]string{"tirkeu_staff": copied}); !strings.Contains(body, `action="/operator/logout"`) {
		t.Fatal("copied staff cookie before sign-out does not sign in")
	}
	if st, _ := c.post("/operator/logout", url.Values{}); st != http.StatusOK {
		t.Fatalf("operator logout: %d", st)
	}
	if _, _, body := e.raw("GET", "/operator", map[string]string{"tirkeu_staff": copied}); strings.Contains(body, `action="/operator/logout"`) {
		t.Error("copied staff cookie still signs in after sign-out")
	}
}

// TestLoginRedirectStaysOnSite: the next parameter of sign-in only leads to
// this site's paths.
func TestLoginRedirectStaysOnSite(t *testing.T) {
	e := newEnv(t)
	iin := e.person("tenant").IIN
	for _, tt := range []struct{ next, want string }{
		{"/apply", "/apply"},
		{"//evil.example/x", "/account"},
		{"/\\evil.example", "/account"},
		{"https://evil.example", "/account"},
		{"/%2F%2Fevil.example", "/account"},
		{"/%5Cevil.example", "/account"},
		{"/\t/evil.example", "/account"},
	} {
		e.clock.Advance(time.Hour) // the cap of login codes per person and hour
		c := e.client("en")
		c.http.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		c.get("/login")
		c.post("/login/otp", url.Values{"iin": {iin}})
		form := url.Values{"iin": {iin}, "code": {e.lastCode(iin)}, "next": {tt.next}, "csrf": {c.csrf}}
		req, _ := http.NewRequest("POST", e.srv.URL+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := c.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != tt.want {
			t.Errorf("next %q: %d Location %q, want %q", tt.next, res.StatusCode, res.Header.Get("Location"), tt.want)
		}
	}
}

// TestIPLimitEveryForm: every form registered with codes in ui.go (those
// that send or try a code, a signature or a token) is limited per client
// address: with a budget of one, the second post is a translated 429 page
// with Retry-After, before the CSRF check or anything else runs.
func TestIPLimitEveryForm(t *testing.T) {
	src, err := os.ReadFile("ui.go")
	if err != nil {
		t.Fatal(err)
	}
	var routes []string
	for _, m := range regexp.MustCompile(`\bcodes\("POST (/[^"]*)"`).FindAllStringSubmatch(string(src), -1) {
		routes = append(routes, m[1])
	}
	for _, want := range []string{"/login", "/login/otp", "/login/eds", "/apply/sign", "/apply/submit", "/owner/otp",
		"/owner/consents/{id}/confirm", "/owner/consents/{id}/decline", "/owner/deregister", "/operator/login"} {
		found := false
		for _, r := range routes {
			found = found || r == want
		}
		if !found {
			t.Errorf("POST %s takes a code but is not registered with codes (the per-IP limit)", want)
		}
	}
	now := time.Date(2026, 11, 22, 7, 0, 0, 0, time.UTC)
	lim := web.NewIPLimiter(web.IPLimit{Burst: 1, Per: time.Hour, Now: func() time.Time { return now }})
	e := newEnv(t, func(o *ui.Options) { o.Limiter = lim })
	for _, path := range routes {
		path = strings.ReplaceAll(path, "{id}", "00000000-0000-7000-8000-000000000000")
		now = now.Add(time.Hour) // a full bucket for each route
		if st, _, _ := e.raw("POST", path, nil); st == http.StatusTooManyRequests {
			t.Fatalf("POST %s: first request limited", path)
		}
		req, _ := http.NewRequest("POST", e.srv.URL+path, nil)
		req.Header.Set("Accept-Language", "en")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" ||
			!strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Errorf("POST %s second time: %d Retry-After %q %s, want a 429 page", path, res.StatusCode,
				res.Header.Get("Retry-After"), res.Header.Get("Content-Type"))
		}
	}
	// Reads and sign-out are not limited.
	for range 3 {
		if st, _, _ := e.raw("GET", "/login", nil); st != http.StatusOK {
			t.Errorf("GET /login: %d", st)
		}
	}
}
