package ui

import (
	"context"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"tirkeu/internal/residence"
	"tirkeu/internal/web"
)

// applyForm is the application as the form holds it, carried between the
// steps (address, check, sign) in the query or in hidden fields.
type applyForm struct {
	Kind      string
	Subject   string
	Region    string
	Locality  string
	Street    string
	Building  string
	RKA       string // chosen in the address picker
	RKACode   string // typed
	StayFrom  string
	StayUntil string
	Reason    string
}

func readApplyForm(get func(string) string) applyForm {
	f := applyForm{Kind: get("kind"), Subject: get("subject"), Region: get("region"), Locality: get("locality"),
		Street: get("street"), Building: get("building"), RKA: get("rka"), RKACode: strings.TrimSpace(get("rka_code")),
		StayFrom: get("stay_from"), StayUntil: get("stay_until"), Reason: strings.TrimSpace(get("reason"))}
	if f.Kind != string(residence.Temporary) {
		f.Kind = string(residence.Permanent)
	}
	return f
}

// EffectiveRKA is the typed RKA when there is one, else the chosen one.
func (f applyForm) EffectiveRKA() string {
	if f.RKACode != "" {
		return f.RKACode
	}
	return f.RKA
}

// Hidden lists the form's values for hidden inputs.
func (f applyForm) Hidden() [][2]string {
	return [][2]string{{"kind", f.Kind}, {"subject", f.Subject}, {"region", f.Region}, {"locality", f.Locality},
		{"street", f.Street}, {"building", f.Building}, {"rka", f.RKA}, {"rka_code", f.RKACode},
		{"stay_from", f.StayFrom}, {"stay_until", f.StayUntil}, {"reason", f.Reason}}
}

// input converts the form into the use case's input. The form's own
// mistakes (check) come first: each is a field error.
func (f applyForm) input(applicant string, today time.Time, lang string) (residence.SubmitInput, []FieldError) {
	in := residence.SubmitInput{Kind: residence.Kind(f.Kind), ApplicantIIN: applicant, SubjectIIN: f.Subject,
		RKA: f.EffectiveRKA(), Reason: f.Reason, Channel: residence.ChannelPortal}
	if in.SubjectIIN == "" {
		in.SubjectIIN = applicant
	}
	errs := f.check(today, lang)
	if in.Kind == residence.Temporary {
		in.StayFrom, _ = time.Parse(time.DateOnly, f.StayFrom)
		in.StayUntil, _ = time.Parse(time.DateOnly, f.StayUntil)
	}
	return in, errs
}

// check returns the form's input errors, one per field, in the order of
// the form: no address, a malformed RKA, missing or malformed dates and a
// period the rule TemporaryPeriod refuses (with its message, on the field
// to fix). Nothing is recorded for a form with errors.
func (f applyForm) check(today time.Time, lang string) []FieldError {
	var errs []FieldError
	add := func(field string, t residence.Text) {
		errs = append(errs, FieldError{Field: field, Message: t.In(lang)})
	}
	switch {
	case f.RKACode != "" && residence.RKAShape(f.RKACode) != nil:
		add("rka_code", tr("apply.bad_rka"))
	case f.EffectiveRKA() == "":
		add("rka_code", tr("apply.no_address"))
	}
	if f.Kind != string(residence.Temporary) {
		return errs
	}
	from, errFrom := time.Parse(time.DateOnly, f.StayFrom)
	until, errUntil := time.Parse(time.DateOnly, f.StayUntil)
	switch {
	case f.StayFrom == "":
		add("stay_from", tr("apply.no_from"))
	case errFrom != nil:
		add("stay_from", tr("error.bad_date"))
	}
	switch {
	case f.StayUntil == "":
		add("stay_until", tr("apply.no_until"))
	case errUntil != nil:
		add("stay_until", tr("error.bad_date"))
	}
	if errFrom != nil || errUntil != nil {
		return errs
	}
	out := residence.TemporaryPeriod(residence.Snapshot{Kind: residence.Temporary, Date: residence.DateOf(today), StayFrom: from, StayUntil: until})
	if out.Verdict == residence.Reject {
		field := "stay_until"
		if from.After(residence.DateOf(today)) {
			field = "stay_from"
		}
		add(field, out.Message)
	}
	return errs
}

// applyFields maps the domain's field names to the form's input ids.
var applyFields = map[string]string{"kind": "kind", "subject_iin": "subject", "applicant_iin": "subject",
	"rka": "rka_code", "stay_from": "stay_from", "stay_until": "stay_until", "otp": "code", "": ""}

