package residence

import (
	"encoding/json"
	"strings"
	"time"
)

// Text is a message in the three languages of the service. A text made
// from a template (textOf) also holds the template's id and parameters, so
// that it is stored as them (stored.go); texts compare equal when made
// alike.
type Text struct {
	KK string `json:"kk"`
	RU string `json:"ru"`
	EN string `json:"en"`
	// ref is the template's id and parameters, refSep between them; ""
	// for any other text. Changing KK, RU or EN must drop it (EncodeText
	// checks that the text still renders from it).
	ref string
}

// In returns the message in lang ("kk", "ru" or "en"), falling back to
// Russian and then English when a translation is empty.
func (t Text) In(lang string) string {
	switch lang {
	case "kk":
		if t.KK != "" {
			return t.KK
		}
	case "en":
		if t.EN != "" {
			return t.EN
		}
	}
	if t.RU != "" {
		return t.RU
	}
	return t.EN
}

// IsZero reports whether no language has a message.
func (t Text) IsZero() bool { return t.KK == "" && t.RU == "" && t.EN == "" }

// Capacity is a person's legal capacity as declared by a court.
type Capacity string

// Values of Capacity.
const (
	CapacityFull      Capacity = "full"
	CapacityPartial   Capacity = "partial"   // partially incapacitated by a court
	CapacityIncapable Capacity = "incapable" // declared incapacitated by a court
)

// CitizenKZ is the citizenship code of the Republic of Kazakhstan.
const CitizenKZ = "KZ"

// Person is an individual in the State Database "Individuals". BirthDate is
// authoritative; the date encoded in the IIN is never used for decisions.
type Person struct {
	IIN            string    `json:"iin"`
	LastName       string    `json:"last_name"`
	FirstName      string    `json:"first_name"`
	Patronymic     string    `json:"patronymic,omitempty"`
	BirthDate      time.Time `json:"birth_date"` // a date: midnight UTC
	Citizenship    string    `json:"citizenship"`
	Capacity       Capacity  `json:"capacity"`
	Deceased       bool      `json:"deceased"`
	Phone          string    `json:"phone,omitempty"` // in the Mobile Citizens Database; "" when absent
	ConsularAbroad bool      `json:"consular_abroad"` // on a consular register abroad
}

// FullName returns the person's names in the Kazakh and Russian order.
func (p Person) FullName() string {
	s := p.LastName + " " + p.FirstName
	if p.Patronymic != "" {
		s += " " + p.Patronymic
	}
	return s
}

// RelationKind is the kind of legal tie between two persons.
type RelationKind string

// Values of RelationKind.
const (
	RelationParent   RelationKind = "parent"   // From is a parent or legal representative of To
	RelationGuardian RelationKind = "guardian" // From is the court-appointed guardian of To
)

// Relation says that From (a parent or guardian) answers for To.
type Relation struct {
	Kind RelationKind `json:"kind"`
	From string       `json:"from"`
	To   string       `json:"to"`
}

// Organisation is a legal entity that may own premises (a hotel, dormitory,
// sanatorium, care home) and sign petitions through its representatives.
type Organisation struct {
	BIN             string   `json:"bin"`
	Name            string   `json:"name"`
	Representatives []string `json:"representatives"` // IINs allowed to sign for it
}

// PremisesKind is the kind of residential premises.
type PremisesKind string

// Values of PremisesKind.
const (
	PremisesApartment        PremisesKind = "apartment"
	PremisesHouse            PremisesKind = "house"
	PremisesDacha            PremisesKind = "dacha"
	PremisesDormitory        PremisesKind = "dormitory"
	PremisesHotel            PremisesKind = "hotel"
	PremisesSanatorium       PremisesKind = "sanatorium"
	PremisesCareHome         PremisesKind = "care_home"
	PremisesOtherResidential PremisesKind = "other_residential"
)

// PremisesKinds lists every valid PremisesKind.
var PremisesKinds = []PremisesKind{PremisesApartment, PremisesHouse, PremisesDacha, PremisesDormitory,
	PremisesHotel, PremisesSanatorium, PremisesCareHome, PremisesOtherResidential}

