package api_test

import (
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"tirkeu/internal/api"
	"tirkeu/internal/residence"
)

// The authorisation matrix: every route of the API against every kind of
// caller, with the status each must get. The data in question belongs to
// child15 (a minor with a phone): their parent applies for them to the flat
// co-owned by coA and coB, so coA is an owner asked for consent.
//
//	own       child15, signed in: the person whose data it is
//	other     stranger, signed in: a citizen with no link to it
//	rep       parent, signed in: child15's legal representative (and applicant)
//	owner     coA, signed in: an owner of the premises, asked for consent
//	operator  a service-centre operator's token
//	agency    an agency's token created without --purpose (address:read only)
//	admin     an administrator's token
//	anon      no credentials at all
//
// A route missing from the table, or a row for a route that no longer
// exists, fails the test, so a new endpoint cannot ship unexamined.
var roles = []string{"own", "other", "rep", "owner", "operator", "agency", "admin", "anon"}

// cellEnv is the fresh state one cell of the matrix runs against.
type cellEnv struct {
	h       *harness
	role    string
	token   string
	appID   string
	taskA   string // coA's consent task
	codeA   string // coA's consent code
	subject string // child15's IIN
}

// person returns the fixture name behind a citizen role.
func rolePerson(role string) string {
	return map[string]string{"own": "child15", "other": "stranger", "rep": "parent", "owner": "coA"}[role]
}

type matrixRow struct {
	route string // as registered: "METHOD /path"
	// build returns the request path and body for the role.
	build func(e *cellEnv) (path string, body any)
	want  map[string]int
	// check, when set, looks further into a successful answer.
	check func(t *testing.T, e *cellEnv, res response)
}

// all gives every role the same status.
func all(status int) map[string]int {
	m := map[string]int{}
	for _, r := range roles {
		m[r] = status
	}
	return m
}

func statuses(own, other, rep, owner, operator, agency, admin, anon int) map[string]int {
	return map[string]int{"own": own, "other": other, "rep": rep, "owner": owner, "operator": operator,
		"agency": agency, "admin": admin, "anon": anon}
}

func fixed(path string, body any) func(e *cellEnv) (string, any) {
	return func(*cellEnv) (string, any) { return path, body }
}

func wantDecision(status string) func(t *testing.T, e *cellEnv, res response) {
	return func(t *testing.T, e *cellEnv, res response) {
		t.Helper()
		if res.str("status") != status {
			t.Errorf("decision %q, want %q: %s", res.str("status"), status, res.raw)
		}
	}
}

// pscChild is the parent's in-person application for child15 at the
// owner's flat rkaKey, with the documents that case needs.
func pscChild(e *cellEnv, rkaKey string) map[string]any {
	if rkaKey == "" {
		rkaKey = "extra19"
	}
	return map[string]any{"kind": "permanent", "applicant_iin": e.h.iin("parent"), "subject_iin": e.subject,
		"rka": e.h.f.rka[rkaKey], "documents": []string{"identity", "representative", "owner_consent"}}
}

