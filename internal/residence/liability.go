package residence

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Liability for living unregistered, under the Code of the RK on
// Administrative Offences No. 235-V of 05.07.2014. The system computes and
// reports possible violations; it imposes nothing.

// Articles of the Code on Administrative Offences.
const (
	// Article492 punishes living without registration: a citizen staying
	// more than a month who did not register within 10 days of arrival.
	Article492 = "492"
	// Article493 punishes owners (and persons authorised to let housing)
	// who let people live in it unregistered.
	Article493 = "493"
)

// MCIRates maps a year to the monthly calculation index (MCI) of that year,
// in tenge, set each year by the law on the national budget.
type MCIRates map[int]int64

// DefaultMCIRates are the MCI of the years the service knows; configuration
// may add or override years.
var DefaultMCIRates = MCIRates{
	2023: 3450,
	2024: 3692,
	2025: 3932,
	2026: 4325,
}

// FineMCI returns the fine under article in MCI: art. 492 — 7, or 13 when
// repeated within a year; art. 493 — 10, or 20 when repeated within a year.
// It returns 0 for any other article.
func FineMCI(article string, repeated bool) int {
	switch article {
	case Article492:
		if repeated {
			return 13
		}
		return 7
	case Article493:
		if repeated {
			return 20
		}
		return 10
	}
	return 0
}

// Fine returns the fine under article, in tenge, at the MCI of year in rate:
// FineMCI times the MCI. It returns 0 when the article is unknown or rate has
// no MCI for the year, so that an unconfigured year is never guessed.
func Fine(rate MCIRates, year int, article string, repeated bool) int64 {
	mci, ok := rate[year]
	if !ok {
		return 0
	}
	return int64(FineMCI(article, repeated)) * mci
}

// Levels of a violation of the duty to register, as UnregisteredViolation
// reports them.
const (
	ViolationNone    = "none"
	ViolationWarning = "warning"
	ViolationFine    = "fine"
)

// RegistrationGraceDays is how long after arrival a citizen staying more than
// a month has to register.
const RegistrationGraceDays = 10

// UnregisteredViolation returns the liability under art. 492 of a citizen
// who arrived on arrived and is still unregistered at now: "none" within 10
// days of arrival (counted in calendar days in Kazakhstan from the day after
// arrival, so the tenth day after it is the last), "warning" from the 11th
// day up to one month after arrival, and "fine" after that. A stay of up to
// one month (stayOverMonth false) needs no registration and is always
// "none".
func UnregisteredViolation(arrived, now time.Time, stayOverMonth bool) (level string) {
	if !stayOverMonth {
		return ViolationNone
	}
	a, n := DateOf(arrived), DateOf(now)
	if !n.After(a.AddDate(0, 0, RegistrationGraceDays)) {
		return ViolationNone
	}
	if !n.After(AddMonths(a, 1)) {
		return ViolationWarning
	}
	return ViolationFine
}

// ViolationParty is one person or organisation a possible violation
// concerns, under Article, with the fine the Code provides: Warning for a
// stay unregistered up to one month (art. 492 only), else FineMCI and its
// amount in tenge at the MCI of the violation's year (FineKZT 0 when that
// year's MCI is not configured).
type ViolationParty struct {
	IIN      string `json:"iin,omitempty"`
	BIN      string `json:"bin,omitempty"`
	Article  string `json:"article"`
	Repeated bool   `json:"repeated"`
	Warning  bool   `json:"warning,omitempty"`
	FineMCI  int    `json:"fine_mci"`
	FineKZT  int64  `json:"fine_kzt"`
}

// key identifies the party across violations.
func (p ViolationParty) key() string { return p.IIN + "/" + p.BIN }

// Violation is a possible violation of the duty to register found in a
// temporary registration entered late: the resident lived unregistered from
// ArrivedOn to RegisteredOn (DaysUnregistered days after the day of
// arrival), which is Level (warning or fine) under art. 492 for the
// resident, and a fine under art. 493 for each owner who let them live so.
// It is information for the police: the service imposes nothing.
type Violation struct {
	ArrivedOn        time.Time        `json:"arrived_on"`
	RegisteredOn     time.Time        `json:"registered_on"`
	DaysUnregistered int              `json:"days_unregistered"`
	Level            string           `json:"level"`
	Year             int              `json:"year"`
	Resident         ViolationParty   `json:"resident"`
	Owners           []ViolationParty `json:"owners,omitempty"`
	Message          Text             `json:"message"`
}

