package ui_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestApplyWithoutJavaScript runs the co-owned flat scenario with plain form
// posts, as a browser without JavaScript sends them: the tenant signs in,
// walks the address steps, checks, signs and submits; both co-owners
// confirm on their page; the tenant is registered and the old address ends.
func TestApplyWithoutJavaScript(t *testing.T) {
	e := newEnv(t)
	tenant, co1, co2 := e.person("tenant"), e.person("co_owner_1"), e.person("co_owner_2")

	c := e.client("en")
	c.signIn(tenant.IIN)

	// The address steps are plain GETs of the same form.
	_, body := c.get("/apply")
	mustContain(t, body, "Астана", `name="region"`)
	_, body = c.get("/apply?kind=permanent&region=" + url.QueryEscape("Астана"))
	mustContain(t, body, `name="locality"`)
	_, body = c.get("/apply?kind=permanent&region=" + url.QueryEscape("Астана") + "&locality=" + url.QueryEscape("Астана"))
	mustContain(t, body, "Сарыарқа")
	q := "kind=permanent&region=" + url.QueryEscape("Астана") + "&locality=" + url.QueryEscape("Астана") +
		"&street=" + url.QueryEscape("Сарыарқа") + "&building=15"
	_, body = c.get("/apply?" + q)
	mustContain(t, body, tenant.RKA)

	st, body := c.get("/apply?" + q + "&rka=" + tenant.RKA + "&check=1")
	if st != 200 {
		t.Fatalf("check: %d\n%s", st, excerpt(body))
	}
	mustContain(t, body, "What happens if you sign", "nothing has been signed or changed yet", "If you sign, the application waits for the owners' consent", "Owner's consent: SMS code from 1414", "ends: moved to the new address")

	form := url.Values{"kind": {"permanent"}, "subject": {tenant.IIN}, "rka": {tenant.RKA}}
	st, body = c.post("/apply/sign", form)
	if st != 200 {
		t.Fatalf("sign: %d\n%s", st, excerpt(body))
	}
	key := regexp.MustCompile(`name="idempotency_key" value="([^"]+)"`).FindStringSubmatch(body)
	if key == nil {
		t.Fatal("no idempotency key on the sign page")
	}

	// A wrong code re-renders the form with the summary linked to the field.
	bad := url.Values{"kind": {"permanent"}, "subject": {tenant.IIN}, "rka": {tenant.RKA}, "idempotency_key": {key[1]}, "code": {"000000"}}
	if code := e.lastCode(tenant.IIN); code == "000000" {
		bad.Set("code", "111111")
	}
	st, body = c.post("/apply/submit", bad)
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("wrong code: %d", st)
	}
	mustContain(t, body, `href="#code"`, "The one-time password is wrong or has expired.")

	form = url.Values{"kind": {"permanent"}, "subject": {tenant.IIN}, "rka": {tenant.RKA}, "idempotency_key": {key[1]}, "code": {e.lastCode(tenant.IIN)}}
	st, body = c.post("/apply/submit", form)
	if st != 200 {
		t.Fatalf("submit: %d\n%s", st, excerpt(body))
	}
	mustContain(t, body, "Awaiting the owners' consent", "Your application has been signed and submitted.", `id="decision" tabindex="-1" data-focus`)

	for _, owner := range []string{co1.IIN, co2.IIN} {
		code := e.lastCode(owner) // the consent code, sent before the owner signs in
		o := e.client("en")
		o.signIn(owner)
		_, body := o.get("/owner")
		m := regexp.MustCompile(`action="/owner/consents/([^/]+)/confirm"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no consent request on the owner's page:\n%s", excerpt(body))
		}
		st, body := o.post("/owner/consents/"+m[1]+"/confirm", url.Values{"code": {code}})
		if st != 200 {
			t.Fatalf("confirm: %d\n%s", st, excerpt(body))
		}
		mustContain(t, body, "Your consent has been recorded.")
	}

	_, body = c.get("/account")
	mustContain(t, body, "Registered", "Сарыарқа", "ends: moved to the new address"[len("ends: "):])
}

// TestCSRF refuses a form without the token, and one with a token of
// another browser, with a translated 403 page.
func TestCSRF(t *testing.T) {
	e := newEnv(t)
	a := e.client("kk")
	a.get("/login")
	st, body := a.post("/login/otp", url.Values{"iin": {e.person("tenant").IIN}, "csrf": {""}})
	if st != http.StatusForbidden {
		t.Fatalf("missing token: %d", st)
	}
	mustContain(t, body, "Форманың қауіпсіздік белгісі")
	b := e.client("ru")
	b.get("/login")
	st, _ = a.post("/login/otp", url.Values{"iin": {e.person("tenant").IIN}, "csrf": {b.csrf}})
	if st != http.StatusForbidden {
		t.Fatalf("foreign token: %d", st)
	}
	st, _ = a.post("/login/otp", url.Values{"iin": {e.person("tenant").IIN}})
	if st != 200 {
		t.Fatalf("own token: %d", st)
	}
}

// TestPagesTranslated renders the public pages in each language and checks
// that no key is missing and the CSP-safe markup holds.
func TestPagesTranslated(t *testing.T) {
	e := newEnv(t)
	for _, lang := range []string{"kk", "ru", "en"} {
		c := e.client(lang)
		for _, path := range []string{"/", "/login", "/operator", "/stats", "/nowhere"} {
			st, body := c.get(path + "?lang=" + lang)
			if path == "/nowhere" {
				if st != http.StatusNotFound {
					t.Fatalf("%s: %d", path, st)
				}
			} else if st != 200 {
				t.Fatalf("%s %s: %d\n%s", lang, path, st, excerpt(body))
			}
			if strings.Contains(body, "[[") {
				t.Errorf("%s %s: untranslated key: %s", lang, path, regexp.MustCompile(`\[\[[^\]]+\]\]`).FindString(body))
			}
			if strings.Contains(body, " style=") || strings.Contains(body, "<style") || regexp.MustCompile(`<script>`).MatchString(body) {
				t.Errorf("%s %s: inline style or script", lang, path)
			}
			if !strings.Contains(body, `<html lang="`+lang+`"`) {
				t.Errorf("%s %s: wrong language", lang, path)
			}
		}
	}
}

// TestSessionCookie checks the cookie's attributes and that signing in
// rotates it.
func TestSessionCookie(t *testing.T) {
	e := newEnv(t)
	c := e.client("en")
	iin := e.person("tenant").IIN
	c.get("/login")
	c.post("/login/otp", url.Values{"iin": {iin}})
	form := url.Values{"iin": {iin}, "code": {e.lastCode(iin)}, "csrf": {c.csrf}}
	req, _ := http.NewRequest("POST", e.srv.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "tirkeu_session", Value: "planted"})
	for _, ck := range c.http.Jar.Cookies(req.URL) {
		req.AddCookie(ck)
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", res.StatusCode)
	}
	var found bool
	for _, ck := range res.Cookies() {
		if ck.Name == "tirkeu_session" {
			found = true
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Value == "planted" {
				t.Errorf("session cookie %+v", ck)
			}
		}
	}
	if !found {
		t.Fatal("no session cookie issued")
	}
}

// TestStaticHashed serves the stylesheet under its content hash with a long
// cache, and refuses any other name.
func TestStaticHashed(t *testing.T) {
	e := newEnv(t)
	c := e.client("ru")
	_, body := c.get("/")
	m := regexp.MustCompile(`href="(/static/app\.[0-9a-f]{10}\.css)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no hashed stylesheet link")
	}
	res, err := http.Get(e.srv.URL + m[1])
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Fatalf("stylesheet: %d %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	if st, _ := c.get("/static/app.css"); st != http.StatusNotFound {
		t.Fatalf("unhashed name: %d", st)
	}
}

