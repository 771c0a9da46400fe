// Package api serves tirkeu's JSON API under /api/v1 (DESIGN.md §4): thin
// handlers that parse requests, call residence.Service and render its
// results. Errors are rendered by internal/web as problem+json.
//
// Each resource has its own file named for it: sessions.go holds the
// one-time passwords and sessions; registrations.go a person's
// registrations, a premises' residents and deregistration; events.go the
// agencies' feed; me.go the personal account; reports.go the
// service-centre channel and the violations report; dev.go the demo SMS
// outbox. render.go turns domain values into the JSON that openapi.json
// (embedded, served at /openapi.json) describes.
package api

import (
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"tirkeu/internal/residence"
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
	// mux is the mux Register adds the routes to (for 405 answers).
	mux *http.ServeMux
	// DevSMSPage renders the demo outbox (oldest first, as read) as an
	// HTML page for a browser (ui.UI.RenderOutbox); nil: JSON only.
	DevSMSPage func(w http.ResponseWriter, r *http.Request, msgs []residence.SMS) error
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
	h("POST /api/v1/applications/{id}/withdraw", a.withdraw)
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
	h("GET /api/v1/registrations/{id}/certificate", a.issueCertificate)
	h("GET /api/v1/certificates/{id}", a.getCertificate(false))
	h("GET /api/v1/certificates/{id}/signature", a.getCertificate(true))
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
		return nil, residence.NewError(residence.ESignatureInvalid, residence.Text{
			KK: "Signature тақырыбы base64 пішімінде болуы керек.",
			RU: "Заголовок Signature должен быть в base64.",
			EN: "The Signature header must be base64.",
		})
	}
	return &residence.EDS{CMS: cms, Content: body}, nil
}
