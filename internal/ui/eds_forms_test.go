package ui_test

import (
	"bytes"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"tirkeu/internal/eds"
)

// postSigned posts a multipart form as a browser without JavaScript does
// with the file fallback: the fields, the scraped CSRF token, and cms, a
// signature file (nil: the file input left empty). It returns the status,
// the final URL after redirects and the body.
func (c *client) postSigned(path string, fields map[string]string, cms []byte) (int, string, string) {
	c.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if _, ok := fields["csrf"]; !ok {
		_ = mw.WriteField("csrf", c.csrf)
	}
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	if cms != nil {
		fw, _ := mw.CreateFormFile("cms", "signature.cms")
		_, _ = fw.Write(cms)
	}
	_ = mw.Close()
	req, _ := http.NewRequest("POST", c.e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatalf("POST %s: %v", path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	c.last = string(b)
	if m := csrfRE.FindStringSubmatch(c.last); m != nil {
		c.csrf = m[1]
	}
	return res.StatusCode, res.Request.URL.Path, c.last
}

// sign is the person's demo GOST key's detached CMS over body, as a tool
// other than NCALayer (tirkeu sign) makes it.
func (e *edsEnv) sign(iin string, body []byte) []byte {
	e.t.Helper()
	p12, err := os.ReadFile(filepath.Join(e.ca, iin+".p12"))
	if err != nil {
		e.t.Fatal(err)
	}
	cms, err := eds.Sign(p12, eds.DemoPassword, body, e.clock.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	return cms
}

// shownText returns the text a signing widget shows to be signed.
func shownText(t *testing.T, page, widget string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<textarea id="eds-data-` + regexp.QuoteMeta(widget) + `"[^>]*>(.*?)</textarea>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no text to sign for %s:\n%s", widget, excerpt(page))
	}
	return html.UnescapeString(m[1])
}

// TestEDSWithoutPhone: a person with no phone in the MCD, who can get no
// SMS code, signs everything on the pages with EDS through the file
// fallback: she signs in, takes a lodger off the register of her flat, and
// the apply step offers EDS only. A signature over other bytes than the
// page shows, or another person's, is refused and changes nothing.
func TestEDSWithoutPhone(t *testing.T) {
	e := newEDSEnv(t)
	owner, lodger, other := e.person("no_phone"), e.person("rental_friend"), e.person("tenant")
	c := e.client("en")

	// Sign in: the challenge is signed.
	_, page := c.get("/login")
	challenge := regexp.MustCompile(`name="challenge" value="([^"]+)"`).FindStringSubmatch(page)[1]
	if shownText := regexp.MustCompile(`data-sign-data="([^"]+)"`).FindStringSubmatch(page); shownText == nil {
		t.Fatal("the sign-in page has no NCALayer widget")
	}
	if st, _, body := c.postSigned("/login/eds", map[string]string{"challenge": challenge}, nil); st != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "Choose the signature file.") {
		t.Fatalf("sign-in without a signature: %d\n%s", st, excerpt(body))
	}
	_, page = c.get("/login")
	challenge = regexp.MustCompile(`name="challenge" value="([^"]+)"`).FindStringSubmatch(page)[1]
	st, at, body := c.postSigned("/login/eds", map[string]string{"challenge": challenge}, e.sign(owner.IIN, []byte(challenge)))
	if st != 200 || at != "/account" {
		t.Fatalf("EDS sign-in: %d at %s\n%s", st, at, excerpt(body))
	}

	// Deregister the lodger, signed over the request the page shows.
	_, page = c.get("/owner")
	widget := "dereg-" + owner.RKA + "-" + lodger.IIN
	want := `{"owner_iin":"` + owner.IIN + `","subject_iin":"` + lodger.IIN + `","rka":"` + owner.RKA + `","kind":"permanent"}`
	if got := shownText(t, page, widget); got != want {
		t.Fatalf("the page asks to sign %s, want %s", got, want)
	}
	form := map[string]string{"rka": owner.RKA, "subject": lodger.IIN, "kind": "permanent"}
	for name, cms := range map[string][]byte{
		"other bytes":    e.sign(owner.IIN, []byte(strings.Replace(want, "permanent", "temporary", 1))),
		"another signer": e.sign(other.IIN, []byte(want)),
	} {
		st, _, body := c.postSigned("/owner/deregister", form, cms)
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#cms-`+widget+`"`) {
			t.Fatalf("%s: %d\n%s", name, st, excerpt(body))
		}
	}
	st, at, body = c.postSigned("/owner/deregister", form, e.sign(owner.IIN, []byte(want)))
	if st != 200 || !strings.HasPrefix(at, "/applications/") {
		t.Fatalf("EDS deregistration: %d at %s\n%s", st, at, excerpt(body))
	}
	mustContain(t, body, "Deregist")

	// The apply step sends no code and asks for EDS.
	c.get("/apply")
	st, body = c.post("/apply/sign", map[string][]string{"kind": {"temporary"}, "rka_code": {other.RKA},
		"stay_from": {"2026-11-22"}, "stay_until": {"2026-12-28"}})
	if st != 200 || !strings.Contains(html.UnescapeString(body), "no SMS code was sent") || strings.Contains(body, `id="code"`) {
		t.Fatalf("apply/sign without a phone: %d\n%s", st, excerpt(body))
	}
	app := shownText(t, body, "apply")
	if !strings.Contains(app, `"applicant_iin":"`+owner.IIN+`"`) || !strings.Contains(app, `"stay_until":"2026-12-28"`) {
		t.Fatalf("the application to sign: %s", app)
	}
	fields := map[string]string{"kind": "temporary", "rka_code": other.RKA, "stay_from": "2026-11-22", "stay_until": "2026-12-28",
		"no_phone": "1", "idempotency_key": "ui-test-eds"}
	// A signature over the application with another end of stay is refused.
	st, _, body = c.postSigned("/apply/submit", fields, e.sign(owner.IIN, []byte(strings.Replace(app, "2026-12-28", "2027-12-28", 1))))
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#cms-apply"`) {
		t.Fatalf("a signature over another application: %d\n%s", st, excerpt(body))
	}
	st, at, body = c.postSigned("/apply/submit", fields, e.sign(owner.IIN, []byte(app)))
	if st != 200 || !strings.HasPrefix(at, "/applications/") {
		t.Fatalf("EDS application: %d at %s\n%s", st, at, excerpt(body))
	}
}