func matrix() []matrixRow {
	const wrong = "000000"
	return []matrixRow{
		// Anyone may ask for a password: it goes only to the person's MCD phone.
		{route: "POST /api/v1/otp", build: func(e *cellEnv) (string, any) {
			return "/api/v1/otp", map[string]string{"iin": e.subject, "purpose": "login"}
		}, want: all(201)},
		// A session for child15 only with child15's code, whoever asks.
		{route: "POST /api/v1/sessions", build: func(e *cellEnv) (string, any) {
			code := wrong
			if e.role == "own" {
				e.h.must(e.h.do("POST", "/api/v1/otp", "", map[string]string{"iin": e.subject, "purpose": "login"}), 201)
				code = e.h.lastCode("child15")
			}
			return "/api/v1/sessions", map[string]string{"iin": e.subject, "otp": code}
		}, want: statuses(201, 422, 422, 422, 422, 422, 422, 422),
			check: func(t *testing.T, e *cellEnv, res response) {
				if res.str("iin") != e.subject {
					t.Errorf("session for %q", res.str("iin"))
				}
			}},
		{route: "GET /api/v1/sessions/challenge", build: fixed("/api/v1/sessions/challenge", nil), want: all(200)},
		// Signing out ends a citizen's own session; staff and agency tokens
		// are revoked with tirkeu token revoke, not here.
		{route: "DELETE /api/v1/sessions", build: fixed("/api/v1/sessions", nil),
			want: statuses(204, 204, 204, 204, 401, 401, 401, 401)},
		// Submitting: in one's own name (or as staff) only; the rules then
		// decide who may register whom.
		{route: "POST /api/v1/applications", build: func(e *cellEnv) (string, any) {
			body := map[string]any{"kind": "permanent", "applicant_iin": e.subject, "subject_iin": e.subject,
				"rka": e.h.f.rka["ownFlat"], "reason": "moving", "otp": wrong}
			switch e.role {
			case "own":
				body["otp"] = e.h.signOTP("child15")
			case "rep":
				body["applicant_iin"], body["rka"], body["otp"] = e.h.iin("parent"), e.h.f.rka["parentFlat"], e.h.signOTP("parent")
			case "owner":
				body["applicant_iin"], body["rka"], body["otp"] = e.h.iin("coA"), e.h.f.rka["coFlat"], e.h.signOTP("coA")
			case "operator", "admin":
				delete(body, "otp") // in person at a service centre
			}
			return "/api/v1/applications", body
		}, want: statuses(201, 403, 201, 201, 201, 403, 201, 422),
			check: func(t *testing.T, e *cellEnv, res response) {
				want := map[string]string{"own": "", "rep": "registered", "owner": "rejected"}[e.role]
				if want != "" && res.str("status") != want {
					t.Errorf("decision %q, want %q: %s", res.str("status"), want, res.raw)
				}
			}},
		// Anyone holding the id may follow it (IINs masked); a signed-in
		// stranger and agencies may not.
		{route: "GET /api/v1/applications/{id}", build: func(e *cellEnv) (string, any) {
			return "/api/v1/applications/" + e.appID, nil
		}, want: statuses(200, 403, 200, 200, 200, 403, 200, 200)},
		// Only the applicant (here the parent), signed in, withdraws.
		{route: "POST /api/v1/applications/{id}/withdraw", build: func(e *cellEnv) (string, any) {
			return "/api/v1/applications/" + e.appID + "/withdraw", nil
		}, want: statuses(403, 403, 200, 403, 403, 403, 403, 401), check: wantDecision("withdrawn")},
		// Only the owner (signed in, or holding the code) answers.
		{route: "POST /api/v1/consents/{id}/confirm", build: func(e *cellEnv) (string, any) {
			return "/api/v1/consents/" + e.taskA + "/confirm", map[string]string{"code": e.codeA}
		}, want: statuses(403, 403, 403, 200, 403, 403, 403, 200), check: wantDecision("awaiting_consent")},
		{route: "POST /api/v1/consents/{id}/decline", build: func(e *cellEnv) (string, any) {
			return "/api/v1/consents/" + e.taskA + "/decline", map[string]string{"code": e.codeA}
		}, want: statuses(403, 403, 403, 200, 403, 403, 403, 200), check: wantDecision("rejected")},
		{route: "GET /api/v1/persons/{iin}/registrations", build: func(e *cellEnv) (string, any) {
			return "/api/v1/persons/" + e.subject + "/registrations", nil
		}, want: statuses(200, 403, 200, 403, 200, 200, 200, 401)},
		{route: "GET /api/v1/premises/{rka}/residents", build: func(e *cellEnv) (string, any) {
			return "/api/v1/premises/" + e.h.f.rka["coFlat"] + "/residents", nil
		}, want: statuses(403, 403, 403, 200, 200, 403, 200, 401)},
		// Deregistration in one's own name as an owner; staff use the
		// operator route below.
		{route: "POST /api/v1/deregistrations", build: func(e *cellEnv) (string, any) {
			body := map[string]any{"owner_iin": e.h.iin("coA"), "subject_iin": e.subject, "rka": e.h.f.rka["coFlat"], "otp": wrong}
			switch e.role {
			case "own":
				body["owner_iin"], body["otp"] = e.subject, e.h.signOTP("child15")
			case "owner":
				body["otp"] = e.h.signOTP("coA")
			}
			return "/api/v1/deregistrations", body
		}, want: statuses(201, 403, 403, 201, 403, 403, 403, 422),
			check: func(t *testing.T, e *cellEnv, res response) {
				// child15 owns nothing: their request is refused by the rules.
				if e.role == "own" && res.str("status") != "rejected" {
					t.Errorf("a non-owner's deregistration: %s", res.raw)
				}
			}},
		// An agency needs a token with events:read (TestAgencyPurposes).
		{route: "GET /api/v1/events", build: fixed("/api/v1/events", nil), want: statuses(403, 403, 403, 403, 200, 403, 200, 401)},
		// The personal account is always one's own: staff and agencies are
		// authenticated but not its holder (403), the anonymous 401.
		{route: "GET /api/v1/me", build: fixed("/api/v1/me", nil), want: statuses(200, 200, 200, 200, 403, 403, 403, 401),
			check: func(t *testing.T, e *cellEnv, res response) {
				if got := res.str("person", "iin"); got != e.h.iin(rolePerson(e.role)) {
					t.Errorf("/me shows %q to %s", got, e.role)
				}
			}},
		{route: "GET /api/v1/me/history", build: fixed("/api/v1/me/history", nil), want: statuses(200, 200, 200, 200, 403, 403, 403, 401)},
		{route: "GET /api/v1/me/access-log", build: fixed("/api/v1/me/access-log", nil), want: statuses(200, 200, 200, 200, 403, 403, 403, 401)},
		{route: "GET /api/v1/me/consents", build: fixed("/api/v1/me/consents", nil), want: statuses(200, 200, 200, 200, 403, 403, 403, 401),
			check: func(t *testing.T, e *cellEnv, res response) {
				n := len(res.body["consents"].([]any))
				if (e.role == "owner") != (n > 0) {
					t.Errorf("%s sees %d pending consents", e.role, n)
				}
			}},
		// Emigration or a court decision: service-centre staff only.
		{route: "POST /api/v1/persons/{iin}/deregistration", build: func(e *cellEnv) (string, any) {
			return "/api/v1/persons/" + e.subject + "/deregistration", map[string]string{"reason": "emigrated"}
		}, want: statuses(403, 403, 403, 403, 200, 403, 200, 401)},
		// The service-centre channel and the police report: staff only.
		{route: "POST /api/v1/psc/applications", build: func(e *cellEnv) (string, any) {
			return "/api/v1/psc/applications", pscChild(e, map[string]string{"operator": "extra20", "admin": "extra21"}[e.role])
		}, want: statuses(403, 403, 403, 403, 201, 403, 201, 401), check: wantDecision("registered")},
		{route: "POST /api/v1/psc/deregistrations", build: func(e *cellEnv) (string, any) {
			rka := "extra22"
			if e.role == "operator" || e.role == "admin" {
				rka = map[string]string{"operator": "extra23", "admin": "extra24"}[e.role]
				e.h.must(e.h.do("POST", "/api/v1/psc/applications", e.token, pscChild(e, rka)), 201)
			}
			return "/api/v1/psc/deregistrations", map[string]any{"requester_iin": e.h.iin("owner"), "subject_iin": e.subject,
				"rka": e.h.f.rka[rka], "documents": []string{"identity"}}
		}, want: statuses(403, 403, 403, 403, 201, 403, 201, 401), check: wantDecision("deregistered")},
		{route: "GET /api/v1/reports/violations", build: func(e *cellEnv) (string, any) {
			d := e.h.clock.Now().Format(time.DateOnly)
			return "/api/v1/reports/violations?from=2026-01-01&to=" + d, nil
		}, want: statuses(403, 403, 403, 403, 200, 403, 200, 401)},
		// Registration certificates: only the person registered, who gets
		// a PDF; staff are refused (they read registrations, not seals).
		{route: "GET /api/v1/registrations/{id}/certificate", build: func(e *cellEnv) (string, any) {
			return "/api/v1/registrations/" + e.h.registrationOf("child15") + "/certificate", nil
		}, want: statuses(200, 403, 403, 403, 403, 403, 403, 401), check: wantPDF},
		{route: "GET /api/v1/certificates/{id}", build: func(e *cellEnv) (string, any) {
			return "/api/v1/certificates/" + e.h.certificateOf("child15"), nil
		}, want: statuses(200, 403, 403, 403, 403, 403, 403, 401), check: wantPDF},
		{route: "GET /api/v1/certificates/{id}/signature", build: func(e *cellEnv) (string, any) {
			return "/api/v1/certificates/" + e.h.certificateOf("child15") + "/signature", nil
		}, want: statuses(200, 403, 403, 403, 403, 403, 403, 401)},
		{route: "GET /openapi.json", build: fixed("/openapi.json", nil), want: all(200)},
		// An unknown API path is a problem+json 404 for everyone.
		{route: "/api/", build: fixed("/api/v1/nowhere", nil), want: all(404)},
		// Demo mode only (not registered in production): the outbox is the
		// demo's phone, public on purpose.
		{route: "GET /dev/sms", build: fixed("/dev/sms", nil), want: all(200)},
		{route: "GET /dev/sms/last-code", build: func(e *cellEnv) (string, any) {
			return "/dev/sms/last-code?to=" + e.h.phone("coA"), nil
		}, want: all(200)},
		{route: "POST /dev/sms/reply", build: func(e *cellEnv) (string, any) {
			return "/dev/sms/reply", map[string]string{"from": e.h.phone("coA"), "text": e.codeA}
		}, want: all(200), check: wantDecision("awaiting_consent")},
	}
}

