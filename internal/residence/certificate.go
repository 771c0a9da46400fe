package residence

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"
)

// Registration certificates ("адресная справка"): a PDF the person
// downloads for one of their registrations, sealed by the service with a
// detached CMS signature over the PDF's bytes, and carrying a verification
// code (in a QR code) that anyone may check at /verify/{code}. The code is
// random (CertificateCodeBytes) and only its keyed hash is stored.

// CertificateCodeBytes is the entropy of a verification code: 144 bits.
const CertificateCodeBytes = 18

// EventCertificateIssued records that a certificate was issued to a person.
const EventCertificateIssued = "certificate.issued"

// Certificate is an issued registration certificate: the rendered PDF and
// the service's detached CMS signature over it.
type Certificate struct {
	ID             string
	CodeHash       []byte
	RegistrationID string
	IIN            string
	IssuedAt       time.Time
	PDF            []byte
	Signature      []byte
}

// CertificateFacts is what a certificate states; Code is the verification
// code in plain (for the QR code), never stored.
type CertificateFacts struct {
	ID           string
	Code         string
	IssuedAt     time.Time
	Person       Person
	Registration Registration
	Premises     Premises
}

// CertificateMaker renders a certificate's PDF and seals it with the
// service's key (internal/certificate).
type CertificateMaker interface {
	Make(ctx context.Context, f CertificateFacts) (pdf, signature []byte, err error)
}

// SetCertificateMaker enables certificates; without one IssueCertificate
// fails with unavailable. Call it before serving.
func (s *Service) SetCertificateMaker(m CertificateMaker) { s.certs = m }

// CertificatesEnabled reports whether certificates can be issued.
func (s *Service) CertificatesEnabled() bool { return s.certs != nil }

func hashCertificateCode(secret []byte, code string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("certificate\x00"))
	m.Write([]byte(code))
	return m.Sum(nil)
}