// subjectOption is a person the applicant may apply for.
type subjectOption struct {
	IIN      string
	Name     string
	Relation string // message key
	Age      int
}

// unitOption is one dwelling of the chosen building.
type unitOption struct {
	RKA   string
	Unit  string
	Kind  residence.PremisesKind
	Label string
}

// picker holds the choices of the address steps.
type picker struct {
	Regions, Localities, Streets, Buildings []string
	Units                                   []unitOption
}

type applyView struct {
	Page
	Form     applyForm
	Subjects []subjectOption
	Picker   picker
	Address  string // of the chosen premises
	Decision *decisionView
	// Sign step.
	IdempotencyKey string
	SubjectName    string
	Sign           EDSSign // the application's exact bytes (applicationBody)
	NoPhone        bool    // no SMS code was sent: EDS only
}

// decisionView explains a decision in plain words.
type decisionView struct {
	Status     residence.ApplicationStatus
	Online     bool // the application may be signed online now
	Rule       residence.RuleID
	LegalBasis string
	Message    string
	Next       string
	Documents  []string
	Consents   []consentLine
	Effects    []effectLine
}

type consentLine struct {
	Kind    residence.ConsentKind // whose: owner, petition, subject
	Channel residence.ConsentChannel
	Status  residence.ConsentStatus // "" before submission
	Expires time.Time
}

type effectLine struct {
	Kind    residence.Kind
	Address string
	Reason  residence.EndReason
}

func (u *UI) explain(ctx context.Context, lang string, d residence.Decision) *decisionView {
	v := &decisionView{Status: d.Status, Rule: d.Rule, LegalBasis: d.LegalBasis.In(lang), Message: d.Message.In(lang), Next: d.Next.In(lang),
		Online: d.Status == residence.StatusRegistered || d.Status == residence.StatusAwaitingConsent}
	for _, doc := range d.Documents {
		v.Documents = append(v.Documents, doc.In(lang))
	}
	for _, c := range d.Consents {
		v.Consents = append(v.Consents, consentLine{Kind: c.KindOf(), Channel: c.Channel})
	}
	for _, e := range d.Effects {
		v.Effects = append(v.Effects, effectLine{Kind: e.Kind, Address: u.address(ctx, e.RKA), Reason: e.EndReason})
	}
	return v
}

// address resolves an RKA to its address line, or returns the RKA.
func (u *UI) address(ctx context.Context, rka string) string {
	p, err := u.svc.Premises(ctx, rka)
	if err != nil || p.Address() == "" {
		return rka
	}
	return p.Address()
}

// subjects lists the applicant and the people they are the legal
// representative of (children under 18 and wards), with ages on today.
func (u *UI) subjects(ctx context.Context, a residence.Actor) ([]subjectOption, error) {
	today := residence.DateOf(u.opts.Now())
	list, err := u.svc.ApplySubjects(ctx, a)
	if err != nil {
		return nil, err
	}
	out := make([]subjectOption, 0, len(list))
	for _, x := range list {
		key := "apply.for_me"
		switch x.Relation {
		case residence.RelationParent:
			key = "apply.for_child"
		case residence.RelationGuardian:
			key = "apply.for_ward"
		}
		out = append(out, subjectOption{IIN: x.Person.IIN, Name: x.Person.FullName(), Relation: key, Age: residence.AgeOn(x.Person.BirthDate, today)})
	}
	return out, nil
}

