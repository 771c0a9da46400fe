package registry

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"tirkeu/internal/iin"
	"tirkeu/internal/residence"
)

// Record types of the import format, the value of each line's "type" field.
const (
	TypePerson       = "person"
	TypeRelation     = "relation"
	TypeOrganisation = "organisation"
	TypePremises     = "premises"
	TypeOwnership    = "ownership"
	TypeRental       = "rental"
	TypeRegistration = "registration"
)

// DateLayout is the layout of every date in the import format.
const DateLayout = "2006-01-02"

// Record is one decoded line of a registry file. Type names the record type
// and exactly the matching pointer field is set.
type Record struct {
	Type         string
	Person       *residence.Person
	Relation     *residence.Relation
	Organisation *residence.Organisation
	Premises     *residence.Premises
	Ownership    *residence.Ownership
	Rental       *residence.RentalAgreement
	Registration *residence.Registration
}

// Decode turns one line into a Record without the semantic checks of
// Validate: it fails on malformed JSON, an unknown or missing type, unknown
// fields, values of the wrong JSON type and dates or shares that do not parse.
func Decode(line []byte) (Record, error) {
	typ, err := recordType(line)
	if err != nil {
		return Record{}, err
	}
	rec := Record{Type: typ}
	switch typ {
	case TypePerson:
		var w personWire
		if err := strictUnmarshal(line, &w); err != nil {
			return rec, err
		}
		p := residence.Person{IIN: w.IIN, LastName: w.LastName, FirstName: w.FirstName, Patronymic: w.Patronymic,
			Citizenship: w.Citizenship, Capacity: w.Capacity, Deceased: w.Deceased, Phone: w.Phone, ConsularAbroad: w.ConsularAbroad}
		if p.BirthDate, err = parseDate("birth_date", w.BirthDate, true); err != nil {
			return rec, err
		}
		if p.Phone != "" {
			// The registers spell numbers as +7…, 8… or 7…, with spaces,
			// dashes or parentheses; one canonical form is stored.
			canonical, ok := residence.ParsePhone(p.Phone)
			if !ok {
				return rec, errPhone
			}
			p.Phone = canonical
		}
		rec.Person = &p
	case TypeRelation:
		var w relationWire
		if err := strictUnmarshal(line, &w); err != nil {
			return rec, err
		}
		rec.Relation = &residence.Relation{Kind: w.Kind, From: w.From, To: w.To}
	case TypeOrganisation:
		var w organisationWire
		if err := strictUnmarshal(line, &w); err != nil {
			return rec, err
		}
		reps := w.Representatives
		if reps == nil {
			reps = []string{}
		}
		rec.Organisation = &residence.Organisation{BIN: w.BIN, Name: w.Name, Representatives: reps}
	case TypePremises:
		var w premisesWire
		if err := strictUnmarshal(line, &w); err != nil {
			return rec, err
		}
		p := residence.Premises{RKA: w.RKA, Region: w.Region, District: w.District, Locality: w.Locality,
			Street: w.Street, Building: w.Building, Unit: w.Unit, Kind: w.Kind, StateRental: w.StateRental}
		if w.AreaM2 != nil {
			if *w.AreaM2 <= 0 || math.IsInf(*w.AreaM2, 0) {
				return rec, errors.New("area_m2: must be a positive number")
			}
			p.AreaM2 = *w.AreaM2
		}
		rec.Premises = &p
	case TypeOwnership:
		var w ownershipWire
		if err := strictUnmarshal(line, &w); err != nil {
			return rec, err
		}
		o := residence.Ownership{RKA: w.RKA, OwnerIIN: w.OwnerIIN, OwnerBIN: w.OwnerBIN}
		if o.Share, err = parseShare(w.Share); err != nil {
			return rec, err
		}
		rec.Ownership = &o
	case TypeRental:
		var w rentalWire
		if err := strictUnmarshal(line, &w); err != nil {
			return rec, err
		}
		members := w.Members
		if members == nil {
			members = []string{}
		}
		a := residence.RentalAgreement{RKA: w.RKA, TenantIIN: w.TenantIIN, Members: members}
		if a.ValidFrom, err = parseDate("valid_from", w.ValidFrom, true); err != nil {
			return rec, err
		}
		if a.ValidUntil, err = parseDate("valid_until", w.ValidUntil, true); err != nil {
			return rec, err
		}
		rec.Rental = &a
	case TypeRegistration:
		var w registrationWire
		if err := strictUnmarshal(line, &w); err != nil {
			return rec, err
		}
		g := residence.Registration{IIN: w.IIN, RKA: w.RKA, Kind: w.Kind, Status: residence.RegistrationActive, Imported: true}
		if g.Since, err = parseDate("since", w.Since, true); err != nil {
			return rec, err
		}
		if g.Until, err = parseDate("until", w.Until, false); err != nil {
			return rec, err
		}
		rec.Registration = &g
	}
	return rec, nil
}

