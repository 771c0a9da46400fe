package ui

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"tirkeu/internal/residence"
)

// TestMessages fails when a message lacks a language, or when a key used by
// a template or a handler is missing from the table.
func TestMessages(t *testing.T) {
	for k, v := range messages {
		if v.KK == "" || v.RU == "" || v.EN == "" {
			t.Errorf("message %q lacks a language: %+v", k, v)
		}
	}
	used := map[string]string{}
	keyInTemplate := regexp.MustCompile(`\bT "([^"]+)"`)
	names, _ := fs.Glob(files, "templates/*.html")
	for _, n := range names {
		b, _ := files.ReadFile(n)
		for _, m := range keyInTemplate.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = n
		}
	}
	keyInGo := regexp.MustCompile(`\b(?:tr|T)\("([^"]+)"\)|"(apply\.for_[a-z]+)"`)
	gos, _ := filepath.Glob("*.go")
	for _, n := range gos {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range keyInGo.FindAllStringSubmatch(string(b), -1) {
			used[m[1]+m[2]] = n
		}
	}
	// Keys built from the domain's values in templates ("status." + ...).
	var dynamic []string
	for _, s := range []residence.ApplicationStatus{residence.StatusSubmitted, residence.StatusRejected, residence.StatusInPersonRequired,
		residence.StatusAwaitingConsent, residence.StatusRegistered, residence.StatusExpired, residence.StatusDeregistered, residence.StatusWithdrawn} {
		dynamic = append(dynamic, "status."+string(s), "check."+string(s))
	}
	// What the page says after a submission, by the status it reached
	// (applicationPage), and the step indicator's stages (steps).
	for _, s := range []residence.ApplicationStatus{residence.StatusRejected, residence.StatusInPersonRequired,
		residence.StatusAwaitingConsent, residence.StatusRegistered, residence.StatusWithdrawn} {
		dynamic = append(dynamic, "done."+string(s))
	}
	dynamic = append(dynamic, "step.applied", "step.subject", "step.consent", "step.registered", "step.deregistered",
		"step.done", "step.current", "step.stopped", "step.todo", "withdraw.title")
	for _, k := range []residence.Kind{residence.Permanent, residence.Temporary} {
		dynamic = append(dynamic, "kind."+string(k))
	}
	for _, a := range []residence.Action{residence.ActionRegister, residence.ActionDeregister} {
		dynamic = append(dynamic, "action."+string(a))
	}
	for _, c := range []residence.Channel{residence.ChannelPortal, residence.ChannelMobile, residence.ChannelAPI, residence.ChannelPSC} {
		dynamic = append(dynamic, "channel."+string(c))
	}
	for _, c := range []residence.ConsentStatus{residence.ConsentPending, residence.ConsentConfirmed, residence.ConsentDeclined,
		residence.ConsentExpired, residence.ConsentLocked, residence.ConsentCancelled} {
		dynamic = append(dynamic, "consent."+string(c))
	}
	for _, c := range []residence.ConsentChannel{residence.ConsentSMS, residence.ConsentEDS, residence.ConsentPetition} {
		dynamic = append(dynamic, "consent_channel."+string(c))
	}
	for _, k := range []residence.ConsentKind{residence.ConsentKindOwner, residence.ConsentKindPetition, residence.ConsentKindSubject} {
		dynamic = append(dynamic, "consent_kind."+string(k))
	}
	for _, c := range []residence.ConsentChannel{residence.ConsentSMS, residence.ConsentEDS} {
		dynamic = append(dynamic, "consent_subject."+string(c))
	}
	for _, r := range []residence.EndReason{residence.EndMoved, residence.EndReplaced, residence.EndDeregisteredByOwner,
		residence.EndEmigrated, residence.EndDeceased, residence.EndExpired, residence.EndCourt} {
		dynamic = append(dynamic, "end."+string(r))
	}
	for _, r := range []residence.Role{residence.RoleCitizen, residence.RoleOperator, residence.RoleAgency, residence.RoleAdmin, residence.RoleSystem, "anonymous"} {
		dynamic = append(dynamic, "role."+string(r))
	}
	for _, k := range residence.PremisesKinds {
		dynamic = append(dynamic, "premises."+string(k))
	}
	for _, c := range []residence.Capacity{residence.CapacityFull, residence.CapacityPartial, residence.CapacityIncapable} {
		dynamic = append(dynamic, "capacity."+string(c))
	}
	for _, w := range []string{"registrations", "residents", "application", "consent", "events", "subjects", "applications", "trail", "check"} {
		dynamic = append(dynamic, "access."+w)
	}
	dynamic = append(dynamic, "reg.active", "reg.ended")
	dynamic = append(dynamic, "passport.title", "login.title", "apply.title", "application.title", "account.title", "owner.title",
		"operator.title", "trail.title", "stats.title", "error.title")
	for _, k := range dynamic {
		used[k] = "domain values"
	}
	if len(used) < 100 {
		t.Fatalf("found only %d keys in use; the scan is broken", len(used))
	}
	for k, where := range used {
		if _, ok := messages[k]; !ok {
			t.Errorf("message %q (used in %s) is missing", k, where)
		}
	}
}
