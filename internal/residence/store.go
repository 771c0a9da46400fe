package residence

import (
	"context"
	"encoding/json"
	"time"
)

// Store is the system of record. Implementations live in internal/store
// (PostgreSQL and SQLite) and pass one conformance suite.
//
// Every method that reads returns ErrNotFound (IsCode(err, ENotFound)) when
// the row is missing, never a zero value with a nil error. Every write that a
// uniqueness or state invariant of the database refuses returns an error with
// code EConflict. No driver type or driver error escapes the store.
type Store interface {
	// InTx runs fn in one read-write transaction. The transaction commits
	// when fn returns nil and rolls back otherwise (or when fn panics, after
	// which the panic continues). Writes of concurrent InTx calls that touch
	// the same person are serialised by Tx.LockPerson. InTx may retry fn on
	// a serialisation failure, so fn must have no effects outside tx.
	InTx(ctx context.Context, fn func(tx Tx) error) error

	// View runs fn with read-only access outside any write transaction; it
	// may use a read replica or a reader connection.
	View(ctx context.Context, fn func(r Reader) error) error

	// Ping checks that the database answers.
	Ping(ctx context.Context) error

	// Close releases the store's connections.
	Close() error
}

// Reader is the read side of the store.
type Reader interface {
	Person(ctx context.Context, iin string) (Person, error)
	// PersonsByPhone returns the living persons whose MCD phone is phone
	// (MSISDN digits), empty when none. Inbound SMS replies use it.
	PersonsByPhone(ctx context.Context, phone string) ([]Person, error)
	// Relations returns every relation in which iin is From or To.
	Relations(ctx context.Context, iin string) ([]Relation, error)
	Organisation(ctx context.Context, bin string) (Organisation, error)
	// OrganisationsRepresentedBy returns the organisations for which iin may sign.
	OrganisationsRepresentedBy(ctx context.Context, iin string) ([]Organisation, error)
	Premises(ctx context.Context, rka string) (Premises, error)
	// SearchPremises lists premises matching every non-empty field of q,
	// ordered by RKA, at most limit rows.
	SearchPremises(ctx context.Context, q PremisesQuery, limit int) ([]Premises, error)
	// AddressFacet returns the distinct non-empty values of q.Field among
	// the premises matching every non-empty field of q.Within, greater
	// than q.After in the database's text order and in that order, at most
	// q.Limit (which the caller bounds); empty, not an error, when none.
	// It reads an index, not the premises: one step per value returned.
	// EInvalid for a field not in AddressFields.
	AddressFacet(ctx context.Context, q AddressFacetQuery) ([]string, error)
	// Owners returns the ownership rows of the premises (empty, not an
	// error, when it has none).
	Owners(ctx context.Context, rka string) ([]Ownership, error)
	// PremisesOwnedBy returns the RKAs owned by the person or organisation.
	PremisesOwnedBy(ctx context.Context, ownerIIN, ownerBIN string) ([]string, error)
	// RentalAgreements returns the premises' agreements, newest first.
	RentalAgreements(ctx context.Context, rka string) ([]RentalAgreement, error)

	Registration(ctx context.Context, id string) (Registration, error)
	// Registrations returns the person's registrations, active first, then
	// by Since descending.
	Registrations(ctx context.Context, iin string) ([]Registration, error)
	// Addresses returns the person, their registrations (as Registrations)
	// and the premises those name, in one read; ENotFound when the person is
	// unknown.
	Addresses(ctx context.Context, iin string) (Addresses, error)
	// Residents returns the active registrations at the premises.
	Residents(ctx context.Context, rka string) ([]Registration, error)
	// ExpiredRegistrations returns the active temporary registrations whose
	// last day (Until) is before day, by Until, at most limit; empty when
	// none.
	ExpiredRegistrations(ctx context.Context, day time.Time, limit int) ([]Registration, error)
	// ViolationHistory returns the temporary registrations made by
	// application with a known arrival date that began in [q.From, q.To),
	// oldest first (see ViolationQuery); empty when none.
	ViolationHistory(ctx context.Context, q ViolationQuery) ([]ViolationRecord, error)
	// StatsApplications calls fn with each registration application
	// (action register) created in [from, to), in no particular order, and
	// returns fn's first error; nothing when there are none. The rows are
	// streamed, not gathered: a period may hold many.
	StatsApplications(ctx context.Context, from, to time.Time, fn func(StatsApplication) error) error
	// StatsConsents calls fn with each confirmed consent task created in
	// [from, to), in no particular order, and returns fn's first error.
	StatsConsents(ctx context.Context, from, to time.Time, fn func(StatsConsent) error) error

	Application(ctx context.Context, id string) (Application, error)
	// ApplicationByIdempotencyKey finds the application submitted by the
	// applicant with the key.
	ApplicationByIdempotencyKey(ctx context.Context, applicantIIN, key string) (Application, error)
	// ApplicationsFor returns the applications in which iin is the applicant
	// or the subject, newest first, at most limit.
	ApplicationsFor(ctx context.Context, iin string, limit int) ([]Application, error)
	// ApplicationsByReference returns the applications whose id ends in
	// suffix (the last ten hex digits of the id, which Reference writes
	// short), newest first, at most limit; empty when none.
	ApplicationsByReference(ctx context.Context, suffix string, limit int) ([]Application, error)

	ConsentTask(ctx context.Context, id string) (ConsentTask, error)
	ConsentTasks(ctx context.Context, applicationID string) ([]ConsentTask, error)
	// PendingConsentTasksFor returns the open tasks (pending, or locked by
	// wrong codes) of the owner or subject (IIN), including petitions of
	// organisations the IIN represents, oldest first.
	PendingConsentTasksFor(ctx context.Context, iin string) ([]ConsentTask, error)

	OTP(ctx context.Context, id string) (OTP, error)
	// LatestOTP returns the newest OTP of the person for the purpose that
	// the client (OTP.Client) asked for; ErrNotFound when there is none.
	LatestOTP(ctx context.Context, iin string, purpose OTPPurpose, client string) (OTP, error)
	// CountOTPsSince counts the OTPs created for the person at the client's
	// request since t.
	CountOTPsSince(ctx context.Context, iin, client string, since time.Time) (int, error)
	// CountSMSSince counts the messages queued to phone (MSISDN digits)
	// since t, of any kind and status; zero, not an error, when none.
	CountSMSSince(ctx context.Context, phone string, since time.Time) (int, error)
	// CountConsentSMSSince counts the messages queued to phone since t for
	// an application (not one-time passwords): all, and those of
	// applications by applicantIIN; zeros when none.
	CountConsentSMSSince(ctx context.Context, phone, applicantIIN string, since time.Time) (total, byApplicant int, err error)

	SMS(ctx context.Context, id string) (SMS, error)
	// ListSMS returns messages oldest first, after the given id's creation
	// (all when after is ""), at most limit.
	ListSMS(ctx context.Context, limit int) ([]SMS, error)
	// SMSByProviderID finds a message by the SMS centre's id.
	SMSByProviderID(ctx context.Context, providerID string) (SMS, error)

	// Events returns the sealed events with Seq > after in Seq order, at
	// most limit. Events not yet sealed are left out: sealing assigns Seq in
	// commit order, so a reader polling with after = the last Seq it saw
	// gets every event exactly once.
	Events(ctx context.Context, after int64, limit int) ([]Event, error)
	// PersonEvents returns the person's events of the given types (all
	// types when types is empty), newest first (by ID), at most limit,
	// sealed or not.
	PersonEvents(ctx context.Context, iin string, types []string, limit int) ([]Event, error)

	TokenByHash(ctx context.Context, hash []byte) (Token, error)
	// SessionByID returns the session (revoked or not), or ErrNotFound.
	SessionByID(ctx context.Context, id string) (Session, error)
	// Certificate returns an issued registration certificate, or ErrNotFound.
	Certificate(ctx context.Context, id string) (Certificate, error)
	// CertificateByCodeHash finds a certificate by its verification code's
	// hash, or ErrNotFound.
	CertificateByCodeHash(ctx context.Context, hash []byte) (Certificate, error)

	// Batch existence checks used by import to name bad references by line.
	// Each returns the subset of keys that exist.
	ExistingPersons(ctx context.Context, iins []string) (map[string]bool, error)
	ExistingOrganisations(ctx context.Context, bins []string) (map[string]bool, error)
	ExistingPremises(ctx context.Context, rkas []string) (map[string]bool, error)
}

