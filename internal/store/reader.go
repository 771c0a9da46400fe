package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"tirkeu/internal/residence"
)

// reader implements residence.Reader for both engines on any querier: a
// pool, a read-only connection or a write transaction.
type reader struct {
	q querier
	d *dialect
}

// defaultLimit caps list queries whose caller passed a non-positive limit.
const defaultLimit = 1000

func limitOr(n int) int {
	if n <= 0 {
		return defaultLimit
	}
	return n
}

const personCols = `iin, last_name, first_name, patronymic, birth_date, citizenship, capacity, deceased, phone, consular_abroad`

// The statements of the reads that Facts (pgpipe.go) also sends, in one
// pipeline.
const (
	sqlPerson    = `SELECT ` + personCols + ` FROM persons WHERE iin = $1`
	sqlRelations = `
		SELECT kind, from_iin, to_iin FROM relations WHERE from_iin = $1
		UNION
		SELECT kind, from_iin, to_iin FROM relations WHERE to_iin = $1
		ORDER BY 1, 2, 3`
	sqlPremises = `SELECT ` + premisesCols + ` FROM premises WHERE rka = $1`
	sqlOwners   = `
		SELECT rka, COALESCE(owner_iin, ''), COALESCE(owner_bin, ''), share FROM (
			SELECT rka, owner_iin, owner_bin, share FROM ownerships WHERE rka = $1 AND owner_iin IS NOT NULL
			UNION ALL
			SELECT rka, owner_iin, owner_bin, share FROM ownerships WHERE rka = $1 AND owner_bin IS NOT NULL) o
		ORDER BY owner_iin, owner_bin`
	sqlRegistrations = `
		SELECT ` + registrationCols + ` FROM registrations WHERE iin = $1
		ORDER BY CASE status WHEN 'active' THEN 0 ELSE 1 END, since DESC, id`
)

// personRow, premisesRow and registrationRow are the scan destinations of
// one row of personCols, premisesCols and registrationCols, so that a joined
// statement can scan several in one Scan.
type personRow struct {
	p        residence.Person
	capacity string
}

func (x *personRow) dest() []any {
	p := &x.p
	return []any{&p.IIN, &p.LastName, &p.FirstName, &p.Patronymic, timeCol{&p.BirthDate}, &p.Citizenship,
		&x.capacity, &p.Deceased, &p.Phone, &p.ConsularAbroad}
}

func (x *personRow) value() residence.Person {
	x.p.Capacity = residence.Capacity(x.capacity)
	return x.p
}

func scanPerson(rs rows) (residence.Person, error) {
	var x personRow
	err := rs.Scan(x.dest()...)
	return x.value(), err
}

// one runs a single-row query and scans it with scan.
func one[T any](ctx context.Context, r reader, op, sql string, args []any, scan func(rows) (T, error)) (T, error) {
	var out T
	found := false
	err := queryAll(ctx, r.q, sql, args, func(rs rows) error {
		v, err := scan(rs)
		if err != nil {
			return err
		}
		out, found = v, true
		return nil
	})
	if err == nil && !found {
		err = errNoRows
	}
	if err != nil {
		return out, r.d.translate(err, op, "")
	}
	return out, nil
}

