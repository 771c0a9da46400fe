package ui_test

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"

	"tirkeu/internal/demo"
	"tirkeu/internal/eds"
	"tirkeu/internal/residence"
	"tirkeu/internal/residence/residencetest"
	"tirkeu/internal/ui"
	"tirkeu/internal/ui/ncalayertest"
)

// edsEnv is env with EDS: a demo CA that issued GOST 34.10-2015 key stores
// to the adults of the cast (as the NCA does), a verifier trusting it, and
// a stand-in NCALayer the pages are pointed at.
type edsEnv struct {
	*env
	ca  string // the demo CA's directory
	nca *ncalayertest.Server
}

func newEDSEnv(t *testing.T) *edsEnv {
	t.Helper()
	ca := t.TempDir()
	var subjects []eds.DemoSubject
	for _, s := range demo.EDSSubjects() {
		subjects = append(subjects, eds.DemoSubject{IIN: s.IIN, BIN: s.BIN, CommonName: s.CommonName, Roles: s.Roles})
	}
	roots, err := eds.EnsureDemoCA(ca, subjects, today)
	if err != nil {
		t.Fatal(err)
	}
	var e *env
	// The stand-in signs at the server's clock, so that the signing time
	// is fresh; it is called only after e is set.
	nca := ncalayertest.Start(func() time.Time { return e.clock.Now() })
	t.Cleanup(nca.Close)
	e = newEnvVerified(t, func(clock *residencetest.FakeClock) residence.SignatureVerifier {
		v, err := eds.NewVerifier(eds.Config{Roots: roots, Now: clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}, func(o *ui.Options) { o.NCALayerURL = nca.URL })
	return &edsEnv{env: e, ca: ca, nca: nca}
}

// choose makes the stand-in sign with the person's demo key store, as the
// person choosing their key in NCALayer.
func (e *edsEnv) choose(iin string) {
	e.t.Helper()
	p12, err := os.ReadFile(filepath.Join(e.ca, iin+".p12"))
	if err != nil {
		e.t.Fatal(err)
	}
	e.nca.Use(p12, eds.DemoPassword)
}

// state waits until the signing widget's status line is in the state
// (ncalayer.js: ready, absent, cancelled, failed, …) and returns its text.
func (tb *tab) state(widget, state string) string {
	tb.t.Helper()
	el := tb.page.MustElement("#" + widget + " .eds-status")
	if err := el.Timeout(20 * time.Second).Wait(&rod.EvalOptions{JS: `function (s) { return this.getAttribute("data-state") === s }`,
		JSArgs: []any{state}}); err != nil {
		tb.t.Fatalf("%s: the status of %s is not %q but %q: %q", tb.page.MustInfo().URL, widget, state,
			*el.MustAttribute("data-state"), el.MustText())
	}
	return el.MustText()
}

// signNCALayer presses the widget's NCALayer button and waits for the page
// the signed form leads to.
func (tb *tab) signNCALayer(widget string) {
	tb.t.Helper()
	// NCALayer answered the page's look for it, or an earlier press.
	tb.page.MustElement("#" + widget + " .eds-status").MustWait(`function () { return this.getAttribute("data-state") !== "checking" }`)
	wait := tb.page.WaitNavigation(proto.PageLifecycleEventNameLoad)
	tb.page.MustElement("#" + widget + " button.eds-sign").MustClick()
	wait()
}

// TestBrowserNCALayer signs every step of the co-owned flat scenario on the
// pages through a stand-in NCALayer with the cast's GOST 2015 keys: the
// tenant signs in and signs the application; one co-owner cancels in
// NCALayer, is told so and confirms with the SMS code instead; the other
// confirms with EDS, after NCALayer reports an error and a signature over
// other bytes than the page showed is refused. Then NCALayer goes away, and the page says it is not
// running and keeps the file upload and SMS.
func TestBrowserNCALayer(t *testing.T) {
	e := newEDSEnv(t)
	b := browser(t, "ignore-certificate-errors")
	tenant, co1, co2 := e.person("tenant"), e.person("co_owner_1"), e.person("co_owner_2")

	// Sign in with EDS: the challenge is what is signed.
	c := e.tab(t, b, "en", true)
	c.open("/login")
	if got := c.state("eds-login", "ready"); !strings.Contains(got, "NCALayer is running") {
		t.Fatalf("login status %q", got)
	}
	challenge := c.page.MustElement("#challenge").MustProperty("value").String()
	e.choose(tenant.IIN)
	c.signNCALayer("eds-login")
	if !strings.Contains(c.page.MustInfo().URL, "/account") || !c.page.MustHas("#registrations") {
		t.Fatalf("EDS sign-in did not reach the account: %s\n%s", c.page.MustInfo().URL, c.text())
	}
	reqs := e.nca.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d sign requests, want 1", len(reqs))
	}
	r := reqs[0]
	if data, _ := base64.StdEncoding.DecodeString(r.Args.Data); string(data) != challenge {
		t.Fatalf("NCALayer was asked to sign %q, not the challenge %q", data, challenge)
	}
	if r.Args.Locale != "en" || strings.Join(r.Args.SignerParams.ExtKeyUsageOids, ",") != "1.3.6.1.5.5.7.3.4" ||
		!slicesContain(r.Args.AllowedStorages, "PKCS12") {
		t.Fatalf("sign request %+v", r.Args)
	}

	// Apply and sign the application with EDS.
	c.open("/apply")
	c.choose("#region", "Астана")
	c.choose("#locality", "Астана")
	c.choose("#street", "Сарыарқа")
	c.choose("#building", "15")
	c.page.MustElement("#rka").MustSelect("48")
	c.submit("#check")
	c.submit("#sign")
	shown := c.page.MustElement("#eds-data-apply").MustProperty("value").String()
	c.shot("apply-sign-ncalayer-en")
	c.signNCALayer("eds-apply")
	c.mustSee(words["en"]["awaiting"])
	var body map[string]string
	signed := e.nca.Signed()
	if err := json.Unmarshal(signed[len(signed)-1], &body); err != nil || string(signed[len(signed)-1]) != shown {
		t.Fatalf("signed %q (%v), the page showed %q", signed[len(signed)-1], err, shown)
	}
	if body["applicant_iin"] != tenant.IIN || body["kind"] != "permanent" || body["channel"] != "portal" || body["rka"] == "" {
		t.Fatalf("signed application %v", body)
	}

	// The first co-owner cancels in NCALayer, is told so, and the SMS code
	// still confirms.
	code := e.lastCode(co1.IIN)
	o := e.tab(t, b, "en", true)
	o.signIn(co1.IIN)
	o.open("/owner")
	widget := o.page.MustElement(`form[action$="/confirm"] [data-ncalayer]`).MustAttribute("id")
	e.nca.SetMode(ncalayertest.Cancel)
	o.state(*widget, "ready")
	o.page.MustElement("#" + *widget + " button.eds-sign").MustClick()
	if got := o.state(*widget, "cancelled"); !strings.Contains(got, "Signing was cancelled in NCALayer") {
		t.Fatalf("cancel status %q", got)
	}
	o.shot("owner-ncalayer-cancelled-en")
	o.input(`form[action$="/confirm"] input[name=code]`, code)
	o.submit(`form[action$="/confirm"] button[type=submit]`)
	o.mustSee(words["en"]["confirmed"])

	// The second co-owner: a signature over other bytes than the page
	// shows is refused, and then the right one confirms.
	p := e.tab(t, b, "en", true)
	p.signIn(co2.IIN)
	p.open("/owner")
	widget = p.page.MustElement(`form[action$="/confirm"] [data-ncalayer]`).MustAttribute("id")
	e.choose(co2.IIN)
	e.nca.SetMode(ncalayertest.Fail)
	p.state(*widget, "ready")
	p.page.MustElement("#" + *widget + " button.eds-sign").MustClick()
	if got := p.state(*widget, "failed"); !strings.Contains(got, "NCALayer could not sign") || !strings.Contains(got, "500") {
		t.Fatalf("error status %q", got)
	}
	e.nca.SetMode(ncalayertest.Tamper)
	p.signNCALayer(*widget)
	p.mustSee("The digital signature is not valid or does not match the data sent")
	e.nca.SetMode(ncalayertest.Sign)
	p.signNCALayer(*widget)
	p.mustSee(words["en"]["confirmed"])

	c.open("/account")
	c.mustSee(words["en"]["registered"], "Сарыарқа, 15, 48")

	// NCALayer is not running: the page says so and keeps the fallbacks.
	e.nca.Close()
	n := e.tab(t, b, "ru", true)
	n.open("/login")
	if got := n.state("eds-login", "absent"); !strings.Contains(got, "NCALayer не запущен") {
		t.Fatalf("absent status %q", got)
	}
	if !n.page.MustHas(`form[action="/login/eds"] input[type=file][name=cms]`) || !n.page.MustHas(`form[action="/login/otp"]`) {
		t.Fatal("without NCALayer the sign-in page lost its file upload or SMS form")
	}
	n.shot("login-ncalayer-absent-ru")
	n.page.MustElement("#eds-login button.eds-sign").MustClick()
	n.state("eds-login", "absent")
	n.signIn(co1.IIN)
}

func slicesContain(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
