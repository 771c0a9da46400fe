package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"tirkeu/internal/residence"
	"tirkeu/internal/store"
)

func TestSoleOwnerRegistersThemselfAndOldAddressEnds(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		res := h.must(h.apply("owner", "owner", "ownFlat", nil), 201)
		if got := res.str("status"); got != "registered" {
			t.Fatalf("status %q: %s", got, res.raw)
		}
		if n := len(res.body["consent_tasks"].([]any)); n != 0 {
			t.Fatalf("a sole owner needs no consent, got %d tasks", n)
		}
		regs := h.registrations("owner")
		if !activeAt(regs, h.f.rka["ownFlat"], "permanent") {
			t.Fatalf("not active at the new flat: %v", regs)
		}
		ended := false
		for _, r := range regs {
			if r["rka"] == h.f.rka["old"] {
				ended = r["status"] == "ended" && r["end_reason"] == "moved"
			}
		}
		if !ended {
			t.Fatalf("the old address did not end with reason moved: %v", regs)
		}
	})
}

// awaitTwoOwners submits the tenant's application to the co-owned flat.
func awaitTwoOwners(t *testing.T, h *harness) (appID string, tasks []string) {
	t.Helper()
	res := h.must(h.apply("tenant", "tenant", "coFlat", nil), 201)
	if res.str("status") != "awaiting_consent" {
		t.Fatalf("status %q: %s", res.str("status"), res.raw)
	}
	for _, tk := range res.body["consent_tasks"].([]any) {
		m := tk.(map[string]any)
		if m["status"] != "pending" || m["channel"] != "sms" {
			t.Fatalf("task %v", m)
		}
		tasks = append(tasks, m["id"].(string))
	}
	if len(tasks) != 2 {
		t.Fatalf("want 2 consent tasks, got %d", len(tasks))
	}
	return res.str("id"), tasks
}

func taskFor(t *testing.T, h *harness, appID, owner string) string {
	t.Helper()
	tok := h.staffToken(residence.RoleOperator)
	res := h.must(h.do("GET", "/api/v1/applications/"+appID, tok, nil), 200)
	for _, tk := range res.body["consent_tasks"].([]any) {
		m := tk.(map[string]any)
		if m["owner_iin"] == h.iin(owner) {
			return m["id"].(string)
		}
	}
	t.Fatalf("no task for %s", owner)
	return ""
}

func TestConsentByAPIAndBySMSReply(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		appID, _ := awaitTwoOwners(t, h)
		codeA := h.lastCode("coA")
		res := h.must(h.do("POST", "/api/v1/consents/"+taskFor(t, h, appID, "coA")+"/confirm", "", map[string]string{"code": codeA}), 200)
		if res.str("status") != "awaiting_consent" {
			t.Fatalf("after one of two consents: %q", res.str("status"))
		}
		// The second owner answers by SMS reply to 1414.
		res = h.must(h.do("POST", "/dev/sms/reply", "", map[string]string{"from": "+" + h.phone("coB"), "text": "Код " + h.lastCode("coB")}), 200)
		if res.str("status") != "registered" {
			t.Fatalf("after both consents: %q %s", res.str("status"), res.raw)
		}
		if !activeAt(h.registrations("tenant"), h.f.rka["coFlat"], "permanent") {
			t.Fatal("tenant not registered")
		}
		// The applicant's history shows the registration.
		tok := h.login("tenant")
		hist := h.must(h.do("GET", "/api/v1/me/history", tok, nil), 200)
		if !strings.Contains(string(hist.raw), appID) || !strings.Contains(string(hist.raw), "registration.created") {
			t.Fatalf("history lacks the application: %s", hist.raw)
		}
	})
}

