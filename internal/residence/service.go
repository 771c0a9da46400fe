package residence

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Config holds the service's tunables, read once from the environment by the
// caller.
type Config struct {
	// ConsentTTL is how long an owner has to answer (TIRKEU_CONSENT_TTL, 1h).
	ConsentTTL time.Duration
	// OTPTTL is how long a one-time password is valid (TIRKEU_OTP_TTL, 5m).
	OTPTTL time.Duration
	// MaxAttempts is the number of wrong codes after which a consent task or
	// a one-time password is locked.
	MaxAttempts int
	// OTPPerHour caps the one-time passwords sent to one person per hour at
	// the request of one client (ClientFrom): a stranger's requests do not
	// use up the person's own.
	OTPPerHour int
	// SMSPerPhoneHour caps the messages sent to one phone in the last hour
	// beyond which no one-time password is sent to it (several people may
	// share a phone in the MCD, so the per-person cap alone is not enough).
	SMSPerPhoneHour int
	// ConsentSMSPerPhoneHour caps the consent messages (codes and notices
	// of applications, not one-time passwords) a private owner's phone may
	// have received in the last hour for a consent code still to be sent to
	// it, so that applicants cannot flood an owner's phone by submitting
	// application after application. Anonymous one-time password requests
	// do not count, so they cannot block the owner's consents; consent
	// messages stay below SMSPerPhoneHour, so they never block the owner's
	// own sign-in codes. Representatives of organisations (hotels) are not
	// capped: their volume is their business.
	ConsentSMSPerPhoneHour int
	// ConsentSMSPerApplicantHour caps the consent messages one applicant's
	// applications may send to one private owner's phone in an hour, so
	// that one applicant cannot use up ConsentSMSPerPhoneHour and block
	// everyone else's applications to that owner.
	ConsentSMSPerApplicantHour int
	// SignatureSkew is how far an EDS signature's signing time may lie from
	// the clock, before or after (TIRKEU_SIGNATURE_SKEW, 5m).
	SignatureSkew time.Duration
	// Secret keys the hashes of codes. It must be long and random in
	// production.
	Secret []byte
	// MCI is the monthly calculation index by year, in tenge, for the
	// amounts of possible violations (TIRKEU_MCI adds or overrides years;
	// DefaultMCIRates when nil).
	MCI MCIRates
}

// DefaultConfig returns the published defaults.
func DefaultConfig() Config {
	return Config{ConsentTTL: time.Hour, OTPTTL: 5 * time.Minute, MaxAttempts: 5, OTPPerHour: 5,
		SMSPerPhoneHour: 20, ConsentSMSPerPhoneHour: 10, ConsentSMSPerApplicantHour: 3,
		SignatureSkew: 5 * time.Minute,
		Secret:        []byte("tirkeu-demo-secret-do-not-use-in-production")}
}

// SignerInfo is what a verified EDS signature says about its signer.
type SignerInfo struct {
	IIN   string
	BIN   string
	Roles []string // SignerIndividual, SignerOrganisation, SignerHead, …
	// SigningTime is the signing time the signature carries (the CMS
	// signingTime attribute); zero when it carries none.
	SigningTime time.Time
	// Digest identifies the signature (32 bytes): a copy of it, however
	// re-encoded, has the same Digest. It is recorded once per accepted
	// signature (Tx.UseSignature), so a signature authorises one change.
	Digest []byte
}

// Roles a signing certificate carries (the NCA RK profile's extended key
// usages), as SignerInfo.Roles names them.
const (
	SignerIndividual   = "individual"
	SignerOrganisation = "organisation"
	SignerHead         = "head"          // first head of the organisation
	SignerSigningRight = "signing_right" // employee with the right to sign
	SignerEmployee     = "employee"      // employee without the right to sign
)

// SignatureVerifier verifies a detached CMS signature over content. It is
// implemented by internal/eds; its errors carry the codes signature_invalid,
// certificate_untrusted, certificate_expired, certificate_revoked and
// key_usage.
type SignatureVerifier interface {
	VerifySignature(ctx context.Context, cms, content []byte) (SignerInfo, error)
}

// EDS is a detached CMS signature and the exact bytes it signs.
type EDS struct {
	CMS     []byte
	Content []byte
}

// Service holds the use cases of the registration office. Each method that
// changes state does so in one transaction together with its events and jobs.
type Service struct {
	store    Store
	clock    Clock
	cfg      Config
	verifier SignatureVerifier
	log      *slog.Logger
	access   *accessLog       // nil: access-log records are written synchronously
	tokens   *tokenCache      // nil: every request looks its token up
	certs    CertificateMaker // nil: certificates are unavailable
	// unobserved is the store given to NewService once Observe has wrapped
	// store (observer.go); nil before.
	unobserved Store
}

