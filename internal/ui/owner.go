package ui

import (
	"context"
	"net/http"
	"strings"
	"time"

	"tirkeu/internal/residence"
)

// consentRequest is one consent task waiting for the owner (or, kind
// subject, for the person someone else applied to register).
type consentRequest struct {
	TaskID        string
	ConsentKind   residence.ConsentKind
	Locked        bool // wrong codes locked it: decline or EDS only
	Channel       residence.ConsentChannel
	Expires       time.Time
	Kind          residence.Kind
	Action        residence.Action
	ApplicantName string
	SubjectName   string
	Address       string
}

// premisesResidents is one of the owner's dwellings and who lives there.
type premisesResidents struct {
	RKA       string
	Address   string
	Residents []residentLine
}

type residentLine struct {
	IIN   string
	Name  string
	Kind  residence.Kind
	Since time.Time
	Self  bool
}

type ownerView struct {
	Page
	Requests []consentRequest
	Premises []premisesResidents
}

// pendingRequests returns the consent tasks waiting for the signed-in
// person, owners' and their own (kind subject), with who applies for what
// where.
func (u *UI) pendingRequests(ctx context.Context, a residence.Actor) ([]consentRequest, error) {
	pending, err := u.svc.PendingConsents(ctx, a)
	if err != nil || len(pending) == 0 {
		return nil, err
	}
	out := make([]consentRequest, 0, len(pending))
	for _, pv := range pending {
		app, t := pv.Application, pv.Consents[0]
		cr := consentRequest{TaskID: t.ID, ConsentKind: t.Kind, Locked: t.Status == residence.ConsentLocked,
			Channel: t.Channel, Expires: t.ExpiresAt, Kind: app.Kind, Action: app.Action,
			ApplicantName: pv.ApplicantName, SubjectName: pv.SubjectName}
		if pv.Premises != nil {
			cr.Address = pv.Premises.Address()
		}
		out = append(out, cr)
	}
	return out, nil
}

func (u *UI) ownerView(w http.ResponseWriter, r *http.Request, a residence.Actor) (*ownerView, error) {
	ctx := r.Context()
	v := &ownerView{Page: u.page(w, r, "owner.title")}
	var err error
	if v.Requests, err = u.pendingRequests(ctx, a); err != nil {
		return nil, err
	}
	rkas, err := u.svc.OwnedPremises(ctx, a)
	if err != nil {
		return nil, err
	}
	for _, rka := range rkas {
		prem, res, err := u.svc.PremisesResidents(ctx, a, rka)
		if err != nil {
			return nil, err
		}
		pr := premisesResidents{RKA: rka, Address: prem.Address()}
		for _, x := range res {
			pr.Residents = append(pr.Residents, residentLine{IIN: x.Person.IIN, Name: x.Person.FullName(),
				Kind: x.Registration.Kind, Since: x.Registration.Since, Self: x.Person.IIN == a.IIN})
		}
		v.Premises = append(v.Premises, pr)
	}
	return v, nil
}

func (u *UI) ownerPage(w http.ResponseWriter, r *http.Request) error {
	a, err := u.requireCitizen(r)
	if err != nil {
		return err
	}
	v, err := u.ownerView(w, r, a)
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("done") {
	case "confirmed":
		v.Notice = v.T("owner.confirmed")
	case "declined":
		v.Notice = v.T("owner.declined")
	case "code":
		v.Notice = v.T("owner.code_sent")
	}
	return u.render(w, r, http.StatusOK, "owner", v)
}

// ownerFail re-renders the owner's page with an error summary.
func (u *UI) ownerFail(w http.ResponseWriter, r *http.Request, a residence.Actor, err error, field string) error {
	v, verr := u.ownerView(w, r, a)
	if verr != nil {
		return verr
	}
	return u.formError(w, r, "owner", v, err, map[string]string{"code": field, "otp": field}, field)
}

func (u *UI) ownerOTP(w http.ResponseWriter, r *http.Request) error {
	a, err := u.requireCitizen(r)
	if err != nil {
		return err
	}
	if _, err := u.svc.RequestOTP(r.Context(), a.IIN, residence.OTPSign); err != nil {
		return u.ownerFail(w, r, a, err, "")
	}
	return redirect(w, r, "/owner?done=code")
}