// Tx is a read-write transaction. Reads through Tx see its own writes.
type Tx interface {
	Reader

	// LockPerson takes a row lock on the person (SELECT ... FOR UPDATE on
	// PostgreSQL; SQLite transactions are already serialised), so two
	// transactions changing one person's registrations run one after the
	// other. It returns ErrNotFound for an unknown IIN.
	LockPerson(ctx context.Context, iin string) error

	CreateApplication(ctx context.Context, a Application) error // EConflict on a duplicate ID or idempotency key
	UpdateApplication(ctx context.Context, a Application) error // ErrNotFound when missing
	CreateConsentTask(ctx context.Context, c ConsentTask) error
	UpdateConsentTask(ctx context.Context, c ConsentTask) error
	CreateRegistration(ctx context.Context, r Registration) error // EConflict when the person already has an active one of the kind
	// EndRegistration sets status ended, EndedOn and EndReason of an active
	// registration. It returns ErrNotFound when no active registration has the id.
	EndRegistration(ctx context.Context, id string, on time.Time, reason EndReason) error
	// EndDeceasedRegistrations ends, with reason deceased and EndedOn on,
	// every active registration of those persons among iins whom the
	// registry records as deceased, in one conditional statement, and
	// returns those it ended; none (not an error) when there are none.
	EndDeceasedRegistrations(ctx context.Context, iins []string, on time.Time) ([]Registration, error)

	CreateOTP(ctx context.Context, o OTP) error
	UpdateOTP(ctx context.Context, o OTP) error

	// Limits and single use are decided by the database, atomically, never
	// by reading a row and writing it back: each method below is one
	// conditional UPDATE (or INSERT under a unique key), so that any number
	// of concurrent transactions on any number of nodes cannot exceed a
	// limit or use a thing twice. On PostgreSQL the updated row stays locked
	// until the transaction ends: concurrent tries of one code run one after
	// the other, each seeing the one before. A transaction that rolls back
	// (or that InTx retries) undoes its tries with everything else, so a
	// retry neither counts twice nor applies twice.

	// TryOTP counts one attempt at the one-time password: attempts goes up
	// by one only while it is below max and the password is not locked
	// (UPDATE … WHERE attempts < max AND NOT locked RETURNING). It returns
	// the password after the update and true, or the password as it is and
	// false when no attempt is left. Used passwords may be tried too (an
	// idempotent retry proves itself with the code of a used password).
	// ErrNotFound when there is no such password.
	TryOTP(ctx context.Context, id string, max int) (OTP, bool, error)
	// UseOTP marks the password used at at, only if it is unused and not
	// locked (UPDATE … WHERE used_at IS NULL AND NOT locked). EConflict when
	// it is used or locked already; ErrNotFound when missing.
	UseOTP(ctx context.Context, id string, at time.Time) error
	// LockOTP locks the password, so that it can no longer be tried or used.
	// ErrNotFound when missing.
	LockOTP(ctx context.Context, id string) error
	// TryConsentCode counts one attempt at a pending task's code: attempts
	// goes up by one only while the task is pending and attempts is below
	// max (UPDATE … WHERE status = 'pending' AND attempts < max RETURNING).
	// It returns the task after the update and true, or the task as it is
	// and false when it is not pending or no attempt is left. ErrNotFound
	// when missing.
	TryConsentCode(ctx context.Context, id string, max int) (ConsentTask, bool, error)
	// AnswerConsentTask moves an open task (pending, or locked by wrong
	// codes: it still takes its owner's EDS answer or signed-in decline) to
	// status (confirmed, declined, locked, cancelled), recording at and by
	// (zero and "" leave them empty), only if it is still open (UPDATE …
	// WHERE status IN ('pending', 'locked')). EConflict when it is not open
	// (another answer came first); ErrNotFound when missing.
	AnswerConsentTask(ctx context.Context, id string, status ConsentStatus, at time.Time, by string) error
	// LockApplication returns the application and locks its row until the
	// transaction ends (SELECT … FOR UPDATE on PostgreSQL; SQLite
	// transactions are already serialised), so that the answers to its
	// consent tasks, its expiry and its completion run one after the other
	// and each reads what the one before committed. ErrNotFound when
	// missing.
	LockApplication(ctx context.Context, id string) (Application, error)
	// WithdrawApplication moves the application to status withdrawn with
	// decision d at at, only while it awaits consent (UPDATE … WHERE status
	// = 'awaiting_consent' RETURNING), and returns it as updated. On
	// PostgreSQL the UPDATE waits for an answer holding the application's
	// lock (LockApplication) and then sees what that answer committed, so a
	// completed application is never withdrawn, nor a withdrawn one
	// completed. EConflict when it no longer awaits consent; ErrNotFound
	// when missing.
	WithdrawApplication(ctx context.Context, id string, d Decision, at time.Time) (Application, error)
	// UseSignature records that the EDS signature with u.Digest authorised
	// a change, in the transaction of that change. EConflict when the
	// digest was recorded before (its primary key): the signature was used
	// already.
	UseSignature(ctx context.Context, u UsedSignature) error
	CreateSMS(ctx context.Context, m SMS) error
	UpdateSMS(ctx context.Context, m SMS) error
	// CancelQueuedSMS ends the SMS of the application that are still
	// queued (not handed to the SMS centre): status failed with the reason,
	// so the delivery job sends nothing. It returns how many it ended.
	CancelQueuedSMS(ctx context.Context, applicationID, reason string, at time.Time) (int, error)
	CreateToken(ctx context.Context, t Token) error
	// CreateSession inserts a session; EConflict on a duplicate ID.
	CreateSession(ctx context.Context, s Session) error
	// RevokeSession sets the session's RevokedAt unless it is set already;
	// ErrNotFound when no session has the id.
	RevokeSession(ctx context.Context, id string, at time.Time) error
	// UseChallenge records an EDS sign-in challenge as redeemed, by a
	// unique insert: EConflict when it was redeemed before.
	UseChallenge(ctx context.Context, id string, usedAt, expiresAt time.Time) error
	// CreateCertificate inserts an issued certificate; EConflict on a
	// duplicate ID or code hash.
	CreateCertificate(ctx context.Context, c Certificate) error
	// DeleteExpired removes up to limit sessions and up to limit redeemed
	// challenges that expired before t, and returns how many rows it removed.
	DeleteExpired(ctx context.Context, before time.Time, limit int) (int, error)

	// AppendEvents writes events; the store assigns their IDs.
	AppendEvents(ctx context.Context, events ...Event) error
	// AppendSealedEvents writes events and seals them into the audit chain
	// in the same transaction, which holds the chain's head until it ends.
	// It is for a writer of many events at once that commits at once (the
	// batched access log): it saves sealing each row later. Business
	// transactions use AppendEvents and leave sealing to the sealer, so
	// that they never wait on each other.
	AppendSealedEvents(ctx context.Context, events ...Event) error

	// Enqueue schedules a durable job that runs only if the transaction
	// commits. A job with a non-empty UniqueKey is inserted at most once.
	Enqueue(ctx context.Context, j Job) error

	// Registry writes used by import and by the civil-registry feed. Each is
	// an upsert by its natural key.
	UpsertPersons(ctx context.Context, ps []Person) error
	UpsertRelations(ctx context.Context, rs []Relation) error
	UpsertOrganisations(ctx context.Context, os []Organisation) error
	UpsertPremises(ctx context.Context, ps []Premises) error
	UpsertOwnerships(ctx context.Context, os []Ownership) error
	UpsertRentalAgreements(ctx context.Context, rs []RentalAgreement) error
	// UpsertImportedRegistrations writes registrations with Imported set,
	// keyed by (IIN, RKA, Kind, Since).
	UpsertImportedRegistrations(ctx context.Context, rs []Registration) error
}

