package api_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"tirkeu/internal/api"
	"tirkeu/internal/certificate"
	"tirkeu/internal/eds"
	"tirkeu/internal/iin"
	"tirkeu/internal/registry"
	"tirkeu/internal/residence"
	"tirkeu/internal/residence/residencetest"
	"tirkeu/internal/store/storetest"
	"tirkeu/internal/web"
)

// today is the date every scenario runs on (the fake clock starts at noon in
// Almaty).
var today = time.Date(2026, 11, 22, 7, 0, 0, 0, time.UTC)

// person is one person of the test registry.
type person struct {
	name     string
	iin      string
	age      int // years on today, born age years and 100 days ago unless born is set
	born     time.Time
	phone    bool
	capacity string
	citizen  string
	deceased bool
	abroad   bool
}

// fixture is a small registry with one person or premises per scenario.
type fixture struct {
	p   map[string]*person
	rka map[string]string
	bin string
}

var serial = 0

func nextIIN(tb testing.TB, born time.Time) string {
	tb.Helper()
	for {
		serial++
		prefix := born.Format("060102") + "3" + fmt.Sprintf("%04d", serial%10000)
		if s, err := iin.Complete(prefix); err == nil {
			return s
		}
	}
}

func newFixture(tb testing.TB) (*fixture, string) {
	tb.Helper()
	f := &fixture{p: map[string]*person{}, rka: map[string]string{}}
	add := func(p person) {
		if p.born.IsZero() {
			p.born = residence.AddMonths(residence.DateOf(today), -12*p.age).AddDate(0, 0, -100)
		}
		if p.capacity == "" {
			p.capacity = "full"
		}
		if p.citizen == "" {
			p.citizen = "KZ"
		}
		p.iin = nextIIN(tb, p.born)
		f.p[p.name] = &p
	}
	for _, p := range []person{
		{name: "owner", age: 40, phone: true},
		{name: "tenant", age: 30, phone: true},
		{name: "coA", age: 50, phone: true},
		{name: "coB", age: 48, phone: true},
		{name: "parent", age: 42, phone: true},
		{name: "child13", age: 13},
		{name: "child15", age: 15, phone: true},
		{name: "adultChild", age: 18, phone: true},
		{name: "stranger", age: 35, phone: true},
		{name: "guardian", age: 55, phone: true},
		{name: "ward", age: 30, capacity: "incapable"},
		{name: "minorOwner", age: 12},
		{name: "adultCoOwner", age: 45, phone: true},
		{name: "renter", age: 38, phone: true},
		{name: "member", age: 36, phone: true},
		{name: "friend", age: 33, phone: true},
		{name: "nophone", age: 29},
		{name: "abroad", age: 31, phone: true, abroad: true},
		{name: "dead", age: 70, deceased: true},
		{name: "foreigner", age: 30, phone: true, citizen: "RU"},
		{name: "hotelRep", age: 44, phone: true},
		{name: "mover", age: 27, phone: true},
	} {
		add(p)
	}
	// exactly 14 today
	f.p["child13"].born = residence.AddMonths(residence.DateOf(today), -12*14).AddDate(0, 0, 1)

	var b strings.Builder
	enc := json.NewEncoder(&b)
	w := func(v map[string]any) {
		if err := enc.Encode(v); err != nil {
			tb.Fatal(err)
		}
	}
	for _, p := range f.p {
		rec := map[string]any{"type": "person", "iin": p.iin, "last_name": "Тестов", "first_name": p.name, "patronymic": "",
			"birth_date": p.born.Format(time.DateOnly), "citizenship": p.citizen, "capacity": p.capacity,
			"deceased": p.deceased, "consular_abroad": p.abroad}
		if p.phone {
			rec["phone"] = "7701" + p.iin[5:12]
		}
		w(rec)
	}
	bin, err := iin.Complete("10034000123")
	if err != nil {
		tb.Fatal(err)
	}
	f.bin = bin
	w(map[string]any{"type": "organisation", "bin": bin, "name": "Hotel Esil", "representatives": []string{f.p["hotelRep"].iin}})
	rel := func(kind, from, to string) {
		w(map[string]any{"type": "relation", "kind": kind, "from": f.p[from].iin, "to": f.p[to].iin})
	}
	rel("parent", "parent", "child13")
	rel("parent", "parent", "child15")
	rel("parent", "parent", "adultChild")
	rel("guardian", "guardian", "ward")
	n := 0
	prem := func(key, kind string, stateRental bool) string {
		n++
		rka := fmt.Sprintf("RKA-T-%04d", n)
		f.rka[key] = rka
		w(map[string]any{"type": "premises", "rka": rka, "region": "Астана", "district": "Есіл", "locality": "Астана",
			"street": "Мәңгілік Ел", "building": fmt.Sprint(n), "unit": "1", "kind": kind, "state_rental": stateRental})
		return rka
	}
	own := func(rka, who string, share float64) {
		w(map[string]any{"type": "ownership", "rka": rka, "owner_iin": f.p[who].iin, "share": share})
	}
	own(prem("old", "apartment", false), "stranger", 1)
	own(prem("ownFlat", "apartment", false), "owner", 1)
	co := prem("coFlat", "apartment", false)
	own(co, "coA", 0.5)
	own(co, "coB", 0.5)
	own(prem("parentFlat", "apartment", false), "parent", 1)
	own(prem("guardianFlat", "house", false), "guardian", 1)
	mf := prem("minorFlat", "apartment", false)
	own(mf, "minorOwner", 0.5)
	own(mf, "adultCoOwner", 0.5)
	sr := prem("rental", "apartment", true)
	w(map[string]any{"type": "rental", "rka": sr, "tenant_iin": f.p["renter"].iin, "members": []string{f.p["member"].iin},
		"valid_from": "2025-01-01", "valid_until": "2030-12-31"})
	hotel := prem("hotel", "hotel", false)
	w(map[string]any{"type": "ownership", "rka": hotel, "owner_bin": bin, "share": 1})
	for i := range 60 {
		own(prem(fmt.Sprintf("extra%d", i), "apartment", false), "owner", 1)
	}
	for _, who := range []string{"owner", "tenant", "parent", "child15", "guardian", "ward", "renter", "member", "friend", "mover", "coA"} {
		w(map[string]any{"type": "registration", "iin": f.p[who].iin, "rka": f.rka["old"], "kind": "permanent", "since": "2020-01-01"})
	}
	return f, b.String()
}

