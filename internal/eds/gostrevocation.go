package eds

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
)

// CRLs and OCSP responses signed with GOST: crypto/x509 and x/crypto/ocsp
// parse them but cannot check the signature, so it is checked here before
// their contents are used.

// checkCRLSignature checks that issuer signed rl.
func checkCRLSignature(rl *x509.RevocationList, issuer *x509.Certificate) error {
	if !isGOSTKey(issuer) {
		return rl.CheckSignatureFrom(issuer)
	}
	if issuer.KeyUsage != 0 && issuer.KeyUsage&x509.KeyUsageCRLSign == 0 {
		return errors.New("the issuer may not sign CRLs (key usage)")
	}
	var cl rawCertificate // CertificateList has the shape of a certificate
	if _, err := asn1.Unmarshal(rl.Raw, &cl); err != nil {
		return err
	}
	return checkSignedBy(cl.Algorithm.Algorithm, rl.RawTBSRevocationList, cl.Signature.RightAlign(), issuer)
}

var oidOCSPBasic = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 1}

type ocspResponse struct {
	Status   asn1.Enumerated
	Response ocspResponseBytes `asn1:"explicit,tag:0,optional"`
}

type ocspResponseBytes struct {
	Type     asn1.ObjectIdentifier
	Response []byte
}

type basicOCSPResponse struct {
	TBS       asn1.RawValue
	Algorithm pkix.AlgorithmIdentifier
	Signature asn1.BitString
	Certs     []asn1.RawValue `asn1:"explicit,tag:0,optional"`
}

// verifyGOSTOCSP checks the signature of a GOST-signed OCSP response: by the
// issuer itself, or by a responder certificate the response carries that the
// issuer signed. It returns the response without its certificates (for
// ocsp.ParseResponseForCert to read without checking a signature it cannot
// check) and the delegated responder certificate, nil when the issuer signed.
func verifyGOSTOCSP(body []byte, issuer *x509.Certificate) ([]byte, *x509.Certificate, error) {
	var resp ocspResponse
	if _, err := asn1.Unmarshal(body, &resp); err != nil {
		return nil, nil, fmt.Errorf("OCSP response: %w", err)
	}
	if resp.Status != 0 || !resp.Response.Type.Equal(oidOCSPBasic) {
		// Not a successful basic response: nothing to verify, and
		// ocsp.ParseResponseForCert reports it.
		return body, nil, nil
	}
	var basic basicOCSPResponse
	if _, err := asn1.Unmarshal(resp.Response.Response, &basic); err != nil {
		return nil, nil, fmt.Errorf("OCSP response: %w", err)
	}
	signer, responder := issuer, (*x509.Certificate)(nil)
	if len(basic.Certs) > 0 {
		c, err := x509.ParseCertificate(basic.Certs[0].FullBytes)
		if err != nil {
			return nil, nil, fmt.Errorf("OCSP responder certificate: %w", err)
		}
		if err := checkSignatureFrom(c, issuer); err != nil {
			return nil, nil, fmt.Errorf("OCSP responder certificate is not signed by the issuer: %w", err)
		}
		signer, responder = c, c
	}
	if err := checkSignedBy(basic.Algorithm.Algorithm, basic.TBS.FullBytes, basic.Signature.RightAlign(), signer); err != nil {
		return nil, nil, fmt.Errorf("OCSP response signature: %w", err)
	}
	basic.Certs = nil
	inner, err := asn1.Marshal(basic)
	if err != nil {
		return nil, nil, err
	}
	resp.Response.Response = inner
	stripped, err := asn1.Marshal(resp)
	if err != nil {
		return nil, nil, err
	}
	return stripped, responder, nil
}
