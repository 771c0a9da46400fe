package web

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestObserveLogs checks the request's log line and the handler's logger:
// both carry the request id (the client's, when valid), the line names the
// route pattern (not the path, which may hold an IIN), the method and the
// status, and RequestID answers the same id.
func TestObserveLogs(t *testing.T) {
	var buf bytes.Buffer
	base := slog.New(slog.NewJSONHandler(&buf, nil))
	mux := http.NewServeMux()
	var seen string
	mux.HandleFunc("GET /persons/{iin}", func(w http.ResponseWriter, r *http.Request) {
		seen = RequestID(r.Context())
		Logger(r.Context()).Info("inside", "n", 1)
		w.WriteHeader(http.StatusTeapot)
	})
	h := Chain(Routes(mux), ClientAddress(false), Observe(base, nil))
	req := httptest.NewRequest("GET", "/persons/860814300251", nil)
	req.Header.Set("X-Request-Id", "req-42")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)

	if got := rec.Header().Get("X-Request-Id"); got != "req-42" || seen != "req-42" {
		t.Fatalf("X-Request-Id %q, RequestID in the handler %q; want req-42", got, seen)
	}
	if strings.Contains(buf.String(), "860814300251") {
		t.Errorf("the log holds the IIN of the path: %s", buf.String())
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d log lines, want 2: %s", len(lines), buf.String())
	}
	var inside, line map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &inside); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(lines[1]), &line); err != nil {
		t.Fatal(err)
	}
	if inside["msg"] != "inside" || inside["request_id"] != "req-42" || inside["n"] != 1.0 {
		t.Errorf("handler's line %v, want msg inside with request_id req-42", inside)
	}
	want := map[string]any{"msg": "request", "request_id": "req-42", "method": "GET", "route": "GET /persons/{iin}", "status": 418.0}
	for k, v := range want {
		if line[k] != v {
			t.Errorf("request line %s = %v, want %v (%s)", k, line[k], v, lines[1])
		}
	}
	// The request id comes first, as a logger made With it would put it.
	if !strings.Contains(lines[1], `"msg":"request","request_id":"req-42","method"`) {
		t.Errorf("request line %s: want request_id right after msg", lines[1])
	}
}

// TestSecurityHeadersShared checks that a handler changing a security
// header of its response (Set, Add, Del) changes no other response: the
// values are shared between responses.
func TestSecurityHeadersShared(t *testing.T) {
	n := 0
	h := SecurityHeaders(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n++
		if n == 1 {
			w.Header().Add("X-Frame-Options", "SAMEORIGIN")
			w.Header().Set("Content-Security-Policy", "default-src *")
			w.Header().Del("Referrer-Policy")
		}
	}))
	for i := range 2 {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		if i == 0 {
			continue
		}
		if got := rec.Header().Values("X-Frame-Options"); len(got) != 1 || got[0] != "DENY" {
			t.Errorf("X-Frame-Options %q, want DENY alone", got)
		}
		if got := rec.Header().Get("Content-Security-Policy"); got != ContentSecurityPolicy(NCALayerURL) {
			t.Errorf("Content-Security-Policy %q", got)
		}
		if got := rec.Header().Get("Referrer-Policy"); got != "no-referrer" {
			t.Errorf("Referrer-Policy %q", got)
		}
	}
}
