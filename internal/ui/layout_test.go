package ui_test

import (
	"context"
	_ "embed"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod/lib/proto"

	"tirkeu/internal/api"
	"tirkeu/internal/residence"
	"tirkeu/internal/ui"
	"tirkeu/internal/web"
)

// axeSource is axe-core 4.10.3 (MPL-2.0, testdata/axe.LICENSE), run in the
// page through DevTools, so the pages' Content-Security-Policy needs no
// exception for it.
//
//go:embed testdata/axe.min.js
var axeSource string

// newSiteEnv is newEnv with the API mounted too, as `tirkeu serve` does in
// demo mode, so /dev/sms is served beside the pages.
func newSiteEnv(t *testing.T) *env {
	t.Helper()
	return newEnvMounted(t, nil, func(mux *http.ServeMux, svc *residence.Service, sessions *web.Sessions, u *ui.UI) {
		a := api.New(svc, sessions)
		a.DevSMS, a.DevSMSPage = true, u.RenderOutbox // as serve wires them
		a.Register(mux)
	})
}

// overflowJS lists what sticks out to the right of the viewport: the
// document itself when it scrolls sideways, and every visible element whose
// right edge, clipped by its ancestors' overflow, passes the viewport.
const overflowJS = `() => {
  const vw = window.innerWidth, out = [];
  const de = document.documentElement;
  if (de.scrollWidth > vw) out.push("document: scrollWidth " + de.scrollWidth + " > " + vw);
  const sel = (el) => {
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && parts.length < 4; e = e.parentElement) {
      let s = e.tagName.toLowerCase();
      if (e.id) { parts.unshift(s + "#" + e.id); break; }
      if (e.classList.length) s += "." + [...e.classList].join(".");
      const sib = e.parentElement ? [...e.parentElement.children].filter(c => c.tagName === e.tagName) : [];
      if (sib.length > 1) s += ":nth-of-type(" + (sib.indexOf(e) + 1) + ")";
      parts.unshift(s);
    }
    return parts.join(" > ");
  };
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    let right = r.right, hidden = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const cs = getComputedStyle(a);
      if (cs.overflowX !== "visible") {
        const ar = a.getBoundingClientRect();
        right = Math.min(right, ar.right);
        if (ar.width <= 1 || right <= ar.left) { hidden = true; break; }
      }
    }
    if (!hidden && right > vw + 0.5) out.push(sel(el) + ": right edge " + Math.round(right) + " > " + vw);
    if (out.length > 10) break;
  }
  return out;
}`

// axeJS runs axe-core on the page and returns its violations, one line each.
const axeJS = `() => axe.run(document, {resultTypes: ["violations"]}).then(r =>
  r.violations.map(v => v.id + " (" + v.impact + "): " + v.help + " — " +
    v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")))`

