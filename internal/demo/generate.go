package demo

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"time"

	"tirkeu/internal/iin"
	"tirkeu/internal/residence"
)

// GenerateOptions configure Generate.
type GenerateOptions struct {
	// Persons is the number of persons to write (at least 1).
	Persons int
	// Seed makes the output reproducible: the same options give the same
	// bytes.
	Seed uint64
	// Today is the date the registry describes: ages and periods are counted
	// from it. Zero means ReferenceDate.
	Today time.Time
	// Regions restricts the regions to those named (the names of the
	// premises' region field); empty means all 20, weighted by population.
	Regions []string
	// BesideDemo keeps clear of the identifiers of the demo town (which is
	// made by Generate too): IIN serials start at 100, RKAs with 3, BINs and
	// MCD phones at higher counters. A server in demo mode loads the demo
	// registry, so a registry imported beside it must not reuse them.
	BesideDemo bool
}

// Where BesideDemo starts its counters.
const (
	besideDemoSerial = 99 // the demo town's serials are 1 and 2
	besideDemoBINs   = 5000
	besideDemoPhones = 5000000
)

// Generate writes a synthetic national registry in the import format of
// internal/registry: households in the 20 regions weighted by population,
// with parents and children of every age, owners and co-owners (some minors,
// some incapacitated), state rental flats with their agreements, hotels and
// dormitories owned by organisations with representatives, MCD phones for
// most adults, a permanent registration for everyone alive aged 14 or more
// and temporary ones for some.
//
// It streams: each household is written as it is made, and every record
// refers only to records written before it. IINs are unique: each is the
// birth date, the century-and-sex digit, a per-date serial and the check
// digit. Serials 9000 and above are left to the demo cast.
func Generate(w io.Writer, opts GenerateOptions) error {
	if opts.Persons < 1 {
		return errors.New("demo: generate: persons must be at least 1")
	}
	g, err := newGenerator(w, opts)
	if err != nil {
		return err
	}
	for g.persons < opts.Persons && g.rw.err == nil {
		g.household(opts.Persons - g.persons)
	}
	if g.rw.err != nil {
		return fmt.Errorf("demo: generate: %w", g.rw.err)
	}
	if err := g.rw.w.Flush(); err != nil {
		return fmt.Errorf("demo: generate: %w", err)
	}
	return nil
}

type generator struct {
	rw      recordWriter
	rng     *rand.Rand
	today   time.Time
	regions []*regionState
	cum     []int // cumulative population weights of regions
	total   int

	persons int
	rkas    int
	bins    int
	phones  int
	serials map[int32]int32 // (birth date, century-sex digit) → last serial used
	// firstSerial is the serial before the first one used for a date.
	firstSerial int32
	iinBuf      []byte
	rkaStart    byte
}

// regionState is what the generator remembers about a region: its
// organisations and the last adult written there, who may let a flat to a
// later household.
type regionState struct {
	region
	akimatBIN, hotelRKA, dormRKA string
	landlord                     string
}

func newGenerator(w io.Writer, opts GenerateOptions) (*generator, error) {
	today := opts.Today
	if today.IsZero() {
		today = ReferenceDate
	}
	g := &generator{
		rw:       recordWriter{w: bufio.NewWriterSize(w, 256<<10), b: make([]byte, 0, 1024)},
		rng:      rand.New(rand.NewPCG(opts.Seed, 0x7469726b6575)),
		today:    residence.DateOf(today),
		serials:  make(map[int32]int32, 40000),
		rkaStart: '2',
	}
	if opts.BesideDemo {
		g.firstSerial, g.rkaStart, g.bins, g.phones = besideDemoSerial, '3', besideDemoBINs, besideDemoPhones
	}
	for _, r := range regions {
		if len(opts.Regions) > 0 && !contains(opts.Regions, r.name) {
			continue
		}
		g.regions = append(g.regions, &regionState{region: r})
		g.total += r.pop
		g.cum = append(g.cum, g.total)
	}
	if len(g.regions) == 0 {
		return nil, fmt.Errorf("demo: generate: no known region in %q", opts.Regions)
	}
	return g, nil
}

func contains(ss []string, s string) bool {
	for _, v := range ss {
		if v == s {
			return true
		}
	}
	return false
}

func (g *generator) pickRegion() *regionState {
	n := g.rng.IntN(g.total)
	for i, c := range g.cum {
		if n < c {
			return g.regions[i]
		}
	}
	return g.regions[len(g.regions)-1]
}

func (g *generator) chance(p float64) bool { return g.rng.Float64() < p }

