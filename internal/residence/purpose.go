package residence

import (
	"slices"
	"strings"
)

// Purpose is what an agency's token allows it to read. Each read an agency
// makes needs the purpose of that read, and the purpose is written into the
// access-log record the person sees. Staff (operators, administrators) are
// not limited by purposes: their role is their right.
type Purpose string

// The purposes of agency tokens.
const (
	// PurposeAddressRead reads a person's registered address by IIN
	// (GET /api/v1/persons/{iin}/registrations).
	PurposeAddressRead Purpose = "address:read"
	// PurposeResidentsRead lists who is registered at premises
	// (GET /api/v1/premises/{rka}/residents).
	PurposeResidentsRead Purpose = "residents:read"
	// PurposeEventsRead follows the registration event feed
	// (GET /api/v1/events).
	PurposeEventsRead Purpose = "events:read"
)

// Purposes lists every purpose, in the order they are documented.
var Purposes = []Purpose{PurposeAddressRead, PurposeResidentsRead, PurposeEventsRead}

// DefaultPurposes are those of an agency token created without any: it
// reads addresses by IIN, nothing else.
var DefaultPurposes = []Purpose{PurposeAddressRead}

// ParsePurposes reads a comma-separated list of purposes ("" is none).
// Errors: invalid, naming the unknown purpose.
func ParsePurposes(s string) ([]Purpose, error) {
	var out []Purpose
	for _, f := range strings.Split(s, ",") {
		p := Purpose(strings.TrimSpace(f))
		if p == "" {
			continue
		}
		if !slices.Contains(Purposes, p) {
			return nil, Errorf(EInvalid, "unknown purpose %q (known: %s)", p, JoinPurposes(Purposes))
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out, nil
}

// JoinPurposes writes purposes as a comma-separated list.
func JoinPurposes(ps []Purpose) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = string(p)
	}
	return strings.Join(s, ",")
}

// needs checks that an agency actor's token carries purpose p; any other
// actor passes (the use case checks its own rights). Errors: purpose_missing.
func (a Actor) needs(p Purpose) error {
	if a.Role != RoleAgency || slices.Contains(a.Purposes, p) {
		return nil
	}
	return &Error{Code: EPurposeMissing, Text: Text{
		KK: "Токеннің мақсаттары бұл оқуды қамтымайды: " + string(p) + " мақсаты бар токен қажет.",
		RU: "Цели токена не охватывают это чтение: нужен токен с целью " + string(p) + ".",
		EN: "The token's purposes do not cover this read: it needs a token with the purpose " + string(p) + ".",
	}}
}

// readPurpose is the purpose written into an access-log record: an agency's
// token purpose, "staff" for operators and administrators, and for citizens
// (and anonymous callers) the ground the use case found, such as "owner" or
// "legal_representative".
func readPurpose(a Actor, agency Purpose, citizen string) string {
	switch {
	case a.Role == RoleAgency:
		return string(agency)
	case a.IsStaff():
		return "staff"
	}
	return citizen
}