// TestBrowserLayout opens every page in kk, ru and en at a phone's width and
// a desktop's: axe-core finds no violation, and nothing on the page sticks
// out to the right (the page never scrolls sideways, no box overflows). The
// owner's Confirm and Deregister buttons are inside the phone's screen.
// With TIRKEU_SCREENS=DIR it writes the English pages' screenshots there
// (docs/screens).
func TestBrowserLayout(t *testing.T) {
	e := newSiteEnv(t)
	// Some 130 pages are loaded and checked: on a busy machine that takes
	// longer than one flow's budget.
	b := browserWithin(t, 6*time.Minute)
	ctx := context.Background()
	tenant, co1, parent := e.person("tenant"), e.person("co_owner_1"), e.person("parent")

	// An application waiting for the co-owners, so the owner has a request
	// to answer and the tenant a pending application to follow.
	if _, err := e.svc.RequestOTP(ctx, tenant.IIN, residence.OTPSign); err != nil {
		t.Fatal(err)
	}
	app, _, err := e.svc.Submit(ctx, residence.Actor{}, residence.SubmitInput{Kind: residence.Permanent,
		ApplicantIIN: tenant.IIN, RKA: tenant.RKA, Channel: residence.ChannelPortal, OTP: e.lastCode(tenant.IIN)})
	if err != nil || app.Status != residence.StatusAwaitingConsent {
		t.Fatalf("Submit = %s, %v", app.Status, err)
	}

	// Another application to the same flat, withdrawn by its applicant, so
	// the page of a withdrawn application (where it stopped) is checked too.
	applicant := e.person("parent")
	if _, err := e.svc.RequestOTP(ctx, applicant.IIN, residence.OTPSign); err != nil {
		t.Fatal(err)
	}
	gone, _, err := e.svc.Submit(ctx, residence.Actor{}, residence.SubmitInput{Kind: residence.Temporary,
		ApplicantIIN: applicant.IIN, RKA: tenant.RKA, StayFrom: residence.DateOf(today), StayUntil: residence.AddMonths(residence.DateOf(today), 3),
		Channel: residence.ChannelPortal, OTP: e.lastCode(applicant.IIN)})
	if err != nil || gone.Status != residence.StatusAwaitingConsent {
		t.Fatalf("Submit = %s %s, %v", gone.Status, gone.Decision.Rule, err)
	}
	if _, err := e.svc.Withdraw(ctx, residence.Actor{Role: residence.RoleCitizen, IIN: applicant.IIN}, gone.ID); err != nil {
		t.Fatal(err)
	}
	view, err := e.svc.Application(ctx, residence.Actor{Role: residence.RoleAdmin, Name: "test"}, app.ID)
	if err != nil {
		t.Fatal(err)
	}
	var task string
	for _, c := range view.Consents {
		if c.OwnerIIN == co1.IIN {
			task = c.ID
		}
	}

	citizen := e.tab(t, b, "en", true)
	citizen.signIn(tenant.IIN)
	applicantTab := e.tab(t, b, "en", true)
	applicantTab.signIn(applicant.IIN)
	owner := e.tab(t, b, "en", true)
	owner.signIn(co1.IIN)
	op := e.tab(t, b, "en", true)
	op.open("/operator")
	op.input("#token", e.operatorToken())
	op.submit(`form[action="/operator/login"] button[type=submit]`)
	anon := e.tab(t, b, "en", true)

	// A registration certificate of the tenant's, and its QR code's page.
	maker, _ := withCertificates(t, e)
	person, reg, _ := registered(t, e)
	if person.IIN != tenant.IIN {
		t.Fatalf("the certificate is %s's, not the tenant's", person.IIN)
	}
	cert, err := e.svc.IssueCertificate(ctx, residence.Actor{Role: residence.RoleCitizen, IIN: tenant.IIN}, reg.ID)
	if err != nil {
		t.Fatal(err)
	}

	check := "/apply?kind=permanent&subject=" + tenant.IIN + "&rka=" + tenant.RKA + "&check=1"
	sign := "/apply/sign?kind=temporary&subject=" + tenant.IIN + "&rka_code=" + co1.RKA +
		"&stay_from=2026-11-22&stay_until=2027-02-22&key=ui-layout&sent=1"
	pages := []struct {
		name, path string
		tb         *tab
		status     int
		visible    []string // selectors that must be inside the viewport
	}{
		{"passport", "/", anon, 200, nil},
		{"login", "/login", anon, 200, nil},
		{"login-iin", "/login?iin=" + tenant.IIN, anon, 200, nil},
		{"stats", "/stats", anon, 200, nil},
		{"dev-sms", "/dev/sms", anon, 200, nil},
		{"not-found", "/no-such-page", anon, 404, nil},
		{"apply", "/apply", citizen, 200, nil},
		{"apply-check", check, citizen, 200, nil},
		{"account", "/account", citizen, 200, nil},
		{"application", "/applications/" + app.ID, citizen, 200, []string{"#withdraw-start", "#refresh-stop"}},
		{"withdraw", "/applications/" + app.ID + "/withdraw", citizen, 200, []string{"#withdraw-confirm"}},
		{"application-withdrawn", "/applications/" + gone.ID, applicantTab, 200, nil},
		{"account-owner", "/account", owner, 200, []string{"#answer-" + task}},
		{"decline", "/owner/consents/" + task + "/decline", owner, 200, []string{"#decline-confirm"}},
		{"owner", "/owner", owner, 200, []string{`form[action$="/confirm"] button[type=submit]`, `form[action="/owner/deregister"] button[type=submit]`}},
		{"operator", "/operator?iin=" + url.QueryEscape(parent.IIN), op, 200, nil},
		{"operator-trail", "/operator/applications/" + app.ID, op, 200, nil},
		{"operator-signin", "/operator", anon, 200, nil},
		{"apply-sign", sign, citizen, 200, []string{"#submit"}},
		{"certificate", "/account/certificates/" + cert.ID, citizen, 200, nil},
		{"verify", "/verify/" + maker.codes[0], anon, 200, nil},
	}
	screens := os.Getenv("TIRKEU_SCREENS")
	for _, lang := range []string{"kk", "ru", "en"} {
		for _, tb := range []*tab{citizen, applicantTab, owner, op, anon} {
			tb.open("/?lang=" + lang)
		}
		for _, pg := range pages {
			t.Run(lang+"/"+pg.name, func(t *testing.T) {
				tb := pg.tb
				tb.t = t
				status, mime := tb.openStatus(pg.path)
				if status != pg.status {
					t.Fatalf("%s: status %d, want %d", pg.path, status, pg.status)
				}
				if mime != "text/html" {
					t.Fatalf("%s is %s, not a page", pg.path, mime)
				}
				if got := tb.page.MustEval(`() => document.documentElement.lang`).String(); got != lang {
					t.Errorf("%s: lang %q, want %q", pg.path, got, lang)
				}
				for _, vp := range viewports {
					tb.page.MustSetViewport(vp.w, vp.h, 1, false)
					tb.audit()
					for _, s := range pg.visible {
						if !tb.page.MustHas(s) {
							t.Errorf("%s: no %s", pg.path, s)
							continue
						}
						box := tb.page.MustElement(s).MustShape().Box()
						if box.X < 0 || box.X+box.Width > float64(vp.w) || box.Width == 0 {
							t.Errorf("%s at %d px: %s is outside the screen (%v)", pg.path, vp.w, s, box)
						}
					}
					if screens != "" && lang == "en" {
						writeScreen(t, tb, filepath.Join(screens, pg.name+"-"+vp.name+".png"))
					}
				}
			})
		}
	}
}