// Validate checks a decoded record on its own: check digits of IINs and
// BINs, enumerations, required fields, the share range and the order of
// dates.
func Validate(rec Record) error {
	switch rec.Type {
	case TypePerson:
		p := rec.Person
		return first(
			checkIIN("iin", p.IIN),
			required("last_name", p.LastName),
			required("first_name", p.FirstName),
			text("patronymic", p.Patronymic),
			checkCitizenship(p.Citizenship),
			checkCapacity(p.Capacity),
			checkPhone(p.Phone),
		)
	case TypeRelation:
		r := rec.Relation
		if r.Kind != residence.RelationParent && r.Kind != residence.RelationGuardian {
			return enumError("kind", string(r.Kind), "parent", "guardian")
		}
		if err := first(checkIIN("from", r.From), checkIIN("to", r.To)); err != nil {
			return err
		}
		if r.From == r.To {
			return errors.New("to: a person cannot be their own " + string(r.Kind))
		}
	case TypeOrganisation:
		o := rec.Organisation
		if err := first(checkIIN("bin", o.BIN), required("name", o.Name)); err != nil {
			return err
		}
		for i, rep := range o.Representatives {
			if err := checkIIN(fmt.Sprintf("representatives[%d]", i), rep); err != nil {
				return err
			}
		}
	case TypePremises:
		p := rec.Premises
		if err := first(checkRKA("rka", p.RKA), required("region", p.Region), text("district", p.District),
			required("locality", p.Locality), text("street", p.Street), required("building", p.Building),
			text("unit", p.Unit)); err != nil {
			return err
		}
		if p.Kind == "" {
			return errors.New("kind: required")
		}
		if !p.Kind.Residential() {
			names := make([]string, len(residence.PremisesKinds))
			for i, k := range residence.PremisesKinds {
				names[i] = string(k)
			}
			return enumError("kind", string(p.Kind), names...)
		}
		if p.AreaM2 < 0 {
			return errors.New("area_m2: must be a positive number")
		}
	case TypeOwnership:
		o := rec.Ownership
		if err := checkRKA("rka", o.RKA); err != nil {
			return err
		}
		switch {
		case o.OwnerIIN != "" && o.OwnerBIN != "":
			return errors.New("owner_iin, owner_bin: exactly one is allowed")
		case o.OwnerIIN != "":
			if err := checkIIN("owner_iin", o.OwnerIIN); err != nil {
				return err
			}
		case o.OwnerBIN != "":
			if err := checkIIN("owner_bin", o.OwnerBIN); err != nil {
				return err
			}
		default:
			return errors.New("owner_iin, owner_bin: one is required")
		}
		if !(o.Share > 0 && o.Share <= 1) {
			return errors.New("share: must be in (0, 1]")
		}
	case TypeRental:
		a := rec.Rental
		if err := first(checkRKA("rka", a.RKA), checkIIN("tenant_iin", a.TenantIIN)); err != nil {
			return err
		}
		for i, m := range a.Members {
			if err := checkIIN(fmt.Sprintf("members[%d]", i), m); err != nil {
				return err
			}
		}
		if a.ValidFrom.IsZero() || a.ValidUntil.IsZero() {
			return errors.New("valid_from, valid_until: required")
		}
		if a.ValidUntil.Before(a.ValidFrom) {
			return errors.New("valid_until: before valid_from")
		}
	case TypeRegistration:
		g := rec.Registration
		if err := first(checkIIN("iin", g.IIN), checkRKA("rka", g.RKA)); err != nil {
			return err
		}
		if g.Since.IsZero() {
			return errors.New("since: required")
		}
		switch g.Kind {
		case residence.Permanent:
			if !g.Until.IsZero() {
				return errors.New("until: only a temporary registration has an end date")
			}
		case residence.Temporary:
			if g.Until.IsZero() {
				return errors.New("until: required for a temporary registration")
			}
			if g.Until.Before(g.Since) {
				return errors.New("until: before since")
			}
		case "":
			return errors.New("kind: required")
		default:
			return enumError("kind", string(g.Kind), "permanent", "temporary")
		}
	default:
		return fmt.Errorf("unknown type %q", rec.Type)
	}
	return nil
}

