package residence

import (
	"reflect"
	"testing"
	"time"
)

func pscSnap(applicant, subject Person, owners ...OwnerFacts) Snapshot {
	p := Premises{RKA: rkaFlat, Region: "Астана", Locality: "Астана", Building: "1", Kind: PremisesApartment}
	return Snapshot{Date: appDay, Action: ActionRegister, Kind: Permanent, Channel: ChannelPSC, Applicant: applicant,
		Subject: subject, Premises: &p, RKA: rkaFlat, Owners: owners}
}

func TestRequiredDocuments(t *testing.T) {
	t.Parallel()
	owner := citizenAged(iinOwner, 40)
	co := citizenAged(iinCoOwner, 45)
	tenant := citizenAged(iinTenant, 30)
	parent := citizenAged(iinParent, 40)
	child := citizenAged(iinChild, 15)
	minor := citizenAged(iinMinor, 12)
	ward := alter(citizenAged(iinWard, 30), incapable)
	abroad := alter(citizenAged(iinTenant, 30), func(p *Person) { p.ConsularAbroad = true })
	withRel := func(s Snapshot, r Relation) Snapshot { s.Relations = []Relation{r}; return s }
	temp := func(s Snapshot) Snapshot { s.Kind = Temporary; return s }
	registered := func(s Snapshot) Snapshot {
		s.Registrations = []Registration{{ID: "r1", IIN: s.Subject.IIN, RKA: rkaOther, Kind: Permanent, Status: RegistrationActive}}
		return s
	}
	tests := []struct {
		name     string
		snap     Snapshot
		attorney bool
		want     []DocumentKind
	}{
		{"sole owner registers themself: identity only", pscSnap(owner, owner, personOwner(owner)), false, []DocumentKind{DocIdentity}},
		{"tenant in a flat of another owner: the owner's written consent", pscSnap(tenant, tenant, personOwner(owner)), false, []DocumentKind{DocIdentity, DocOwnerConsent}},
		{"co-owned flat, one co-owner applies: the other's consent", pscSnap(owner, owner, personOwner(owner), personOwner(co)), false, []DocumentKind{DocIdentity, DocOwnerConsent}},
		{"trustee on a power of attorney", pscSnap(tenant, tenant, personOwner(owner)), true, []DocumentKind{DocIdentity, DocPowerOfAttorney, DocOwnerConsent}},
		{"parent registers a child of 15", withRel(pscSnap(parent, child, personOwner(parent)), relation(RelationParent, iinParent, iinChild)), false, []DocumentKind{DocIdentity, DocRepresentative}},
		{"guardian registers a ward", withRel(pscSnap(owner, ward, personOwner(owner)), relation(RelationGuardian, iinOwner, iinWard)), false, []DocumentKind{DocIdentity, DocRepresentative}},
		{"a minor co-owner (OFFLINE_OWNERS): representative and written consent", pscSnap(co, co, personOwner(co), personOwner(minor)), false, []DocumentKind{DocIdentity, DocRepresentative, DocOwnerConsent}},
		{"an incapable owner", pscSnap(tenant, tenant, personOwner(ward)), false, []DocumentKind{DocIdentity, DocRepresentative, DocOwnerConsent}},
		{"hotel: the organisation's petition", pscSnap(tenant, tenant, orgOwner(hotelOrg)), false, []DocumentKind{DocIdentity, DocOrganisationPetition}},
		{"arrived from abroad, permanent, not registered: consular papers", pscSnap(abroad, abroad, personOwner(abroad)), false, []DocumentKind{DocIdentity, DocConsularDeregistration}},
		{"arrived from abroad, temporary stay: no consular papers", temp(pscSnap(abroad, abroad, personOwner(abroad))), false, []DocumentKind{DocIdentity}},
		{"arrived from abroad, already registered here: no consular papers", registered(pscSnap(abroad, abroad, personOwner(abroad))), false, []DocumentKind{DocIdentity}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := RequiredDocuments(tt.snap, tt.attorney); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("RequiredDocuments = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestCheckedDocumentsSatisfyTheRules: with the required documents checked,
// the cases the law sends to a service centre are decided there; with one
// missing they are not.
func TestCheckedDocumentsSatisfyTheRules(t *testing.T) {
	t.Parallel()
	owner := citizenAged(iinOwner, 40)
	co := citizenAged(iinCoOwner, 45)
	tenant := citizenAged(iinTenant, 30)
	minor := citizenAged(iinMinor, 12)
	abroad := alter(citizenAged(iinStranger, 30), func(p *Person) { p.ConsularAbroad = true })
	tests := []struct {
		name    string
		snap    Snapshot
		missing DocumentKind // "" when all are checked
		want    ApplicationStatus
	}{
		{"minor co-owner, all checked: registered", pscSnap(co, co, personOwner(co), personOwner(minor)), "", StatusRegistered},
		{"minor co-owner, written consent missing", pscSnap(co, co, personOwner(co), personOwner(minor)), DocOwnerConsent, ""},
		{"arrived from abroad, papers checked: registered", pscSnap(abroad, abroad, personOwner(abroad)), "", StatusRegistered},
		{"arrived from abroad, papers missing", pscSnap(abroad, abroad, personOwner(abroad)), DocConsularDeregistration, ""},
		{"tenant, owner's consent in person: registered without SMS", pscSnap(tenant, tenant, personOwner(owner)), "", StatusRegistered},
		{"tenant, owner's consent missing", pscSnap(tenant, tenant, personOwner(owner)), DocOwnerConsent, ""},
		{"hotel, petition checked: registered", pscSnap(tenant, tenant, orgOwner(hotelOrg)), "", StatusRegistered},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := tt.snap
			required := RequiredDocuments(s, false)
			var checked []DocumentKind
			for _, k := range required {
				if k != tt.missing {
					checked = append(checked, k)
				}
			}
			if tt.missing != "" && missingError(required, checked) == nil {
				t.Fatalf("no field error for missing %s", tt.missing)
			}
			if tt.missing != "" {
				return // a form mistake: nothing is decided or recorded
			}
			s.Signature = SignatureFacts{Method: SignaturePSC, SignerIIN: s.Applicant.IIN}
			s.InPerson = inPersonFacts("op", required, checked)
			if got := Decide(s).Status; got != tt.want {
				t.Errorf("status %s, want %s (%+v)", got, tt.want, Decide(s))
			}
		})
	}
}

func TestMissingError(t *testing.T) {
	t.Parallel()
	req := []DocumentKind{DocIdentity, DocOwnerConsent, DocConsularDeregistration}
	tests := []struct {
		name    string
		checked []DocumentKind
		field   string
	}{
		{"all checked", []DocumentKind{DocConsularDeregistration, DocOwnerConsent, DocIdentity}, ""},
		{"none checked names the first", nil, "doc_identity"},
		{"one missing", []DocumentKind{DocIdentity, DocConsularDeregistration}, "doc_owner_consent"},
		{"an extra document does not stand in", []DocumentKind{DocIdentity, DocOwnerConsent, DocPowerOfAttorney}, "doc_consular_deregistration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := missingError(req, tt.checked)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("error %v", err)
				}
				return
			}
			e, ok := err.(*Error)
			if !ok || e.Code != EInvalid || e.Field != tt.field || e.Text.KK == "" || e.Text.RU == "" || e.Text.EN == "" {
				t.Fatalf("error %#v, want invalid on %s in three languages", err, tt.field)
			}
		})
	}
}

