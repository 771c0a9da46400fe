package api_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"tirkeu/internal/registry"
	"tirkeu/internal/residence"
)

// These tests follow issue 15 end to end on both engines: temporary
// registrations end when their period passes, deaths imported from the
// registry end registrations, the service-centre channel, organisations'
// deregistrations and the police report of possible violations.

func day(d time.Time) string { return residence.DateOf(d).Format(time.DateOnly) }

// importLines loads extra registry lines into the harness's store.
func (h *harness) importLines(lines ...map[string]any) {
	h.t.Helper()
	var b strings.Builder
	enc := json.NewEncoder(&b)
	for _, l := range lines {
		_ = enc.Encode(l)
	}
	sum, err := registry.Import(context.Background(), h.st, strings.NewReader(b.String()), registry.Options{
		Clock:  h.clock,
		Report: func(line int, reason string) { h.t.Errorf("import line %d: %s", line, reason) }})
	if err != nil || sum.Bad != 0 {
		h.t.Fatalf("import: %+v %v", sum, err)
	}
}

// events returns the person's events of the type.
func (h *harness) events(name, typ string) []residence.Event {
	h.t.Helper()
	var evs []residence.Event
	err := h.st.View(context.Background(), func(r residence.Reader) error {
		var err error
		evs, err = r.PersonEvents(context.Background(), h.iin(name), []string{typ}, 500)
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return evs
}

func endedWith(regs []map[string]any, rka, kind, reason string) bool {
	for _, r := range regs {
		if r["rka"] == rka && r["kind"] == kind && r["status"] == "ended" && r["end_reason"] == reason {
			return true
		}
	}
	return false
}

func endReasons(evs []residence.Event, reason string) int {
	n := 0
	for _, e := range evs {
		var d map[string]any
		_ = json.Unmarshal(e.Data, &d)
		if d["end_reason"] == reason {
			n++
		}
	}
	return n
}

func TestTemporaryRegistrationsExpire(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		now := h.clock.Now()
		// One made by the import, one by the service.
		h.importLines(map[string]any{"type": "registration", "iin": h.iin("tenant"), "rka": h.f.rka["extra1"], "kind": "temporary",
			"since": day(now.AddDate(0, -3, 0)), "until": day(now.AddDate(0, 1, 0))})
		res := h.must(h.apply("owner", "owner", "extra0", map[string]any{"kind": "temporary",
			"stay_from": day(now), "stay_until": day(now.AddDate(0, 2, 0))}), 201)
		if res.str("status") != "registered" {
			t.Fatalf("temporary registration: %s", res.raw)
		}
		if n, err := h.svc.SweepExpiredRegistrations(context.Background()); err != nil || n != 0 {
			t.Fatalf("sweep before the end: %d %v", n, err)
		}

		// The service was down for three months: both periods have passed.
		h.clock.Advance(92 * 24 * time.Hour)

		// A lapsed registration never blocks a new application, swept or not.
		again := h.must(h.apply("owner", "owner", "extra0", map[string]any{"kind": "temporary",
			"stay_from": day(h.clock.Now()), "stay_until": day(h.clock.Now().AddDate(0, 2, 0))}), 201)
		if again.str("status") != "registered" {
			t.Fatalf("a lapsed registration blocked a new one: %s", again.raw)
		}
		if !endedWith(h.registrations("owner"), h.f.rka["extra0"], "temporary", "expired") {
			t.Fatalf("the lapsed registration did not end as expired: %v", h.registrations("owner"))
		}

		n, err := h.svc.SweepExpiredRegistrations(context.Background())
		if err != nil || n != 1 {
			t.Fatalf("sweep ended %d (%v), want the imported one", n, err)
		}
		regs := h.registrations("tenant")
		if !endedWith(regs, h.f.rka["extra1"], "temporary", "expired") {
			t.Fatalf("the imported registration did not expire: %v", regs)
		}
		if !activeAt(regs, h.f.rka["old"], "permanent") {
			t.Fatalf("the permanent registration was touched: %v", regs)
		}
		if got := endReasons(h.events("tenant", residence.EventRegistrationEnded), "expired"); got != 1 {
			t.Fatalf("%d expiry events for the tenant, want 1", got)
		}
		if n, err := h.svc.SweepExpiredRegistrations(context.Background()); err != nil || n != 0 {
			t.Fatalf("a second sweep ended %d (%v)", n, err)
		}
		if got := endReasons(h.events("tenant", residence.EventRegistrationEnded), "expired"); got != 1 {
			t.Fatalf("%d expiry events after the second sweep, want 1", got)
		}
		// Importing the same file again does not revive it.
		h.importLines(map[string]any{"type": "registration", "iin": h.iin("tenant"), "rka": h.f.rka["extra1"], "kind": "temporary",
			"since": day(now.AddDate(0, -3, 0)), "until": day(now.AddDate(0, 1, 0))})
		if activeAt(h.registrations("tenant"), h.f.rka["extra1"], "temporary") {
			t.Fatal("re-import revived an expired registration")
		}
	})
}

