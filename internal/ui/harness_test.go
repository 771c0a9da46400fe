package ui_test

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"tirkeu/internal/demo"
	"tirkeu/internal/residence"
	"tirkeu/internal/residence/residencetest"
	"tirkeu/internal/store/storetest"
	"tirkeu/internal/ui"
	"tirkeu/internal/web"
)

// today is the day every scenario runs on: noon in Almaty.
var today = time.Date(2026, 11, 22, 7, 0, 0, 0, time.UTC)

// env is a running server with the pages and the API's middleware on a
// fresh SQLite store holding the demo registry.
type env struct {
	t     testing.TB
	st    residence.Store // tests read the store directly; the pages only through svc
	svc   *residence.Service
	clock *residencetest.FakeClock
	srv   *httptest.Server
	h     http.Handler // what srv serves
	cast  map[string]demo.CastMember
}

func newEnv(t testing.TB, opts ...func(*ui.Options)) *env {
	t.Helper()
	return newEnvVerified(t, nil, opts...)
}

// newEnvVerified is newEnv whose service verifies EDS signatures with the
// verifier made on the env's clock (nil: EDS is refused).
func newEnvVerified(t testing.TB, verifier func(*residencetest.FakeClock) residence.SignatureVerifier, opts ...func(*ui.Options)) *env {
	t.Helper()
	return newEnvMounted(t, verifier, nil, opts...)
}

// newEnvMounted is newEnvVerified; mount, when not nil, adds more routes
// to the mux beside the pages (the API, for the layout test).
func newEnvMounted(t testing.TB, verifier func(*residencetest.FakeClock) residence.SignatureVerifier,
	mount func(mux *http.ServeMux, svc *residence.Service, sessions *web.Sessions, u *ui.UI), opts ...func(*ui.Options)) *env {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t, storetest.SQLite)
	if _, err := demo.Load(ctx, st, today); err != nil {
		t.Fatalf("demo.Load: %v", err)
	}
	clock := residencetest.NewFakeClock(today)
	var v residence.SignatureVerifier
	if verifier != nil {
		v = verifier(clock)
	}
	svc := residence.NewService(st, clock, residence.DefaultConfig(), v, nil)
	secret := []byte("ui-test-secret-ui-test-secret-32")
	sessions := web.NewSessions(secret, 12*time.Hour, clock.Now, svc)
	o := ui.Options{Demo: true, Secret: secret, Now: clock.Now, Cast: demo.Cast}
	for _, f := range opts {
		f(&o)
	}
	u, err := ui.New(svc, sessions, o)
	if err != nil {
		t.Fatalf("ui.New: %v", err)
	}
	mux := http.NewServeMux()
	if mount != nil {
		mount(mux, svc, sessions, u)
	}
	u.Register(mux)
	h := web.Stack(mux, slog.New(slog.DiscardHandler), nil, sessions, svc.AuthenticateToken)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e := &env{t: t, st: st, svc: svc, clock: clock, srv: srv, h: h, cast: map[string]demo.CastMember{}}
	for _, c := range demo.Cast(today) {
		e.cast[c.Role] = c
	}
	return e
}

// person returns the cast member with the role.
func (e *env) person(role string) demo.CastMember {
	e.t.Helper()
	c, ok := e.cast[role]
	if !ok {
		e.t.Fatalf("no cast member %q", role)
	}
	return c
}

// lastCode reads the newest code sent to the person's phone from the demo
// outbox in the store.
func (e *env) lastCode(iin string) string {
	e.t.Helper()
	ctx := context.Background()
	var code string
	err := e.st.View(ctx, func(r residence.Reader) error {
		p, err := r.Person(ctx, iin)
		if err != nil {
			return err
		}
		msgs, err := r.ListSMS(ctx, 500)
		if err != nil {
			return err
		}
		for i := len(msgs) - 1; i >= 0; i-- {
			if msgs[i].To == p.Phone {
				code = sixDigits.FindString(msgs[i].Text)
				return nil
			}
		}
		return nil
	})
	if err != nil || code == "" {
		e.t.Fatalf("no code for the person in the outbox (err %v)", err)
	}
	return code
}

var sixDigits = regexp.MustCompile(`\b\d{6}\b`)

// operatorToken creates a service-centre token.
func (e *env) operatorToken() string {
	e.t.Helper()
	tok, _, err := e.svc.CreateToken(context.Background(), "PSC Astana №1", residence.RoleOperator)
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// client is a browser without JavaScript: a cookie jar, and the CSRF token
// of the last page scraped for the next form.
type client struct {
	e    *env
	http *http.Client
	last string // body of the last page
	csrf string
	lang string
}

func (e *env) client(lang string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, http: &http.Client{Jar: jar}, lang: lang}
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *client) do(req *http.Request) (int, string) {
	c.e.t.Helper()
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	c.last = string(b)
	if m := csrfRE.FindStringSubmatch(c.last); m != nil {
		c.csrf = m[1]
	}
	return res.StatusCode, c.last
}

func (c *client) get(path string) (int, string) {
	req, _ := http.NewRequest("GET", c.e.srv.URL+path, nil)
	return c.do(req)
}

// post sends a form with the scraped CSRF token (unless the form sets one).
func (c *client) post(path string, form url.Values) (int, string) {
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", c.csrf)
	}
	req, _ := http.NewRequest("POST", c.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// mustContain fails when the page lacks any of the texts.
func mustContain(t testing.TB, body string, texts ...string) {
	t.Helper()
	plain := html.UnescapeString(body)
	for _, s := range texts {
		if !strings.Contains(plain, s) {
			t.Fatalf("page lacks %q:\n%s", s, excerpt(plain))
		}
	}
}

func excerpt(s string) string {
	if i := strings.Index(s, `<main`); i >= 0 {
		s = s[i:]
	}
	if len(s) > 4000 {
		s = s[:4000]
	}
	return s
}

// signIn signs the client in with a one-time password.
func (c *client) signIn(iin string) {
	c.e.t.Helper()
	c.get("/login")
	if st, body := c.post("/login/otp", url.Values{"iin": {iin}}); st != 200 {
		c.e.t.Fatalf("login/otp: %d\n%s", st, excerpt(body))
	}
	if st, body := c.post("/login", url.Values{"iin": {iin}, "code": {c.e.lastCode(iin)}, "next": {"/account"}}); st != 200 || !strings.Contains(body, `id="registrations"`) {
		c.e.t.Fatalf("login: %d\n%s", st, excerpt(body))
	}
}
