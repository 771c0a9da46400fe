package api_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"tirkeu/internal/api"
	"tirkeu/internal/registry"
	"tirkeu/internal/residence"
	"tirkeu/internal/residence/residencetest"
	"tirkeu/internal/store/storetest"
	"tirkeu/internal/web"
)

// fuzzRoutes are the API's request decoders: every route that reads a body.
var fuzzRoutes = []string{
	"/api/v1/applications",
	"/api/v1/otp",
	"/api/v1/sessions",
	"/api/v1/consents/00000000-0000-7000-8000-000000000000/confirm",
	"/api/v1/consents/00000000-0000-7000-8000-000000000000/decline",
	"/api/v1/deregistrations",
	"/api/v1/persons/900101300011/deregistration",
	"/dev/sms/reply",
}

// FuzzDecoders posts arbitrary bodies (and Signature headers) to every route
// that decodes one, as anonymous, a citizen and an operator: the answer is
// never a 500, and always JSON or a problem document. The seeds run in every
// go test; go test -fuzz=FuzzDecoders ./internal/api explores further.
func FuzzDecoders(f *testing.F) {
	st := storetest.Open(f, "sqlite")
	fx, data := newFixture(f)
	if _, err := registry.Import(context.Background(), st, strings.NewReader(data), registry.Options{}); err != nil {
		f.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	clock := residencetest.NewFakeClock(today)
	svc := residence.NewService(st, clock, residence.DefaultConfig(), nil, log)
	sessions := web.NewSessions([]byte("fuzz-secret-fuzz-secret-fuzz-secret"), time.Hour, clock.Now, svc)
	mux := http.NewServeMux()
	a := api.New(svc, sessions)
	a.DevSMS = true
	a.Register(mux)
	h := web.Stack(mux, log, nil, sessions, svc.AuthenticateToken)
	citizen, _, err := sessions.Issue(context.Background(), residence.Actor{Role: residence.RoleCitizen, IIN: fx.p["owner"].iin})
	if err != nil {
		f.Fatal(err)
	}
	operator, _, err := svc.CreateToken(context.Background(), "fuzz", residence.RoleOperator)
	if err != nil {
		f.Fatal(err)
	}
	tokens := []string{"", citizen, operator}

	owner, tenant, rka := fx.p["owner"].iin, fx.p["tenant"].iin, fx.rka["ownFlat"]
	for i, seed := range []string{
		`{"kind":"permanent","applicant_iin":"` + owner + `","subject_iin":"` + owner + `","rka":"` + rka + `","otp":"123456"}`,
		`{"kind":"temporary","applicant_iin":"` + tenant + `","rka":"` + rka + `","stay_from":"2026-11-22","stay_until":"2027-02-01","otp":"1"}`,
		`{"iin":"` + owner + `","purpose":"sign"}`,
		`{"iin":"` + owner + `","otp":"000000"}`,
		`{"code":"123456"}`,
		``,
		`{"owner_iin":"` + owner + `","subject_iin":"` + tenant + `","rka":"` + rka + `","otp":"000000"}`,
		`{"reason":"emigrated"}`,
		`{"from":"+7 701 000 00 00","text":"Код 123456"}`,
		`{"kind":1}`, `[]`, `null`, `{"a":`, `{"iin":"` + strings.Repeat("9", 40) + `"}`, `{}{}`, "\xff\xfe", `{"stay_from":"2026-02-30"}`,
		`{"iin":"\u0000"}`, `{"kind":"permanent","rka":"` + strings.Repeat("R", 100) + `"}`,
	} {
		f.Add(uint8(i), uint8(i), []byte(seed), "")
	}
	f.Add(uint8(0), uint8(1), []byte(`{"kind":"permanent"}`), "bm90IGEgY21z")
	f.Add(uint8(2), uint8(0), []byte(`{"challenge":"1.2.3"}`), "!!!")

	f.Fuzz(func(t *testing.T, route, who uint8, body []byte, sig string) {
		path := fuzzRoutes[int(route)%len(fuzzRoutes)]
		req := httptest.NewRequest("POST", path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if tok := tokens[int(who)%len(tokens)]; tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		if sig != "" && !strings.ContainsAny(sig, "\r\n\x00") {
			req.Header.Set("Signature", sig)
		}
		rec := httptest.NewRecorder()
		done := make(chan struct{})
		go func() { defer close(done); h.ServeHTTP(rec, req) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			buf := make([]byte, 1<<20)
			n := runtime.Stack(buf, true)
			t.Fatalf("POST %s %q as %d hangs:\n%s", path, body, who, buf[:n])
		}
		if rec.Code >= 500 {
			t.Fatalf("POST %s %q: %d %s", path, body, rec.Code, rec.Body.Bytes())
		}
		ct := rec.Header().Get("Content-Type")
		if rec.Code >= 400 && ct != "application/problem+json" || rec.Code < 400 && ct != "application/json" {
			t.Fatalf("POST %s %q: %d as %q", path, body, rec.Code, ct)
		}
	})
}
