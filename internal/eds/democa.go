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
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"tirkeu/internal/gost"
)

// DemoPassword is the password of every demo key store.
const DemoPassword = "demo"

// Files of a demo CA directory, beside one <IIN>.p12 per subject.
const (
	DemoRootFile             = "root.pem"
	demoRootKeyFile          = "root.key"
	DemoIntermediateFile     = "intermediate.pem"
	demoIntermediateKeyFile  = "intermediate.key"
	demoValidity             = 3 * 365 * 24 * time.Hour
	demoCAValidity           = 20 * 365 * 24 * time.Hour
	demoIntermediateValidity = 10 * 365 * 24 * time.Hour
)

// DemoSubject is a demo citizen to issue a signing key to. BIN is set for an
// organisation's representative; Roles are role names (RoleIndividual when
// empty; RoleOrganisation is added when BIN is set).
type DemoSubject struct {
	IIN        string   `json:"iin"`
	BIN        string   `json:"bin,omitempty"`
	CommonName string   `json:"cn"`
	Roles      []string `json:"roles,omitempty"`
}

// DemoCA creates, in dir, a demo root CA, an intermediate ("demo NCA") and a
// PKCS#12 key store DIR/<IIN>.p12 (password DemoPassword) per subject,
// following the NCA signing profile. It replaces whatever demo CA was there.
// Like the NCA's today, the keys are GOST 34.10-2015 512-bit (paramSetA),
// certificates are signed with Streebog-512, and the key stores are written
// in the NCA's format (3DES key bag, RC2-40 certificate bag, SHA-1 MAC);
// certificates name no CRL or OCSP responder. A demo CA made before (ECDSA
// P-256) keeps working.
func DemoCA(dir string, subjects []DemoSubject, now time.Time) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("eds: demo CA: %w", err)
	}
	root, err := newDemoCA(nil, pkix.Name{Country: []string{"KZ"}, CommonName: "tirkeu DEMO ROOT (not for production)"}, now, demoCAValidity)
	if err != nil {
		return err
	}
	inter, err := newDemoCA(root, pkix.Name{Country: []string{"KZ"}, CommonName: "tirkeu DEMO NCA (not for production)"}, now, demoIntermediateValidity)
	if err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		ca   *demoAuthority
	}{{DemoRootFile, root}, {DemoIntermediateFile, inter}} {
		if err := f.ca.save(dir, f.name); err != nil {
			return err
		}
	}
	for _, s := range subjects {
		if err := issueDemo(dir, root, inter, s, now); err != nil {
			return err
		}
	}
	return nil
}

// EnsureDemoCA makes sure dir holds a demo CA and a key store for every
// subject, creating only what is missing, and returns the root to trust. The
// server calls it in demo mode (dir "data/demo-ca").
func EnsureDemoCA(dir string, subjects []DemoSubject, now time.Time) ([]*x509.Certificate, error) {
	root, err := loadDemoCA(dir, DemoRootFile, demoRootKeyFile)
	if errors.Is(err, fs.ErrNotExist) {
		if err := DemoCA(dir, subjects, now); err != nil {
			return nil, err
		}
		root, err = loadDemoCA(dir, DemoRootFile, demoRootKeyFile)
	}
	if err != nil {
		return nil, err
	}
	inter, err := loadDemoCA(dir, DemoIntermediateFile, demoIntermediateKeyFile)
	if err != nil {
		return nil, err
	}
	for _, s := range subjects {
		if _, err := os.Stat(filepath.Join(dir, s.IIN+".p12")); err == nil {
			continue
		}
		if err := issueDemo(dir, root, inter, s, now); err != nil {
			return nil, err
		}
	}
	return []*x509.Certificate{root.cert}, nil
}

type demoAuthority struct {
	cert *x509.Certificate
	key  crypto.Signer
}

func newSerial() (*big.Int, error) {
	return rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
}

