package residence_test

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"tirkeu/internal/demo"
	"tirkeu/internal/residence"
	"tirkeu/internal/residence/residencetest"
	"tirkeu/internal/store/storetest"
)

// subjectEnv is a service over the demo registry with a clock the test moves.
type subjectEnv struct {
	t     *testing.T
	svc   *residence.Service
	st    residence.Store
	clock *residencetest.FakeClock
	cast  map[string]demo.CastMember
}

func newSubjectEnv(t *testing.T) *subjectEnv {
	t.Helper()
	st := storetest.Open(t, storetest.SQLite)
	if _, err := demo.Load(context.Background(), st, today); err != nil {
		t.Fatalf("demo.Load: %v", err)
	}
	e := &subjectEnv{t: t, st: st, clock: residencetest.NewFakeClock(today), cast: map[string]demo.CastMember{}}
	e.svc = residence.NewService(st, e.clock, residence.DefaultConfig(), nil, nil)
	for _, m := range demo.Cast(today) {
		e.cast[m.Role] = m
	}
	return e
}

// lastSMS returns the newest message to the phone.
func (e *subjectEnv) lastSMS(phone string) string {
	e.t.Helper()
	var text string
	err := e.st.View(context.Background(), func(r residence.Reader) error {
		msgs, err := r.ListSMS(context.Background(), 1000)
		for _, m := range msgs {
			if m.To == phone {
				text = m.Text
			}
		}
		return err
	})
	if err != nil || text == "" {
		e.t.Fatalf("no SMS to %s (%v)", phone, err)
	}
	return text
}

var sixDigitRun = regexp.MustCompile(`\b\d{6}\b`)

// submitFor has the applicant (a cast role) apply, signed with a one-time
// password, for the subject at the premises of the applicant's scenario.
func (e *subjectEnv) submitFor(applicant, subject string, kind residence.Kind) residence.Application {
	e.t.Helper()
	ctx := context.Background()
	a := e.cast[applicant]
	if _, err := e.svc.RequestOTP(ctx, a.IIN, residence.OTPSign); err != nil {
		e.t.Fatal(err)
	}
	in := residence.SubmitInput{Kind: kind, ApplicantIIN: a.IIN, SubjectIIN: e.cast[subject].IIN, RKA: a.RKA,
		Channel: residence.ChannelPortal, OTP: sixDigitRun.FindString(e.lastSMS(a.Phone))}
	if kind == residence.Temporary {
		in.StayFrom, in.StayUntil = residence.DateOf(today), residence.AddMonths(residence.DateOf(today), 3)
	}
	app, _, err := e.svc.Submit(ctx, residence.Actor{}, in)
	if err != nil {
		e.t.Fatalf("Submit: %v", err)
	}
	return app
}