func TestImportedDeathEndsRegistrations(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		p := h.f.p["friend"]
		person := map[string]any{"type": "person", "iin": p.iin, "last_name": "Тестов", "first_name": p.name,
			"birth_date": p.born.Format(time.DateOnly), "citizenship": "KZ", "capacity": "full", "deceased": true}
		h.importLines(person)
		regs := h.registrations("friend")
		if !endedWith(regs, h.f.rka["old"], "permanent", "deceased") {
			t.Fatalf("registrations of the deceased: %v", regs)
		}
		if got := endReasons(h.events("friend", residence.EventRegistrationEnded), "deceased"); got != 1 {
			t.Fatalf("%d deceased events, want 1", got)
		}
		// The registry still lists the registration: importing it again
		// neither revives it nor ends it twice.
		h.importLines(person, map[string]any{"type": "registration", "iin": p.iin, "rka": h.f.rka["old"], "kind": "permanent", "since": "2020-01-01"})
		if !endedWith(h.registrations("friend"), h.f.rka["old"], "permanent", "deceased") {
			t.Fatalf("re-import revived a dead person's registration: %v", h.registrations("friend"))
		}
		if got := endReasons(h.events("friend", residence.EventRegistrationEnded), "deceased"); got != 1 {
			t.Fatalf("re-import wrote %d deceased events, want 1", got)
		}
		// A dead person's registration listed for the first time does not stay active.
		h.importLines(map[string]any{"type": "registration", "iin": p.iin, "rka": h.f.rka["extra3"], "kind": "temporary",
			"since": day(h.clock.Now().AddDate(0, -1, 0)), "until": day(h.clock.Now().AddDate(0, 3, 0))})
		if activeAt(h.registrations("friend"), h.f.rka["extra3"], "temporary") {
			t.Fatal("a registration of a dead person was imported active")
		}
	})
}

// psc posts to the service-centre API with an operator's token.
func (h *harness) psc(path, token string, body map[string]any) response {
	h.t.Helper()
	return h.do("POST", "/api/v1/psc/"+path, token, body)
}

