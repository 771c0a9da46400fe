package eds

import (
	"crypto"
	"crypto/x509"
	"time"
)

// DemoKey is a demo signing key held in memory: what a key store of DemoCA
// holds, without the cost of writing and reading a PKCS#12 file. Load
// generators use it to sign as thousands of generated persons.
type DemoKey struct {
	Key   crypto.Signer
	Cert  *x509.Certificate
	Chain []*x509.Certificate // the intermediate, then the root
}

// Sign makes a detached CMS signature over content, as Sign does.
func (k *DemoKey) Sign(content []byte, now time.Time) ([]byte, error) {
	return SignWith(k.Key, k.Cert, k.Chain, content, now)
}

// DemoIssuer issues DemoKeys from the demo CA in a directory.
type DemoIssuer struct {
	root, inter *demoAuthority
}

// OpenDemoIssuer loads the demo CA of dir (created by DemoCA or
// EnsureDemoCA; a server in demo mode trusts it).
func OpenDemoIssuer(dir string) (*DemoIssuer, error) {
	root, err := loadDemoCA(dir, DemoRootFile, demoRootKeyFile)
	if err != nil {
		return nil, err
	}
	inter, err := loadDemoCA(dir, DemoIntermediateFile, demoIntermediateKeyFile)
	if err != nil {
		return nil, err
	}
	return &DemoIssuer{root: root, inter: inter}, nil
}

// IssueKind makes a new key of the given kind — DemoKeyGOST (as the NCA
// issues today), DemoKeyECDSA or DemoKeyRSA — and its signing certificate
// for s, valid from an hour before now, following the NCA signing profile.
// It is safe for concurrent use.
func (d *DemoIssuer) IssueKind(s DemoSubject, now time.Time, kind string) (*DemoKey, error) {
	key, cert, err := demoLeaf(d.inter, s, now, kind)
	if err != nil {
		return nil, err
	}
	return &DemoKey{Key: key, Cert: cert, Chain: []*x509.Certificate{d.inter.cert, d.root.cert}}, nil
}