// Residential reports whether people may be registered in premises of kind k.
// Every kind the register knows is residential; an unknown kind is not.
func (k PremisesKind) Residential() bool {
	for _, v := range PremisesKinds {
		if v == k {
			return true
		}
	}
	return false
}

// Premises is a dwelling in the address register, identified by its address
// registration code (RKA). The RKA is opaque: it is resolved, never parsed.
type Premises struct {
	RKA         string       `json:"rka"`
	Region      string       `json:"region"`
	District    string       `json:"district,omitempty"`
	Locality    string       `json:"locality"`
	Street      string       `json:"street,omitempty"`
	Building    string       `json:"building"`
	Unit        string       `json:"unit,omitempty"`
	Kind        PremisesKind `json:"kind"`
	StateRental bool         `json:"state_rental"`
	AreaM2      float64      `json:"area_m2,omitempty"`
}

// Address returns the premises' address on one line.
func (p Premises) Address() string {
	parts := [...]string{p.District, p.Locality, p.Street, p.Building, p.Unit}
	n := len(p.Region)
	for _, part := range parts {
		if part != "" {
			n += 2 + len(part)
		}
	}
	var b strings.Builder // one allocation: a lookup renders an address per registration
	b.Grow(n)
	b.WriteString(p.Region)
	for _, part := range parts {
		if part != "" {
			b.WriteString(", ")
			b.WriteString(part)
		}
	}
	return b.String()
}

// Ownership is one owner's share of premises: a person (OwnerIIN) or an
// organisation (OwnerBIN), exactly one of the two.
type Ownership struct {
	RKA      string  `json:"rka"`
	OwnerIIN string  `json:"owner_iin,omitempty"`
	OwnerBIN string  `json:"owner_bin,omitempty"`
	Share    float64 `json:"share"` // a fraction in (0, 1]
}

// RentalAgreement is a lease of state rental housing: the tenant may register
// the people listed in it while it is valid.
type RentalAgreement struct {
	RKA        string    `json:"rka"`
	TenantIIN  string    `json:"tenant_iin"`
	Members    []string  `json:"members"`
	ValidFrom  time.Time `json:"valid_from"`
	ValidUntil time.Time `json:"valid_until"`
}

// ActiveOn reports whether the agreement is in force on date d.
func (r RentalAgreement) ActiveOn(d time.Time) bool {
	return !d.Before(r.ValidFrom) && !d.After(r.ValidUntil)
}

// Lists reports whether iin is the tenant or a listed member.
func (r RentalAgreement) Lists(iin string) bool {
	if r.TenantIIN == iin {
		return true
	}
	for _, m := range r.Members {
		if m == iin {
			return true
		}
	}
	return false
}

// Kind is the kind of registration.
type Kind string

// Values of Kind.
const (
	Permanent Kind = "permanent"
	Temporary Kind = "temporary"
)

// RegistrationStatus is the state of a registration.
type RegistrationStatus string

// Values of RegistrationStatus.
const (
	RegistrationActive RegistrationStatus = "active"
	RegistrationEnded  RegistrationStatus = "ended"
)

// EndReason says why a registration ended.
type EndReason string

// Values of EndReason.
const (
	EndMoved               EndReason = "moved"                 // a new permanent registration replaced it
	EndReplaced            EndReason = "replaced"              // a new temporary registration replaced it
	EndDeregisteredByOwner EndReason = "deregistered_by_owner" // the owners asked for it
	EndEmigrated           EndReason = "emigrated"             // left for permanent residence abroad (PSC)
	EndDeceased            EndReason = "deceased"              // civil registry reported the death
	EndExpired             EndReason = "expired"               // the temporary period ended
	EndCourt               EndReason = "court"                 // by a court decision
)