func (h *harness) applicationsOf(name string) int {
	h.t.Helper()
	var n int
	err := h.st.View(context.Background(), func(r residence.Reader) error {
		apps, err := r.ApplicationsFor(context.Background(), h.iin(name), 100)
		n = len(apps)
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

func (h *harness) statsTotal() int {
	h.t.Helper()
	s, err := h.svc.Stats(context.Background(), h.clock.Now().AddDate(0, 0, -1), h.clock.Now().AddDate(0, 0, 1))
	if err != nil {
		h.t.Fatal(err)
	}
	return s.Total
}

func TestServiceCentreRegistersWithDocuments(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		op := h.staffToken(residence.RoleOperator)
		// A flat co-owned by a minor: online it is in_person_required.
		online := h.must(h.apply("adultCoOwner", "adultCoOwner", "minorFlat", nil), 201)
		if online.str("status") != "in_person_required" {
			t.Fatalf("online: %s", online.raw)
		}
		apps, total := h.applicationsOf("adultCoOwner"), h.statsTotal()
		body := map[string]any{"kind": "permanent", "applicant_iin": h.iin("adultCoOwner"), "rka": h.f.rka["minorFlat"],
			"documents": []string{"identity", "owner_consent"}}

		// Form mistakes at the counter: field errors, nothing recorded.
		mistakes := []struct {
			name  string
			edit  func(map[string]any)
			field string
		}{
			{"the representative's documents not checked", func(map[string]any) {}, "doc_representative"},
			{"no documents at all", func(b map[string]any) { delete(b, "documents") }, "doc_identity"},
			{"an unknown RKA", func(b map[string]any) {
				b["rka"], b["documents"] = "RKA-NOPE", []string{"identity", "representative", "owner_consent"}
			}, "rka"},
			{"dates out of range", func(b map[string]any) {
				b["kind"], b["documents"] = "temporary", []string{"identity", "representative", "owner_consent"}
				b["stay_from"], b["stay_until"] = day(h.clock.Now()), day(h.clock.Now().AddDate(2, 0, 0))
			}, "stay_until"},
			{"an unknown document", func(b map[string]any) { b["documents"] = []string{"identity", "passport_of_mars"} }, "documents"},
		}
		for _, m := range mistakes {
			b := map[string]any{}
			for k, v := range body {
				b[k] = v
			}
			m.edit(b)
			res := h.must(h.psc("applications", op, b), 422)
			if res.str("code") != "invalid" || res.str("field") != m.field {
				t.Errorf("%s: %s, want invalid on %s", m.name, res.raw, m.field)
			}
		}
		if got := h.applicationsOf("adultCoOwner"); got != apps {
			t.Fatalf("form mistakes recorded %d applications", got-apps)
		}
		if got := h.statsTotal(); got != total {
			t.Fatalf("form mistakes reached the statistics: %d, want %d", got, total)
		}

		// Not staff.
		h.must(h.psc("applications", "", body), 401)
		h.must(h.psc("applications", h.login("adultCoOwner"), body), 403)
		h.must(h.psc("applications", h.staffToken(residence.RoleAgency), body), 403)

		body["documents"] = []string{"identity", "representative", "owner_consent"}
		res := h.must(h.psc("applications", op, body), 201)
		if res.str("status") != "registered" || res.str("channel") != "psc" {
			t.Fatalf("with the documents: %s", res.raw)
		}
		ip, _ := res.body["decision"].(map[string]any)["in_person"].(map[string]any)
		if ip["operator"] != "test-operator" || len(ip["documents"].([]any)) != 3 {
			t.Fatalf("documents not recorded in the application: %v", ip)
		}
		if !activeAt(h.registrations("adultCoOwner"), h.f.rka["minorFlat"], "permanent") {
			t.Fatal("not registered")
		}
		evs := h.events("adultCoOwner", residence.EventDocumentsChecked)
		if len(evs) != 1 || !strings.Contains(string(evs[0].Data), "representative") || !strings.Contains(string(evs[0].Data), "test-operator") {
			t.Fatalf("documents event: %+v", evs)
		}

		// Arrived from abroad: the consular papers make it possible.
		abroad := map[string]any{"kind": "permanent", "applicant_iin": h.iin("abroad"), "rka": h.f.rka["ownFlat"],
			"documents": []string{"identity", "owner_consent"}}
		if r := h.must(h.psc("applications", op, abroad), 422); r.str("field") != "doc_consular_deregistration" {
			t.Fatalf("abroad without papers: %s", r.raw)
		}
		abroad["documents"] = []string{"identity", "owner_consent", "consular_deregistration"}
		if r := h.must(h.psc("applications", op, abroad), 201); r.str("status") != "registered" {
			t.Fatalf("abroad with papers: %s", r.raw)
		}

		// A trustee on a notarised power of attorney applies in the person's name.
		poa := map[string]any{"kind": "permanent", "applicant_iin": h.iin("mover"), "attorney_iin": h.iin("stranger"),
			"rka": h.f.rka["ownFlat"], "documents": []string{"identity", "owner_consent"}}
		if r := h.must(h.psc("applications", op, poa), 422); r.str("field") != "doc_power_of_attorney" {
			t.Fatalf("trustee without the power of attorney: %s", r.raw)
		}
		poa["documents"] = []string{"identity", "power_of_attorney", "owner_consent"}
		r := h.must(h.psc("applications", op, poa), 201)
		ip, _ = r.body["decision"].(map[string]any)["in_person"].(map[string]any)
		if r.str("status") != "registered" || ip["attorney_iin"] != h.iin("stranger") {
			t.Fatalf("trustee: %s", r.raw)
		}
	})
}

func TestServiceCentreDeregistrations(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		op := h.staffToken(residence.RoleOperator)
		stay := map[string]any{"kind": "temporary", "applicant_iin": h.iin("friend"), "rka": h.f.rka["hotel"],
			"stay_until": day(h.clock.Now().AddDate(0, 3, 0)), "documents": []string{"identity", "organisation_petition"}}
		h.must(h.psc("applications", op, stay), 201)
		stay["applicant_iin"] = h.iin("mover")
		h.must(h.psc("applications", op, stay), 201)
		owned := map[string]any{"kind": "permanent", "applicant_iin": h.iin("tenant"), "rka": h.f.rka["ownFlat"],
			"documents": []string{"identity", "owner_consent"}}
		h.must(h.psc("applications", op, owned), 201)

		// The owner asks at the counter.
		apps := h.applicationsOf("tenant")
		bad := map[string]any{"requester_iin": h.iin("owner"), "subject_iin": h.iin("tenant"), "rka": h.f.rka["ownFlat"]}
		if r := h.must(h.psc("deregistrations", op, bad), 422); r.str("field") != "doc_identity" {
			t.Fatalf("no documents: %s", r.raw)
		}
		bad["documents"], bad["subject_iin"] = []string{"identity"}, h.iin("member")
		if r := h.must(h.psc("deregistrations", op, bad), 422); r.str("field") != "subject_iin" {
			t.Fatalf("a person not registered there: %s", r.raw)
		}
		if got := h.applicationsOf("tenant"); got != apps {
			t.Fatal("a form mistake was recorded")
		}
		bad["subject_iin"] = h.iin("tenant")
		if r := h.must(h.psc("deregistrations", op, bad), 201); r.str("status") != "deregistered" {
			t.Fatalf("owner-requested: %s", r.raw)
		}
		if !endedWith(h.registrations("tenant"), h.f.rka["ownFlat"], "permanent", "deregistered_by_owner") {
			t.Fatal("owner-requested deregistration did not end the registration")
		}

		// The hotel asks at the counter, by its representative.
		org := map[string]any{"requester_iin": h.iin("hotelRep"), "bin": h.f.bin, "subject_iin": h.iin("friend"),
			"rka": h.f.rka["hotel"], "documents": []string{"identity"}}
		if r := h.must(h.psc("deregistrations", op, org), 422); r.str("field") != "doc_organisation_petition" {
			t.Fatalf("no petition: %s", r.raw)
		}
		org["documents"] = []string{"identity", "organisation_petition"}
		if r := h.must(h.psc("deregistrations", op, org), 201); r.str("status") != "deregistered" {
			t.Fatalf("organisation-requested: %s", r.raw)
		}
		if !endedWith(h.registrations("friend"), h.f.rka["hotel"], "temporary", "deregistered_by_owner") {
			t.Fatal("organisation-requested deregistration did not end the registration")
		}

		// The hotel's representative online: POST /api/v1/deregistrations.
		res := h.must(h.do("POST", "/api/v1/deregistrations", "", map[string]any{"owner_iin": h.iin("hotelRep"),
			"subject_iin": h.iin("mover"), "rka": h.f.rka["hotel"], "otp": h.signOTP("hotelRep")}), 201)
		if res.str("status") != "deregistered" {
			t.Fatalf("representative online: %s", res.raw)
		}
		if !endedWith(h.registrations("mover"), h.f.rka["hotel"], "temporary", "deregistered_by_owner") {
			t.Fatal("the representative's deregistration did not end the registration")
		}
		// Someone who does not represent the hotel is refused.
		stay["applicant_iin"] = h.iin("member")
		h.must(h.psc("applications", op, stay), 201)
		res = h.must(h.do("POST", "/api/v1/deregistrations", "", map[string]any{"owner_iin": h.iin("stranger"),
			"subject_iin": h.iin("member"), "rka": h.f.rka["hotel"], "otp": h.signOTP("stranger")}), 201)
		if res.str("status") != "rejected" {
			t.Fatalf("a stranger deregistered a hotel guest: %s", res.raw)
		}
	})
}

