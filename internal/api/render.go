package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"tirkeu/internal/residence"
	"tirkeu/internal/web"
)

// readBody reads the whole (size-limited) request body: EDS signatures cover
// the exact bytes, so they are kept.
func readBody(r *http.Request) ([]byte, error) {
	if err := web.CheckContentType(r, r.ContentLength == 0); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, residence.NewError(residence.EBodyTooLarge, residence.Text{KK: "Сұрау тым үлкен.", RU: "Запрос слишком большой.", EN: "The request is too large."})
		}
		return nil, &residence.Error{Code: residence.EInvalidJSON, Text: invalidJSONText, Err: err}
	}
	return b, nil
}

var invalidJSONText = residence.Text{
	KK: "Сұрау денесі дұрыс JSON объектісі емес.",
	RU: "Тело запроса не является корректным объектом JSON.",
	EN: "The request body is not a valid JSON object.",
}

func decodeBytes(b []byte, v any) error {
	if hasNUL(b) {
		return &residence.Error{Code: residence.EInvalidJSON, Text: invalidJSONText}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(v); err != nil {
		return &residence.Error{Code: residence.EInvalidJSON, Text: invalidJSONText, Err: err}
	}
	if dec.More() {
		return &residence.Error{Code: residence.EInvalidJSON, Text: invalidJSONText}
	}
	return nil
}

type decisionJSON struct {
	Status     string                   `json:"status"`
	Rule       string                   `json:"rule,omitempty"`
	LegalBasis string                   `json:"legal_basis,omitempty"`
	LegalBases *residence.Text          `json:"legal_bases,omitempty"`
	Message    string                   `json:"message"`
	Messages   residence.Text           `json:"messages"`
	Next       string                   `json:"next,omitempty"`
	Documents  []string                 `json:"documents,omitempty"`
	Consents   []consentRequirementJSON `json:"consents,omitempty"`
	Effects    []residence.Effect       `json:"effects,omitempty"`
	Violation  *violationJSON           `json:"violation,omitempty"`
	InPerson   *inPersonJSON            `json:"in_person,omitempty"`
}

// consentRequirementJSON is a consent the application needs. An owner's
// (kind owner) names owner_iin, a petition (kind petition) owner_bin, and
// the subject's own confirmation (kind subject) subject_iin.
type consentRequirementJSON struct {
	Kind       string `json:"kind"`
	OwnerIIN   string `json:"owner_iin,omitempty"`
	OwnerBIN   string `json:"owner_bin,omitempty"`
	SubjectIIN string `json:"subject_iin,omitempty"`
	Channel    string `json:"channel"`
}

type consentTaskJSON struct {
	ID         string     `json:"id"`
	Kind       string     `json:"kind"`
	OwnerIIN   string     `json:"owner_iin,omitempty"`
	OwnerBIN   string     `json:"owner_bin,omitempty"`
	SubjectIIN string     `json:"subject_iin,omitempty"`
	Channel    string     `json:"channel"`
	Status     string     `json:"status"`
	Attempts   int        `json:"attempts"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	AnsweredAt *time.Time `json:"answered_at,omitempty"`
}

type applicationJSON struct {
	ID             string            `json:"id"`
	Reference      string            `json:"reference,omitempty"`
	Action         string            `json:"action"`
	Kind           string            `json:"kind,omitempty"`
	ApplicantIIN   string            `json:"applicant_iin"`
	SubjectIIN     string            `json:"subject_iin"`
	RKA            string            `json:"rka"`
	Reason         string            `json:"reason,omitempty"`
	StayFrom       string            `json:"stay_from,omitempty"`
	StayUntil      string            `json:"stay_until,omitempty"`
	Channel        string            `json:"channel"`
	Signature      string            `json:"signature"`
	Status         string            `json:"status"`
	Decision       decisionJSON      `json:"decision"`
	ConsentTasks   []consentTaskJSON `json:"consent_tasks"`
	RegistrationID string            `json:"registration_id,omitempty"`
	CreatedAt      time.Time         `json:"created_at"`
	DecidedAt      *time.Time        `json:"decided_at,omitempty"`
	UpdatedAt      time.Time         `json:"updated_at"`
}

func dateStr(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// renderTask renders a consent task; its owner's IIN comes as the reader may
// see it (residence.ConsentTasksFor).
func renderTask(t residence.ConsentTask) consentTaskJSON {
	c := renderRequirement(residence.ConsentRequirement{Kind: t.Kind, OwnerIIN: t.OwnerIIN, OwnerBIN: t.OwnerBIN, Channel: t.Channel})
	return consentTaskJSON{ID: t.ID, Kind: c.Kind, OwnerIIN: c.OwnerIIN, OwnerBIN: c.OwnerBIN, SubjectIIN: c.SubjectIIN,
		Channel: c.Channel, Status: string(t.Status), Attempts: t.Attempts, CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt,
		AnsweredAt: timePtr(t.AnsweredAt)}
}

// renderRequirement shows whose consent c is: the person's IIN (as the
// reader may see it, residence.ApplicationFor) as owner_iin, or as
// subject_iin for the subject's own confirmation.
func renderRequirement(c residence.ConsentRequirement) consentRequirementJSON {
	out := consentRequirementJSON{Kind: string(c.KindOf()), OwnerBIN: c.OwnerBIN, Channel: string(c.Channel)}
	if c.KindOf() == residence.ConsentKindSubject {
		out.SubjectIIN = c.OwnerIIN
	} else {
		out.OwnerIIN = c.OwnerIIN
	}
	return out
}

// renderApplication renders an application as the use case returned it for
// the reader (identifiers already masked or left out: residence.ApplicationFor).
func renderApplication(a residence.Application, tasks []residence.ConsentTask, lang string) applicationJSON {
	d := a.Decision
	out := applicationJSON{ID: a.ID, Reference: residence.Reference(a.ID), Action: string(a.Action), Kind: string(a.Kind), ApplicantIIN: a.ApplicantIIN,
		SubjectIIN: a.SubjectIIN, RKA: a.RKA, Reason: a.Reason, StayFrom: dateStr(a.StayFrom), StayUntil: dateStr(a.StayUntil),
		Channel: string(a.Channel), Signature: string(a.Signature), Status: string(a.Status), RegistrationID: a.RegistrationID,
		CreatedAt: a.CreatedAt, DecidedAt: timePtr(a.DecidedAt), UpdatedAt: a.UpdatedAt,
		Decision: decisionJSON{Status: string(a.Status), Rule: string(d.Rule), LegalBasis: d.LegalBasis.In(lang),
			Message: d.Message.In(lang), Messages: d.Message, Next: d.Next.In(lang), Effects: d.Effects},
		ConsentTasks: []consentTaskJSON{}}
	if !d.LegalBasis.IsZero() {
		out.Decision.LegalBases = &d.LegalBasis
	}
	for _, doc := range d.Documents {
		out.Decision.Documents = append(out.Decision.Documents, doc.In(lang))
	}
	out.Decision.Violation = renderViolation(d.Violation, lang)
	out.Decision.InPerson = renderInPerson(d.InPerson)
	for _, c := range d.Consents {
		out.Decision.Consents = append(out.Decision.Consents, renderRequirement(c))
	}
	for _, t := range tasks {
		out.ConsentTasks = append(out.ConsentTasks, renderTask(t))
	}
	return out
}

// trackingJSON is what anyone holding an application's id sees: its status
// and the rule that decided it, nothing about the persons or the premises.
type trackingJSON struct {
	ID        string           `json:"id"`
	Reference string           `json:"reference,omitempty"`
	Action    string           `json:"action"`
	Status    string           `json:"status"`
	Decision  trackingDecision `json:"decision"`
	CreatedAt time.Time        `json:"created_at"`
	DecidedAt *time.Time       `json:"decided_at,omitempty"`
	UpdatedAt time.Time        `json:"updated_at"`
}

type trackingDecision struct {
	Status     string         `json:"status"`
	Rule       string         `json:"rule,omitempty"`
	LegalBasis string         `json:"legal_basis,omitempty"`
	Message    string         `json:"message"`
	Messages   residence.Text `json:"messages"`
}

func renderTracking(a residence.Application, lang string) trackingJSON {
	d := a.Decision
	return trackingJSON{ID: a.ID, Reference: residence.Reference(a.ID), Action: string(a.Action), Status: string(a.Status), CreatedAt: a.CreatedAt,
		DecidedAt: timePtr(a.DecidedAt), UpdatedAt: a.UpdatedAt,
		Decision: trackingDecision{Status: string(a.Status), Rule: string(d.Rule), LegalBasis: d.LegalBasis.In(lang),
			Message: d.Message.In(lang), Messages: d.Message}}
}

type premisesJSON struct {
	RKA         string  `json:"rka"`
	Address     string  `json:"address"`
	Region      string  `json:"region"`
	District    string  `json:"district,omitempty"`
	Locality    string  `json:"locality"`
	Street      string  `json:"street,omitempty"`
	Building    string  `json:"building"`
	Unit        string  `json:"unit,omitempty"`
	Kind        string  `json:"kind"`
	StateRental bool    `json:"state_rental"`
	AreaM2      float64 `json:"area_m2,omitempty"`
}

func renderPremises(p residence.Premises) premisesJSON {
	return premisesJSON{RKA: p.RKA, Address: p.Address(), Region: p.Region, District: p.District, Locality: p.Locality,
		Street: p.Street, Building: p.Building, Unit: p.Unit, Kind: string(p.Kind), StateRental: p.StateRental, AreaM2: p.AreaM2}
}

type registrationJSON struct {
	ID            string        `json:"id"`
	IIN           string        `json:"iin"`
	RKA           string        `json:"rka"`
	Address       string        `json:"address,omitempty"`
	Premises      *premisesJSON `json:"premises,omitempty"`
	Kind          string        `json:"kind"`
	Status        string        `json:"status"`
	Since         string        `json:"since"`
	Until         string        `json:"until,omitempty"`
	EndedOn       string        `json:"ended_on,omitempty"`
	EndReason     string        `json:"end_reason,omitempty"`
	ApplicationID string        `json:"application_id,omitempty"`
	// DerivedFrom marks a parent's or legal representative's registration
	// answered for a child under 14 (residence.DerivedRegistration).
	DerivedFrom *derivedFromJSON `json:"derived_from,omitempty"`
}

// derivedFromJSON says whose registration a child's address follows: the
// parent's or legal representative's IIN (as the reader may see it,
// residence.AddressesFor) and the relation.
type derivedFromJSON struct {
	IIN      string `json:"iin"`
	Relation string `json:"relation"`
}

func renderRegistration(r residence.Registration, p residence.Premises) registrationJSON {
	out := registrationJSON{ID: r.ID, IIN: r.IIN, RKA: r.RKA, Kind: string(r.Kind), Status: string(r.Status),
		Since: dateStr(r.Since), Until: dateStr(r.Until), EndedOn: dateStr(r.EndedOn), EndReason: string(r.EndReason),
		ApplicationID: r.ApplicationID}
	if p.RKA != "" {
		pj := renderPremises(p)
		out.Premises, out.Address = &pj, pj.Address
	}
	return out
}

type personJSON struct {
	IIN        string `json:"iin"`
	LastName   string `json:"last_name"`
	FirstName  string `json:"first_name"`
	Patronymic string `json:"patronymic,omitempty"`
	BirthDate  string `json:"birth_date"`
}

func personSummary(p residence.Person) personJSON {
	return personJSON{IIN: p.IIN, LastName: p.LastName, FirstName: p.FirstName, Patronymic: p.Patronymic, BirthDate: dateStr(p.BirthDate)}
}

type personRegistrationsJSON struct {
	Person        personJSON         `json:"person"`
	Registrations []registrationJSON `json:"registrations"`
}

type residentJSON struct {
	Person       personJSON       `json:"person"`
	Registration registrationJSON `json:"registration"`
}

type residentsJSON struct {
	Premises  premisesJSON   `json:"premises"`
	Residents []residentJSON `json:"residents"`
}

type eventJSON struct {
	ID             int64           `json:"id"`
	Seq            int64           `json:"seq,omitempty"`
	Hash           string          `json:"hash,omitempty"`
	Type           string          `json:"type"`
	At             time.Time       `json:"at"`
	PersonIIN      string          `json:"person_iin,omitempty"`
	RKA            string          `json:"rka,omitempty"`
	ApplicationID  string          `json:"application_id,omitempty"`
	RegistrationID string          `json:"registration_id,omitempty"`
	Message        string          `json:"message,omitempty"`
	Data           json.RawMessage `json:"data,omitempty"`
}

func renderEvent(e residence.Event, lang string) eventJSON {
	return eventJSON{ID: e.ID, Seq: e.Seq, Hash: e.Hash, Type: e.Type, At: e.At, PersonIIN: e.PersonIIN, RKA: e.RKA, ApplicationID: e.ApplicationID,
		RegistrationID: e.RegistrationID, Message: e.Message.In(lang), Data: e.Data}
}

type feedJSON struct {
	Events []eventJSON `json:"events"`
	Next   int64       `json:"next"`
}

type historyJSON struct {
	Applications []applicationJSON `json:"applications"`
	Messages     []eventJSON       `json:"messages"`
}

type accessJSON struct {
	At        time.Time       `json:"at"`
	ActorRole string          `json:"actor_role"`
	ActorIIN  string          `json:"actor_iin,omitempty"`
	Details   json.RawMessage `json:"details,omitempty"`
}

// readerAnonymous is the actor_role of a read made without a session (an
// application's status looked up by its id): the event records no role.
const readerAnonymous = "anonymous"

func renderAccess(e residence.Event) accessJSON {
	role := e.ActorRole
	if role == "" {
		role = readerAnonymous
	}
	return accessJSON{At: e.At, ActorRole: role, ActorIIN: e.ActorIIN, Details: e.Data}
}

type accessLogJSON struct {
	Reads []accessJSON `json:"reads"`
}

type pendingConsentJSON struct {
	Consent     consentTaskJSON `json:"consent"`
	Application applicationJSON `json:"application"`
}

type consentsJSON struct {
	Consents []pendingConsentJSON `json:"consents"`
}

type smsJSON struct {
	ID        string    `json:"id"`
	To        string    `json:"to"`
	From      string    `json:"from"`
	Text      string    `json:"text"`
	Code      string    `json:"code,omitempty"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
}
