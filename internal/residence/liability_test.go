package residence

import (
	"reflect"
	"testing"
	"time"
)

func TestFine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		rate     MCIRates
		year     int
		article  string
		repeated bool
		want     int64
	}{
		{"art. 492, 2023", DefaultMCIRates, 2023, Article492, false, 7 * 3450},
		{"art. 492, 2024", DefaultMCIRates, 2024, Article492, false, 7 * 3692},
		{"art. 492, 2025", DefaultMCIRates, 2025, Article492, false, 27524},
		{"art. 492 repeated, 2025", DefaultMCIRates, 2025, Article492, true, 13 * 3932},
		{"art. 492, 2026", DefaultMCIRates, 2026, Article492, false, 7 * 4325},
		{"art. 493, 2025", DefaultMCIRates, 2025, Article493, false, 39320},
		{"art. 493 repeated, 2026", DefaultMCIRates, 2026, Article493, true, 20 * 4325},
		{"configured year", MCIRates{2027: 4500}, 2027, Article493, false, 45000},
		{"configuration overrides a year", MCIRates{2025: 4000}, 2025, Article492, false, 28000},
		{"year without an MCI", DefaultMCIRates, 2030, Article492, false, 0},
		{"unknown article", DefaultMCIRates, 2025, "491", false, 0},
		{"nil rates", nil, 2025, Article492, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Fine(tt.rate, tt.year, tt.article, tt.repeated); got != tt.want {
				t.Errorf("Fine(%d, %s, repeated %v) = %d, want %d", tt.year, tt.article, tt.repeated, got, tt.want)
			}
		})
	}
}

func TestFineMCI(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		article  string
		repeated bool
		want     int
	}{
		{Article492, false, 7}, {Article492, true, 13}, {Article493, false, 10}, {Article493, true, 20}, {"", false, 0},
	} {
		if got := FineMCI(tt.article, tt.repeated); got != tt.want {
			t.Errorf("FineMCI(%q, %v) = %d, want %d", tt.article, tt.repeated, got, tt.want)
		}
	}
}

func TestLiabilityUnregisteredViolation(t *testing.T) {
	t.Parallel()
	// Arrived on 1 March 2025 at 09:00 in Kazakhstan.
	arrived := time.Date(2025, 3, 1, 9, 0, 0, 0, Almaty)
	at := func(m time.Month, d, hour int) time.Time { return time.Date(2025, m, d, hour, 0, 0, 0, Almaty) }
	tests := []struct {
		name          string
		arrived, now  time.Time
		stayOverMonth bool
		want          string
	}{
		{"day of arrival", arrived, at(3, 1, 18), true, ViolationNone},
		{"tenth day after arrival", arrived, at(3, 11, 23), true, ViolationNone},
		{"eleventh day after arrival", arrived, at(3, 12, 0), true, ViolationWarning},
		{"one month after arrival", arrived, at(4, 1, 23), true, ViolationWarning},
		{"one month and a day", arrived, at(4, 2, 0), true, ViolationFine},
		{"half a year", arrived, at(9, 1, 12), true, ViolationFine},
		{"stay of up to a month needs no registration", arrived, at(9, 1, 12), false, ViolationNone},
		{"days are counted in Kazakhstan, not UTC", time.Date(2025, 1, 31, 20, 0, 0, 0, time.UTC), time.Date(2025, 2, 11, 18, 0, 0, 0, time.UTC), true, ViolationNone},
		{"month counted to the end of a shorter month", time.Date(2025, 1, 31, 10, 0, 0, 0, Almaty), time.Date(2025, 2, 28, 10, 0, 0, 0, Almaty), true, ViolationWarning},
		{"after the end of a shorter month", time.Date(2025, 1, 31, 10, 0, 0, 0, Almaty), time.Date(2025, 3, 1, 10, 0, 0, 0, Almaty), true, ViolationFine},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := UnregisteredViolation(tt.arrived, tt.now, tt.stayOverMonth); got != tt.want {
				t.Errorf("UnregisteredViolation(%s, %s, %v) = %q, want %q", tt.arrived, tt.now, tt.stayOverMonth, got, tt.want)
			}
		})
	}
}