// pickerFor lists the choices of each address step reached so far. The
// store returns the distinct regions, localities, streets and buildings
// (Service.AddressChoices, a facet query on an index), and the premises of
// one building for the last step; the lists are shown in natural order.
// The address register names no one: neither read is access-logged.
func (u *UI) pickerFor(ctx context.Context, f applyForm) (picker, error) {
	var p picker
	choices := func(field residence.AddressField, within residence.PremisesQuery) ([]string, error) {
		out, err := u.svc.AddressChoices(ctx, residence.AddressFacetQuery{Field: field, Within: within})
		slices.SortFunc(out, compareNatural)
		return out, err
	}
	err := func() error {
		var err error
		if p.Regions, err = choices(residence.AddressRegion, residence.PremisesQuery{}); err != nil || f.Region == "" {
			return err
		}
		if p.Localities, err = choices(residence.AddressLocality, residence.PremisesQuery{Region: f.Region}); err != nil || f.Locality == "" {
			return err
		}
		if p.Streets, err = choices(residence.AddressStreet, residence.PremisesQuery{Region: f.Region, Locality: f.Locality}); err != nil || f.Street == "" {
			return err
		}
		within := residence.PremisesQuery{Region: f.Region, Locality: f.Locality, Street: f.Street}
		if p.Buildings, err = choices(residence.AddressBuilding, within); err != nil || f.Building == "" {
			return err
		}
		within.Building = f.Building
		in, err := u.svc.SearchPremises(ctx, within, residence.MaxAddressChoices)
		if err != nil {
			return err
		}
		for _, x := range in {
			p.Units = append(p.Units, unitOption{RKA: x.RKA, Unit: x.Unit, Kind: x.Kind})
		}
		slices.SortFunc(p.Units, func(a, b unitOption) int { return compareNatural(a.Unit, b.Unit) })
		return nil
	}()
	return p, err
}