// Wire forms of the records: what a line holds, before conversion. Dates and
// shares stay raw so that their errors name the field.
type (
	personWire struct {
		Type           string             `json:"type"`
		IIN            string             `json:"iin"`
		LastName       string             `json:"last_name"`
		FirstName      string             `json:"first_name"`
		Patronymic     string             `json:"patronymic"`
		BirthDate      string             `json:"birth_date"`
		Citizenship    string             `json:"citizenship"`
		Capacity       residence.Capacity `json:"capacity"`
		Deceased       bool               `json:"deceased"`
		Phone          string             `json:"phone"`
		ConsularAbroad bool               `json:"consular_abroad"`
	}
	relationWire struct {
		Type string                 `json:"type"`
		Kind residence.RelationKind `json:"kind"`
		From string                 `json:"from"`
		To   string                 `json:"to"`
	}
	organisationWire struct {
		Type            string   `json:"type"`
		BIN             string   `json:"bin"`
		Name            string   `json:"name"`
		Representatives []string `json:"representatives"`
	}
	premisesWire struct {
		Type        string                 `json:"type"`
		RKA         string                 `json:"rka"`
		Region      string                 `json:"region"`
		District    string                 `json:"district"`
		Locality    string                 `json:"locality"`
		Street      string                 `json:"street"`
		Building    string                 `json:"building"`
		Unit        string                 `json:"unit"`
		Kind        residence.PremisesKind `json:"kind"`
		StateRental bool                   `json:"state_rental"`
		AreaM2      *float64               `json:"area_m2"`
	}
	ownershipWire struct {
		Type     string          `json:"type"`
		RKA      string          `json:"rka"`
		OwnerIIN string          `json:"owner_iin"`
		OwnerBIN string          `json:"owner_bin"`
		Share    json.RawMessage `json:"share"`
	}
	rentalWire struct {
		Type       string   `json:"type"`
		RKA        string   `json:"rka"`
		TenantIIN  string   `json:"tenant_iin"`
		Members    []string `json:"members"`
		ValidFrom  string   `json:"valid_from"`
		ValidUntil string   `json:"valid_until"`
	}
	registrationWire struct {
		Type  string         `json:"type"`
		IIN   string         `json:"iin"`
		RKA   string         `json:"rka"`
		Kind  residence.Kind `json:"kind"`
		Since string         `json:"since"`
		Until string         `json:"until"`
	}
)

// recordType returns the value of the line's "type" field. The format puts
// it first, which the fast path reads without decoding the whole line; a
// line with the type elsewhere is still accepted.
func recordType(line []byte) (string, error) {
	s := bytes.TrimLeft(line, " \t")
	if rest, ok := bytes.CutPrefix(s, []byte(`{"type":"`)); ok {
		if i := bytes.IndexByte(rest, '"'); i >= 0 && bytes.IndexByte(rest[:i], '\\') < 0 {
			return knownType(string(rest[:i]))
		}
	}
	var head struct {
		Type *json.RawMessage `json:"type"`
	}
	if err := json.Unmarshal(line, &head); err != nil {
		return "", jsonError(err)
	}
	if head.Type == nil {
		return "", errors.New("type: required")
	}
	var t string
	if err := json.Unmarshal(*head.Type, &t); err != nil {
		return "", errors.New("type: must be a string")
	}
	return knownType(t)
}

func knownType(t string) (string, error) {
	switch t {
	case TypePerson, TypeRelation, TypeOrganisation, TypePremises, TypeOwnership, TypeRental, TypeRegistration:
		return t, nil
	}
	if len(t) > 40 {
		t = t[:40] + "…"
	}
	return "", fmt.Errorf("unknown type %q", t)
}

// strictUnmarshal decodes exactly one JSON object into v, refusing unknown
// fields and trailing data.
func strictUnmarshal(line []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return errors.New("malformed JSON: more than one value on the line")
	}
	if _, err := dec.Token(); err == nil {
		return errors.New("malformed JSON: more than one value on the line")
	}
	return nil
}