func TestAssessViolation(t *testing.T) {
	t.Parallel()
	arrived := ymd(2025, 3, 1)
	owner := Ownership{RKA: rkaFlat, OwnerIIN: iinOwner, Share: 0.5}
	hotel := Ownership{RKA: rkaFlat, OwnerBIN: binHotel, Share: 0.5}
	self := Ownership{RKA: rkaFlat, OwnerIIN: iinTenant, Share: 1}
	base := func(f func(*ViolationFacts)) ViolationFacts {
		v := ViolationFacts{Kind: Temporary, ArrivedOn: arrived, RegisteredOn: ymd(2025, 3, 20), StayUntil: ymd(2025, 12, 1),
			ResidentIIN: iinTenant, Owners: []Ownership{owner}, Rates: DefaultMCIRates}
		if f != nil {
			f(&v)
		}
		return v
	}
	type want struct {
		level             string
		residentMCI       int
		residentKZT       int64
		warning, repeated bool
		owners            []int // fine MCI per owner
		ownerKZT          int64 // of the first owner
	}
	tests := []struct {
		name string
		f    ViolationFacts
		want *want // nil: no violation
	}{
		{"permanent registration: none", base(func(v *ViolationFacts) { v.Kind = Permanent }), nil},
		{"arrival date not stated: none", base(func(v *ViolationFacts) { v.ArrivedOn = time.Time{} }), nil},
		{"registered on the tenth day: none", base(func(v *ViolationFacts) { v.RegisteredOn = ymd(2025, 3, 11) }), nil},
		{"stay of up to a month: none", base(func(v *ViolationFacts) { v.StayUntil = ymd(2025, 4, 1) }), nil},
		{"eleventh day: warning, owner fined 10 MCI", base(func(v *ViolationFacts) { v.RegisteredOn = ymd(2025, 3, 12) }),
			&want{level: ViolationWarning, warning: true, owners: []int{10}, ownerKZT: 10 * 3932}},
		{"one month after arrival: still a warning", base(func(v *ViolationFacts) { v.RegisteredOn = ymd(2025, 4, 1) }),
			&want{level: ViolationWarning, warning: true, owners: []int{10}, ownerKZT: 39320}},
		{"over a month: 7 MCI", base(func(v *ViolationFacts) { v.RegisteredOn = ymd(2025, 4, 2) }),
			&want{level: ViolationFine, residentMCI: 7, residentKZT: 7 * 3932, owners: []int{10}, ownerKZT: 39320}},
		{"repeated within a year: 13 MCI, owner repeated 20", base(func(v *ViolationFacts) {
			v.RegisteredOn, v.ResidentRepeated = ymd(2025, 5, 1), true
			v.OwnerRepeated = map[string]bool{iinOwner + "/": true}
		}), &want{level: ViolationFine, residentMCI: 13, residentKZT: 13 * 3932, repeated: true, owners: []int{20}, ownerKZT: 20 * 3932}},
		{"amounts at the MCI of the year of registration", base(func(v *ViolationFacts) {
			v.ArrivedOn, v.RegisteredOn, v.StayUntil = ymd(2025, 12, 1), ymd(2026, 1, 15), ymd(2026, 6, 1)
		}), &want{level: ViolationFine, residentMCI: 7, residentKZT: 7 * 4325, owners: []int{10}, ownerKZT: 10 * 4325}},
		{"a year without a configured MCI: MCI but no tenge", base(func(v *ViolationFacts) {
			v.ArrivedOn, v.RegisteredOn, v.StayUntil, v.Rates = ymd(2025, 1, 1), ymd(2025, 3, 1), ymd(2025, 9, 1), MCIRates{2024: 3692}
		}), &want{level: ViolationFine, residentMCI: 7, owners: []int{10}}},
		{"an owning organisation is named too", base(func(v *ViolationFacts) {
			v.RegisteredOn, v.Owners = ymd(2025, 4, 2), []Ownership{owner, hotel}
		}), &want{level: ViolationFine, residentMCI: 7, residentKZT: 27524, owners: []int{10, 10}, ownerKZT: 39320}},
		{"the resident who owns the place answers only for themself", base(func(v *ViolationFacts) {
			v.RegisteredOn, v.Owners = ymd(2025, 4, 2), []Ownership{self}
		}), &want{level: ViolationFine, residentMCI: 7, residentKZT: 27524}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := AssessViolation(tt.f)
			if tt.want == nil {
				if v != nil {
					t.Fatalf("violation %+v, want none", v)
				}
				return
			}
			if v == nil {
				t.Fatal("no violation")
			}
			w := tt.want
			r := v.Resident
			if v.Level != w.level || r.Article != Article492 || r.FineMCI != w.residentMCI || r.FineKZT != w.residentKZT ||
				r.Warning != w.warning || r.Repeated != w.repeated || r.IIN != iinTenant {
				t.Errorf("resident %+v level %s, want %+v", r, v.Level, w)
			}
			if len(v.Owners) != len(w.owners) {
				t.Fatalf("owners %+v, want %v", v.Owners, w.owners)
			}
			for i, o := range v.Owners {
				if o.Article != Article493 || o.FineMCI != w.owners[i] {
					t.Errorf("owner %d %+v, want %d MCI", i, o, w.owners[i])
				}
			}
			if len(v.Owners) > 0 && v.Owners[0].FineKZT != w.ownerKZT {
				t.Errorf("owner fine %d ₸, want %d", v.Owners[0].FineKZT, w.ownerKZT)
			}
			if v.Message.KK == "" || v.Message.RU == "" || v.Message.EN == "" {
				t.Errorf("message not in three languages: %+v", v.Message)
			}
			if v.DaysUnregistered != int(DateOf(tt.f.RegisteredOn).Sub(DateOf(tt.f.ArrivedOn)).Hours()/24) {
				t.Errorf("days %d", v.DaysUnregistered)
			}
		})
	}
}

