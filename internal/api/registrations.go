package api

import (
	"net/http"
	"strings"

	"tirkeu/internal/residence"
	"tirkeu/internal/web"
)

func (a *API) personRegistrations(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("iin")
	if err := residence.CheckIIN("iin", id); err != nil {
		return err
	}
	return a.writeAddresses(w, r, web.ActorFrom(r.Context()), id)
}

// writeAddresses answers with the person's registrations and their premises.
func (a *API) writeAddresses(w http.ResponseWriter, r *http.Request, actor residence.Actor, iin string) error {
	ad, err := a.svc.PersonAddresses(r.Context(), actor, iin)
	if err != nil {
		return err
	}
	out := make([]registrationJSON, 0, len(ad.Registrations))
	for _, reg := range ad.Registrations {
		out = append(out, renderRegistration(reg, ad.Premises[reg.RKA]))
	}
	for _, d := range ad.Derived {
		rj := renderRegistration(d.Registration, ad.Premises[d.Registration.RKA])
		rj.IIN = ad.Person.IIN // the child's address, taken from the parent's registration
		rj.DerivedFrom = &derivedFromJSON{IIN: d.From, Relation: string(d.Relation)}
		out = append(out, rj)
	}
	return web.WriteJSON(w, http.StatusOK, personRegistrationsJSON{Person: personSummary(ad.Person), Registrations: out})
}

func (a *API) premisesResidents(w http.ResponseWriter, r *http.Request) error {
	rka, err := pathKey(r, "rka")
	if err != nil {
		return err
	}
	prem, residents, err := a.svc.PremisesResidents(r.Context(), web.ActorFrom(r.Context()), rka)
	if err != nil {
		return err
	}
	out := residentsJSON{Premises: renderPremises(prem), Residents: []residentJSON{}}
	for _, res := range residents {
		out.Residents = append(out.Residents, residentJSON{Person: personSummary(res.Person), Registration: renderRegistration(res.Registration, prem)})
	}
	return web.WriteJSON(w, http.StatusOK, out)
}

type deregisterRequest struct {
	OwnerIIN   string `json:"owner_iin"`
	SubjectIIN string `json:"subject_iin"`
	RKA        string `json:"rka"`
	Kind       string `json:"kind"`
	Reason     string `json:"reason"`
	OTP        string `json:"otp"`
}

func (a *API) deregister(w http.ResponseWriter, r *http.Request) error {
	var in deregisterRequest
	sig, err := decodeSigned(r, &in)
	if err != nil {
		return err
	}
	if in.OwnerIIN == "" {
		in.OwnerIIN = web.ActorFrom(r.Context()).IIN
	}
	if err := residence.CheckIIN("owner_iin", in.OwnerIIN); err != nil {
		return err
	}
	if err := residence.CheckIIN("subject_iin", in.SubjectIIN); err != nil {
		return err
	}
	di := residence.DeregisterInput{OwnerIIN: in.OwnerIIN, SubjectIIN: in.SubjectIIN, RKA: strings.TrimSpace(in.RKA),
		Kind: residence.Kind(in.Kind), Reason: in.Reason, OTP: strings.TrimSpace(in.OTP)}
	di.EDS = sig
	app, err := a.svc.Deregister(r.Context(), web.ActorFrom(r.Context()), di)
	if err != nil {
		return err
	}
	v, err := a.submitted(r, app.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/applications/"+app.ID)
	return web.WriteJSON(w, http.StatusCreated, v)
}

type endRegistrationsRequest struct {
	Reason string `json:"reason"`
}

// endRegistrations lets an operator record emigration (or a court decision)
// for a person: every active registration ends.
func (a *API) endRegistrations(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("iin")
	if err := residence.CheckIIN("iin", id); err != nil {
		return err
	}
	var in endRegistrationsRequest
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	actor := web.ActorFrom(r.Context())
	ended, err := a.svc.EndRegistrations(r.Context(), actor, id, residence.EndReason(in.Reason))
	if err != nil {
		return err
	}
	// The registrations ended, with their premises, as the operator reads them.
	ad, err := a.svc.PersonAddresses(r.Context(), actor, id)
	if err != nil {
		return err
	}
	out := make([]registrationJSON, 0, len(ended))
	for _, reg := range ended {
		for _, now := range ad.Registrations {
			if now.ID == reg.ID {
				reg = now
			}
		}
		out = append(out, renderRegistration(reg, ad.Premises[reg.RKA]))
	}
	return web.WriteJSON(w, http.StatusOK, map[string]any{"ended": out})
}
