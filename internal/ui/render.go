package ui

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"tirkeu/internal/residence"
	"tirkeu/internal/web"
)

// Templates are parsed once at start-up; every page is rendered into a
// buffer first, and an error becomes a translated error page.

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

// view is a page's view model: it embeds Page, and formError sets its
// error summary through base.
type view interface{ base() *Page }

func (p *Page) base() *Page { return p }

// formError answers a form that a use case refused: the page name again
// with v's error summary from err (422), the values the person typed kept in
// v. fields maps the domain's field names to the form's input ids, and
// fallback is the input an error naming no field of the form is about (""
// for the form as a whole). A server error is returned as it is, for the
// error page.
func (u *UI) formError(w http.ResponseWriter, r *http.Request, name string, v view, err error, fields map[string]string, fallback string) error {
	p := v.base()
	errs := formErrors(p.Lang, err, fields)
	if errs == nil {
		return err
	}
	if errs[0].Field == "" {
		errs[0].Field = fallback
	}
	p.Errors = errs
	return u.render(w, r, http.StatusUnprocessableEntity, name, v)
}

// redirect answers a successful POST (Post/Redirect/Get).
func redirect(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