// BasisLiability is the legal basis shown with a possible violation.
const BasisLiability = "Code of the RK on Administrative Offences No. 235-V of 05.07.2014, arts. 492, 493"

// ViolationFacts are the facts AssessViolation needs about one registration.
type ViolationFacts struct {
	Kind         Kind
	ArrivedOn    time.Time // the day the resident arrived; zero when not stated
	RegisteredOn time.Time // the day the registration began
	StayUntil    time.Time // the last day of the stay
	ResidentIIN  string
	// Owners of the premises; the resident, when an owner, is left out.
	Owners []Ownership
	// ResidentRepeated says that the resident had a possible violation in
	// the year before RegisteredOn; OwnerRepeated the same for an owner by
	// IIN or BIN.
	ResidentRepeated bool
	OwnerRepeated    map[string]bool
	Rates            MCIRates
}

// AssessViolation returns the possible violation in a temporary
// registration, or nil when there is none: a permanent registration, an
// unknown arrival date, a stay of up to one month from arrival (it needs no
// registration), or a registration entered within 10 days of arrival. The
// level is UnregisteredViolation's on the day of registration; the resident
// risks a warning up to one month after arrival, then 7 MCI (13 repeated
// within a year) under art. 492; each owner other than the resident 10 MCI
// (20 repeated) under art. 493 whatever the level, since they let the
// resident live unregistered past the ten days. Amounts are at the MCI of
// the year of registration (when the violation came to light).
func AssessViolation(f ViolationFacts) *Violation {
	if f.Kind != Temporary || f.ArrivedOn.IsZero() || f.RegisteredOn.IsZero() {
		return nil
	}
	arrived, registered := DateOf(f.ArrivedOn), DateOf(f.RegisteredOn)
	overMonth := f.StayUntil.IsZero() || DateOf(f.StayUntil).After(AddMonths(arrived, 1))
	level := UnregisteredViolation(arrived, registered, overMonth)
	if level == ViolationNone {
		return nil
	}
	year := registered.Year()
	v := &Violation{ArrivedOn: arrived, RegisteredOn: registered, DaysUnregistered: int(registered.Sub(arrived).Hours() / 24),
		Level: level, Year: year}
	v.Resident = ViolationParty{IIN: f.ResidentIIN, Article: Article492, Repeated: f.ResidentRepeated}
	if level == ViolationWarning {
		v.Resident.Warning = true
	} else {
		v.Resident.FineMCI = FineMCI(Article492, f.ResidentRepeated)
		v.Resident.FineKZT = Fine(f.Rates, year, Article492, f.ResidentRepeated)
	}
	for _, o := range f.Owners {
		if o.OwnerIIN != "" && o.OwnerIIN == f.ResidentIIN {
			continue
		}
		p := ViolationParty{IIN: o.OwnerIIN, BIN: o.OwnerBIN, Article: Article493}
		p.Repeated = f.OwnerRepeated[p.key()]
		p.FineMCI = FineMCI(Article493, p.Repeated)
		p.FineKZT = Fine(f.Rates, year, Article493, p.Repeated)
		v.Owners = append(v.Owners, p)
	}
	v.Message = violationMessage(v)
	return v
}

// Concerns reports whether the violation names the party (by IIN or BIN).
func (v *Violation) concerns(key string) bool {
	for _, o := range v.Owners {
		if o.key() == key {
			return true
		}
	}
	return false
}

func violationMessage(v *Violation) Text {
	days := strconv.Itoa(v.DaysUnregistered)
	if v.Level == ViolationWarning {
		return textOf(tplViolationWarning, days)
	}
	return textOf(tplViolationFine, days, strconv.Itoa(v.Resident.FineMCI))
}

func renderViolationWarning(p []string) Text {
	days := p[0]
	return Text{
		KK: "Ақпарат үшін: тіркеу келгеннен кейін " + days + " күннен соң жасалды (10 күн ішінде болуы керек еді). ӘҚБтК 492-бабы бойынша бұл ескертуге әкелуі мүмкін; 493-бап бойынша — меншік иесіне айыппұл. Қызмет ешқандай жаза қолданбайды: шешімді полиция қабылдайды.",
		RU: "Для сведения: регистрация сделана через " + days + " дн. после прибытия (нужно было в течение 10 дней). По ст. 492 КоАП это может повлечь предупреждение, по ст. 493 — штраф собственнику. Сервис ничего не назначает: решение принимает полиция.",
		EN: "For information: the registration was made " + days + " days after arrival (it was due within 10 days). Under art. 492 of the Code on Administrative Offences this may lead to a warning, and under art. 493 to a fine for the owner. The service imposes nothing: the police decide.",
	}
}