// openStatus navigates and returns the HTTP status and media type of the
// document.
func (tb *tab) openStatus(path string) (int, string) {
	tb.t.Helper()
	if err := (proto.NetworkEnable{}).Call(tb.page); err != nil {
		tb.t.Fatal(err)
	}
	status, mime := 0, ""
	wait := tb.page.EachEvent(func(ev *proto.NetworkResponseReceived) bool {
		if ev.Type == proto.NetworkResourceTypeDocument {
			status, mime = ev.Response.Status, ev.Response.MIMEType
			return true
		}
		return false
	})
	tb.open(path)
	wait()
	return status, mime
}

// writeScreen saves a full-page screenshot, made smaller with pngquant when
// Debian's pngquant is installed.
func writeScreen(t *testing.T, tb *tab, path string) {
	t.Helper()
	png, err := tb.page.Screenshot(true, &proto.PageCaptureScreenshot{Format: proto.PageCaptureScreenshotFormatPng})
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	if q, err := exec.LookPath("pngquant"); err == nil {
		if out, err := exec.Command(q, "--force", "--skip-if-larger", "--quality=40-80", "--speed=1", "--ext", ".png", path).CombinedOutput(); err != nil && !strings.Contains(err.Error(), "exit status 98") && !strings.Contains(err.Error(), "exit status 99") {
			t.Logf("pngquant %s: %v %s", path, err, out)
		}
	}
	if fi, err := os.Stat(path); err == nil && fi.Size() > 150_000 {
		t.Logf("%s is %d KB", path, fi.Size()/1000)
	}
}