func TestViolationsReport(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		op := h.staffToken(residence.RoleOperator)
		h.importLines(map[string]any{"type": "premises", "rka": "RKA-EVIL", "region": "=HYPERLINK(\"http://x\")", "locality": "Астана",
			"building": "9", "kind": "apartment"},
			map[string]any{"type": "ownership", "rka": "RKA-EVIL", "owner_iin": h.iin("coB"), "share": 1})
		now := h.clock.Now()
		late := map[string]any{"kind": "temporary", "applicant_iin": h.iin("friend"), "rka": h.f.rka["ownFlat"],
			"arrived_on": day(now.AddDate(0, 0, -40)), "stay_until": day(now.AddDate(0, 6, 0)), "documents": []string{"identity", "owner_consent"}}
		res := h.must(h.psc("applications", op, late), 201)
		v, _ := res.body["decision"].(map[string]any)["violation"].(map[string]any)
		if v == nil || v["level"] != "fine" || v["resident"].(map[string]any)["fine_mci"] != 7.0 ||
			v["resident"].(map[string]any)["fine_kzt"] != 7.0*4325 {
			t.Fatalf("decision violation: %s", res.raw)
		}
		if owners := v["owners"].([]any); len(owners) != 1 || owners[0].(map[string]any)["fine_mci"] != 10.0 {
			t.Fatalf("owner's liability: %v", v["owners"])
		}
		if msg := v["messages"].(map[string]any); msg["kk"] == "" || msg["ru"] == "" || msg["en"] == "" {
			t.Fatalf("message not translated: %v", msg)
		}
		// The resident sees it on their decision, without the owner's IIN.
		mine := h.must(h.do("GET", res.header.Get("Location"), h.login("friend"), nil), 200)
		mv := mine.body["decision"].(map[string]any)["violation"].(map[string]any)
		if mv["owners"].([]any)[0].(map[string]any)["iin"] != nil || !strings.Contains(string(mine.raw), "art. 492") {
			t.Fatalf("resident's view: %s", mine.raw)
		}
		// A warning (20 days) at the hotel-like flat with a formula region.
		warn := map[string]any{"kind": "temporary", "applicant_iin": h.iin("member"), "rka": "RKA-EVIL",
			"arrived_on": day(now.AddDate(0, 0, -20)), "stay_until": day(now.AddDate(0, 6, 0)), "documents": []string{"identity", "owner_consent"}}
		h.must(h.psc("applications", op, warn), 201)
		// On time: no violation.
		onTime := map[string]any{"kind": "temporary", "applicant_iin": h.iin("stranger"), "rka": h.f.rka["coFlat"],
			"arrived_on": day(now.AddDate(0, 0, -5)), "stay_until": day(now.AddDate(0, 6, 0)), "documents": []string{"identity", "owner_consent"}}
		if r := h.must(h.psc("applications", op, onTime), 201); r.body["decision"].(map[string]any)["violation"] != nil {
			t.Fatalf("on time, yet a violation: %s", r.raw)
		}

		q := "/api/v1/reports/violations?from=" + day(now.AddDate(0, 0, -1)) + "&to=" + day(now.AddDate(0, 0, 1))
		h.must(h.do("GET", q, "", nil), 401)
		h.must(h.do("GET", q, h.login("friend"), nil), 403)
		h.must(h.do("GET", q, h.staffToken(residence.RoleAgency), nil), 403)
		for _, bad := range []string{"/api/v1/reports/violations", q + "&format=xml", "/api/v1/reports/violations?from=2026-01-01&to=2025-01-01",
			"/api/v1/reports/violations?from=2020-01-01&to=2026-01-01", "/api/v1/reports/violations?from=yesterday&to=2026-01-01"} {
			if r := h.do("GET", bad, op, nil); r.status != 422 || r.str("code") != "invalid" {
				t.Errorf("%s: %d %s", bad, r.status, r.raw)
			}
		}
		readsBefore := len(h.events("friend", residence.EventPersonalDataRead))

		js := h.must(h.do("GET", q+"&format=json", op, nil), 200)
		list := js.body["violations"].([]any)
		if len(list) != 2 {
			t.Fatalf("%d violations, want 2: %s", len(list), js.raw)
		}
		first := list[0].(map[string]any)
		if first["violation"].(map[string]any)["resident"].(map[string]any)["iin"] != h.iin("friend") || first["region"] != "Астана" {
			t.Fatalf("first entry: %v", first)
		}
		if got := len(h.events("friend", residence.EventPersonalDataRead)); got != readsBefore+1 {
			t.Fatalf("the report's read of the resident was not logged: %d reads, had %d", got, readsBefore)
		}
		if reads := h.events("owner", residence.EventPersonalDataRead); len(reads) == 0 || !strings.Contains(string(reads[0].Data), "violations") {
			t.Fatalf("the owner's read was not logged: %+v", reads)
		}

		cr := h.must(h.do("GET", q+"&format=csv", op, nil), 200)
		if ct := cr.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Fatalf("content type %q", ct)
		}
		rows, err := csv.NewReader(strings.NewReader(string(cr.raw))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 5 || rows[0][0] != "application_id" { // header, 2 residents, 2 owners
			t.Fatalf("CSV rows %d: %q", len(rows), cr.raw)
		}
		for _, row := range rows[1:] {
			for _, cell := range row {
				if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
					t.Fatalf("formula cell %q in %q", cell, row)
				}
			}
		}
		if !strings.Contains(string(cr.raw), `'=HYPERLINK(`) {
			t.Fatalf("the formula region is not escaped: %s", cr.raw)
		}

		// Public statistics: counts and amounts by year and region, no names.
		s, err := h.svc.Stats(context.Background(), now.AddDate(0, 0, -1), now.AddDate(0, 0, 1))
		if err != nil {
			t.Fatal(err)
		}
		var fines, warnings int
		var kzt int64
		for _, g := range s.Violations {
			fines, warnings, kzt = fines+g.Fines, warnings+g.Warnings, kzt+g.ResidentKZT+g.OwnerKZT
		}
		if fines != 1 || warnings != 1 || kzt != 7*4325+10*4325+10*4325 {
			t.Fatalf("stats violations %+v", s.Violations)
		}

		// A second late registration of the same resident within a year is repeated: 13 MCI.
		h.clock.Advance(24 * time.Hour)
		late["rka"], late["arrived_on"] = h.f.rka["extra2"], day(h.clock.Now().AddDate(0, 0, -45))
		r := h.must(h.psc("applications", op, late), 201)
		rv := r.body["decision"].(map[string]any)["violation"].(map[string]any)
		res2, own2 := rv["resident"].(map[string]any), rv["owners"].([]any)[0].(map[string]any)
		if res2["repeated"] != true || res2["fine_mci"] != 13.0 || own2["repeated"] != true || own2["fine_mci"] != 20.0 {
			t.Fatalf("repeated: %s", r.raw)
		}
	})
}
