package residence

import "testing"

func TestIINFor(t *testing.T) {
	const owner, other = "900101300017", "850505400028"
	tests := []struct {
		name   string
		reader Actor
		iin    string
		want   string
	}{
		{"the person themself", Actor{Role: RoleCitizen, IIN: owner}, owner, owner},
		{"another citizen", Actor{Role: RoleCitizen, IIN: other}, owner, MaskIIN(owner)},
		{"staff", Actor{Role: RoleOperator}, owner, owner},
		{"an agency", Actor{Role: RoleAgency, IIN: owner}, owner, MaskIIN(owner)},
		{"anonymous", Actor{}, owner, MaskIIN(owner)},
		{"no IIN", Actor{}, "", ""},
	}
	for _, tt := range tests {
		if got := IINFor(tt.reader, tt.iin); got != tt.want {
			t.Errorf("%s: IINFor = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestApplicationFor(t *testing.T) {
	const owner, applicant, attorney = "900101300017", "850505400028", "770707300039"
	app := Application{Decision: Decision{
		Consents:  []ConsentRequirement{{Kind: ConsentKindOwner, OwnerIIN: owner}},
		Violation: &Violation{Resident: ViolationParty{IIN: applicant}, Owners: []ViolationParty{{IIN: owner, BIN: "123456789012"}}},
		InPerson:  &InPersonRecord{Operator: "op-1", AttorneyIIN: attorney},
	}}
	citizen := ApplicationFor(Actor{Role: RoleCitizen, IIN: applicant}, app)
	if got := citizen.Decision.Consents[0].OwnerIIN; got != MaskIIN(owner) {
		t.Errorf("applicant sees owner %q, want masked", got)
	}
	if v := citizen.Decision.Violation; v.Resident.IIN != "" || v.Owners[0].IIN != "" || v.Owners[0].BIN != "" {
		t.Errorf("a citizen sees violation parties: %+v", v)
	}
	if r := citizen.Decision.InPerson; r.Operator != "" || r.AttorneyIIN != MaskIIN(attorney) {
		t.Errorf("a citizen sees in-person record %+v", r)
	}
	// The stored application is not changed.
	if app.Decision.Consents[0].OwnerIIN != owner || app.Decision.Violation.Owners[0].IIN != owner || app.Decision.InPerson.Operator != "op-1" {
		t.Errorf("ApplicationFor changed its argument: %+v", app.Decision)
	}
	self := ApplicationFor(Actor{Role: RoleCitizen, IIN: owner}, app)
	if got := self.Decision.Consents[0].OwnerIIN; got != owner {
		t.Errorf("owner sees own IIN %q", got)
	}
	staff := ApplicationFor(Actor{Role: RoleOperator}, app)
	if staff.Decision.Violation.Owners[0].BIN == "" || staff.Decision.InPerson.Operator != "op-1" || staff.Decision.InPerson.AttorneyIIN != attorney {
		t.Errorf("staff view lost identities: %+v %+v", staff.Decision.Violation, staff.Decision.InPerson)
	}
	ts := ConsentTasksFor(Actor{Role: RoleCitizen, IIN: applicant}, []ConsentTask{{OwnerIIN: owner}})
	if ts[0].OwnerIIN != MaskIIN(owner) {
		t.Errorf("task owner %q, want masked", ts[0].OwnerIIN)
	}
	ad := AddressesFor(Actor{Role: RoleAgency}, Addresses{Derived: []DerivedRegistration{{From: owner}}})
	if ad.Derived[0].From != MaskIIN(owner) {
		t.Errorf("agency sees parent %q, want masked", ad.Derived[0].From)
	}
}