// harness is a running API on one engine with the test registry loaded.
type harness struct {
	t     *testing.T
	srv   *httptest.Server
	svc   *residence.Service
	st    residence.Store
	clock *residencetest.FakeClock
	f     *fixture
	caDir string
	// sessions and log build more servers on the same service (limited).
	sessions *web.Sessions
	log      *slog.Logger
}

// limited serves the API like srv, with the per-client-address limiter
// attached to its code routes, and points the harness at it until the test
// ends.
func (h *harness) limited(lim *web.IPLimiter) {
	h.t.Helper()
	mux := http.NewServeMux()
	a := api.New(h.svc, h.sessions)
	a.DevSMS = true
	a.Limiter = lim
	a.Register(mux)
	srv := httptest.NewServer(loadContract(h.t).middleware(h.t, web.Stack(mux, h.log, nil, h.sessions, h.svc.AuthenticateToken)))
	h.t.Cleanup(srv.Close)
	base := h.srv
	h.srv = srv
	h.t.Cleanup(func() { h.srv = base })
}

func newHarness(t *testing.T, st residence.Store) *harness {
	t.Helper()
	f, data := newFixture(t)
	sum, err := registry.Import(context.Background(), st, strings.NewReader(data), registry.Options{
		Report: func(line int, reason string) { t.Errorf("fixture line %d: %s", line, reason) }})
	if err != nil || sum.Bad != 0 {
		t.Fatalf("import fixture: %+v %v", sum, err)
	}
	clock := residencetest.NewFakeClock(today)
	log := slog.New(slog.DiscardHandler)
	caDir := t.TempDir()
	var subjects []eds.DemoSubject
	for _, name := range []string{"owner", "tenant", "coA", "coB", "stranger", "mover"} {
		subjects = append(subjects, eds.DemoSubject{IIN: f.p[name].iin, CommonName: name})
	}
	subjects = append(subjects, eds.DemoSubject{IIN: f.p["hotelRep"].iin, BIN: f.bin, CommonName: "hotel head", Roles: []string{eds.RoleHead}},
		certificate.DemoSealSubject)
	roots, err := eds.EnsureDemoCA(caDir, subjects, today)
	if err != nil {
		t.Fatal(err)
	}
	verifier, err := eds.NewVerifier(eds.Config{Roots: roots, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	svc := residence.NewService(st, clock, residence.DefaultConfig(), verifier, log)
	// Registration certificates are sealed by the demo CA's seal.
	seal, err := certificate.LoadSeal(filepath.Join(caDir, certificate.DemoSealSubject.IIN+".p12"), eds.DemoPassword, true)
	if err != nil {
		t.Fatal(err)
	}
	svc.SetCertificateMaker(&certificate.Maker{Seal: seal, BaseURL: "https://tirkeu.test"})
	sessions := web.NewSessions([]byte("test-secret-test-secret-test-secret"), time.Hour, clock.Now, svc)
	mux := http.NewServeMux()
	a := api.New(svc, sessions)
	a.DevSMS = true
	a.Register(mux)
	// The client's address reaches the use cases as in serve; behind the
	// test "proxy" a request names its client with X-Forwarded-For.
	// Every exchange is checked against openapi.json (contract_test.go).
	srv := httptest.NewServer(loadContract(t).middleware(t,
		web.Stack(web.Chain(web.Routes(mux), web.ClientAddress(true)), log, nil, sessions, svc.AuthenticateToken)))
	t.Cleanup(srv.Close)
	return &harness{t: t, srv: srv, svc: svc, st: st, clock: clock, f: f, caDir: caDir, sessions: sessions, log: log}
}

// sign returns the Signature header value: the person's demo key's detached
// CMS over body.
func (h *harness) sign(name string, body []byte) string {
	h.t.Helper()
	p12, err := os.ReadFile(filepath.Join(h.caDir, h.iin(name)+".p12"))
	if err != nil {
		h.t.Fatal(err)
	}
	cms, err := eds.Sign(p12, eds.DemoPassword, body, h.clock.Now())
	if err != nil {
		h.t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(cms)
}

func (h *harness) iin(name string) string { return h.f.p[name].iin }

func (h *harness) phone(name string) string { return "7701" + h.f.p[name].iin[5:12] }

// response is a decoded answer.
type response struct {
	status int
	header http.Header
	body   map[string]any
	raw    []byte
}

func (r response) str(path ...string) string {
	var v any = r.body
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[p]
	}
	s, _ := v.(string)
	return s
}

func (h *harness) do(method, path, token string, body any, hdr ...string) response {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		buf, _ := json.Marshal(b)
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, h.srv.URL+path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := response{status: res.StatusCode, header: res.Header, raw: raw}
	if len(raw) > 0 && raw[0] == '{' {
		if err := json.Unmarshal(raw, &out.body); err != nil {
			h.t.Fatalf("%s %s: bad JSON %q", method, path, raw)
		}
	}
	return out
}

func (h *harness) must(r response, status int) response {
	h.t.Helper()
	if r.status != status {
		h.t.Fatalf("status %d, want %d: %s", r.status, status, r.raw)
	}
	return r
}

var sixDigits = regexp.MustCompile(`\b\d{6}\b`)

// lastCode returns the code in the newest SMS to the person's phone.
func (h *harness) lastCode(name string) string {
	h.t.Helper()
	res := h.must(h.do("GET", "/dev/sms", "", nil), 200)
	var msgs []struct{ To, From, Text string }
	if err := json.Unmarshal(res.raw, &msgs); err != nil {
		h.t.Fatal(err)
	}
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].To == h.phone(name) {
			if msgs[i].From != "1414" {
				h.t.Fatalf("SMS from %q, want 1414", msgs[i].From)
			}
			codes := sixDigits.FindAllString(msgs[i].Text, -1)
			if len(codes) != 1 {
				h.t.Fatalf("SMS %q holds %d six-digit runs", msgs[i].Text, len(codes))
			}
			return codes[0]
		}
	}
	h.t.Fatalf("no SMS to %s", name)
	return ""
}

