package web

import (
	"context"
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"testing"

	"tirkeu/internal/residence"
)

// TestForwardedHTTPS: HSTS (and IsSecure, which makes cookies Secure) only
// for TLS, or a trusted proxy's X-Forwarded-Proto: https; a client's own
// header is ignored without trust.
func TestForwardedHTTPS(t *testing.T) {
	for _, tt := range []struct {
		name  string
		trust bool
		proto []string
		tls   bool
		want  bool
	}{
		{"plain", false, nil, false, false},
		{"tls", false, nil, true, true},
		{"header without trust", false, []string{"https"}, false, false},
		{"trusted proxy https", true, []string{"https"}, false, true},
		{"trusted proxy HTTPS, spaces", true, []string{" HTTPS "}, false, true},
		{"trusted proxy http", true, []string{"http"}, false, false},
		{"client https, proxy http (last wins)", true, []string{"https, http"}, false, false},
		{"trusted, no header", true, nil, false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var secure bool
			h := Chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { secure = IsSecure(r) }),
				Forwarded(tt.trust), SecurityHeaders)
			r := httptest.NewRequest("GET", "/", nil)
			for _, v := range tt.proto {
				r.Header.Add("X-Forwarded-Proto", v)
			}
			if tt.tls {
				r.TLS = &tls.ConnectionState{}
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if secure != tt.want || (rec.Header().Get("Strict-Transport-Security") != "") != tt.want {
				t.Errorf("IsSecure %v, HSTS %q; want %v", secure, rec.Header().Get("Strict-Transport-Security"), tt.want)
			}
		})
	}
}

// TestAPIIgnoresSessionCookie: the page session cookie makes the actor on
// pages, never under /api/ (cross-site requests carry cookies, not bearer
// tokens); a bearer token works everywhere.
func TestAPIIgnoresSessionCookie(t *testing.T) {
	s, _, _ := testSessions(t)
	tok, _, err := s.Issue(context.Background(), residence.Actor{Role: residence.RoleCitizen, IIN: "900101300011"})
	if err != nil {
		t.Fatal(err)
	}
	var got residence.Actor
	h := Authenticate(s, func(context.Context, string) (residence.Actor, error) {
		return residence.Actor{}, residence.NewError(residence.EUnauthenticated, textBadAuth)
	})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = ActorFrom(r.Context()) }))
	for _, tt := range []struct {
		method, path string
		cookie       bool
		want         bool
	}{
		{"GET", "/account", true, true},
		{"POST", "/apply/submit", true, true},
		{"POST", "/api/v1/applications", true, false},
		{"POST", "/api/v1/deregistrations", true, false},
		{"GET", "/api/v1/me", true, false},
		{"POST", "/api/v1/applications", false, true}, // bearer
	} {
		got = residence.Actor{}
		r := httptest.NewRequest(tt.method, tt.path, nil)
		if tt.cookie {
			r.AddCookie(&http.Cookie{Name: SessionCookie, Value: tok})
		} else {
			r.Header.Set("Authorization", "Bearer "+tok)
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
		if (got.IIN != "") != tt.want {
			t.Errorf("%s %s (cookie %v): actor %+v, want signed in %v", tt.method, tt.path, tt.cookie, got, tt.want)
		}
	}
}

// TestSafeRedirect: only paths of this site survive, however encoded.
func TestSafeRedirect(t *testing.T) {
	for _, tt := range []struct {
		next string
		ok   bool
	}{
		{"/account", true},
		{"/applications/01J?lang=kk", true},
		{"/apply?rka=0201%20x", true},
		{"/owner#c1", true},
		{"", false},
		{"account", false},
		{"//evil.example", false},
		{"///evil.example", false},
		{"/\\evil.example", false},
		{"\\\\evil.example", false},
		{"https://evil.example", false},
		{"javascript:alert(1)", false},
		{"/%2Fevil.example", false},
		{"/%2f%2fevil.example", false},
		{"%2F%2Fevil.example", false},
		{"/%5Cevil.example", false},
		{"/%252F%252Fevil.example", false},
		{"/%25252F%25252Fevil.example", false},
		{"/%2525252F%2525252Fevil.example", false}, // too deep: refused
		{"/\t/evil.example", false},
		{"/\n/evil.example", false},
		{"/%09/evil.example", false},
		{"/%0d%0aSet-Cookie:x=y", false},
		{"/%zz", false},
	} {
		want := tt.next
		if !tt.ok {
			want = "/account"
		}
		if got := SafeRedirect(tt.next, "/account"); got != want {
			t.Errorf("SafeRedirect(%q) = %q, want %q", tt.next, got, want)
		}
	}
}

// TestProtectMetrics: with a token only its bearer sees metrics; without
// one they are public in demo mode and absent in production.
func TestProtectMetrics(t *testing.T) {
	m := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("metrics")) })
	const tok = "metrics-token-metrics-token-metrics-token"
	for _, tt := range []struct {
		name   string
		token  string
		public bool
		auth   string
		want   int
	}{
		{"demo, no token", "", true, "", 200},
		{"production, no token configured", "", false, "", 404},
		{"production, token configured, none sent", tok, false, "", 401},
		{"wrong token", tok, false, "Bearer nope", 401},
		{"basic auth", tok, false, "Basic " + tok, 401},
		{"right token", tok, false, "Bearer " + tok, 200},
		{"demo with token still needs it", tok, true, "", 401},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/metrics", nil)
			if tt.auth != "" {
				r.Header.Set("Authorization", tt.auth)
			}
			rec := httptest.NewRecorder()
			ProtectMetrics(m, tt.token, tt.public).ServeHTTP(rec, r)
			if rec.Code != tt.want || (tt.want == 200) != (rec.Body.String() == "metrics") {
				t.Errorf("status %d body %q, want %d", rec.Code, rec.Body.String(), tt.want)
			}
		})
	}
}
