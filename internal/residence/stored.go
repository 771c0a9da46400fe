package residence

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// The stored form of texts and decisions: what the store writes in an
// application's decision and an event's message. A catalogued text
// (textids.go) is stored as its id, a JSON string ("msg.registered_permanent");
// a text made from a template as {"id": template, "p": [parameters]}; any
// other text in full, {"kk": …, "ru": …, "en": …}, as every text was stored
// before ids. Reading renders ids and templates from the catalogue, so a
// row reads back as the value that was written, and an older row as before.

// storedTextObject is a stored text written as an object: a template's id
// and parameters, or a text in full.
type storedTextObject struct {
	ID string   `json:"id,omitempty"`
	P  []string `json:"p,omitempty"`
	KK string   `json:"kk,omitempty"`
	RU string   `json:"ru,omitempty"`
	EN string   `json:"en,omitempty"`
}

// EncodeText returns the stored form of t (JSON); null for a zero text.
func EncodeText(t Text) ([]byte, error) {
	return appendText(make([]byte, 0, 32), t)
}

// appendText appends the stored form of t to b.
func appendText(b []byte, t Text) ([]byte, error) {
	if t.ref == "" {
		if id, ok := catalogue.byText[t]; ok {
			return appendJSONString(b, id), nil
		}
		if t.IsZero() {
			return append(b, "null"...), nil
		}
	} else if id, p, ok := t.template(); ok {
		out, err := json.Marshal(storedTextObject{ID: id, P: p})
		return append(b, out...), err
	}
	out, err := json.Marshal(Text{KK: t.KK, RU: t.RU, EN: t.EN})
	return append(b, out...), err
}

// template returns the template and parameters of a text made by textOf,
// when the text still reads as that template renders them.
func (t Text) template() (id string, p []string, ok bool) {
	parts := strings.Split(t.ref, refSep)
	tpl, known := textTemplates[parts[0]]
	if !known || len(parts)-1 != tpl.n {
		return "", nil, false
	}
	r := tpl.render(parts[1:])
	if r.KK != t.KK || r.RU != t.RU || r.EN != t.EN {
		return "", nil, false
	}
	return parts[0], parts[1:], true
}

// DecodeText reads a stored text: an id, a template with its parameters, or
// a text in full; the zero text for empty input or null. An id or template
// the catalogue does not know is an error.
func DecodeText(b []byte) (Text, error) {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		return Text{}, nil
	case b[0] == '"':
		var id string
		if err := json.Unmarshal(b, &id); err != nil {
			return Text{}, err
		}
		t, ok := catalogue.byID[id]
		if !ok {
			return Text{}, fmt.Errorf("residence: unknown text id %q", id)
		}
		return t, nil
	}
	var o storedTextObject
	if err := json.Unmarshal(b, &o); err != nil {
		return Text{}, err
	}
	if o.ID == "" {
		return Text{KK: o.KK, RU: o.RU, EN: o.EN}, nil
	}
	tpl, ok := textTemplates[o.ID]
	if !ok || len(o.P) != tpl.n {
		return Text{}, fmt.Errorf("residence: unknown text template %q with %d parameters", o.ID, len(o.P))
	}
	return textOf(o.ID, o.P...), nil
}

