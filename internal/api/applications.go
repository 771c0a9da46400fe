package api

import (
	"net/http"
	"strings"

	"tirkeu/internal/residence"
	"tirkeu/internal/web"
)

type submitRequest struct {
	Kind         string `json:"kind"`
	ApplicantIIN string `json:"applicant_iin"`
	SubjectIIN   string `json:"subject_iin"`
	RKA          string `json:"rka"`
	Reason       string `json:"reason"`
	StayFrom     string `json:"stay_from"`
	StayUntil    string `json:"stay_until"`
	ArrivedOn    string `json:"arrived_on"`
	OTP          string `json:"otp"`
	Channel      string `json:"channel"`
	// Operators at a service centre attest what they checked.
	DocumentsChecked       bool `json:"documents_checked"`
	OwnersConsentInWriting bool `json:"owners_consent_in_writing"`
}

func (a *API) submit(w http.ResponseWriter, r *http.Request) error {
	var in submitRequest
	sig, err := decodeSigned(r, &in)
	if err != nil {
		return err
	}
	if in.ApplicantIIN == "" {
		in.ApplicantIIN = web.ActorFrom(r.Context()).IIN
	}
	if err := residence.CheckIIN("applicant_iin", in.ApplicantIIN); err != nil {
		return err
	}
	if in.SubjectIIN != "" {
		if err := residence.CheckIIN("subject_iin", in.SubjectIIN); err != nil {
			return err
		}
	}
	si := residence.SubmitInput{Kind: residence.Kind(in.Kind), ApplicantIIN: in.ApplicantIIN, SubjectIIN: in.SubjectIIN,
		RKA: strings.TrimSpace(in.RKA), Reason: in.Reason, OTP: strings.TrimSpace(in.OTP), Channel: residence.Channel(in.Channel),
		IdempotencyKey: r.Header.Get("Idempotency-Key")}
	if si.Channel != residence.ChannelPortal && si.Channel != residence.ChannelMobile {
		si.Channel = residence.ChannelAPI
	}
	if si.StayFrom, err = parseDate("stay_from", in.StayFrom); err != nil {
		return err
	}
	if si.StayUntil, err = parseDate("stay_until", in.StayUntil); err != nil {
		return err
	}
	if si.ArrivedOn, err = parseDate("arrived_on", in.ArrivedOn); err != nil {
		return err
	}
	si.EDS = sig
	actor := web.ActorFrom(r.Context())
	if actor.IsStaff() {
		si.InPerson = &residence.InPersonFacts{OperatorID: actor.Name, DocumentsChecked: in.DocumentsChecked,
			OwnersConsentInWriting: in.OwnersConsentInWriting}
	}
	// The answer is read in the submission's transaction (SubmitView), as
	// SubmittedView would read it after the commit.
	view, created, err := a.svc.SubmitView(r.Context(), actor, si)
	if err != nil {
		return err
	}
	app := view.Application
	v := renderView(view, lang(r))
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
		w.Header().Set("Idempotent-Replayed", "true")
	}
	w.Header().Set("Location", "/api/v1/applications/"+app.ID)
	return web.WriteJSON(w, status, v)
}

// submitted renders an application to the one who has just submitted it.
func (a *API) submitted(r *http.Request, id string) (any, error) {
	v, err := a.svc.SubmittedView(r.Context(), web.ActorFrom(r.Context()), id)
	if err != nil {
		return nil, err
	}
	return renderView(v, lang(r)), nil
}

// renderView renders an application view: whole for a party (the persons'
// IINs as the reader may see them), status and rule only for the tracking
// view.
func renderView(v residence.ApplicationView, lang string) any {
	if !v.Party {
		return renderTracking(v.Application, lang)
	}
	return renderApplication(v.Application, v.ShownConsents, lang)
}

func (a *API) getApplication(w http.ResponseWriter, r *http.Request) error {
	id, err := pathKey(r, "id")
	if err != nil {
		return err
	}
	v, err := a.svc.Application(r.Context(), web.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, renderView(v, lang(r)))
}
