// Package api serves tirkeu's JSON API under /api/v1 (DESIGN.md §4): thin
// handlers that parse requests, call residence.Service and render its
// results. Errors are rendered by internal/web as problem+json.
package api

import (
	"encoding/base64"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tirkeu/internal/iin"
	"tirkeu/internal/residence"
	"tirkeu/internal/sms"
	"tirkeu/internal/web"
)

// API holds the handlers' dependencies.
type API struct {
	svc      *residence.Service
	sessions *web.Sessions
	// DevSMS enables GET /dev/sms and POST /dev/sms/reply (demo mode only).
	DevSMS bool
	// Limiter limits, per client address, every route that sends or tries
	// a code or a signature (nil: no limit).
	Limiter *web.IPLimiter
	// DeclineWords are the SMS replies that decline a consent request.
	DeclineWords []string
	// mux is the mux Register adds the routes to (for 405 answers).
	mux *http.ServeMux
}

var (
	textSignIn = residence.Text{
		KK: "Жүйеге кіріңіз.",
		RU: "Войдите в систему.",
		EN: "Please sign in.",
	}
	textCitizensOnly = residence.Text{
		KK: "Бұл бөлім тек азаматтың жеке кабинеті.",
		RU: "Этот раздел — личный кабинет гражданина.",
		EN: "This is a citizen's own account.",
	}
)

// New returns the API.
func New(svc *residence.Service, sessions *web.Sessions) *API {
	return &API{svc: svc, sessions: sessions}
}

// Register adds the API's routes to mux.
func (a *API) Register(mux *http.ServeMux) {
	a.mux = mux
	a.register(func(pattern string, h http.Handler) { mux.Handle(pattern, h) })
}

// register passes every route to handle (the OpenAPI contract test records them).
func (a *API) register(handle func(pattern string, h http.Handler)) {
	h := func(pattern string, f web.HandlerFunc) { handle(pattern, f) }
	// codes are the routes that send or try a code or a signature: limited
	// per client address (web.IPLimiter.Wrap).
	codes := func(pattern string, f web.HandlerFunc) { handle(pattern, a.Limiter.Wrap(f)) }
	codes("POST /api/v1/otp", a.requestOTP)
	codes("POST /api/v1/sessions", a.createSession)
	h("DELETE /api/v1/sessions", a.endSession)
	h("GET /api/v1/sessions/challenge", a.sessionChallenge)
	codes("POST /api/v1/applications", a.submit)
	h("GET /api/v1/applications/{id}", a.getApplication)
	codes("POST /api/v1/consents/{id}/confirm", a.confirmConsent)
	codes("POST /api/v1/consents/{id}/decline", a.declineConsent)
	h("GET /api/v1/persons/{iin}/registrations", a.personRegistrations)
	h("GET /api/v1/premises/{rka}/residents", a.premisesResidents)
	codes("POST /api/v1/deregistrations", a.deregister)
	h("GET /api/v1/events", a.events)
	h("GET /api/v1/me", citizenOnly(a.me))
	h("GET /api/v1/me/history", citizenOnly(a.history))
	h("GET /api/v1/me/access-log", citizenOnly(a.accessLog))
	h("GET /api/v1/me/consents", citizenOnly(a.myConsents))
	h("POST /api/v1/persons/{iin}/deregistration", a.endRegistrations)
	h("POST /api/v1/psc/applications", a.pscApplication)
	h("POST /api/v1/psc/deregistrations", a.pscDeregistration)
	h("GET /api/v1/reports/violations", a.violationsReport)
	h("GET /openapi.json", a.openAPI)
	// Other paths under /api/ are 404 problems, or 405 with Allow when the
	// path has routes for other methods (a.mux is nil in the contract test,
	// which only records patterns).
	handle("/api/", web.Unrouted(a.mux))
	if a.DevSMS {
		h("GET /dev/sms", a.devSMS)
		h("GET /dev/sms/last-code", a.devLastCode)
		codes("POST /dev/sms/reply", a.devSMSReply)
	}
}

func lang(r *http.Request) string { return web.Lang(r) }

// checkIIN validates an IIN field with its check digit.
func checkIIN(field, v string) error {
	if err := iin.Validate(v); err != nil {
		return &residence.Error{Code: residence.EInvalid, Field: field, Text: residence.Text{
			KK: field + ": ЖСН жарамсыз (" + err.Error() + ").",
			RU: field + ": недействительный ИИН (" + err.Error() + ").",
			EN: field + ": not a valid IIN (" + err.Error() + ").",
		}}
	}
	return nil
}