// NewService returns a Service. verifier may be nil, in which case EDS
// signatures are refused.
func NewService(st Store, clock Clock, cfg Config, verifier SignatureVerifier, log *slog.Logger) *Service {
	d := DefaultConfig()
	if cfg.ConsentTTL <= 0 {
		cfg.ConsentTTL = d.ConsentTTL
	}
	if cfg.OTPTTL <= 0 {
		cfg.OTPTTL = d.OTPTTL
	}
	if cfg.ConsentSMSPerApplicantHour <= 0 {
		cfg.ConsentSMSPerApplicantHour = d.ConsentSMSPerApplicantHour
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = d.MaxAttempts
	}
	if cfg.OTPPerHour <= 0 {
		cfg.OTPPerHour = d.OTPPerHour
	}
	if cfg.SMSPerPhoneHour <= 0 {
		cfg.SMSPerPhoneHour = d.SMSPerPhoneHour
	}
	if cfg.ConsentSMSPerPhoneHour <= 0 {
		cfg.ConsentSMSPerPhoneHour = d.ConsentSMSPerPhoneHour
	}
	if cfg.SignatureSkew <= 0 {
		cfg.SignatureSkew = d.SignatureSkew
	}
	if len(cfg.Secret) == 0 {
		cfg.Secret = d.Secret
	}
	if cfg.MCI == nil {
		cfg.MCI = DefaultMCIRates
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: st, clock: clock, cfg: cfg, verifier: verifier, log: log}
}

// Clock returns the service's clock.
func (s *Service) Clock() Clock { return s.clock }

// Config returns the service's configuration.
func (s *Service) Config() Config { return s.cfg }

// now is the clock's time in UTC to the microsecond, the precision the
// stores keep: what a use case writes equals what it reads back, so an
// answer built from what it wrote (SubmitView) is the one a read gives.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

// event builds an event stamped with the current time.
func (s *Service) event(typ, person string, actor Actor) Event {
	return Event{Type: typ, At: s.now(), PersonIIN: person, ActorIIN: actor.IIN, ActorRole: string(actor.Role)}
}

func jobArgs(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic("residence: marshal job args: " + err.Error())
	}
	return b
}

// errDeferred lets a transaction commit (for example an attempt counter)
// while the use case still fails: InTx sees nil, the caller gets err.
type deferred struct{ err error }

func (d *deferred) fail(err error) error { d.err = err; return nil }

// --- one-time passwords ----------------------------------------------------

// RequestOTP sends a six-digit one-time password from 1414 to the person's
// phone in the Mobile Citizens Database. It returns the password record
// (never the code). Errors: invalid (bad IIN or purpose), not_found (no such
// person), no_mcd_phone, rate_limited.
//
// The caps are kept apart so that no stranger can lock a person out: the
// per-person cap (OTPPerHour) counts the requests of one client (ClientFrom)
// for that person, so another client's flood leaves the person's own budget
// whole; the per-phone cap (SMSPerPhoneHour) protects the phone whoever asks.
// The password is bound to the client that asked for it (checkOTP takes the
// newest of that client's), so a stranger's request never supersedes it.
func (s *Service) RequestOTP(ctx context.Context, iinStr string, purpose OTPPurpose) (OTP, error) {
	if err := CheckIIN("iin", iinStr); err != nil {
		return OTP{}, err
	}
	if purpose != OTPLogin && purpose != OTPSign {
		return OTP{}, &Error{Code: EInvalid, Field: "purpose", Text: textInvalidPurpose}
	}
	var out OTP
	err := s.store.InTx(ctx, func(tx Tx) error {
		p, err := tx.Person(ctx, iinStr)
		if err != nil {
			return personErr("iin", err)
		}
		if p.Phone == "" {
			return &Error{Code: ENoMCDPhone, Field: "iin", Text: codeText(ENoMCDPhone)}
		}
		if p.Deceased {
			return &Error{Code: EForbidden, Field: "iin", Text: codeText(EForbidden)}
		}
		now := s.now()
		client := s.clientTag(ctx)
		n, err := tx.CountOTPsSince(ctx, p.IIN, client, now.Add(-time.Hour))
		if err != nil {
			return err
		}
		if n >= s.cfg.OTPPerHour {
			return &Error{Code: ERateLimited, Text: codeText(ERateLimited)}
		}
		if err := s.checkPhone(ctx, tx, p.Phone, s.cfg.SMSPerPhoneHour, "iin"); err != nil {
			return err
		}
		code := newCode()
		o := OTP{ID: newID(now), IIN: p.IIN, Purpose: purpose, CreatedAt: now, ExpiresAt: now.Add(s.cfg.OTPTTL), Client: client}
		o.CodeHash = hashCode(s.cfg.Secret, "otp", o.ID, code)
		if err := tx.CreateOTP(ctx, o); err != nil {
			return err
		}
		if err := s.queueSMS(ctx, tx, p, "", otpText(purpose, code, s.cfg.OTPTTL)); err != nil {
			return err
		}
		out = o
		return nil
	})
	return out, err
}

