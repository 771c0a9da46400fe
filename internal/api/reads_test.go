package api_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"tirkeu/internal/residence"
)

// sealAll seals the events written so far (serve runs the sealer; the
// feed shows sealed events only).
func sealAll(t *testing.T, h *harness) {
	t.Helper()
	if _, err := h.st.(interface {
		Seal(context.Context) (int, error)
	}).Seal(context.Background()); err != nil {
		t.Fatalf("Seal: %v", err)
	}
}

// read is one record of a person's access log as /api/v1/me/access-log
// shows it.
type read struct {
	ActorRole string `json:"actor_role"`
	ActorIIN  string `json:"actor_iin"`
	Details   struct {
		What      string `json:"what"`
		Purpose   string `json:"purpose"`
		ActorName string `json:"actor_name"`
	} `json:"details"`
}

// accessLog signs the person in and returns their access log, newest first.
func (h *harness) accessLog(name string) []read {
	h.t.Helper()
	res := h.must(h.do("GET", "/api/v1/me/access-log", h.login(name), nil), 200)
	var out struct{ Reads []read }
	if err := json.Unmarshal(res.raw, &out); err != nil {
		h.t.Fatal(err)
	}
	return out.Reads
}

// findRead returns the first record matching role, actor IIN ("" matches
// any), what and purpose.
func findRead(reads []read, role, actorIIN, what, purpose string) (read, bool) {
	for _, r := range reads {
		if r.ActorRole == role && (actorIIN == "" || r.ActorIIN == actorIIN) && r.Details.What == what && r.Details.Purpose == purpose {
			return r, true
		}
	}
	return read{}, false
}

func wantRead(t *testing.T, reads []read, role, actorIIN, what, purpose string) {
	t.Helper()
	if _, ok := findRead(reads, role, actorIIN, what, purpose); !ok {
		t.Errorf("no access-log record by %s %q of %q for %q in %+v", role, actorIIN, what, purpose, reads)
	}
}

// TestTrackingViewShowsStatusAndRuleOnly: anyone holding an application's
// id sees its status and rule, and nothing about the persons or the
// premises: no RKA, reason, effects, consent task ids or IIN fragments.
// The parties see it whole. The persons' access logs show the read.
func TestTrackingViewShowsStatusAndRuleOnly(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		app := h.must(h.apply("parent", "child15", "coFlat", nil), 201)
		id := app.str("id")
		if app.str("status") != "awaiting_consent" {
			t.Fatalf("set-up: %s", app.raw)
		}
		var tasks []string
		for _, c := range app.body["consent_tasks"].([]any) {
			tasks = append(tasks, c.(map[string]any)["id"].(string))
		}
		if len(tasks) != 2 {
			t.Fatalf("want two consent tasks: %s", app.raw)
		}

		res := h.must(h.do("GET", "/api/v1/applications/"+id, "", nil), 200)
		for k := range res.body {
			if !slices.Contains([]string{"id", "reference", "action", "status", "decision", "created_at", "decided_at", "updated_at"}, k) {
				t.Errorf("tracking view shows %q: %s", k, res.raw)
			}
		}
		for k := range res.body["decision"].(map[string]any) {
			if !slices.Contains([]string{"status", "rule", "legal_basis", "message", "messages"}, k) {
				t.Errorf("tracking view's decision shows %q: %s", k, res.raw)
			}
		}
		if res.str("status") != "awaiting_consent" || res.str("decision", "rule") != "OWNER_CONSENT" {
			t.Errorf("tracking view without status or rule: %s", res.raw)
		}
		raw := string(res.raw)
		for _, secret := range append([]string{h.f.rka["coFlat"], "moving", "****", "effects", "consent_tasks", "iin"}, tasks...) {
			if strings.Contains(raw, secret) {
				t.Errorf("tracking view shows %q: %s", secret, raw)
			}
		}
		// The applicant signed in sees it whole.
		full := h.must(h.do("GET", "/api/v1/applications/"+id, h.login("parent"), nil), 200)
		if full.str("rka") != h.f.rka["coFlat"] || full.str("subject_iin") != h.iin("child15") || len(full.body["consent_tasks"].([]any)) != 2 {
			t.Errorf("the applicant's view: %s", full.raw)
		}
		// The child sees that someone followed their application by its id.
		wantRead(t, h.accessLog("child15"), "anonymous", "", "application", "tracking")
	})
}

