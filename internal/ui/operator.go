package ui

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"tirkeu/internal/residence"
	"tirkeu/internal/web"
)

// staffCookie carries a signed-in operator's session (web.KindStaff): role,
// name and the hash of the token they pasted (never the token). Each request
// re-checks the hash, so a revoked token ends the session at once, and
// signing out revokes the session itself.
const staffCookie = "tirkeu_staff"

const staffTTL = 8 * time.Hour

func (u *UI) issueStaff(w http.ResponseWriter, r *http.Request, a residence.Actor, token string) error {
	v, _, err := u.sessions.IssueStaff(r.Context(), a, residence.HashToken(token), staffTTL)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: staffCookie, Value: v, Path: "/", MaxAge: int(staffTTL.Seconds()),
		HttpOnly: true, Secure: web.IsSecure(r), SameSite: http.SameSiteLaxMode})
	u.setCSRFCookie(w, r)
	return nil
}

// staff returns the signed-in operator, or the zero Actor.
func (u *UI) staff(r *http.Request) residence.Actor {
	c, err := r.Cookie(staffCookie)
	if err != nil {
		return residence.Actor{}
	}
	a, hash, err := u.sessions.VerifyStaff(r.Context(), c.Value)
	if err != nil {
		return residence.Actor{}
	}
	revoked := true
	_ = u.svc.Store().View(r.Context(), func(rd residence.Reader) error {
		t, err := rd.TokenByHash(r.Context(), hash)
		if err == nil && t.RevokedAt.IsZero() && t.Role == a.Role {
			revoked = false
		}
		return nil
	})
	if revoked {
		return residence.Actor{}
	}
	return a
}

type operatorView struct {
	Page
	IIN           string
	Person        *residence.Person
	Registrations []registrationLine
	Applications  []residence.Application
	Form          operatorForm
	Emigrated     int
}

// operatorForm is the in-person registration form.
type operatorForm struct {
	ApplicantIIN           string
	SubjectIIN             string
	RKA                    string
	Kind                   string
	StayFrom               string
	StayUntil              string
	Reason                 string
	DocumentsChecked       bool
	OwnersConsentInWriting bool
}

func (u *UI) operatorView(w http.ResponseWriter, r *http.Request, staff residence.Actor, iinStr string) (*operatorView, error) {
	v := &operatorView{Page: u.page(w, r, "operator.title"), IIN: iinStr}
	v.Form.ApplicantIIN, v.Form.Kind = iinStr, string(residence.Permanent)
	if staff.Role == "" || iinStr == "" {
		return v, nil
	}
	if err := residence.CheckIIN("iin", iinStr); err != nil {
		v.Errors = formErrors(v.Lang, err, map[string]string{"iin": "iin"})
		return v, nil
	}
	ad, err := u.svc.PersonAddresses(r.Context(), staff, iinStr)
	if err != nil {
		if v.Errors = formErrors(v.Lang, err, map[string]string{"iin": "iin", "": "iin"}); v.Errors == nil {
			return nil, err
		}
		return v, nil
	}
	v.Person, v.Registrations = &ad.Person, registrationLines(ad)
	err = u.svc.Store().View(r.Context(), func(rd residence.Reader) error {
		var err error
		v.Applications, err = rd.ApplicationsFor(r.Context(), iinStr, 20)
		return err
	})
	return v, err
}

func (u *UI) operatorPage(w http.ResponseWriter, r *http.Request) error {
	staff := u.staff(r)
	v, err := u.operatorView(w, r, staff, strings.TrimSpace(r.URL.Query().Get("iin")))
	if err != nil {
		return err
	}
	if r.URL.Query().Get("done") == "emigrated" {
		v.Notice = v.T("operator.emigrated")
	}
	return u.render(w, r, http.StatusOK, "operator", v)
}

func (u *UI) operatorLogin(w http.ResponseWriter, r *http.Request) error {
	token := strings.TrimSpace(r.PostFormValue("token"))
	a, err := u.svc.AuthenticateToken(r.Context(), token)
	if err == nil && !a.IsStaff() {
		err = &residence.Error{Code: residence.EForbidden, Text: tr("operator.not_staff")}
	}
	if err != nil {
		v, verr := u.operatorView(w, r, residence.Actor{}, "")
		if verr != nil {
			return verr
		}
		if v.Errors = formErrors(v.Lang, err, map[string]string{"": "token"}); v.Errors == nil {
			return err
		}
		v.Errors[0].Field = "token"
		return u.render(w, r, http.StatusUnprocessableEntity, "operator", v)
	}
	if err := u.issueStaff(w, r, a, token); err != nil {
		return err
	}
	return redirect(w, r, "/operator")
}

func (u *UI) operatorLogout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(staffCookie); err == nil {
		if err := u.sessions.End(r.Context(), c.Value); err != nil {
			return err
		}
	}
	clearCookie(w, r, staffCookie)
	u.setCSRFCookie(w, r)
	return redirect(w, r, "/operator")
}

func (u *UI) requireStaff(r *http.Request) (residence.Actor, error) {
	a := u.staff(r)
	if !a.IsStaff() {
		return a, &residence.Error{Code: residence.EForbidden, Text: tr("operator.sign_in_first")}
	}
	return a, nil
}