func parseDate(field, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, &residence.Error{Code: residence.EInvalid, Field: field, Text: residence.Text{
			KK: field + ": күн ЖЖЖЖ-АА-КК пішімінде болуы керек.",
			RU: field + ": дата должна быть в формате ГГГГ-ММ-ДД.",
			EN: field + ": dates must be in the form YYYY-MM-DD.",
		}}
	}
	return t, nil
}

// decodeSigned reads a JSON request body that may be signed with EDS: it
// decodes the body into v and returns the signature over its exact bytes
// (nil when the Signature header is absent).
func decodeSigned(r *http.Request, v any) (*residence.EDS, error) {
	body, err := readBody(r)
	if err != nil {
		return nil, err
	}
	if err := decodeBytes(body, v); err != nil {
		return nil, err
	}
	return signature(r, body)
}

// signature reads the EDS from the Signature header: a base64 detached CMS
// over the exact request body. It returns nil when the header is absent.
func signature(r *http.Request, body []byte) (*residence.EDS, error) {
	h := strings.TrimSpace(r.Header.Get("Signature"))
	if h == "" {
		return nil, nil
	}
	cms, err := base64.StdEncoding.DecodeString(h)
	if err != nil {
		return nil, residence.NewError("signature_invalid", residence.Text{
			KK: "Signature тақырыбы base64 пішімінде болуы керек.",
			RU: "Заголовок Signature должен быть в base64.",
			EN: "The Signature header must be base64.",
		})
	}
	return &residence.EDS{CMS: cms, Content: body}, nil
}

// --- one-time passwords and sessions -----------------------------------

type otpRequest struct {
	IIN     string `json:"iin"`
	Purpose string `json:"purpose"`
}

type otpResponse struct {
	ID        string    `json:"id"`
	Purpose   string    `json:"purpose"`
	Sent      bool      `json:"sent"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (a *API) requestOTP(w http.ResponseWriter, r *http.Request) error {
	var in otpRequest
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if err := checkIIN("iin", in.IIN); err != nil {
		return err
	}
	if in.Purpose == "" {
		in.Purpose = string(residence.OTPLogin)
	}
	o, err := a.svc.RequestOTP(r.Context(), in.IIN, residence.OTPPurpose(in.Purpose))
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, otpResponse{ID: o.ID, Purpose: string(o.Purpose), Sent: true, ExpiresAt: o.ExpiresAt})
}

type sessionRequest struct {
	IIN       string `json:"iin"`
	OTP       string `json:"otp"`
	Challenge string `json:"challenge"` // EDS sign-in: from GET /api/v1/sessions/challenge
}

type challengeResponse struct {
	Challenge string    `json:"challenge"`
	ExpiresAt time.Time `json:"expires_at"`
}

// sessionChallenge issues a challenge for EDS sign-in: the client signs the
// body {"challenge": "..."} and posts it to /api/v1/sessions with the
// Signature header.
func (a *API) sessionChallenge(w http.ResponseWriter, r *http.Request) error {
	c, exp := a.sessions.Challenge(5 * time.Minute)
	return web.WriteJSON(w, http.StatusOK, challengeResponse{Challenge: c, ExpiresAt: exp})
}

var textBadChallenge = residence.Text{
	KK: "Кіру сұрауы жарамсыз немесе мерзімі өткен: жаңасын алып, қайта қол қойыңыз.",
	RU: "Запрос входа недействителен или устарел: получите новый и подпишите снова.",
	EN: "The sign-in challenge is invalid or expired: get a new one and sign again.",
}

type sessionResponse struct {
	Token     string    `json:"token"`
	TokenType string    `json:"token_type"`
	IIN       string    `json:"iin"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (a *API) createSession(w http.ResponseWriter, r *http.Request) error {
	var actor residence.Actor
	var in sessionRequest
	if sig, err := decodeSigned(r, &in); err != nil {
		return err
	} else if sig != nil {
		if err := a.sessions.CheckChallenge(in.Challenge); err != nil {
			return &residence.Error{Code: residence.EUnauthenticated, Field: "challenge", Text: textBadChallenge}
		}
		if actor, err = a.svc.LoginEDS(r.Context(), *sig); err != nil {
			return err
		}
		// The challenge is redeemed with the session's start, once:
		// replaying the signed body is challenge_reused (409).
		tok, exp, err := a.sessions.IssueEDS(r.Context(), actor, in.Challenge)
		if err != nil {
			return err
		}
		return web.WriteJSON(w, http.StatusCreated, sessionResponse{Token: tok, TokenType: "Bearer", IIN: actor.IIN, ExpiresAt: exp})
	} else {
		if err := checkIIN("iin", in.IIN); err != nil {
			return err
		}
		if actor, err = a.svc.Login(r.Context(), in.IIN, in.OTP); err != nil {
			return err
		}
	}
	tok, exp, err := a.sessions.Issue(r.Context(), actor)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, sessionResponse{Token: tok, TokenType: "Bearer", IIN: actor.IIN, ExpiresAt: exp})
}