func TestOwnerDeclines(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		appID, _ := awaitTwoOwners(t, h)
		res := h.must(h.do("POST", "/dev/sms/reply", "", map[string]string{"from": h.phone("coA"), "text": "жоқ"}), 200)
		if res.str("status") != "rejected" || res.str("decision", "rule") != string(residence.RuleConsentDeclined) {
			t.Fatalf("decline: %s", res.raw)
		}
		// The other owner's code no longer works.
		res = h.do("POST", "/api/v1/consents/"+taskFor(t, h, appID, "coB")+"/confirm", "", map[string]string{"code": h.lastCode("coB")})
		if res.status != 409 {
			t.Fatalf("confirm after decline: %d %s", res.status, res.raw)
		}
		if activeAt(h.registrations("tenant"), h.f.rka["coFlat"], "permanent") {
			t.Fatal("registered despite the refusal")
		}
	})
}

func TestWrongCodeFiveTimesLocksTheTask(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		appID, _ := awaitTwoOwners(t, h)
		task := taskFor(t, h, appID, "coA")
		good := h.lastCode("coA")
		bad := "000000"
		if good == bad {
			bad = "111111"
		}
		for i := 1; i <= 5; i++ {
			res := h.do("POST", "/api/v1/consents/"+task+"/confirm", "", map[string]string{"code": bad})
			want, code := 422, "otp_invalid"
			if i == 5 {
				want, code = 423, "locked"
			}
			if res.status != want || res.str("code") != code {
				t.Fatalf("try %d: %d %s", i, res.status, res.raw)
			}
		}
		res := h.do("POST", "/api/v1/consents/"+task+"/confirm", "", map[string]string{"code": good})
		if res.status != 423 || res.str("code") != "locked" {
			t.Fatalf("the right code after locking: %d %s", res.status, res.raw)
		}
	})
}

func TestConsentExpiresAfterTheTTL(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		appID, _ := awaitTwoOwners(t, h)
		task := taskFor(t, h, appID, "coA")
		code := h.lastCode("coA")
		// Before the deadline the expiry job is not due.
		if err := h.svc.ExpireConsent(context.Background(), task); err != residence.ErrNotDue {
			t.Fatalf("early expiry: %v", err)
		}
		h.clock.Advance(time.Hour + time.Second)
		if err := h.svc.ExpireConsent(context.Background(), task); err != nil {
			t.Fatal(err)
		}
		if err := h.svc.ExpireConsent(context.Background(), task); err != nil {
			t.Fatalf("the job is not idempotent: %v", err)
		}
		res := h.must(h.do("GET", "/api/v1/applications/"+appID, h.staffToken(residence.RoleOperator), nil), 200)
		if res.str("status") != "expired" {
			t.Fatalf("status %q", res.str("status"))
		}
		res = h.do("POST", "/api/v1/consents/"+task+"/confirm", "", map[string]string{"code": code})
		if res.status != 409 {
			t.Fatalf("confirm after expiry: %d %s", res.status, res.raw)
		}
	})
}

func TestLateAnswerExpiresWithoutTheJob(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		appID, _ := awaitTwoOwners(t, h)
		task := taskFor(t, h, appID, "coA")
		code := h.lastCode("coA")
		h.clock.Advance(61 * time.Minute)
		res := h.do("POST", "/api/v1/consents/"+task+"/confirm", "", map[string]string{"code": code})
		if res.status != 410 || res.str("code") != "expired" {
			t.Fatalf("late answer: %d %s", res.status, res.raw)
		}
		res = h.must(h.do("GET", "/api/v1/applications/"+appID, h.staffToken(residence.RoleOperator), nil), 200)
		if res.str("status") != "expired" {
			t.Fatalf("status %q", res.str("status"))
		}
	})
}