// compareNatural orders "2" before "10" and text after numbers.
func compareNatural(a, b string) int {
	if len(a) != len(b) && isDigits(a) && isDigits(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

func (u *UI) applyView(w http.ResponseWriter, r *http.Request, a residence.Actor, f applyForm) (*applyView, error) {
	v := &applyView{Page: u.page(w, r, "apply.title"), Form: f}
	var err error
	if v.Subjects, err = u.subjects(r.Context(), a); err != nil {
		return nil, err
	}
	if v.Form.Subject == "" {
		v.Form.Subject = a.IIN
	}
	if v.Picker, err = u.pickerFor(r.Context(), f); err != nil {
		return nil, err
	}
	if rka := f.EffectiveRKA(); rka != "" {
		v.Address = u.address(r.Context(), rka)
	}
	for _, s := range v.Subjects {
		if s.IIN == v.Form.Subject {
			v.SubjectName = s.Name
		}
	}
	return v, nil
}

// applyPage is the application form. Each address step is a plain GET of
// the same form; the check button runs the rules without writing and shows
// what will happen if the person signs ("check your answers").
func (u *UI) applyPage(w http.ResponseWriter, r *http.Request) error {
	a, err := u.requireCitizen(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := readApplyForm(q.Get)
	v, err := u.applyView(w, r, a, f)
	if err != nil {
		return err
	}
	if q.Get("check") == "" {
		return u.render(w, r, http.StatusOK, "apply", v)
	}
	if errs := u.formMistakes(r.Context(), a, f, v.Lang); errs != nil {
		v.Errors = errs
		return u.render(w, r, http.StatusUnprocessableEntity, "apply", v)
	}
	in, _ := f.input(a.IIN, u.opts.Now(), v.Lang)
	dec, err := u.svc.Check(r.Context(), a, in)
	if err != nil {
		return u.formError(w, r, "apply", v, err, applyFields, "")
	}
	v.Decision = u.explain(r.Context(), v.Lang, dec)
	return u.render(w, r, http.StatusOK, "apply", v)
}

// signQuery is the sign step's URL query: the form's values and the
// idempotency key of the submission to come.
func signQuery(f applyForm, key string) url.Values {
	q := url.Values{}
	for _, kv := range f.Hidden() {
		if kv[1] != "" {
			q.Set(kv[0], kv[1])
		}
	}
	q.Set("key", key)
	return q
}

// applySign sends the signing code, then redirects to the sign step (a
// GET: reload or Back never sends another code). A person without a phone
// in the MCD is sent to the same step, to sign with EDS.
func (u *UI) applySign(w http.ResponseWriter, r *http.Request) error {
	a, err := u.requireCitizen(r)
	if err != nil {
		return err
	}
	f := readApplyForm(r.PostFormValue)
	fail := func(errs []FieldError) error {
		v, err := u.applyView(w, r, a, f)
		if err != nil {
			return err
		}
		v.Errors = errs
		v.LangPath, v.LangQuery = "/apply", withoutKey(signQuery(f, ""))
		return u.render(w, r, http.StatusUnprocessableEntity, "apply", v)
	}
	lang := web.Lang(r)
	if errs := u.formMistakes(r.Context(), a, f, lang); errs != nil {
		return fail(errs)
	}
	key := r.PostFormValue("idempotency_key")
	if key == "" {
		var k [16]byte
		_, _ = readRand(k[:])
		key = "ui-" + hex.EncodeToString(k[:])
	}
	q := signQuery(f, key)
	if _, err := u.svc.RequestOTP(r.Context(), a.IIN, residence.OTPSign); residence.IsCode(err, residence.ENoMCDPhone) {
		q.Set("nophone", "1")
	} else if err != nil {
		errs := formErrors(lang, err, applyFields)
		if errs == nil {
			return err
		}
		return fail(errs)
	} else {
		q.Set("sent", "1")
	}
	return redirect(w, r, "/apply/sign?"+q.Encode())
}

// formMistakes returns the form's input errors: its own (check) and a
// typed RKA that the address register does not resolve. Either is a field
// error, never a refusal, and nothing is recorded.
func (u *UI) formMistakes(ctx context.Context, a residence.Actor, f applyForm, lang string) []FieldError {
	if _, errs := f.input(a.IIN, u.opts.Now(), lang); errs != nil {
		return errs
	}
	if f.RKACode != "" {
		if _, err := u.svc.Premises(ctx, f.RKACode); residence.IsCode(err, residence.ENotFound) {
			return []FieldError{{Field: "rka_code", Message: tr("apply.unknown_rka").In(lang)}}
		}
	}
	return nil
}

// applySignPage is the sign step: a summary of the answers, the field for
// the signing code and the EDS signature. It sends nothing.
func (u *UI) applySignPage(w http.ResponseWriter, r *http.Request) error {
	a, err := u.requireCitizen(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := readApplyForm(q.Get)
	if errs := u.formMistakes(r.Context(), a, f, web.Lang(r)); errs != nil {
		return redirect(w, r, "/apply?"+withoutKey(signQuery(f, "")).Encode()+"&check=1")
	}
	v, err := u.applyView(w, r, a, f)
	if err != nil {
		return err
	}
	v.IdempotencyKey = q.Get("key")
	switch {
	case q.Get("nophone") != "":
		v.NoPhone, v.Notice = true, v.T("eds.no_phone")
	case q.Get("sent") != "":
		v.Notice = v.T("apply.code_sent")
	}
	v.Sign = newEDSSign("apply", applicationBody(f, a.IIN))
	return u.render(w, r, http.StatusOK, "apply_sign", v)
}

func withoutKey(q url.Values) url.Values { q.Del("key"); return q }

// applySubmit signs and submits the application, then redirects to its
// page, which says what happened. An EDS signature (NCALayer's or an
// uploaded file) must be over the application's bytes as this form's
// fields give them (applicationBody); without one the SMS code signs.
func (u *UI) applySubmit(w http.ResponseWriter, r *http.Request) error {
	a, err := u.requireCitizen(r)
	if err != nil {
		return err
	}
	f := readApplyForm(r.PostFormValue)
	key := r.PostFormValue("idempotency_key")
	lang := web.Lang(r)
	in, errs := f.input(a.IIN, u.opts.Now(), lang)
	var cms []byte
	if errs == nil {
		in.IdempotencyKey = key
		if cms, err = postedCMS(r); err == nil && cms != nil {
			in.EDS = &residence.EDS{CMS: cms, Content: applicationBody(f, a.IIN)}
		} else if err == nil {
			if in.OTP = strings.TrimSpace(r.PostFormValue("code")); in.OTP == "" {
				errs = []FieldError{{Field: "code", Message: tr("apply.no_code").In(lang)}}
			}
		}
	}
	var app residence.Application
	if errs == nil && err == nil {
		app, _, err = u.svc.Submit(r.Context(), a, in)
	}
	if errs == nil && err != nil {
		if errs = formErrors(lang, err, applyFields); errs == nil {
			return err
		}
		if cms != nil && errs[0].Field == "" {
			errs[0].Field = "cms-apply"
		}
	}
	if errs != nil {
		v, verr := u.applyView(w, r, a, f)
		if verr != nil {
			return verr
		}
		v.Errors = errs
		v.IdempotencyKey = key
		v.NoPhone = r.PostFormValue("no_phone") != ""
		v.Sign = newEDSSign("apply", applicationBody(f, a.IIN))
		v.LangQuery = signQuery(f, key)
		return u.render(w, r, http.StatusUnprocessableEntity, "apply_sign", v)
	}
	return redirect(w, r, "/applications/"+app.ID+"?done=submitted")
}

func parseDate(field, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, &residence.Error{Code: residence.EInvalid, Field: field, Text: tr("error.bad_date")}
	}
	return t, nil
}
