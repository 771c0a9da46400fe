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
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
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

type staticFile struct {
	body        []byte
	contentType string
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

func (u *UI) loadStatic() error {
	entries, err := fs.ReadDir(files, "static")
	if err != nil {
		return fmt.Errorf("ui: static: %w", err)
	}
	for _, e := range entries {
		b, err := files.ReadFile("static/" + e.Name())
		if err != nil {
			return fmt.Errorf("ui: static: %w", err)
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(e.Name())
		hashed := strings.TrimSuffix(e.Name(), ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
		ct := "application/octet-stream"
		switch ext {
		case ".css":
			ct = "text/css; charset=utf-8"
		case ".js":
			ct = "text/javascript; charset=utf-8"
		case ".svg":
			ct = "image/svg+xml"
		}
		u.static[hashed] = staticFile{body: b, contentType: ct}
		u.assets[e.Name()] = "/static/" + hashed
	}
	return nil
}

// funcs are the helpers templates use besides the view models' methods.
var funcs = template.FuncMap{
	"add": func(a, b int) int { return a + b },
	// pair hands a partial template its page and one item.
	"pair": func(page any, item any) pageItem { return pageItem{P: page, I: item} },
	// edsConsent and edsDereg are the signing widgets of a consent answer
	// and of an owner's deregistration request (eds.go).
	"edsConsent": func(taskID string) EDSSign {
		return newEDSSign("consent-"+taskID, consentBody(taskID, "confirm"))
	},
	"edsDereg": func(owner, subject, rka, kind string) EDSSign {
		return newEDSSign("dereg-"+rka+"-"+subject, deregistrationBody(owner, subject, rka, kind, ""))
	},
}

// pageItem is what a partial template gets from pair: the page (for T,
// Time, CSRF and errors) and the item it renders.
type pageItem struct {
	P any
	I any
}

func (u *UI) parseTemplates() error {
	base, err := template.New("base").Funcs(funcs).ParseFS(files, "templates/layout.html")
	if err != nil {
		return fmt.Errorf("ui: templates: %w", err)
	}
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		return err
	}
	for _, n := range names {
		name := path.Base(n)
		if name == "layout.html" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(files, n)
		if err != nil {
			return fmt.Errorf("ui: templates: %s: %w", name, err)
		}
		u.pages[strings.TrimSuffix(name, ".html")] = t
	}
	return nil
}

// Register adds the pages' routes to mux. It claims "/" for a translated
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

func (u *UI) serveStatic(w http.ResponseWriter, r *http.Request) {
	f, ok := u.static[r.PathValue("file")]
	if !ok {
		u.fail(w, r, &residence.Error{Code: residence.ENotFound, Text: tr("error.no_page")})
		return
	}
	w.Header().Set("Content-Type", f.contentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, _ = w.Write(f.body)
}

// --- pages and rendering --------------------------------------------------

// FieldError is one message of a form's error summary; Field is the id of
// the input it is about ("" for the form as a whole).
type FieldError struct {
	Field   string
	Message string
}

// Page is what every page's view model carries: the language, who is signed
// in, the CSRF token, the error summary and the static URLs.
type Page struct {
	Lang   string
	Title  string // a message key
	Path   string
	Actor  residence.Actor // the signed-in citizen, if any
	Staff  residence.Actor // the signed-in operator, if any
	CSRF   string
	Errors []FieldError
	Notice string
	Demo   bool
	CSS    string
	JS     string
	// NCALayer is NCALayer's WebSocket address and NCALayerJS the script
	// that signs through it (static/ncalayer.js).
	NCALayer   string
	NCALayerJS string
	// LangPath and LangQuery are where the language switch leads: the
	// page's own path and query for a GET; for a page that answers a POST,
	// the GET page of the same step (langPathFor), with the query a handler
	// sets to keep the form's values.
	LangPath  string
	LangQuery url.Values
	// Refresh, when positive, reloads the page by itself every so many
	// seconds (a pending application's status): static/app.js does, from
	// the body's data-refresh, with a button to stop it. Not a meta refresh,
	// which the person could not turn off (WCAG 2.2.1; axe's meta-refresh).
	Refresh int
}

// T returns the message with the key in the page's language.
func (p Page) T(key string) string { return tr(key).In(p.Lang) }

// In returns a domain message in the page's language.
func (p Page) In(t residence.Text) string { return t.In(p.Lang) }

// Date formats a calendar date.
func (p Page) Date(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format("02.01.2006")
}

// Time formats an instant in Kazakhstan's time.
func (p Page) Time(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(residence.Almaty).Format("02.01.2006 15:04")
}

// ErrorFor returns the message for an input, "" when it has none.
func (p Page) ErrorFor(field string) string {
	for _, e := range p.Errors {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// LangURL returns the current page's URL in another language: the same
// path and query, lang replaced.
func (p Page) LangURL(lang string) string {
	q := url.Values{}
	for k, v := range p.LangQuery {
		if k != "lang" {
			q[k] = v
		}
	}
	q.Set("lang", lang)
	path := p.LangPath
	if path == "" {
		path = p.Path
	}
	return path + "?" + q.Encode()
}

// langPathFor returns the GET page a POST's answer stands for, so that the
// language switch on it never leads to a 404: the page of the same step.
func langPathFor(postPath string) string {
	switch {
	case strings.HasPrefix(postPath, "/login"):
		return "/login"
	case postPath == "/apply/sign", postPath == "/apply/submit":
		return "/apply/sign"
	case strings.HasPrefix(postPath, "/owner/"):
		return "/owner"
	case strings.HasPrefix(postPath, "/operator/"):
		return "/operator"
	case strings.HasPrefix(postPath, "/applications/"):
		return strings.TrimSuffix(postPath, "/withdraw")
	}
	return "/"
}

// page builds the common part of a view model.
func (u *UI) page(w http.ResponseWriter, r *http.Request, title string) Page {
	p := Page{Lang: web.Lang(r), Title: title, Path: r.URL.Path, Demo: u.opts.Demo,
		CSS: u.assets["app.css"], JS: u.assets["app.js"], NCALayer: u.opts.NCALayerURL, NCALayerJS: u.assets["ncalayer.js"]}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		p.LangPath, p.LangQuery = r.URL.Path, r.URL.Query()
	} else {
		p.LangPath = langPathFor(r.URL.Path)
	}
	p.Actor = u.citizen(r)
	p.Staff = u.staff(r)
	p.CSRF = u.csrfToken(w, r)
	return p
}

// render executes the page template into a buffer and writes it, so that a
// template failure becomes an error page rather than half a page.
func (u *UI) render(w http.ResponseWriter, r *http.Request, status int, name string, view any) error {
	t, ok := u.pages[name]
	if !ok {
		return fmt.Errorf("ui: no template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", view); err != nil {
		return fmt.Errorf("ui: render %s: %w", name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", web.Lang(r))
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Cookie, Accept-Language")
	if u.opts.NCALayerURL != web.NCALayerURL {
		// The script may connect to the NCALayer configured (a stand-in).
		h.Set("Content-Security-Policy", web.ContentSecurityPolicy(u.opts.NCALayerURL))
	}
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
	return nil
}

type errorView struct {
	Page
	Status  int
	Message string
	Code    string
}

// fail renders err as a translated error page with the status internal/web
// maps its code to. A request that needs a citizen session is sent to the
// sign-in page instead; server errors are logged and described without
// internals.
func (u *UI) fail(w http.ResponseWriter, r *http.Request, err error) {
	if web.ClientGone(w, r, err) {
		return
	}
	err = web.TimedOut(r, err)
	status := web.Status(err)
	if status == http.StatusUnauthorized && r.Method == http.MethodGet {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	lang := web.Lang(r)
	msg := residence.ErrorText(err).In(lang)
	code := residence.ErrorCode(err)
	if status >= 500 {
		web.Logger(r.Context()).Error("page failed", "path", r.Pattern, "error", err.Error())
		if status == http.StatusInternalServerError {
			msg = residence.ErrorText(errors.New("internal")).In(lang)
			code = residence.EInternal
		}
	}
	v := errorView{Page: u.page(w, r, "error.title"), Status: status, Message: msg, Code: code}
	if rerr := u.render(w, r, status, "error", v); rerr != nil {
		web.Logger(r.Context()).Error("render error page", "error", rerr.Error())
		http.Error(w, http.StatusText(status), status)
	}
}

// formErrors turns a use case's error into the error summary of a form.
// fields maps the domain's field names to the form's input ids. It returns
// nil for a server error, which the caller returns instead.
func formErrors(lang string, err error, fields map[string]string) []FieldError {
	if web.Status(err) >= 500 {
		return nil
	}
	var e *residence.Error
	field := ""
	if errors.As(err, &e) {
		field = fields[e.Field]
	}
	return []FieldError{{Field: field, Message: residence.ErrorText(err).In(lang)}}
}

// redirect answers a successful POST (Post/Redirect/Get).
func redirect(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// --- citizens' sessions ---------------------------------------------------

// citizen returns the signed-in citizen: the actor the web middleware found,
// or the session cookie verified here when the pages run without it.
func (u *UI) citizen(r *http.Request) residence.Actor {
	if a := web.ActorFrom(r.Context()); a.Role == residence.RoleCitizen {
		return a
	}
	if c, err := r.Cookie(web.SessionCookie); err == nil {
		if a, err := u.sessions.Verify(r.Context(), c.Value); err == nil {
			return a
		}
	}
	return residence.Actor{}
}

// requireCitizen returns the signed-in citizen or an unauthenticated error
// (a redirect to the sign-in page for GET).
func (u *UI) requireCitizen(r *http.Request) (residence.Actor, error) {
	a := u.citizen(r)
	if a.Role != residence.RoleCitizen {
		return a, &residence.Error{Code: residence.EUnauthenticated, Text: tr("error.sign_in")}
	}
	return a, nil
}

// startSession issues a fresh session cookie for the actor. Every sign-in
// gets a new token (and a new CSRF cookie), so a token planted before
// sign-in is worthless after it (session fixation).
func (u *UI) startSession(w http.ResponseWriter, r *http.Request, a residence.Actor) error {
	tok, exp, err := u.sessions.Issue(r.Context(), a)
	if err != nil {
		return err
	}
	u.setSessionCookie(w, r, tok, exp)
	return nil
}

// setSessionCookie sets the session cookie of a session just started.
func (u *UI) setSessionCookie(w http.ResponseWriter, r *http.Request, tok string, exp time.Time) {
	// MaxAge, not Expires: the browser's clock need not agree with ours.
	http.SetCookie(w, &http.Cookie{Name: web.SessionCookie, Value: tok, Path: "/", MaxAge: int(exp.Sub(u.opts.Now()).Seconds()),
		HttpOnly: true, Secure: web.IsSecure(r), SameSite: http.SameSiteLaxMode})
	u.setCSRFCookie(w, r)
}

func clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: web.IsSecure(r), SameSite: http.SameSiteLaxMode})
}

// --- CSRF -----------------------------------------------------------------

// csrfCookie holds a random value; the token in each form is its HMAC with
// the server secret (a signed double-submit cookie). A forged form from
// another site can neither read the cookie nor compute the token.
const csrfCookie = "tirkeu_csrf"

func (u *UI) mac(scope string, parts ...string) []byte {
	m := hmac.New(sha256.New, u.opts.Secret)
	m.Write([]byte(scope))
	for _, p := range parts {
		m.Write([]byte{0})
		m.Write([]byte(p))
	}
	return m.Sum(nil)
}

func (u *UI) csrfFor(v string) string {
	return base64.RawURLEncoding.EncodeToString(u.mac("csrf", v))
}

// setCSRFCookie sets a fresh CSRF cookie and returns its value.
func (u *UI) setCSRFCookie(w http.ResponseWriter, r *http.Request) string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	v := hex.EncodeToString(b[:])
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: v, Path: "/", HttpOnly: true,
		Secure: web.IsSecure(r), SameSite: http.SameSiteLaxMode})
	// Later reads in this request see the new value.
	setRequestCookie(r, csrfCookie, v)
	return v
}

// setRequestCookie replaces a cookie in the request, so that a value set in
// the response is the one the rest of the request uses.
func setRequestCookie(r *http.Request, name, value string) {
	var kept []string
	for _, c := range r.Cookies() {
		if c.Name != name {
			kept = append(kept, c.Name+"="+c.Value)
		}
	}
	kept = append(kept, name+"="+value)
	r.Header.Set("Cookie", strings.Join(kept, "; "))
}

// csrfToken returns the token for the request's forms, setting the cookie
// when the browser has none yet.
func (u *UI) csrfToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) == 48 {
		return u.csrfFor(c.Value)
	}
	return u.csrfFor(u.setCSRFCookie(w, r))
}

// csrf refuses a POST whose form lacks the token of the request's CSRF
// cookie, with a translated 403 page.
func (u *UI) csrf(next handler) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		var got string
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			if err := r.ParseMultipartForm(1 << 20); err != nil {
				return &residence.Error{Code: residence.EInvalid, Text: tr("error.bad_form"), Err: err}
			}
		} else if err := r.ParseForm(); err != nil {
			return &residence.Error{Code: residence.EInvalid, Text: tr("error.bad_form"), Err: err}
		}
		got = r.PostFormValue("csrf")
		c, err := r.Cookie(csrfCookie)
		if err != nil || got == "" || !hmac.Equal([]byte(got), []byte(u.csrfFor(c.Value))) {
			return &residence.Error{Code: residence.EForbidden, Text: tr("error.csrf")}
		}
		return next(w, r)
	}
}

func readRand(b []byte) (int, error) { return rand.Read(b) }

const sessionCookieName = web.SessionCookie