func TestRuleScenarios(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		tests := []struct {
			name                   string
			applicant, subject, at string
			extra                  map[string]any
			status, rule           string
		}{
			{"child under 14 (exactly one day short) rejected", "parent", "child13", "parentFlat", nil, "rejected", "SUBJECT_AGE"},
			{"child of 15 by a parent registered", "parent", "child15", "parentFlat", nil, "registered", ""},
			{"child of 15 by a stranger rejected", "stranger", "child15", "old", nil, "rejected", "APPLICANT_AUTHORITY"},
			{"ward by guardian registered", "guardian", "ward", "guardianFlat", nil, "registered", ""},
			{"ward by a stranger rejected", "stranger", "ward", "old", nil, "rejected", "APPLICANT_AUTHORITY"},
			{"minor co-owner means in person", "mover", "mover", "minorFlat", nil, "in_person_required", "OFFLINE_OWNERS"},
			{"state rental, listed member confirms herself", "renter", "member", "rental", nil, "awaiting_consent", "SUBJECT_CONSENT"},
			{"state rental, unlisted friend", "renter", "friend", "rental", nil, "rejected", "STATE_RENTAL"},
			{"state rental, applicant not the tenant", "friend", "friend", "rental", nil, "rejected", "STATE_RENTAL"},
			{"temporary stay too short", "mover", "mover", "ownFlat", map[string]any{"kind": "temporary", "stay_from": "2026-11-22", "stay_until": "2026-12-10"}, "rejected", "TEMPORARY_PERIOD"},
			{"temporary stay over twelve months", "mover", "mover", "ownFlat", map[string]any{"kind": "temporary", "stay_from": "2026-11-22", "stay_until": "2027-11-23"}, "rejected", "TEMPORARY_PERIOD"},
			{"unknown RKA", "mover", "mover", "", nil, "rejected", "PREMISES_KNOWN"},
			{"back from abroad means in person", "abroad", "abroad", "ownFlat", nil, "in_person_required", "ARRIVAL_FROM_ABROAD"},
			{"non-citizen rejected", "foreigner", "foreigner", "ownFlat", nil, "rejected", "SUBJECT_CITIZEN"},
			{"hotel guest needs the petition", "mover", "mover", "hotel", nil, "awaiting_consent", "ORGANISATION_PETITION"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res := h.must(h.apply(tt.applicant, tt.subject, tt.at, tt.extra), 201)
				if res.str("status") != tt.status || res.str("decision", "rule") != tt.rule {
					t.Fatalf("got %s / %s: %s", res.str("status"), res.str("decision", "rule"), res.raw)
				}
				if tt.rule != "" && (res.str("decision", "legal_basis") == "" || res.str("decision", "message") == "") {
					t.Fatalf("decision without legal basis or message: %s", res.raw)
				}
			})
		}
	})
}

func TestDecisionMessageFollowsAcceptLanguage(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		body := map[string]any{"kind": "permanent", "applicant_iin": h.iin("parent"), "subject_iin": h.iin("child13"),
			"rka": h.f.rka["parentFlat"], "otp": h.signOTP("parent")}
		res := h.must(h.do("POST", "/api/v1/applications", "", body, "Accept-Language", "kk-KZ,kk;q=0.9"), 201)
		msgs := res.body["decision"].(map[string]any)["messages"].(map[string]any)
		if res.str("decision", "message") != msgs["kk"] || msgs["kk"] == msgs["ru"] {
			t.Fatalf("message not in Kazakh: %s", res.raw)
		}
	})
}

func TestIdempotencyKeyRetry(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		body := map[string]any{"kind": "permanent", "applicant_iin": h.iin("owner"), "rka": h.f.rka["ownFlat"],
			"reason": "moving", "otp": h.signOTP("owner")}
		first := h.must(h.do("POST", "/api/v1/applications", "", body, "Idempotency-Key", "k-1"), 201)
		// The retry carries the same key and body (its password is the one
		// that signed the first): it gets the first answer.
		again := h.must(h.do("POST", "/api/v1/applications", "", body, "Idempotency-Key", "k-1"), 200)
		if again.str("id") != first.str("id") || again.str("status") != "registered" ||
			again.header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("retry answered %s", again.raw)
		}
		// A retry signed anew, with a fresh password, is the same request too.
		body["otp"] = h.signOTP("owner")
		again = h.must(h.do("POST", "/api/v1/applications", "", body, "Idempotency-Key", "k-1"), 200)
		if again.str("id") != first.str("id") {
			t.Fatalf("retry with a fresh password answered %s", again.raw)
		}
		n := 0
		for _, r := range h.registrations("owner") {
			if r["status"] == "active" {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d active registrations after a retry", n)
		}
	})
}