// UsedSignature is an EDS signature that authorised a change: its Digest
// (SignerInfo.Digest), what it authorised (an application, a
// deregistration, a consent answer or a session), who signed and when it
// was used.
type UsedSignature struct {
	Digest    []byte
	Purpose   string
	SignerIIN string
	UsedAt    time.Time
}

// Purposes of UsedSignature.
const (
	SignedApplication    = "application"
	SignedDeregistration = "deregistration"
	SignedConsent        = "consent"
	SignedSession        = "session"
)

// PremisesQuery filters SearchPremises and AddressFacet; empty fields match
// anything.
type PremisesQuery struct {
	Region, District, Locality, Street, Building, Unit string
}

// AddressField is a field of the address register that the address picker
// offers a choice of (AddressFacet).
type AddressField string

// The address fields, from the largest to the smallest.
const (
	AddressRegion   AddressField = "region"
	AddressDistrict AddressField = "district"
	AddressLocality AddressField = "locality"
	AddressStreet   AddressField = "street"
	AddressBuilding AddressField = "building"
)

// AddressFields lists the address fields AddressFacet accepts.
var AddressFields = []AddressField{AddressRegion, AddressDistrict, AddressLocality, AddressStreet, AddressBuilding}

// MaxAddressChoices is the most values one page of AddressFacet returns.
const MaxAddressChoices = 1000

