package ui

import (
	"encoding/json"
	"net/http"
	"strings"

	"tirkeu/internal/residence"
)

// registrationLine is a registration with its address.
type registrationLine struct {
	Reg     residence.Registration
	Address string
}

type accountView struct {
	Page
	Person        residence.Person
	Registrations []registrationLine
	Applications  []residence.Application
	Messages      []eventLine
	AccessLog     []eventLine
	// Requests wait for the person's answer: an owner's consent, or their
	// own confirmation of an application someone else made for them.
	Requests []consentRequest
	// Certificates is whether registration certificates can be issued.
	Certificates bool
}

func registrationLines(ad residence.Addresses) []registrationLine {
	out := make([]registrationLine, 0, len(ad.Registrations))
	for _, reg := range ad.Registrations {
		a := reg.RKA
		if p, ok := ad.Premises[reg.RKA]; ok {
			a = p.Address()
		}
		out = append(out, registrationLine{Reg: reg, Address: a})
	}
	return out
}

// eventLines renders events for a page: the message in the page's language,
// who acted (a role, and a staff member's name; never another person's IIN).
func eventLines(lang string, evs []residence.Event) []eventLine {
	out := make([]eventLine, 0, len(evs))
	for _, e := range evs {
		l := eventLine{At: e.At, Type: e.Type, Message: e.Message.In(lang), Role: e.ActorRole}
		if l.Role == "" {
			l.Role = "anonymous"
		}
		if e.Type == residence.EventPersonalDataRead {
			var d struct {
				What      string `json:"what"`
				Purpose   string `json:"purpose"`
				ActorName string `json:"actor_name"`
			}
			_ = json.Unmarshal(e.Data, &d)
			l.Message = tr("access." + d.What).In(lang)
			if strings.Contains(d.Purpose, ":") {
				l.Message += " (" + d.Purpose + ")" // an agency token's purpose, such as address:read
			}
			if d.ActorName != "" {
				l.Name = d.ActorName
			} else if e.ActorIIN != "" {
				l.Name = residence.MaskIIN(e.ActorIIN)
			}
		}
		out = append(out, l)
	}
	return out
}

func (u *UI) account(w http.ResponseWriter, r *http.Request) error {
	a, err := u.requireCitizen(r)
	if err != nil {
		return err
	}
	v := &accountView{Page: u.page(w, r, "account.title"), Certificates: u.svc.CertificatesEnabled()}
	ad, err := u.svc.PersonAddresses(r.Context(), a, a.IIN)
	if err != nil {
		return err
	}
	v.Person, v.Registrations = ad.Person, registrationLines(ad)
	if v.Requests, err = u.pendingRequests(r.Context(), a); err != nil {
		return err
	}
	apps, evs, err := u.svc.History(r.Context(), a, 50)
	if err != nil {
		return err
	}
	v.Applications, v.Messages = apps, eventLines(v.Lang, evs)
	log, err := u.svc.AccessLog(r.Context(), a, 50)
	if err != nil {
		return err
	}
	v.AccessLog = eventLines(v.Lang, log)
	return u.render(w, r, http.StatusOK, "account", v)
}
