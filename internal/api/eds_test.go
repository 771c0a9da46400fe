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

func (h *harness) submitSigned(body map[string]any, signer string, mutate func([]byte) []byte) response {
	h.t.Helper()
	raw, _ := json.Marshal(body)
	sig := h.sign(signer, raw)
	if mutate != nil {
		raw = mutate(raw)
	}
	return h.do("POST", "/api/v1/applications", "", string(raw), "Signature", sig)
}

func TestEDSSignedApplications(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		body := func() map[string]any {
			return map[string]any{"kind": "permanent", "applicant_iin": h.iin("owner"), "rka": h.f.rka["ownFlat"], "reason": "moving"}
		}
		t.Run("tampered body", func(t *testing.T) {
			res := h.submitSigned(body(), "owner", func(b []byte) []byte {
				var m map[string]any
				_ = json.Unmarshal(b, &m)
				m["rka"] = h.f.rka["coFlat"]
				out, _ := json.Marshal(m)
				return out
			})
			if res.status != 422 || res.str("code") != "signature_invalid" {
				t.Fatalf("%d %s", res.status, res.raw)
			}
		})
		t.Run("signed by someone else", func(t *testing.T) {
			res := h.submitSigned(body(), "stranger", nil)
			if res.status != 403 || res.str("code") != "signer_not_applicant" {
				t.Fatalf("%d %s", res.status, res.raw)
			}
		})
		t.Run("untrusted root", func(t *testing.T) {
			dir := t.TempDir()
			if err := eds.DemoCA(dir, []eds.DemoSubject{{IIN: h.iin("owner"), CommonName: "fake"}}, today); err != nil {
				t.Fatal(err)
			}
			p12, _ := os.ReadFile(filepath.Join(dir, h.iin("owner")+".p12"))
			raw, _ := json.Marshal(body())
			cms, err := eds.Sign(p12, eds.DemoPassword, raw, h.clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			res := h.do("POST", "/api/v1/applications", "", string(raw), "Signature", base64.StdEncoding.EncodeToString(cms))
			if res.status != 422 || res.str("code") != "certificate_untrusted" {
				t.Fatalf("%d %s", res.status, res.raw)
			}
		})
		t.Run("garbage signature", func(t *testing.T) {
			raw, _ := json.Marshal(body())
			res := h.do("POST", "/api/v1/applications", "", string(raw), "Signature", base64.StdEncoding.EncodeToString([]byte("not a CMS")))
			if res.status != 422 || res.str("code") != "signature_invalid" {
				t.Fatalf("%d %s", res.status, res.raw)
			}
		})
		t.Run("valid", func(t *testing.T) {
			res := h.must(h.submitSigned(body(), "owner", nil), 201)
			if res.str("status") != "registered" || res.str("signature") != "eds" {
				t.Fatalf("%s", res.raw)
			}
		})
	})
}

