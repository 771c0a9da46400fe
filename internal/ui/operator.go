package ui

import (
	"net/http"
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
	// Looked up without the token cache, so a revoked token ends the session at once.
	t, err := u.svc.TokenActor(r.Context(), hash)
	if err != nil || t.Role != a.Role {
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
	Dereg         deregisterForm
	Emigrated     int
	// Ref is a short reference searched for, and Found its applications.
	Ref   string
	Found []residence.Application
}

// operatorForm is the in-person registration form.
type operatorForm struct {
	ApplicantIIN string
	SubjectIIN   string
	AttorneyIIN  string
	RKA          string
	Kind         string
	StayFrom     string
	StayUntil    string
	ArrivedOn    string
	Reason       string
	Documents    []docBox
}

// deregisterForm is the in-person deregistration form.
type deregisterForm struct {
	RequesterIIN string
	BIN          string
	SubjectIIN   string
	RKA          string
	Kind         string
	Reason       string
	Documents    []docBox
}

// docBox is one document checkbox of a form: its kind, its label key
// (doc.<kind>) and whether it is ticked.
type docBox struct {
	Kind    string
	Checked bool
}

// docBoxes returns the checkboxes of every document kind, ticked as in r's
// form values named prefix+kind.
func docBoxes(r *http.Request, prefix string) ([]docBox, []residence.DocumentKind) {
	var boxes []docBox
	var kinds []residence.DocumentKind
	for _, k := range residence.DocumentKinds {
		on := r != nil && r.PostFormValue(prefix+string(k)) != ""
		boxes = append(boxes, docBox{Kind: string(k), Checked: on})
		if on {
			kinds = append(kinds, k)
		}
	}
	return boxes, kinds
}

func (u *UI) operatorView(w http.ResponseWriter, r *http.Request, staff residence.Actor, iinStr string) (*operatorView, error) {
	v := &operatorView{Page: u.page(w, r, "operator.title"), IIN: iinStr}
	v.Form.ApplicantIIN, v.Form.Kind = iinStr, string(residence.Permanent)
	v.Form.Documents, _ = docBoxes(nil, "doc_")
	v.Dereg.Documents, _ = docBoxes(nil, "ddoc_")
	v.Dereg.SubjectIIN = iinStr
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
	v.Applications, err = u.svc.PersonApplications(r.Context(), staff, iinStr, 20)
	return v, err
}

func (u *UI) operatorPage(w http.ResponseWriter, r *http.Request) error {
	staff := u.staff(r)
	v, err := u.operatorView(w, r, staff, strings.TrimSpace(r.URL.Query().Get("iin")))
	if err != nil {
		return err
	}
	if v.Ref = strings.TrimSpace(r.URL.Query().Get("ref")); v.Ref != "" && staff.Role != "" {
		found, err := u.svc.FindByReference(r.Context(), staff, v.Ref)
		if err != nil {
			return u.formError(w, r, "operator", v, err, map[string]string{"ref": "ref"}, "ref")
		}
		if len(found) == 1 {
			return redirect(w, r, "/operator/applications/"+found[0].ID)
		}
		if v.Found = found; len(found) == 0 {
			v.Errors = []FieldError{{Field: "ref", Message: v.T("operator.ref_none")}}
		}
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
		// Whatever the domain's field, the mistake is the token typed.
		return u.formError(w, r, "operator", v, err, map[string]string{"token": "token"}, "token")
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

var operatorFields = map[string]string{"applicant_iin": "applicant_iin", "subject_iin": "subject_iin", "attorney_iin": "attorney_iin",
	"rka": "op_rka", "kind": "op_kind", "stay_from": "op_stay_from", "stay_until": "op_stay_until", "arrived_on": "op_arrived_on",
	"documents": "doc_identity", "": ""}

func init() {
	for _, k := range residence.DocumentKinds {
		operatorFields["doc_"+string(k)] = "doc_" + string(k)
	}
}

// operatorRegister registers a person in person (residence.SubmitInPerson),
// with the documents the operator ticked. A mistake in the form is shown on
// the form and recorded nowhere.
func (u *UI) operatorRegister(w http.ResponseWriter, r *http.Request) error {
	staff, err := u.requireStaff(r)
	if err != nil {
		return err
	}
	f := operatorForm{ApplicantIIN: strings.TrimSpace(r.PostFormValue("applicant_iin")), SubjectIIN: strings.TrimSpace(r.PostFormValue("subject_iin")),
		AttorneyIIN: strings.TrimSpace(r.PostFormValue("attorney_iin")),
		RKA:         strings.TrimSpace(r.PostFormValue("rka")), Kind: r.PostFormValue("kind"), StayFrom: r.PostFormValue("stay_from"),
		StayUntil: r.PostFormValue("stay_until"), ArrivedOn: r.PostFormValue("arrived_on"), Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	var docs []residence.DocumentKind
	f.Documents, docs = docBoxes(r, "doc_")
	in := residence.PSCInput{Kind: residence.Kind(f.Kind), ApplicantIIN: f.ApplicantIIN, SubjectIIN: f.SubjectIIN, AttorneyIIN: f.AttorneyIIN,
		RKA: f.RKA, Reason: f.Reason, Documents: docs}
	err = residence.CheckIIN("applicant_iin", f.ApplicantIIN)
	if err == nil && f.SubjectIIN != "" {
		err = residence.CheckIIN("subject_iin", f.SubjectIIN)
	}
	if err == nil && f.AttorneyIIN != "" {
		err = residence.CheckIIN("attorney_iin", f.AttorneyIIN)
	}
	if err == nil && in.Kind == residence.Temporary {
		if in.StayFrom, err = parseDate("stay_from", f.StayFrom); err == nil {
			in.StayUntil, err = parseDate("stay_until", f.StayUntil)
		}
	}
	if err == nil && f.ArrivedOn != "" {
		in.ArrivedOn, err = parseDate("arrived_on", f.ArrivedOn)
	}
	var app residence.Application
	if err == nil {
		app, err = u.svc.SubmitInPerson(r.Context(), staff, in)
	}
	if err != nil {
		v, verr := u.operatorView(w, r, staff, f.ApplicantIIN)
		if verr != nil {
			return verr
		}
		v.Form = f
		return u.formError(w, r, "operator", v, err, operatorFields, "")
	}
	return redirect(w, r, "/operator/applications/"+app.ID)
}

var deregisterFields = map[string]string{"owner_iin": "dereg_requester", "requester_iin": "dereg_requester", "bin": "dereg_bin",
	"subject_iin": "dereg_subject", "rka": "dereg_rka", "kind": "dereg_kind", "documents": "ddoc_identity", "": ""}

func init() {
	for _, k := range residence.DocumentKinds {
		deregisterFields["doc_"+string(k)] = "ddoc_" + string(k)
	}
}

// operatorDeregister takes a person off the register of premises at the
// request of the owner or of the owning organisation (BIN), before the
// operator (residence.DeregisterInPerson).
func (u *UI) operatorDeregister(w http.ResponseWriter, r *http.Request) error {
	staff, err := u.requireStaff(r)
	if err != nil {
		return err
	}
	f := deregisterForm{RequesterIIN: strings.TrimSpace(r.PostFormValue("requester_iin")), BIN: strings.TrimSpace(r.PostFormValue("bin")),
		SubjectIIN: strings.TrimSpace(r.PostFormValue("subject_iin")), RKA: strings.TrimSpace(r.PostFormValue("rka")),
		Kind: r.PostFormValue("kind"), Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	var docs []residence.DocumentKind
	f.Documents, docs = docBoxes(r, "ddoc_")
	err = residence.CheckIIN("requester_iin", f.RequesterIIN)
	if err == nil {
		err = residence.CheckIIN("subject_iin", f.SubjectIIN)
	}
	if err == nil && f.BIN != "" {
		err = residence.CheckIIN("bin", f.BIN)
	}
	var app residence.Application
	if err == nil {
		app, err = u.svc.DeregisterInPerson(r.Context(), staff, residence.PSCDeregisterInput{RequesterIIN: f.RequesterIIN, BIN: f.BIN,
			SubjectIIN: f.SubjectIIN, RKA: f.RKA, Kind: residence.Kind(f.Kind), Reason: f.Reason, Documents: docs})
	}
	if err != nil {
		v, verr := u.operatorView(w, r, staff, f.SubjectIIN)
		if verr != nil {
			return verr
		}
		v.Dereg = f
		return u.formError(w, r, "operator", v, err, deregisterFields, "")
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
		return u.formError(w, r, "operator", v, err, map[string]string{"iin": "iin", "confirm": "emigrate_confirm"}, "emigrate_confirm")
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
	av, evs, err := u.svc.ApplicationTrail(r.Context(), staff, r.PathValue("id"))
	if err != nil {
		return err
	}
	v := u.appView(w, r, av, "trail.title")
	v.Trail = eventLines(v.Lang, evs)
	for i := range v.Trail {
		if v.Trail[i].Message == "" {
			v.Trail[i].Message = v.Trail[i].Type
		}
	}
	return u.render(w, r, http.StatusOK, "application", v)
}