// TestAgencyPurposes: an agency token reads only what its purposes allow,
// each read refused otherwise with 403 purpose_missing, and each read's
// purpose is in the person's access log.
func TestAgencyPurposes(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		h.must(h.apply("owner", "owner", "ownFlat", nil), 201)
		sealAll(t, h)

		def := h.staffToken(residence.RoleAgency) // no --purpose: address:read only
		events := h.agencyToken(residence.PurposeEventsRead)
		residents := h.agencyToken(residence.PurposeResidentsRead)
		regs := "/api/v1/persons/" + h.iin("owner") + "/registrations"
		res := "/api/v1/premises/" + h.f.rka["old"] + "/residents"
		feed := "/api/v1/events?after=0"
		for _, c := range []struct {
			name, token, path string
			status            int
		}{
			{"default token reads an address", def, regs, 200},
			{"default token lists residents", def, res, 403},
			{"default token reads the feed", def, feed, 403},
			{"events:read reads the feed", events, feed, 200},
			{"events:read reads an address", events, regs, 403},
			{"events:read lists residents", events, res, 403},
			{"residents:read lists residents", residents, res, 200},
			{"residents:read reads the feed", residents, feed, 403},
		} {
			t.Run(c.name, func(t *testing.T) {
				r := h.do("GET", c.path, c.token, nil)
				if r.status != c.status {
					t.Fatalf("status %d, want %d: %s", r.status, c.status, r.raw)
				}
				if c.status == 403 && r.str("code") != residence.EPurposeMissing {
					t.Errorf("code %q, want purpose_missing", r.str("code"))
				}
			})
		}
		// Staff keep their rights without purposes.
		op := h.staffToken(residence.RoleOperator)
		for _, p := range []string{regs, res, feed} {
			h.must(h.do("GET", p, op, nil), 200)
		}
		// Each agency read is in the person's log with its purpose.
		log := h.accessLog("owner")
		wantRead(t, log, "agency", "", "registrations", "address:read")
		wantRead(t, log, "agency", "", "events", "events:read")
		wantRead(t, h.accessLog("tenant"), "agency", "", "residents", "residents:read")
		wantRead(t, log, "operator", "", "events", "staff")
	})
}

// TestParentReadsOnlyWhileLegalRepresentative: a parent reads a child's
// data while the child is under 18; a guardian reads their ward's; a parent
// of an 18-year-old is refused, and cannot apply for them.
func TestParentReadsOnlyWhileLegalRepresentative(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		parent := h.login("parent")
		h.must(h.do("GET", "/api/v1/persons/"+h.iin("child15")+"/registrations", parent, nil), 200)
		r := h.must(h.do("GET", "/api/v1/persons/"+h.iin("adultChild")+"/registrations", parent, nil), 403)
		if r.str("code") != "forbidden" {
			t.Errorf("code %q", r.str("code"))
		}
		h.must(h.do("GET", "/api/v1/persons/"+h.iin("ward")+"/registrations", h.login("guardian"), nil), 200)
		wantRead(t, h.accessLog("child15"), "citizen", h.iin("parent"), "registrations", "legal_representative")
		for _, rd := range h.accessLog("adultChild") {
			if rd.Details.What == "registrations" {
				t.Errorf("a refused read is in the log: %+v", rd)
			}
		}
	})
}