func TestFormError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		d     Decision
		field string // "" means the decision is recorded
	}{
		{"registered is recorded", Decision{Status: StatusRegistered}, ""},
		{"awaiting consent is recorded", Decision{Status: StatusAwaitingConsent, Rule: RuleOwnerConsent}, ""},
		{"a child under 14 is a refusal in law, recorded", Decision{Status: StatusRejected, Rule: RuleSubjectAge}, ""},
		{"already registered, recorded", Decision{Status: StatusRejected, Rule: RuleAlreadyRegistered}, ""},
		{"a bad RKA is a form mistake", Decision{Status: StatusRejected, Rule: RulePremisesKnown}, "rka"},
		{"dates out of range are a form mistake", Decision{Status: StatusRejected, Rule: RuleTemporaryPeriod}, "stay_until"},
		{"not registered there (deregistration)", Decision{Status: StatusRejected, Rule: RuleDeregisterSubject}, "subject_iin"},
		{"in person still required is a form mistake", Decision{Status: StatusInPersonRequired, Rule: RuleOfflineOwners}, "documents"},
		{"any other in-person answer too", Decision{Status: StatusInPersonRequired, Rule: "OWNER_UNKNOWN"}, "documents"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := formError(tt.d)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("formError = %v, want nil", err)
				}
				return
			}
			if e, ok := err.(*Error); !ok || e.Field != tt.field || e.Code != EInvalid {
				t.Fatalf("formError = %#v, want invalid on %s", err, tt.field)
			}
		})
	}
}

