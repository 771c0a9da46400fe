package api_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// subjectTask returns the one consent task of the application response,
// which must be the subject's.
func subjectTask(t *testing.T, h *harness, res response) map[string]any {
	t.Helper()
	tasks := res.body["consent_tasks"].([]any)
	if len(tasks) != 1 {
		t.Fatalf("want the subject's task only, got %d: %s", len(tasks), res.raw)
	}
	task := tasks[0].(map[string]any)
	if task["kind"] != "subject" || task["status"] != "pending" || task["channel"] != "sms" || task["owner_iin"] != nil {
		t.Fatalf("task %v", task)
	}
	if s, _ := task["subject_iin"].(string); s == "" {
		t.Fatalf("task names no subject: %v", task)
	}
	return task
}

// lastSMSText returns the text of the newest SMS to the person's phone.
func (h *harness) lastSMSText(name string) string {
	h.t.Helper()
	res := h.must(h.do("GET", "/dev/sms", "", nil), 200)
	var msgs []struct{ To, Text string }
	if err := json.Unmarshal(res.raw, &msgs); err != nil {
		h.t.Fatal(err)
	}
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].To == h.phone(name) {
			return msgs[i].Text
		}
	}
	h.t.Fatalf("no SMS to %s", name)
	return ""
}

// permanentAt reports whether the person's permanent registration at the
// premises is active.
func (h *harness) permanentAt(name, rkaKey string) bool {
	h.t.Helper()
	return activeAt(h.registrations(name), h.f.rka[rkaKey], "permanent")
}

// A hotel's representative registers an adult: nothing changes until the
// adult confirms; then the old permanent registration ends.
func TestHotelRepresentativeNeedsTheResidentsConfirmation(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		res := h.must(h.apply("hotelRep", "mover", "hotel", nil), 201)
		if res.str("status") != "awaiting_consent" || res.str("decision", "rule") != "SUBJECT_CONSENT" {
			t.Fatalf("the hotel registered a person without their will: %s", res.raw)
		}
		task := subjectTask(t, h, res)
		if task["subject_iin"] == h.iin("mover") {
			t.Fatalf("the applicant sees the subject's full IIN in the task: %v", task)
		}
		req := res.body["decision"].(map[string]any)["consents"].([]any)[0].(map[string]any)
		if req["kind"] != "subject" {
			t.Fatalf("decision consents %v", req)
		}
		if !h.permanentAt("mover", "old") || h.permanentAt("mover", "hotel") {
			t.Fatal("the registration changed before the subject confirmed")
		}
		// The subject's SMS says who applies to register them where.
		text := h.lastSMSText("mover")
		if !strings.Contains(text, "Hotel Esil") || !strings.Contains(text, "Мәңгілік Ел") {
			t.Fatalf("subject's SMS %q names neither the hotel nor the address", text)
		}
		code := h.lastCode("mover")
		// The subject sees the request among their own, with its kind.
		tok := h.login("mover")
		mine := h.must(h.do("GET", "/api/v1/me/consents", tok, nil), 200)
		list := mine.body["consents"].([]any)
		if len(list) != 1 {
			t.Fatalf("/me/consents: %s", mine.raw)
		}
		c := list[0].(map[string]any)["consent"].(map[string]any)
		if c["id"] != task["id"] || c["kind"] != "subject" || c["subject_iin"] != h.iin("mover") {
			t.Fatalf("/me/consents: %v", c)
		}
		// Nobody else may answer for the subject.
		other := h.login("stranger")
		if r := h.do("POST", "/api/v1/consents/"+task["id"].(string)+"/decline", other, nil); r.status != 403 {
			t.Fatalf("a stranger declined the subject's task: %d %s", r.status, r.raw)
		}
		res = h.must(h.do("POST", "/api/v1/consents/"+task["id"].(string)+"/confirm", "", map[string]string{"code": code}), 200)
		if res.str("status") != "registered" {
			t.Fatalf("after the subject confirmed: %s", res.raw)
		}
		if h.permanentAt("mover", "old") || !h.permanentAt("mover", "hotel") {
			t.Fatal("confirmed, but the registration did not move")
		}
	})
}

// The subject declines (signed in, or by replying to 1414): the application
// is rejected with SUBJECT_DECLINED and nothing changes.
func TestSubjectDeclinesAndNothingChanges(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		res := h.must(h.apply("hotelRep", "mover", "hotel", nil), 201)
		task := subjectTask(t, h, res)["id"].(string)
		tok := h.login("mover")
		res = h.must(h.do("POST", "/api/v1/consents/"+task+"/decline", tok, nil), 200)
		if res.str("status") != "rejected" || res.str("decision", "rule") != "SUBJECT_DECLINED" || res.str("decision", "legal_basis") == "" {
			t.Fatalf("after the subject declined: %s", res.raw)
		}
		if !h.permanentAt("mover", "old") || h.permanentAt("mover", "hotel") {
			t.Fatal("declined, yet the registration changed")
		}

		// The state-rental tenant registers a listed adult, who refuses by
		// replying to 1414.
		res = h.must(h.apply("renter", "member", "rental", nil), 201)
		if res.str("status") != "awaiting_consent" || res.str("decision", "rule") != "SUBJECT_CONSENT" {
			t.Fatalf("tenant's application: %s", res.raw)
		}
		subjectTask(t, h, res)
		res = h.must(h.do("POST", "/dev/sms/reply", "", map[string]string{"from": h.phone("member"), "text": "НЕТ"}), 200)
		if res.str("status") != "rejected" || res.str("decision", "rule") != "SUBJECT_DECLINED" {
			t.Fatalf("after the member declined by SMS: %s", res.raw)
		}
		if !h.permanentAt("member", "old") || h.permanentAt("member", "rental") {
			t.Fatal("declined by SMS, yet the registration changed")
		}
	})
}

// The listed member confirms by replying to 1414, or with her EDS.
func TestStateRentalMemberConfirms(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		res := h.must(h.apply("renter", "member", "rental", nil), 201)
		subjectTask(t, h, res)
		res = h.must(h.do("POST", "/dev/sms/reply", "", map[string]string{"from": h.phone("member"), "text": h.lastCode("member")}), 200)
		if res.str("status") != "registered" || !h.permanentAt("member", "rental") || h.permanentAt("member", "old") {
			t.Fatalf("after the member confirmed by SMS: %s", res.raw)
		}

		// A hotel guest confirms with her EDS.
		res = h.must(h.apply("hotelRep", "tenant", "hotel", nil), 201)
		task := subjectTask(t, h, res)["id"].(string)
		raw, _ := json.Marshal(map[string]string{"consent_id": task, "answer": "confirm"})
		res = h.must(h.do("POST", "/api/v1/consents/"+task+"/confirm", "", string(raw), "Signature", h.sign("tenant", raw)), 200)
		if res.str("status") != "registered" || !h.permanentAt("tenant", "hotel") {
			t.Fatalf("after the guest's EDS: %s", res.raw)
		}
	})
}

// Parents of 14–15-year-olds and guardians act for the subject: no
// confirmation is asked.
func TestRepresentativesActForTheSubject(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		for _, c := range []struct{ applicant, subject, at string }{{"parent", "child15", "parentFlat"}, {"guardian", "ward", "guardianFlat"}} {
			res := h.must(h.apply(c.applicant, c.subject, c.at, nil), 201)
			if res.str("status") != "registered" || len(res.body["consent_tasks"].([]any)) != 0 {
				t.Fatalf("%s for %s: %s", c.applicant, c.subject, res.raw)
			}
		}
	})
}
