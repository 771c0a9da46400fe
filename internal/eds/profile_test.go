package eds

import (
	"context"
	"crypto/x509"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestNCAFixtures parses every public NCA RK test certificate and checks the
// profile fields against testdata/NCA-README.md.
func TestNCAFixtures(t *testing.T) {
	tests := []struct {
		file     string
		iin, bin string
		roles    []string
		keyUsage []string
	}{
		{"individual_valid_sign_2004_rsa.cer", "123456789011", "", []string{RoleIndividual}, []string{"digitalSignature", "nonRepudiation"}},
		{"individual_valid_sign_2004_rsa_auth.cer", "123456789011", "", []string{RoleIndividual}, []string{"digitalSignature", "keyEncipherment"}},
		{"individual_valid_individual_valid.der", "123456789011", "", []string{RoleIndividual}, nil},
		{"legal_valid_head.der", "123456789011", "123456789021", []string{RoleOrganisation, RoleHead}, []string{"digitalSignature", "nonRepudiation", "keyAgreement"}},
		{"ceo_valid_sign_2004_gost.cer", "123456789011", "123456789021", []string{RoleOrganisation, RoleHead}, []string{"digitalSignature", "nonRepudiation"}},
		{"nca_rsa_test.crt", "", "", []string{}, nil},
		{"nca_gost2022_test.cer", "", "", []string{}, nil},
		{"nca_gost_test.crt", "", "", []string{}, nil},
		{"root_test_gost_2022.cer", "", "", []string{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			c, err := ParseCertificate(data)
			if err != nil {
				t.Fatal(err)
			}
			info := Inspect(c)
			if info.IIN != tt.iin || info.BIN != tt.bin || !slices.Equal(info.Roles, tt.roles) {
				t.Errorf("Inspect = iin %q bin %q roles %v, want %q %q %v", info.IIN, info.BIN, info.Roles, tt.iin, tt.bin, tt.roles)
			}
			if tt.keyUsage != nil && !slices.Equal(info.KeyUsage, tt.keyUsage) {
				t.Errorf("key usage = %v, want %v", info.KeyUsage, tt.keyUsage)
			}
			if info.Subject == "" || info.Issuer == "" || info.NotAfter.Before(info.NotBefore) {
				t.Errorf("Inspect = %+v", info)
			}
		})
	}
}

// TestNCAFixtureProfile checks the RSA signing and authentication
// certificates against the verifier's chain and key-usage rules (their
// signatures over content cannot be made: the keys are not published).
func TestNCAFixtureProfile(t *testing.T) {
	load := func(name string) *x509.Certificate {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		c, err := ParseCertificate(data)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	ca := load("nca_rsa_test.crt")
	sign := load("individual_valid_sign_2004_rsa.cer")
	auth := load("individual_valid_sign_2004_rsa_auth.cer")
	at := time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC)
	v, err := NewVerifier(Config{Roots: []*x509.Certificate{ca}, Now: func() time.Time { return at }, AllowUnverifiableIIN: true})
	if err != nil {
		t.Fatal(err)
	}
	chain, err := v.chain(sign, nil, at)
	if err != nil || len(chain) != 2 {
		t.Fatalf("chain = %d certificates, %v", len(chain), err)
	}
	_, err = v.chain(sign, nil, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	wantCode(t, err, ECertificateExpired)
	wantCode(t, v.checkProfile(sign, Inspect(sign)), "")
	wantCode(t, v.checkProfile(auth, Inspect(auth)), EKeyUsage)

	strict, _ := NewVerifier(Config{Roots: []*x509.Certificate{ca}})
	wantCode(t, strict.checkProfile(sign, Inspect(sign)), ECertificateUntrusted)
}

func TestDemoCA(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	subjects := []DemoSubject{
		{IIN: "880101300516", CommonName: "АХМЕТОВ АЙБЕК"},
		{IIN: "900202400121", BIN: "990340001230", CommonName: "ИВАНОВА ОЛЬГА", Roles: []string{RoleHead}},
	}
	roots, err := EnsureDemoCA(dir, subjects[:2], now)
	if err != nil {
		t.Fatal(err)
	}
	first, _ := os.ReadFile(filepath.Join(dir, "880101300516.p12"))
	// A second call creates nothing and returns the same root.
	roots2, err := EnsureDemoCA(dir, subjects[:2], now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	again, _ := os.ReadFile(filepath.Join(dir, "880101300516.p12"))
	if !roots[0].Equal(roots2[0]) || string(first) != string(again) {
		t.Fatal("EnsureDemoCA re-created an existing demo CA")
	}
	// A new subject is added under the existing CA.
	if _, err := EnsureDemoCA(dir, []DemoSubject{{IIN: "950303500126", CommonName: "new"}}, now); err != nil {
		t.Fatal(err)
	}
	v, err := NewVerifier(Config{Roots: roots, Now: func() time.Time { return now.Add(time.Minute) }, RevocationRequired: false})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		iin, bin string
		roles    []string
	}{
		{"880101300516", "", []string{RoleIndividual}},
		{"900202400121", "990340001230", []string{RoleOrganisation, RoleHead}},
		{"950303500126", "", []string{RoleIndividual}},
	} {
		p12, err := os.ReadFile(filepath.Join(dir, tt.iin+".p12"))
		if err != nil {
			t.Fatal(err)
		}
		cms, err := Sign(p12, DemoPassword, body, now)
		if err != nil {
			t.Fatal(err)
		}
		s, err := v.Verify(context.Background(), cms, body)
		if err != nil {
			t.Fatalf("%s: %v", tt.iin, err)
		}
		if s.IIN != tt.iin || s.BIN != tt.bin || !slices.Equal(s.Roles, tt.roles) {
			t.Errorf("signer = %+v, want %v", s, tt)
		}
		if _, err := Sign(p12, "wrong", body, now); err == nil {
			t.Error("Sign with a wrong password succeeded")
		}
	}
}