// Addresses is a person with their registrations, active first and then by
// Since descending, and the premises those name, by RKA. Derived holds, for
// a child under 14 (who is not registered), the address the child's place of
// residence follows: a parent's or legal representative's (DeriveChildAddress);
// its premises are in Premises too.
type Addresses struct {
	Person        Person
	Registrations []Registration
	Premises      map[string]Premises
	Derived       []DerivedRegistration
}

// DerivedRegistration is the active permanent registration of a parent or
// legal representative (From, by Relation) that gives the place of residence
// of a child under 14: it is the parent's registration, never the child's.
type DerivedRegistration struct {
	Registration Registration
	From         string       // IIN of the parent or legal representative
	Relation     RelationKind // parent or guardian
}

// Registration is a person's registration at premises. ApplicationID is the
// application that created it; registrations loaded from the national
// registry by import have Imported set and no application.
type Registration struct {
	ID            string             `json:"id"`
	IIN           string             `json:"iin"`
	RKA           string             `json:"rka"`
	Kind          Kind               `json:"kind"`
	Since         time.Time          `json:"since"`
	Until         time.Time          `json:"until,omitzero"` // temporary only
	Status        RegistrationStatus `json:"status"`
	EndedOn       time.Time          `json:"ended_on,omitzero"`
	EndReason     EndReason          `json:"end_reason,omitempty"`
	ApplicationID string             `json:"application_id,omitempty"`
	Imported      bool               `json:"imported,omitempty"`
}

// Action is what an application asks for.
type Action string

// Values of Action.
const (
	ActionRegister   Action = "register"
	ActionDeregister Action = "deregister" // owner-initiated deregistration
)

// Channel is how an application reached the service.
type Channel string

// Values of Channel.
const (
	ChannelPortal Channel = "portal"
	ChannelMobile Channel = "mobile"
	ChannelAPI    Channel = "api"
	ChannelPSC    Channel = "psc" // in person at a service centre, entered by an operator
)

// SignatureMethod is how the applicant signed.
type SignatureMethod string

// Values of SignatureMethod.
const (
	SignatureNone SignatureMethod = ""
	SignatureEDS  SignatureMethod = "eds"     // detached CMS with an NCA certificate
	SignatureOTP  SignatureMethod = "sms_otp" // one-time password sent to the MCD phone
	SignaturePSC  SignatureMethod = "psc"     // signed on paper before an operator
)

// ApplicationStatus is the state of an application; see DESIGN.md §2.
type ApplicationStatus string

// Values of ApplicationStatus.
const (
	StatusSubmitted        ApplicationStatus = "submitted"
	StatusRejected         ApplicationStatus = "rejected"
	StatusInPersonRequired ApplicationStatus = "in_person_required"
	StatusAwaitingConsent  ApplicationStatus = "awaiting_consent"
	StatusRegistered       ApplicationStatus = "registered"
	StatusExpired          ApplicationStatus = "expired"
	// StatusDeregistered is the final state of an owner-initiated
	// deregistration that took effect.
	StatusDeregistered ApplicationStatus = "deregistered"
	// StatusWithdrawn is the final state of an application its applicant
	// withdrew while it waited for consent (Service.Withdraw).
	StatusWithdrawn ApplicationStatus = "withdrawn"
)

// Final reports whether no further transition leaves s.
func (s ApplicationStatus) Final() bool {
	return s != StatusSubmitted && s != StatusAwaitingConsent
}

