package ui

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"

	"tirkeu/internal/residence"
	"tirkeu/internal/web"
)

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
