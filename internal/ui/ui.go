// Package ui serves tirkeu's server-rendered pages in Kazakh, Russian and
// English: the service passport, sign-in, the application with its
// eligibility check, the personal account, the owner's pages, the
// service-centre console and the public statistics.
//
// Pages are html/template files with typed view models, parsed once at
// start-up; static files are embedded and served under content-hash URLs.
// There is no inline script or style (the CSP forbids both), every form
// works without JavaScript, and every POST form carries a CSRF token.
// Handlers parse and render; residence.Service decides.
package ui

import (
	"embed"
	"errors"
	"html/template"
	"net/http"
	"time"

	"tirkeu/internal/demo"
	"tirkeu/internal/residence"
	"tirkeu/internal/web"
)

//go:embed templates/*.html static/*
var files embed.FS

// Options configure the pages.
type Options struct {
	// Demo shows the developer panel (the demo cast and the latest SMS) on
	// the sign-in page. Never in production.
	Demo bool
	// Secret keys the CSRF tokens (sessions and sign-in challenges are
	// web.Sessions tokens). It must be long and random in production.
	Secret []byte
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Cast returns the demo cast for the developer panel (demo.Cast).
	Cast func(time.Time) []demo.CastMember
	// Limiter limits, per client address, every form that sends or tries a
	// code, a signature or a token (nil: no limit).
	Limiter *web.IPLimiter
	// NCALayerURL is where the pages' script finds NCALayer to sign with
	// (web.NCALayerURL when empty); tests point it at a stand-in.
	NCALayerURL string
	// SealPEM is the certificate of the service's seal, served at
	// /verify/seal.pem (nil: not served).
	SealPEM []byte
}

// UI holds the pages' dependencies and parsed templates. It is safe for
// concurrent use.
type UI struct {
	svc      *residence.Service
	sessions *web.Sessions
	opts     Options
	pages    map[string]*template.Template
	static   map[string]staticFile // by hashed name
	assets   map[string]string     // file name → hashed URL
}

// New parses every template and hashes every static file; it fails when a
// template does not parse, so that a broken page stops the start-up rather
// than a request.
func New(svc *residence.Service, sessions *web.Sessions, opts Options) (*UI, error) {
	if svc == nil || sessions == nil {
		return nil, errors.New("ui: a service and sessions are required")
	}
	if len(opts.Secret) == 0 {
		return nil, errors.New("ui: a secret is required")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Cast == nil {
		opts.Cast = demo.Cast
	}
	if opts.NCALayerURL == "" {
		opts.NCALayerURL = web.NCALayerURL
	}
	u := &UI{svc: svc, sessions: sessions, opts: opts, pages: map[string]*template.Template{},
		static: map[string]staticFile{}, assets: map[string]string{}}
	if err := u.loadStatic(); err != nil {
		return nil, err
	}
	if err := u.parseTemplates(); err != nil {
		return nil, err
	}
	return u, nil
}

// not-found page, so it must be registered on the same mux as the API,
// whose more specific patterns win.
func (u *UI) Register(mux *http.ServeMux) {
	h := func(pattern string, f handler) { mux.Handle(pattern, u.wrap(f)) }
	p := func(pattern string, f handler) { mux.Handle(pattern, u.wrap(u.csrf(f))) }
	// codes are the forms that send or try a code, a signature or a token:
	// limited per client address (web.IPLimiter.Wrap).
	codes := func(pattern string, f handler) { mux.Handle(pattern, u.wrap(u.limited(u.csrf(f)))) }
	mux.HandleFunc("GET /static/{file}", u.serveStatic)

	h("GET /{$}", u.passport)
	h("GET /login", u.loginPage)
	codes("POST /login/otp", u.loginOTP)
	codes("POST /login", u.login)
	codes("POST /login/eds", u.loginEDS)
	p("POST /logout", u.logout)

	h("GET /apply", u.applyPage)
	h("GET /apply/sign", u.applySignPage)
	codes("POST /apply/sign", u.applySign)
	codes("POST /apply/submit", u.applySubmit)
	h("GET /applications/{id}", u.applicationPage)
	h("GET /applications/{id}/withdraw", u.withdrawPage)
	p("POST /applications/{id}/withdraw", u.withdraw)
	h("GET /account", u.account)

	h("GET /owner", u.ownerPage)
	codes("POST /owner/otp", u.ownerOTP)
	codes("POST /owner/consents/{id}/confirm", u.ownerConfirm)
	h("GET /owner/consents/{id}/decline", u.declinePage)
	codes("POST /owner/consents/{id}/decline", u.ownerDecline)
	codes("POST /owner/deregister", u.ownerDeregister)

	h("GET /operator", u.operatorPage)
	codes("POST /operator/login", u.operatorLogin)
	p("POST /operator/logout", u.operatorLogout)
	p("POST /operator/register", u.operatorRegister)
	p("POST /operator/emigrate", u.operatorEmigrate)
	p("POST /operator/deregister", u.operatorDeregister)
	h("GET /operator/applications/{id}", u.operatorTrail)

	p("POST /account/registrations/{id}/certificate", u.issueCertificate)
	h("GET /account/certificates/{id}", u.certificatePage)
	h("GET /account/certificates/{id}/pdf", u.certificateFile(false))
	h("GET /account/certificates/{id}/signature", u.certificateFile(true))
	mux.Handle("GET /verify/{code}", u.wrap(u.limited(u.verifyPage)))
	h("GET /verify/seal.pem", u.sealPEM)

	h("GET /stats", u.statsPage)
	h("GET /stats.csv", u.statsCSV)
	h("GET /stats.json", u.statsJSON)

	h("/", func(w http.ResponseWriter, r *http.Request) error {
		return &residence.Error{Code: residence.ENotFound, Text: tr("error.no_page")}
	})
}

// handler is a page handler; a returned error is rendered as a translated
// error page.
type handler func(w http.ResponseWriter, r *http.Request) error

// limited refuses a form beyond the client address's budget with a
// translated 429 page (Options.Limiter).
func (u *UI) limited(next handler) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := u.opts.Limiter.Take(w, r); err != nil {
			return err
		}
		return next(w, r)
	}
}

// wrap remembers a language chosen with ?lang= in a cookie, and renders a
// handler's error.
func (u *UI) wrap(f handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if l := r.URL.Query().Get("lang"); l == "kk" || l == "ru" || l == "en" {
			http.SetCookie(w, &http.Cookie{Name: "lang", Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
				HttpOnly: true, Secure: web.IsSecure(r), SameSite: http.SameSiteLaxMode})
		}
		if err := f(w, r); err != nil {
			u.fail(w, r, err)
		}
	})
}
