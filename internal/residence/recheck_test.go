package residence

import (
	"reflect"
	"testing"
)

// TestRecheck decides again, at completion, an application by the tenant
// for a flat of two co-owners who both confirmed, after whatever changed
// while consent was awaited.
func TestRecheck(t *testing.T) {
	t.Parallel()
	home := activeReg("home", rkaOther, Permanent)
	confirmedBy := func(iins ...string) []ConsentTask {
		var ts []ConsentTask
		for _, iin := range iins {
			ts = append(ts, ConsentTask{ID: "t-" + iin, Kind: ConsentKindOwner, OwnerIIN: iin, Channel: ConsentSMS, Status: ConsentConfirmed})
		}
		return ts
	}
	owners := ownedBy(personOwner(coOwner1), personOwner(coOwner2))
	prior := Decide(selfApp(tenantT, owners, registeredAt(home)))
	if prior.Status != StatusAwaitingConsent {
		t.Fatalf("prior decision %s", prior.Status)
	}
	both := confirmedBy(iinCoOwner, iinCoOwner2)
	dead := func(p *Person) { p.Deceased = true }
	tests := []struct {
		name    string
		s       Snapshot
		prior   Decision
		tasks   []ConsentTask
		status  ApplicationStatus
		rule    RuleID
		msg     Text
		effects []Effect
	}{
		{name: "nothing changed", s: selfApp(tenantT, owners, registeredAt(home)), prior: prior, tasks: both,
			status: StatusRegistered, msg: msgRegisteredPermanent,
			effects: []Effect{{RegistrationID: "home", RKA: rkaOther, Kind: Permanent, EndReason: EndMoved}}},
		{name: "a co-owner died", s: selfApp(tenantT, ownedBy(personOwner(alter(coOwner1, dead)), personOwner(coOwner2)), registeredAt(home)), prior: prior, tasks: both,
			status: StatusInPersonRequired, rule: RuleOwnerUnknown, msg: msgOwnerDeceased},
		{name: "a co-owner lost capacity", s: selfApp(tenantT, ownedBy(personOwner(alter(coOwner1, incapable)), personOwner(coOwner2)), registeredAt(home)), prior: prior, tasks: both,
			status: StatusInPersonRequired, rule: RuleOfflineOwners, msg: msgOwnerIncapable},
		{name: "a co-owner left the registry", s: selfApp(tenantT, ownedBy(missingOwner(iinCoOwner), personOwner(coOwner2)), registeredAt(home)), prior: prior, tasks: both,
			status: StatusInPersonRequired, rule: RuleOwnerUnknown, msg: msgOwnerUnknown},
		{name: "the subject died", s: selfApp(alter(tenantT, dead), owners, registeredAt(home)), prior: prior, tasks: both,
			status: StatusRejected, rule: RuleSubjectAlive, msg: msgSubjectDeceased},
		{name: "the subject lost capacity", s: selfApp(alter(tenantT, incapable), owners, registeredAt(home)), prior: prior, tasks: both,
			status: StatusRejected, rule: RuleApplicantAuthority, msg: msgWardNotGuardian},
		{name: "the flat was sold to a stranger", s: selfApp(tenantT, ownedBy(personOwner(strangerS)), registeredAt(home)), prior: prior, tasks: both,
			status: StatusRejected, rule: RuleOwnersChanged, msg: msgOwnersChanged},
		{name: "a share was sold to a stranger", s: selfApp(tenantT, ownedBy(personOwner(coOwner1), personOwner(strangerS)), registeredAt(home)), prior: prior, tasks: both,
			status: StatusRejected, rule: RuleOwnersChanged, msg: msgOwnersChanged},
		{name: "one co-owner bought the other out: the remaining consent stands", s: selfApp(tenantT, ownedBy(personOwner(coOwner1)), registeredAt(home)), prior: prior, tasks: both,
			status: StatusRegistered, msg: msgRegisteredPermanent,
			effects: []Effect{{RegistrationID: "home", RKA: rkaOther, Kind: Permanent, EndReason: EndMoved}}},
		{name: "the applicant bought the flat", s: selfApp(tenantT, ownedBy(personOwner(tenantT)), registeredAt(home)), prior: prior, tasks: both,
			status: StatusRegistered, msg: msgRegisteredPermanent,
			effects: []Effect{{RegistrationID: "home", RKA: rkaOther, Kind: Permanent, EndReason: EndMoved}}},
		{name: "the flat sold to an organisation", s: selfApp(tenantT, ownedBy(orgOwner(hotelOrg)), registeredAt(home)), prior: prior, tasks: both,
			status: StatusRejected, rule: RuleOwnersChanged, msg: msgOwnersChanged},
		{name: "a consent declined is not a consent", s: selfApp(tenantT, owners, registeredAt(home)), prior: prior,
			tasks:  append(confirmedBy(iinCoOwner), ConsentTask{Kind: ConsentKindOwner, OwnerIIN: iinCoOwner2, Status: ConsentDeclined}),
			status: StatusRejected, rule: RuleOwnersChanged, msg: msgOwnersChanged},
		{name: "registered elsewhere meanwhile", s: selfApp(tenantT, owners, registeredAt(activeReg("later", rkaOther+"7", Permanent))), prior: prior, tasks: both,
			status: StatusRejected, rule: RuleRegisteredMeanwhile, msg: msgRegisteredMeanwhile},
		{name: "first registration made elsewhere meanwhile", s: selfApp(tenantT, owners, registeredAt(activeReg("later", rkaOther, Permanent))),
			prior: Decide(selfApp(tenantT, owners)), tasks: both,
			status: StatusRejected, rule: RuleRegisteredMeanwhile, msg: msgRegisteredMeanwhile},
		{name: "a temporary registration elsewhere meanwhile does not matter", s: selfApp(tenantT, owners, registeredAt(home, activeReg("trip", rkaOther+"7", Temporary))), prior: prior, tasks: both,
			status: StatusRegistered, msg: msgRegisteredPermanent,
			effects: []Effect{{RegistrationID: "home", RKA: rkaOther, Kind: Permanent, EndReason: EndMoved}}},
		{name: "registered at this address meanwhile", s: selfApp(tenantT, owners, registeredAt(activeReg("here", rkaFlat, Permanent))), prior: prior, tasks: both,
			status: StatusRejected, rule: RuleAlreadyRegistered, msg: msgAlreadyPermanent},
		{name: "the premises left the address register", s: selfApp(tenantT, owners, registeredAt(home), noPremises), prior: prior, tasks: both,
			status: StatusRejected, rule: RulePremisesKnown, msg: msgUnknownRKA},
		{name: "the premises lost every owner record", s: selfApp(tenantT, registeredAt(home)), prior: prior, tasks: both,
			status: StatusInPersonRequired, rule: RuleOwnerUnknown, msg: msgNoOwnerRecord},
		{name: "the stay ended meanwhile", s: selfApp(tenantT, owners, staying(ymd(2025, 5, 1), ymd(2025, 6, 14))),
			prior: Decide(selfApp(tenantT, owners, staying(ymd(2025, 5, 1), ymd(2025, 6, 14)), onDay(ymd(2025, 5, 1)))), tasks: both,
			status: StatusRejected, rule: RuleTemporaryPeriod, msg: msgPeriodPast},
		{name: "the subject's own confirmation, never asked", s: snapOf(repR, adultA, premisesKind(PremisesHotel), ownedBy(orgOwner(hotelOrg)), representing(hotelOrg)),
			prior: Decision{Status: StatusAwaitingConsent}, tasks: nil,
			status: StatusRejected, rule: RuleSubjectConsent, msg: msgSubjectNotAsked},
		{name: "the subject confirmed", s: snapOf(repR, adultA, premisesKind(PremisesHotel), ownedBy(orgOwner(hotelOrg)), representing(hotelOrg)),
			prior: Decision{Status: StatusAwaitingConsent}, tasks: []ConsentTask{{Kind: ConsentKindSubject, OwnerIIN: iinOwner, Status: ConsentConfirmed}},
			status: StatusRegistered, msg: msgRegisteredPermanent},
		{name: "deregistration: the applicant sold the flat meanwhile", s: deregOf(adultA, tenantT, ownedBy(personOwner(coOwner1)), registeredAt(activeReg("r", rkaFlat, Permanent))),
			prior: Decision{Status: StatusAwaitingConsent}, tasks: confirmedBy(iinCoOwner),
			status: StatusRejected, rule: RuleDeregisterOwner, msg: msgDeregNotOwner},
		{name: "deregistration: the co-owner consented", s: deregOf(adultA, tenantT, ownedBy(personOwner(adultA), personOwner(coOwner1)), registeredAt(activeReg("r", rkaFlat, Permanent))),
			prior: Decision{Status: StatusAwaitingConsent}, tasks: confirmedBy(iinCoOwner),
			status: StatusRegistered, msg: msgDeregistered,
			effects: []Effect{{RegistrationID: "r", RKA: rkaFlat, Kind: Permanent, EndReason: EndDeregisteredByOwner}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := Recheck(tt.s, tt.prior, tt.tasks)
			if d.Status != tt.status || d.Rule != tt.rule || d.Message != tt.msg {
				t.Errorf("Recheck = %s %s %q, want %s %s %q", d.Status, d.Rule, d.Message.EN, tt.status, tt.rule, tt.msg.EN)
			}
			if !reflect.DeepEqual(d.Effects, tt.effects) && d.Status == StatusRegistered {
				t.Errorf("Effects = %+v, want %+v", d.Effects, tt.effects)
			}
			if len(d.Consents) > 0 {
				t.Errorf("a rechecked decision asks for consents: %+v", d.Consents)
			}
			checkDecisionTexts(t, tt.name, d)
		})
	}
}

