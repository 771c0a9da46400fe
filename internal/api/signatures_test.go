package api_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"tirkeu/internal/eds"
)

// signAt returns the Signature header of the person's demo key over body,
// with the given signing time.
func (h *harness) signAt(name string, body []byte, at time.Time) string {
	h.t.Helper()
	p12, err := os.ReadFile(filepath.Join(h.caDir, h.iin(name)+".p12"))
	if err != nil {
		h.t.Fatal(err)
	}
	cms, err := eds.Sign(p12, eds.DemoPassword, body, at)
	if err != nil {
		h.t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(cms)
}

// TestEDSConsentSignsItsAnswer: a signed consent answer names its answer;
// a signed refusal posted as consent, and the old body without an answer,
// are refused and change nothing.
func TestEDSConsentSignsItsAnswer(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		appID, _ := awaitTwoOwners(t, h)
		task := taskFor(t, h, appID, "coA")
		post := func(verb string, body map[string]any) response {
			raw, _ := json.Marshal(body)
			return h.do("POST", "/api/v1/consents/"+task+"/"+verb, "", string(raw), "Signature", h.sign("coA", raw))
		}
		res := post("confirm", map[string]any{"consent_id": task, "answer": "decline"})
		if res.status != 422 || res.str("code") != "signature_invalid" || res.str("field") != "answer" {
			t.Fatalf("a signed decline posted as confirm: %d %s", res.status, res.raw)
		}
		res = post("decline", map[string]any{"consent_id": task, "answer": "confirm"})
		if res.status != 422 || res.str("code") != "signature_invalid" {
			t.Fatalf("a signed confirm posted as decline: %d %s", res.status, res.raw)
		}
		res = post("confirm", map[string]any{"consent_id": task})
		if res.status != 422 || res.str("code") != "signature_invalid" {
			t.Fatalf("a signed body without answer: %d %s", res.status, res.raw)
		}
		h.clock.Advance(time.Second) // a new signing time: a new signature
		res = h.must(h.do("GET", "/api/v1/applications/"+appID, h.staffToken("operator"), nil), 200)
		if res.str("status") != "awaiting_consent" {
			t.Fatalf("refused answers changed the application: %s", res.raw)
		}
		res = h.must(post("decline", map[string]any{"consent_id": task, "answer": "decline"}), 200)
		if res.str("status") != "rejected" {
			t.Fatalf("signed decline: %s", res.raw)
		}
	})
}

// TestEDSSignatureUsedOnce: every accepted signature authorises one change;
// posting it again is 409 signature_reused, whatever the route.
func TestEDSSignatureUsedOnce(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		t.Run("application", func(t *testing.T) {
			raw, _ := json.Marshal(map[string]any{"kind": "permanent", "applicant_iin": h.iin("owner"), "rka": h.f.rka["ownFlat"], "reason": "moving"})
			sig := h.sign("owner", raw)
			h.must(h.do("POST", "/api/v1/applications", "", string(raw), "Signature", sig), 201)
			res := h.do("POST", "/api/v1/applications", "", string(raw), "Signature", sig)
			if res.status != 409 || res.str("code") != "signature_reused" {
				t.Fatalf("replayed signed application: %d %s", res.status, res.raw)
			}
			// Under another Idempotency-Key too.
			res = h.do("POST", "/api/v1/applications", "", string(raw), "Signature", sig, "Idempotency-Key", "fresh")
			if res.status != 409 || res.str("code") != "signature_reused" {
				t.Fatalf("replayed under a new key: %d %s", res.status, res.raw)
			}
		})
		t.Run("retry with its key", func(t *testing.T) {
			// A retry of a signed request with its Idempotency-Key is the
			// same request: it gets the first answer, registering nothing.
			raw, _ := json.Marshal(map[string]any{"kind": "temporary", "applicant_iin": h.iin("owner"), "rka": h.f.rka["extra2"],
				"reason": "summer", "stay_from": "2026-12-01", "stay_until": "2027-03-01"})
			sig := h.sign("owner", raw)
			first := h.must(h.do("POST", "/api/v1/applications", "", string(raw), "Signature", sig, "Idempotency-Key", "eds-1"), 201)
			again := h.must(h.do("POST", "/api/v1/applications", "", string(raw), "Signature", sig, "Idempotency-Key", "eds-1"), 200)
			if again.str("id") != first.str("id") {
				t.Fatalf("retry answered %s", again.raw)
			}
		})
		t.Run("deregistration", func(t *testing.T) {
			raw, _ := json.Marshal(map[string]any{"owner_iin": h.iin("stranger"), "subject_iin": h.iin("tenant"), "rka": h.f.rka["old"], "reason": "left"})
			sig := h.sign("stranger", raw)
			h.must(h.do("POST", "/api/v1/deregistrations", "", string(raw), "Signature", sig), 201)
			res := h.do("POST", "/api/v1/deregistrations", "", string(raw), "Signature", sig)
			if res.status != 409 || res.str("code") != "signature_reused" {
				t.Fatalf("replayed signed deregistration: %d %s", res.status, res.raw)
			}
		})
		t.Run("session", func(t *testing.T) {
			ch := h.must(h.do("GET", "/api/v1/sessions/challenge", "", nil), 200).str("challenge")
			raw := []byte(fmt.Sprintf(`{"challenge":%q}`, ch))
			sig := h.sign("tenant", raw)
			h.must(h.do("POST", "/api/v1/sessions", "", string(raw), "Signature", sig), 201)
			res := h.do("POST", "/api/v1/sessions", "", string(raw), "Signature", sig)
			// signature_reused here; a single-use challenge may refuse it
			// first (401): either way no second session.
			if res.status != 409 && res.status != 401 {
				t.Fatalf("replayed signed sign-in: %d %s", res.status, res.raw)
			}
		})
	})
}

// TestEDSSigningTime: a signature dated more than five minutes from the
// server's clock is refused with signature_time and changes nothing.
func TestEDSSigningTime(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		raw, _ := json.Marshal(map[string]any{"kind": "permanent", "applicant_iin": h.iin("owner"), "rka": h.f.rka["ownFlat"], "reason": "moving"})
		res := h.do("POST", "/api/v1/applications", "", string(raw), "Signature", h.signAt("owner", raw, h.clock.Now().Add(-6*time.Minute)))
		if res.status != 422 || res.str("code") != "signature_time" {
			t.Fatalf("stale signing time: %d %s", res.status, res.raw)
		}
		if activeAt(h.registrations("owner"), h.f.rka["ownFlat"], "permanent") {
			t.Fatal("a stale signature registered")
		}
		// Within the window it is accepted.
		h.must(h.do("POST", "/api/v1/applications", "", string(raw), "Signature", h.signAt("owner", raw, h.clock.Now().Add(-4*time.Minute))), 201)
	})
}
