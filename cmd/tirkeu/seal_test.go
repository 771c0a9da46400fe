package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tirkeu/internal/certificate"
	"tirkeu/internal/eds"
	"tirkeu/internal/residence"
)

// TestSealVerifiesWithTheCLI seals a certificate with the demo seal the
// server makes and checks it as the README says: `tirkeu eds verify` accepts
// the PDF and refuses it changed by one byte; `tirkeu eds verify-cert`
// accepts the seal's certificate.
func TestSealVerifiesWithTheCLI(t *testing.T) {
	t.Setenv("TIRKEU_SEAL_KEY", "")
	t.Setenv("TIRKEU_PUBLIC_URL", "")
	dir := t.TempDir()
	cfg := config{Env: "demo", DataDir: dir, Addr: "localhost:8080"}
	now := time.Now()
	maker, err := loadSeal(cfg, now, slog.New(slog.DiscardHandler))
	if err != nil || maker == nil {
		t.Fatalf("loadSeal(demo) = %v, %v", maker, err)
	}
	if got := maker.VerifyURL("abc"); got != "http://localhost:8080/verify/abc" {
		t.Errorf("verify URL %q", got)
	}
	f := residence.CertificateFacts{ID: "c-1", Code: "abc", IssuedAt: now,
		Person:       residence.Person{IIN: "900101300123", LastName: "Серікова", FirstName: "Айгүл"},
		Registration: residence.Registration{Kind: residence.Permanent, Since: now.AddDate(-1, 0, 0), Status: residence.RegistrationActive},
		Premises:     residence.Premises{Region: "Астана", Locality: "Астана", Building: "1"}}
	pdf, sig, err := maker.Make(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(work, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pdfFile, sigFile := write("c.pdf", pdf), write("c.pdf.p7s", sig)
	tampered := write("tampered.pdf", bytes.Replace(pdf, []byte("/Author"), []byte("/Authos"), 1))
	sealFile := write("seal.pem", maker.Seal.CertPEM())
	root := filepath.Join(dir, "demo-ca", eds.DemoRootFile)

	var out, errb bytes.Buffer
	if code := runEDS(context.Background(), []string{"verify", "--roots", root, "--signature", sigFile, pdfFile}, nil, &out, &errb); code != 0 {
		t.Fatalf("eds verify of the sealed PDF: exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), certificate.DemoSealSubject.BIN) {
		t.Errorf("eds verify output names no seal BIN: %s", out.String())
	}
	errb.Reset()
	if code := runEDS(context.Background(), []string{"verify", "--roots", root, "--signature", sigFile, tampered}, nil, &out, &errb); code != 1 {
		t.Errorf("eds verify of a tampered PDF: exit %d, want 1", code)
	}
	out.Reset()
	if code := runEDS(context.Background(), []string{"verify-cert", "--roots", root, "--intermediates", filepath.Join(dir, "demo-ca", eds.DemoIntermediateFile), sealFile}, nil, &out, &errb); code != 0 || !strings.Contains(out.String(), `"valid":true`) {
		t.Errorf("eds verify-cert of the seal: exit %d: %s %s", code, out.String(), errb.String())
	}
}

// TestSealProduction: production refuses the demo CA's seal, needs the
// public URL with a seal, and without TIRKEU_SEAL_KEY offers no certificates.
func TestSealProduction(t *testing.T) {
	dir := t.TempDir()
	if _, err := loadSeal(config{Env: "demo", DataDir: dir, Addr: "x"}, time.Now(), slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	demoKey := filepath.Join(dir, "demo-ca", certificate.DemoSealSubject.IIN+".p12")
	prod := config{Env: "production", DataDir: dir, Addr: "x"}
	log := slog.New(slog.DiscardHandler)

	t.Setenv("TIRKEU_SEAL_KEY", "")
	if m, err := loadSeal(prod, time.Now(), log); m != nil || err != nil {
		t.Errorf("production without a seal = %v, %v; want certificates off", m, err)
	}
	t.Setenv("TIRKEU_SEAL_KEY", demoKey)
	t.Setenv("TIRKEU_SEAL_PASSWORD", eds.DemoPassword)
	t.Setenv("TIRKEU_PUBLIC_URL", "")
	if _, err := loadSeal(prod, time.Now(), log); err == nil || !strings.Contains(err.Error(), "TIRKEU_PUBLIC_URL") {
		t.Errorf("production seal without TIRKEU_PUBLIC_URL: %v", err)
	}
	t.Setenv("TIRKEU_PUBLIC_URL", "https://tirkeu.example")
	if _, err := loadSeal(prod, time.Now(), log); err == nil || !strings.Contains(err.Error(), "demo CA") {
		t.Errorf("production with the demo seal: %v, want it refused", err)
	}
}
