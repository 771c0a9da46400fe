package api

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tirkeu/internal/residence"
	"tirkeu/internal/web"
)

// This file serves the service-centre channel (POST /api/v1/psc/…) and the
// police report of possible violations (GET /api/v1/reports/violations).

// violationPartyJSON is one party of a possible violation. Identities come
// for staff only (residence.ApplicationFor leaves them out for others).
type violationPartyJSON struct {
	IIN      string `json:"iin,omitempty"`
	BIN      string `json:"bin,omitempty"`
	Article  string `json:"article"`
	Repeated bool   `json:"repeated"`
	Warning  bool   `json:"warning"`
	FineMCI  int    `json:"fine_mci"`
	FineKZT  int64  `json:"fine_kzt"`
}

// violationJSON is a possible violation: information, nothing imposed.
type violationJSON struct {
	Level            string               `json:"level"`
	ArrivedOn        string               `json:"arrived_on"`
	RegisteredOn     string               `json:"registered_on"`
	DaysUnregistered int                  `json:"days_unregistered"`
	Year             int                  `json:"year"`
	LegalBasis       string               `json:"legal_basis"`
	Message          string               `json:"message"`
	Messages         residence.Text       `json:"messages"`
	Resident         violationPartyJSON   `json:"resident"`
	Owners           []violationPartyJSON `json:"owners"`
}

func renderParty(p residence.ViolationParty) violationPartyJSON {
	return violationPartyJSON{IIN: p.IIN, BIN: p.BIN, Article: p.Article, Repeated: p.Repeated, Warning: p.Warning,
		FineMCI: p.FineMCI, FineKZT: p.FineKZT}
}

func renderViolation(v *residence.Violation, lang string) *violationJSON {
	if v == nil {
		return nil
	}
	out := &violationJSON{Level: v.Level, ArrivedOn: dateStr(v.ArrivedOn), RegisteredOn: dateStr(v.RegisteredOn),
		DaysUnregistered: v.DaysUnregistered, Year: v.Year, LegalBasis: residence.BasisLiability,
		Message: v.Message.In(lang), Messages: v.Message, Resident: renderParty(v.Resident), Owners: []violationPartyJSON{}}
	for _, o := range v.Owners {
		out.Owners = append(out.Owners, renderParty(o))
	}
	return out
}

// inPersonJSON is what a service-centre operator checked.
type inPersonJSON struct {
	Operator    string   `json:"operator,omitempty"`
	Documents   []string `json:"documents"`
	AttorneyIIN string   `json:"attorney_iin,omitempty"`
}

// renderInPerson renders what the operator checked; the operator and the
// attorney's IIN come as the reader may see them (residence.ApplicationFor).
func renderInPerson(r *residence.InPersonRecord) *inPersonJSON {
	if r == nil {
		return nil
	}
	out := &inPersonJSON{Operator: r.Operator, Documents: []string{}, AttorneyIIN: r.AttorneyIIN}
	for _, d := range r.Documents {
		out.Documents = append(out.Documents, string(d))
	}
	return out
}

// --- service centre -----------------------------------------------------------

type pscApplicationRequest struct {
	Kind         string   `json:"kind"`
	ApplicantIIN string   `json:"applicant_iin"`
	SubjectIIN   string   `json:"subject_iin"`
	AttorneyIIN  string   `json:"attorney_iin"`
	RKA          string   `json:"rka"`
	Reason       string   `json:"reason"`
	StayFrom     string   `json:"stay_from"`
	StayUntil    string   `json:"stay_until"`
	ArrivedOn    string   `json:"arrived_on"`
	Documents    []string `json:"documents"`
}

func documents(ds []string) []residence.DocumentKind {
	out := make([]residence.DocumentKind, len(ds))
	for i, d := range ds {
		out[i] = residence.DocumentKind(strings.TrimSpace(d))
	}
	return out
}

// pscApplication registers a person on their behalf at a service centre
// (operator or admin token), with the documents checked at the counter.
func (a *API) pscApplication(w http.ResponseWriter, r *http.Request) error {
	var in pscApplicationRequest
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	for field, v := range map[string]string{"applicant_iin": in.ApplicantIIN, "subject_iin": in.SubjectIIN, "attorney_iin": in.AttorneyIIN} {
		if v == "" && field != "applicant_iin" {
			continue
		}
		if err := residence.CheckIIN(field, v); err != nil {
			return err
		}
	}
	pi := residence.PSCInput{Kind: residence.Kind(in.Kind), ApplicantIIN: in.ApplicantIIN, SubjectIIN: in.SubjectIIN,
		AttorneyIIN: in.AttorneyIIN, RKA: in.RKA, Reason: in.Reason, Documents: documents(in.Documents)}
	var err error
	if pi.StayFrom, err = parseDate("stay_from", in.StayFrom); err != nil {
		return err
	}
	if pi.StayUntil, err = parseDate("stay_until", in.StayUntil); err != nil {
		return err
	}
	if pi.ArrivedOn, err = parseDate("arrived_on", in.ArrivedOn); err != nil {
		return err
	}
	app, err := a.svc.SubmitInPerson(r.Context(), web.ActorFrom(r.Context()), pi)
	if err != nil {
		return err
	}
	return a.writeCreated(w, r, app)
}

