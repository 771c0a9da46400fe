package eds

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tirkeu/internal/needtest"
)

// testKeys caches generated keys: RSA key generation dominates test time.
var (
	testKeysMu sync.Mutex
	testKeys   = map[string]crypto.Signer{}
)

func testKey(tb testing.TB, kind string) crypto.Signer {
	tb.Helper()
	testKeysMu.Lock()
	defer testKeysMu.Unlock()
	if k, ok := testKeys[kind]; ok {
		return k
	}
	var k crypto.Signer
	var err error
	switch kind {
	case "rsa", "rsa-ca", "rsa-root":
		k, err = rsa.GenerateKey(rand.Reader, 2048)
	default:
		k, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	if err != nil {
		tb.Fatal(err)
	}
	testKeys[kind] = k
	return k
}

var serialCounter atomic.Int64

// testCA is a certification authority for tests.
type testCA struct {
	cert *x509.Certificate
	key  crypto.Signer
}

func newRoot(tb testing.TB, name string, keyKind string, now time.Time) *testCA {
	tb.Helper()
	key := testKey(tb, keyKind+"-root-"+name)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(serialCounter.Add(1)),
		Subject:               pkix.Name{Country: []string{"KZ"}, CommonName: name},
		NotBefore:             now.Add(-24 * time.Hour),
		NotAfter:              now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		tb.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return &testCA{cert: c, key: key}
}

func (ca *testCA) intermediate(tb testing.TB, name, keyKind string, now time.Time) *testCA {
	tb.Helper()
	key := testKey(tb, keyKind+"-ca-"+name)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(serialCounter.Add(1)),
		Subject:               pkix.Name{Country: []string{"KZ"}, CommonName: name},
		NotBefore:             now.Add(-24 * time.Hour),
		NotAfter:              now.Add(5 * 365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, key.Public(), ca.key)
	if err != nil {
		tb.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return &testCA{cert: c, key: key}
}

// leafOpts describes a subscriber certificate; zero fields get the NCA
// signing profile of an individual.
type leafOpts struct {
	key       string // "rsa" or "ecdsa"
	iin, bin  string
	roles     []string
	keyUsage  x509.KeyUsage
	extUsage  []x509.ExtKeyUsage
	policies  []asn1.ObjectIdentifier
	notBefore time.Time
	notAfter  time.Time
	crl, ocsp string
}

func (ca *testCA) leaf(tb testing.TB, o leafOpts, now time.Time) (*x509.Certificate, crypto.Signer) {
	tb.Helper()
	if o.key == "" {
		o.key = "ecdsa"
	}
	if o.iin == "" {
		o.iin = "880101300516"
	}
	if o.roles == nil {
		o.roles = []string{RoleIndividual}
	}
	if o.keyUsage == 0 {
		o.keyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment
	}
	if o.extUsage == nil {
		o.extUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}
	}
	if o.policies == nil {
		o.policies = []asn1.ObjectIdentifier{oidPolicySign}
	}
	if o.notBefore.IsZero() {
		o.notBefore = now.Add(-time.Hour)
	}
	if o.notAfter.IsZero() {
		o.notAfter = now.Add(365 * 24 * time.Hour)
	}
	key := testKey(tb, o.key)
	subj := pkix.Name{Country: []string{"KZ"}, CommonName: "ТЕСТОВ ТЕСТ", SerialNumber: "IIN" + o.iin}
	if o.bin != "" {
		subj.OrganizationalUnit = []string{"BIN" + o.bin}
		subj.Organization = []string{"ТОО ТЕСТ"}
	}
	tmpl := &x509.Certificate{
		SerialNumber:      big.NewInt(serialCounter.Add(1) + 1000),
		Subject:           subj,
		NotBefore:         o.notBefore,
		NotAfter:          o.notAfter,
		KeyUsage:          o.keyUsage,
		ExtKeyUsage:       o.extUsage,
		PolicyIdentifiers: o.policies,
	}
	for _, r := range o.roles {
		oid, ok := RoleOID(r)
		if !ok {
			tb.Fatalf("unknown role %q", r)
		}
		tmpl.UnknownExtKeyUsage = append(tmpl.UnknownExtKeyUsage, oid)
	}
	if o.crl != "" {
		tmpl.CRLDistributionPoints = []string{o.crl}
	}
	if o.ocsp != "" {
		tmpl.OCSPServer = []string{o.ocsp}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, key.Public(), ca.key)
	if err != nil {
		tb.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return c, key
}

// crl returns a DER CRL by ca listing the serials, current at now.
func (ca *testCA) crl(tb testing.TB, now time.Time, revoked ...*x509.Certificate) []byte {
	tb.Helper()
	tmpl := &x509.RevocationList{
		Number:     big.NewInt(serialCounter.Add(1)),
		ThisUpdate: now.Add(-time.Hour),
		NextUpdate: now.Add(24 * time.Hour),
	}
	for _, c := range revoked {
		tmpl.RevokedCertificateEntries = append(tmpl.RevokedCertificateEntries,
			x509.RevocationListEntry{SerialNumber: c.SerialNumber, RevocationTime: now.Add(-time.Minute)})
	}
	der, err := x509.CreateRevocationList(rand.Reader, tmpl, ca.cert, ca.key)
	if err != nil {
		tb.Fatal(err)
	}
	return der
}

func writePEM(tb testing.TB, path, typ string, blocks ...[]byte) string {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	for _, b := range blocks {
		if err := pem.Encode(f, &pem.Block{Type: typ, Bytes: b}); err != nil {
			tb.Fatal(err)
		}
	}
	return path
}

// opensslPath returns the openssl binary, skipping the test when it is
// missing, except in CI where it must be there.
func opensslPath(tb testing.TB) string {
	tb.Helper()
	p, err := exec.LookPath("openssl")
	if err != nil {
		needtest.Missing(tb, "openssl is not installed", "apt-get install openssl")
	}
	return p
}

// opensslSign signs content with OpenSSL: a detached CMS in DER with the
// chain included, as NCALayer and the NCA's tools produce.
func opensslSign(tb testing.TB, content []byte, cert *x509.Certificate, key crypto.Signer, chain ...*x509.Certificate) []byte {
	tb.Helper()
	bin := opensslPath(tb)
	dir := tb.TempDir()
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		tb.Fatal(err)
	}
	certFile := writePEM(tb, filepath.Join(dir, "cert.pem"), "CERTIFICATE", cert.Raw)
	keyFile := writePEM(tb, filepath.Join(dir, "key.pem"), "PRIVATE KEY", keyDER)
	in := filepath.Join(dir, "body")
	if err := os.WriteFile(in, content, 0o600); err != nil {
		tb.Fatal(err)
	}
	out := filepath.Join(dir, "body.cms")
	args := []string{"cms", "-sign", "-binary", "-md", "sha256", "-outform", "DER",
		"-signer", certFile, "-inkey", keyFile, "-in", in, "-out", out}
	if len(chain) > 0 {
		var raws [][]byte
		for _, c := range chain {
			raws = append(raws, c.Raw)
		}
		args = append(args, "-certfile", writePEM(tb, filepath.Join(dir, "chain.pem"), "CERTIFICATE", raws...))
	}
	if b, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		tb.Fatalf("openssl %v: %v\n%s", args, err, b)
	}
	der, err := os.ReadFile(out)
	if err != nil {
		tb.Fatal(err)
	}
	return der
}