// Application is a request to register (or, with ActionDeregister, to
// deregister) a subject at premises.
type Application struct {
	ID             string            `json:"id"`
	Action         Action            `json:"action"`
	Kind           Kind              `json:"kind"`
	ApplicantIIN   string            `json:"applicant_iin"`
	SubjectIIN     string            `json:"subject_iin"`
	RKA            string            `json:"rka"`
	Reason         string            `json:"reason,omitempty"`
	StayFrom       time.Time         `json:"stay_from,omitzero"`
	StayUntil      time.Time         `json:"stay_until,omitzero"`
	ArrivedOn      time.Time         `json:"arrived_on,omitzero"`
	Channel        Channel           `json:"channel"`
	Signature      SignatureMethod   `json:"signature"`
	SignerIIN      string            `json:"signer_iin,omitempty"`
	OperatorID     string            `json:"operator_id,omitempty"` // PSC applications
	Status         ApplicationStatus `json:"status"`
	Decision       Decision          `json:"decision"`
	RegistrationID string            `json:"registration_id,omitempty"`
	IdempotencyKey string            `json:"-"`
	CreatedAt      time.Time         `json:"created_at"`
	DecidedAt      time.Time         `json:"decided_at,omitzero"`
	UpdatedAt      time.Time         `json:"updated_at"`

	// IdempotencyHash is the RequestHash of the request that created the
	// application with IdempotencyKey; nil for applications made before it
	// was stored.
	IdempotencyHash []byte `json:"-"`
	// OTPID is the one-time password that signed the application, when one
	// did: a retry with the same Idempotency-Key must hold its code.
	OTPID string `json:"-"`
}

// ConsentChannel is how an owner gives consent.
type ConsentChannel string

// Values of ConsentChannel.
const (
	ConsentSMS      ConsentChannel = "sms"      // a code from 1414 to the owner's MCD phone
	ConsentEDS      ConsentChannel = "eds"      // owner without an MCD phone: signature only
	ConsentPetition ConsentChannel = "petition" // organisation: signed by a representative
)

// ConsentKind is whose will a consent task asks for.
type ConsentKind string

// Values of ConsentKind. The API showed owners' tasks (by IIN) and
// petitions (by BIN) before kinds existed; the kinds name those two and add
// the subject's own confirmation.
const (
	ConsentKindOwner    ConsentKind = "owner"    // an owner who is a person (OWNER_CONSENT)
	ConsentKindPetition ConsentKind = "petition" // an owning organisation (ORGANISATION_PETITION)
	ConsentKindSubject  ConsentKind = "subject"  // the adult being registered by someone else (SUBJECT_CONSENT)
)

// ConsentStatus is the state of a consent task.
type ConsentStatus string

// Values of ConsentStatus.
const (
	ConsentPending   ConsentStatus = "pending"
	ConsentConfirmed ConsentStatus = "confirmed"
	ConsentDeclined  ConsentStatus = "declined"
	ConsentExpired   ConsentStatus = "expired"
	ConsentLocked    ConsentStatus = "locked" // too many wrong codes
	ConsentCancelled ConsentStatus = "cancelled"
)

// ConsentTask asks one owner (a person by OwnerIIN or an organisation by
// OwnerBIN) to agree to an application or, with Kind ConsentKindSubject, the
// subject (by OwnerIIN: the person who answers) to confirm that they want
// it. CodeHash is the keyed hash of the SMS code; the code itself is never
// stored.
type ConsentTask struct {
	ID            string         `json:"id"`
	ApplicationID string         `json:"application_id"`
	Kind          ConsentKind    `json:"kind"`
	OwnerIIN      string         `json:"owner_iin,omitempty"`
	OwnerBIN      string         `json:"owner_bin,omitempty"`
	Channel       ConsentChannel `json:"channel"`
	Status        ConsentStatus  `json:"status"`
	CodeHash      []byte         `json:"-"`
	Attempts      int            `json:"attempts"`
	CreatedAt     time.Time      `json:"created_at"`
	ExpiresAt     time.Time      `json:"expires_at"`
	AnsweredAt    time.Time      `json:"answered_at,omitzero"`
	AnsweredBy    string         `json:"answered_by,omitempty"` // IIN of the person who answered
}

// OTPPurpose is what a one-time password is for.
type OTPPurpose string

// Values of OTPPurpose.
const (
	OTPLogin OTPPurpose = "login"
	OTPSign  OTPPurpose = "sign"
)