// signOTP requests a signing password for the person and returns it.
func (h *harness) signOTP(name string) string {
	h.t.Helper()
	h.must(h.do("POST", "/api/v1/otp", "", map[string]string{"iin": h.iin(name), "purpose": "sign"}), 201)
	return h.lastCode(name)
}

// login signs the person in and returns a bearer token.
func (h *harness) login(name string) string {
	h.t.Helper()
	h.must(h.do("POST", "/api/v1/otp", "", map[string]string{"iin": h.iin(name), "purpose": "login"}), 201)
	res := h.must(h.do("POST", "/api/v1/sessions", "", map[string]string{"iin": h.iin(name), "otp": h.lastCode(name)}), 201)
	return res.str("token")
}

// apply submits a permanent application signed with a one-time password.
func (h *harness) apply(applicant, subject, rkaKey string, extra map[string]any, hdr ...string) response {
	h.t.Helper()
	body := map[string]any{"kind": "permanent", "applicant_iin": h.iin(applicant), "subject_iin": h.iin(subject),
		"rka": h.f.rka[rkaKey], "reason": "moving", "otp": h.signOTP(applicant)}
	if rkaKey == "" {
		body["rka"] = "RKA-NOPE"
	}
	for k, v := range extra {
		body[k] = v
	}
	return h.do("POST", "/api/v1/applications", "", body, hdr...)
}

func (h *harness) staffToken(role residence.Role) string {
	h.t.Helper()
	tok, _, err := h.svc.CreateToken(context.Background(), "test-"+string(role), role)
	if err != nil {
		h.t.Fatal(err)
	}
	return tok
}

// agencyToken creates an agency token with the purposes.
func (h *harness) agencyToken(purposes ...residence.Purpose) string {
	h.t.Helper()
	tok, _, err := h.svc.CreateToken(context.Background(), "test-agency", residence.RoleAgency, purposes...)
	if err != nil {
		h.t.Fatal(err)
	}
	return tok
}

// registrations returns the person's registrations as an operator sees them.
func (h *harness) registrations(name string) []map[string]any {
	h.t.Helper()
	res := h.must(h.do("GET", "/api/v1/persons/"+h.iin(name)+"/registrations", h.staffToken(residence.RoleOperator), nil), 200)
	var out []map[string]any
	for _, r := range res.body["registrations"].([]any) {
		out = append(out, r.(map[string]any))
	}
	return out
}

func activeAt(regs []map[string]any, rka, kind string) bool {
	for _, r := range regs {
		if r["rka"] == rka && r["kind"] == kind && r["status"] == "active" {
			return true
		}
	}
	return false
}

func eachEngine(t *testing.T, fn func(t *testing.T, h *harness)) {
	storetest.Each(t, func(t *testing.T, st residence.Store) {
		fn(t, newHarness(t, st))
	})
}
