package ui_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"tirkeu/internal/residence"
)

// awaitCoOwners submits the tenant's application to the flat of two
// co-owners and returns it with the co-owners' task ids (by role).
func awaitCoOwners(t *testing.T, e *env) (residence.Application, map[string]string) {
	t.Helper()
	ctx := context.Background()
	tenant := e.person("tenant")
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
	tasks := map[string]string{}
	for _, c := range view.Consents {
		for _, role := range []string{"co_owner_1", "co_owner_2"} {
			if c.OwnerIIN == e.person(role).IIN {
				tasks[role] = c.ID
			}
		}
	}
	if len(tasks) != 2 {
		t.Fatalf("tasks %v, want the two co-owners'", tasks)
	}
	return app, tasks
}

var consentRowRE = regexp.MustCompile(`(?s)<tr class="consent-[a-z]+" id="consent-[^"]+">(.*?)</tr>`)

// TestFollowPendingApplication: the applicant's page of a pending
// application shows its short reference, the steps with the current one
// marked, one distinct row per co-owner (initials and masked IIN, never the
// whole IIN), and reloads itself; the application's page in the API holds
// the same reference.
func TestFollowPendingApplication(t *testing.T) {
	e := newEnv(t)
	app, _ := awaitCoOwners(t, e)
	c := e.client("en")
	c.signIn(e.person("tenant").IIN)
	st, body := c.get("/applications/" + app.ID + "?done=submitted")
	if st != 200 {
		t.Fatalf("application page: %d", st)
	}
	ref := residence.Reference(app.ID)
	mustContain(t, body, "Your application has been signed and submitted. The application now waits for the owners' consent",
		`id="reference">`+ref+`<`, `<body data-refresh="30">`, "refreshes by itself", `id="refresh-now"`,
		`<li class="step step-done"><span class="step-name">Applied</span>`,
		`<li class="step step-current" aria-current="step"><span class="step-name">Owners' consent</span> <span class="step-state">(current step)</span>`,
		`<li class="step step-todo"><span class="step-name">Registered</span>`,
		"Н*** Ж***", "К*** Д***", `href="/applications/`+app.ID+`/withdraw"`)
	if n := strings.Count(body, `aria-current="step"`); n != 1 {
		t.Errorf("%d steps marked current, want 1", n)
	}
	rows := consentRowRE.FindAllStringSubmatch(body, -1)
	if len(rows) != 2 || rows[0][1] == rows[1][1] {
		t.Fatalf("consent rows %d, want two distinct:\n%s", len(rows), excerpt(body))
	}
	for _, role := range []string{"co_owner_1", "co_owner_2"} {
		iin := e.person(role).IIN
		if strings.Contains(body, iin) {
			t.Errorf("the applicant's page shows %s's whole IIN", role)
		}
		mustContain(t, body, residence.MaskIIN(iin))
	}
	// The co-owner reading the same application sees where to answer, and
	// no withdrawal.
	o := e.client("en")
	o.signIn(e.person("co_owner_1").IIN)
	_, body = o.get("/applications/" + app.ID)
	mustContain(t, body, `href="/owner#request-`)
	if strings.Contains(body, "/withdraw") {
		t.Error("a co-owner is offered the withdrawal")
	}
}

// TestWithdrawOnThePages: the applicant withdraws after a confirmation
// step; the page then says so, shows where the application stopped and no
// longer reloads; the co-owners' requests are gone. Nobody else withdraws.
func TestWithdrawOnThePages(t *testing.T) {
	e := newEnv(t)
	app, tasks := awaitCoOwners(t, e)
	path := "/applications/" + app.ID + "/withdraw"

	o := e.client("en")
	o.signIn(e.person("co_owner_1").IIN)
	if st, _ := o.post(path, url.Values{}); st != 403 {
		t.Errorf("a co-owner withdraws: %d, want 403", st)
	}

	c := e.client("en")
	c.signIn(e.person("tenant").IIN)
	st, body := c.get(path)
	if st != 200 {
		t.Fatalf("confirmation page: %d", st)
	}
	mustContain(t, body, "Do you want to withdraw this application?", residence.Reference(app.ID),
		`action="`+path+`"`, `id="withdraw-cancel"`)
	if st, _ := c.post(path, url.Values{"csrf": {"forged"}}); st != 403 {
		t.Errorf("withdrawal without the form's token: %d, want 403", st)
	}
	if got := status(t, e, app.ID); got != residence.StatusAwaitingConsent {
		t.Fatalf("the confirmation page (or a forged form) changed the application: %s", got)
	}
	c.get(path) // the form's token
	st, body = c.post(path, url.Values{})
	if st != 200 {
		t.Fatalf("withdraw: %d\n%s", st, excerpt(body))
	}
	mustContain(t, body, "You have withdrawn the application", `id="status">Withdrawn<`,
		`<li class="step step-stopped" aria-current="step"><span class="step-name">Owners' consent</span> <span class="step-state">(stopped)</span>`,
		"Cancelled")
	if strings.Contains(body, `data-refresh`) || strings.Contains(body, `id="withdraw-start"`) {
		t.Error("a withdrawn application's page still reloads or offers the withdrawal")
	}
	if got := status(t, e, app.ID); got != residence.StatusWithdrawn {
		t.Fatalf("status %s, want withdrawn", got)
	}
	// A second try (Back, then the button again) says it is decided.
	if st, _ := c.post(path, url.Values{}); st != 409 {
		t.Errorf("withdrawn twice: %d, want 409", st)
	}
	_, body = o.get("/owner")
	if strings.Contains(body, `id="request-`+tasks["co_owner_1"]+`"`) {
		t.Error("the co-owner's request survived the withdrawal")
	}
	mustContain(t, body, "No requests") // the owner's page says none wait
}

