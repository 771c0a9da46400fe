package eds

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"tirkeu/internal/residence"
)

// Object identifiers of the NCA RK certificate profile.
var (
	// Roles, carried as extended key usages.
	oidRoleIndividual   = asn1.ObjectIdentifier{1, 2, 398, 3, 3, 4, 1, 1}
	oidRoleOrganisation = asn1.ObjectIdentifier{1, 2, 398, 3, 3, 4, 1, 2}
	oidRoleHead         = asn1.ObjectIdentifier{1, 2, 398, 3, 3, 4, 1, 2, 1}
	oidRoleSigningRight = asn1.ObjectIdentifier{1, 2, 398, 3, 3, 4, 1, 2, 2}
	oidRoleEmployee     = asn1.ObjectIdentifier{1, 2, 398, 3, 3, 4, 1, 2, 5}

	// Certificate policies: the signing key's and the authentication key's.
	oidPolicySign = asn1.ObjectIdentifier{1, 2, 398, 3, 3, 2, 3}
	oidPolicyAuth = asn1.ObjectIdentifier{1, 2, 398, 3, 3, 2, 4}
)

// Role names, as they appear in Signer.Roles and CertInfo.Roles.
// They are the domain's names (residence.SignerHead, …), which its petition
// rule decides on.
const (
	RoleIndividual   = residence.SignerIndividual
	RoleOrganisation = residence.SignerOrganisation
	RoleHead         = residence.SignerHead
	RoleSigningRight = residence.SignerSigningRight
	RoleEmployee     = residence.SignerEmployee
)

var roleOIDs = []struct {
	oid  asn1.ObjectIdentifier
	name string
}{
	{oidRoleIndividual, RoleIndividual},
	{oidRoleOrganisation, RoleOrganisation},
	{oidRoleHead, RoleHead},
	{oidRoleSigningRight, RoleSigningRight},
	{oidRoleEmployee, RoleEmployee},
}

// RoleOID returns the extended key usage OID of a role name, for issuing
// certificates, and false for an unknown name.
func RoleOID(name string) (asn1.ObjectIdentifier, bool) {
	for _, r := range roleOIDs {
		if r.name == name {
			return r.oid, true
		}
	}
	return nil, false
}

// CertInfo is what the NCA profile says about a certificate's holder.
type CertInfo struct {
	IIN       string    `json:"iin"`           // from subject serialNumber "IIN…"; "" when absent
	BIN       string    `json:"bin,omitempty"` // from subject OU "BIN…"; "" for individuals
	Roles     []string  `json:"roles"`         // role names from the extended key usages
	KeyUsage  []string  `json:"key_usage"`     // e.g. digitalSignature, nonRepudiation
	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	Issuer    string    `json:"issuer"`
	Subject   string    `json:"subject"`
}

// Inspect reads the NCA profile fields of cert. It never fails: fields the
// certificate does not carry are left empty. IIN and BIN are taken as they are
// written (twelve digits after the prefix) and not checked here.
func Inspect(cert *x509.Certificate) CertInfo {
	info := CertInfo{
		IIN:       subjectIIN(cert),
		BIN:       subjectBIN(cert),
		Roles:     roles(cert),
		KeyUsage:  keyUsageNames(cert.KeyUsage),
		NotBefore: cert.NotBefore.UTC(),
		NotAfter:  cert.NotAfter.UTC(),
		Issuer:    nameString(cert.Issuer),
		Subject:   nameString(cert.Subject),
	}
	return info
}

func subjectIIN(cert *x509.Certificate) string {
	return prefixed(cert.Subject.SerialNumber, "IIN")
}

func subjectBIN(cert *x509.Certificate) string {
	for _, ou := range cert.Subject.OrganizationalUnit {
		if b := prefixed(ou, "BIN"); b != "" {
			return b
		}
	}
	return ""
}

// prefixed returns the twelve digits after prefix in s, or "".
func prefixed(s, prefix string) string {
	s = strings.TrimSpace(s)
	if len(s) != len(prefix)+12 || !strings.EqualFold(s[:len(prefix)], prefix) {
		return ""
	}
	d := s[len(prefix):]
	for i := range len(d) {
		if d[i] < '0' || d[i] > '9' {
			return ""
		}
	}
	return d
}

func roles(cert *x509.Certificate) []string {
	out := []string{}
	for _, r := range roleOIDs {
		for _, u := range cert.UnknownExtKeyUsage {
			if u.Equal(r.oid) {
				out = append(out, r.name)
				break
			}
		}
	}
	return out
}

func hasPolicy(cert *x509.Certificate, oid asn1.ObjectIdentifier) bool {
	for _, p := range cert.PolicyIdentifiers {
		if p.Equal(oid) {
			return true
		}
	}
	return false
}

