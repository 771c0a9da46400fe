package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"tirkeu/internal/residence"
)

// seedConsentSMS writes n consent messages (of other applications) to the
// person's phone, as if sent a moment ago.
func (h *harness) seedConsentSMS(name string, n int) {
	h.t.Helper()
	now := h.clock.Now().UTC()
	err := h.st.InTx(context.Background(), func(tx residence.Tx) error {
		for i := range n {
			m := residence.SMS{ID: fmt.Sprintf("seed-consent-%s-%d-%d", name, now.UnixNano(), i), To: h.phone(name), From: residence.ShortNumber,
				Text: "consent", Status: residence.SMSDelivered, RecipientIIN: h.iin(name), ApplicationID: "seed-application",
				CreatedAt: now.Add(-time.Minute), UpdatedAt: now}
			if err := tx.CreateSMS(context.Background(), m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		h.t.Fatal(err)
	}
}

// Anonymous one-time password requests for an owner's IIN fill their phone's
// hourly budget; they do not stop the owner's consent codes, so nobody can
// block applications to an owner's flat without signing one.
func TestOTPFloodDoesNotBlockConsents(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		h.seedSMS("coA", residence.DefaultConfig().ConsentSMSPerPhoneHour+5)
		res := h.must(h.apply("tenant", "tenant", "coFlat", nil), 201)
		if res.str("status") != "awaiting_consent" {
			t.Fatalf("after an OTP flood to the owner's phone: %s", res.raw)
		}
	})
}

// One applicant's applications send an owner only so many consent codes an
// hour; that does not use up the owner's budget for other applicants.
func TestOneApplicantCannotUseUpAnOwnersConsents(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		for i := 0; i < residence.DefaultConfig().ConsentSMSPerApplicantHour; i++ {
			h.must(h.apply("tenant", "tenant", "coFlat", nil), 201)
		}
		wantRateLimited(t, h.apply("tenant", "tenant", "coFlat", nil))
		res := h.must(h.apply("mover", "mover", "coFlat", nil), 201)
		if res.str("status") != "awaiting_consent" {
			t.Fatalf("another applicant after one applicant's flood: %s", res.raw)
		}
	})
}

// A stranger floods one-time password requests for a victim's IIN from one
// client. The per-person cap stops the stranger's client, not the victim: the
// victim asks for a code from their own client and signs in with it, even
// when the stranger asks again (from a fresh client) in between.
func TestStrangerCannotLockAPersonOutOfSignIn(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		const attacker, victim, botnet = "203.0.113.66", "198.51.100.7", "192.0.2.9"
		otp := func(client string) response {
			return h.do("POST", "/api/v1/otp", "", map[string]string{"iin": h.iin("owner"), "purpose": "login"}, "X-Forwarded-For", client)
		}
		for i := 0; i < 5; i++ {
			h.must(otp(attacker), 201)
		}
		wantRateLimited(t, otp(attacker))

		h.must(otp(victim), 201)
		code := h.lastCode("owner")
		h.must(otp(botnet), 201) // a newer code, to a stranger's client
		res := h.must(h.do("POST", "/api/v1/sessions", "", map[string]string{"iin": h.iin("owner"), "otp": code}, "X-Forwarded-For", victim), 201)
		if res.str("token") == "" {
			t.Fatalf("no session: %s", res.raw)
		}
		// A code is the client's that asked for it: the stranger's newest
		// code does not sign in from the victim's client, nor the victim's
		// from another.
		h.must(otp(victim), 201)
		code = h.lastCode("owner")
		if r := h.do("POST", "/api/v1/sessions", "", map[string]string{"iin": h.iin("owner"), "otp": code}, "X-Forwarded-For", botnet); r.status == 201 {
			t.Fatalf("a code signed in from a client that did not ask for it: %s", r.raw)
		}
	})
}

// A stranger burns a consent task's attempts with wrong codes. The task takes
// no more codes, but its owner can still decline it signed in, or confirm it
// with their EDS.
func TestLockedTaskStillAnsweredByItsOwner(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		lock := func(appID, task string) {
			t.Helper()
			for i := 1; i <= 5; i++ {
				h.do("POST", "/api/v1/consents/"+task+"/confirm", "", map[string]string{"code": wrongCode(h.lastCode("coA"))}, "X-Forwarded-For", "203.0.113.66")
			}
			res := h.must(h.do("GET", "/api/v1/applications/"+appID, h.staffToken(residence.RoleOperator), nil), 200)
			for _, tk := range res.body["consent_tasks"].([]any) {
				if m := tk.(map[string]any); m["id"] == task && m["status"] != "locked" {
					t.Fatalf("task not locked: %v", m)
				}
			}
		}

		// Declined by the signed-in owner.
		appID, _ := awaitTwoOwners(t, h)
		task := taskFor(t, h, appID, "coA")
		lock(appID, task)
		tok := h.login("coA")
		mine := h.must(h.do("GET", "/api/v1/me/consents", tok, nil), 200)
		if n := len(mine.body["consents"].([]any)); n != 1 {
			t.Fatalf("the locked task is gone from the owner's requests: %s", mine.raw)
		}
		res := h.must(h.do("POST", "/api/v1/consents/"+task+"/decline", tok, nil), 200)
		if res.str("status") != "rejected" || res.str("decision", "rule") != "CONSENT_DECLINED" {
			t.Fatalf("after the owner declined a locked task: %s", res.raw)
		}

		// Confirmed with the owner's EDS.
		appID, _ = awaitTwoOwners(t, h)
		task = taskFor(t, h, appID, "coA")
		lock(appID, task)
		raw, _ := json.Marshal(map[string]string{"consent_id": task, "answer": "confirm"})
		h.must(h.do("POST", "/api/v1/consents/"+task+"/confirm", "", string(raw), "Signature", h.sign("coA", raw)), 200)
		other := taskFor(t, h, appID, "coB")
		res = h.must(h.do("POST", "/api/v1/consents/"+other+"/confirm", "", map[string]string{"code": h.lastCode("coB")}), 200)
		if res.str("status") != "registered" {
			t.Fatalf("after the EDS answer to a locked task: %s", res.raw)
		}
	})
}

// wrongCode returns a six-digit code other than code.