// AddressFacetQuery asks for one page of the distinct values of Field
// among the premises matching Within: the values after After ("" from the
// first), at most Limit (MaxAddressChoices when 0 or more). The next page
// starts after the last value of this one.
type AddressFacetQuery struct {
	Field  AddressField
	Within PremisesQuery
	After  string
	Limit  int
}

// Job kinds run by internal/jobs.
const (
	JobConsentExpire      = "consent_expire"      // args: {"task_id": "..."}
	JobSMSDeliver         = "sms_deliver"         // args: {"sms_id": "..."}
	JobRegistrationExpire = "registration_expire" // args: {"registration_id": "..."}
)

// JobRegistrationExpire is no longer enqueued: the expiry sweep
// (SweepExpiredRegistrations) is the one mechanism that ends temporary
// registrations. The kind stays, and its worker with it, so that the jobs
// earlier versions queued in a deployed database still run
// (ExpireRegistration, idempotent).

// Job is durable background work, enqueued in the transaction of the change
// that needs it. Args is the JSON payload the worker of Kind receives. RunAt
// zero means as soon as possible.
type Job struct {
	Kind        string
	Args        json.RawMessage
	RunAt       time.Time
	UniqueKey   string
	MaxAttempts int
}

// FactsQuery names what the rules read about one application: the
// subject (locked first when Lock, as LockPerson does), the applicant, the
// premises with its owners, and the subject's registrations.
type FactsQuery struct {
	Lock         bool
	ApplicantIIN string
	SubjectIIN   string
	RKA          string
	// Signature, when set (with Lock, in a Tx), is recorded as used
	// (Tx.UseSignature) in the same read, after the lock;
	// Facts.SignatureReused reports that it had been used before, and then
	// nothing was recorded.
	Signature *UsedSignature
}