func TestDecideOrganisationDeregistration(t *testing.T) {
	t.Parallel()
	rep := citizenAged(iinRep, 40)
	guest := citizenAged(iinTenant, 30)
	stranger := citizenAged(iinStranger, 30)
	co := citizenAged(iinCoOwner, 45)
	reg := Registration{ID: "g1", IIN: iinTenant, RKA: rkaFlat, Kind: Temporary, Status: RegistrationActive}
	snap := func(applicant Person, owners []OwnerFacts, regs ...Registration) Snapshot {
		s := pscSnap(applicant, guest, owners...)
		s.Action, s.Kind, s.Channel = ActionDeregister, "", ChannelAPI
		s.Signature = SignatureFacts{Method: SignatureOTP, SignerIIN: applicant.IIN}
		s.Registrations = regs
		return s
	}
	tests := []struct {
		name    string
		s       Snapshot
		bin     string
		want    ApplicationStatus
		rule    RuleID
		effects int
	}{
		{"the hotel's representative takes a guest off", snap(rep, []OwnerFacts{orgOwner(hotelOrg)}, reg), "", StatusRegistered, RuleDeregisterByOrg, 1},
		{"with the BIN named", snap(rep, []OwnerFacts{orgOwner(hotelOrg)}, reg), binHotel, StatusRegistered, RuleDeregisterByOrg, 1},
		{"another organisation's BIN", snap(rep, []OwnerFacts{orgOwner(hotelOrg)}, reg), binOther, StatusRejected, RuleDeregisterByOrg, 0},
		{"not a representative", snap(stranger, []OwnerFacts{orgOwner(hotelOrg)}, reg), "", StatusRejected, RuleDeregisterByOrg, 0},
		{"the guest is not registered there", snap(rep, []OwnerFacts{orgOwner(hotelOrg)}), "", StatusRejected, RuleDeregisterSubject, 0},
		{"a co-owner who is a person consents", snap(rep, []OwnerFacts{orgOwner(hotelOrg), personOwner(co)}, reg), "", StatusAwaitingConsent, RuleOwnerConsent, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := DecideOrganisationDeregistration(tt.s, tt.bin)
			if d.Status != tt.want || d.Rule != tt.rule || len(d.Effects) != tt.effects {
				t.Fatalf("decision %s %s %d effects, want %s %s %d", d.Status, d.Rule, len(d.Effects), tt.want, tt.rule, tt.effects)
			}
			for _, e := range d.Effects {
				if e.EndReason != EndDeregisteredByOwner {
					t.Errorf("end reason %s", e.EndReason)
				}
			}
		})
	}
	unsigned := snap(rep, []OwnerFacts{orgOwner(hotelOrg)}, reg)
	unsigned.Signature = SignatureFacts{}
	if d := DecideOrganisationDeregistration(unsigned, ""); d.Status != StatusRejected || d.Rule != RuleSignature {
		t.Errorf("unsigned: %s %s", d.Status, d.Rule)
	}
}

func TestRegistrationActiveOn(t *testing.T) {
	t.Parallel()
	until := ymd(2025, 6, 30)
	tests := []struct {
		name string
		r    Registration
		day  string
		want bool
	}{
		{"permanent, active", Registration{Kind: Permanent, Status: RegistrationActive}, "2030-01-01", true},
		{"temporary on its last day", Registration{Kind: Temporary, Status: RegistrationActive, Until: until}, "2025-06-30", true},
		{"temporary the day after", Registration{Kind: Temporary, Status: RegistrationActive, Until: until}, "2025-07-01", false},
		{"ended", Registration{Kind: Permanent, Status: RegistrationEnded}, "2025-06-01", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			day, _ := timeParseDate(tt.day)
			if got := tt.r.ActiveOn(day); got != tt.want {
				t.Errorf("ActiveOn(%s) = %v, want %v", tt.day, got, tt.want)
			}
		})
	}
	// An expired but unswept temporary registration does not block a new one.
	s := Snapshot{Date: ymd(2025, 7, 1), Kind: Temporary, RKA: rkaFlat}
	for _, r := range []Registration{{ID: "t", RKA: rkaFlat, Kind: Temporary, Status: RegistrationActive, Until: until}} {
		if r.ActiveOn(s.Date) {
			s.Registrations = append(s.Registrations, r)
		}
	}
	if out := AlreadyRegistered(s); out.Verdict != Pass {
		t.Errorf("ALREADY_REGISTERED on a lapsed registration: %v", out.Verdict)
	}
}

func timeParseDate(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }
