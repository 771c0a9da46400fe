package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTokenPurposes: `token create --role agency --purpose …` makes a token
// that reads what its purposes allow and is refused the rest with 403
// purpose_missing; without --purpose it reads addresses only; unknown
// purposes and purposes on staff tokens are refused.
func TestTokenPurposes(t *testing.T) {
	c := client{t: t, base: startServe(t, nil)}
	create := func(args ...string) (int, map[string]string, string) {
		var out, errb bytes.Buffer
		code := run(context.Background(), append([]string{"token", "create"}, args...), nil, &out, &errb)
		var m map[string]string
		_ = json.Unmarshal(out.Bytes(), &m)
		return code, m, errb.String()
	}
	code, feedTok, errs := create("--role", "agency", "--purpose", "address:read,events:read")
	if code != 0 || feedTok["purposes"] != "address:read,events:read" {
		t.Fatalf("create: %d %v %s", code, feedTok, errs)
	}
	code, defTok, errs := create("--role", "agency")
	if code != 0 || defTok["purposes"] != "address:read" {
		t.Fatalf("create without --purpose: %d %v %s", code, defTok, errs)
	}
	if code, _, errs := create("--role", "agency", "--purpose", "address:write"); code != 2 || !strings.Contains(errs, "unknown purpose") {
		t.Errorf("unknown purpose: %d %s", code, errs)
	}
	if code, _, errs := create("--role", "operator", "--purpose", "events:read"); code != 1 {
		t.Errorf("purpose on a staff token: %d %s", code, errs)
	}
	const person, rka = "/api/v1/persons/810612390011/registrations", "/api/v1/premises/9000000000001001/residents"
	for _, tt := range []struct {
		token, path string
		status      int
	}{
		{feedTok["token"], "/api/v1/events", 200},
		{feedTok["token"], person, 200},
		{feedTok["token"], rka, 403},
		{defTok["token"], person, 200},
		{defTok["token"], "/api/v1/events", 403},
		{defTok["token"], rka, 403},
	} {
		status, m, raw := c.call("GET", tt.path, tt.token, nil)
		if status != tt.status || (status == http.StatusForbidden && m["code"] != "purpose_missing") {
			t.Errorf("%s: %d %s, want %d", tt.path, status, raw, tt.status)
		}
	}
}

// TestTokenNewDatabase: a token for a SQLite database that does not exist
// yet is refused (no server would know it) and creates nothing; a token that
// is made says on stderr which database holds it.
func TestTokenNewDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none.db")
	t.Setenv("TIRKEU_DATABASE_URL", "sqlite:"+path)
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"token", "create", "--role", "operator"}, nil, &out, &errb); code != 1 ||
		!strings.Contains(errb.String(), "does not exist") || out.Len() != 0 {
		t.Fatalf("new database: exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("the refused command created %s (%v)", path, err)
	}

	startServe(t, nil) // creates the demo database
	out.Reset()
	errb.Reset()
	if code := run(context.Background(), []string{"token", "create", "--role", "operator"}, nil, &out, &errb); code != 0 ||
		!strings.Contains(errb.String(), "stored in ") || !strings.Contains(out.String(), `"token":"tk_`) {
		t.Fatalf("token create: exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
}
