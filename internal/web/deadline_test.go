package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A request's context carries the deadline; none with d = 0.
func TestDeadlineSetsTheContext(t *testing.T) {
	for _, d := range []time.Duration{0, time.Minute} {
		var got time.Time
		var has bool
		h := Deadline(d)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got, has = r.Context().Deadline()
		}))
		before := time.Now()
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
		if has != (d > 0) {
			t.Fatalf("d=%v: deadline set = %v", d, has)
		}
		if has && (got.Before(before) || got.After(time.Now().Add(d))) {
			t.Errorf("d=%v: deadline %v, want within %v of %v", d, got, d, before)
		}
	}
}

// Work cut short by the deadline answers 503 unavailable with Retry-After,
// not 500: the database was slow, the client may try again.
func TestDeadlineExceededIsUnavailable(t *testing.T) {
	h := Deadline(time.Millisecond)(HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		<-r.Context().Done() // a statement the driver cancels when the context ends
		return fmt.Errorf("store: view: %w", r.Context().Err())
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/persons/x/registrations", nil))
	var p Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	if rec.Code != http.StatusServiceUnavailable || p.Code != "unavailable" || rec.Header().Get("Retry-After") == "" ||
		p.Messages == nil || p.Messages.KK == "" || p.Messages.RU == "" {
		t.Fatalf("%d %s Retry-After %q: %+v", rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("Retry-After"), p)
	}
}

// A client that went away mid-request is recorded as 499 at info level,
// not as a server error: the log has no error line and the status is not a
// 5xx.
func TestClientClosedRequest(t *testing.T) {
	var logs bytes.Buffer
	h := Observe(slog.New(slog.NewTextHandler(&logs, nil)), nil)(HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		<-r.Context().Done() // the client hung up while the statement ran
		return fmt.Errorf("store: person: %w", r.Context().Err())
	}))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/persons/x/registrations", nil).WithContext(ctx))
	if rec.Code != StatusClientClosedRequest {
		t.Errorf("status %d, want %d", rec.Code, StatusClientClosedRequest)
	}
	if strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), "status=499") {
		t.Errorf("log:\n%s", logs.String())
	}
}