func (e *subjectEnv) active(role string) []residence.Registration {
	e.t.Helper()
	var out []residence.Registration
	err := e.st.View(context.Background(), func(r residence.Reader) error {
		regs, err := r.Registrations(context.Background(), e.cast[role].IIN)
		for _, reg := range regs {
			if reg.Status == residence.RegistrationActive {
				out = append(out, reg)
			}
		}
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

// TestServiceSubjectConsent drives SUBJECT_CONSENT through the Service: the
// hotel's representative applies for a guest, who is asked by SMS (naming
// the hotel, its representative and the address) and confirms by replying
// to 1414; the tenant's application for a listed adult expires when she
// does not answer; and nothing changes before the subject's answer.
func TestServiceSubjectConsent(t *testing.T) {
	e := newSubjectEnv(t)
	ctx := context.Background()
	guest := e.cast["hotel_guest"]
	before := e.active("hotel_guest")

	app := e.submitFor("hotel_head", "hotel_guest", residence.Temporary)
	if app.Status != residence.StatusAwaitingConsent || app.Decision.Rule != residence.RuleSubjectConsent ||
		len(app.Decision.Consents) != 1 || app.Decision.Consents[0].Kind != residence.ConsentKindSubject || app.Decision.Consents[0].OwnerIIN != guest.IIN {
		t.Fatalf("hotel application: %s %s %+v", app.Status, app.Decision.Rule, app.Decision.Consents)
	}
	text := e.lastSMS(guest.Phone)
	for _, want := range []string{"Есіл Қонақ Үйі", "Мұқанова Ә.", "Қабанбай батыр", "уақытша"} {
		if !strings.Contains(text, want) {
			t.Errorf("the guest's SMS %q does not say %q", text, want)
		}
	}
	if got := e.active("hotel_guest"); len(got) != len(before) {
		t.Fatalf("registrations changed before the guest confirmed: %+v", got)
	}
	pending, err := e.svc.PendingConsents(ctx, residence.Actor{Role: residence.RoleCitizen, IIN: guest.IIN})
	if err != nil || len(pending) != 1 || pending[0].Consents[0].Kind != residence.ConsentKindSubject {
		t.Fatalf("PendingConsents(guest) = %+v, %v", pending, err)
	}
	app, err = e.svc.ReceiveSMS(ctx, guest.Phone, sixDigitRun.FindString(text))
	if err != nil || app.Status != residence.StatusRegistered {
		t.Fatalf("guest's reply: %s, %v", app.Status, err)
	}
	if got := e.active("hotel_guest"); len(got) != len(before)+1 {
		t.Fatalf("registered, but active registrations are %+v", got)
	}

	app = e.submitFor("rental_tenant", "rental_member", residence.Permanent)
	if app.Status != residence.StatusAwaitingConsent || app.Decision.Rule != residence.RuleSubjectConsent {
		t.Fatalf("tenant's application: %s %s", app.Status, app.Decision.Rule)
	}
	view, err := e.svc.Application(ctx, residence.Actor{Role: residence.RoleAdmin, Name: "test"}, app.ID)
	if err != nil || len(view.Consents) != 1 {
		t.Fatalf("Application = %+v, %v", view, err)
	}
	e.clock.Advance(time.Hour)
	if err := e.svc.ExpireConsent(ctx, view.Consents[0].ID); err != nil {
		t.Fatal(err)
	}
	view, _ = e.svc.Application(ctx, residence.Actor{Role: residence.RoleAdmin, Name: "test"}, app.ID)
	if view.Application.Status != residence.StatusExpired || view.Application.Decision.Rule != residence.RuleConsentExpired ||
		!strings.Contains(view.Application.Decision.Message.EN, "person being registered") {
		t.Fatalf("after the hour: %s %s %q", view.Application.Status, view.Application.Decision.Rule, view.Application.Decision.Message.EN)
	}
	home := e.cast["rental_member"]
	for _, r := range e.active("rental_member") {
		if r.RKA == e.cast["rental_tenant"].RKA {
			t.Fatalf("%s registered at the rental flat without her answer", home.Name)
		}
	}
}

// TestServiceOTPCapsPerClient: a stranger's client uses up its own budget
// for a person's codes, never the person's; and a code is the client's that
// asked for it.
func TestServiceOTPCapsPerClient(t *testing.T) {
	e := newSubjectEnv(t)
	owner := e.cast["sole_owner"]
	stranger := residence.WithClient(context.Background(), "203.0.113.66")
	mine := residence.WithClient(context.Background(), "198.51.100.7")
	for range residence.DefaultConfig().OTPPerHour {
		if _, err := e.svc.RequestOTP(stranger, owner.IIN, residence.OTPLogin); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.svc.RequestOTP(stranger, owner.IIN, residence.OTPLogin); !residence.IsCode(err, residence.ERateLimited) {
		t.Fatalf("the stranger's sixth request: %v", err)
	}
	if _, err := e.svc.RequestOTP(mine, owner.IIN, residence.OTPLogin); err != nil {
		t.Fatalf("the person's own request: %v", err)
	}
	code := sixDigitRun.FindString(e.lastSMS(owner.Phone))
	if _, err := e.svc.Login(stranger, owner.IIN, code); err == nil {
		t.Fatal("the person's code signed in the stranger's client")
	}
	if a, err := e.svc.Login(mine, owner.IIN, code); err != nil || a.IIN != owner.IIN {
		t.Fatalf("Login = %+v, %v", a, err)
	}
}

// TestReceiveSMSPrefersLiveTasks: a phone with a task whose hour has passed
// (its expiry job not yet run) and a live one. A reply with a wrong code
// counts against the live task, not the passed one (which would answer
// "expired" and leave the live task untouched); the live task's own code
// still registers.
func TestReceiveSMSPrefersLiveTasks(t *testing.T) {
	e := newSubjectEnv(t)
	ctx := context.Background()
	guest := e.cast["hotel_guest"]
	first := e.submitFor("hotel_head", "hotel_guest", residence.Temporary)
	if first.Status != residence.StatusAwaitingConsent {
		t.Fatalf("first application: %s", first.Status)
	}
	e.clock.Advance(61 * time.Minute) // the first task's hour passes; no job runs here
	second := e.submitFor("hotel_head", "hotel_guest", residence.Temporary)
	if second.Status != residence.StatusAwaitingConsent {
		t.Fatalf("second application: %s %s", second.Status, second.Decision.Rule)
	}
	code := sixDigitRun.FindString(e.lastSMS(guest.Phone))
	wrong := fmt.Sprintf("%06d", (mustAtoi(t, code)+1)%1_000_000)
	if _, err := e.svc.ReceiveSMS(ctx, guest.Phone, wrong); !residence.IsCode(err, residence.EOTPInvalid) {
		t.Fatalf("wrong code: %v, want %s (counted against the live task)", err, residence.EOTPInvalid)
	}
	var live residence.ConsentTask
	err := e.st.View(ctx, func(r residence.Reader) error {
		ts, err := r.ConsentTasks(ctx, second.ID)
		if len(ts) == 1 {
			live = ts[0]
		}
		return err
	})
	if err != nil || live.Attempts != 1 {
		t.Fatalf("the live task after a wrong code: %+v, %v; want one attempt", live, err)
	}
	app, err := e.svc.ReceiveSMS(ctx, guest.Phone, code)
	if err != nil || app.ID != second.ID || app.Status != residence.StatusRegistered {
		t.Fatalf("the live task's code: %s %s, %v", app.ID, app.Status, err)
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