// OTP is a one-time password sent to a person's MCD phone. CodeHash is the
// keyed hash of the code.
type OTP struct {
	ID        string     `json:"id"`
	IIN       string     `json:"iin"`
	Purpose   OTPPurpose `json:"purpose"`
	CodeHash  []byte     `json:"-"`
	Attempts  int        `json:"attempts"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	UsedAt    time.Time  `json:"used_at,omitzero"`
	Locked    bool       `json:"locked"`
	// Client is a keyed hash of the address of the client that asked for
	// the password (ClientFrom), "" when unknown.
	Client string `json:"-"`
}

// SMSStatus is the delivery state of an outgoing SMS.
type SMSStatus string

// Values of SMSStatus.
const (
	SMSQueued    SMSStatus = "queued"
	SMSSent      SMSStatus = "sent"      // accepted by the SMS centre
	SMSDelivered SMSStatus = "delivered" // delivery receipt received
	SMSFailed    SMSStatus = "failed"    // retry budget exhausted or rejected for good
)

// ShortNumber is the sender of every SMS of the service.
const ShortNumber = "1414"

// SMS is an outgoing text message. It is written in the transaction that
// created its code, and delivered by a job.
type SMS struct {
	ID            string    `json:"id"`
	To            string    `json:"to"`
	From          string    `json:"from"`
	Text          string    `json:"text"`
	Status        SMSStatus `json:"status"`
	RecipientIIN  string    `json:"-"`
	ApplicationID string    `json:"-"`
	ProviderID    string    `json:"-"` // the SMS centre's message id
	Attempts      int       `json:"-"`
	LastError     string    `json:"-"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"-"`
}

// Event is an append-only record of a state change or of a read of personal
// data. PersonIIN is whose service history or access log it belongs to; an
// event may be written once for each person concerned. ID is assigned by the
// store when the event is written (on PostgreSQL an event with a smaller ID
// may commit after one with a larger ID). Seq is its position in the
// tamper-evident chain, assigned in commit order when a sealer seals it
// (0 until then), and Hash the chain's hash at that position; Seq orders
// the feed.
type Event struct {
	ID             int64           `json:"id"`
	Seq            int64           `json:"seq,omitempty"`
	Hash           string          `json:"hash,omitempty"`
	Type           string          `json:"type"`
	At             time.Time       `json:"at"`
	PersonIIN      string          `json:"person_iin,omitempty"`
	ActorIIN       string          `json:"actor_iin,omitempty"`
	ActorRole      string          `json:"actor_role,omitempty"`
	RKA            string          `json:"rka,omitempty"`
	ApplicationID  string          `json:"application_id,omitempty"`
	RegistrationID string          `json:"registration_id,omitempty"`
	Message        Text            `json:"message,omitzero"`
	Data           json.RawMessage `json:"data,omitempty"`
}

// Event types.
const (
	EventApplicationSubmitted = "application.submitted"
	EventApplicationDecided   = "application.decided"
	EventConsentRequested     = "consent.requested"
	EventConsentAnswered      = "consent.answered"
	EventConsentExpired       = "consent.expired"
	EventRegistrationCreated  = "registration.created"
	EventRegistrationEnded    = "registration.ended"
	EventIDCardRewrite        = "idcard.address_rewrite"
	EventNotification         = "notification"
	EventPersonalDataRead     = "personal_data.read"
	EventSMSFailed            = "sms.failed"
)

// Role is what a caller is allowed to do.
type Role string

// Values of Role.
const (
	RoleCitizen  Role = "citizen"
	RoleOperator Role = "operator" // service-centre staff
	RoleAgency   Role = "agency"   // downstream agency reading addresses and events
	RoleAdmin    Role = "admin"
	RoleSystem   Role = "system" // jobs and imports
)

// Actor is who performs a use case: a signed-in citizen (IIN), or staff and
// agencies identified by a token name.
type Actor struct {
	Role Role
	IIN  string // citizens
	Name string // staff and agency tokens
	// Purposes are what an agency's token allows it to read (see Purpose).
	Purposes []Purpose
}

// Token is a bearer token for staff and agencies. Only its hash is stored.
type Token struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Role Role   `json:"role"`
	Hash []byte `json:"-"`
	// Purposes are the reads an agency token allows; empty for staff.
	Purposes  []Purpose `json:"purposes,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}