// jsonError turns an encoding/json error into a reason that names the field
// and leaves out Go type names and values.
func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("malformed JSON at byte %d: %s", syn.Offset, syn.Error())
	case errors.As(err, &typ):
		if typ.Field == "" {
			return fmt.Errorf("malformed JSON: expected an object, got %s", typ.Value)
		}
		return fmt.Errorf("%s: wrong JSON type (%s)", typ.Field, typ.Value)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("malformed JSON: unexpected end of line")
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if strings.HasPrefix(msg, "unknown field") {
		return errors.New(msg)
	}
	return errors.New("malformed JSON: " + msg)
}

func parseDate(field, s string, req bool) (time.Time, error) {
	if s == "" {
		if req {
			return time.Time{}, fmt.Errorf("%s: required", field)
		}
		return time.Time{}, nil
	}
	d, err := time.Parse(DateLayout, s)
	if err != nil || len(s) != len(DateLayout) {
		return time.Time{}, fmt.Errorf("%s: not a date YYYY-MM-DD", field)
	}
	if d.Year() < 1850 || d.Year() > 2200 {
		return time.Time{}, fmt.Errorf("%s: year out of range", field)
	}
	return d, nil
}

// parseShare reads a share given as a JSON number or as a string "a/b".
func parseShare(raw json.RawMessage) (float64, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return 0, errors.New("share: required")
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, errors.New("share: not a number or a fraction a/b")
		}
		a, b, ok := strings.Cut(strings.TrimSpace(s), "/")
		if !ok {
			return 0, errors.New("share: not a number or a fraction a/b")
		}
		n, err1 := strconv.ParseUint(strings.TrimSpace(a), 10, 32)
		d, err2 := strconv.ParseUint(strings.TrimSpace(b), 10, 32)
		if err1 != nil || err2 != nil {
			return 0, errors.New("share: not a number or a fraction a/b")
		}
		if n == 0 || d == 0 || n > d {
			return 0, errors.New("share: must be in (0, 1]")
		}
		return float64(n) / float64(d), nil
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil {
		return 0, errors.New("share: not a number or a fraction a/b")
	}
	if !(f > 0 && f <= 1) {
		return 0, errors.New("share: must be in (0, 1]")
	}
	return f, nil
}

func first(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func checkIIN(field, s string) error {
	if s == "" {
		return fmt.Errorf("%s: required", field)
	}
	if err := iin.Validate(s); err != nil {
		return fmt.Errorf("%s: %w", field, err)
	}
	return nil
}

// checkRKA accepts a code of the shape residence.RKAShape allows.
func checkRKA(field, s string) error {
	if err := residence.RKAShape(s); err != nil {
		return fmt.Errorf("%s: %w", field, err)
	}
	return nil
}

func required(field, s string) error {
	if strings.TrimSpace(s) == "" {
		return fmt.Errorf("%s: required", field)
	}
	return text(field, s)
}

// text checks an optional free-text field.
func text(field, s string) error {
	if len(s) > 500 {
		return fmt.Errorf("%s: longer than 500 bytes", field)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return fmt.Errorf("%s: contains a control character", field)
		}
	}
	return nil
}

func checkCitizenship(s string) error {
	if s == "" {
		return errors.New("citizenship: required")
	}
	if len(s) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' {
		return errors.New("citizenship: must be an ISO 3166 alpha-2 code such as KZ")
	}
	return nil
}

func checkCapacity(c residence.Capacity) error {
	switch c {
	case residence.CapacityFull, residence.CapacityPartial, residence.CapacityIncapable:
		return nil
	case "":
		return errors.New("capacity: required")
	}
	return enumError("capacity", string(c), "full", "partial", "incapable")
}

// errPhone is the reason for a phone that is not a Kazakhstan mobile number
// in any of its spellings; it never quotes the number.
var errPhone = errors.New("phone: must be a Kazakhstan mobile number: 7XXXXXXXXXX, +7XXXXXXXXXX or 8XXXXXXXXXX (spaces, dashes and parentheses allowed)")

// checkPhone accepts an empty phone (not in the MCD) or a Kazakhstan MSISDN
// in its canonical form (Decode has already canonicalised the spellings).
func checkPhone(s string) error {
	if s == "" {
		return nil
	}
	if c, ok := residence.ParsePhone(s); !ok || c != s {
		return errPhone
	}
	return nil
}

func enumError(field, got string, allowed ...string) error {
	if len(got) > 40 {
		got = got[:40] + "…"
	}
	return fmt.Errorf("%s: %q is not one of %s", field, got, strings.Join(allowed, ", "))
}
