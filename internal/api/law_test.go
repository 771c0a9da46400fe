package api_test

import (
	"context"
	"strings"
	"testing"

	"tirkeu/internal/residence"
)

// changeRegistry writes to the registries as an import would, while an
// application waits.
func (h *harness) changeRegistry(fn func(ctx context.Context, tx residence.Tx) error) {
	h.t.Helper()
	ctx := context.Background()
	if err := h.st.InTx(ctx, func(tx residence.Tx) error { return fn(ctx, tx) }); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) markDeceased(name string) {
	h.t.Helper()
	h.changeRegistry(func(ctx context.Context, tx residence.Tx) error {
		p, err := tx.Person(ctx, h.iin(name))
		if err != nil {
			return err
		}
		p.Deceased = true
		return tx.UpsertPersons(ctx, []residence.Person{p})
	})
}

// confirm answers the owner's task of the application with the code sent
// to them.
func (h *harness) confirm(t *testing.T, appID, owner string) response {
	t.Helper()
	return h.must(h.do("POST", "/api/v1/consents/"+taskFor(t, h, appID, owner)+"/confirm", "", map[string]string{"code": h.lastCode(owner)}), 200)
}

// asStaff returns the application as an operator sees it: whole, never the
// discreet view a consenting owner gets of a decision about the subject.
func (h *harness) asStaff(t *testing.T, appID string) response {
	t.Helper()
	return h.must(h.do("GET", "/api/v1/applications/"+appID, h.staffToken(residence.RoleOperator), nil), 200)
}

// TestCompletionRechecksTheRules: when the last consent arrives, the rules
// run again on the facts of that moment, so a change made while consent was
// pending decides, and nothing stale is registered.
func TestCompletionRechecksTheRules(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		t.Run("an owner died after consenting", func(t *testing.T) {
			appID, _ := awaitTwoOwners(t, h)
			h.confirm(t, appID, "coA")
			h.markDeceased("coA")
			res := h.confirm(t, appID, "coB")
			if res.str("status") != "in_person_required" || res.str("decision", "rule") != "OWNER_UNKNOWN" || len(res.body["decision"].(map[string]any)["documents"].([]any)) == 0 {
				t.Fatalf("last consent after an owner's death: %s", res.raw)
			}
			if h.permanentAt("tenant", "coFlat") || !h.permanentAt("tenant", "old") {
				t.Fatal("registered at a flat whose owner died while consent was pending")
			}
		})
	})
	eachEngine(t, func(t *testing.T, h *harness) {
		t.Run("a share was sold while consent was pending", func(t *testing.T) {
			appID, _ := awaitTwoOwners(t, h)
			h.confirm(t, appID, "coA")
			h.changeRegistry(func(ctx context.Context, tx residence.Tx) error {
				return tx.UpsertOwnerships(ctx, []residence.Ownership{{RKA: h.f.rka["coFlat"], OwnerIIN: h.iin("stranger"), Share: 0.25}})
			})
			res := h.confirm(t, appID, "coB")
			if res.str("status") != "rejected" || res.str("decision", "rule") != "OWNERS_CHANGED" || res.str("decision", "legal_basis") == "" {
				t.Fatalf("last consent after a sale: %s", res.raw)
			}
			if h.permanentAt("tenant", "coFlat") || !h.permanentAt("tenant", "old") {
				t.Fatal("registered without the new owner's consent")
			}
		})
	})
	eachEngine(t, func(t *testing.T, h *harness) {
		t.Run("the subject registered elsewhere while consent was pending", func(t *testing.T) {
			res := h.must(h.apply("owner", "owner", "coFlat", nil), 201)
			if res.str("status") != "awaiting_consent" {
				t.Fatalf("owner at the co-owned flat: %s", res.raw)
			}
			appID := res.str("id")
			if own := h.must(h.apply("owner", "owner", "ownFlat", nil), 201); own.str("status") != "registered" {
				t.Fatalf("owner in their own flat: %s", own.raw)
			}
			h.confirm(t, appID, "coA")
			res = h.confirm(t, appID, "coB")
			if res.str("status") != "rejected" || res.str("decision", "rule") != "REGISTERED_MEANWHILE" {
				t.Fatalf("last consent after a registration elsewhere: %s", res.raw)
			}
			if h.permanentAt("owner", "coFlat") || !h.permanentAt("owner", "ownFlat") {
				t.Fatal("a stale application undid the later registration")
			}
		})
	})
	eachEngine(t, func(t *testing.T, h *harness) {
		t.Run("the subject died while consent was pending", func(t *testing.T) {
			appID, _ := awaitTwoOwners(t, h)
			h.confirm(t, appID, "coA")
			h.markDeceased("tenant")
			if res := h.confirm(t, appID, "coB"); res.str("status") != "rejected" {
				t.Fatalf("last consent after the subject's death: %s", res.raw)
			}
			res := h.asStaff(t, appID)
			if res.str("status") != "rejected" || res.str("decision", "rule") != "SUBJECT_ALIVE" {
				t.Fatalf("last consent after the subject's death: %s", res.raw)
			}
			if h.permanentAt("tenant", "coFlat") {
				t.Fatal("a deceased person was registered")
			}
		})
	})
}