// TestDecisionsAboutOthersAreDiscreet: whoever applies for a person they
// do not represent learns only "you cannot apply for this person": not that
// the person is dead, a minor, a ward or a foreigner, and not their address.
func TestDecisionsAboutOthersAreDiscreet(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		for _, c := range []struct{ applicant, subject, rka string }{
			{"stranger", "dead", "ownFlat"}, {"stranger", "child15", "ownFlat"}, {"stranger", "ward", "ownFlat"},
			{"stranger", "foreigner", "ownFlat"}, {"stranger", "tenant", "ownFlat"}, {"parent", "adultChild", "ownFlat"},
			// The hotel's representative may petition for a guest, but does
			// not learn that the guest is back from abroad.
			{"hotelRep", "abroad", "hotel"},
		} {
			t.Run(c.applicant+"/"+c.subject, func(t *testing.T) {
				h.clock.Advance(61 * time.Minute) // a fresh hour: no cap on the applicant's codes
				app := h.must(h.apply(c.applicant, c.subject, c.rka, nil, "Accept-Language", "en"), 201)
				views := []response{app,
					h.must(h.do("GET", "/api/v1/applications/"+app.str("id"), "", nil, "Accept-Language", "en"), 200),
					h.must(h.do("GET", "/api/v1/applications/"+app.str("id"), h.login(c.applicant), nil, "Accept-Language", "en"), 200)}
				for _, v := range views {
					if v.str("status") != "rejected" || v.str("decision", "rule") != "APPLICANT_AUTHORITY" ||
						v.str("decision", "message") != "You cannot apply for this person." {
						t.Errorf("decision shown to the applicant: %s", v.raw)
					}
					if strings.Contains(string(v.raw), "effects") {
						t.Errorf("effects shown: %s", v.raw)
					}
				}
				if c.subject == "abroad" {
					real := h.must(h.do("GET", "/api/v1/applications/"+app.str("id"), h.staffToken(residence.RoleOperator), nil), 200)
					if real.str("status") != "in_person_required" || real.str("decision", "rule") != "ARRIVAL_FROM_ABROAD" {
						t.Fatalf("set-up: the hotel's petition for a citizen back from abroad: %s", real.raw)
					}
				}
				hist := h.must(h.do("GET", "/api/v1/me/history", h.login(c.applicant), nil, "Accept-Language", "en"), 200)
				for _, rule := range []string{"SUBJECT_ALIVE", "SUBJECT_AGE", "SUBJECT_CITIZEN", "ARRIVAL_FROM_ABROAD"} {
					if strings.Contains(string(hist.raw), rule) {
						t.Errorf("history shows %s: %s", rule, hist.raw)
					}
				}
			})
		}
		// The subject sees the real decision; staff too.
		h.clock.Advance(61 * time.Minute)
		app := h.must(h.apply("stranger", "child15", "ownFlat", nil), 201)
		own := h.must(h.do("GET", "/api/v1/applications/"+app.str("id"), h.login("child15"), nil), 200)
		if own.str("decision", "rule") != "APPLICANT_AUTHORITY" || own.str("decision", "message") == "You cannot apply for this person." {
			t.Errorf("the subject's view: %s", own.raw)
		}
		dead := h.must(h.apply("stranger", "dead", "ownFlat", nil), 201)
		staff := h.must(h.do("GET", "/api/v1/applications/"+dead.str("id"), h.staffToken(residence.RoleOperator), nil), 200)
		if staff.str("decision", "rule") != "SUBJECT_ALIVE" {
			t.Errorf("staff view: %s", staff.raw)
		}
	})
}

// TestOwnersReadsAreLogged: what an owner is shown of an applicant and a
// subject (the pending requests, the answer to their confirmation, the
// residents of their premises) is in those persons' access logs.
func TestOwnersReadsAreLogged(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		app := h.must(h.apply("tenant", "tenant", "coFlat", nil), 201)
		if app.str("status") != "awaiting_consent" {
			t.Fatalf("set-up: %s", app.raw)
		}
		// coA lists the requests waiting for them.
		pending := h.must(h.do("GET", "/api/v1/me/consents", h.login("coA"), nil), 200)
		if !strings.Contains(string(pending.raw), h.iin("tenant")) {
			t.Fatalf("coA's pending consents: %s", pending.raw)
		}
		wantRead(t, h.accessLog("tenant"), "citizen", h.iin("coA"), "consent", "owner")
		// coB confirms with the code alone; the answer shows the application.
		taskB := taskFor(t, h, app.str("id"), "coB")
		conf := h.must(h.do("POST", "/api/v1/consents/"+taskB+"/confirm", "", map[string]string{"code": h.lastCode("coB")}), 200)
		if conf.str("applicant_iin") != h.iin("tenant") {
			t.Fatalf("confirm response: %s", conf.raw)
		}
		wantRead(t, h.accessLog("tenant"), "citizen", h.iin("coB"), "application", "owner")
		// The owner of "old" lists its residents; each resident sees it.
		h.must(h.do("GET", "/api/v1/premises/"+h.f.rka["old"]+"/residents", h.login("stranger"), nil), 200)
		wantRead(t, h.accessLog("guardian"), "citizen", h.iin("stranger"), "residents", "owner")
		// A parent's application shows the child's data to the parent: logged.
		h.must(h.apply("parent", "child15", "parentFlat", nil), 201)
		wantRead(t, h.accessLog("child15"), "citizen", h.iin("parent"), "application", "applicant")
	})
}

// TestAdaptersReadThroughTheService: the API, the pages and the web
// plumbing never touch the store: every read goes through a use case of
// residence.Service that authorises it and writes the access log.
func TestAdaptersReadThroughTheService(t *testing.T) {
	for _, dir := range []string{".", "../ui", "../web"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no Go files in %s: %v", dir, err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, banned := range []string{"residence.Store", "residence.Reader", "residence.Tx", ".Store()", "StatsReader"} {
				if strings.Contains(string(b), banned) {
					t.Errorf("%s uses %s: read through a residence.Service use case instead", f, banned)
				}
			}
		}
	}
}