// member is a person of a household being built.
type member struct {
	residence.Person
	age   int
	child bool
}

// birth returns a birth date on which a person is age years old today.
func (g *generator) birth(age int) time.Time {
	d := residence.AddMonths(g.today, -12*age)
	return d.AddDate(0, 0, -g.rng.IntN(365))
}

// newIIN returns a fresh IIN for a person born on d: the date, the
// century-and-sex digit, the next serial for that date and the check digit,
// skipping serials for which no check digit exists.
func (g *generator) newIIN(d time.Time, male bool) string {
	for {
		y, m, day := d.Date()
		c := int32(3) // 1900s
		switch {
		case y >= 2000:
			c = 5
		case y < 1900:
			c = 1
		}
		if !male {
			c++
		}
		key := int32((y%100)*10000+int(m)*100+day)*10 + c
		serial := max(g.serials[key], g.firstSerial) + 1
		if serial >= castSerialBase {
			// Full for this date: move to the day before. Not reached below
			// some tens of millions of persons.
			d = d.AddDate(0, 0, -1)
			continue
		}
		g.serials[key] = serial
		b := g.iinBuf[:0]
		b = append(b, byte('0'+y/10%10), byte('0'+y%10), byte('0'+int(m)/10), byte('0'+int(m)%10),
			byte('0'+day/10), byte('0'+day%10), byte('0'+c),
			byte('0'+serial/1000), byte('0'+serial/100%10), byte('0'+serial/10%10), byte('0'+serial%10))
		g.iinBuf = b
		if s, err := iin.Complete(string(b)); err == nil {
			return s
		}
	}
}

// newBIN returns a fresh business identification number.
func (g *generator) newBIN() string {
	for {
		g.bins++
		// YYMM of registration, 4 (resident legal entity), 0 (head office),
		// a five-digit serial.
		prefix := fmt.Sprintf("%02d%02d40%05d", 1+g.bins%24, 1+g.bins%12, g.bins)
		if s, err := iin.Complete(prefix); err == nil {
			return s
		}
	}
}

// newRKA returns a fresh opaque address registration code.
func (g *generator) newRKA() string {
	g.rkas++
	b := make([]byte, 0, 16)
	b = append(b, g.rkaStart)
	s := strconv.Itoa(g.rkas)
	for range 15 - len(s) {
		b = append(b, '0')
	}
	return string(append(b, s...))
}

var operators = []string{"700", "701", "702", "705", "707", "708", "747", "771", "775", "776", "777", "778"}

// newPhone returns a fresh MSISDN in the MCD.
func (g *generator) newPhone() string {
	g.phones++
	n := g.phones*7919%10000000 + 0 // spread, unique below ten million per operator
	op := operators[(g.phones/10000000+g.phones)%len(operators)]
	return "7" + op + fmt.Sprintf("%07d", n)
}

func (g *generator) newMember(kazakh, male bool, age int, sur surname, father *firstName) member {
	p := residence.Person{Citizenship: residence.CitizenKZ, Capacity: residence.CapacityFull}
	p.BirthDate = g.birth(age)
	p.IIN = g.newIIN(p.BirthDate, male)
	switch {
	case kazakh && male:
		p.FirstName = kazakhMen[g.rng.IntN(len(kazakhMen))].name
	case kazakh:
		p.FirstName = kazakhWomen[g.rng.IntN(len(kazakhWomen))]
	case male:
		p.FirstName = russianMen[g.rng.IntN(len(russianMen))].name
	default:
		p.FirstName = russianWomen[g.rng.IntN(len(russianWomen))]
	}
	if male {
		p.LastName = sur.male
	} else {
		p.LastName = sur.female
	}
	if father == nil {
		var f firstName
		if kazakh {
			f = kazakhMen[g.rng.IntN(len(kazakhMen))]
		} else {
			f = russianMen[g.rng.IntN(len(russianMen))]
		}
		father = &f
	}
	if male {
		p.Patronymic = father.son
	} else {
		p.Patronymic = father.daught
	}
	if age >= 18 {
		if g.chance(0.92) {
			p.Phone = g.newPhone()
		}
		if g.chance(0.003) {
			p.ConsularAbroad = true
		}
		if g.chance(0.01) {
			p.Citizenship = []string{"RU", "UZ", "KG", "CN", "TR"}[g.rng.IntN(5)]
		}
	}
	return member{Person: p, age: age}
}

func firstNameOf(kazakh bool, name string) *firstName {
	list := russianMen
	if kazakh {
		list = kazakhMen
	}
	for i := range list {
		if list[i].name == name {
			return &list[i]
		}
	}
	return nil
}

// household writes one household of at most max persons.
func (g *generator) household(max int) {
	r := g.pickRegion()
	kazakh := g.chance(0.7)
	var sur surname
	if kazakh {
		sur = kazakhSurnames[g.rng.IntN(len(kazakhSurnames))]
	} else {
		sur = russianSurnames[g.rng.IntN(len(russianSurnames))]
	}
	var ms []member
	var father *member
	kind := g.rng.Float64()
	switch {
	case kind < 0.55: // couple with children
		fa := 25 + g.rng.IntN(36)
		ms = append(ms, g.newMember(kazakh, true, fa, sur, nil))
		ms = append(ms, g.newMember(kazakh, false, max2(20, fa-5+g.rng.IntN(8)), sur, nil))
		father = &ms[0]
		ms = g.children(ms, kazakh, sur, father, fa, 1+g.rng.IntN(4))
		if g.chance(0.1) { // a grandmother lives with them
			ms = append(ms, g.newMember(kazakh, false, fa+22+g.rng.IntN(10), sur, nil))
		}
	case kind < 0.75: // single adult
		ms = append(ms, g.newMember(kazakh, g.chance(0.5), 18+g.rng.IntN(68), sur, nil))
	case kind < 0.9: // elderly couple
		a := 60 + g.rng.IntN(26)
		ms = append(ms, g.newMember(kazakh, true, a, sur, nil))
		ms = append(ms, g.newMember(kazakh, false, a-g.rng.IntN(6), sur, nil))
		if g.chance(0.08) {
			ms[0].Deceased = true
			ms[0].Phone = ""
		}
	default: // single parent
		ma := 22 + g.rng.IntN(30)
		ms = append(ms, g.newMember(kazakh, false, ma, sur, nil))
		ms = g.children(ms, kazakh, sur, nil, ma, 1+g.rng.IntN(3))
	}
	if len(ms) > max {
		ms = ms[:max]
	}
	// Court decisions on capacity: some adult children and elderly people.
	for i := range ms {
		m := &ms[i]
		if m.age >= 18 && !m.Deceased && (m.child || m.age >= 70) && g.chance(0.04) {
			m.Capacity = residence.CapacityIncapable
			if g.chance(0.3) {
				m.Capacity = residence.CapacityPartial
			}
		}
	}
	for _, m := range ms {
		g.rw.person(m.Person)
	}
	g.persons += len(ms)
	adults := make([]*member, 0, 3)
	for i := range ms {
		if !ms[i].child && ms[i].age >= 18 && !ms[i].Deceased {
			adults = append(adults, &ms[i])
		}
	}
	// Relations: parents of the children; a guardian for each adult declared
	// incapable (a parent, or the spouse).
	for i := range ms {
		c := &ms[i]
		if !c.child {
			continue
		}
		for j := range ms {
			if p := &ms[j]; !p.child && j < 2 && p.age > c.age+15 {
				g.rw.relation(residence.RelationParent, p.IIN, c.IIN)
			}
		}
	}
	for i := range ms {
		m := &ms[i]
		if m.Capacity == residence.CapacityFull || m.Deceased {
			continue
		}
		for _, a := range adults {
			if a != m && a.Capacity == residence.CapacityFull {
				g.rw.relation(residence.RelationGuardian, a.IIN, m.IIN)
				break
			}
		}
	}
	if len(adults) == 0 {
		return // a household cut short to one child: no dwelling of its own
	}
	g.ensureOrganisations(r, adults[0].IIN)

	// The dwelling.
	loc := r.localities[g.rng.IntN(len(r.localities))]
	p := residence.Premises{RKA: g.newRKA(), Region: r.name, Locality: loc,
		Street: streets[g.rng.IntN(len(streets))], Building: strconv.Itoa(1 + g.rng.IntN(120)),
		Kind: residence.PremisesApartment, AreaM2: float64(30 + g.rng.IntN(90))}
	if g.chance(0.25) {
		p.Kind = residence.PremisesHouse
		p.AreaM2 += 40
	} else {
		p.Unit = strconv.Itoa(1 + g.rng.IntN(200))
	}
	full := adults[:0:0]
	for _, a := range adults {
		if a.Capacity == residence.CapacityFull {
			full = append(full, a)
		}
	}
	tenure := g.rng.Float64()
	switch {
	case tenure < 0.05 && len(full) > 0 && p.Kind == residence.PremisesApartment: // state rental
		p.StateRental = true
		g.rw.premises(p)
		g.rw.ownership(p.RKA, "", r.akimatBIN, "1")
		var listed []string
		for _, m := range ms {
			if m.IIN != full[0].IIN && !m.Deceased {
				listed = append(listed, m.IIN)
			}
		}
		from := g.today.AddDate(-g.rng.IntN(8), -g.rng.IntN(12), 0)
		g.rw.rental(p.RKA, full[0].IIN, listed, from, residence.AddMonths(from, 12*10))
	case tenure < 0.12 && r.landlord != "": // let by an earlier household's adult
		g.rw.premises(p)
		g.rw.ownership(p.RKA, r.landlord, "", "1")
	case len(adults) >= 2 && tenure < 0.6:
		g.rw.premises(p)
		var minor *member
		for i := range ms {
			if ms[i].child && ms[i].age < 18 {
				minor = &ms[i]
				break
			}
		}
		if minor != nil && g.chance(0.12) { // privatised with a child among the owners
			g.rw.ownership(p.RKA, adults[0].IIN, "", "1/3")
			g.rw.ownership(p.RKA, adults[1].IIN, "", "1/3")
			g.rw.ownership(p.RKA, minor.IIN, "", "1/3")
		} else {
			g.rw.ownership(p.RKA, adults[0].IIN, "", "1/2")
			g.rw.ownership(p.RKA, adults[1].IIN, "", "1/2")
		}
	default:
		g.rw.premises(p)
		g.rw.ownership(p.RKA, adults[0].IIN, "", "1")
	}
	// Registrations: everyone alive aged 14 or more, permanently at home;
	// some young adults also temporarily in a dormitory, a few in a hotel.
	for _, m := range ms {
		if m.Deceased || m.age < 14 {
			continue
		}
		since := g.today.AddDate(-g.rng.IntN(20), -g.rng.IntN(12), -g.rng.IntN(28))
		if at14 := residence.AddMonths(m.BirthDate, 12*14); since.Before(at14) {
			since = at14
		}
		g.rw.registration(m.IIN, p.RKA, residence.Permanent, since, time.Time{})
		switch {
		case m.age >= 17 && m.age <= 24 && g.chance(0.2):
			from := g.today.AddDate(0, -g.rng.IntN(9), -g.rng.IntN(28))
			g.rw.registration(m.IIN, r.dormRKA, residence.Temporary, from, residence.AddMonths(from, 10))
		case m.age >= 25 && g.chance(0.005):
			from := g.today.AddDate(0, 0, -g.rng.IntN(20))
			g.rw.registration(m.IIN, r.hotelRKA, residence.Temporary, from, residence.AddMonths(from, 2))
		}
	}
	if adults[0].Capacity == residence.CapacityFull {
		r.landlord = adults[0].IIN
	}
}