// newCell prepares fresh state: an hour later (so no cap of an earlier cell
// applies and earlier sessions are gone), the parent applies for child15 to
// the co-owned flat, and the role signs in.
func newCell(t *testing.T, h *harness, role string) *cellEnv {
	t.Helper()
	h.clock.Advance(61 * time.Minute)
	e := &cellEnv{h: h, role: role, subject: h.iin("child15")}
	body := map[string]any{"kind": "permanent", "applicant_iin": h.iin("parent"), "subject_iin": e.subject,
		"rka": h.f.rka["coFlat"], "reason": "moving", "otp": h.signOTP("parent")}
	res := h.must(h.do("POST", "/api/v1/applications", "", body), 201)
	if res.str("status") != "awaiting_consent" {
		t.Fatalf("set-up application: %s", res.raw)
	}
	e.appID = res.str("id")
	e.codeA = h.lastCode("coA")
	e.taskA = taskFor(t, h, e.appID, "coA")
	switch role {
	case "own", "other", "rep", "owner":
		e.token = h.login(rolePerson(role))
	case "operator":
		e.token = h.staffToken(residence.RoleOperator)
	case "agency":
		e.token = h.staffToken(residence.RoleAgency)
	case "admin":
		e.token = h.staffToken(residence.RoleAdmin)
	}
	return e
}