func newCertificateCode() string {
	var b [CertificateCodeBytes]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("residence: crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// IssueCertificate issues a sealed certificate of one of the signed-in
// person's registrations (active or past). Only the person may: anyone else
// is refused (forbidden). The certificate, its issue event and the
// access-log record commit in one transaction. Errors: unauthenticated,
// forbidden, not_found, unavailable.
func (s *Service) IssueCertificate(ctx context.Context, actor Actor, registrationID string) (Certificate, error) {
	if err := certificateActor(actor); err != nil {
		return Certificate{}, err
	}
	if s.certs == nil {
		return Certificate{}, &Error{Code: EUnavailable, Text: codeText(EUnavailable)}
	}
	f := CertificateFacts{ID: newID(s.now()), Code: newCertificateCode(), IssuedAt: s.now()}
	err := s.store.View(ctx, func(r Reader) error {
		var err error
		if f.Registration, err = r.Registration(ctx, registrationID); err != nil {
			return err
		}
		if f.Registration.IIN != actor.IIN {
			return forbidden()
		}
		if f.Person, err = r.Person(ctx, actor.IIN); err != nil {
			return err
		}
		f.Premises, err = r.Premises(ctx, f.Registration.RKA)
		return err
	})
	if err != nil {
		return Certificate{}, err
	}
	pdf, sig, err := s.certs.Make(ctx, f)
	if err != nil {
		return Certificate{}, err
	}
	c := Certificate{ID: f.ID, CodeHash: hashCertificateCode(s.cfg.Secret, f.Code), RegistrationID: registrationID,
		IIN: actor.IIN, IssuedAt: f.IssuedAt, PDF: pdf, Signature: sig}
	issued := s.event(EventCertificateIssued, actor.IIN, actor)
	issued.RegistrationID, issued.RKA = registrationID, f.Registration.RKA
	issued.Data = jobArgs(map[string]string{"certificate_id": c.ID})
	issued.Message = evtCertificateIssued
	err = s.store.InTx(ctx, func(tx Tx) error {
		if err := tx.CreateCertificate(ctx, c); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, issued, s.ownReadEvent(actor, "certificate"))
	})
	if err != nil {
		return Certificate{}, err
	}
	return c, nil
}

// certificateActor admits a signed-in citizen: staff and agencies read
// registrations, they are not issued the person's certificates.
func certificateActor(actor Actor) error {
	switch {
	case actor.Role == "":
		return unauthenticated()
	case actor.Role != RoleCitizen || actor.IIN == "":
		return forbidden()
	}
	return nil
}

// ownReadEvent is the access-log record of a person reading their own data
// where the log should show it (a certificate leaves the service).
func (s *Service) ownReadEvent(actor Actor, what string) Event {
	e := s.event(EventPersonalDataRead, actor.IIN, actor)
	e.Data = jobArgs(map[string]string{"what": what, "actor_name": actor.Name})
	return e
}

// IssuedCertificate returns a certificate issued before, for download (its
// PDF or its signature), to the person it was issued to only (forbidden
// otherwise, not_found when there is none). The download is recorded in
// the person's access log.
func (s *Service) IssuedCertificate(ctx context.Context, actor Actor, id string) (Certificate, error) {
	if err := certificateActor(actor); err != nil {
		return Certificate{}, err
	}
	var c Certificate
	err := s.store.View(ctx, func(r Reader) error {
		var err error
		c, err = r.Certificate(ctx, id)
		return err
	})
	if err != nil {
		return Certificate{}, err
	}
	if c.IIN != actor.IIN {
		return Certificate{}, forbidden()
	}
	e := s.ownReadEvent(actor, "certificate")
	if err := s.store.InTx(ctx, func(tx Tx) error { return tx.AppendEvents(ctx, e) }); err != nil {
		return Certificate{}, err
	}
	return c, nil
}

// CertificateCheck is what /verify/{code} shows: whether a certificate is
// genuine and whether the registration it states is still active. It
// discloses no IIN and no address; the name is masked (MaskName).
type CertificateCheck struct {
	Genuine    bool
	IssuedAt   time.Time
	MaskedName string
	Kind       Kind
	Active     bool      // the registration is still active
	EndedOn    time.Time // when it ended (not Active)
}

// VerifyCertificate checks a verification code, for anyone (no sign-in).
// An unknown or malformed code is not_found. The check is recorded in the
// person's access log (an anonymous read).
func (s *Service) VerifyCertificate(ctx context.Context, actor Actor, code string) (CertificateCheck, error) {
	if len(code) != base64.RawURLEncoding.EncodedLen(CertificateCodeBytes) {
		return CertificateCheck{}, &Error{Code: ENotFound, Text: codeText(ENotFound)}
	}
	if _, err := base64.RawURLEncoding.DecodeString(code); err != nil {
		return CertificateCheck{}, &Error{Code: ENotFound, Text: codeText(ENotFound)}
	}
	var out CertificateCheck
	var iin string
	err := s.store.View(ctx, func(r Reader) error {
		c, err := r.CertificateByCodeHash(ctx, hashCertificateCode(s.cfg.Secret, code))
		if err != nil {
			return err
		}
		reg, err := r.Registration(ctx, c.RegistrationID)
		if err != nil {
			return err
		}
		p, err := r.Person(ctx, c.IIN)
		if err != nil {
			return err
		}
		iin = c.IIN
		out = CertificateCheck{Genuine: true, IssuedAt: c.IssuedAt, MaskedName: MaskName(p), Kind: reg.Kind,
			Active: reg.Status == RegistrationActive, EndedOn: reg.EndedOn}
		if out.Active && reg.Kind == Temporary && !reg.Until.IsZero() && DateOf(s.now()).After(reg.Until) {
			out.Active, out.EndedOn = false, reg.Until
		}
		return nil
	})
	if err != nil {
		return CertificateCheck{}, err
	}
	if err := s.logReads(ctx, actor, "certificate_check", "certificate_verification", iin); err != nil {
		return CertificateCheck{}, err
	}
	return out, nil
}

// MaskName shows the initial of the last and first names only: "А*** П***".
func MaskName(p Person) string {
	var parts []string
	for _, n := range []string{p.LastName, p.FirstName} {
		if r := []rune(strings.TrimSpace(n)); len(r) > 0 {
			parts = append(parts, string(r[0])+"***")
		}
	}
	return strings.Join(parts, " ")
}

// evtCertificateIssued is the message of EventCertificateIssued.
var evtCertificateIssued = Text{KK: "Тіркеу туралы анықтама берілді", RU: "Выдана адресная справка", EN: "A registration certificate was issued"}