func TestChildAddress(t *testing.T) {
	t.Parallel()
	child := citizenAged(iinMinor, 12)
	mother, father, guardian := relation(RelationParent, iinParent, iinMinor), relation(RelationParent, iinCoOwner, iinMinor), relation(RelationGuardian, iinGuardian, iinMinor)
	perm := func(id, rka string) Registration { r := activeReg(id, rka, Permanent); return r }
	regsOf := map[string][]Registration{
		iinParent:   {perm("m", rkaFlat)},
		iinCoOwner:  {perm("f", rkaOther)},
		iinGuardian: {perm("g", rkaOther+"9")},
	}
	tests := []struct {
		name    string
		child   Person
		rels    []Relation
		own     []Registration
		reader  string
		regsOf  map[string][]Registration
		wantReg string
		wantRel RelationKind
	}{
		{"a parent's address, parents by IIN", child, []Relation{mother, guardian, father}, nil, "", regsOf, "f", RelationParent},
		{"the reading parent's own first", child, []Relation{mother, father}, nil, iinParent, regsOf, "m", RelationParent},
		{"a legal representative when no parent has one", child, []Relation{mother, guardian}, nil, "", map[string][]Registration{iinGuardian: regsOf[iinGuardian]}, "g", RelationGuardian},
		{"a parent's temporary registration does not count", child, []Relation{mother}, nil, "", map[string][]Registration{iinParent: {activeReg("t", rkaFlat, Temporary)}}, "", ""},
		{"a parent's ended registration does not count", child, []Relation{mother}, nil, "", map[string][]Registration{iinParent: {{ID: "e", RKA: rkaFlat, Kind: Permanent, Status: RegistrationEnded}}}, "", ""},
		{"no parent known", child, nil, nil, "", regsOf, "", ""},
		{"a relation the other way round", child, []Relation{relation(RelationParent, iinMinor, iinParent)}, nil, "", regsOf, "", ""},
		{"a child of 14 has their own", citizenAged(iinMinor, 14), []Relation{mother}, nil, "", regsOf, "", ""},
		{"13 years 364 days", turnsTomorrow(iinMinor, 14), []Relation{mother}, nil, "", regsOf, "m", RelationParent},
		{"a child with a registration of their own", child, []Relation{mother}, []Registration{perm("own", rkaOther)}, "", regsOf, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for i := range tt.rels {
				if tt.rels[i].To == iinMinor {
					tt.rels[i].To = tt.child.IIN
				}
			}
			d := DeriveChildAddress(ChildAddressSources(tt.child, appDay, tt.rels, tt.own, tt.reader), tt.regsOf)
			switch {
			case tt.wantReg == "" && d != nil:
				t.Errorf("derived %+v, want none", d)
			case tt.wantReg != "" && (d == nil || d.Registration.ID != tt.wantReg || d.Relation != tt.wantRel):
				t.Errorf("derived %+v, want registration %s by %s", d, tt.wantReg, tt.wantRel)
			}
		})
	}
}