// TestIdempotencyKeyBoundToRequest: a key names one request of one
// applicant. Another body under the key is refused (409
// idempotency_mismatch), and the same body with a wrong password is not
// answered with the stored application: whoever learns a key cannot read
// the application behind it.
func TestIdempotencyKeyBoundToRequest(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		code := h.signOTP("owner")
		body := map[string]any{"kind": "permanent", "applicant_iin": h.iin("owner"), "rka": h.f.rka["ownFlat"],
			"reason": "moving", "otp": code}
		first := h.must(h.do("POST", "/api/v1/applications", "", body, "Idempotency-Key", "k-2"), 201)
		id := first.str("id")

		other := map[string]any{"kind": "permanent", "applicant_iin": h.iin("owner"), "rka": h.f.rka["extra1"],
			"reason": "moving", "otp": code}
		res := h.do("POST", "/api/v1/applications", "", other, "Idempotency-Key", "k-2")
		if res.status != 409 || res.str("code") != "idempotency_mismatch" || strings.Contains(string(res.raw), id) {
			t.Fatalf("another body under the key: %d %s", res.status, res.raw)
		}

		wrong := wrongCode(code)
		// Without the code the key answers nothing, not even whether a
		// guessed body is the stored one (which would reveal the address).
		other["otp"] = wrong
		res = h.do("POST", "/api/v1/applications", "", other, "Idempotency-Key", "k-2")
		if res.status != 422 || res.str("code") != "otp_invalid" {
			t.Fatalf("another body and a wrong password under the key: %d %s", res.status, res.raw)
		}
		guess := map[string]any{"kind": "permanent", "applicant_iin": h.iin("owner"), "rka": h.f.rka["ownFlat"],
			"reason": "moving", "otp": wrong}
		res = h.do("POST", "/api/v1/applications", "", guess, "Idempotency-Key", "k-2")
		if res.status != 422 || res.str("code") != "otp_invalid" || strings.Contains(string(res.raw), id) {
			t.Fatalf("same body, wrong password: %d %s", res.status, res.raw)
		}
		// Guessing through the key is limited like any try of the password.
		for i := 0; i < 10; i++ {
			res = h.do("POST", "/api/v1/applications", "", guess, "Idempotency-Key", "k-2")
			if res.status == 200 || strings.Contains(string(res.raw), id) {
				t.Fatalf("guess %d answered the application: %s", i, res.raw)
			}
		}
		if res.status != 423 {
			t.Fatalf("after many guesses: %d %s, want 423 locked", res.status, res.raw)
		}
	})
}

