package ui

import (
	"net/http"
	"time"

	"tirkeu/internal/residence"
	"tirkeu/internal/web"
)

// Citizens' sessions: the web.Sessions token in a cookie, verified on each
// request.

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

const sessionCookieName = web.SessionCookie
