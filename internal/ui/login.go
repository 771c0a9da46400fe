package ui

import (
	"encoding/base64"
	"encoding/pem"
	"io"
	"net/http"
	"net/url"
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
	Sign      EDSSign // NCALayer signs the challenge
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
	v.Sign = newEDSSign("login", []byte(v.Challenge))
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
	msgs, err := u.svc.Outbox(r.Context(), 200)
	if err != nil {
		return nil
	}
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].RecipientIIN == iinStr {
			return &msgs[i]
		}
	}
	return nil
}

func (u *UI) loginPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	v := u.loginView(w, r, q.Get("iin"), q.Get("next"))
	// The code step is a GET after the POST that sent the code: the IIN
	// comes from the flash that POST set, never from the URL, and a
	// reload shows the step again without sending another code.
	if q.Get("step") == "code" {
		if iinStr := u.flash(r, loginFlash); iinStr != "" {
			v.IIN, v.CodeStep = iinStr, true
			v.Notice = v.T("login.code_sent")
			v.LastSMS = u.lastSMS(r, iinStr)
		}
	}
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
		return u.formError(w, r, "login", v, err, map[string]string{"iin": "iin"}, "iin")
	}
	u.setFlash(w, r, loginFlash, "/login", iinStr, loginFlashTTL)
	to := "/login?step=code"
	if next := r.PostFormValue("next"); next != "" {
		to += "&next=" + url.QueryEscape(next)
	}
	return redirect(w, r, to)
}

// login checks the code and starts a session.
func (u *UI) login(w http.ResponseWriter, r *http.Request) error {
	iinStr := strings.TrimSpace(r.PostFormValue("iin"))
	code := strings.TrimSpace(r.PostFormValue("code"))
	v := u.loginView(w, r, iinStr, r.PostFormValue("next"))
	v.CodeStep = true
	v.LangQuery = url.Values{"step": {"code"}, "next": {r.PostFormValue("next")}}
	err := residence.CheckIIN("iin", iinStr)
	var a residence.Actor
	if err == nil {
		a, err = u.svc.Login(r.Context(), iinStr, code)
	}
	if err != nil {
		v.LastSMS = u.lastSMS(r, iinStr)
		return u.formError(w, r, "login", v, err, map[string]string{"iin": "iin", "otp": "code"}, "code")
	}
	if err := u.startSession(w, r, a); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: loginFlash, Value: "", Path: "/login", MaxAge: -1,
		HttpOnly: true, Secure: web.IsSecure(r), SameSite: http.SameSiteLaxMode})
	return redirect(w, r, safeNext(r.PostFormValue("next")))
}

// loginEDS signs in with a CMS signature over the challenge: NCALayer's,
// from the hidden field, or uploaded as a file (DER, PEM or base64).
func (u *UI) loginEDS(w http.ResponseWriter, r *http.Request) error {
	v := u.loginView(w, r, "", r.PostFormValue("next"))
	fail := func(err error) error { return u.formError(w, r, "login", v, err, nil, "cms") }
	ch := r.PostFormValue("challenge")
	if u.sessions.CheckChallenge(ch) != nil {
		return fail(&residence.Error{Code: residence.EInvalid, Field: "cms", Text: tr("login.challenge_stale")})
	}
	cms, err := postedCMS(r)
	if err == nil && cms == nil {
		err = &residence.Error{Code: residence.EInvalid, Field: "cms", Text: tr("login.no_file")}
	}
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
