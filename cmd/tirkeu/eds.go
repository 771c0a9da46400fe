package main

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"tirkeu/internal/eds"
	"tirkeu/internal/iin"
	"tirkeu/internal/residence"
)

func init() {
	commands["eds"] = command{"digital signatures: inspect FILE | demo-ca DIR | verify --roots PEM --signature CMS FILE | verify-cert --roots PEM CERT...", runEDS}
	commands["sign"] = command{"sign stdin with a PKCS#12 key: --key FILE.p12 --password P", runSign}
}

func runEDS(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: tirkeu eds inspect FILE | demo-ca DIR [--subjects FILE.json] [--subject IIN[:CN[:BIN[:ROLE,...]]]]... | verify --roots PEM --signature FILE.cms [--intermediates PEM] [--test-iin] FILE|- | verify-cert --roots PEM [--intermediates PEM] [--at RFC3339] [--revocation] CERT...")
		return 2
	}
	switch args[0] {
	case "inspect":
		return edsInspect(args[1:], stdout, stderr)
	case "demo-ca":
		return edsDemoCA(args[1:], stdout, stderr)
	case "verify":
		return edsVerify(ctx, args[1:], stdin, stdout, stderr)
	case "verify-cert":
		return edsVerifyCert(ctx, args[1:], stdout, stderr)
	default:
		fmt.Fprintf(stderr, "tirkeu eds: unknown subcommand %q\n", args[0])
		return 2
	}
}

// edsInspect prints the NCA profile fields of a certificate as JSON.
func edsInspect(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: tirkeu eds inspect FILE (DER or PEM certificate)")
		return 2
	}
	data, err := os.ReadFile(args[0])
	if err != nil {
		fmt.Fprintln(stderr, "tirkeu eds inspect:", err)
		return 1
	}
	cert, err := eds.ParseCertificate(data)
	if err != nil {
		fmt.Fprintln(stderr, "tirkeu eds inspect:", err)
		return 1
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(struct {
		eds.CertInfo
		Algorithm string `json:"algorithm"`
	}{eds.Inspect(cert), eds.SignatureAlgorithmName(cert)}); err != nil {
		fmt.Fprintln(stderr, "tirkeu eds inspect:", err)
		return 1
	}
	return 0
}

// subjectFlags collects repeated --subject IIN[:CN[:BIN[:ROLE,...]]] flags.
type subjectFlags []eds.DemoSubject

func (s *subjectFlags) String() string { return fmt.Sprint(len(*s)) }

func (s *subjectFlags) Set(v string) error {
	parts := strings.SplitN(v, ":", 4)
	d := eds.DemoSubject{IIN: parts[0]}
	if len(parts) > 1 {
		d.CommonName = parts[1]
	}
	if len(parts) > 2 {
		d.BIN = parts[2]
	}
	if len(parts) > 3 && parts[3] != "" {
		d.Roles = strings.Split(parts[3], ",")
	}
	*s = append(*s, d)
	return nil
}

// edsDemoCA creates a demo CA and one key store per subject.
func edsDemoCA(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("eds demo-ca", flag.ContinueOnError)
	fs.SetOutput(stderr)
	file := fs.String("subjects", "", `JSON file: [{"iin":"…","cn":"…","bin":"…","roles":["head"]}]`)
	var subjects subjectFlags
	fs.Var(&subjects, "subject", "a subject as IIN[:CN[:BIN[:ROLE,...]]] (repeatable)")
	dir, rest := "", args
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		dir, rest = rest[0], rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		return 2
	}
	if dir == "" && fs.NArg() == 1 {
		dir = fs.Arg(0)
	}
	if dir == "" {
		fmt.Fprintln(stderr, "usage: tirkeu eds demo-ca DIR [--subjects FILE.json] [--subject IIN[:CN[:BIN[:ROLE,...]]]]...")
		return 2
	}
	if *file != "" {
		data, err := os.ReadFile(*file)
		if err != nil {
			fmt.Fprintln(stderr, "tirkeu eds demo-ca:", err)
			return 1
		}
		var fromFile []eds.DemoSubject
		if err := json.Unmarshal(data, &fromFile); err != nil {
			fmt.Fprintf(stderr, "tirkeu eds demo-ca: %s: %v\n", *file, err)
			return 1
		}
		subjects = append(subjects, fromFile...)
	}
	if err := eds.DemoCA(dir, subjects, time.Now()); err != nil {
		fmt.Fprintln(stderr, "tirkeu eds demo-ca:", err)
		return 1
	}
	fmt.Fprintf(stdout, "demo CA in %s: trust %s/%s; %d key store(s) <IIN>.p12, password %q\n",
		dir, dir, eds.DemoRootFile, len(subjects), eds.DemoPassword)
	return 0
}

