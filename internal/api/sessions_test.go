package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"tirkeu/internal/web"
)

// TestEDSChallengeSingleUse: a signed sign-in challenge starts one session.
// The same signature replayed is refused by the signature's single use (409
// signature_reused); the same challenge signed anew — by another key, so
// another signature — is 409 challenge_reused; posted by several clients at
// once, exactly one gets a session, on both engines.
func TestEDSChallengeSingleUse(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		signed := func() ([]byte, string) {
			ch := h.must(h.do("GET", "/api/v1/sessions/challenge", "", nil), 200).str("challenge")
			raw := []byte(fmt.Sprintf(`{"challenge":%q}`, ch))
			return raw, h.sign("tenant", raw)
		}
		raw, sig := signed()
		h.must(h.do("POST", "/api/v1/sessions", "", string(raw), "Signature", sig), 201)
		res := h.do("POST", "/api/v1/sessions", "", string(raw), "Signature", sig)
		if res.status != http.StatusConflict || res.str("code") != "signature_reused" {
			t.Fatalf("replayed signature: %d %s, want 409 signature_reused", res.status, res.raw)
		}
		res = h.do("POST", "/api/v1/sessions", "", string(raw), "Signature", h.sign("owner", raw))
		if res.status != http.StatusConflict || res.str("code") != "challenge_reused" {
			t.Fatalf("challenge signed again: %d %s, want 409 challenge_reused", res.status, res.raw)
		}

		raw, sig = signed()
		const n = 8
		statuses := make([]int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, _ := http.NewRequest("POST", h.srv.URL+"/api/v1/sessions", bytes.NewReader(raw))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Signature", sig)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				var p struct{ Code string }
				_ = json.NewDecoder(res.Body).Decode(&p)
				res.Body.Close()
				statuses[i] = res.StatusCode
				if res.StatusCode != http.StatusCreated && p.Code != "challenge_reused" && p.Code != "signature_reused" {
					t.Errorf("parallel sign-in: %d %s", res.StatusCode, p.Code)
				}
			}()
		}
		wg.Wait()
		created := 0
		for _, s := range statuses {
			if s == http.StatusCreated {
				created++
			}
		}
		if created != 1 {
			t.Errorf("%d parallel sign-ins with one challenge succeeded (%v), want 1", created, statuses)
		}
	})
}

// TestSignOutRevokesBearer: DELETE /api/v1/sessions ends the session on the
// server; the same token (and any copy) is 401 afterwards.
func TestSignOutRevokesBearer(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		tok := h.login("tenant")
		h.must(h.do("GET", "/api/v1/me", tok, nil), 200)
		h.must(h.do("DELETE", "/api/v1/sessions", tok, nil), 204)
		for _, path := range []string{"/api/v1/me", "/api/v1/me/history"} {
			if res := h.do("GET", path, tok, nil); res.status != http.StatusUnauthorized || res.str("code") != "unauthenticated" {
				t.Errorf("GET %s after sign-out: %d %s, want 401", path, res.status, res.raw)
			}
		}
		if res := h.do("DELETE", "/api/v1/sessions", tok, nil); res.status != http.StatusUnauthorized {
			t.Errorf("second sign-out: %d, want 401", res.status)
		}
		// Another session of the same person goes on.
		h.must(h.do("GET", "/api/v1/me", h.login("tenant"), nil), 200)
	})
}

// TestAPIIgnoresPageCookie: a request to the API carrying only the pages'
// session cookie (what a forged cross-site request carries) acts as no
// one: reads are 401, and sign-out by cookie ends nothing.
func TestAPIIgnoresPageCookie(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		tok := h.login("tenant")
		var problem struct{ Code, Field string }
		cookie := func(method, path string) int {
			req, _ := http.NewRequest(method, h.srv.URL+path, bytes.NewReader([]byte(`{"kind":"permanent","otp":"000000"}`)))
			req.Header.Set("Content-Type", "application/json")
			req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: tok})
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			problem.Code, problem.Field = "", ""
			_ = json.NewDecoder(res.Body).Decode(&problem)
			res.Body.Close()
			return res.StatusCode
		}
		if st := cookie("GET", "/api/v1/me"); st != http.StatusUnauthorized {
			t.Errorf("GET /api/v1/me by cookie: %d, want 401", st)
		}
		if st := cookie("DELETE", "/api/v1/sessions"); st != http.StatusUnauthorized {
			t.Errorf("DELETE /api/v1/sessions by cookie: %d, want 401", st)
		}
		// An application without applicant_iin is the signed-in person's:
		// by cookie there is none, so the applicant is missing.
		if st := cookie("POST", "/api/v1/applications"); st != http.StatusUnprocessableEntity || problem.Field != "applicant_iin" {
			t.Errorf("POST /api/v1/applications by cookie: %d %+v, want 422 on applicant_iin", st, problem)
		}
		h.must(h.do("GET", "/api/v1/me", tok, nil), 200) // the cookie's sign-out did nothing
	})
}