func TestBadInput(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		tests := []struct {
			name, method, path, body string
			status                   int
			code                     string
		}{
			{"malformed JSON", "POST", "/api/v1/applications", `{"kind": "perm`, 400, "invalid_json"},
			{"two objects", "POST", "/api/v1/otp", `{"iin":"1"} {}`, 400, "invalid_json"},
			{"bad IIN check digit", "POST", "/api/v1/otp", `{"iin":"800318300124","purpose":"login"}`, 422, "invalid"},
			{"bad purpose", "POST", "/api/v1/otp", fmt.Sprintf(`{"iin":%q,"purpose":"pay"}`, h.iin("owner")), 422, "invalid"},
			{"no MCD phone", "POST", "/api/v1/otp", fmt.Sprintf(`{"iin":%q,"purpose":"sign"}`, h.iin("nophone")), 422, "no_mcd_phone"},
			{"unknown person", "POST", "/api/v1/otp", `{"iin":"800318300125","purpose":"login"}`, 422, "unknown_person"},
			{"unsigned application", "POST", "/api/v1/applications", fmt.Sprintf(`{"kind":"permanent","applicant_iin":%q,"rka":"X"}`, h.iin("owner")), 422, "invalid"},
			{"bad kind", "POST", "/api/v1/applications", fmt.Sprintf(`{"kind":"forever","applicant_iin":%q,"rka":"X","otp":"123456"}`, h.iin("owner")), 422, "invalid"},
			{"bad date", "POST", "/api/v1/applications", fmt.Sprintf(`{"kind":"temporary","applicant_iin":%q,"rka":"X","otp":"123456","stay_until":"31.12.2026"}`, h.iin("owner")), 422, "invalid"},
			{"wrong password", "POST", "/api/v1/applications", fmt.Sprintf(`{"kind":"permanent","applicant_iin":%q,"rka":"X","otp":"123456"}`, h.iin("nophone")), 422, "no_mcd_phone"},
			{"unknown application", "GET", "/api/v1/applications/nope", "", 404, "not_found"},
			{"unknown route", "GET", "/api/v1/nothing", "", 404, "not_found"},
			{"feed without token", "GET", "/api/v1/events?after=0", "", 401, "unauthenticated"},
			{"garbage bearer", "GET", "/api/v1/me/history", "", 401, "unauthenticated"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var hdr []string
				if tt.name == "garbage bearer" {
					hdr = []string{"Authorization", "Bearer xyz.abc"}
				}
				var body any
				if tt.body != "" {
					body = tt.body
				}
				res := h.do(tt.method, tt.path, "", body, hdr...)
				if res.status != tt.status || res.str("code") != tt.code {
					t.Fatalf("%d %s, want %d %s", res.status, res.raw, tt.status, tt.code)
				}
				if ct := res.header.Get("Content-Type"); ct != "application/problem+json" {
					t.Fatalf("content type %q", ct)
				}
			})
		}
	})
}

func TestOwnerInitiatedDeregistration(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		// coA is registered at "old" (owned by stranger); make the tenant live in
		// the co-owned flat first, then coA deregisters them with coB's consent.
		appID, _ := awaitTwoOwners(t, h)
		h.must(h.do("POST", "/api/v1/consents/"+taskFor(t, h, appID, "coA")+"/confirm", "", map[string]string{"code": h.lastCode("coA")}), 200)
		h.must(h.do("POST", "/api/v1/consents/"+taskFor(t, h, appID, "coB")+"/confirm", "", map[string]string{"code": h.lastCode("coB")}), 200)

		body := map[string]any{"owner_iin": h.iin("coA"), "subject_iin": h.iin("tenant"), "rka": h.f.rka["coFlat"],
			"reason": "moved out", "otp": h.signOTP("coA")}
		res := h.must(h.do("POST", "/api/v1/deregistrations", "", body), 201)
		if res.str("status") != "awaiting_consent" || res.str("action") != "deregister" {
			t.Fatalf("deregistration: %s", res.raw)
		}
		task := res.body["consent_tasks"].([]any)[0].(map[string]any)["id"].(string)
		res = h.must(h.do("POST", "/api/v1/consents/"+task+"/confirm", "", map[string]string{"code": h.lastCode("coB")}), 200)
		if res.str("status") != "deregistered" {
			t.Fatalf("after consent: %s", res.raw)
		}
		if activeAt(h.registrations("tenant"), h.f.rka["coFlat"], "permanent") {
			t.Fatal("still registered")
		}
		// The person is told, in their messages.
		tok := h.login("tenant")
		hist := h.must(h.do("GET", "/api/v1/me/history", tok, nil), 200)
		if !strings.Contains(string(hist.raw), "deregistered_by_owner") && !strings.Contains(string(hist.raw), "собственника") {
			t.Fatalf("the person was not told: %s", hist.raw)
		}
	})
}

