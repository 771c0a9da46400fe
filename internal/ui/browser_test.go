package ui_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/launcher"
	"github.com/go-rod/rod/lib/launcher/flags"
	"github.com/go-rod/rod/lib/proto"

	"tirkeu/internal/needtest"
)

// browser starts headless Chromium from TIRKEU_CHROMIUM or
// /usr/bin/chromium, with extra command-line flags. rod never downloads a
// browser here: without the binary the test is skipped, or fails when
// CI=true.
func browser(t *testing.T, extra ...string) *rod.Browser {
	t.Helper()
	return browserWithin(t, 90*time.Second, extra...)
}

// browserWithin is browser with a time budget for everything the test does
// in it (a hung page fails the test instead of blocking it).
func browserWithin(t *testing.T, budget time.Duration, extra ...string) *rod.Browser {
	t.Helper()
	bin := os.Getenv("TIRKEU_CHROMIUM")
	if bin == "" {
		bin = "/usr/bin/chromium"
	}
	if _, err := os.Stat(bin); err != nil {
		needtest.Missing(t, "no Chromium at "+bin+" (or TIRKEU_CHROMIUM)", "install it with .ci/install-browser")
	}
	l := launcher.New().Bin(bin).Headless(true).NoSandbox(true).Leakless(false).
		UserDataDir(t.TempDir()).
		Set("disable-gpu").Set("disable-background-networking").Set("disable-component-update").
		Set("disable-sync").Set("no-first-run").Set("window-size", "1200,900")
	for _, f := range extra {
		l = l.Set(flags.Flag(f))
	}
	u, err := l.Launch()
	if err != nil {
		t.Fatalf("launch Chromium: %v", err)
	}
	b := rod.New().ControlURL(u)
	if err := b.Connect(); err != nil {
		l.Kill()
		t.Fatalf("connect to Chromium: %v", err)
	}
	t.Cleanup(func() {
		_ = b.Close()
		l.Kill()
		l.Cleanup()
	})
	return b.Timeout(budget)
}