func renderViolationFine(p []string) Text {
	days, fine := p[0], p[1]
	return Text{
		KK: "Ақпарат үшін: тіркеу келгеннен кейін " + days + " күннен соң жасалды (бір айдан астам тіркеусіз тұру). ӘҚБтК 492-бабы бойынша тұрушыға " + fine + " АЕК, 493-бап бойынша меншік иесіне айыппұл салынуы мүмкін. Қызмет ешқандай жаза қолданбайды: шешімді полиция қабылдайды.",
		RU: "Для сведения: регистрация сделана через " + days + " дн. после прибытия (проживание без регистрации более месяца). По ст. 492 КоАП проживающему грозит штраф " + fine + " МРП, по ст. 493 — штраф собственнику. Сервис ничего не назначает: решение принимает полиция.",
		EN: "For information: the registration was made " + days + " days after arrival (living unregistered for more than a month). Under art. 492 of the Code on Administrative Offences the resident may be fined " + fine + " MCI, and under art. 493 the owner. The service imposes nothing: the police decide.",
	}
}

// ViolationQuery selects the registrations of ViolationHistory: those
// begun in [From, To), of SubjectIIN or at one of RKAs when either is set
// (all otherwise), at most Limit.
type ViolationQuery struct {
	From, To   time.Time
	SubjectIIN string
	RKAs       []string
	Limit      int
}

// ViolationRecord is a temporary registration made by application with a
// known arrival date: the application (its decision holds the violation,
// if any), the region of the premises and the day the registration began.
type ViolationRecord struct {
	Application  Application
	Region       string
	RegisteredOn time.Time
}

// Violation returns the record's possible violation, nil when none.
func (r ViolationRecord) Violation() *Violation { return r.Application.Decision.Violation }

// repeats tells from a history of the year before which of the parties of a
// new violation repeat one: the resident (by IIN) and the owners (by key).
func repeats(history []ViolationRecord, resident string, owners []Ownership) (bool, map[string]bool) {
	residentRepeated := false
	owner := map[string]bool{}
	for _, h := range history {
		v := h.Violation()
		if v == nil {
			continue
		}
		if h.Application.SubjectIIN == resident {
			residentRepeated = true
		}
		for _, o := range owners {
			k := ViolationParty{IIN: o.OwnerIIN, BIN: o.OwnerBIN}.key()
			if v.concerns(k) {
				owner[k] = true
			}
		}
	}
	return residentRepeated, owner
}

// assessViolation computes, in tx, the possible violation of a temporary
// registration of app that begins on day: the owners of the premises, and
// the year's history of the resident and of every premises those owners
// own, decide who repeats a violation.
func (s *Service) assessViolation(ctx context.Context, tx Tx, app Application, day time.Time) (*Violation, error) {
	f := ViolationFacts{Kind: app.Kind, ArrivedOn: app.ArrivedOn, RegisteredOn: day, StayUntil: app.StayUntil,
		ResidentIIN: app.SubjectIIN, Rates: s.cfg.MCI}
	if AssessViolation(f) == nil {
		return nil, nil // the common case: on time, no history read
	}
	owners, err := tx.Owners(ctx, app.RKA)
	if err != nil {
		return nil, err
	}
	f.Owners = owners
	var rkas []string
	for _, o := range owners {
		if o.OwnerIIN == app.SubjectIIN && o.OwnerIIN != "" {
			continue
		}
		owned, err := tx.PremisesOwnedBy(ctx, o.OwnerIIN, o.OwnerBIN)
		if err != nil {
			return nil, err
		}
		rkas = append(rkas, owned...)
	}
	history, err := tx.ViolationHistory(ctx, ViolationQuery{From: day.AddDate(-1, 0, 0), To: day.AddDate(0, 0, 1),
		SubjectIIN: app.SubjectIIN, RKAs: rkas, Limit: 10000})
	if err != nil {
		return nil, err
	}
	var prior []ViolationRecord
	for _, h := range history {
		if h.Application.ID != app.ID {
			prior = append(prior, h)
		}
	}
	f.ResidentRepeated, f.OwnerRepeated = repeats(prior, app.SubjectIIN, owners)
	return AssessViolation(f), nil
}