func TestAuthorisationMatrix(t *testing.T) {
	rows := matrix()
	// Every registered route has a row, and every row a route.
	var routes []string
	api.Routes(func(pattern string, _ http.Handler) { routes = append(routes, pattern) })
	byRoute := map[string]matrixRow{}
	for _, r := range rows {
		if _, dup := byRoute[r.route]; dup {
			t.Errorf("two rows for %s", r.route)
		}
		byRoute[r.route] = r
		if !slices.Contains(routes, r.route) {
			t.Errorf("matrix row for %s, which is not a registered route", r.route)
		}
		for _, role := range roles {
			if _, ok := r.want[role]; !ok {
				t.Errorf("%s: no expectation for %s", r.route, role)
			}
		}
	}
	sort.Strings(routes)
	for _, p := range routes {
		if _, ok := byRoute[p]; !ok {
			t.Errorf("route %s has no row in the authorisation matrix: add one", p)
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	eachEngine(t, func(t *testing.T, h *harness) {
		for _, row := range rows {
			method, _, ok := strings.Cut(row.route, " ")
			if !ok {
				method = "GET"
			}
			for _, role := range roles {
				t.Run(row.route+"/"+role, func(t *testing.T) {
					e := newCell(t, h, role)
					path, body := row.build(e)
					res := h.do(method, path, e.token, body)
					want := row.want[role]
					if res.status != want {
						t.Fatalf("%s %s as %s: status %d, want %d: %.300s", method, path, role, res.status, want, res.raw)
					}
					if res.status >= 400 {
						if ct := res.header.Get("Content-Type"); ct != "application/problem+json" {
							t.Errorf("error as %q", ct)
						}
					}
					if res.status < 300 && row.check != nil {
						row.check(t, e, res)
					}
					// Whatever a stranger or an anonymous caller may read,
					// it never holds the full IIN of child15 or their parent.
					if method == "GET" && res.status < 300 && (role == "other" || role == "anon") && !strings.HasPrefix(path, "/dev/") {
						for _, who := range []string{"child15", "parent"} {
							if strings.Contains(string(res.raw), h.iin(who)) {
								t.Errorf("%s %s as %s shows %s's IIN: %s", method, path, role, who, res.raw)
							}
						}
					}
				})
			}
		}
	})
}
