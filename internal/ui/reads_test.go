package ui_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tirkeu/internal/residence"
)

// reads returns the person's access log as (what, purpose, actor) triples.
func (e *env) reads(iin string) []string {
	e.t.Helper()
	evs, err := e.svc.AccessLog(context.Background(), residence.Actor{Role: residence.RoleCitizen, IIN: iin}, 500)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, ev := range evs {
		var d struct {
			What      string `json:"what"`
			Purpose   string `json:"purpose"`
			ActorName string `json:"actor_name"`
		}
		_ = json.Unmarshal(ev.Data, &d)
		who := ev.ActorIIN
		if d.ActorName != "" {
			who = d.ActorName
		}
		out = append(out, d.What+"/"+d.Purpose+"/"+who)
	}
	return out
}

func (e *env) wantRead(iin, what, purpose, who string) {
	e.t.Helper()
	want := what + "/" + purpose + "/" + who
	for _, r := range e.reads(iin) {
		if r == want {
			return
		}
	}
	e.t.Errorf("no access-log record %q in %v", want, e.reads(iin))
}

// TestApplyCheckRevealsNothingAboutOthers: the eligibility check on /apply
// says only "you cannot apply for this person" about someone the applicant
// may not act for (an adult child, a deceased stranger, an unknown IIN), and
// the subjects offered are the applicant and the children under 18 and
// wards they represent.
func TestApplyCheckRevealsNothingAboutOthers(t *testing.T) {
	e := newEnv(t)
	adult, dead, parent := e.person("sole_owner"), e.person("deceased"), e.person("parent")
	// sole_owner's father, from the registry (he is not in the cast).
	var father string
	rels, err := storeRelations(e, adult.IIN)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rels {
		if r.To == adult.IIN && r.Kind == residence.RelationParent {
			father = r.From
		}
	}
	if father == "" {
		t.Fatal("no father of sole_owner in the demo registry")
	}
	c := e.client("en")
	c.signIn(father)
	_, body := c.get("/apply")
	if strings.Contains(body, adult.IIN) {
		t.Errorf("the form offers an adult child as a subject")
	}
	for _, subject := range []string{adult.IIN, dead.IIN, "990101300003"} {
		st, body := c.get("/apply?kind=permanent&subject=" + subject + "&rka_code=" + url.QueryEscape(adult.RKA) + "&check=1")
		if st != http.StatusUnprocessableEntity {
			t.Fatalf("check for %s: %d\n%s", subject, st, excerpt(body))
		}
		mustContain(t, body, "You cannot apply for this person.", `href="#subject"`)
		for _, leak := range []string{"deceased", "SUBJECT_", "capacity", "ends:", "moved to the new address"} {
			if strings.Contains(body, leak) {
				t.Errorf("check for %s shows %q:\n%s", subject, leak, excerpt(body))
			}
		}
	}

	// A parent checks for their 13-year-old and learns why not.
	p := e.client("en")
	p.signIn(parent.IIN)
	_, body = p.get("/apply")
	mustContain(t, body, e.person("child_13").Name, e.person("child_15").Name)
	st, body := p.get("/apply?kind=permanent&subject=" + e.person("child_13").IIN + "&rka_code=" + url.QueryEscape(parent.RKA) + "&check=1")
	if st != 200 || strings.Contains(body, "You cannot apply for this person.") {
		t.Fatalf("parent's check for a 13-year-old: %d\n%s", st, excerpt(body))
	}
	// Listing the children on the form, and the check, are in their access logs.
	e.wantRead(e.person("child_13").IIN, "subjects", "legal_representative", parent.IIN)
	e.wantRead(e.person("child_13").IIN, "check", "legal_representative", parent.IIN)
	// A refused check read nothing of the person.
	for _, r := range e.reads(adult.IIN) {
		if strings.HasPrefix(r, "check/") {
			t.Errorf("a refused check is in the adult child's log: %s", r)
		}
	}
}

// TestOwnerAndOperatorPagesLogTheirReads: what the owner's page and the
// operator's console show of a person is in that person's access log.
func TestOwnerAndOperatorPagesLogTheirReads(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tenant, co1, co2 := e.person("tenant"), e.person("co_owner_1"), e.person("co_owner_2")
	if _, err := e.svc.RequestOTP(ctx, tenant.IIN, residence.OTPSign); err != nil {
		t.Fatal(err)
	}
	app, _, err := e.svc.Submit(ctx, residence.Actor{}, residence.SubmitInput{Kind: residence.Permanent, ApplicantIIN: tenant.IIN,
		SubjectIIN: tenant.IIN, RKA: co1.RKA, Channel: residence.ChannelAPI, OTP: e.lastCode(tenant.IIN)})
	if err != nil || app.Status != residence.StatusAwaitingConsent {
		t.Fatalf("submit: %v %+v", err, app.Decision)
	}
	code1, code2 := e.lastCode(co1.IIN), e.lastCode(co2.IIN)
	o := e.client("en")
	o.signIn(co1.IIN)
	_, body := o.get("/owner")
	mustContain(t, body, tenant.Name)
	e.wantRead(tenant.IIN, "consent", "owner", co1.IIN)

	// co2 answers with the code; then co1's page lists the new resident.
	var task string
	av, err := e.svc.Application(ctx, residence.Actor{Role: residence.RoleCitizen, IIN: tenant.IIN}, app.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range av.Consents {
		if tk.OwnerIIN == co2.IIN {
			task = tk.ID
		}
	}
	if _, err := e.svc.ConfirmConsent(ctx, residence.Actor{}, task, residence.ConsentAnswer{Code: code2}); err != nil {
		t.Fatal(err)
	}
	var task1 string
	for _, tk := range av.Consents {
		if tk.OwnerIIN == co1.IIN {
			task1 = tk.ID
		}
	}
	if st, body := o.post("/owner/consents/"+task1+"/confirm", url.Values{"code": {code1}}); st != 200 {
		t.Fatalf("confirm: %d\n%s", st, excerpt(body))
	}
	_, body = o.get("/owner")
	mustContain(t, body, tenant.Name)
	e.wantRead(tenant.IIN, "residents", "owner", co1.IIN)

	// The operator's console: the person's registrations and applications.
	op := e.client("en")
	op.get("/operator")
	op.post("/operator/login", url.Values{"token": {e.operatorToken()}})
	if st, body := op.get("/operator?iin=" + tenant.IIN); st != 200 || !strings.Contains(body, tenant.Name) {
		t.Fatalf("operator page: %d\n%s", st, excerpt(body))
	}
	e.wantRead(tenant.IIN, "registrations", "staff", "PSC Astana №1")
	e.wantRead(tenant.IIN, "applications", "staff", "PSC Astana №1")
	if st, _ := op.get("/operator/applications/" + app.ID); st != 200 {
		t.Fatalf("trail: %d", st)
	}
	e.wantRead(tenant.IIN, "trail", "staff", "PSC Astana №1")

	// The tenant's account page shows these reads.
	c := e.client("en")
	c.signIn(tenant.IIN)
	_, body = c.get("/account")
	mustContain(t, body, "Consent request shown to an owner", "Residents of the premises viewed", "Applications viewed", "PSC Astana №1")
}

// storeRelations reads a person's relations from the store directly (a test
// helper; the pages read only through the service).
func storeRelations(e *env, iin string) ([]residence.Relation, error) {
	var rels []residence.Relation
	err := e.st.View(context.Background(), func(r residence.Reader) error {
		var err error
		rels, err = r.Relations(context.Background(), iin)
		return err
	})
	return rels, err
}