// TestEDSGOSTAndRSA registers applications signed as the NCA's keys sign
// today (GOST 34.10-2015 512-bit with Streebog-512, from a demo key store in
// the NCA's PKCS#12 format) and with an RSA key, which is still accepted.
func TestEDSGOSTAndRSA(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		p12, err := os.ReadFile(filepath.Join(h.caDir, h.iin("owner")+".p12"))
		if err != nil {
			t.Fatal(err)
		}
		ks, err := eds.OpenKeyStore(p12, eds.DemoPassword)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := ks.Key.(*eds.GOSTSigner); !ok || eds.SignatureAlgorithmName(ks.Cert) != "gost2015-512" {
			t.Fatalf("demo key store holds %T signed with %s, want GOST 2015-512", ks.Key, eds.SignatureAlgorithmName(ks.Cert))
		}
		raw, _ := json.Marshal(map[string]any{"kind": "permanent", "applicant_iin": h.iin("owner"), "rka": h.f.rka["ownFlat"], "reason": "moving"})
		cms, err := eds.SignWith(ks.Key, ks.Cert, nil, raw, h.clock.Now()) // only the signer's certificate, as Kalkan
		if err != nil {
			t.Fatal(err)
		}
		res := h.do("POST", "/api/v1/applications", "", string(raw), "Signature", base64.StdEncoding.EncodeToString(cms))
		if res.status != 422 || res.str("code") != "certificate_untrusted" {
			t.Fatalf("without the intermediate configured: %d %s", res.status, res.raw)
		}
		cms, err = eds.SignWith(ks.Key, ks.Cert, ks.Chain, raw, h.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		res = h.must(h.do("POST", "/api/v1/applications", "", string(raw), "Signature", base64.StdEncoding.EncodeToString(cms)), 201)
		if res.str("status") != "registered" || res.str("signature") != "eds" {
			t.Fatalf("GOST: %s", res.raw)
		}

		issuer, err := eds.OpenDemoIssuer(h.caDir)
		if err != nil {
			t.Fatal(err)
		}
		key, err := issuer.IssueKind(eds.DemoSubject{IIN: h.iin("mover"), CommonName: "mover"}, h.clock.Now(), eds.DemoKeyRSA)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ = json.Marshal(map[string]any{"kind": "permanent", "applicant_iin": h.iin("mover"), "rka": h.f.rka["ownFlat"], "reason": "moving"})
		cms, err = key.Sign(raw, h.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		res = h.do("POST", "/api/v1/applications", "", string(raw), "Signature", base64.StdEncoding.EncodeToString(cms))
		if res.status != 201 && res.status != 202 {
			t.Fatalf("RSA: %d %s", res.status, res.raw)
		}
		if st := res.str("status"); st != "registered" && st != "awaiting_consent" {
			t.Fatalf("RSA: %s", res.raw)
		}
	})
}

func TestEDSConsentAndPetition(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		appID, _ := awaitTwoOwners(t, h)
		task := taskFor(t, h, appID, "coA")
		confirm := func(task, signer string, body map[string]any) response {
			if _, ok := body["answer"]; !ok {
				body["answer"] = "confirm"
			}
			raw, _ := json.Marshal(body)
			return h.do("POST", "/api/v1/consents/"+task+"/confirm", "", string(raw), "Signature", h.sign(signer, raw))
		}
		// A signature over another task's id is refused.
		res := confirm(task, "coA", map[string]any{"consent_id": "something-else"})
		if res.status != 422 || res.str("code") != "signature_invalid" {
			t.Fatalf("replayed signature: %d %s", res.status, res.raw)
		}
		// Someone who is not the owner cannot sign the owner's consent.
		res = confirm(task, "stranger", map[string]any{"consent_id": task})
		if res.status != 403 {
			t.Fatalf("stranger: %d %s", res.status, res.raw)
		}
		h.must(confirm(task, "coA", map[string]any{"consent_id": task}), 200)
		res = h.must(confirm(taskFor(t, h, appID, "coB"), "coB", map[string]any{"consent_id": taskFor(t, h, appID, "coB")}), 200)
		if res.str("status") != "registered" {
			t.Fatalf("after two signed consents: %s", res.raw)
		}

		// A hotel guest: the petition is signed by the hotel's head with the
		// organisation certificate.
		res = h.must(h.apply("mover", "mover", "hotel", nil), 201)
		petition := res.body["consent_tasks"].([]any)[0].(map[string]any)["id"].(string)
		res = h.must(confirm(petition, "hotelRep", map[string]any{"consent_id": petition}), 200)
		if res.str("status") != "registered" {
			t.Fatalf("after the petition: %s", res.raw)
		}
	})
}

func TestEDSSignIn(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		ch := h.must(h.do("GET", "/api/v1/sessions/challenge", "", nil), 200).str("challenge")
		raw := []byte(fmt.Sprintf(`{"challenge":%q}`, ch))
		res := h.must(h.do("POST", "/api/v1/sessions", "", string(raw), "Signature", h.sign("tenant", raw)), 201)
		if res.str("iin") != h.iin("tenant") {
			t.Fatalf("%s", res.raw)
		}
		h.must(h.do("GET", "/api/v1/me/history", res.str("token"), nil), 200)
		// A stale challenge is refused.
		h.clock.Advance(6 * time.Minute)
		raw = []byte(fmt.Sprintf(`{"challenge":%q}`, ch))
		res = h.do("POST", "/api/v1/sessions", "", string(raw), "Signature", h.sign("tenant", raw))
		if res.status != 401 {
			t.Fatalf("stale challenge: %d %s", res.status, res.raw)
		}
	})
}