func TestReadsAreAuthorisedAndLogged(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		owner := h.login("owner")
		stranger := h.login("stranger")
		// A stranger may not read someone's registrations; the person may.
		h.must(h.do("GET", "/api/v1/persons/"+h.iin("owner")+"/registrations", stranger, nil), 403)
		h.must(h.do("GET", "/api/v1/persons/"+h.iin("owner")+"/registrations", owner, nil), 200)
		// A parent may read their child's.
		parent := h.login("parent")
		h.must(h.do("GET", "/api/v1/persons/"+h.iin("child15")+"/registrations", parent, nil), 200)
		// The owner of "old" (stranger) sees its residents; the owner does not.
		res := h.must(h.do("GET", "/api/v1/premises/"+h.f.rka["old"]+"/residents", stranger, nil), 200)
		if len(res.body["residents"].([]any)) == 0 {
			t.Fatal("no residents listed")
		}
		h.must(h.do("GET", "/api/v1/premises/"+h.f.rka["old"]+"/residents", owner, nil), 403)
		// The owner sees that the stranger (as owner of their address) and the parent... read their data.
		log := h.must(h.do("GET", "/api/v1/me/access-log", owner, nil), 200)
		reads := log.body["reads"].([]any)
		if len(reads) == 0 {
			t.Fatalf("access log empty: %s", log.raw)
		}
		// An agency reads the feed.
		agency := h.agencyToken(residence.PurposeEventsRead)
		h.must(h.apply("owner", "owner", "ownFlat", nil), 201)
		// The feed shows sealed events only: serve runs the sealer, here the test seals.
		if _, err := h.st.(interface {
			Seal(context.Context) (int, error)
		}).Seal(context.Background()); err != nil {
			t.Fatalf("Seal: %v", err)
		}
		feed := h.must(h.do("GET", "/api/v1/events?after=0", agency, nil), 200)
		var f struct {
			Events []struct {
				Seq  int64
				Type string
			}
		}
		_ = json.Unmarshal(feed.raw, &f)
		types := map[string]bool{}
		var last int64
		for _, e := range f.Events {
			if e.Seq <= last {
				t.Fatalf("feed out of order: %v", f.Events)
			}
			last = e.Seq
			types[e.Type] = true
		}
		if !types["registration.created"] || !types["registration.ended"] || !types["idcard.address_rewrite"] {
			t.Fatalf("feed types %v", types)
		}
		h.must(h.do("GET", "/api/v1/events?after=0", owner, nil), 403)
	})
}

func TestConcurrentSubmissionsLeaveOneActivePermanent(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		op := h.staffToken(residence.RoleOperator)
		var wg sync.WaitGroup
		statuses := make([]int, 50)
		for i := range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				body := map[string]any{"kind": "permanent", "applicant_iin": h.iin("mover"), "rka": h.f.rka[fmt.Sprintf("extra%d", i)],
					"documents_checked": true, "owners_consent_in_writing": true}
				statuses[i] = h.do("POST", "/api/v1/applications", op, body).status
			}()
		}
		wg.Wait()
		for i, s := range statuses {
			if s != 201 {
				t.Errorf("submission %d: status %d", i, s)
			}
		}
		active := 0
		for _, r := range h.registrations("mover") {
			if r["status"] == "active" && r["kind"] == "permanent" {
				active++
			}
		}
		if active != 1 {
			t.Fatalf("%d active permanent registrations", active)
		}
	})
}