// TestOperatorAndStats signs an operator in with a token, registers an
// in-person case and ends a person's registrations on emigration, then
// reads the statistics as HTML, CSV and JSON.
func TestOperatorAndStats(t *testing.T) {
	e := newEnv(t)
	c := e.client("en")
	if st, body := c.get("/operator"); st != 200 || !strings.Contains(body, `id="token"`) {
		t.Fatalf("operator sign-in form: %d", st)
	}
	if st, body := c.post("/operator/login", url.Values{"token": {"tk_wrong"}}); st != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#token"`) {
		t.Fatalf("bad token: %d", st)
	}
	c.post("/operator/login", url.Values{"token": {e.operatorToken()}})
	owner := e.person("minor_flat_owner")
	// A missing checkbox is a field error on the form, and nothing is
	// recorded (the statistics below count one application).
	st, body := c.post("/operator/register", url.Values{"applicant_iin": {owner.IIN}, "rka": {owner.RKA}, "kind": {"permanent"},
		"doc_identity": {"1"}, "doc_owner_consent": {"1"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#doc_representative"`) {
		t.Fatalf("missing document: %d\n%s", st, excerpt(body))
	}
	mustContain(t, body, "Documents not checked: legal representative")
	st, body = c.post("/operator/register", url.Values{"applicant_iin": {owner.IIN}, "rka": {owner.RKA}, "kind": {"permanent"},
		"doc_identity": {"1"}, "doc_representative": {"1"}, "doc_owner_consent": {"1"}})
	if st != 200 {
		t.Fatalf("register: %d\n%s", st, excerpt(body))
	}
	mustContain(t, body, "Registered", "Application trail", "registration.created", "Documents checked by the operator",
		"written consent in person", "application.documents_checked")

	abroad := e.person("back_from_abroad")
	if st, body := c.post("/operator/emigrate", url.Values{"iin": {abroad.IIN}}); st != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#emigrate_confirm"`) {
		t.Fatalf("emigrate without confirmation: %d", st)
	}
	st, body = c.post("/operator/emigrate", url.Values{"iin": {abroad.IIN}, "confirm": {"1"}})
	if st != 200 {
		t.Fatalf("emigrate: %d\n%s", st, excerpt(body))
	}
	mustContain(t, body, "Every active registration of the person has ended.", "left for abroad")

	_, body = c.get("/stats")
	mustContain(t, body, "<svg", "Service centre")
	_, body = c.get("/stats.csv")
	mustContain(t, body, "section,key,online,psc,total", "outcome,registered,,,1")
	_, body = c.get("/stats.json")
	mustContain(t, body, `"total":1`, `"psc":1`)

	// A citizen page refuses an operator without a citizen session.
	if st, _ := c.post("/operator/logout", url.Values{}); st != 200 {
		t.Fatalf("logout: %d", st)
	}
	if st, _ := c.post("/operator/register", url.Values{"applicant_iin": {owner.IIN}}); st != http.StatusForbidden {
		t.Fatalf("register after logout: %d", st)
	}
}

