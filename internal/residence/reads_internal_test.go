package residence

import (
	"slices"
	"testing"
	"time"
)

func TestLegalRepresentative(t *testing.T) {
	t.Parallel()
	today := time.Date(2026, 11, 22, 0, 0, 0, 0, Almaty)
	born := func(years int) time.Time { return AddMonths(today, -12*years) }
	const rep, child = "rep", "child"
	parent := []Relation{{Kind: RelationParent, From: rep, To: child}}
	guardian := []Relation{{Kind: RelationGuardian, From: rep, To: child}}
	reverse := []Relation{{Kind: RelationParent, From: child, To: rep}}
	tests := []struct {
		name    string
		rels    []Relation
		subject Person
		want    bool
	}{
		{"parent of a 15-year-old", parent, Person{IIN: child, BirthDate: born(15), Capacity: CapacityFull}, true},
		{"parent of a 17-year-old", parent, Person{IIN: child, BirthDate: born(18).AddDate(0, 0, 1), Capacity: CapacityFull}, true},
		{"parent on the 18th birthday", parent, Person{IIN: child, BirthDate: born(18), Capacity: CapacityFull}, false},
		{"parent of an adult child", parent, Person{IIN: child, BirthDate: born(30), Capacity: CapacityFull}, false},
		{"parent of an incapacitated adult who is not their guardian", parent, Person{IIN: child, BirthDate: born(30), Capacity: CapacityIncapable}, false},
		{"guardian of an incapacitated adult", guardian, Person{IIN: child, BirthDate: born(30), Capacity: CapacityIncapable}, true},
		{"guardian of a partially incapacitated adult", guardian, Person{IIN: child, BirthDate: born(30), Capacity: CapacityPartial}, true},
		{"guardian of a minor", guardian, Person{IIN: child, BirthDate: born(10), Capacity: CapacityFull}, true},
		{"former guardian of an adult restored to capacity", guardian, Person{IIN: child, BirthDate: born(30), Capacity: CapacityFull}, false},
		{"the child of the reader", reverse, Person{IIN: child, BirthDate: born(10)}, false},
		{"no relation", nil, Person{IIN: child, BirthDate: born(10)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := legalRepresentative(tt.rels, rep, tt.subject, today); got != tt.want {
				t.Fatalf("legalRepresentative = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDiscreetDecision(t *testing.T) {
	t.Parallel()
	effects := []Effect{{RegistrationID: "r1", RKA: "old", Kind: Permanent, EndReason: EndMoved}}
	for _, rule := range subjectRules {
		for _, status := range []ApplicationStatus{StatusRejected, StatusInPersonRequired} {
			d := discreetDecision(Decision{Status: status, Rule: rule, Message: Text{EN: "the subject's facts"}, Effects: effects})
			if d.Rule != RuleApplicantAuthority || d.Status != StatusRejected || d.Message != textCannotApplyFor || d.Effects != nil {
				t.Errorf("%s %s: %+v", rule, status, d)
			}
		}
	}
	// A decision on the premises or the owners stays, without effects.
	for _, d := range []Decision{
		{Status: StatusAwaitingConsent, Rule: RuleOwnerConsent, Message: Text{EN: "consent"}, Effects: effects},
		{Status: StatusRegistered, Message: Text{EN: "registered"}, Effects: effects},
		{Status: StatusRejected, Rule: RulePremisesKnown, Message: Text{EN: "unknown RKA"}},
		{Status: StatusInPersonRequired, Rule: RuleOfflineOwners, Message: Text{EN: "minor owner"}},
	} {
		got := discreetDecision(d)
		if got.Rule != d.Rule || got.Status != d.Status || got.Message != d.Message || got.Effects != nil {
			t.Errorf("%s: %+v", d.Rule, got)
		}
	}
}

func TestTrackingViewKeepsStatusAndRule(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 22, 7, 0, 0, 0, time.UTC)
	a := Application{ID: "app", Action: ActionRegister, Kind: Permanent, ApplicantIIN: "111", SubjectIIN: "222", RKA: "rka",
		Reason: "moving", SignerIIN: "111", Status: StatusAwaitingConsent, RegistrationID: "reg", IdempotencyKey: "k",
		Decision: Decision{Status: StatusAwaitingConsent, Rule: RuleOwnerConsent, LegalBasis: Text{EN: "basis"}, Message: Text{EN: "m"},
			Consents: []ConsentRequirement{{OwnerIIN: "333"}}, Effects: []Effect{{RKA: "old"}}},
		CreatedAt: at, DecidedAt: at, UpdatedAt: at}
	want := Application{ID: "app", Action: ActionRegister, Status: StatusAwaitingConsent,
		Decision:  Decision{Status: StatusAwaitingConsent, Rule: RuleOwnerConsent, LegalBasis: Text{EN: "basis"}, Message: Text{EN: "m"}},
		CreatedAt: at, DecidedAt: at, UpdatedAt: at}
	got := trackingView(a)
	if got.ApplicantIIN != "" || got.SubjectIIN != "" || got.RKA != "" || got.Reason != "" || got.RegistrationID != "" ||
		got.Decision.Consents != nil || got.Decision.Effects != nil || got.ID != want.ID || got.Decision.Rule != want.Decision.Rule ||
		got.Status != want.Status {
		t.Fatalf("trackingView = %+v", got)
	}
}

func TestParsePurposes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []Purpose
		ok   bool
	}{
		{"", nil, true},
		{"address:read", []Purpose{PurposeAddressRead}, true},
		{"address:read, events:read,address:read", []Purpose{PurposeAddressRead, PurposeEventsRead}, true},
		{"residents:read,events:read", []Purpose{PurposeResidentsRead, PurposeEventsRead}, true},
		{"address:write", nil, false},
		{"events", nil, false},
	}
	for _, tt := range tests {
		got, err := ParsePurposes(tt.in)
		if (err == nil) != tt.ok || !slices.Equal(got, tt.want) {
			t.Errorf("ParsePurposes(%q) = %v, %v", tt.in, got, err)
		}
		if err != nil && !IsCode(err, EInvalid) {
			t.Errorf("ParsePurposes(%q): code %q", tt.in, ErrorCode(err))
		}
	}
}

func TestActorNeedsPurpose(t *testing.T) {
	t.Parallel()
	agency := Actor{Role: RoleAgency, Purposes: []Purpose{PurposeAddressRead}}
	if err := agency.needs(PurposeAddressRead); err != nil {
		t.Errorf("address:read refused: %v", err)
	}
	for _, p := range []Purpose{PurposeResidentsRead, PurposeEventsRead} {
		if err := agency.needs(p); !IsCode(err, EPurposeMissing) {
			t.Errorf("%s: %v, want purpose_missing", p, err)
		}
	}
	for _, a := range []Actor{{Role: RoleOperator}, {Role: RoleAdmin}, {Role: RoleCitizen, IIN: "1"}} {
		if err := a.needs(PurposeEventsRead); err != nil {
			t.Errorf("%s needs no purpose: %v", a.Role, err)
		}
	}
}

func TestDistinct(t *testing.T) {
	nine := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9"}
	for _, tt := range []struct {
		name string
		in   []string
		want []string
	}{
		{"none", nil, nil},
		{"one", []string{"a"}, []string{"a"}},
		{"two", []string{"a", "b"}, []string{"a", "b"}},
		{"a repeat", []string{"a", "b", "a"}, []string{"a", "b"}},
		{"a repeat at once", []string{"a", "a"}, []string{"a"}},
		{"many, distinct", nine, nine},
		{"many, a repeat", append(slices.Clone(nine), "3"), nine},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := distinct(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("distinct(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
