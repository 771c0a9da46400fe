package ui

import (
	"net/http"
	"time"

	"tirkeu/internal/residence"
)

// refreshSeconds is how often a pending application's page reloads itself
// (a meta refresh: no script), so the applicant sees the owners' answers.
const refreshSeconds = 30

// applicationView is the page of an application: what happened, where it
// stands (Steps), whose answer it awaits (Consents), and, for its applicant
// while it waits, the way to withdraw it.
type applicationView struct {
	Page
	App         residence.Application
	Reference   string // residence.Reference of the id
	Address     string
	SubjectName string
	Decision    *decisionView
	Registered  bool
	Steps       []step
	Consents    []consentRow
	// CanWithdraw is whether the reader is the applicant and the
	// application awaits consent (Service.Withdraw decides again).
	CanWithdraw bool
	Trail       []eventLine // operators only
}

// step is one stage of an application in the step indicator.
type step struct {
	Name  string // message key
	State string // done, current, stopped, todo
}

// Current is whether the step is the one the application is at (or
// stopped at): the one marked aria-current.
func (s step) Current() bool { return s.State == "current" || s.State == "stopped" }

// consentRow is one consent task on the application's page: who answers
// (initials and masked IIN, or an organisation's name), how, the answer and
// the deadline. TaskID is set when the reader is the one who answers, so
// the row links to the page where they do.
type consentRow struct {
	ID      string
	Kind    residence.ConsentKind
	Who     string
	IIN     string
	Channel residence.ConsentChannel
	Status  residence.ConsentStatus
	Expires time.Time
	Mine    bool
}

type eventLine struct {
	At      time.Time
	Type    string
	Message string
	Role    string // the actor's role; "anonymous" for an unauthenticated answer
	Name    string // a staff member's name or a masked IIN
}

func (u *UI) applicationPage(w http.ResponseWriter, r *http.Request) error {
	a, err := u.requireCitizen(r)
	if err != nil {
		return err
	}
	av, err := u.svc.Application(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	v := u.appView(w, r, av, "application.title")
	switch r.URL.Query().Get("done") {
	case "submitted":
		v.Notice = v.T("done.submitted") + ". " + v.T("done."+string(v.App.Status))
	case "withdrawn":
		v.Notice = v.T("done.withdrawn")
	}
	return u.render(w, r, http.StatusOK, "application", v)
}

func (u *UI) appView(w http.ResponseWriter, r *http.Request, av residence.ApplicationView, title string) *applicationView {
	app := av.Application
	v := &applicationView{Page: u.page(w, r, title), App: app, SubjectName: av.SubjectName,
		Reference: residence.Reference(app.ID)}
	v.Address = app.RKA
	if av.Premises != nil {
		v.Address = av.Premises.Address()
	}
	v.Decision = u.explain(r.Context(), v.Lang, app.Decision)
	v.Decision.Consents = nil
	for i, c := range av.Consents {
		row := consentRow{ID: c.ID, Kind: c.Kind, Who: av.Answerers[c.ID], Channel: c.Channel, Status: c.Status,
			Expires: c.ExpiresAt, Mine: v.Actor.IIN != "" && c.OwnerIIN == v.Actor.IIN}
		if i < len(av.ShownConsents) {
			row.IIN = av.ShownConsents[i].OwnerIIN
		}
		v.Consents = append(v.Consents, row)
	}
	v.Registered = app.Status == residence.StatusRegistered
	v.Steps = steps(app, av.Consents)
	pending := app.Status == residence.StatusAwaitingConsent || app.Status == residence.StatusSubmitted
	if pending {
		v.Refresh = refreshSeconds
	}
	v.CanWithdraw = pending && v.Actor.IIN != "" && v.Actor.IIN == app.ApplicantIIN
	return v
}

// steps returns the stages of an application and where it stands: applied,
// the subject's confirmation and the owners' consent when it needs them,
// then registered (or deregistered). A stage is done when every task of it
// is confirmed; the first stage not done is current while the application
// waits, and is where it stopped when it was refused, expired or withdrawn.
func steps(app residence.Application, tasks []residence.ConsentTask) []step {
	final := "step.registered"
	if app.Action == residence.ActionDeregister {
		final = "step.deregistered"
	}
	out := []step{{Name: "step.applied", State: "done"}}
	stage := func(name string, match func(residence.ConsentTask) bool) {
		n, confirmed := 0, 0
		for _, t := range tasks {
			if match(t) {
				n++
				if t.Status == residence.ConsentConfirmed {
					confirmed++
				}
			}
		}
		if n == 0 {
			return
		}
		s := step{Name: name, State: "todo"}
		if confirmed == n {
			s.State = "done"
		}
		out = append(out, s)
	}
	stage("step.subject", func(t residence.ConsentTask) bool { return t.Kind == residence.ConsentKindSubject })
	stage("step.consent", func(t residence.ConsentTask) bool { return t.Kind != residence.ConsentKindSubject })
	out = append(out, step{Name: final, State: "todo"})
	switch app.Status {
	case residence.StatusRegistered, residence.StatusDeregistered:
		for i := range out {
			out[i].State = "done"
		}
		out[len(out)-1].State = "current"
		return out
	}
	mark := "current"
	if app.Status.Final() {
		mark = "stopped"
	}
	for i := range out {
		if out[i].State == "todo" {
			out[i].State = mark
			break
		}
	}
	return out
}

// withdrawView is the confirmation step before an applicant withdraws.
type withdrawView struct {
	Page
	App       residence.Application
	Reference string
	Address   string
}

// withdrawPage asks the applicant to confirm the withdrawal (a page of its
// own, so that no script is needed and one click never withdraws).
func (u *UI) withdrawPage(w http.ResponseWriter, r *http.Request) error {
	a, err := u.requireCitizen(r)
	if err != nil {
		return err
	}
	av, err := u.svc.Application(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	app := av.Application
	if app.ApplicantIIN != a.IIN || app.Status != residence.StatusAwaitingConsent {
		// Nothing to confirm: the page of the application says why.
		return redirect(w, r, "/applications/"+app.ID)
	}
	v := &withdrawView{Page: u.page(w, r, "withdraw.title"), App: app, Reference: residence.Reference(app.ID), Address: app.RKA}
	if av.Premises != nil {
		v.Address = av.Premises.Address()
	}
	return u.render(w, r, http.StatusOK, "withdraw", v)
}

// withdraw withdraws the application (residence.Service.Withdraw) and
// returns to its page, which says so.
func (u *UI) withdraw(w http.ResponseWriter, r *http.Request) error {
	a, err := u.requireCitizen(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if _, err := u.svc.Withdraw(r.Context(), a, id); err != nil {
		return err
	}
	return redirect(w, r, "/applications/"+id+"?done=withdrawn")
}
