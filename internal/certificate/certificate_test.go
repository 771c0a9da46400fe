package certificate

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tirkeu/internal/eds"
	"tirkeu/internal/residence"

	"tirkeu/internal/needtest"
)

// tool returns the path of a command-line tool the tests need (poppler-utils,
// zbar-tools): the test is skipped without it, or fails when CI=true
// (.ci/install-pdf-tools installs them).
func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		needtest.Missing(t, name+" is missing", "install it with .ci/install-pdf-tools")
	}
	return p
}

var now = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)

// demoSeal makes a demo CA with the seal subject and opens its key store.
func demoSeal(t testing.TB) (Seal, string) {
	t.Helper()
	dir := t.TempDir()
	if err := eds.DemoCA(dir, []eds.DemoSubject{DemoSealSubject}, now); err != nil {
		t.Fatal(err)
	}
	s, err := LoadSeal(filepath.Join(dir, DemoSealSubject.IIN+".p12"), eds.DemoPassword, true)
	if err != nil {
		t.Fatal(err)
	}
	return s, dir
}

func facts() residence.CertificateFacts {
	return residence.CertificateFacts{
		ID: "0190b1d2-0000-7000-8000-000000000001", Code: "AbCdEfGhIjKlMnOpQrStUvWx", IssuedAt: now,
		Person: residence.Person{IIN: "900101300123", LastName: "Әлімжанова", FirstName: "Гүлнұр", Patronymic: "Серікқызы"},
		Registration: residence.Registration{ID: "reg-1", IIN: "900101300123", RKA: "0201000000001", Kind: residence.Temporary,
			Since: time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 7, 9, 0, 0, 0, 0, time.UTC),
			Status: residence.RegistrationActive},
		Premises: residence.Premises{RKA: "0201000000001", Region: "Алматы", Locality: "Алматы", Street: "Әуезов көшесі", Building: "12", Unit: "пәтер 34"},
	}
}

// TestRenderText renders a certificate and reads it back with pdftotext:
// the PDF opens, and its text has the name, IIN, address and both headings.
func TestRenderText(t *testing.T) {
	pdftotext := tool(t, "pdftotext")
	f := facts()
	pdf, err := Render(f, "https://tirkeu.example/verify/"+f.Code)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", pdf[:min(16, len(pdf))])
	}
	path := filepath.Join(t.TempDir(), "c.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, "-layout", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{
		"МЕКЕНЖАЙ АНЫҚТАМАСЫ", "АДРЕСНАЯ СПРАВКА", // the Kazakh and Russian headings
		"Әлімжанова Гүлнұр Серікқызы", "900101300123",
		"Алматы, Алматы, Әуезов көшесі, 12, пәтер 34",
		"Уақытша / Временная", "10.01.2026 – 09.07.2026", "Дата выдачи", "14.03.2026",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext output lacks %q:\n%s", want, text)
		}
	}
}

// TestQRCode renders the page to PNG and decodes its QR code: it opens the
// certificate's verify URL.
func TestQRCode(t *testing.T) {
	pdftoppm, zbarimg := tool(t, "pdftoppm"), tool(t, "zbarimg")
	f := facts()
	url := "https://tirkeu.example/verify/" + f.Code
	pdf, err := Render(f, url)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "c.pdf"), pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(pdftoppm, "-png", "-r", "100", "-singlefile", filepath.Join(dir, "c.pdf"), filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	out, err := exec.Command(zbarimg, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", filepath.Join(dir, "page.png")).Output()
	if err != nil {
		t.Fatalf("zbarimg found no QR code: %v", err)
	}
	if got := strings.TrimSpace(string(out)); got != url {
		t.Errorf("QR code = %q, want %q", got, url)
	}
}

// TestSealVerifies seals a certificate and checks the detached signature the
// way `tirkeu eds verify` does; a PDF changed by one byte fails.
func TestSealVerifies(t *testing.T) {
	seal, dir := demoSeal(t)
	m := &Maker{Seal: seal, BaseURL: "https://tirkeu.example/"}
	pdf, sig, err := m.Make(context.Background(), facts())
	if err != nil {
		t.Fatal(err)
	}
	roots, inter, err := eds.LoadTrust(filepath.Join(dir, eds.DemoRootFile), "")
	if err != nil {
		t.Fatal(err)
	}
	v, err := eds.NewVerifier(eds.Config{Roots: roots, Intermediates: inter, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	s, err := v.Verify(context.Background(), sig, pdf)
	if err != nil {
		t.Fatalf("the seal does not verify: %v", err)
	}
	if s.BIN != DemoSealSubject.BIN {
		t.Errorf("signer BIN = %q, want the seal's %q", s.BIN, DemoSealSubject.BIN)
	}
	tampered := bytes.Replace(pdf, []byte("/Title"), []byte("/Titlf"), 1)
	if bytes.Equal(tampered, pdf) {
		t.Fatal("tampering changed nothing")
	}
	if _, err := v.Verify(context.Background(), sig, tampered); err == nil {
		t.Error("a tampered PDF verifies")
	}
}

// TestProductionRefusesDemoSeal: the demo CA's seal is refused unless demo
// keys are allowed.
func TestProductionRefusesDemoSeal(t *testing.T) {
	_, dir := demoSeal(t)
	p := filepath.Join(dir, DemoSealSubject.IIN+".p12")
	if _, err := LoadSeal(p, eds.DemoPassword, false); err == nil || !strings.Contains(err.Error(), "demo CA") {
		t.Errorf("LoadSeal(production) = %v, want the demo key refused", err)
	}
	if _, err := LoadSeal(p, "wrong", true); err == nil {
		t.Error("LoadSeal with a wrong password succeeded")
	}
}
