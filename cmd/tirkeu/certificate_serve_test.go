package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"tirkeu/internal/needtest"
)

// get fetches path with the headers, returning status, headers and body.
func (c client) get(path string, hdr ...string) (int, http.Header, []byte) {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.base+path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, b
}

// TestServeOutboxPage: in demo mode a browser's /dev/sms is an HTML page
// (lang, title, a table, newest first), while scripts keep their JSON and
// the README's /dev/sms/last-code.
func TestServeOutboxPage(t *testing.T) {
	c := client{t: t, base: startServe(t, nil)}
	const anna, annaPhone, kim, kimPhone = "960920490032", "77021000003", "861130390063", "77071000006"
	for _, iin := range []string{anna, kim} {
		if status, _, raw := c.call("POST", "/api/v1/otp", "", map[string]string{"iin": iin, "purpose": "login"}); status != 201 {
			t.Fatalf("otp: %d %s", status, raw)
		}
	}
	st, h, body := c.get("/dev/sms", "Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8", "Accept-Language", "en")
	page := string(body)
	if st != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
		t.Fatalf("browser /dev/sms: %d %s", st, h.Get("Content-Type"))
	}
	for _, want := range []string{`<html lang="en">`, "<title>Demo SMS outbox", `<table id="outbox">`, "<caption>", `<th scope="col">`} {
		if !strings.Contains(page, want) {
			t.Errorf("the outbox page lacks %q", want)
		}
	}
	if ik, ia := strings.Index(page, ">"+kimPhone+"<"), strings.Index(page, ">"+annaPhone+"<"); ik < 0 || ia < 0 || ik > ia {
		t.Errorf("the outbox page is not newest first (Kim's SMS at %d, Anna's at %d)", ik, ia)
	}
	for _, hdr := range [][]string{{"Accept", "application/json"}, {"Accept", "*/*"}, {}} {
		st, h, body := c.get("/dev/sms", hdr...)
		var msgs []map[string]any
		if st != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") || json.Unmarshal(body, &msgs) != nil || len(msgs) != 2 {
			t.Errorf("/dev/sms with %v: %d %s %.80s", hdr, st, h.Get("Content-Type"), body)
		}
	}
	if st, h, body := c.get("/dev/sms?format=json", "Accept", "text/html"); st != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
		t.Errorf("/dev/sms?format=json from a browser: %d %s %.80s", st, h.Get("Content-Type"), body)
	}
	if code := c.code(kimPhone); len(code) != 6 {
		t.Errorf("last-code = %q", code)
	}
}

// TestServeCertificate walks a certificate through the real server: Kim
// signs in, downloads the certificate of his registration and its seal
// from the API, the seal verifies with `tirkeu eds verify` against the demo
// CA under the data directory, and the verification URL printed on the PDF
// answers that it is genuine.
func TestServeCertificate(t *testing.T) {
	c := client{t: t, base: startServe(t, nil)}
	dataDir := os.Getenv("TIRKEU_DATA_DIR")
	const kim, kimPhone = "861130390063", "77071000006"
	c.call("POST", "/api/v1/otp", "", map[string]string{"iin": kim, "purpose": "login"})
	_, sess, raw := c.call("POST", "/api/v1/sessions", "", map[string]string{"iin": kim, "otp": c.code(kimPhone)})
	tok, _ := sess["token"].(string)
	if tok == "" {
		t.Fatalf("session: %s", raw)
	}
	_, regs, raw := c.call("GET", "/api/v1/persons/"+kim+"/registrations", tok, nil)
	list, _ := regs["registrations"].([]any)
	if len(list) == 0 {
		t.Fatalf("no registrations: %s", raw)
	}
	id := list[0].(map[string]any)["id"].(string)
	st, h, pdf := c.get("/api/v1/registrations/"+id+"/certificate", "Authorization", "Bearer "+tok)
	if st != 200 || h.Get("Content-Type") != "application/pdf" {
		t.Fatalf("certificate: %d %s %.200s", st, h.Get("Content-Type"), pdf)
	}
	link := regexp.MustCompile(`^<([^>]+)>; rel="signature"$`).FindStringSubmatch(h.Get("Link"))
	if link == nil {
		t.Fatalf("Link = %q", h.Get("Link"))
	}
	st, _, sig := c.get(link[1], "Authorization", "Bearer "+tok)
	if st != 200 {
		t.Fatalf("signature: %d", st)
	}
	work := t.TempDir()
	pdfFile, sigFile := filepath.Join(work, "c.pdf"), filepath.Join(work, "c.pdf.p7s")
	os.WriteFile(pdfFile, pdf, 0o600)
	os.WriteFile(sigFile, sig, 0o600)
	var out, errb strings.Builder
	if code := run(t.Context(), []string{"eds", "verify", "--roots", filepath.Join(dataDir, "demo-ca", "root.pem"), "--signature", sigFile, pdfFile}, nil, &out, &errb); code != 0 {
		t.Fatalf("tirkeu eds verify: exit %d %s", code, errb.String())
	}

	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		needtest.Missing(t, "pdftotext is missing", "install it with .ci/install-pdf-tools")
	}
	text, err := exec.Command(pdftotext, pdfFile, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`/verify/([A-Za-z0-9_-]{24})`).FindStringSubmatch(string(text))
	if m == nil {
		t.Fatalf("no verification URL in the PDF:\n%s", text)
	}
	st, _, body := c.get("/verify/"+m[1], "Accept-Language", "en")
	if st != 200 || !strings.Contains(string(body), "The certificate is genuine") || strings.Contains(string(body), kim) {
		t.Errorf("/verify/{code}: %d\n%s", st, body)
	}
}