// endSession signs out: the bearer session is revoked on the server, so a
// copy of the token is refused (401) from now on. Without a citizen session
// there is nothing to end: 401.
func (a *API) endSession(w http.ResponseWriter, r *http.Request) error {
	if web.ActorFrom(r.Context()).Role != residence.RoleCitizen {
		return residence.NewError(residence.EUnauthenticated, textNoSession)
	}
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if err := a.sessions.End(r.Context(), strings.TrimSpace(tok)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

var textNoSession = residence.Text{
	KK: "Аяқталатын сеанс жоқ: сеанс таңбалауышын Authorization: Bearer тақырыбында жіберіңіз.",
	RU: "Нет сеанса для завершения: передайте токен сеанса в заголовке Authorization: Bearer.",
	EN: "There is no session to end: send the session token in the Authorization: Bearer header.",
}

// --- applications -------------------------------------------------------

type submitRequest struct {
	Kind         string `json:"kind"`
	ApplicantIIN string `json:"applicant_iin"`
	SubjectIIN   string `json:"subject_iin"`
	RKA          string `json:"rka"`
	Reason       string `json:"reason"`
	StayFrom     string `json:"stay_from"`
	StayUntil    string `json:"stay_until"`
	ArrivedOn    string `json:"arrived_on"`
	OTP          string `json:"otp"`
	Channel      string `json:"channel"`
	// Operators at a service centre attest what they checked.
	DocumentsChecked       bool `json:"documents_checked"`
	OwnersConsentInWriting bool `json:"owners_consent_in_writing"`
}

func (a *API) submit(w http.ResponseWriter, r *http.Request) error {
	var in submitRequest
	sig, err := decodeSigned(r, &in)
	if err != nil {
		return err
	}
	if in.ApplicantIIN == "" {
		in.ApplicantIIN = web.ActorFrom(r.Context()).IIN
	}
	if err := checkIIN("applicant_iin", in.ApplicantIIN); err != nil {
		return err
	}
	if in.SubjectIIN != "" {
		if err := checkIIN("subject_iin", in.SubjectIIN); err != nil {
			return err
		}
	}
	si := residence.SubmitInput{Kind: residence.Kind(in.Kind), ApplicantIIN: in.ApplicantIIN, SubjectIIN: in.SubjectIIN,
		RKA: strings.TrimSpace(in.RKA), Reason: in.Reason, OTP: strings.TrimSpace(in.OTP), Channel: residence.Channel(in.Channel),
		IdempotencyKey: r.Header.Get("Idempotency-Key")}
	if si.Channel != residence.ChannelPortal && si.Channel != residence.ChannelMobile {
		si.Channel = residence.ChannelAPI
	}
	if si.StayFrom, err = parseDate("stay_from", in.StayFrom); err != nil {
		return err
	}
	if si.StayUntil, err = parseDate("stay_until", in.StayUntil); err != nil {
		return err
	}
	if si.ArrivedOn, err = parseDate("arrived_on", in.ArrivedOn); err != nil {
		return err
	}
	si.EDS = sig
	actor := web.ActorFrom(r.Context())
	if actor.IsStaff() {
		si.InPerson = &residence.InPersonFacts{OperatorID: actor.Name, DocumentsChecked: in.DocumentsChecked,
			OwnersConsentInWriting: in.OwnersConsentInWriting}
	}
	// The answer is read in the submission's transaction (SubmitView), as
	// SubmittedView would read it after the commit.
	view, created, err := a.svc.SubmitView(r.Context(), actor, si)
	if err != nil {
		return err
	}
	app := view.Application
	v := renderView(view, actor, lang(r))
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
		w.Header().Set("Idempotent-Replayed", "true")
	}
	w.Header().Set("Location", "/api/v1/applications/"+app.ID)
	return web.WriteJSON(w, status, v)
}

// submitted renders an application to the one who has just submitted it.
func (a *API) submitted(r *http.Request, id string) (any, error) {
	v, err := a.svc.SubmittedView(r.Context(), web.ActorFrom(r.Context()), id)
	if err != nil {
		return nil, err
	}
	return renderView(v, web.ActorFrom(r.Context()), lang(r)), nil
}

// renderView renders an application view: whole for a party (the persons'
// IINs as the reader may see them), status and rule only for the tracking
// view.
func renderView(v residence.ApplicationView, actor residence.Actor, lang string) any {
	if !v.Party {
		return renderTracking(v.Application, lang)
	}
	return renderApplication(v.Application, v.Consents, actor, lang)
}

func (a *API) getApplication(w http.ResponseWriter, r *http.Request) error {
	id, err := pathKey(r, "id")
	if err != nil {
		return err
	}
	v, err := a.svc.Application(r.Context(), web.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, renderView(v, web.ActorFrom(r.Context()), lang(r)))
}

type consentRequest struct {
	Code string `json:"code"`
}

func (a *API) answer(w http.ResponseWriter, r *http.Request, confirm bool) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	var in consentRequest
	if len(strings.TrimSpace(string(body))) > 0 {
		if err := decodeBytes(body, &in); err != nil {
			return err
		}
	}
	ans := residence.ConsentAnswer{Code: strings.TrimSpace(in.Code)}
	if ans.EDS, err = signature(r, body); err != nil {
		return err
	}
	actor := web.ActorFrom(r.Context())
	id, err := pathKey(r, "id")
	if err != nil {
		return err
	}
	if confirm {
		_, err = a.svc.ConfirmConsent(r.Context(), actor, id, ans)
	} else {
		_, err = a.svc.DeclineConsent(r.Context(), actor, id, ans)
	}
	if err != nil {
		return err
	}
	// The owner reads the application they answered, as its party.
	v, err := a.svc.AnsweredView(r.Context(), actor, id)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, renderView(v, actor, lang(r)))
}

