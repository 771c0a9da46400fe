package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sync"
	"testing"
	"time"

	"tirkeu/internal/residence"
)

var referencePattern = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$`)

// TestWithdraw: only the signed-in applicant withdraws, only while the
// application awaits consent; its consent tasks are cancelled, so the
// owners' codes no longer answer, and nothing is registered.
func TestWithdraw(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		appID, tasks := awaitTwoOwners(t, h)
		var asked []string // the consent SMS, queued (the harness runs no delivery job)
		for id, m := range outbox(t, h) {
			if m.Status == string(residence.SMSQueued) && (m.To == h.phone("coA") || m.To == h.phone("coB")) {
				asked = append(asked, id)
			}
		}
		if len(asked) < 2 {
			t.Fatalf("%d queued SMS after the application, want the two consent requests", len(asked))
		}
		path := "/api/v1/applications/" + appID + "/withdraw"
		coA := h.lastCode("coA")
		h.must(h.do("POST", path, "", nil), 401)
		h.must(h.do("POST", path, h.login("stranger"), nil), 403)
		h.must(h.do("POST", path, h.login("coA"), nil), 403)
		h.must(h.do("POST", path, h.staffToken(residence.RoleOperator), nil), 403)
		h.must(h.do("POST", "/api/v1/applications/0190a0b0-c0d0-7000-8000-000000000000/withdraw", h.login("tenant"), nil), 404)

		tenant := h.login("tenant")
		res := h.must(h.do("POST", path, tenant, nil), 200)
		if res.str("status") != "withdrawn" || res.str("decision", "status") != "withdrawn" || res.str("decision", "rule") != "" {
			t.Fatalf("withdrawn: %s", res.raw)
		}
		if ref := res.str("reference"); !referencePattern.MatchString(ref) || ref != residence.Reference(appID) {
			t.Errorf("reference %q, want %q", ref, residence.Reference(appID))
		}
		for _, tk := range res.body["consent_tasks"].([]any) {
			if s := tk.(map[string]any)["status"]; s != "cancelled" {
				t.Errorf("task after withdrawal: %v, want cancelled", s)
			}
		}
		// The consent requests still in the SMS queue are not sent.
		after := outbox(t, h)
		for _, id := range asked {
			if after[id].Status != string(residence.SMSFailed) {
				t.Errorf("consent SMS %s after the withdrawal: %s, want failed (not sent)", id, after[id].Status)
			}
		}
		h.must(h.do("POST", path, tenant, nil), 409)
		h.must(h.do("POST", "/api/v1/consents/"+tasks[0]+"/confirm", "", map[string]string{"code": coA}), 409)
		if activeAt(h.registrations("tenant"), h.f.rka["coFlat"], "permanent") {
			t.Fatal("a withdrawn application registered the tenant")
		}
		// The tracking view (anyone holding the id) shows the status and the reference.
		track := h.must(h.do("GET", "/api/v1/applications/"+appID, "", nil), 200)
		if track.str("status") != "withdrawn" || track.str("reference") != residence.Reference(appID) {
			t.Errorf("tracking view: %s", track.raw)
		}

		// A decided application cannot be withdrawn.
		done := h.must(h.apply("owner", "owner", "ownFlat", nil), 201)
		if done.str("status") != "registered" {
			t.Fatalf("own flat: %s", done.raw)
		}
		h.must(h.do("POST", "/api/v1/applications/"+done.str("id")+"/withdraw", h.login("owner"), nil), 409)
	})
}

// TestWithdrawRacesConsent: the last consent and the withdrawal sent at the
// same moment never both succeed: the application ends registered (the
// task confirmed, one registration) or withdrawn (the task cancelled, no
// registration). On PostgreSQL they run at once; the conditional UPDATE and
// the application's row lock decide.
func TestWithdrawRacesConsent(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2}}
		defer client.CloseIdleConnections()
		outcomes := map[string]int{}
		for i := range 12 {
			// A fresh hour each round: the code caps count per hour.
			h.clock.Advance(61 * time.Minute)
			res := h.must(h.apply("tenant", "tenant", fmt.Sprintf("extra%d", i), nil), 201)
			if res.str("status") != "awaiting_consent" {
				t.Fatalf("round %d: %s", i, res.raw)
			}
			appID := res.str("id")
			task := taskFor(t, h, appID, "owner")
			code := h.lastCode("owner")
			token := h.login("tenant")
			reqs := []*http.Request{
				newReq(t, h.srv.URL+"/api/v1/consents/"+task+"/confirm", `{"code":"`+code+`"}`, ""),
				newReq(t, h.srv.URL+"/api/v1/applications/"+appID+"/withdraw", "", token),
			}
			var st [2]int
			var wg sync.WaitGroup
			start := make(chan struct{})
			for j, req := range reqs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					r, err := client.Do(req)
					if err != nil {
						return
					}
					io.Copy(io.Discard, r.Body)
					r.Body.Close()
					st[j] = r.StatusCode
				}()
			}
			close(start)
			wg.Wait()
			var app residence.Application
			var tk residence.ConsentTask
			var regs []residence.Registration
			err := h.st.View(ctx, func(r residence.Reader) error {
				var err error
				if app, err = r.Application(ctx, appID); err != nil {
					return err
				}
				if tk, err = r.ConsentTask(ctx, task); err != nil {
					return err
				}
				regs, err = r.Registrations(ctx, h.iin("tenant"))
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			made := 0
			for _, g := range regs {
				if g.ApplicationID == appID {
					made++
				}
			}
			switch {
			case st == [2]int{200, 409} && app.Status == residence.StatusRegistered && tk.Status == residence.ConsentConfirmed && made == 1:
				outcomes["registered"]++
			case st == [2]int{409, 200} && app.Status == residence.StatusWithdrawn && tk.Status == residence.ConsentCancelled && made == 0:
				outcomes["withdrawn"]++
			default:
				t.Fatalf("round %d: confirm %d, withdraw %d; application %s, task %s, %d registrations", i, st[0], st[1], app.Status, tk.Status, made)
			}
		}
		t.Logf("outcomes: %v", outcomes)
	})
}

func newReq(t *testing.T, url, body, token string) *http.Request {
	t.Helper()
	req, err := http.NewRequest("POST", url, bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}

// outbox returns the demo outbox's SMS by id.
func outbox(t *testing.T, h *harness) map[string]outboxSMS {
	t.Helper()
	var msgs []outboxSMS
	if err := json.Unmarshal(h.must(h.do("GET", "/dev/sms", "", nil), 200).raw, &msgs); err != nil {
		t.Fatal(err)
	}
	out := map[string]outboxSMS{}
	for _, m := range msgs {
		out[m.ID] = m
	}
	return out
}

type outboxSMS struct{ ID, To, Status string }
