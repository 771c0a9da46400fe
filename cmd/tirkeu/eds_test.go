package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const ncaFixtures = "../../internal/eds/testdata"

// writePEM writes the NCA fixtures named as one PEM bundle.
func writePEM(t *testing.T, dir, name string, fixtures ...string) string {
	t.Helper()
	var buf bytes.Buffer
	for _, f := range fixtures {
		data, err := os.ReadFile(filepath.Join(ncaFixtures, f))
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := pem.Decode(data); b != nil {
			data = b.Bytes
		}
		pem.Encode(&buf, &pem.Block{Type: "CERTIFICATE", Bytes: data})
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

type verifyCertLine struct {
	File      string `json:"file"`
	Valid     bool   `json:"valid"`
	Algorithm string `json:"algorithm"`
	IIN       string `json:"iin"`
	Warning   string `json:"warning"`
	Error     string `json:"error"`
}

func TestEDSVerifyCert(t *testing.T) {
	dir := t.TempDir()
	roots := writePEM(t, dir, "roots.pem", "root_test_gost_2022.cer", "nca_gost_test.crt")
	inter := writePEM(t, dir, "inter.pem", "nca_gost2022_test.cer")
	leaf := filepath.Join(ncaFixtures, "individual_valid_individual_valid.der")
	head := filepath.Join(ncaFixtures, "legal_valid_head.der")
	ceo := filepath.Join(ncaFixtures, "ceo_valid_sign_2004_gost.cer") // PEM
	orig, err := os.ReadFile(leaf)
	if err != nil {
		t.Fatal(err)
	}
	tampered := append([]byte(nil), orig...)
	tampered[300] ^= 0x01 // inside the subject's key
	tamperedFile := filepath.Join(dir, "tampered.der")
	os.WriteFile(tamperedFile, tampered, 0o644)

	for _, tt := range []struct {
		name  string
		args  []string
		code  int
		lines []verifyCertLine
	}{
		{"valid 2015 and 2004", []string{"--roots", roots, "--intermediates", inter, "--at", "2026-09-01T00:00:00Z", leaf, head}, 0,
			[]verifyCertLine{{File: leaf, Valid: true, Algorithm: "gost2015-512", IIN: "123456789011", Warning: "iin_check_digit"},
				{File: head, Valid: true, Algorithm: "gost2015-512", IIN: "123456789011", Warning: "iin_check_digit"}}},
		{"2004 inside its validity", []string{"--roots", roots, "--at", "2022-06-01T00:00:00Z", ceo}, 0,
			[]verifyCertLine{{File: ceo, Valid: true, Algorithm: "gost2004", IIN: "123456789011", Warning: "iin_check_digit"}}},
		{"expired", []string{"--roots", roots, "--intermediates", inter, "--at", "2027-06-01T00:00:00Z", leaf}, 1,
			[]verifyCertLine{{File: leaf, Algorithm: "gost2015-512", IIN: "123456789011", Warning: "iin_check_digit", Error: "certificate_expired"}}},
		{"no intermediate", []string{"--roots", roots, "--at", "2026-09-01T00:00:00Z", leaf}, 1,
			[]verifyCertLine{{File: leaf, Algorithm: "gost2015-512", IIN: "123456789011", Warning: "iin_check_digit", Error: "certificate_untrusted"}}},
		{"tampered, and one valid", []string{"--roots", roots, "--intermediates", inter, "--at", "2026-09-01T00:00:00Z", tamperedFile, leaf}, 1,
			[]verifyCertLine{{File: tamperedFile, Algorithm: "gost2015-512", IIN: "123456789011", Warning: "iin_check_digit", Error: "certificate_untrusted"},
				{File: leaf, Valid: true, Algorithm: "gost2015-512", IIN: "123456789011", Warning: "iin_check_digit"}}},
		{"RSA, as before", []string{"--roots", filepath.Join(ncaFixtures, "nca_rsa_test.crt"), "--at", "2022-06-01T00:00:00Z",
			filepath.Join(ncaFixtures, "individual_valid_sign_2004_rsa.cer")}, 0,
			[]verifyCertLine{{File: filepath.Join(ncaFixtures, "individual_valid_sign_2004_rsa.cer"), Valid: true, Algorithm: "rsa-sha256", IIN: "123456789011", Warning: "iin_check_digit"}}},
		{"not a certificate", []string{"--roots", roots, roots + ".missing"}, 1,
			[]verifyCertLine{{File: roots + ".missing", Error: "certificate_malformed"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), append([]string{"eds", "verify-cert"}, tt.args...), nil, &out, &errb)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %s; stdout %s", code, tt.code, errb.String(), out.String())
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			if len(lines) != len(tt.lines) {
				t.Fatalf("%d lines, want %d: %s", len(lines), len(tt.lines), out.String())
			}
			for i, l := range lines {
				var got verifyCertLine
				if err := json.Unmarshal([]byte(l), &got); err != nil {
					t.Fatalf("line %q: %v", l, err)
				}
				if got != tt.lines[i] {
					t.Errorf("line %d = %+v, want %+v", i, got, tt.lines[i])
				}
			}
		})
	}
}

func TestEDSInspectAlgorithm(t *testing.T) {
	for file, want := range map[string]string{
		"individual_valid_individual_valid.der": "gost2015-512",
		"ceo_valid_sign_2004_gost.cer":          "gost2004",
		"individual_valid_sign_2004_rsa.cer":    "rsa-sha256",
	} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), []string{"eds", "inspect", filepath.Join(ncaFixtures, file)}, nil, &out, &errb); code != 0 {
			t.Fatalf("%s: exit %d: %s", file, code, errb.String())
		}
		var got struct {
			Algorithm string `json:"algorithm"`
			IIN       string `json:"iin"`
		}
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if got.Algorithm != want || got.IIN != "123456789011" {
			t.Errorf("%s: %+v, want algorithm %s", file, got, want)
		}
	}
}