// TestLawRules: one HTTP case for each rule changed by issue 15.
func TestLawRules(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		h.changeRegistry(func(ctx context.Context, tx residence.Tx) error {
			return tx.UpsertPremises(ctx, []residence.Premises{{RKA: "RKA-T-NOOWNER", Region: "Астана", Locality: "Астана",
				Street: "Сарайшық", Building: "9", Unit: "9", Kind: residence.PremisesApartment}})
		})
		t.Run("premises without an owner record: in person", func(t *testing.T) {
			res := h.must(h.apply("mover", "mover", "", map[string]any{"rka": "RKA-T-NOOWNER"}), 201)
			if res.str("status") != "in_person_required" || res.str("decision", "rule") != "OWNER_UNKNOWN" || res.body["decision"].(map[string]any)["documents"] == nil {
				t.Fatalf("no owner record: %s", res.raw)
			}
		})
		t.Run("a stay starting later is not registered in advance", func(t *testing.T) {
			res := h.must(h.apply("owner", "owner", "extra1", map[string]any{"kind": "temporary", "stay_from": "2027-01-10", "stay_until": "2027-06-10"},
				"Accept-Language", "en"), 201)
			if res.str("status") != "rejected" || res.str("decision", "rule") != "TEMPORARY_PERIOD" || !strings.Contains(res.str("decision", "message"), "not begun") {
				t.Fatalf("future stay: %s", res.raw)
			}
		})
		t.Run("a stay begun months ago counts from today", func(t *testing.T) {
			// 14 months in all, 11 of them from today.
			res := h.must(h.apply("owner", "owner", "extra1", map[string]any{"kind": "temporary", "stay_from": "2026-08-22", "stay_until": "2027-10-22"}), 201)
			if res.str("status") != "registered" {
				t.Fatalf("a stay with eleven months left: %s", res.raw)
			}
			if !activeAt(h.registrations("owner"), h.f.rka["extra1"], "temporary") {
				t.Fatal("no temporary registration")
			}
		})
		t.Run("permanent where temporarily registered ends the temporary one", func(t *testing.T) {
			res := h.must(h.apply("owner", "owner", "extra1", nil), 201)
			if res.str("status") != "registered" {
				t.Fatalf("permanent over temporary: %s", res.raw)
			}
			regs := h.registrations("owner")
			if !activeAt(regs, h.f.rka["extra1"], "permanent") || activeAt(regs, h.f.rka["extra1"], "temporary") {
				t.Fatalf("both kinds at one address: %v", regs)
			}
			replaced := false
			for _, r := range regs {
				replaced = replaced || (r["rka"] == h.f.rka["extra1"] && r["kind"] == "temporary" && r["end_reason"] == "replaced")
			}
			if !replaced {
				t.Fatalf("the temporary registration did not end as replaced: %v", regs)
			}
		})
		t.Run("temporary at one's own permanent address is refused", func(t *testing.T) {
			res := h.must(h.apply("owner", "owner", "extra1", map[string]any{"kind": "temporary", "stay_from": "2026-11-22", "stay_until": "2027-03-22"}), 201)
			if res.str("status") != "rejected" || res.str("decision", "rule") != "ALREADY_REGISTERED" {
				t.Fatalf("temporary at the permanent address: %s", res.raw)
			}
		})
		t.Run("a citizen back from abroad registers a temporary stay online", func(t *testing.T) {
			res := h.must(h.apply("abroad", "abroad", "ownFlat", map[string]any{"kind": "temporary", "stay_from": "2026-11-22", "stay_until": "2027-03-22"}), 201)
			if res.str("status") != "awaiting_consent" || res.str("decision", "rule") != "OWNER_CONSENT" {
				t.Fatalf("temporary stay from abroad: %s", res.raw)
			}
		})
		t.Run("the legal basis is in the reader's language", func(t *testing.T) {
			res := h.must(h.apply("parent", "child13", "parentFlat", nil, "Accept-Language", "kk"), 201)
			bases := res.body["decision"].(map[string]any)["legal_bases"].(map[string]any)
			if res.str("decision", "legal_basis") != bases["kk"] || bases["kk"] == bases["en"] || !strings.Contains(bases["kk"].(string), "Азаматтық кодексі") {
				t.Fatalf("legal basis not in Kazakh: %s", res.raw)
			}
		})
		t.Run("a child under 14 has a parent's address, marked derived", func(t *testing.T) {
			for _, tok := range []string{h.staffToken(residence.RoleOperator), h.login("parent")} {
				res := h.must(h.do("GET", "/api/v1/persons/"+h.iin("child13")+"/registrations", tok, nil), 200)
				var derived []map[string]any
				for _, r := range res.body["registrations"].([]any) {
					if m := r.(map[string]any); m["derived_from"] != nil {
						derived = append(derived, m)
					}
				}
				if len(derived) != 1 {
					t.Fatalf("want one derived address: %s", res.raw)
				}
				d := derived[0]
				from := d["derived_from"].(map[string]any)
				if d["rka"] != h.f.rka["old"] || d["iin"] != h.iin("child13") || from["iin"] != h.iin("parent") || from["relation"] != "parent" || d["address"] == "" {
					t.Fatalf("derived address %v", d)
				}
			}
			res := h.must(h.do("GET", "/api/v1/persons/"+h.iin("child15")+"/registrations", h.staffToken(residence.RoleOperator), nil), 200)
			if strings.Contains(string(res.raw), "derived_from") {
				t.Fatalf("a child of 15 got a derived address: %s", res.raw)
			}
			// The parent's address was read: it is in the parent's access log.
			events, err := h.svc.AccessLog(context.Background(), residence.Actor{Role: residence.RoleCitizen, IIN: h.iin("parent")}, 50)
			if err != nil {
				t.Fatal(err)
			}
			logged := false
			for _, e := range events {
				logged = logged || (e.Type == residence.EventPersonalDataRead && e.ActorIIN == "")
			}
			if !logged {
				t.Fatalf("the parent's access log does not show the operator's read: %+v", events)
			}
		})
	})
}