func newDemoCA(parent *demoAuthority, name pkix.Name, now time.Time, validity time.Duration) (*demoAuthority, error) {
	gk, err := gost.GenerateKey(gost.CurveTC26_512A, rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("eds: demo CA: %w", err)
	}
	key := &GOSTSigner{Key: gk}
	serial, err := newSerial()
	if err != nil {
		return nil, fmt.Errorf("eds: demo CA: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               name,
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(validity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	var issuer *x509.Certificate
	signer := crypto.Signer(key)
	if parent != nil {
		issuer, signer = parent.cert, parent.key
		tmpl.MaxPathLenZero = true
	}
	cert, err := createCertificate(tmpl, issuer, key.Public(), signer)
	if err != nil {
		return nil, fmt.Errorf("eds: demo CA: %w", err)
	}
	return &demoAuthority{cert: cert, key: key}, nil
}

// marshalPKCS8 encodes any key the demo CA uses.
func marshalPKCS8(key crypto.Signer) ([]byte, error) {
	if g, ok := key.(*GOSTSigner); ok {
		return marshalGOSTPKCS8(g.Key)
	}
	return x509.MarshalPKCS8PrivateKey(key)
}

func (a *demoAuthority) save(dir, certFile string) error {
	keyDER, err := marshalPKCS8(a.key)
	if err != nil {
		return fmt.Errorf("eds: demo CA: %w", err)
	}
	keyFile := demoRootKeyFile
	if certFile == DemoIntermediateFile {
		keyFile = demoIntermediateKeyFile
	}
	if err := os.WriteFile(filepath.Join(dir, certFile), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: a.cert.Raw}), 0o644); err != nil {
		return fmt.Errorf("eds: demo CA: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, keyFile), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return fmt.Errorf("eds: demo CA: %w", err)
	}
	return nil
}

func loadDemoCA(dir, certFile, keyFile string) (*demoAuthority, error) {
	certs, err := LoadPEMFile(filepath.Join(dir, certFile))
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(dir, keyFile))
	if err != nil {
		return nil, fmt.Errorf("eds: demo CA: %w", err)
	}
	b, _ := pem.Decode(data)
	if b == nil {
		return nil, fmt.Errorf("eds: demo CA: %s holds no PEM key", keyFile)
	}
	var k any
	if isGOSTPKCS8(b.Bytes) {
		gk, err := parseGOSTPKCS8(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("eds: demo CA: %w", err)
		}
		k = &GOSTSigner{Key: gk}
	} else if k, err = x509.ParsePKCS8PrivateKey(b.Bytes); err != nil {
		return nil, fmt.Errorf("eds: demo CA: %w", err)
	}
	signer, ok := k.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("eds: demo CA: key of type %T cannot sign", k)
	}
	return &demoAuthority{cert: certs[0], key: signer}, nil
}

// issueDemo writes DIR/<IIN>.p12 for s, with the intermediate and root in it.
func issueDemo(dir string, root, inter *demoAuthority, s DemoSubject, now time.Time) error {
	key, cert, err := demoLeaf(inter, s, now, DemoKeyGOST)
	if err != nil {
		return err
	}
	keyDER, err := marshalPKCS8(key)
	if err != nil {
		return fmt.Errorf("eds: demo CA: %w", err)
	}
	p12, err := writePKCS12(keyDER, cert, []*x509.Certificate{inter.cert, root.cert}, DemoPassword)
	if err != nil {
		return fmt.Errorf("eds: demo CA: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, s.IIN+".p12"), p12, 0o600); err != nil {
		return fmt.Errorf("eds: demo CA: %w", err)
	}
	return nil
}

// Kinds of demo signing keys.
const (
	DemoKeyGOST  = "gost" // GOST 34.10-2015 512-bit paramSetA, as the NCA issues
	DemoKeyECDSA = "ecdsa"
	DemoKeyRSA   = "rsa"
)

// demoLeaf issues a signing certificate for s from the intermediate, with a
// new key of the given kind.
func demoLeaf(inter *demoAuthority, s DemoSubject, now time.Time, kind string) (crypto.Signer, *x509.Certificate, error) {
	if len(s.IIN) != 12 {
		return nil, nil, fmt.Errorf("eds: demo CA: subject IIN %q is not 12 digits", s.IIN)
	}
	var key crypto.Signer
	var err error
	switch kind {
	case DemoKeyGOST:
		var gk *gost.PrivateKey
		if gk, err = gost.GenerateKey(gost.CurveTC26_512A, rand.Reader); err == nil {
			key = &GOSTSigner{Key: gk}
		}
	case DemoKeyECDSA, "":
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case DemoKeyRSA:
		key, err = rsa.GenerateKey(rand.Reader, 2048)
	default:
		return nil, nil, fmt.Errorf("eds: demo CA: unknown key kind %q (want gost, ecdsa or rsa)", kind)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("eds: demo CA: %w", err)
	}
	serial, err := newSerial()
	if err != nil {
		return nil, nil, fmt.Errorf("eds: demo CA: %w", err)
	}
	cn := s.CommonName
	if cn == "" {
		cn = "IIN" + s.IIN
	}
	subj := pkix.Name{Country: []string{"KZ"}, CommonName: cn, SerialNumber: "IIN" + s.IIN}
	roles := s.Roles
	if s.BIN != "" {
		subj.OrganizationalUnit = []string{"BIN" + s.BIN}
		roles = append([]string{RoleOrganisation}, roles...)
	}
	if len(roles) == 0 {
		roles = []string{RoleIndividual}
	}
	tmpl := &x509.Certificate{
		SerialNumber:      serial,
		Subject:           subj,
		NotBefore:         now.Add(-time.Hour),
		NotAfter:          now.Add(demoValidity),
		KeyUsage:          x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage:       []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
		PolicyIdentifiers: []asn1.ObjectIdentifier{oidPolicySign},
	}
	seen := map[string]bool{}
	for _, r := range roles {
		oid, ok := RoleOID(r)
		if !ok {
			return nil, nil, fmt.Errorf("eds: demo CA: unknown role %q (want individual, organisation, head, signing_right or employee)", r)
		}
		if !seen[r] {
			seen[r] = true
			tmpl.UnknownExtKeyUsage = append(tmpl.UnknownExtKeyUsage, oid)
		}
	}
	cert, err := createCertificate(tmpl, inter.cert, key.Public(), inter.key)
	if err != nil {
		return nil, nil, fmt.Errorf("eds: demo CA: %w", err)
	}
	return key, cert, nil
}