// checkOTP verifies a one-time password inside tx: it must be the person's
// newest password for the purpose requested by the same client (ClientFrom),
// unused, unexpired and unlocked, and the code is tried as tryOTP does (the
// attempt counted by the database before the code is compared; a right code
// uses the password). It returns the password's id when the code is right.
func (s *Service) checkOTP(ctx context.Context, tx Tx, d *deferred, iinStr string, purpose OTPPurpose, code string) (string, bool, error) {
	o, err := tx.LatestOTP(ctx, iinStr, purpose, s.clientTag(ctx))
	if IsCode(err, ENotFound) {
		return "", false, d.fail(&Error{Code: EOTPInvalid, Field: "otp", Text: codeText(EOTPInvalid)})
	}
	if err != nil {
		return "", false, err
	}
	switch {
	case o.Locked:
		return "", false, d.fail(&Error{Code: ELocked, Field: "otp", Text: codeText(ELocked)})
	case !o.UsedAt.IsZero() || !s.now().Before(o.ExpiresAt):
		return "", false, d.fail(&Error{Code: EOTPInvalid, Field: "otp", Text: codeText(EOTPInvalid)})
	}
	refusal, err := s.tryOTP(ctx, tx, o.ID, code, true)
	if err != nil {
		return "", false, err
	}
	if refusal != nil {
		return "", false, d.fail(refusal)
	}
	return o.ID, true, nil
}

// Login checks a login one-time password and returns the citizen actor.
// Errors: invalid, otp_invalid, locked.
func (s *Service) Login(ctx context.Context, iinStr, code string) (Actor, error) {
	if err := CheckIIN("iin", iinStr); err != nil {
		return Actor{}, err
	}
	var d deferred
	err := s.store.InTx(ctx, func(tx Tx) error {
		d = deferred{}
		_, _, err := s.checkOTP(ctx, tx, &d, iinStr, OTPLogin, code)
		return err
	})
	if err == nil {
		err = d.err
	}
	if err != nil {
		return Actor{}, err
	}
	return Actor{Role: RoleCitizen, IIN: iinStr}, nil
}

// LoginEDS signs a citizen in with an EDS signature over a challenge the
// caller issued. The signature is recorded as used, so it opens one
// session. Errors: the verifier's codes, signature_time, signature_reused.
func (s *Service) LoginEDS(ctx context.Context, sig EDS) (Actor, error) {
	info, err := s.verify(ctx, sig)
	if err != nil {
		return Actor{}, err
	}
	err = s.store.InTx(ctx, func(tx Tx) error { return s.useSignature(ctx, tx, info, SignedSession) })
	if err != nil {
		return Actor{}, err
	}
	return Actor{Role: RoleCitizen, IIN: info.IIN}, nil
}

// verify verifies an EDS signature and its signing time (SigningTimeFresh).
// Errors: the verifier's codes, signature_time.
func (s *Service) verify(ctx context.Context, sig EDS) (SignerInfo, error) {
	if s.verifier == nil {
		return SignerInfo{}, &Error{Code: ESignatureInvalid, Text: textEDSUnavailable}
	}
	info, err := s.verifier.VerifySignature(ctx, sig.CMS, sig.Content)
	if err != nil {
		return SignerInfo{}, err
	}
	if err := SigningTimeFresh(info.SigningTime, s.now(), s.cfg.SignatureSkew); err != nil {
		return SignerInfo{}, err
	}
	if len(info.Digest) == 0 {
		return SignerInfo{}, fmt.Errorf("residence: the signature verifier gave no digest")
	}
	return info, nil
}

// checkPhone refuses with rate_limited when phone has received limit or more
// messages in the last hour.
func (s *Service) checkPhone(ctx context.Context, r Reader, phone string, limit int, field string) error {
	n, err := r.CountSMSSince(ctx, phone, s.now().Add(-time.Hour))
	if err != nil {
		return err
	}
	if n >= limit {
		return &Error{Code: ERateLimited, Field: field, Text: textPhoneFlooded}
	}
	return nil
}

var textPhoneFlooded = Text{
	KK: "Бұл телефонға соңғы сағатта тым көп хабар жіберілді. Кейінірек қайталаңыз.",
	RU: "На этот телефон за последний час отправлено слишком много сообщений. Повторите позже.",
	EN: "Too many messages have been sent to this phone in the last hour. Please try again later.",
}

