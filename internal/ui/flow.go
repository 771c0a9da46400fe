package ui

import (
	"crypto/hmac"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tirkeu/internal/web"
)

// A flash carries a little state from a POST to the GET it redirects to
// (Post/Redirect/Get), so that Back or reload never resubmits a form or
// resends a code: a cookie holding the value, its expiry and their HMAC
// with the server secret, bound to the CSRF cookie of the browser.
const loginFlash = "tirkeu_login"

// loginFlashTTL is as long as a sign-in code lives and a little more.
const loginFlashTTL = 10 * time.Minute

func (u *UI) flashMAC(r *http.Request, name, value, exp string) string {
	bind := ""
	if c, err := r.Cookie(csrfCookie); err == nil {
		bind = c.Value
	}
	return base64.RawURLEncoding.EncodeToString(u.mac("flash", name, value, exp, bind))
}

// setFlash stores value for the next GET of path.
func (u *UI) setFlash(w http.ResponseWriter, r *http.Request, name, path, value string, ttl time.Duration) {
	exp := strconv.FormatInt(u.opts.Now().Add(ttl).Unix(), 10)
	v := base64.RawURLEncoding.EncodeToString([]byte(value)) + "." + exp + "." + u.flashMAC(r, name, value, exp)
	http.SetCookie(w, &http.Cookie{Name: name, Value: v, Path: path, MaxAge: int(ttl.Seconds()),
		HttpOnly: true, Secure: web.IsSecure(r), SameSite: http.SameSiteLaxMode})
}

// flash returns the value of a valid, unexpired flash, "" otherwise.
func (u *UI) flash(r *http.Request, name string) string {
	c, err := r.Cookie(name)
	if err != nil {
		return ""
	}
	parts := strings.Split(c.Value, ".")
	if len(parts) != 3 {
		return ""
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return ""
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || u.opts.Now().Unix() > exp {
		return ""
	}
	if !hmac.Equal([]byte(parts[2]), []byte(u.flashMAC(r, name, string(b), parts[1]))) {
		return ""
	}
	return string(b)
}