// TestApplicationStatusByID: the applicant who signed with a one-time
// password follows the application by its id without a session; the persons'
// IINs are masked for anyone who is not a party, and a signed-in stranger is
// refused.
func TestApplicationStatusByID(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		appID, _ := awaitTwoOwners(t, h)
		res := h.must(h.do("GET", "/api/v1/applications/"+appID, "", nil), 200)
		if res.str("status") != "awaiting_consent" || res.str("decision", "rule") != "OWNER_CONSENT" {
			t.Fatalf("anonymous view: %s", res.raw)
		}
		if strings.Contains(string(res.raw), h.iin("tenant")) || strings.Contains(string(res.raw), h.iin("coA")) {
			t.Fatalf("the anonymous view shows IINs: %s", res.raw)
		}
		tenant := h.login("tenant")
		res = h.must(h.do("GET", "/api/v1/applications/"+appID, tenant, nil), 200)
		if res.str("applicant_iin") != h.iin("tenant") {
			t.Fatalf("the applicant's view is masked: %s", res.raw)
		}
		h.must(h.do("GET", "/api/v1/applications/"+appID, h.login("stranger"), nil), 403)
		// The reads, anonymous ones included, are in the tenant's access log.
		log := h.must(h.do("GET", "/api/v1/me/access-log", tenant, nil), 200)
		if !strings.Contains(string(log.raw), "application") {
			t.Fatalf("the anonymous read is not in the access log: %s", log.raw)
		}
	})
}

// TestTemporaryRegistrationEnds: a temporary registration enqueues no job;
// the expiry sweep ends it after its last day, not before. A
// registration_expire job that an earlier version queued still runs
// harmlessly (ExpireRegistration: not due before, a no-op after the sweep).
func TestTemporaryRegistrationEnds(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		expireJobs := func() int64 {
			t.Helper()
			jc, ok := h.st.(interface {
				JobCounts(context.Context) ([]store.JobCount, error)
			})
			if !ok {
				t.Fatalf("%T has no JobCounts", h.st)
			}
			counts, err := jc.JobCounts(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var n int64
			for _, c := range counts {
				if c.Kind == residence.JobRegistrationExpire {
					n += c.N
				}
			}
			return n
		}
		res := h.must(h.apply("owner", "owner", "ownFlat", map[string]any{"kind": "temporary",
			"stay_from": "2026-11-22", "stay_until": "2027-01-10"}), 201)
		if res.str("status") != "registered" {
			t.Fatalf("%s", res.raw)
		}
		regID := res.str("registration_id")
		if n := expireJobs(); n != 0 {
			t.Fatalf("the registration enqueued %d registration_expire jobs, want none (the sweep ends it)", n)
		}
		ctx := context.Background()
		// The permanent registration is untouched by a temporary one.
		if !activeAt(h.registrations("owner"), h.f.rka["old"], "permanent") {
			t.Fatal("a temporary registration ended the permanent one")
		}
		h.clock.Set(time.Date(2027, 1, 10, 18, 0, 0, 0, time.UTC)) // 23:00 on the last day in Almaty
		if n, err := h.svc.SweepExpiredRegistrations(ctx); err != nil || n != 0 {
			t.Fatalf("on the last day the sweep ended %d: %v", n, err)
		}
		if err := h.svc.ExpireRegistration(ctx, regID); err != residence.ErrNotDue {
			t.Fatalf("an old job on the last day: %v", err)
		}
		h.clock.Set(time.Date(2027, 1, 10, 19, 30, 0, 0, time.UTC)) // 00:30 the next day in Almaty
		if n, err := h.svc.SweepExpiredRegistrations(ctx); err != nil || n < 1 {
			t.Fatalf("the day after the sweep ended %d: %v", n, err)
		}
		if err := h.svc.ExpireRegistration(ctx, regID); err != nil {
			t.Fatalf("an old job after the sweep: %v", err)
		}
		ended := false
		for _, r := range h.registrations("owner") {
			if r["id"] == regID {
				ended = r["status"] == "ended" && r["end_reason"] == "expired"
			}
		}
		if !ended {
			t.Fatalf("after the period: %v", h.registrations("owner"))
		}
	})
}