// Facts is what one read of FactsQuery returns. A nil person is not in the
// registry (with Lock, the subject is not locked then); nil Premises, an
// RKA that does not resolve.
type Facts struct {
	Subject, Applicant *Person
	// Relations are the applicant's (Reader.Relations), then the subject's
	// when another person.
	Relations []Relation
	Premises  *Premises
	// Owners are Reader.Owners of the premises; OwnerPersons the persons
	// among them found in the registry, OwnerOrganisations the
	// organisations (with representatives).
	Owners             []Ownership
	OwnerPersons       []Person
	OwnerOrganisations []Organisation
	// Registrations are all the subject's, as Reader.Registrations.
	Registrations          []Registration
	ApplicantOrganisations []Organisation
	// SignatureReused: FactsQuery.Signature was used before.
	SignatureReused bool
}

// FactsReader is implemented by a Reader or Tx that reads Facts in one
// round trip (PostgreSQL: one pipeline of statements). Others are read
// statement by statement (readFacts).
type FactsReader interface {
	Facts(ctx context.Context, q FactsQuery) (Facts, error)
}

// Pipeliner is implemented by a Tx that can send its writes together:
// after Pipeline, the writes whose only result is an error (inserts of
// applications, registrations, events, consent tasks and SMS; the updates
// of an application or ending a registration) are queued and sent in one
// round trip with the next read or at commit, and their errors are those of
// that read or of InTx. A use case calls it once every later write's error
// only ends the transaction. Limits and single use (TryOTP, UseSignature,
// AnswerConsentTask, …) are never queued: they answer at once.
type Pipeliner interface {
	Pipeline()
}
