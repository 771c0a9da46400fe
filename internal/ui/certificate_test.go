package ui_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"tirkeu/internal/certificate"
	"tirkeu/internal/eds"
	"tirkeu/internal/residence"
)

// recordingMaker seals as the server does and remembers the verification
// codes, which only the PDF (its QR code) carries.
type recordingMaker struct {
	*certificate.Maker
	mu    sync.Mutex
	codes []string
}

func (m *recordingMaker) Make(ctx context.Context, f residence.CertificateFacts) ([]byte, []byte, error) {
	m.mu.Lock()
	m.codes = append(m.codes, f.Code)
	m.mu.Unlock()
	return m.Maker.Make(ctx, f)
}

// withCertificates enables certificates on e, sealed by a fresh demo CA; it
// returns the maker and a verifier trusting that CA.
func withCertificates(t *testing.T, e *env) (*recordingMaker, *eds.Verifier) {
	t.Helper()
	dir := t.TempDir()
	if err := eds.DemoCA(dir, []eds.DemoSubject{certificate.DemoSealSubject}, today); err != nil {
		t.Fatal(err)
	}
	seal, err := certificate.LoadSeal(filepath.Join(dir, certificate.DemoSealSubject.IIN+".p12"), eds.DemoPassword, true)
	if err != nil {
		t.Fatal(err)
	}
	m := &recordingMaker{Maker: &certificate.Maker{Seal: seal, BaseURL: e.srv.URL}}
	e.svc.SetCertificateMaker(m)
	roots, _, err := eds.LoadTrust(filepath.Join(dir, eds.DemoRootFile), "")
	if err != nil {
		t.Fatal(err)
	}
	v, err := eds.NewVerifier(eds.Config{Roots: roots, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return m, v
}

// registered finds a cast member with an active registration.
func registered(t *testing.T, e *env) (residence.Person, residence.Registration, residence.Premises) {
	t.Helper()
	ctx := context.Background()
	for _, role := range []string{"tenant", "co_owner_1", "parent", "minor_flat_owner"} {
		c, ok := e.cast[role]
		if !ok {
			continue
		}
		ad, err := e.svc.PersonAddresses(ctx, residence.Actor{Role: residence.RoleCitizen, IIN: c.IIN}, c.IIN)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range ad.Registrations {
			if r.Status == residence.RegistrationActive {
				return ad.Person, r, ad.Premises[r.RKA]
			}
		}
	}
	t.Fatal("no cast member has an active registration")
	return residence.Person{}, residence.Registration{}, residence.Premises{}
}

var certLinkRE = regexp.MustCompile(`href="/account/certificates/([0-9a-f-]+)/pdf"`)

func (c *client) download(path string) (int, string, []byte) {
	c.e.t.Helper()
	res, err := c.http.Get(c.e.srv.URL + path)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Content-Type"), b
}

// TestCertificate issues a certificate from the account page, downloads it
// and its seal, checks it at /verify, and keeps strangers out.
func TestCertificate(t *testing.T) {
	e := newEnv(t)
	maker, verifier := withCertificates(t, e)
	person, reg, prem := registered(t, e)
	ctx := context.Background()

	me := e.client("ru")
	me.signIn(person.IIN)
	_, body := me.get("/account")
	mustContain(t, body, `action="/account/registrations/`+reg.ID+`/certificate"`)
	st, body := me.post("/account/registrations/"+reg.ID+"/certificate", url.Values{})
	if st != http.StatusOK {
		t.Fatalf("issue: %d\n%s", st, excerpt(body))
	}
	m := certLinkRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no download link on the certificate page:\n%s", excerpt(body))
	}
	id := m[1]

	st, ct, pdf := me.download("/account/certificates/" + id + "/pdf")
	if st != 200 || ct != "application/pdf" || !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatalf("PDF download: %d %s %.20q", st, ct, pdf)
	}
	st, ct, sig := me.download("/account/certificates/" + id + "/signature")
	if st != 200 || ct != "application/pkcs7-signature" {
		t.Fatalf("signature download: %d %s", st, ct)
	}
	if _, err := verifier.Verify(ctx, sig, pdf); err != nil {
		t.Errorf("the downloaded seal does not verify the downloaded PDF: %v", err)
	}

	// Somebody else can neither download it nor issue one of my registrations.
	other := e.client("ru")
	other.signIn(e.person("co_owner_2").IIN)
	if person.IIN == e.person("co_owner_2").IIN {
		t.Fatal("pick another stranger")
	}
	for _, p := range []string{"/account/certificates/" + id + "/pdf", "/account/certificates/" + id + "/signature"} {
		if st, _, b := other.download(p); st != http.StatusForbidden || strings.HasPrefix(string(b), "%PDF") {
			t.Errorf("stranger GET %s: %d, want 403", p, st)
		}
	}
	if st, _ := other.post("/account/registrations/"+reg.ID+"/certificate", url.Values{}); st != http.StatusForbidden {
		t.Errorf("stranger issues my certificate: %d, want 403", st)
	}
	// Not signed in: the sign-in page (after a redirect), never the PDF.
	if st, ct, _ := e.client("ru").download("/account/certificates/" + id + "/pdf"); ct == "application/pdf" {
		t.Errorf("anonymous download served the PDF (%d)", st)
	}

	// The issue and the downloads are in my access log.
	log, err := e.svc.AccessLog(ctx, residence.Actor{Role: residence.RoleCitizen, IIN: person.IIN}, 50)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ev := range log {
		if strings.Contains(string(ev.Data), `"what":"certificate"`) {
			n++
		}
	}
	if n != 3 { // issued, PDF, signature
		t.Errorf("access log has %d certificate records, want 3 (issue and two downloads): %+v", n, log)
	}
	_, body = me.get("/account")
	mustContain(t, body, "Выдана или скачана адресная справка")

	// The QR code's page: genuine and active, the name masked, nothing else.
	if len(maker.codes) != 1 {
		t.Fatalf("%d certificates made, want 1", len(maker.codes))
	}
	code := maker.codes[0]
	anon := e.client("en")
	st, body = anon.get("/verify/" + code)
	if st != 200 {
		t.Fatalf("verify: %d\n%s", st, excerpt(body))
	}
	mustContain(t, body, "The certificate is genuine", "The registration is active now", residence.MaskName(person))
	page := stripTags(body)
	for _, secret := range []string{person.IIN, person.IIN[len(person.IIN)-4:], person.LastName, person.FirstName, prem.Street, prem.RKA, reg.ID, id} {
		if secret != "" && strings.Contains(page, secret) {
			t.Errorf("/verify discloses %q", secret)
		}
	}
	for _, bad := range []string{code[:len(code)-1] + "A", "short", strings.Repeat("A", len(code))} {
		if bad == code {
			continue
		}
		if st, body := anon.get("/verify/" + bad); st != http.StatusNotFound || !strings.Contains(body, "No such certificate") {
			t.Errorf("verify %q: %d, want 404 and not genuine", bad, st)
		}
	}

	// The registration ends: the same certificate is genuine but no longer valid.
	if _, err := e.svc.EndRegistrations(ctx, residence.Actor{Role: residence.RoleOperator, Name: "PSC"}, person.IIN, residence.EndEmigrated); err != nil {
		t.Fatal(err)
	}
	_, body = anon.get("/verify/" + code)
	mustContain(t, body, "The certificate is genuine", "The registration has ended")
	if strings.Contains(body, "The registration is active now") {
		t.Error("an ended registration shows as active")
	}
	// The anonymous checks are in the person's access log.
	log, _ = e.svc.AccessLog(ctx, residence.Actor{Role: residence.RoleCitizen, IIN: person.IIN}, 50)
	checks := 0
	for _, ev := range log {
		if strings.Contains(string(ev.Data), `"what":"certificate_check"`) {
			checks++
		}
	}
	if checks != 2 {
		t.Errorf("%d certificate checks in the access log, want 2", checks)
	}
}

// TestCertificateDisabled: without a seal the account offers no
// certificate and issuing one is unavailable.
func TestCertificateDisabled(t *testing.T) {
	e := newEnv(t)
	person, reg, _ := registered(t, e)
	me := e.client("en")
	me.signIn(person.IIN)
	_, body := me.get("/account")
	if strings.Contains(body, "/certificate\"") {
		t.Error("the account offers certificates without a seal")
	}
	if st, _ := me.post("/account/registrations/"+reg.ID+"/certificate", url.Values{}); st != http.StatusServiceUnavailable {
		t.Errorf("issue without a seal: %d, want 503", st)
	}
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

func stripTags(s string) string { return tagRE.ReplaceAllString(s, " ") }