func TestRepeats(t *testing.T) {
	t.Parallel()
	prior := func(subject string, owners ...ViolationParty) ViolationRecord {
		return ViolationRecord{Application: Application{ID: "a-" + subject, SubjectIIN: subject,
			Decision: Decision{Violation: &Violation{Owners: owners}}}}
	}
	owners := []Ownership{{OwnerIIN: iinOwner}, {OwnerBIN: binHotel}}
	tests := []struct {
		name     string
		history  []ViolationRecord
		resident bool
		owner    map[string]bool
	}{
		{"no history", nil, false, map[string]bool{}},
		{"the resident before", []ViolationRecord{prior(iinTenant)}, true, map[string]bool{}},
		{"the owner before, someone else", []ViolationRecord{prior(iinStranger, ViolationParty{IIN: iinOwner})}, false, map[string]bool{iinOwner + "/": true}},
		{"the hotel before", []ViolationRecord{prior(iinStranger, ViolationParty{BIN: binHotel})}, false, map[string]bool{"/" + binHotel: true}},
		{"a registration on time does not count", []ViolationRecord{{Application: Application{SubjectIIN: iinTenant}}}, false, map[string]bool{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, o := repeats(tt.history, iinTenant, owners)
			if r != tt.resident || !reflect.DeepEqual(o, tt.owner) {
				t.Errorf("repeats = %v %v, want %v %v", r, o, tt.resident, tt.owner)
			}
		})
	}
}

func TestParseMCIRates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		year    int
		want    int64
		wantErr bool
	}{
		{"", 2025, 3932, false},
		{"2027=4500", 2027, 4500, false},
		{"2027=4500, 2025=4000", 2025, 4000, false},
		{"2027=4500", 2026, 4325, false},
		{"2027", 0, 0, true},
		{"2027=-1", 0, 0, true},
		{"1999=100", 0, 0, true},
		{"x=1", 0, 0, true},
	}
	for _, tt := range tests {
		got, err := ParseMCIRates(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseMCIRates(%q) error %v", tt.in, err)
			continue
		}
		if err == nil && got[tt.year] != tt.want {
			t.Errorf("ParseMCIRates(%q)[%d] = %d, want %d", tt.in, tt.year, got[tt.year], tt.want)
		}
	}
	if DefaultMCIRates[2027] != 0 {
		t.Error("ParseMCIRates changed the defaults")
	}
}

func TestSummariseViolations(t *testing.T) {
	t.Parallel()
	rec := func(region string, year int, level string, resident int64, owners ...int64) ViolationRecord {
		v := &Violation{Year: year, Level: level, Resident: ViolationParty{FineKZT: resident}}
		for _, o := range owners {
			v.Owners = append(v.Owners, ViolationParty{FineKZT: o})
		}
		return ViolationRecord{Region: region, Application: Application{Decision: Decision{Violation: v}}}
	}
	got := SummariseViolations([]ViolationRecord{
		rec("Астана", 2025, ViolationFine, 100, 200),
		rec("Алматы", 2025, ViolationWarning, 0, 200, 300),
		rec("Астана", 2025, ViolationWarning, 0),
		rec("Астана", 2024, ViolationFine, 50, 70),
		{Region: "Астана"}, // on time
	})
	want := []ViolationStats{
		{Year: 2024, Region: "Астана", Count: 1, Fines: 1, Owners: 1, ResidentKZT: 50, OwnerKZT: 70},
		{Year: 2025, Region: "Алматы", Count: 1, Warnings: 1, Owners: 2, OwnerKZT: 500},
		{Year: 2025, Region: "Астана", Count: 2, Warnings: 1, Fines: 1, Owners: 1, ResidentKZT: 100, OwnerKZT: 200},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("SummariseViolations =\n%+v\nwant\n%+v", got, want)
	}
}