// children appends n children of a parent aged pa.
func (g *generator) children(ms []member, kazakh bool, sur surname, father *member, pa, n int) []member {
	var f *firstName
	if father != nil {
		f = firstNameOf(kazakh, father.FirstName)
	}
	for range n {
		maxAge := pa - 19
		if maxAge < 0 {
			break
		}
		c := g.newMember(kazakh, g.chance(0.5), g.rng.IntN(maxAge+1), sur, f)
		c.child = true
		ms = append(ms, c)
	}
	return ms
}

// ensureOrganisations writes the region's organisations the first time a
// household there has an adult to sign for them: the akimat's housing
// department (owner of state rental housing), a hotel and a university
// dormitory, each with its premises.
func (g *generator) ensureOrganisations(r *regionState, rep string) {
	if r.akimatBIN != "" {
		return
	}
	city := r.localities[0]
	r.akimatBIN = g.newBIN()
	g.rw.organisation(r.akimatBIN, "ГУ «Отдел жилищных отношений "+city+"»", rep)
	hotel := g.newBIN()
	g.rw.organisation(hotel, "ТОО «Отель "+city+"»", rep)
	r.hotelRKA = g.newRKA()
	g.rw.premises(residence.Premises{RKA: r.hotelRKA, Region: r.name, Locality: city, Street: "Абая",
		Building: "1", Kind: residence.PremisesHotel, AreaM2: 4200})
	g.rw.ownership(r.hotelRKA, "", hotel, "1")
	dorm := g.newBIN()
	g.rw.organisation(dorm, "НАО «Университет "+city+"»", rep)
	r.dormRKA = g.newRKA()
	g.rw.premises(residence.Premises{RKA: r.dormRKA, Region: r.name, Locality: city, Street: "Университетская",
		Building: "5", Kind: residence.PremisesDormitory, AreaM2: 9000})
	g.rw.ownership(r.dormRKA, "", dorm, "1")
}

func max2(a, b int) int {
	if a > b {
		return a
	}
	return b
}
