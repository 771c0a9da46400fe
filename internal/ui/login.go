package ui

import (
	"encoding/base64"
	"encoding/pem"
	"io"
	"net/http"
	"strings"
	"time"

	"tirkeu/internal/demo"
	"tirkeu/internal/residence"
	"tirkeu/internal/web"
)

type loginView struct {
	Page
	IIN       string
	Next      string
	CodeStep  bool // the code was sent: ask for it
	Challenge string
	Cast      []demo.CastMember
	LastSMS   *residence.SMS
}

// safeNext keeps a post-login redirect on this site (web.SafeRedirect).
func safeNext(next string) string { return web.SafeRedirect(next, "/account") }

// challengeTTL is how long the sign-in page's EDS challenge stays valid: time
// to download it, sign it with a tool and upload the signature.
const challengeTTL = 10 * time.Minute

func (u *UI) loginView(w http.ResponseWriter, r *http.Request, iinStr, next string) *loginView {
	v := &loginView{Page: u.page(w, r, "login.title"), IIN: iinStr, Next: next}
	v.Challenge, _ = u.sessions.Challenge(challengeTTL)
	if u.opts.Demo {
		v.Cast = u.opts.Cast(u.opts.Now())
	}
	return v
}

// lastSMS returns the newest SMS to the person's MCD phone, for the demo
// panel only.
func (u *UI) lastSMS(r *http.Request, iinStr string) *residence.SMS {
	if !u.opts.Demo || iinStr == "" {
		return nil
	}
	var out *residence.SMS
	_ = u.svc.Store().View(r.Context(), func(rd residence.Reader) error {
		p, err := rd.Person(r.Context(), iinStr)
		if err != nil || p.Phone == "" {
			return err
		}
		msgs, err := rd.ListSMS(r.Context(), 200)
		if err != nil {
			return err
		}
		for i := len(msgs) - 1; i >= 0; i-- {
			if msgs[i].To == p.Phone {
				m := msgs[i]
				out = &m
				return nil
			}
		}
		return nil
	})
	return out
}

func (u *UI) loginPage(w http.ResponseWriter, r *http.Request) error {
	v := u.loginView(w, r, r.URL.Query().Get("iin"), r.URL.Query().Get("next"))
	return u.render(w, r, http.StatusOK, "login", v)
}

// loginOTP sends a login code to the person's MCD phone and asks for it.
func (u *UI) loginOTP(w http.ResponseWriter, r *http.Request) error {
	iinStr := strings.TrimSpace(r.PostFormValue("iin"))
	v := u.loginView(w, r, iinStr, r.PostFormValue("next"))
	err := residence.CheckIIN("iin", iinStr)
	if err == nil {
		_, err = u.svc.RequestOTP(r.Context(), iinStr, residence.OTPLogin)
	}
	if err != nil {
		if v.Errors = formErrors(v.Lang, err, map[string]string{"iin": "iin", "": "iin"}); v.Errors == nil {
			return err
		}
		return u.render(w, r, http.StatusUnprocessableEntity, "login", v)
	}
	v.CodeStep = true
	v.Notice = v.T("login.code_sent")
	v.LastSMS = u.lastSMS(r, iinStr)
	return u.render(w, r, http.StatusOK, "login", v)
}

// login checks the code and starts a session.
func (u *UI) login(w http.ResponseWriter, r *http.Request) error {
	iinStr := strings.TrimSpace(r.PostFormValue("iin"))
	code := strings.TrimSpace(r.PostFormValue("code"))
	v := u.loginView(w, r, iinStr, r.PostFormValue("next"))
	v.CodeStep = true
	err := residence.CheckIIN("iin", iinStr)
	var a residence.Actor
	if err == nil {
		a, err = u.svc.Login(r.Context(), iinStr, code)
	}
	if err != nil {
		if v.Errors = formErrors(v.Lang, err, map[string]string{"iin": "iin", "otp": "code", "": "code"}); v.Errors == nil {
			return err
		}
		v.LastSMS = u.lastSMS(r, iinStr)
		return u.render(w, r, http.StatusUnprocessableEntity, "login", v)
	}
	if err := u.startSession(w, r, a); err != nil {
		return err
	}
	return redirect(w, r, safeNext(r.PostFormValue("next")))
}

// loginEDS signs in with a CMS signature over the challenge, uploaded as a
// file (DER, PEM or base64).
func (u *UI) loginEDS(w http.ResponseWriter, r *http.Request) error {
	v := u.loginView(w, r, "", r.PostFormValue("next"))
	fail := func(err error) error {
		if v.Errors = formErrors(v.Lang, err, map[string]string{"": "cms"}); v.Errors == nil {
			return err
		}
		if v.Errors[0].Field == "" {
			v.Errors[0].Field = "cms"
		}
		return u.render(w, r, http.StatusUnprocessableEntity, "login", v)
	}
	ch := r.PostFormValue("challenge")
	if u.sessions.CheckChallenge(ch) != nil {
		return fail(&residence.Error{Code: residence.EInvalid, Field: "cms", Text: tr("login.challenge_stale")})
	}
	cms, err := uploadedCMS(r)
	if err != nil {
		return fail(err)
	}
	a, err := u.svc.LoginEDS(r.Context(), residence.EDS{CMS: cms, Content: []byte(ch)})
	if err != nil {
		return fail(err)
	}
	// The challenge is redeemed with the session's start: a second upload
	// of the same signature is refused (challenge_reused).
	tok, exp, err := u.sessions.IssueEDS(r.Context(), a, ch)
	if err != nil {
		return fail(err)
	}
	u.setSessionCookie(w, r, tok, exp)
	return redirect(w, r, safeNext(r.PostFormValue("next")))
}

// uploadedCMS reads the signature file of a form: DER bytes, a PEM block or
// base64 text.
func uploadedCMS(r *http.Request) ([]byte, error) {
	bad := &residence.Error{Code: residence.EInvalid, Field: "cms", Text: tr("login.no_file")}
	f, _, err := r.FormFile("cms")
	if err != nil {
		return nil, bad
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 256<<10))
	if err != nil || len(b) == 0 {
		return nil, bad
	}
	if blk, _ := pem.Decode(b); blk != nil {
		return blk.Bytes, nil
	}
	if t := strings.TrimSpace(string(b)); t != "" && !strings.ContainsAny(t[:1], "\x30") {
		if d, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(t), "")); err == nil {
			return d, nil
		}
	}
	return b, nil
}

// logout ends the session on the server, so that a copy of the cookie is
// worthless from now on, and clears the cookie.
func (u *UI) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookieName); err == nil {
		if err := u.sessions.End(r.Context(), c.Value); err != nil {
			return err
		}
	}
	clearCookie(w, r, sessionCookieName)
	u.setCSRFCookie(w, r)
	return redirect(w, r, "/")
}