// queueConsentSMS queues a consent code to an owner, refusing with
// rate_limited (and so failing the whole transaction: nothing is written)
// when a private owner's phone already had ConsentSMSPerPhoneHour consent
// messages in the last hour, or ConsentSMSPerApplicantHour from the
// applicant's applications. Organisations' representatives are not capped.
func (s *Service) queueConsentSMS(ctx context.Context, tx Tx, to Person, privateOwner bool, applicationID, applicantIIN, text string) error {
	if privateOwner {
		total, mine, err := tx.CountConsentSMSSince(ctx, to.Phone, applicantIIN, s.now().Add(-time.Hour))
		if err != nil {
			return err
		}
		if total >= s.cfg.ConsentSMSPerPhoneHour || mine >= s.cfg.ConsentSMSPerApplicantHour {
			return &Error{Code: ERateLimited, Field: "rka", Text: textPhoneFlooded}
		}
	}
	return s.queueSMS(ctx, tx, to, applicationID, text)
}

// queueSMS writes an SMS from 1414 to the person's MCD phone and enqueues its
// delivery, in tx.
func (s *Service) queueSMS(ctx context.Context, tx Tx, to Person, applicationID, text string) error {
	now := s.now()
	m := SMS{ID: newID(now), To: to.Phone, From: ShortNumber, Text: text, Status: SMSQueued,
		RecipientIIN: to.IIN, ApplicationID: applicationID, CreatedAt: now, UpdatedAt: now}
	if err := tx.CreateSMS(ctx, m); err != nil {
		return err
	}
	return tx.Enqueue(ctx, Job{Kind: JobSMSDeliver, Args: jobArgs(map[string]string{"sms_id": m.ID}),
		UniqueKey: m.ID, MaxAttempts: 8})
}

// --- tokens ------------------------------------------------------------

// CreateToken creates a bearer token for staff or an agency and returns it
// in clear once; only its hash is stored. An agency token carries purposes
// (DefaultPurposes when none are given); a staff token carries none, its role
// being its right. Errors: invalid.
func (s *Service) CreateToken(ctx context.Context, name string, role Role, purposes ...Purpose) (string, Token, error) {
	switch role {
	case RoleAgency:
		if len(purposes) == 0 {
			purposes = DefaultPurposes
		}
		if _, err := ParsePurposes(JoinPurposes(purposes)); err != nil {
			return "", Token{}, err
		}
	case RoleOperator, RoleAdmin:
		if len(purposes) > 0 {
			return "", Token{}, Errorf(EInvalid, "purposes are for agency tokens; staff roles have their own rights")
		}
	default:
		return "", Token{}, Errorf(EInvalid, "role must be operator, agency or admin")
	}
	if name == "" {
		return "", Token{}, Errorf(EInvalid, "a token needs a name")
	}
	plain := NewToken()
	t := Token{ID: newID(s.now()), Name: name, Role: role, Purposes: purposes, Hash: HashToken(plain), CreatedAt: s.now()}
	err := s.store.InTx(ctx, func(tx Tx) error { return tx.CreateToken(ctx, t) })
	return plain, t, err
}

// AuthenticateToken returns the actor of a staff or agency token, with the
// token's purposes. Errors: unauthenticated.
func (s *Service) AuthenticateToken(ctx context.Context, plain string) (Actor, error) {
	hash := HashToken(plain)
	if a, ok := s.tokens.get(hash, s.now()); ok {
		return a, nil
	}
	a, err := s.TokenActor(ctx, hash)
	if err != nil {
		return Actor{}, err
	}
	s.tokens.put(hash, a, s.now())
	return a, nil
}

// TokenActor looks the token with the hash up in the database, never in the
// cache, so a revoked token is refused at once (the staff pages' cookie
// carries the hash and is re-checked on every page). Errors: unauthenticated.
func (s *Service) TokenActor(ctx context.Context, hash []byte) (Actor, error) {
	var t Token
	err := s.store.View(ctx, func(r Reader) error {
		var err error
		t, err = r.TokenByHash(ctx, hash)
		return err
	})
	if err != nil || !t.RevokedAt.IsZero() {
		if err != nil && !IsCode(err, ENotFound) {
			return Actor{}, err
		}
		return Actor{}, &Error{Code: EUnauthenticated, Text: codeText(EUnauthenticated)}
	}
	return Actor{Role: t.Role, Name: t.Name, Purposes: t.Purposes}, nil
}

// IsStaff reports whether the actor is service staff allowed to read any
// person's data for their work.
func (a Actor) IsStaff() bool { return a.Role == RoleOperator || a.Role == RoleAdmin }

var errNotDue = errors.New("residence: not due yet")

// ErrNotDue is returned by jobs that ran before their deadline; the job
// runner retries them later.
var ErrNotDue = errNotDue