func status(t *testing.T, e *env, id string) residence.ApplicationStatus {
	t.Helper()
	v, err := e.svc.Application(context.Background(), residence.Actor{Role: residence.RoleAdmin, Name: "test"}, id)
	if err != nil {
		t.Fatal(err)
	}
	return v.Application.Status
}

// TestAccountLinksToAnswerAndDeclineConfirms: the account lists the
// co-owner's request with a link to the owner's page, where the answer
// forms are; declining there goes through a confirmation page first.
func TestAccountLinksToAnswerAndDeclineConfirms(t *testing.T) {
	e := newEnv(t)
	app, tasks := awaitCoOwners(t, e)
	task := tasks["co_owner_1"]
	o := e.client("en")
	o.signIn(e.person("co_owner_1").IIN)
	_, body := o.get("/account")
	mustContain(t, body, `id="request-`+task+`"`, `href="/owner#request-`+task+`"`, "Петрова")
	if strings.Contains(body, `action="/owner/consents/`) {
		t.Error("the account still holds the answer forms")
	}
	_, body = o.get("/owner")
	mustContain(t, body, `action="/owner/consents/`+task+`/confirm"`, "Consent code (6 digits from the SMS)",
		"Your sign-in code does not work here", `href="/owner/consents/`+task+`/decline"`)

	st, body := o.get("/owner/consents/" + task + "/decline")
	if st != 200 {
		t.Fatalf("decline confirmation: %d", st)
	}
	mustContain(t, body, "Confirm that you decline", "this cannot be undone", "Петрова",
		`action="/owner/consents/`+task+`/decline"`, `href="/owner#request-`+task+`"`)
	if got := status(t, e, app.ID); got != residence.StatusAwaitingConsent {
		t.Fatalf("opening the confirmation declined: %s", got)
	}
	st, body = o.post("/owner/consents/"+task+"/decline", url.Values{})
	if st != 200 {
		t.Fatalf("decline: %d\n%s", st, excerpt(body))
	}
	mustContain(t, body, "Your refusal has been recorded.")
	if got := status(t, e, app.ID); got != residence.StatusRejected {
		t.Fatalf("after declining: %s, want rejected", got)
	}
	// A request no longer waiting leads back to the owner's page.
	_, body = o.get("/owner/consents/" + task + "/decline")
	if strings.Contains(body, "Confirm that you decline") {
		t.Error("the confirmation of an answered request is still offered")
	}
}

// TestFormsNameTheirCode: each form says which code it takes, as the SMS
// that brings it does.
func TestFormsNameTheirCode(t *testing.T) {
	e := newEnv(t)
	c := e.client("en")
	tenant := e.person("tenant")
	c.get("/login")
	_, body := c.post("/login/otp", url.Values{"iin": {tenant.IIN}})
	mustContain(t, body, "Sign-in code (6 digits from the SMS)")
	for _, lang := range []string{"kk", "ru"} {
		k := e.client(lang)
		k.get("/login")
		_, body := k.post("/login/otp", url.Values{"iin": {tenant.IIN}})
		want := map[string]string{"kk": "Кіру коды", "ru": "Код для входа"}[lang]
		mustContain(t, body, want)
	}
}

// TestOperatorFindsByReference: the short reference a person reads out
// finds their application at the counter, typed loosely (lower case, O
// for 0); a malformed one is a field error and an unknown one says so.
func TestOperatorFindsByReference(t *testing.T) {
	e := newEnv(t)
	app, _ := awaitCoOwners(t, e)
	op := e.client("en")
	op.get("/operator")
	if st, body := op.post("/operator/login", url.Values{"token": {e.operatorToken()}}); st != 200 {
		t.Fatalf("operator login: %d\n%s", st, excerpt(body))
	}
	ref := residence.Reference(app.ID)
	typed := strings.ReplaceAll(strings.ToLower(ref), "0", "o")
	st, body := op.get("/operator?ref=" + url.QueryEscape(typed))
	if st != 200 {
		t.Fatalf("search %q: %d", typed, st)
	}
	mustContain(t, body, `id="reference">`+ref+`<`, e.person("tenant").Name)
	st, body = op.get("/operator?ref=12345")
	if st != 422 {
		t.Errorf("a malformed reference: %d, want 422", st)
	}
	mustContain(t, body, `href="#ref"`, "4 and 4 characters")
	other := "0000-0000"
	if ref == other {
		other = "0000-0001"
	}
	_, body = op.get("/operator?ref=" + other)
	mustContain(t, body, "No application has this reference.")
	// Citizens cannot search.
	c := e.client("en")
	c.signIn(e.person("co_owner_1").IIN)
	if _, body := c.get("/operator?ref=" + ref); strings.Contains(body, `id="reference"`) {
		t.Error("a citizen found an application by reference")
	}
}