func (a *API) confirmConsent(w http.ResponseWriter, r *http.Request) error {
	return a.answer(w, r, true)
}
func (a *API) declineConsent(w http.ResponseWriter, r *http.Request) error {
	return a.answer(w, r, false)
}

// --- registrations and residents -----------------------------------------

func (a *API) personRegistrations(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("iin")
	if err := checkIIN("iin", id); err != nil {
		return err
	}
	return a.writeAddresses(w, r, web.ActorFrom(r.Context()), id)
}

// writeAddresses answers with the person's registrations and their premises.
func (a *API) writeAddresses(w http.ResponseWriter, r *http.Request, actor residence.Actor, iin string) error {
	ad, err := a.svc.PersonAddresses(r.Context(), actor, iin)
	if err != nil {
		return err
	}
	out := make([]registrationJSON, 0, len(ad.Registrations))
	for _, reg := range ad.Registrations {
		out = append(out, renderRegistration(reg, ad.Premises[reg.RKA]))
	}
	for _, d := range ad.Derived {
		rj := renderRegistration(d.Registration, ad.Premises[d.Registration.RKA])
		rj.IIN = ad.Person.IIN // the child's address, taken from the parent's registration
		rj.DerivedFrom = &derivedFromJSON{IIN: maskFor(actor, d.From), Relation: string(d.Relation)}
		out = append(out, rj)
	}
	return web.WriteJSON(w, http.StatusOK, personRegistrationsJSON{Person: personSummary(ad.Person), Registrations: out})
}

func (a *API) premisesResidents(w http.ResponseWriter, r *http.Request) error {
	rka, err := pathKey(r, "rka")
	if err != nil {
		return err
	}
	prem, residents, err := a.svc.PremisesResidents(r.Context(), web.ActorFrom(r.Context()), rka)
	if err != nil {
		return err
	}
	out := residentsJSON{Premises: renderPremises(prem), Residents: []residentJSON{}}
	for _, res := range residents {
		out.Residents = append(out.Residents, residentJSON{Person: personSummary(res.Person), Registration: renderRegistration(res.Registration, prem)})
	}
	return web.WriteJSON(w, http.StatusOK, out)
}