var operatorFields = map[string]string{"applicant_iin": "applicant_iin", "subject_iin": "subject_iin", "rka": "op_rka",
	"kind": "op_kind", "stay_from": "op_stay_from", "stay_until": "op_stay_until", "": ""}

// operatorRegister registers a person in person, with the operator's
// attestation of the documents seen and the owners' written consent.
func (u *UI) operatorRegister(w http.ResponseWriter, r *http.Request) error {
	staff, err := u.requireStaff(r)
	if err != nil {
		return err
	}
	f := operatorForm{ApplicantIIN: strings.TrimSpace(r.PostFormValue("applicant_iin")), SubjectIIN: strings.TrimSpace(r.PostFormValue("subject_iin")),
		RKA: strings.TrimSpace(r.PostFormValue("rka")), Kind: r.PostFormValue("kind"), StayFrom: r.PostFormValue("stay_from"),
		StayUntil: r.PostFormValue("stay_until"), Reason: strings.TrimSpace(r.PostFormValue("reason")),
		DocumentsChecked: r.PostFormValue("documents_checked") != "", OwnersConsentInWriting: r.PostFormValue("owners_consent_in_writing") != ""}
	in := residence.SubmitInput{Kind: residence.Kind(f.Kind), ApplicantIIN: f.ApplicantIIN, SubjectIIN: f.SubjectIIN, RKA: f.RKA,
		Reason: f.Reason, Channel: residence.ChannelPSC,
		InPerson: &residence.InPersonFacts{DocumentsChecked: f.DocumentsChecked, OwnersConsentInWriting: f.OwnersConsentInWriting}}
	err = residence.CheckIIN("applicant_iin", f.ApplicantIIN)
	if err == nil && f.SubjectIIN != "" {
		err = residence.CheckIIN("subject_iin", f.SubjectIIN)
	}
	if err == nil && in.Kind == residence.Temporary {
		if in.StayFrom, err = parseDate("stay_from", f.StayFrom); err == nil {
			in.StayUntil, err = parseDate("stay_until", f.StayUntil)
		}
	}
	var app residence.Application
	if err == nil {
		app, _, err = u.svc.Submit(r.Context(), staff, in)
	}
	if err != nil {
		v, verr := u.operatorView(w, r, staff, f.ApplicantIIN)
		if verr != nil {
			return verr
		}
		v.Form = f
		if v.Errors = formErrors(v.Lang, err, operatorFields); v.Errors == nil {
			return err
		}
		return u.render(w, r, http.StatusUnprocessableEntity, "operator", v)
	}
	return redirect(w, r, "/operator/applications/"+app.ID)
}

// operatorEmigrate ends every active registration of a person leaving for
// permanent residence abroad.
func (u *UI) operatorEmigrate(w http.ResponseWriter, r *http.Request) error {
	staff, err := u.requireStaff(r)
	if err != nil {
		return err
	}
	iinStr := strings.TrimSpace(r.PostFormValue("iin"))
	err = residence.CheckIIN("iin", iinStr)
	if err == nil && r.PostFormValue("confirm") == "" {
		err = &residence.Error{Code: residence.EInvalid, Field: "confirm", Text: tr("operator.confirm_needed")}
	}
	if err == nil {
		_, err = u.svc.EndRegistrations(r.Context(), staff, iinStr, residence.EndEmigrated)
	}
	if err != nil {
		v, verr := u.operatorView(w, r, staff, iinStr)
		if verr != nil {
			return verr
		}
		if v.Errors = formErrors(v.Lang, err, map[string]string{"iin": "iin", "confirm": "emigrate_confirm", "": "emigrate_confirm"}); v.Errors == nil {
			return err
		}
		return u.render(w, r, http.StatusUnprocessableEntity, "operator", v)
	}
	return redirect(w, r, "/operator?done=emigrated&iin="+iinStr)
}

// operatorTrail shows an application with every event it caused in the
// histories of the applicant and the subject.
func (u *UI) operatorTrail(w http.ResponseWriter, r *http.Request) error {
	staff, err := u.requireStaff(r)
	if err != nil {
		return err
	}
	av, err := u.svc.Application(r.Context(), staff, r.PathValue("id"))
	if err != nil {
		return err
	}
	v := u.appView(w, r, av, "trail.title")
	var evs []residence.Event
	err = u.svc.Store().View(r.Context(), func(rd residence.Reader) error {
		seen := map[int64]bool{}
		for _, p := range []string{av.Application.SubjectIIN, av.Application.ApplicantIIN} {
			es, err := rd.PersonEvents(r.Context(), p, nil, 500)
			if err != nil {
				return err
			}
			for _, e := range es {
				if e.ApplicationID == av.Application.ID && !seen[e.ID] {
					seen[e.ID] = true
					evs = append(evs, e)
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(evs, func(a, b residence.Event) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	v.Trail = eventLines(v.Lang, evs)
	for i := range v.Trail {
		if v.Trail[i].Message == "" {
			v.Trail[i].Message = v.Trail[i].Type
		}
	}
	return u.render(w, r, http.StatusOK, "application", v)
}
