package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestCSPConnectsToNCALayer: the pages may open a WebSocket to NCALayer on
// the citizen's computer and to no other host; scripts stay same-origin.
func TestCSPConnectsToNCALayer(t *testing.T) {
	h := SecurityHeaders(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	csp := rec.Header().Get("Content-Security-Policy")
	directives := map[string]string{}
	for _, d := range strings.Split(csp, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		directives[name] = value
	}
	for name, want := range map[string]string{
		"connect-src": "'self' wss://127.0.0.1:13579",
		"script-src":  "'self'",
		"default-src": "'self'",
	} {
		if got := directives[name]; got != want {
			t.Errorf("%s %q, want %q (policy %q)", name, got, want, csp)
		}
	}
	if got := ContentSecurityPolicy("wss://127.0.0.1:4242"); !strings.Contains(got, "connect-src 'self' wss://127.0.0.1:4242;") {
		t.Errorf("a stand-in's origin is not allowed: %q", got)
	}
}
