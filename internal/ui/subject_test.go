package ui_test

import (
	"context"
	"net/url"
	"regexp"
	"testing"

	"tirkeu/internal/residence"
)

// The hotel's representative registers a guest: the guest's account shows
// the request, who applies and where, and lets the guest confirm; the
// application page lists the guest's own task.
func TestSubjectAnswersFromTheAccount(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	head, guest := e.person("hotel_head"), e.person("hotel_guest")
	if _, err := e.svc.RequestOTP(ctx, head.IIN, residence.OTPSign); err != nil {
		t.Fatal(err)
	}
	app, _, err := e.svc.Submit(ctx, residence.Actor{}, residence.SubmitInput{Kind: residence.Temporary, ApplicantIIN: head.IIN,
		SubjectIIN: guest.IIN, RKA: head.RKA, StayFrom: residence.DateOf(today), StayUntil: residence.AddMonths(residence.DateOf(today), 3),
		Channel: residence.ChannelPortal, OTP: e.lastCode(head.IIN)})
	if err != nil || app.Status != residence.StatusAwaitingConsent || app.Decision.Rule != residence.RuleSubjectConsent {
		t.Fatalf("Submit = %s %s, %v", app.Status, app.Decision.Rule, err)
	}
	code := e.lastCode(guest.IIN)

	h := e.client("en")
	h.signIn(head.IIN)
	_, body := h.get("/applications/" + app.ID)
	mustContain(t, body, "The person being registered", "The person's confirmation: SMS code from 1414", "Waiting")

	g := e.client("en")
	g.signIn(guest.IIN)
	_, body = g.get("/account")
	mustContain(t, body, "Requests waiting for your answer", "An application to register you", "Мұқанова", "Қабанбай батыр",
		"Someone else made this application for you")
	// The account links to the page where the person answers.
	link := regexp.MustCompile(`href="/owner#request-([^"]+)"`).FindStringSubmatch(body)
	if link == nil {
		t.Fatalf("no link to answer from the subject's account:\n%s", excerpt(body))
	}
	_, body = g.get("/owner")
	m := regexp.MustCompile(`action="/owner/consents/([^/]+)/confirm"`).FindStringSubmatch(body)
	if m == nil || m[1] != link[1] {
		t.Fatalf("no answer form for request %s on the answer page:\n%s", link[1], excerpt(body))
	}
	st, body := g.post("/owner/consents/"+m[1]+"/confirm", url.Values{"code": {code}})
	if st != 200 {
		t.Fatalf("confirm: %d\n%s", st, excerpt(body))
	}
	mustContain(t, body, "Your consent has been recorded.")
	_, body = g.get("/account")
	mustContain(t, body, "Қабанбай батыр", "Temporary")
	if regexp.MustCompile(`id="pending-requests"`).MatchString(body) {
		t.Fatal("the answered request is still pending")
	}
}

// A stranger locks an owner's consent task with wrong codes: the owner's
// page still shows the request, says why it takes no code, and lets the
// owner decline it.
func TestOwnerDeclinesALockedTask(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tenant, co1 := e.person("tenant"), e.person("co_owner_1")
	if _, err := e.svc.RequestOTP(ctx, tenant.IIN, residence.OTPSign); err != nil {
		t.Fatal(err)
	}
	app, _, err := e.svc.Submit(ctx, residence.Actor{}, residence.SubmitInput{Kind: residence.Permanent, ApplicantIIN: tenant.IIN,
		RKA: tenant.RKA, Channel: residence.ChannelPortal, OTP: e.lastCode(tenant.IIN)})
	if err != nil || app.Status != residence.StatusAwaitingConsent {
		t.Fatalf("Submit = %s, %v", app.Status, err)
	}
	view, err := e.svc.Application(ctx, residence.Actor{Role: residence.RoleAdmin, Name: "test"}, app.ID)
	if err != nil {
		t.Fatal(err)
	}
	var task string
	for _, c := range view.Consents {
		if c.OwnerIIN == co1.IIN {
			task = c.ID
		}
	}
	wrong := "000000"
	if e.lastCode(co1.IIN) == wrong {
		wrong = "111111"
	}
	for range 5 {
		_, _ = e.svc.ConfirmConsent(ctx, residence.Actor{}, task, residence.ConsentAnswer{Code: wrong})
	}

	o := e.client("en")
	o.signIn(co1.IIN)
	_, body := o.get("/owner")
	mustContain(t, body, `id="request-`+task+`"`, "Too many wrong codes", `href="/owner/consents/`+task+`/decline"`)
	if regexp.MustCompile(`id="code-` + task + `"`).MatchString(body) {
		t.Fatal("a locked task still offers a code field")
	}
	_, body = o.get("/owner/consents/" + task + "/decline")
	mustContain(t, body, "Confirm that you decline", `action="/owner/consents/`+task+`/decline"`)
	st, body := o.post("/owner/consents/"+task+"/decline", url.Values{})
	if st != 200 {
		t.Fatalf("decline: %d\n%s", st, excerpt(body))
	}
	mustContain(t, body, "Your refusal has been recorded.")
}
