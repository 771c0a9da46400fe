package ui_test

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"tirkeu/internal/web"
)

// A page that runs out of time (TIRKEU_REQUEST_TIMEOUT) is a translated
// "try again later" with 503, and a page whose client went away is recorded
// as 499, not as a server error.
func TestPageOutOfTimeOrAbandoned(t *testing.T) {
	e := newEnv(t)
	rec := httptest.NewRecorder()
	web.Deadline(time.Nanosecond)(e.h).ServeHTTP(rec, httptest.NewRequest("GET", "/stats?lang=kk", nil))
	if body := html.UnescapeString(rec.Body.String()); rec.Code != http.StatusServiceUnavailable ||
		!strings.Contains(body, "Қызмет уақытша қолжетімсіз") {
		t.Errorf("out of time: %d\n%s", rec.Code, body)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rec = httptest.NewRecorder()
	e.h.ServeHTTP(rec, httptest.NewRequest("GET", "/stats", nil).WithContext(ctx))
	if rec.Code != web.StatusClientClosedRequest {
		t.Errorf("abandoned: %d, want %d", rec.Code, web.StatusClientClosedRequest)
	}
}
