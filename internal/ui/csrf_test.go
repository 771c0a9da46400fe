package ui_test

import (
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestCSRFOnEveryForm posts to every form route registered in ui.go, signed
// in, without a token and with another
// browser's token: each must be refused with 403 before it does anything.
// The routes are read from Register, so a new form route is covered (and a
// form route registered without the CSRF wrapper fails).
func TestCSRFOnEveryForm(t *testing.T) {
	src, err := os.ReadFile("ui.go")
	if err != nil {
		t.Fatal(err)
	}
	var routes []string
	for _, m := range regexp.MustCompile(`\b([hp]|codes)\("POST (/[^"]*)"`).FindAllStringSubmatch(string(src), -1) {
		if m[1] == "h" {
			t.Errorf("POST %s is registered without the CSRF check", m[2])
			continue
		}
		routes = append(routes, m[2])
	}
	if len(routes) < 10 {
		t.Fatalf("found only %d form routes in ui.go: %v", len(routes), routes)
	}
	e := newEnv(t)
	citizen := e.client("en")
	citizen.signIn(e.person("tenant").IIN)
	other := e.client("en")
	other.get("/login")
	for _, path := range routes {
		path = strings.ReplaceAll(path, "{id}", "00000000-0000-7000-8000-000000000000")
		form := url.Values{"iin": {e.person("tenant").IIN}, "code": {"123456"}, "token": {"tk_x"}, "reason": {"emigrated"}}
		for _, tok := range []string{"", other.csrf, "x"} {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			f.Set("csrf", tok)
			if st, _ := citizen.post(path, f); st != http.StatusForbidden {
				t.Errorf("POST %s with csrf %q: %d, want 403", path, tok, st)
			}
		}
	}
}