var keyUsageBits = []struct {
	bit  x509.KeyUsage
	name string
}{
	{x509.KeyUsageDigitalSignature, "digitalSignature"},
	{x509.KeyUsageContentCommitment, "nonRepudiation"},
	{x509.KeyUsageKeyEncipherment, "keyEncipherment"},
	{x509.KeyUsageDataEncipherment, "dataEncipherment"},
	{x509.KeyUsageKeyAgreement, "keyAgreement"},
	{x509.KeyUsageCertSign, "keyCertSign"},
	{x509.KeyUsageCRLSign, "cRLSign"},
	{x509.KeyUsageEncipherOnly, "encipherOnly"},
	{x509.KeyUsageDecipherOnly, "decipherOnly"},
}

func keyUsageNames(ku x509.KeyUsage) []string {
	out := []string{}
	for _, b := range keyUsageBits {
		if ku&b.bit != 0 {
			out = append(out, b.name)
		}
	}
	return out
}

// ParseCertificate parses one certificate in DER or PEM. GOST certificates
// parse (their key and signature algorithms show as unknown).
func ParseCertificate(data []byte) (*x509.Certificate, error) {
	if b, _ := pem.Decode(bytes.TrimSpace(data)); b != nil {
		if b.Type != "CERTIFICATE" && b.Type != "X509 CERTIFICATE" {
			return nil, fmt.Errorf("eds: parse certificate: PEM block %q is not a certificate", b.Type)
		}
		data = b.Bytes
	}
	c, err := x509.ParseCertificate(data)
	if err != nil {
		return nil, fmt.Errorf("eds: parse certificate: %w", err)
	}
	return c, nil
}

// ParsePEM parses every CERTIFICATE block in data. It fails on a block that
// does not parse and when there is none.
func ParsePEM(data []byte) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("eds: parse PEM certificate %d: %w", len(out)+1, err)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, errors.New("eds: no CERTIFICATE block in PEM")
	}
	return out, nil
}

// LoadPEMFile reads a PEM bundle of certificates, such as the file named by
// TIRKEU_TRUST_ROOTS.
func LoadPEMFile(path string) ([]*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("eds: %w", err)
	}
	certs, err := ParsePEM(data)
	if err != nil {
		return nil, fmt.Errorf("%w (%s)", err, path)
	}
	return certs, nil
}

var attributeNames = map[string]string{
	"2.5.4.3": "CN", "2.5.4.4": "SN", "2.5.4.5": "SERIALNUMBER", "2.5.4.6": "C",
	"2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.42": "G",
	"1.2.840.113549.1.9.1": "E",
}

// nameString renders a distinguished name in certificate order with
// readable values (pkix.Name.String shows surname and given name, which the
// NCA profile uses, as hex).
func nameString(n pkix.Name) string {
	parts := make([]string, 0, len(n.Names))
	for _, a := range n.Names {
		k, ok := attributeNames[a.Type.String()]
		if !ok {
			k = a.Type.String()
		}
		parts = append(parts, fmt.Sprintf("%s=%v", k, a.Value))
	}
	if len(parts) == 0 {
		return n.String()
	}
	return strings.Join(parts, ", ")
}

// LoadTrust reads the trust configuration: the roots bundle
// (TIRKEU_TRUST_ROOTS) and, when intermediatesPath is not empty, a bundle of
// intermediates (TIRKEU_TRUST_INTERMEDIATES). The NCA's CMS carries only the
// signer's certificate, so its intermediates must be known here. A
// certificate of the roots bundle whose issuer is also in that bundle is
// taken as an intermediate; the others (self-signed roots, or an
// intermediate configured alone) are trust anchors. Either bundle may be PEM
// or one DER certificate.
func LoadTrust(rootsPath, intermediatesPath string) (roots, intermediates []*x509.Certificate, err error) {
	all, err := loadCertsFile(rootsPath)
	if err != nil {
		return nil, nil, err
	}
	roots, intermediates = SplitTrust(all)
	if intermediatesPath != "" {
		more, err := loadCertsFile(intermediatesPath)
		if err != nil {
			return nil, nil, err
		}
		intermediates = append(intermediates, more...)
	}
	return roots, intermediates, nil
}

// SplitTrust splits a roots bundle as LoadTrust does.
func SplitTrust(certs []*x509.Certificate) (roots, intermediates []*x509.Certificate) {
	for _, c := range certs {
		issued := false
		if !selfSigned(c) {
			for _, p := range certs {
				if p != c && bytes.Equal(p.RawSubject, c.RawIssuer) {
					issued = true
					break
				}
			}
		}
		if issued {
			intermediates = append(intermediates, c)
		} else {
			roots = append(roots, c)
		}
	}
	return roots, intermediates
}

// loadCertsFile reads a PEM bundle or a single DER certificate.
func loadCertsFile(path string) ([]*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("eds: %w", err)
	}
	if b, _ := pem.Decode(data); b == nil {
		c, err := x509.ParseCertificate(data)
		if err != nil {
			return nil, fmt.Errorf("eds: %s: neither PEM nor a DER certificate: %w", path, err)
		}
		return []*x509.Certificate{c}, nil
	}
	certs, err := ParsePEM(data)
	if err != nil {
		return nil, fmt.Errorf("%w (%s)", err, path)
	}
	return certs, nil
}