type deregisterRequest struct {
	OwnerIIN   string `json:"owner_iin"`
	SubjectIIN string `json:"subject_iin"`
	RKA        string `json:"rka"`
	Kind       string `json:"kind"`
	Reason     string `json:"reason"`
	OTP        string `json:"otp"`
}

func (a *API) deregister(w http.ResponseWriter, r *http.Request) error {
	var in deregisterRequest
	sig, err := decodeSigned(r, &in)
	if err != nil {
		return err
	}
	if in.OwnerIIN == "" {
		in.OwnerIIN = web.ActorFrom(r.Context()).IIN
	}
	if err := checkIIN("owner_iin", in.OwnerIIN); err != nil {
		return err
	}
	if err := checkIIN("subject_iin", in.SubjectIIN); err != nil {
		return err
	}
	di := residence.DeregisterInput{OwnerIIN: in.OwnerIIN, SubjectIIN: in.SubjectIIN, RKA: strings.TrimSpace(in.RKA),
		Kind: residence.Kind(in.Kind), Reason: in.Reason, OTP: strings.TrimSpace(in.OTP)}
	di.EDS = sig
	app, err := a.svc.Deregister(r.Context(), web.ActorFrom(r.Context()), di)
	if err != nil {
		return err
	}
	v, err := a.submitted(r, app.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/applications/"+app.ID)
	return web.WriteJSON(w, http.StatusCreated, v)
}

type endRegistrationsRequest struct {
	Reason string `json:"reason"`
}

// endRegistrations lets an operator record emigration (or a court decision)
// for a person: every active registration ends.
func (a *API) endRegistrations(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("iin")
	if err := checkIIN("iin", id); err != nil {
		return err
	}
	var in endRegistrationsRequest
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	actor := web.ActorFrom(r.Context())
	ended, err := a.svc.EndRegistrations(r.Context(), actor, id, residence.EndReason(in.Reason))
	if err != nil {
		return err
	}
	// The registrations ended, with their premises, as the operator reads them.
	ad, err := a.svc.PersonAddresses(r.Context(), actor, id)
	if err != nil {
		return err
	}
	out := make([]registrationJSON, 0, len(ended))
	for _, reg := range ended {
		for _, now := range ad.Registrations {
			if now.ID == reg.ID {
				reg = now
			}
		}
		out = append(out, renderRegistration(reg, ad.Premises[reg.RKA]))
	}
	return web.WriteJSON(w, http.StatusOK, map[string]any{"ended": out})
}

// --- feed and personal account ------------------------------------------

func (a *API) events(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	after, err := queryInt(q.Get("after"), 0)
	if err != nil {
		return residence.NewError(residence.EInvalid, residence.Text{KK: "after: сан болуы керек.", RU: "after: должно быть числом.", EN: "after must be a number."})
	}
	limit, err := queryInt(q.Get("limit"), 100)
	if err != nil {
		return residence.NewError(residence.EInvalid, residence.Text{KK: "limit: сан болуы керек.", RU: "limit: должно быть числом.", EN: "limit must be a number."})
	}
	evs, err := a.svc.Feed(r.Context(), web.ActorFrom(r.Context()), after, int(limit))
	if err != nil {
		return err
	}
	out := feedJSON{Events: make([]eventJSON, 0, len(evs)), Next: after}
	for _, e := range evs {
		out.Events = append(out.Events, renderEvent(e, lang(r)))
		out.Next = e.Seq
	}
	return web.WriteJSON(w, http.StatusOK, out)
}

func queryInt(s string, def int64) (int64, error) {
	if s == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, residence.ErrNotFound
	}
	return n, nil
}

// citizenOnly guards the personal account's routes (/api/v1/me…): without
// a session 401, with a valid token of staff or an agency 403 (it is
// authenticated, but the account is a citizen's own).
func citizenOnly(f web.HandlerFunc) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		switch web.ActorFrom(r.Context()).Role {
		case residence.RoleCitizen:
			return f(w, r)
		case "":
			return residence.NewError(residence.EUnauthenticated, textSignIn)
		default:
			return residence.NewError(residence.EForbidden, textCitizensOnly)
		}
	}
}