// appendJSONString appends s as a JSON string: quoted as is when it needs
// no escaping (ids, statuses, rules), through encoding/json otherwise.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			out, _ := json.Marshal(s)
			return append(b, out...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// storedDecision is a decision as stored. status and rule stay top-level
// keys for SQL and tools. basis, message, next and documents are stored
// texts; decisions stored before ids hold legal_basis instead of basis
// (a text, or one English string before bases were translated).
type storedDecision struct {
	Status     ApplicationStatus    `json:"status"`
	Rule       RuleID               `json:"rule,omitempty"`
	Basis      json.RawMessage      `json:"basis,omitempty"`
	LegalBasis json.RawMessage      `json:"legal_basis,omitempty"`
	Message    json.RawMessage      `json:"message,omitempty"`
	Next       json.RawMessage      `json:"next,omitempty"`
	Documents  []json.RawMessage    `json:"documents,omitempty"`
	Consents   []ConsentRequirement `json:"consents,omitempty"`
	Effects    []Effect             `json:"effects,omitempty"`
	Violation  *storedViolation     `json:"violation,omitempty"`
	InPerson   *InPersonRecord      `json:"in_person,omitempty"`
}

// violationFields is Violation without its methods.
type violationFields Violation

// storedViolation is a violation as stored: its message a stored text.
type storedViolation struct {
	violationFields
	Message json.RawMessage `json:"message"`
}

// EncodeDecision returns the stored form of d (JSON): the keys status and
// rule as in the API, the texts as stored texts under basis, message, next
// and documents, and consents, effects, violation and in_person as in the
// API except the violation's message, a stored text.
func EncodeDecision(d Decision) ([]byte, error) {
	b := make([]byte, 0, 160)
	b = append(b, `{"status":`...)
	b = appendJSONString(b, string(d.Status))
	if d.Rule != "" {
		b = append(b, `,"rule":`...)
		b = appendJSONString(b, string(d.Rule))
	}
	var err error
	for _, f := range []struct {
		key string
		t   Text
	}{{"basis", d.LegalBasis}, {"message", d.Message}, {"next", d.Next}} {
		if f.t.IsZero() {
			continue
		}
		b = append(append(append(b, `,"`...), f.key...), `":`...)
		if b, err = appendText(b, f.t); err != nil {
			return nil, err
		}
	}
	if len(d.Documents) > 0 {
		b = append(b, `,"documents":[`...)
		for i, t := range d.Documents {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendText(b, t); err != nil {
				return nil, err
			}
		}
		b = append(b, ']')
	}
	if len(d.Consents) > 0 {
		b, err = appendJSON(b, "consents", d.Consents)
	}
	if err == nil && len(d.Effects) > 0 {
		b, err = appendJSON(b, "effects", d.Effects)
	}
	if err == nil && d.Violation != nil {
		v := storedViolation{violationFields: violationFields(*d.Violation)}
		if v.Message, err = EncodeText(d.Violation.Message); err == nil {
			b, err = appendJSON(b, "violation", v)
		}
	}
	if err == nil && d.InPerson != nil {
		b, err = appendJSON(b, "in_person", d.InPerson)
	}
	if err != nil {
		return nil, err
	}
	return append(b, '}'), nil
}

// appendJSON appends ,"key": and v in JSON.
func appendJSON(b []byte, key string, v any) ([]byte, error) {
	out, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(append(append(append(b, `,"`...), key...), `":`...), out...), nil
}

// DecodeDecision reads a stored decision, in the form EncodeDecision writes
// or any earlier one (texts in full, legal_basis as a text or an English
// string), and also the API's form of a decision.
func DecodeDecision(b []byte) (Decision, error) {
	var s storedDecision
	if err := json.Unmarshal(b, &s); err != nil {
		return Decision{}, err
	}
	d := Decision{Status: s.Status, Rule: s.Rule, Consents: s.Consents, Effects: s.Effects, InPerson: s.InPerson}
	var errs []error
	text := func(what string, raw json.RawMessage) Text {
		t, err := DecodeText(raw)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", what, err))
		}
		return t
	}
	switch lb := bytes.TrimSpace(s.LegalBasis); {
	case len(s.Basis) > 0:
		d.LegalBasis = text("basis", s.Basis)
	case len(lb) > 0 && lb[0] == '"':
		var en string
		if err := json.Unmarshal(lb, &en); err != nil {
			errs = append(errs, fmt.Errorf("legal_basis: %w", err))
		}
		d.LegalBasis = Text{EN: en}
	default:
		d.LegalBasis = text("legal_basis", lb)
	}
	d.Message, d.Next = text("message", s.Message), text("next", s.Next)
	if s.Documents != nil {
		d.Documents = make([]Text, len(s.Documents))
		for i, raw := range s.Documents {
			d.Documents[i] = text("documents", raw)
		}
	}
	if s.Violation != nil {
		v := Violation(s.Violation.violationFields)
		v.Message = text("violation", s.Violation.Message)
		d.Violation = &v
	}
	if err := errors.Join(errs...); err != nil {
		return Decision{}, fmt.Errorf("residence: decode decision: %w", err)
	}
	return d, nil
}