type pscDeregistrationRequest struct {
	RequesterIIN string   `json:"requester_iin"`
	BIN          string   `json:"bin"`
	SubjectIIN   string   `json:"subject_iin"`
	RKA          string   `json:"rka"`
	Kind         string   `json:"kind"`
	Reason       string   `json:"reason"`
	Documents    []string `json:"documents"`
}

// pscDeregistration takes a person off the register at the request of the
// owner or of the owning organisation (bin), before an operator.
func (a *API) pscDeregistration(w http.ResponseWriter, r *http.Request) error {
	var in pscDeregistrationRequest
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if err := residence.CheckIIN("requester_iin", in.RequesterIIN); err != nil {
		return err
	}
	if err := residence.CheckIIN("subject_iin", in.SubjectIIN); err != nil {
		return err
	}
	if in.BIN != "" {
		if err := residence.CheckIIN("bin", in.BIN); err != nil {
			return err
		}
	}
	app, err := a.svc.DeregisterInPerson(r.Context(), web.ActorFrom(r.Context()), residence.PSCDeregisterInput{
		RequesterIIN: in.RequesterIIN, BIN: in.BIN, SubjectIIN: in.SubjectIIN, RKA: in.RKA, Kind: residence.Kind(in.Kind),
		Reason: in.Reason, Documents: documents(in.Documents)})
	if err != nil {
		return err
	}
	return a.writeCreated(w, r, app)
}

func (a *API) writeCreated(w http.ResponseWriter, r *http.Request, app residence.Application) error {
	v, err := a.submitted(r, app.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/applications/"+app.ID)
	return web.WriteJSON(w, http.StatusCreated, v)
}

// --- the police report ----------------------------------------------------------

// violationEntryJSON is one line of the violations report.
type violationEntryJSON struct {
	ApplicationID  string         `json:"application_id"`
	RegistrationID string         `json:"registration_id"`
	RKA            string         `json:"rka"`
	Region         string         `json:"region"`
	Violation      *violationJSON `json:"violation"`
}

type violationsReportJSON struct {
	From       string               `json:"from"`
	To         string               `json:"to"`
	Violations []violationEntryJSON `json:"violations"`
}

var textBadFormat = residence.Text{
	KK: "format: csv немесе json.",
	RU: "format: csv или json.",
	EN: "format must be csv or json.",
}

var textPeriodRequired = residence.Text{
	KK: "from және to күндерін ЖЖЖЖ-АА-КК пішімінде көрсетіңіз.",
	RU: "Укажите даты from и to в формате ГГГГ-ММ-ДД.",
	EN: "Give the dates from and to as YYYY-MM-DD.",
}

// violationsReport answers the possible violations of registrations begun
// in [from, to) as JSON or CSV (one row per party), for staff only; every
// person named is logged as read.
func (a *API) violationsReport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	format := q.Get("format")
	if format == "" {
		format = "json"
	}
	if format != "json" && format != "csv" {
		return &residence.Error{Code: residence.EInvalid, Field: "format", Text: textBadFormat}
	}
	from, err := parseDate("from", q.Get("from"))
	if err != nil {
		return err
	}
	to, err := parseDate("to", q.Get("to"))
	if err != nil {
		return err
	}
	if from.IsZero() || to.IsZero() {
		return &residence.Error{Code: residence.EInvalid, Field: "from", Text: textPeriodRequired}
	}
	actor := web.ActorFrom(r.Context())
	entries, err := a.svc.ViolationsReport(r.Context(), actor, from, to)
	if err != nil {
		return err
	}
	lang := lang(r)
	if format == "json" {
		out := violationsReportJSON{From: dateStr(from), To: dateStr(to), Violations: []violationEntryJSON{}}
		for _, e := range entries {
			out.Violations = append(out.Violations, violationEntryJSON{ApplicationID: e.ApplicationID,
				RegistrationID: e.RegistrationID, RKA: e.RKA, Region: e.Region, Violation: renderViolation(&e.Violation, lang)})
		}
		w.Header().Set("Cache-Control", "no-store")
		return web.WriteJSON(w, http.StatusOK, out)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="tirkeu-violations-`+dateStr(from)+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"application_id", "registration_id", "region", "rka", "arrived_on", "registered_on",
		"days_unregistered", "level", "year", "party", "iin", "bin", "article", "repeated", "warning", "fine_mci", "fine_kzt"})
	row := func(e residence.ViolationEntry, party string, p residence.ViolationParty) {
		v := e.Violation
		cells := []string{e.ApplicationID, e.RegistrationID, e.Region, e.RKA, v.ArrivedOn.Format(time.DateOnly),
			v.RegisteredOn.Format(time.DateOnly), strconv.Itoa(v.DaysUnregistered), v.Level, strconv.Itoa(v.Year), party,
			p.IIN, p.BIN, p.Article, strconv.FormatBool(p.Repeated), strconv.FormatBool(p.Warning),
			strconv.Itoa(p.FineMCI), strconv.FormatInt(p.FineKZT, 10)}
		for i := range cells {
			cells[i] = web.CSVCell(cells[i])
		}
		_ = cw.Write(cells)
	}
	for _, e := range entries {
		row(e, "resident", e.Violation.Resident)
		for _, o := range e.Violation.Owners {
			row(e, "owner", o)
		}
	}
	cw.Flush()
	return cw.Error()
}