func (u *UI) ownerConfirm(w http.ResponseWriter, r *http.Request) error {
	a, err := u.requireCitizen(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	// An EDS answer signs {"consent_id": id, "answer": "confirm"}
	// (consentBody), which the service checks names this task.
	cms, err := postedCMS(r)
	if err != nil {
		return u.ownerFail(w, r, a, err, "cms-consent-"+id)
	}
	ans, field := residence.ConsentAnswer{Code: strings.TrimSpace(r.PostFormValue("code"))}, "code-"+id
	if cms != nil {
		ans, field = residence.ConsentAnswer{EDS: &residence.EDS{CMS: cms, Content: consentBody(id, "confirm")}}, "cms-consent-"+id
	}
	if _, err := u.svc.ConfirmConsent(r.Context(), a, id, ans); err != nil {
		return u.ownerFail(w, r, a, err, field)
	}
	return redirect(w, r, "/owner?done=confirmed")
}

// declineView is the confirmation step before an owner (or the subject)
// declines a request.
type declineView struct {
	Page
	Request *consentRequest
}

// declinePage asks the person to confirm that they decline: a refusal
// rejects the application and cannot be undone, so one click never does it
// (a page of its own: no script needed). A request that is not waiting for
// the person leads back to their requests.
func (u *UI) declinePage(w http.ResponseWriter, r *http.Request) error {
	a, err := u.requireCitizen(r)
	if err != nil {
		return err
	}
	reqs, err := u.pendingRequests(r.Context(), a)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	for i := range reqs {
		if reqs[i].TaskID == id {
			v := &declineView{Page: u.page(w, r, "decline.title"), Request: &reqs[i]}
			return u.render(w, r, http.StatusOK, "decline", v)
		}
	}
	return redirect(w, r, "/owner")
}

func (u *UI) ownerDecline(w http.ResponseWriter, r *http.Request) error {
	a, err := u.requireCitizen(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	code := strings.TrimSpace(r.PostFormValue("code"))
	if _, err := u.svc.DeclineConsent(r.Context(), a, id, residence.ConsentAnswer{Code: code}); err != nil {
		return u.ownerFail(w, r, a, err, "code-"+id)
	}
	return redirect(w, r, "/owner?done=declined")
}

// ownerDeregister asks to take a resident off the register of the owner's
// premises; the co-owners' consent and the notice to the person happen in
// the service.
func (u *UI) ownerDeregister(w http.ResponseWriter, r *http.Request) error {
	a, err := u.requireCitizen(r)
	if err != nil {
		return err
	}
	in := residence.DeregisterInput{OwnerIIN: a.IIN, SubjectIIN: r.PostFormValue("subject"), RKA: r.PostFormValue("rka"),
		Kind: residence.Kind(r.PostFormValue("kind")), Reason: strings.TrimSpace(r.PostFormValue("reason")),
		OTP: strings.TrimSpace(r.PostFormValue("code")), Channel: residence.ChannelPortal}
	field := "dereg-code-" + in.RKA + "-" + in.SubjectIIN
	cms, err := postedCMS(r)
	if err != nil {
		return u.ownerFail(w, r, a, err, "cms-dereg-"+in.RKA+"-"+in.SubjectIIN)
	}
	if cms != nil {
		// Signed over the request as this form's fields give it.
		in.OTP, field = "", "cms-dereg-"+in.RKA+"-"+in.SubjectIIN
		in.EDS = &residence.EDS{CMS: cms, Content: deregistrationBody(a.IIN, in.SubjectIIN, in.RKA, string(in.Kind), in.Reason)}
	} else if in.OTP == "" {
		return u.ownerFail(w, r, a, &residence.Error{Code: residence.EInvalid, Field: "otp", Text: tr("apply.no_code")}, field)
	}
	app, err := u.svc.Deregister(r.Context(), a, in)
	if err != nil {
		return u.ownerFail(w, r, a, err, field)
	}
	return redirect(w, r, "/applications/"+app.ID)
}