// ParseMCIRates reads the MCI configuration "YEAR=TENGE,YEAR=TENGE" and
// returns DefaultMCIRates with those years added or overridden; "" gives the
// defaults. Errors: a malformed pair, a year outside 2000–2100, an amount
// that is not a positive integer.
func ParseMCIRates(s string) (MCIRates, error) {
	out := MCIRates{}
	for y, v := range DefaultMCIRates {
		out[y] = v
	}
	for _, pair := range strings.Split(s, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		ys, vs, ok := strings.Cut(pair, "=")
		y, err1 := strconv.Atoi(strings.TrimSpace(ys))
		v, err2 := strconv.ParseInt(strings.TrimSpace(vs), 10, 64)
		if !ok || err1 != nil || err2 != nil || y < 2000 || y > 2100 || v <= 0 {
			return nil, fmt.Errorf("%q: want YEAR=TENGE, e.g. 2027=4500", pair)
		}
		out[y] = v
	}
	return out, nil
}

// ViolationEntry is one possible violation of the police report.
type ViolationEntry struct {
	ApplicationID  string
	RegistrationID string
	RKA            string
	Region         string
	Violation      Violation
}

// MaxReportDays bounds the period of one violations report.
const MaxReportDays = 366

// ViolationsReport lists the possible violations found in temporary
// registrations that began in [from, to) (dates), oldest first, for the
// police: it names residents and owners, so it is for staff only and each
// person named is logged as read ("violations"). Errors: unauthenticated,
// forbidden, invalid (a period that is empty, reversed or longer than
// MaxReportDays).
func (s *Service) ViolationsReport(ctx context.Context, actor Actor, from, to time.Time) ([]ViolationEntry, error) {
	if err := staffOnly(actor); err != nil {
		return nil, err
	}
	from, to = DateOf(from), DateOf(to)
	if !to.After(from) {
		return nil, invalid("to", textReportPeriod)
	}
	if to.Sub(from) > MaxReportDays*24*time.Hour {
		return nil, invalid("to", textReportPeriod)
	}
	var recs []ViolationRecord
	err := s.store.View(ctx, func(r Reader) error {
		var err error
		recs, err = r.ViolationHistory(ctx, ViolationQuery{From: from, To: to, Limit: 1 << 20})
		return err
	})
	if err != nil {
		return nil, err
	}
	out := []ViolationEntry{}
	var read []string
	for _, rec := range recs {
		v := rec.Violation()
		if v == nil {
			continue
		}
		out = append(out, ViolationEntry{ApplicationID: rec.Application.ID, RegistrationID: rec.Application.RegistrationID,
			RKA: rec.Application.RKA, Region: rec.Region, Violation: *v})
		read = append(read, v.Resident.IIN)
		for _, o := range v.Owners {
			if o.IIN != "" {
				read = append(read, o.IIN)
			}
		}
	}
	if err := s.logReads(ctx, actor, "violations", "police_report", read...); err != nil {
		return nil, err
	}
	return out, nil
}

var textReportPeriod = Text{
	KK: "Кезең: from to-дан ерте болуы керек, ең көбі 366 күн.",
	RU: "Период: from должен быть раньше to, не более 366 дней.",
	EN: "The period: from must be before to, at most 366 days.",
}

// ViolationStats counts the possible violations of one year and region,
// with the amounts of the fines the Code provides, in tenge (no person is
// named: it is public).
type ViolationStats struct {
	Year        int    `json:"year"`
	Region      string `json:"region"`
	Count       int    `json:"count"`
	Warnings    int    `json:"warnings"`
	Fines       int    `json:"fines"`
	Owners      int    `json:"owners"`
	ResidentKZT int64  `json:"resident_kzt"`
	OwnerKZT    int64  `json:"owner_kzt"`
}

// SummariseViolations aggregates the possible violations of recs by year and
// region, ordered by year and then region.
func SummariseViolations(recs []ViolationRecord) []ViolationStats {
	type key struct {
		year   int
		region string
	}
	m := map[key]*ViolationStats{}
	var keys []key
	for _, r := range recs {
		v := r.Violation()
		if v == nil {
			continue
		}
		k := key{v.Year, r.Region}
		st := m[k]
		if st == nil {
			st = &ViolationStats{Year: v.Year, Region: r.Region}
			m[k] = st
			keys = append(keys, k)
		}
		st.Count++
		if v.Level == ViolationWarning {
			st.Warnings++
		} else {
			st.Fines++
		}
		st.ResidentKZT += v.Resident.FineKZT
		for _, o := range v.Owners {
			st.Owners++
			st.OwnerKZT += o.FineKZT
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].year != keys[j].year {
			return keys[i].year < keys[j].year
		}
		return keys[i].region < keys[j].region
	})
	out := make([]ViolationStats, 0, len(keys))
	for _, k := range keys {
		out = append(out, *m[k])
	}
	return out
}
