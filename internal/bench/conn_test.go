package bench

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The lookup scenario against a stand-in server: every request carries the
// token, answers are counted by status, connections are kept alive, and a
// connection the server closes is dialled again without losing a request.
func TestLookupOverKeepAlive(t *testing.T) {
	var served, refused, closes, dials atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		iin, ok := strings.CutPrefix(r.URL.Path, "/api/v1/persons/")
		if !ok || !strings.HasSuffix(iin, "/registrations") || r.Header.Get("Authorization") != "Bearer tk_test" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		n := served.Add(1)
		if n%25 == 0 {
			closes.Add(1)
			w.Header().Set("Connection", "close")
		}
		if strings.HasPrefix(iin, "000000000000") {
			refused.Add(1)
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"code":"unknown_person"}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"person":{"iin":"` + iin[:12] + `"},"registrations":[]}`))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			dials.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()

	res, err := Run(context.Background(), Options{
		URL: srv.URL, Scenario: ScenarioLookup, Concurrency: 3, Duration: 300 * time.Millisecond,
		Token: "tk_test", Candidates: Candidates{Persons: []string{"880101300516", "000000000000", "900202400002"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	l := res.Requests["lookup"]
	if l == nil || l.Count < 50 {
		t.Fatalf("lookups: %+v, want at least 50", l)
	}
	if got := served.Load(); got < l.Count {
		t.Errorf("server answered %d requests, fewer than the %d recorded", got, l.Count)
	}
	if l.Errors == 0 || res.Errors["lookup 404 unknown_person"] != l.Errors {
		t.Errorf("errors %+v (lookup errors %d), want the unknown person's 404s by code", res.Errors, l.Errors)
	}
	if bad := res.Errors["lookup 400 "]; bad > 0 {
		t.Errorf("%d requests lacked the token or had a wrong path", bad)
	}
	if d, c := dials.Load(), closes.Load(); c == 0 || d > c+3 || d < 3 {
		t.Errorf("%d connections for %d server closes and 3 clients: want keep-alive plus one dial per close", d, c)
	}
}