// edsVerify verifies a detached CMS over a file and prints the signer.
func edsVerify(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("eds verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	roots := fs.String("roots", os.Getenv("TIRKEU_TRUST_ROOTS"), "PEM file of trust roots (default $TIRKEU_TRUST_ROOTS)")
	inter := fs.String("intermediates", "", "PEM file of intermediate certificates")
	sigFile := fs.String("signature", "", "detached CMS, DER or base64")
	testIIN := fs.Bool("test-iin", false, "accept IINs failing the check digit (NCA test certificates)")
	softFail := fs.Bool("revocation-soft-fail", false, "accept when no CRL or OCSP responder can be reached")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *roots == "" || *sigFile == "" || fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: tirkeu eds verify --roots PEM --signature FILE.cms [--intermediates PEM] [--test-iin] FILE|-")
		return 2
	}
	cfg := eds.Config{AllowUnverifiableIIN: *testIIN, RevocationSoftFail: *softFail}
	var err error
	if cfg.Roots, cfg.Intermediates, err = eds.LoadTrust(*roots, *inter); err != nil {
		fmt.Fprintln(stderr, "tirkeu eds verify:", err)
		return 1
	}
	v, err := eds.NewVerifier(cfg)
	if err != nil {
		fmt.Fprintln(stderr, "tirkeu eds verify:", err)
		return 1
	}
	sig, err := os.ReadFile(*sigFile)
	if err != nil {
		fmt.Fprintln(stderr, "tirkeu eds verify:", err)
		return 1
	}
	if dec, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(sig))); err == nil {
		sig = dec
	}
	var content []byte
	if fs.Arg(0) == "-" {
		content, err = io.ReadAll(stdin)
	} else {
		content, err = os.ReadFile(fs.Arg(0))
	}
	if err != nil {
		fmt.Fprintln(stderr, "tirkeu eds verify:", err)
		return 1
	}
	s, err := v.Verify(ctx, sig, content)
	if err != nil {
		fmt.Fprintln(stderr, "tirkeu eds verify:", err)
		return 1
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.Encode(struct {
		IIN         string    `json:"iin"`
		BIN         string    `json:"bin,omitempty"`
		Roles       []string  `json:"roles"`
		SigningTime time.Time `json:"signing_time"`
		Subject     string    `json:"subject"`
	}{s.IIN, s.BIN, s.Roles, s.SigningTime, subjectOf(s.Certificate)})
	return 0
}