// all runs a query and scans every row with scan.
func all[T any](ctx context.Context, r reader, op, sql string, args []any, scan func(rows) (T, error)) ([]T, error) {
	var out []T
	err := queryAll(ctx, r.q, sql, args, func(rs rows) error {
		v, err := scan(rs)
		if err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	if err != nil {
		return nil, r.d.translate(err, op, "")
	}
	return out, nil
}

// Person returns the person with the IIN, or ErrNotFound.
func (r reader) Person(ctx context.Context, iin string) (residence.Person, error) {
	return one(ctx, r, "person", sqlPerson, []any{iin}, scanPerson)
}

// PersonsByPhone returns the living persons whose MCD phone is phone.
func (r reader) PersonsByPhone(ctx context.Context, phone string) ([]residence.Person, error) {
	if phone == "" {
		return nil, nil
	}
	return all(ctx, r, "persons by phone", `SELECT `+personCols+` FROM persons
		WHERE phone = $1 AND NOT deceased ORDER BY iin`, []any{phone}, scanPerson)
}

func scanRelation(rs rows) (residence.Relation, error) {
	var x residence.Relation
	var kind string
	err := rs.Scan(&kind, &x.From, &x.To)
	x.Kind = residence.RelationKind(kind)
	return x, err
}

// Relations returns every relation in which iin is From or To.
func (r reader) Relations(ctx context.Context, iin string) ([]residence.Relation, error) {
	return all(ctx, r, "relations", sqlRelations, []any{iin}, scanRelation)
}

// organisationsSQL selects organisations with their representatives, one
// row per representative; the condition on o (the organisations table)
// replaces %s. orgCollector groups the rows.
const organisationsSQL = `
		SELECT o.bin, o.name, COALESCE(rep.iin, '')
		FROM organisations o LEFT JOIN organisation_representatives rep ON rep.bin = o.bin
		WHERE %s
		ORDER BY o.bin, rep.iin`

// orgCollector gathers the rows of organisationsSQL into organisations.
type orgCollector struct {
	out []residence.Organisation
	idx map[string]int
}

func (c *orgCollector) scan(rs rows) error {
	var bin, name, rep string
	if err := rs.Scan(&bin, &name, &rep); err != nil {
		return err
	}
	if c.idx == nil {
		c.idx = map[string]int{}
	}
	i, ok := c.idx[bin]
	if !ok {
		i = len(c.out)
		c.idx[bin] = i
		c.out = append(c.out, residence.Organisation{BIN: bin, Name: name, Representatives: []string{}})
	}
	if rep != "" {
		c.out[i].Representatives = append(c.out[i].Representatives, rep)
	}
	return nil
}

// organisations loads organisations with their representatives; where is a
// condition on o (the organisations table).
func (r reader) organisations(ctx context.Context, op, where string, args ...any) ([]residence.Organisation, error) {
	var c orgCollector
	if err := queryAll(ctx, r.q, fmt.Sprintf(organisationsSQL, where), args, c.scan); err != nil {
		return nil, r.d.translate(err, op, "")
	}
	return c.out, nil
}

// Organisation returns the organisation with the BIN, or ErrNotFound.
func (r reader) Organisation(ctx context.Context, bin string) (residence.Organisation, error) {
	os, err := r.organisations(ctx, "organisation", `o.bin = $1`, bin)
	if err != nil {
		return residence.Organisation{}, err
	}
	if len(os) == 0 {
		return residence.Organisation{}, r.d.translate(errNoRows, "organisation", "")
	}
	return os[0], nil
}

// OrganisationsRepresentedBy returns the organisations for which iin may
// sign, by the index on representatives' IINs.
func (r reader) OrganisationsRepresentedBy(ctx context.Context, iin string) ([]residence.Organisation, error) {
	return r.organisations(ctx, "organisations represented by",
		`o.bin IN (SELECT bin FROM organisation_representatives WHERE iin = $1)`, iin)
}

const premisesCols = `rka, region, district, locality, street, building, unit, kind, state_rental, area_m2`

type premisesRow struct {
	p    residence.Premises
	kind string
}

func (x *premisesRow) dest() []any {
	p := &x.p
	return []any{&p.RKA, &p.Region, &p.District, &p.Locality, &p.Street, &p.Building, &p.Unit, &x.kind, &p.StateRental, &p.AreaM2}
}

func (x *premisesRow) value() residence.Premises {
	x.p.Kind = residence.PremisesKind(x.kind)
	return x.p
}

func scanPremises(rs rows) (residence.Premises, error) {
	var x premisesRow
	err := rs.Scan(x.dest()...)
	return x.value(), err
}

// Premises returns the premises with the RKA, or ErrNotFound.
func (r reader) Premises(ctx context.Context, rka string) (residence.Premises, error) {
	return one(ctx, r, "premises", sqlPremises, []any{rka}, scanPremises)
}

// SearchPremises lists premises matching every non-empty field of q.
func (r reader) SearchPremises(ctx context.Context, q residence.PremisesQuery, limit int) ([]residence.Premises, error) {
	return all(ctx, r, "search premises", `
		SELECT `+premisesCols+` FROM premises
		WHERE ($1 = '' OR region = $1) AND ($2 = '' OR locality = $2) AND ($3 = '' OR street = $3)
		  AND ($4 = '' OR building = $4) AND ($5 = '' OR unit = $5) AND ($6 = '' OR district = $6)
		ORDER BY rka LIMIT $7`,
		[]any{q.Region, q.Locality, q.Street, q.Building, q.Unit, q.District, limitOr(limit)}, scanPremises)
}

// addressColumns are the premises columns of the address fields.
var addressColumns = map[residence.AddressField]string{
	residence.AddressRegion:   "region",
	residence.AddressDistrict: "district",
	residence.AddressLocality: "locality",
	residence.AddressStreet:   "street",
	residence.AddressBuilding: "building",
}

// AddressFacet returns the distinct values of an address column with a
// loose index scan, the same SQL on both engines: a recursive query asks
// the index for the next value after the last one, once per value, instead
// of reading every premises of the region or the city. The columns of
// q.Within become equalities in front of the facet's column, as in
// premises_address_idx (region, locality, street, building, unit) and
// premises_district_idx (region, district, locality).
func (r reader) AddressFacet(ctx context.Context, q residence.AddressFacetQuery) ([]string, error) {
	col, ok := addressColumns[q.Field]
	if !ok {
		return nil, fmt.Errorf("store: address facet: %w", residence.Errorf(residence.EInvalid, "unknown address field %q", q.Field))
	}
	args := []any{q.After, limitOr(q.Limit)}
	var within strings.Builder
	for _, f := range []struct{ col, v string }{
		{"region", q.Within.Region}, {"district", q.Within.District}, {"locality", q.Within.Locality},
		{"street", q.Within.Street}, {"building", q.Within.Building}, {"unit", q.Within.Unit},
	} {
		if f.v != "" {
			args = append(args, f.v)
			fmt.Fprintf(&within, " AND %s = $%d", f.col, len(args))
		}
	}
	next := func(after string) string {
		return `(SELECT ` + col + ` FROM premises WHERE ` + col + ` > ` + after + within.String() + ` ORDER BY ` + col + ` LIMIT 1)`
	}
	return all(ctx, r, "address facet", `
		WITH RECURSIVE facet(v, n) AS (
			SELECT `+next("$1")+`, 1
			UNION ALL
			SELECT `+next("facet.v")+`, facet.n + 1 FROM facet WHERE facet.v IS NOT NULL AND facet.n < $2
		)
		SELECT v FROM facet WHERE v IS NOT NULL ORDER BY n`, args, func(rs rows) (string, error) {
		var s string
		return s, rs.Scan(&s)
	})
}

func scanOwnership(rs rows) (residence.Ownership, error) {
	var o residence.Ownership
	err := rs.Scan(&o.RKA, &o.OwnerIIN, &o.OwnerBIN, &o.Share)
	return o, err
}

// Owners returns the ownership rows of the premises.
func (r reader) Owners(ctx context.Context, rka string) ([]residence.Ownership, error) {
	return all(ctx, r, "owners", sqlOwners, []any{rka}, scanOwnership)
}

// PremisesOwnedBy returns the RKAs owned by the person or the organisation.
func (r reader) PremisesOwnedBy(ctx context.Context, ownerIIN, ownerBIN string) ([]string, error) {
	return all(ctx, r, "premises owned by", `
		SELECT rka FROM ownerships WHERE owner_iin = $1
		UNION
		SELECT rka FROM ownerships WHERE owner_bin = $2
		ORDER BY 1`, []any{ownerIIN, ownerBIN}, func(rs rows) (string, error) {
		var s string
		return s, rs.Scan(&s)
	})
}

// RentalAgreements returns the premises' agreements, newest first.
func (r reader) RentalAgreements(ctx context.Context, rka string) ([]residence.RentalAgreement, error) {
	return all(ctx, r, "rental agreements", `
		SELECT rka, tenant_iin, members, valid_from, valid_until FROM rental_agreements
		WHERE rka = $1 ORDER BY valid_from DESC, tenant_iin`, []any{rka}, func(rs rows) (residence.RentalAgreement, error) {
		var a residence.RentalAgreement
		var members []byte
		if err := rs.Scan(&a.RKA, &a.TenantIIN, jsonCol{&members}, timeCol{&a.ValidFrom}, timeCol{&a.ValidUntil}); err != nil {
			return a, err
		}
		a.Members = []string{}
		if err := json.Unmarshal(members, &a.Members); err != nil {
			return a, fmt.Errorf("decode members: %w", err)
		}
		return a, nil
	})
}

const registrationCols = `id, iin, rka, kind, since, until, status, ended_on, COALESCE(end_reason, ''), COALESCE(application_id, ''), imported`

type registrationRow struct {
	r                    residence.Registration
	kind, status, reason string
}

func (x *registrationRow) dest() []any {
	r := &x.r
	return []any{&r.ID, &r.IIN, &r.RKA, &x.kind, timeCol{&r.Since}, timeCol{&r.Until}, &x.status,
		timeCol{&r.EndedOn}, &x.reason, &r.ApplicationID, &r.Imported}
}

func (x *registrationRow) value() residence.Registration {
	x.r.Kind, x.r.Status, x.r.EndReason = residence.Kind(x.kind), residence.RegistrationStatus(x.status), residence.EndReason(x.reason)
	return x.r
}

func scanRegistration(rs rows) (residence.Registration, error) {
	var x registrationRow
	err := rs.Scan(x.dest()...)
	return x.value(), err
}

// Registration returns the registration with the id, or ErrNotFound.
func (r reader) Registration(ctx context.Context, id string) (residence.Registration, error) {
	return one(ctx, r, "registration", `SELECT `+registrationCols+` FROM registrations WHERE id = $1`, []any{id}, scanRegistration)
}

// Registrations returns the person's registrations, active first, then by
// Since descending.
func (r reader) Registrations(ctx context.Context, iin string) ([]residence.Registration, error) {
	return all(ctx, r, "registrations", sqlRegistrations, []any{iin}, scanRegistration)
}

// Addresses returns the person, their registrations (active first, then by
// Since descending) and the premises those name, in one statement: an
// address lookup is one round trip. ErrNotFound when the person is unknown.
func (r reader) Addresses(ctx context.Context, iin string) (residence.Addresses, error) {
	var c addressCollector
	err := queryAll(ctx, r.q, sqlAddresses, []any{iin}, c.scan)
	return c.result(r.d, err)
}

// sqlAddresses is the one statement of Addresses; addressCollector gathers
// its rows.
const sqlAddresses = `
		SELECT p.iin, p.last_name, p.first_name, p.patronymic, p.birth_date, p.citizenship, p.capacity,
		       p.deceased, p.phone, p.consular_abroad,
		       COALESCE(g.id, ''), COALESCE(g.iin, ''), COALESCE(g.rka, ''), COALESCE(g.kind, ''), g.since, g.until,
		       COALESCE(g.status, ''), g.ended_on, COALESCE(g.end_reason, ''), COALESCE(g.application_id, ''),
		       COALESCE(g.imported, false),
		       COALESCE(m.rka, ''), COALESCE(m.region, ''), COALESCE(m.district, ''), COALESCE(m.locality, ''),
		       COALESCE(m.street, ''), COALESCE(m.building, ''), COALESCE(m.unit, ''), COALESCE(m.kind, ''),
		       COALESCE(m.state_rental, false), COALESCE(m.area_m2, 0)
		FROM persons p
		LEFT JOIN registrations g ON g.iin = p.iin
		LEFT JOIN premises m ON m.rka = g.rka
		WHERE p.iin = $1
		ORDER BY CASE g.status WHEN 'active' THEN 0 ELSE 1 END, g.since DESC, g.id`

type addressCollector struct {
	out   residence.Addresses
	found bool
	// p, g and m receive each row through dest, made once: every column
	// is written by every row (NULLs as zero values).
	p    personRow
	g    registrationRow
	m    premisesRow
	dest []any
}

func (c *addressCollector) scan(rs rows) error {
	if c.dest == nil {
		c.dest = make([]any, 0, 31)
		c.dest = append(append(append(c.dest, c.p.dest()...), c.g.dest()...), c.m.dest()...)
	}
	if err := rs.Scan(c.dest...); err != nil {
		return err
	}
	if !c.found {
		c.out.Person, c.out.Premises, c.found = c.p.value(), map[string]residence.Premises{}, true
	}
	if c.g.r.ID == "" {
		return nil // no registrations
	}
	c.out.Registrations = append(c.out.Registrations, c.g.value())
	if c.m.p.RKA != "" {
		c.out.Premises[c.m.p.RKA] = c.m.value()
	}
	return nil
}

func (c *addressCollector) result(d *dialect, err error) (residence.Addresses, error) {
	if err == nil && !c.found {
		err = errNoRows
	}
	if err != nil {
		return residence.Addresses{}, d.translate(err, "addresses", "")
	}
	return c.out, nil
}

// Residents returns the active registrations at the premises.
func (r reader) Residents(ctx context.Context, rka string) ([]residence.Registration, error) {
	return all(ctx, r, "residents", `
		SELECT `+registrationCols+` FROM registrations WHERE rka = $1 AND status = 'active'
		ORDER BY since, id`, []any{rka}, scanRegistration)
}

const applicationCols = `id, action, kind, applicant_iin, subject_iin, rka, reason, stay_from, stay_until, arrived_on,
	channel, signature, signer_iin, operator_id, status, decision, COALESCE(registration_id, ''),
	COALESCE(idempotency_key, ''), created_at, decided_at, updated_at, idempotency_hash, COALESCE(otp_id, '')`

func scanApplication(rs rows) (residence.Application, error) {
	var a residence.Application
	var action, kind, channel, signature, status string
	var decision []byte
	err := rs.Scan(&a.ID, &action, &kind, &a.ApplicantIIN, &a.SubjectIIN, &a.RKA, &a.Reason,
		timeCol{&a.StayFrom}, timeCol{&a.StayUntil}, timeCol{&a.ArrivedOn}, &channel, &signature,
		&a.SignerIIN, &a.OperatorID, &status, jsonCol{&decision}, &a.RegistrationID, &a.IdempotencyKey,
		timeCol{&a.CreatedAt}, timeCol{&a.DecidedAt}, timeCol{&a.UpdatedAt}, &a.IdempotencyHash, &a.OTPID)
	if err != nil {
		return a, err
	}
	a.Action, a.Kind, a.Channel = residence.Action(action), residence.Kind(kind), residence.Channel(channel)
	a.Signature, a.Status = residence.SignatureMethod(signature), residence.ApplicationStatus(status)
	if len(decision) > 0 {
		if a.Decision, err = residence.DecodeDecision(decision); err != nil {
			return a, fmt.Errorf("decode decision: %w", err)
		}
	}
	return a, nil
}

// Application returns the application with the id, or ErrNotFound.
func (r reader) Application(ctx context.Context, id string) (residence.Application, error) {
	return one(ctx, r, "application", `SELECT `+applicationCols+` FROM applications WHERE id = $1`, []any{id}, scanApplication)
}

// ApplicationByIdempotencyKey finds the application submitted by the
// applicant with the key, or returns ErrNotFound.
func (r reader) ApplicationByIdempotencyKey(ctx context.Context, applicantIIN, key string) (residence.Application, error) {
	return one(ctx, r, "application by idempotency key", `SELECT `+applicationCols+` FROM applications
		WHERE applicant_iin = $1 AND idempotency_key = $2`, []any{applicantIIN, key}, scanApplication)
}

// ApplicationsFor returns the applications in which iin is the applicant or
// the subject, newest first.
func (r reader) ApplicationsFor(ctx context.Context, iin string, limit int) ([]residence.Application, error) {
	return all(ctx, r, "applications for", `SELECT `+applicationCols+` FROM applications
		WHERE applicant_iin = $1 OR subject_iin = $1
		ORDER BY created_at DESC, id DESC LIMIT $2`, []any{iin, limitOr(limit)}, scanApplication)
}

// ApplicationsByReference returns the applications whose id ends in suffix,
// through the index on substr(id, 27) (migration 0013).
func (r reader) ApplicationsByReference(ctx context.Context, suffix string, limit int) ([]residence.Application, error) {
	return all(ctx, r, "applications by reference", `SELECT `+applicationCols+` FROM applications
		WHERE substr(id, 27) = $1
		ORDER BY created_at DESC, id DESC LIMIT $2`, []any{suffix, limitOr(limit)}, scanApplication)
}

const consentCols = `id, application_id, COALESCE(owner_iin, ''), COALESCE(owner_bin, ''), channel, status, code_hash,
	attempts, created_at, expires_at, answered_at, answered_by, kind`

func scanConsent(rs rows) (residence.ConsentTask, error) {
	var c residence.ConsentTask
	var channel, status, kind string
	err := rs.Scan(&c.ID, &c.ApplicationID, &c.OwnerIIN, &c.OwnerBIN, &channel, &status, &c.CodeHash,
		&c.Attempts, timeCol{&c.CreatedAt}, timeCol{&c.ExpiresAt}, timeCol{&c.AnsweredAt}, &c.AnsweredBy, &kind)
	c.Channel, c.Status = residence.ConsentChannel(channel), residence.ConsentStatus(status)
	c.Kind = residence.ConsentKind(kind)
	return c, err
}

// ConsentTask returns the task with the id, or ErrNotFound.
func (r reader) ConsentTask(ctx context.Context, id string) (residence.ConsentTask, error) {
	return one(ctx, r, "consent task", `SELECT `+consentCols+` FROM consent_tasks WHERE id = $1`, []any{id}, scanConsent)
}

// ConsentTasks returns the application's tasks, oldest first.
func (r reader) ConsentTasks(ctx context.Context, applicationID string) ([]residence.ConsentTask, error) {
	return all(ctx, r, "consent tasks", `SELECT `+consentCols+` FROM consent_tasks
		WHERE application_id = $1 ORDER BY created_at, id`, []any{applicationID}, scanConsent)
}

// PendingConsentTasksFor returns the tasks still open for the owner (or
// subject) and the petitions of the organisations the IIN represents, oldest
// first: pending ones, and those locked by wrong codes, which their owner
// may still decline or answer by EDS. Both halves use partial indexes on
// open tasks.
func (r reader) PendingConsentTasksFor(ctx context.Context, iin string) ([]residence.ConsentTask, error) {
	return all(ctx, r, "pending consent tasks", `
		SELECT `+consentCols+` FROM consent_tasks WHERE status IN ('pending', 'locked') AND owner_iin = $1
		UNION ALL
		SELECT `+consentCols+` FROM consent_tasks WHERE status IN ('pending', 'locked')
		  AND owner_bin IN (SELECT bin FROM organisation_representatives WHERE iin = $1)
		ORDER BY 9, 1`, []any{iin}, scanConsent)
}

const otpCols = `id, iin, purpose, code_hash, attempts, created_at, expires_at, used_at, locked, client`

func scanOTP(rs rows) (residence.OTP, error) {
	var o residence.OTP
	var purpose string
	err := rs.Scan(&o.ID, &o.IIN, &purpose, &o.CodeHash, &o.Attempts, timeCol{&o.CreatedAt}, timeCol{&o.ExpiresAt},
		timeCol{&o.UsedAt}, &o.Locked, &o.Client)
	o.Purpose = residence.OTPPurpose(purpose)
	return o, err
}

// OTP returns the one-time password with the id, or ErrNotFound.
func (r reader) OTP(ctx context.Context, id string) (residence.OTP, error) {
	return one(ctx, r, "otp", `SELECT `+otpCols+` FROM otps WHERE id = $1`, []any{id}, scanOTP)
}

// LatestOTP returns the newest OTP of the person for the purpose that the
// client asked for, or ErrNotFound.
func (r reader) LatestOTP(ctx context.Context, iin string, purpose residence.OTPPurpose, client string) (residence.OTP, error) {
	return one(ctx, r, "latest otp", `SELECT `+otpCols+` FROM otps WHERE iin = $1 AND client = $3 AND purpose = $2
		ORDER BY created_at DESC, id DESC LIMIT 1`, []any{iin, string(purpose), client}, scanOTP)
}

// CountOTPsSince counts the OTPs created for the person at the client's
// request since t.
func (r reader) CountOTPsSince(ctx context.Context, iin, client string, since time.Time) (int, error) {
	return one(ctx, r, "count otps", `SELECT count(*) FROM otps WHERE iin = $1 AND client = $2 AND created_at >= $3`,
		[]any{iin, client, r.d.ts(since)}, func(rs rows) (int, error) {
			var n int
			return n, rs.Scan(&n)
		})
}

const smsCols = `id, to_phone, from_phone, text, status, recipient_iin, application_id, COALESCE(provider_id, ''),
	attempts, last_error, created_at, updated_at`

func scanSMS(rs rows) (residence.SMS, error) {
	var m residence.SMS
	var status string
	err := rs.Scan(&m.ID, &m.To, &m.From, &m.Text, &status, &m.RecipientIIN, &m.ApplicationID, &m.ProviderID,
		&m.Attempts, &m.LastError, timeCol{&m.CreatedAt}, timeCol{&m.UpdatedAt})
	m.Status = residence.SMSStatus(status)
	return m, err
}

// SMS returns the message with the id, or ErrNotFound.
func (r reader) SMS(ctx context.Context, id string) (residence.SMS, error) {
	return one(ctx, r, "sms", `SELECT `+smsCols+` FROM sms WHERE id = $1`, []any{id}, scanSMS)
}

// ListSMS returns the newest limit messages in oldest-first order.
func (r reader) ListSMS(ctx context.Context, limit int) ([]residence.SMS, error) {
	return all(ctx, r, "list sms", `SELECT * FROM (
		SELECT `+smsCols+` FROM sms ORDER BY created_at DESC, id DESC LIMIT $1) s
		ORDER BY created_at, id`, []any{limitOr(limit)}, scanSMS)
}

// SMSByProviderID finds a message by the SMS centre's id, or returns
// ErrNotFound.
func (r reader) SMSByProviderID(ctx context.Context, providerID string) (residence.SMS, error) {
	return one(ctx, r, "sms by provider id", `SELECT `+smsCols+` FROM sms WHERE provider_id = $1`, []any{providerID}, scanSMS)
}

const eventCols = `id, type, at, person_iin, actor_iin, actor_role, rka, application_id, registration_id, message, data,
	COALESCE(seq, 0), COALESCE(hash, '')`

func scanEvent(rs rows) (residence.Event, error) {
	var e residence.Event
	var message, data []byte
	err := rs.Scan(&e.ID, &e.Type, timeCol{&e.At}, &e.PersonIIN, &e.ActorIIN, &e.ActorRole, &e.RKA,
		&e.ApplicationID, &e.RegistrationID, jsonCol{&message}, jsonCol{&data}, &e.Seq, &e.Hash)
	if err != nil {
		return e, err
	}
	if len(message) > 0 {
		if e.Message, err = residence.DecodeText(message); err != nil {
			return e, fmt.Errorf("decode message: %w", err)
		}
	}
	if len(data) > 0 {
		e.Data = data
	}
	return e, nil
}

// Events returns sealed events with Seq > after in Seq order; unsealed ones
// are not in the feed yet.
func (r reader) Events(ctx context.Context, after int64, limit int) ([]residence.Event, error) {
	return all(ctx, r, "events", `SELECT `+eventCols+` FROM events WHERE seq > $1 ORDER BY seq LIMIT $2`,
		[]any{after, limitOr(limit)}, scanEvent)
}

// PersonEvents returns the person's events of the given types, newest first.
func (r reader) PersonEvents(ctx context.Context, iin string, types []string, limit int) ([]residence.Event, error) {
	if len(types) == 0 {
		return all(ctx, r, "person events", `SELECT `+eventCols+` FROM events WHERE person_iin = $1
			ORDER BY id DESC LIMIT $2`, []any{iin, limitOr(limit)}, scanEvent)
	}
	return all(ctx, r, "person events", `SELECT `+eventCols+` FROM events WHERE person_iin = $1
		AND type IN (`+r.d.list("$3")+`) ORDER BY id DESC LIMIT $2`, []any{iin, limitOr(limit), stringsJSON(types)}, scanEvent)
}

// TokenByHash returns the token with the hash, or ErrNotFound.
func (r reader) TokenByHash(ctx context.Context, hash []byte) (residence.Token, error) {
	return one(ctx, r, "token", `SELECT id, name, role, hash, purposes, created_at, revoked_at FROM tokens WHERE hash = $1`,
		[]any{hash}, func(rs rows) (residence.Token, error) {
			var t residence.Token
			var role, purposes string
			err := rs.Scan(&t.ID, &t.Name, &role, &t.Hash, &purposes, timeCol{&t.CreatedAt}, timeCol{&t.RevokedAt})
			t.Role = residence.Role(role)
			for _, p := range strings.Split(purposes, ",") {
				if p != "" {
					t.Purposes = append(t.Purposes, residence.Purpose(p))
				}
			}
			return t, err
		})
}

// existing returns which of keys are in column col of table.
func (r reader) existing(ctx context.Context, op, table, col string, keys []string) (map[string]bool, error) {
	out := make(map[string]bool, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	err := queryAll(ctx, r.q, `SELECT `+col+` FROM `+table+` WHERE `+col+` IN (`+r.d.list("$1")+`)`,
		[]any{stringsJSON(keys)}, func(rs rows) error {
			var k string
			if err := rs.Scan(&k); err != nil {
				return err
			}
			out[k] = true
			return nil
		})
	if err != nil {
		return nil, r.d.translate(err, op, "")
	}
	return out, nil
}

// ExistingPersons returns the subset of iins that are in the registry.
func (r reader) ExistingPersons(ctx context.Context, iins []string) (map[string]bool, error) {
	return r.existing(ctx, "existing persons", "persons", "iin", iins)
}

// ExistingOrganisations returns the subset of bins that are in the registry.
func (r reader) ExistingOrganisations(ctx context.Context, bins []string) (map[string]bool, error) {
	return r.existing(ctx, "existing organisations", "organisations", "bin", bins)
}

// ExistingPremises returns the subset of rkas that are in the register.
func (r reader) ExistingPremises(ctx context.Context, rkas []string) (map[string]bool, error) {
	return r.existing(ctx, "existing premises", "premises", "rka", rkas)
}

var _ residence.Reader = reader{}