// TestApplyFieldErrors: the form's input mistakes come back as field errors
// on the field to fix, with the value kept, and record nothing: a typed RKA
// that is not a code at all, one the address register does not know, and
// dates missing or out of range. None is a refusal ("registration is not
// possible"), and the sign step sends no code for them.
func TestApplyFieldErrors(t *testing.T) {
	e := newEnv(t)
	tenant := e.person("tenant")
	c := e.client("en")
	c.signIn(tenant.IIN)
	before := e.lastCode(tenant.IIN)
	for _, tc := range []struct {
		name, query, field, text, kept string
	}{
		{"malformed RKA", "kind=permanent&rka_code=12+345", "rka_code", "An RKA has no spaces", `value="12 345"`},
		{"unknown RKA", "kind=permanent&rka_code=12345", "rka_code", "has no premises with this RKA", `value="12345"`},
		{"no address", "kind=permanent", "rka_code", "", ""},
		{"no end of stay", "kind=temporary&rka_code=" + tenant.RKA + "&stay_from=2026-11-22", "stay_until", "", `value="2026-11-22"`},
		{"bad date", "kind=temporary&rka_code=" + tenant.RKA + "&stay_from=2026-11-22&stay_until=2026-13-01", "stay_until", "", `value="2026-13-01"`},
		{"too long", "kind=temporary&rka_code=" + tenant.RKA + "&stay_from=2026-11-22&stay_until=2028-01-01", "stay_until", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, body := c.get("/apply?" + tc.query + "&check=1")
			if st != http.StatusUnprocessableEntity {
				t.Fatalf("check: %d\n%s", st, excerpt(body))
			}
			mustContain(t, body, `href="#`+tc.field+`"`, `id="`+tc.field+`-error"`, tc.text, tc.kept)
			if strings.Contains(body, "What happens if you sign") {
				t.Fatal("a form mistake is shown as the check's result")
			}
			form, _ := url.ParseQuery(tc.query)
			st, body = c.post("/apply/sign", form)
			if st != http.StatusUnprocessableEntity {
				t.Fatalf("sign: %d\n%s", st, excerpt(body))
			}
			mustContain(t, body, `href="#`+tc.field+`"`)
		})
	}
	if e.lastCode(tenant.IIN) != before {
		t.Fatal("a form with mistakes sent a signing code")
	}
}