// artifacts is where screenshots go: TIRKEU_ARTIFACTS, else
// internal/ui/artifacts (ignored by git).
func artifacts(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("TIRKEU_ARTIFACTS")
	if dir == "" {
		dir = "artifacts"
	}
	dir = filepath.Join(dir, "ui")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// tab is one browser tab of a scenario.
type tab struct {
	t    *testing.T
	e    *env
	page *rod.Page
	js   bool
	lang string
	// audited, set by on, checks every page the tab loads: axe-core finds
	// nothing and nothing sticks out of the viewport (audit).
	audited bool
}

// viewport is a screen the flows are walked on.
type viewport struct {
	name string
	w, h int
}

// viewports are the screens every page and flow is checked on: a phone
// (390×844, an iPhone 12–15) and a desktop.
var viewports = []viewport{{"phone", 390, 844}, {"desktop", 1280, 800}}

// on sets the tab's screen and audits every page it loads from then on.
func (tb *tab) on(vp viewport) *tab {
	tb.page.MustSetViewport(vp.w, vp.h, 1, false)
	tb.audited = true
	return tb
}

// audit runs axe-core on the page and the overflow check at the tab's
// screen, and fails the test for each violation or box out of the screen.
func (tb *tab) audit() {
	tb.t.Helper()
	where := fmt.Sprintf("%s at %d px", tb.page.MustInfo().URL, tb.page.MustEval(`() => window.innerWidth`).Int())
	tb.noOverflow(where)
	if _, err := tb.page.Eval(`() => { if (typeof axe === "undefined") { ` + axeSource + ` } return typeof axe }`); err != nil {
		tb.t.Fatalf("load axe-core: %v", err)
	}
	res, err := tb.page.Eval(axeJS)
	if err != nil {
		tb.t.Fatalf("axe: %v", err)
	}
	var violations []string
	if err := res.Value.Unmarshal(&violations); err != nil {
		tb.t.Fatal(err)
	}
	for _, v := range violations {
		tb.t.Errorf("%s: axe: %s", where, v)
	}
}

func (e *env) tab(t *testing.T, b *rod.Browser, lang string, js bool) *tab {
	t.Helper()
	p := b.MustIncognito().MustPage("")
	if !js {
		// The page runs without its scripts: app.js and ncalayer.js are
		// blocked at the network, so no page script runs at all (there is
		// no inline one),
		// while rod can still drive the page through DevTools, which
		// Emulation.setScriptExecutionDisabled would stop too.
		if err := (proto.NetworkEnable{}).Call(p); err != nil {
			t.Fatal(err)
		}
		if err := (proto.NetworkSetBlockedURLs{Urls: []string{"*/static/*.js"}}).Call(p); err != nil {
			t.Fatal(err)
		}
	}
	p.MustSetViewport(1200, 900, 1, false)
	tb := &tab{t: t, e: e, page: p, js: js, lang: lang}
	tb.open("/?lang=" + lang) // sets the lang cookie
	if js != tb.page.MustHas("html.js") {
		t.Fatalf("page script running: %v, want %v", !js, js)
	}
	return tb
}

func (tb *tab) open(path string) {
	tb.t.Helper()
	wait := tb.page.WaitNavigation(proto.PageLifecycleEventNameLoad)
	tb.page.MustNavigate(tb.e.srv.URL + path)
	wait()
	if tb.audited {
		tb.audit()
	}
}

// submit clicks a button that navigates and waits for the new page.
func (tb *tab) submit(selector string) {
	tb.t.Helper()
	wait := tb.page.WaitNavigation(proto.PageLifecycleEventNameLoad)
	tb.page.MustElement(selector).MustClick()
	wait()
	if tb.audited {
		tb.audit()
	}
}

func (tb *tab) input(selector, text string) {
	tb.t.Helper()
	el := tb.page.MustElement(selector)
	el.MustSelectAllText().MustInput(text)
}

// choose picks an address step. With JavaScript the select submits itself;
// without it the "next step" button does.
func (tb *tab) choose(selector, text string) {
	tb.t.Helper()
	if tb.js {
		wait := tb.page.WaitNavigation(proto.PageLifecycleEventNameLoad)
		tb.page.MustElement(selector).MustSelect(text)
		wait()
		if tb.audited {
			tb.audit()
		}
		return
	}
	tb.page.MustElement(selector).MustSelect(text)
	tb.submit(`button[name="step"]`)
}

func (tb *tab) text() string {
	return tb.page.MustElement("main").MustText()
}

func (tb *tab) mustSee(texts ...string) {
	tb.t.Helper()
	body := tb.text()
	for _, s := range texts {
		if !strings.Contains(body, s) {
			tb.t.Fatalf("%s: page lacks %q:\n%s", tb.page.MustInfo().URL, s, body)
		}
	}
}

func (tb *tab) shot(name string) {
	tb.t.Helper()
	b, err := tb.page.Screenshot(true, nil)
	if err != nil {
		tb.t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(artifacts(tb.t), name+".png")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

// signIn signs in with a code read from the demo outbox.
func (tb *tab) signIn(iin string) {
	tb.t.Helper()
	tb.open("/login")
	tb.input("#iin", iin)
	tb.submit(`form[action="/login/otp"] button[type=submit]`)
	tb.input("#code", tb.e.lastCode(iin))
	tb.submit(`form[action="/login"] button[type=submit]`)
	if !tb.page.MustHas("#registrations") && !strings.Contains(tb.page.MustInfo().URL, "/account") {
		tb.t.Fatalf("sign-in did not reach the account: %s", tb.text())
	}
}

// words are the texts a scenario expects, per language.
var words = map[string]map[string]string{
	"en": {"awaiting": "Awaiting the owners' consent", "registered": "Registered", "moved": "moved to the new address",
		"consent_needed": "If you sign, the application waits for the owners' consent", "confirmed": "Your consent has been recorded.",
		"not_possible": "Even if you sign, registration will not be possible"},
	"kk": {"awaiting": "Меншік иелерінің келісімін күтуде", "registered": "Тіркелді", "moved": "жаңа тұрақты тіркеуге байланысты аяқталады",
		"consent_needed": "меншік иелерінің келісімін күтеді", "confirmed": "Келісіміңіз тіркелді.",
		"not_possible": "тіркеу мүмкін болмайды"},
	"ru": {"awaiting": "Ожидает согласия собственников", "registered": "Зарегистрирован", "moved": "прекращается в связи с новой постоянной регистрацией",
		"consent_needed": "заявление будет ждать согласия собственников", "confirmed": "Ваше согласие принято.",
		"not_possible": "регистрация будет невозможна"},
}

// TestBrowserCoOwnedFlat is the main scenario in a real browser: the tenant
// applies for permanent registration in a flat with two co-owners, each
// co-owner confirms on the owner's page, and the tenant sees the
// registration and the old address ended. It runs in the three languages
// (Kazakh without JavaScript) on a phone's screen and a desktop's, and every
// page of the way passes axe-core and the overflow check.
func TestBrowserCoOwnedFlat(t *testing.T) {
	for _, tc := range []struct {
		lang string
		js   bool
	}{{"en", true}, {"kk", false}, {"ru", true}} {
		for _, vp := range viewports {
			t.Run(tc.lang+"/"+vp.name, func(t *testing.T) {
				coOwnedFlat(t, browser(t), tc.lang, tc.js, vp)
			})
		}
	}
}

// coOwnedFlat walks the main scenario in one language on one screen.
func coOwnedFlat(t *testing.T, b *rod.Browser, lang string, js bool, vp viewport) {
	e := newEnv(t)
	w := words[lang]
	tenant := e.person("tenant")
	c := e.tab(t, b, lang, js).on(vp)
	if lang == "en" && vp.name == "desktop" {
		c.shot("passport-en")
		c.open("/login")
		c.shot("login-demo-en")
	}
	c.signIn(tenant.IIN)

	c.open("/apply")
	c.choose("#region", "Астана")
	c.choose("#locality", "Астана")
	c.choose("#street", "Сарыарқа")
	c.choose("#building", "15")
	c.page.MustElement("#rka").MustSelect("48")
	c.submit("#check")
	c.mustSee(w["consent_needed"], w["moved"])
	c.shot("apply-check-" + lang + "-" + vp.name)
	c.submit("#sign")
	c.input("#code", e.lastCode(tenant.IIN))
	c.submit("#submit")
	c.mustSee(w["awaiting"])
	c.shot("application-awaiting-" + lang + "-" + vp.name)

	for i, role := range []string{"co_owner_1", "co_owner_2"} {
		owner := e.person(role)
		code := e.lastCode(owner.IIN)
		o := e.tab(t, b, lang, js).on(vp)
		o.signIn(owner.IIN)
		o.open("/owner")
		if i == 0 {
			o.shot("owner-" + lang + "-" + vp.name)
		}
		o.input(`form[action$="/confirm"] input[name=code]`, code)
		o.submit(`form[action$="/confirm"] button[type=submit]`)
		o.mustSee(w["confirmed"])
	}

	c.open("/account")
	c.mustSee(w["registered"], "Сарыарқа, 15, 48")
	ended := c.page.MustElement("#registrations tr.reg-ended").MustText()
	if !strings.Contains(ended, "Гоголя") {
		t.Fatalf("the old address did not end: %q", ended)
	}
	c.shot("account-" + lang + "-" + vp.name)
}

// TestBrowserChildUnder14 shows the plain-language refusal for a child of 13
// before anything is signed.
func TestBrowserChildUnder14(t *testing.T) {
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			b := browser(t)
			e := newEnv(t)
			parent, child := e.person("parent"), e.person("child_13")
			c := e.tab(t, b, "ru", true).on(vp)
			c.signIn(parent.IIN)
			c.open("/apply")
			c.page.MustElement(`input[name=subject][value="` + child.IIN + `"]`).MustClick()
			c.input("#rka_code", parent.RKA)
			c.submit("#check")
			c.mustSee(words["ru"]["not_possible"], "SUBJECT_AGE", "14")
			if c.page.MustHas("#sign") {
				t.Fatal("a refused application offers to sign")
			}
			c.shot("apply-refused-under14-ru-" + vp.name)
		})
	}
}

// TestBrowserOperatorInPerson registers an in-person case: a flat co-owned
// by a minor, with the documents and the written consent ticked off.
func TestBrowserOperatorInPerson(t *testing.T) {
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			b := browser(t)
			e := newEnv(t)
			owner := e.person("minor_flat_owner")
			o := e.tab(t, b, "ru", true).on(vp)
			o.open("/operator")
			o.input("#token", e.operatorToken())
			o.submit(`form[action="/operator/login"] button[type=submit]`)
			o.open("/operator?iin=" + owner.IIN)
			o.mustSee(owner.Name)
			o.input("#applicant_iin", owner.IIN)
			o.input("#op_rka", owner.RKA)
			o.page.MustElement("#doc_identity").MustClick()
			o.page.MustElement("#doc_representative").MustClick()
			o.page.MustElement("#doc_owner_consent").MustClick()
			o.shot("operator-ru-" + vp.name)
			o.submit("#op-register")
			o.mustSee(words["ru"]["registered"])
			o.shot("operator-trail-ru-" + vp.name)

			o.open("/stats")
			o.shot("stats-ru-" + vp.name)
		})
	}
}