// edsVerifyCert checks certificates offline (published contract): one JSON
// line per certificate, exit 1 when any is invalid.
func edsVerifyCert(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("eds verify-cert", flag.ContinueOnError)
	fs.SetOutput(stderr)
	roots := fs.String("roots", os.Getenv("TIRKEU_TRUST_ROOTS"), "PEM file of trust roots (default $TIRKEU_TRUST_ROOTS)")
	inter := fs.String("intermediates", os.Getenv("TIRKEU_TRUST_INTERMEDIATES"), "PEM file of intermediate certificates (default $TIRKEU_TRUST_INTERMEDIATES)")
	atFlag := fs.String("at", "", "check validity at this time (RFC 3339; default now)")
	revocation := fs.Bool("revocation", false, "also ask the CRL / OCSP responder (network)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *roots == "" || fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: tirkeu eds verify-cert --roots ROOTS.pem [--intermediates INTS.pem] [--at RFC3339] [--revocation] CERT...")
		return 2
	}
	at := time.Now()
	if *atFlag != "" {
		t, err := time.Parse(time.RFC3339, *atFlag)
		if err != nil {
			fmt.Fprintln(stderr, "tirkeu eds verify-cert: --at:", err)
			return 2
		}
		at = t
	}
	cfg := eds.Config{Now: func() time.Time { return at }, AllowUnverifiableIIN: true}
	var err error
	if cfg.Roots, cfg.Intermediates, err = eds.LoadTrust(*roots, *inter); err != nil {
		fmt.Fprintln(stderr, "tirkeu eds verify-cert:", err)
		return 1
	}
	v, err := eds.NewVerifier(cfg)
	if err != nil {
		fmt.Fprintln(stderr, "tirkeu eds verify-cert:", err)
		return 1
	}
	type result struct {
		File      string `json:"file"`
		Valid     bool   `json:"valid"`
		Algorithm string `json:"algorithm"`
		IIN       string `json:"iin"`
		BIN       string `json:"bin,omitempty"`
		// Warning names what is reported but not refused: iin_check_digit
		// for the NCA's test certificates.
		Warning string `json:"warning,omitempty"`
		Error   string `json:"error,omitempty"`
		Detail  string `json:"detail,omitempty"`
	}
	enc := json.NewEncoder(stdout)
	code := 0
	for _, file := range fs.Args() {
		r := result{File: file}
		data, err := os.ReadFile(file)
		var cert *x509.Certificate
		if err == nil {
			cert, err = eds.ParseCertificate(data)
		}
		if err != nil {
			r.Error, r.Detail = "certificate_malformed", err.Error()
		} else {
			info := eds.Inspect(cert)
			r.Algorithm, r.IIN, r.BIN = eds.SignatureAlgorithmName(cert), info.IIN, info.BIN
			if (r.IIN != "" && !iin.Valid(r.IIN)) || (r.BIN != "" && !iin.Valid(r.BIN)) {
				r.Warning = "iin_check_digit"
			}
			if _, err := v.VerifyCertificate(ctx, cert, nil, at, *revocation); err != nil {
				r.Error, r.Detail = residence.ErrorCode(err), err.Error()
			} else {
				r.Valid = true
			}
		}
		if !r.Valid {
			code = 1
		}
		if err := enc.Encode(r); err != nil {
			fmt.Fprintln(stderr, "tirkeu eds verify-cert:", err)
			return 1
		}
	}
	return code
}

func subjectOf(c *x509.Certificate) string {
	if c == nil {
		return ""
	}
	return c.Subject.String()
}

// runSign writes a detached CMS (DER, or base64 with --base64) over stdin.
func runSign(_ context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sign", flag.ContinueOnError)
	fs.SetOutput(stderr)
	keyFile := fs.String("key", "", "PKCS#12 key store (.p12)")
	password := fs.String("password", "", "key store password")
	b64 := fs.Bool("base64", false, "write base64, ready for the Signature: header")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *keyFile == "" || fs.NArg() != 0 {
		fmt.Fprintln(stderr, "usage: tirkeu sign --key FILE.p12 --password P [--base64] < body > body.cms")
		return 2
	}
	p12, err := os.ReadFile(*keyFile)
	if err != nil {
		fmt.Fprintln(stderr, "tirkeu sign:", err)
		return 1
	}
	content, err := io.ReadAll(stdin)
	if err != nil {
		fmt.Fprintln(stderr, "tirkeu sign:", err)
		return 1
	}
	cms, err := eds.Sign(p12, *password, content, time.Now())
	if err != nil {
		fmt.Fprintln(stderr, "tirkeu sign:", err)
		return 1
	}
	if *b64 {
		_, err = fmt.Fprintln(stdout, base64.StdEncoding.EncodeToString(cms))
	} else {
		_, err = stdout.Write(cms)
	}
	if err != nil && !errors.Is(err, os.ErrClosed) {
		fmt.Fprintln(stderr, "tirkeu sign:", err)
		return 1
	}
	return 0
}