func (a *API) me(w http.ResponseWriter, r *http.Request) error {
	actor := web.ActorFrom(r.Context())
	return a.writeAddresses(w, r, actor, actor.IIN)
}

func (a *API) history(w http.ResponseWriter, r *http.Request) error {
	actor := web.ActorFrom(r.Context())
	apps, evs, err := a.svc.History(r.Context(), actor, 100)
	if err != nil {
		return err
	}
	out := historyJSON{Applications: []applicationJSON{}, Messages: []eventJSON{}}
	for _, app := range apps {
		out.Applications = append(out.Applications, renderApplication(app, nil, actor, lang(r)))
	}
	for _, e := range evs {
		out.Messages = append(out.Messages, renderEvent(e, lang(r)))
	}
	return web.WriteJSON(w, http.StatusOK, out)
}

func (a *API) accessLog(w http.ResponseWriter, r *http.Request) error {
	evs, err := a.svc.AccessLog(r.Context(), web.ActorFrom(r.Context()), 200)
	if err != nil {
		return err
	}
	out := accessLogJSON{Reads: []accessJSON{}}
	for _, e := range evs {
		out.Reads = append(out.Reads, renderAccess(e))
	}
	return web.WriteJSON(w, http.StatusOK, out)
}

func (a *API) myConsents(w http.ResponseWriter, r *http.Request) error {
	actor := web.ActorFrom(r.Context())
	views, err := a.svc.PendingConsents(r.Context(), actor)
	if err != nil {
		return err
	}
	out := consentsJSON{Consents: []pendingConsentJSON{}}
	for _, v := range views {
		for _, t := range v.Consents {
			out.Consents = append(out.Consents, pendingConsentJSON{Consent: renderTask(t, actor), Application: renderApplication(v.Application, nil, actor, lang(r))})
		}
	}
	return web.WriteJSON(w, http.StatusOK, out)
}

// --- demo SMS outbox ----------------------------------------------------------

func (a *API) devSMS(w http.ResponseWriter, r *http.Request) error {
	msgs, err := a.svc.Outbox(r.Context(), 1000)
	if err != nil {
		return err
	}
	to := residence.NormalizePhone(r.URL.Query().Get("to"))
	out := make([]smsJSON, 0, len(msgs))
	for _, m := range msgs {
		if to != "" && m.To != to {
			continue
		}
		code, _ := sms.ExtractCode(m.Text)
		out = append(out, smsJSON{ID: m.ID, To: m.To, From: m.From, Text: m.Text, Code: code, CreatedAt: m.CreatedAt, Status: string(m.Status)})
	}
	return web.WriteJSON(w, http.StatusOK, out)
}

// devLastCode answers the code of the newest SMS to a phone as plain text,
// so a demo walk-through with curl needs no JSON tool.
func (a *API) devLastCode(w http.ResponseWriter, r *http.Request) error {
	to := residence.NormalizePhone(r.URL.Query().Get("to"))
	if to == "" {
		return residence.NewError(residence.EInvalid, residence.Text{KK: "to: телефон нөмірі қажет.", RU: "to: нужен номер телефона.", EN: "to: a phone number is required."})
	}
	msgs, err := a.svc.Outbox(r.Context(), 1000)
	if err != nil {
		return err
	}
	for i := len(msgs) - 1; i >= 0; i-- {
		if code, ok := sms.ExtractCode(msgs[i].Text); ok && msgs[i].To == to {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			_, err := io.WriteString(w, code+"\n")
			return err
		}
	}
	return residence.ErrNotFound
}

type smsReplyRequest struct {
	From string `json:"from"`
	Text string `json:"text"`
}

func (a *API) devSMSReply(w http.ResponseWriter, r *http.Request) error {
	var in smsReplyRequest
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if in.From == "" || in.Text == "" {
		return residence.NewError(residence.EInvalid, residence.Text{KK: "from және text қажет.", RU: "Нужны from и text.", EN: "from and text are required."})
	}
	app, err := a.svc.ReceiveSMS(r.Context(), in.From, in.Text, a.DeclineWords)
	if err != nil {
		return err
	}
	// The reply came from a phone, not a signed-in person: the tracking view.
	v, err := a.svc.Application(r.Context(), residence.Actor{}, app.ID)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, renderView(v, residence.Actor{}, lang(r)))
}
